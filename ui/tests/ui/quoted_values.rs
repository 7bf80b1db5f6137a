// A value written as a string, as configuration files write them: one error each, saying to
// write it without quotes.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

fn is_transient(_: &Flaky) -> bool {
    true
}

#[retry(stop = "attempts(3)")]
fn a_quoted_stop() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(retry_if = "is_transient")]
fn a_quoted_condition() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(wait = "exponential(max = 10s)")]
fn a_quoted_wait() -> Result<u32, Flaky> {
    Ok(1)
}

fn main() {
    let _ = is_transient;
}
