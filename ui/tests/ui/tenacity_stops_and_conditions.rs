// More of tenacity's names: its `stop_never` constant, conditions and combinators: one error
// each, at the name, naming what to write.
use persevere::retry;

#[retry(stop = stop_never)]
fn stop_never_constant() -> Result<(), std::io::Error> { Ok(()) }

#[retry(retry_if = retry_if_not_result(|n: &u32| *n > 0))]
fn not_result_predicate() -> Result<u32, std::io::Error> { Ok(1) }

#[retry(retry_if = retry_unless_exception_type::<std::io::Error>())]
fn unless_exception_type() -> Result<(), std::io::Error> { Ok(()) }

#[retry(retry_if = retry_if_exception_cause_type::<std::io::Error>())]
fn exception_cause_type() -> Result<(), std::io::Error> { Ok(()) }

#[retry(stop = stop_any(attempts(3), elapsed(10s)))]
fn stop_any_of_two() -> Result<(), std::io::Error> { Ok(()) }

#[retry(retry_if = retry_all(any_error, |e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut))]
fn retry_all_of_two() -> Result<(), std::io::Error> { Ok(()) }

#[retry(wait = wait_chain(1s, 2s))]
fn chained_waits() -> Result<(), std::io::Error> { Ok(()) }

#[retry(wait = wait_combine(fixed(1s), random(0s, 1s)))]
fn combined_waits() -> Result<(), std::io::Error> { Ok(()) }

fn main() {}
