use persevere::retry;

#[retry(stp = attempts(3), retry_when = |_e| true)]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    // The function is still emitted, so this call raises no second error.
    let _ = send();
}
