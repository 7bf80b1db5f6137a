use persevere::retry;

#[retry(policy = 3)]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
