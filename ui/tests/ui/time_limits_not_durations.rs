// A time limit is a `Duration`: an `Option` (written, or a parameter's) is a type error at it,
// with rustc's help in place (the limit that may be absent is `unwrap_or(Duration::MAX)`).
use std::time::Duration;

use persevere::{Timeout, retry};

#[derive(Debug)]
struct Flaky;

impl From<Timeout> for Flaky {
    fn from(_: Timeout) -> Flaky {
        Flaky
    }
}

#[retry(timeout = Some(Duration::from_secs(5)))]
async fn written_option() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(total_timeout = limit)]
async fn optional_parameter(limit: Option<Duration>) -> Result<u32, Flaky> {
    let _ = limit;
    Ok(1)
}

#[retry(timeout = limit.unwrap_or(Duration::MAX))]
async fn unwrapped_is_fine(limit: Option<Duration>) -> Result<u32, Flaky> {
    let _ = limit;
    Ok(1)
}

fn main() {}
