use persevere::retry;

#[retry(stop attempts(3), wait = fixed(1s), retry_if)]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
