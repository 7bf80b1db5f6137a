use persevere::retry;

#[retry(wait = exponential(min = 10s, max = 4s))]
fn send() -> Result<(), String> {
    Ok(())
}

#[retry(wait = random(5s, 1s))]
fn bounds_in_place() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
    let _ = bounds_in_place();
}
