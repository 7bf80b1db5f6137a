use persevere::retry;
// One error per mistake: a closure whose parameter has the wrong type is reported at the value,
// once, and not again where the policy is used.

#[derive(Debug)]
struct ApiError;

#[retry(retry_if = |e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut)]
fn condition_on_another_error() -> Result<(), ApiError> { Ok(()) }

#[retry(stop = |attempt: &u32| *attempt > 3)]
fn stop_on_a_number() -> Result<(), ApiError> { Ok(()) }

#[retry(wait = |attempt: &u32| std::time::Duration::from_secs(u64::from(*attempt)))]
async fn wait_on_a_number() -> Result<(), ApiError> { Ok(()) }

#[retry(retry_if_ok = |body: &String| body.is_empty())]
fn ok_predicate_on_another_type() -> Result<u32, ApiError> { Ok(1) }

#[retry(before_sleep = |attempt: &u32| println!("{attempt}"))]
fn hook_on_a_number() -> Result<(), ApiError> { Ok(()) }

#[retry(on_give_up = |last: &Result<u32, ApiError>, _state| Ok(0))]
fn give_up_borrowing_the_outcome() -> Result<u32, ApiError> { Ok(1) }

#[retry(retry_if = never() | |e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut)]
fn condition_beside_an_operator_on_another_error() -> Result<(), ApiError> { Ok(()) }

fn main() {}
