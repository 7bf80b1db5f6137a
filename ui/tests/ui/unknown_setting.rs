use persevere::retry;

#[retry(wait = exponential(mn = 1s, max = 10s), stop = attempts(3, 4))]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
