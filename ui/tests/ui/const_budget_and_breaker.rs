use persevere::breaker::{BreakerOpen, CircuitBreaker};
use persevere::budget::RetryBudget;
use persevere::retry;

#[derive(Debug)]
struct Down;

impl From<BreakerOpen> for Down {
    fn from(_: BreakerOpen) -> Down {
        Down
    }
}

// A budget or a breaker is shared by every call: a `const` is a new one at each use. One error
// each, at the name (the README's Limits), sync or async.
const BUDGET: RetryBudget = RetryBudget::new();
const BREAKER: CircuitBreaker = CircuitBreaker::new();

#[retry(budget = BUDGET)]
fn const_budget() -> Result<(), Down> {
    Ok(())
}

#[retry(breaker = BREAKER)]
async fn const_breaker() -> Result<(), Down> {
    Ok(())
}

fn main() {
    let _ = (const_budget(), const_breaker());
}
