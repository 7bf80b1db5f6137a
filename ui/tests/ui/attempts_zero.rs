use persevere::retry;

#[retry(stop = attempts(0))]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
