// Durations given in place to the runtime's wait makers, which take their settings by name: one
// error each, at the maker, naming the durations as its settings.
use persevere::retry;

#[retry(wait = exponential(4s, 10s))]
fn exponential_in_place() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(wait = exponential(100ms, 10s) + random(0s, 1s))]
fn in_place_in_a_sum() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(wait = incrementing(1s, 500ms))]
fn incrementing_in_place() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(wait = decorrelated_jitter(100ms, 10s))]
fn decorrelated_in_place() -> Result<u32, std::io::Error> {
    Ok(1)
}

fn main() {
    let _ = (exponential_in_place(), in_place_in_a_sum());
    let _ = (incrementing_in_place(), decorrelated_in_place());
}
