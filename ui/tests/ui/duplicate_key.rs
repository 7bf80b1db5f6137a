use persevere::retry;

#[retry(stop = attempts(3), wait = fixed(1s), stop = attempts(5))]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
