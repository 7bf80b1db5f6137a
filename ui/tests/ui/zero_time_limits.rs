// A time limit of zero: every attempt that waits for anything would be cut. One error each, at
// the literal.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

impl From<persevere::Timeout> for Flaky {
    fn from(_: persevere::Timeout) -> Flaky {
        Flaky
    }
}

#[retry(timeout = 0s)]
async fn each_attempt() -> Result<(), Flaky> {
    Ok(())
}

#[retry(total_timeout = 0ms)]
async fn the_whole_call() -> Result<(), Flaky> {
    Ok(())
}

// On a sync function, the time limit itself is the one error.
#[retry(timeout = 0s)]
fn blocking() -> Result<(), Flaky> {
    Ok(())
}

fn main() {}
