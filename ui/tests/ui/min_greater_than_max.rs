use persevere::retry;

#[retry(wait = exponential(min = 10s, max = 4s))]
fn send() -> Result<(), String> {
    Ok(())
}

#[retry(wait = random(5s, 1s))]
fn bounds_in_place() -> Result<(), String> {
    Ok(())
}

// The first wait written above the cap: every wait would be the cap.
#[retry(wait = incrementing(start = 10s, increment = 1s, max = 5s))]
fn start_above_max() -> Result<(), String> {
    Ok(())
}

#[retry(wait = decorrelated_jitter(initial = 10s, max = 1s))]
fn initial_above_max() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
    let _ = bounds_in_place();
    let _ = start_above_max();
    let _ = initial_above_max();
}
