use persevere::retry;

#[retry(wait = exponential(min = 10s, max = 4s))]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
