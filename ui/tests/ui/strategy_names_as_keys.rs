// A strategy's name, or another library's name for a key's job, written as a key: each one error
// at the key, saying which key and value to write.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

static SHUTDOWN: persevere::Shutdown = persevere::Shutdown::new();

fn is_fatal(_: &Flaky) -> bool {
    false
}

#[retry(elapsed = 10s)]
fn a_stop_as_a_key() -> Result<u32, Flaky> { Ok(1) }

#[retry(exponential = 1s)]
fn a_wait_as_a_key() -> Result<u32, Flaky> { Ok(1) }

#[retry(fixed = 1s)]
fn a_fixed_wait_as_a_key() -> Result<u32, Flaky> { Ok(1) }

#[retry(hedging = 50ms)]
async fn hedging_as_a_key() -> Result<u32, Flaky> { Ok(1) }

#[retry(retry_unless = is_fatal)]
fn errors_not_to_retry() -> Result<u32, Flaky> { Ok(1) }

#[retry(log = warn)]
fn a_log_key() -> Result<u32, Flaky> { Ok(1) }

#[retry(label = "fetch")]
fn a_label() -> Result<u32, Flaky> { Ok(1) }

#[retry(per_try_timeout = 1s)]
async fn per_try() -> Result<u32, Flaky> { Ok(1) }

#[retry(cancel = &SHUTDOWN)]
fn cancel_as_a_key() -> Result<u32, Flaky> { Ok(1) }

#[retry(stop => attempts(3))]
fn an_arrow() -> Result<u32, Flaky> { Ok(1) }

fn main() {
    let _ = is_fatal;
}
