// `log(..)`, a hook, written as a stop, a wait or a condition: one error each, saying which keys
// take it.
use persevere::retry;

#[derive(Debug)]
struct Busy;

#[retry(retry_if = log(warn))]
fn as_a_condition() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(stop = log(info))]
fn as_a_stop() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(wait = log(warn).values())]
fn as_a_wait() -> Result<u32, Busy> {
    Ok(1)
}

fn main() {}
