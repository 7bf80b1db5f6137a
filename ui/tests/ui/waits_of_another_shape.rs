// Waits written in another library's shape: a tuple of durations, and a duration as the growth
// factor. One error each, saying what to write.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

#[retry(wait = (1s, 3s))]
fn a_pair() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(wait = (1s, 2s, 5s))]
fn a_sequence() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(wait = exponential(base = 2s))]
fn a_duration_as_the_factor() -> Result<u32, Flaky> {
    Ok(1)
}

fn main() {}
