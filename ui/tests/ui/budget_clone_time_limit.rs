use persevere::retry;
// One error per mistake, at the value.
use persevere::budget::RetryBudget;

#[derive(Debug)]
struct NotClone;

#[retry(budget = RetryBudget::new())]
fn budget_temporary() -> Result<(), String> { Ok(()) }

#[retry(budget = RetryBudget::default())]
fn budget_by_default() -> Result<(), String> { Ok(()) }

#[retry(breaker = persevere::breaker::CircuitBreaker::default())]
fn breaker_by_default() -> Result<(), String> { Ok(()) }

#[retry(clone(x))]
fn clone_not_clone(x: NotClone) -> Result<(), String> { drop(x); Ok(()) }

#[derive(Debug)]
struct NoTimeouts;

#[retry(timeout = 1s)]
async fn timeout_without_from() -> Result<(), NoTimeouts> { Ok(()) }

fn main() {}
