// Strategies combined by a function's name, as other languages do: one error each, saying which
// operator to write.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

fn is_busy(_: &Flaky) -> bool {
    true
}

fn is_slow(_: &Flaky) -> bool {
    true
}

#[retry(retry_if = any(is_busy, is_slow))]
fn either_condition() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(retry_if = not(is_busy))]
fn negated_condition() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(stop = all(attempts(3), elapsed(10s)))]
fn both_stops() -> Result<u32, Flaky> {
    Ok(1)
}

fn main() {
    let _ = (is_busy, is_slow);
}
