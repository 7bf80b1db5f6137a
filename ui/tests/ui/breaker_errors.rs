use persevere::Policy;
use persevere::breaker::CircuitBreaker;
use persevere::retry;

static UPSTREAM: CircuitBreaker = CircuitBreaker::new();

#[derive(Debug)]
struct NoRefusals;

// The error type cannot receive the refusal of an open breaker.
#[retry(breaker = UPSTREAM)]
fn without_from_breaker_open() -> Result<(), NoRefusals> {
    Ok(())
}

// A breaker made for one consultation counts nothing for the next.
#[retry(breaker = CircuitBreaker::new())]
fn temporary_breaker() -> Result<(), persevere::BreakerOpen> {
    Ok(())
}

// Built in place through its builder, or borrowed: the same.
#[retry(breaker = &CircuitBreaker::new().consecutive_failures(5))]
fn temporary_built_breaker() -> Result<(), persevere::BreakerOpen> {
    Ok(())
}

// A keyed table made in place, and a breaker picked from it.
#[retry(breaker = persevere::breaker::KeyedBreaker::<8>::new(CircuitBreaker::new()).key(host))]
fn temporary_keyed_breaker(host: &str) -> Result<(), persevere::BreakerOpen> {
    let _ = host;
    Ok(())
}

// The same for budgets.
#[retry(budget = persevere::budget::RetryBudget::with_reserve(5, 20))]
fn temporary_budget() -> Result<(), persevere::BreakerOpen> {
    Ok(())
}

// A keyed table where one budget or breaker is meant: pick one with `.key(..)`.
static BUDGETS: persevere::budget::KeyedBudget<8> =
    persevere::budget::KeyedBudget::new(persevere::budget::RetryBudget::new());
static BREAKERS: persevere::breaker::KeyedBreaker<8> =
    persevere::breaker::KeyedBreaker::new(CircuitBreaker::new());

#[retry(budget = BUDGETS)]
fn keyed_budget_without_a_key() -> Result<(), persevere::BreakerOpen> {
    Ok(())
}

#[retry(breaker = BREAKERS)]
fn keyed_breaker_without_a_key() -> Result<(), persevere::BreakerOpen> {
    Ok(())
}

fn main() {
    let _ = (keyed_budget_without_a_key(), keyed_breaker_without_a_key());
    let _ = without_from_breaker_open();
    let _ = temporary_breaker();
    let _ = (temporary_built_breaker(), temporary_keyed_breaker("a"), temporary_budget());
    // A type-erased policy cannot keep a breaker.
    let _ = Policy::new().breaker(&UPSTREAM).boxed::<(), persevere::BreakerOpen>();
}
