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

fn main() {}
