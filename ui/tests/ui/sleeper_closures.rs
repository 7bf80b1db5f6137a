use persevere::retry;
use std::time::Duration;
// One error per mistake in a sleeper closure, at the closure.

#[derive(Debug)]
struct ApiError;

#[retry(sleep = |millis: u64| std::thread::sleep(Duration::from_millis(millis)))]
fn sleeper_taking_a_number() -> Result<(), ApiError> { Ok(()) }

#[retry(sleep = |d| std::thread::sleep(d))]
async fn blocking_closure_on_an_async_fn() -> Result<(), ApiError> { Ok(()) }

#[retry(sleep = |d| async move { tokio::time::sleep(d) })]
async fn sleep_not_awaited() -> Result<(), ApiError> { Ok(()) }

fn main() {}
