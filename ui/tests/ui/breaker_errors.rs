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

fn main() {
    let _ = without_from_breaker_open();
    let _ = temporary_breaker();
    // A type-erased policy cannot keep a breaker.
    let _ = Policy::new().breaker(&UPSTREAM).boxed::<(), persevere::BreakerOpen>();
}
