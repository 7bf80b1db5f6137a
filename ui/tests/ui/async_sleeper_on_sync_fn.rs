use persevere::retry;

#[retry(sleep = tokio::time::sleep)]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
