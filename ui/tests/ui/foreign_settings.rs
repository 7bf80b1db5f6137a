// Other libraries' names for a wait's settings: one error each, at the setting, saying the name
// to write here.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

#[retry(wait = exponential(max_delay = 10s, exp_base = 3))]
fn backon_and_tenacity_names() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(wait = exponential(jitter = 1s))]
fn jitter_on_a_plain_curve() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(wait = incrementing(step = 1s))]
fn a_step() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(wait = random(low = 1s, high = 2s))]
fn bounds_named_otherwise() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(wait = exponential(max_retries = 3))]
fn a_count_among_the_settings() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(wait = exponential(start = 1s))]
fn a_start() -> Result<u32, Flaky> {
    Ok(1)
}

// The same names as methods, the way a builder is configured.
#[retry(wait = exponential(max = 10s).jitter(500ms))]
fn jitter_as_a_method() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(wait = exponential().max_delay(10s))]
fn a_cap_as_a_method() -> Result<u32, Flaky> {
    Ok(1)
}

fn main() {}
