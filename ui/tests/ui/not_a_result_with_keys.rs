// A function that does not return a `Result` is one error at its return type, whatever values
// the attribute holds: the values' checks see no types to fault.
use persevere::retry;

#[retry(stop = attempts(3), wait = fixed(1s), retry_if = |_e| true, before_sleep = log(warn), on_give_up = |last, _state| last, retry_if_ok = |_v| false)]
fn count() -> u32 {
    1
}

#[retry(stop = attempts(3), wait = exponential(max = 1s), after = |_state| {})]
async fn fetch() -> Option<u32> {
    Some(1)
}

// A hedged one as well: one error at the return type, and one at the hedged call's bound.
#[retry(stop = attempts(3), hedge = after(50ms))]
async fn hedged() -> Option<u32> {
    Some(1)
}

fn main() {}
