// Other libraries' keys, each told the key and value to write here.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

#[retry(retry = 3)]
fn a_count() -> Result<u32, Flaky> { Ok(1) }

#[retry(retry_if_result = |n: &u32| *n == 0)]
fn result_predicate() -> Result<u32, Flaky> { Ok(1) }

#[retry(retry_if_exception_type = std::io::Error)]
fn exception_type() -> Result<u32, Flaky> { Ok(1) }

#[retry(wait_exponential = 2)]
fn wait_maker_as_a_key() -> Result<u32, Flaky> { Ok(1) }

// Keys that name another key's job, and keys spelt with hyphens.
#[retry(attempt_timeout = 1s)]
async fn per_attempt_limit() -> Result<u32, Flaky> { Ok(1) }

#[retry(stop_after = 3)]
fn a_count_after() -> Result<u32, Flaky> { Ok(1) }

#[retry(jitter = 1s)]
fn jitter_as_a_key() -> Result<u32, Flaky> { Ok(1) }

#[retry(on_error = is_flaky)]
fn a_condition_key() -> Result<u32, Flaky> { Ok(1) }

#[retry(before-sleep = log(warn))]
fn hyphenated() -> Result<u32, Flaky> { Ok(1) }

#[retry(retry-if = is_flaky)]
fn hyphenated_keyword() -> Result<u32, Flaky> { Ok(1) }

fn main() {}
