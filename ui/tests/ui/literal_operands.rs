// A number or a duration beside a stop's `|`/`&` or a wait's `+`: one error at it, saying what
// to write there.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

#[retry(stop = attempts(3) | 10s)]
fn duration_as_a_stop() -> Result<u32, Flaky> { Ok(1) }

#[retry(stop = 3 | elapsed(10s))]
fn number_as_a_stop() -> Result<u32, Flaky> { Ok(1) }

#[retry(wait = fixed(1s) + 2)]
fn number_as_a_wait() -> Result<u32, Flaky> { Ok(1) }

#[retry(wait = fixed(1s) + 500ms, stop = attempts(3) | elapsed(10s))]
fn durations_are_waits() -> Result<u32, Flaky> { Ok(1) }

fn main() {}
