// A parameter of the wrong type read by a value: the error is at the parameter's token, and
// rustc's suggestion goes there (`*max`), not after the attribute.
use std::time::Duration;

use persevere::{Timeout, retry};

#[derive(Debug)]
struct Flaky;

impl From<Timeout> for Flaky {
    fn from(_: Timeout) -> Flaky {
        Flaky
    }
}

#[retry(stop = attempts(max))]
fn borrowed_count(max: &u32) -> Result<u32, Flaky> {
    let _ = max;
    Ok(1)
}

#[retry(timeout = limit)]
async fn borrowed_limit(limit: &Duration) -> Result<u32, Flaky> {
    let _ = limit;
    Ok(1)
}

#[retry(wait = fixed(pause))]
fn optional_pause(pause: Option<Duration>) -> Result<u32, Flaky> {
    let _ = pause;
    Ok(1)
}

fn main() {}
