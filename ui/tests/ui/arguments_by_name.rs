// A strategy maker's arguments given by name, as tenacity's keyword arguments are: one error
// saying to give them by position.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

#[retry(stop = attempts(max_attempt_number = 3))]
fn attempts_by_name() -> Result<u32, Flaky> { Ok(1) }

#[retry(wait = fixed(wait = 2s))]
fn fixed_by_name() -> Result<u32, Flaky> { Ok(1) }

fn main() {}
