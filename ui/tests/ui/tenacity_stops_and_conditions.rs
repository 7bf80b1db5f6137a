// More of tenacity's names: its `stop_never` constant and conditions: one error each, naming
// what to write.
use persevere::retry;

#[retry(stop = stop_never)]
fn stop_never_constant() -> Result<(), std::io::Error> { Ok(()) }

#[retry(retry_if = retry_if_not_result(|n: &u32| *n > 0))]
fn not_result_predicate() -> Result<u32, std::io::Error> { Ok(1) }

#[retry(retry_if = retry_unless_exception_type::<std::io::Error>())]
fn unless_exception_type() -> Result<(), std::io::Error> { Ok(()) }

#[retry(retry_if = retry_if_exception_cause_type::<std::io::Error>())]
fn exception_cause_type() -> Result<(), std::io::Error> { Ok(()) }

fn main() {}
