use persevere::retry;

// Mistakes in the attribute's own syntax: reported by the macro, all at once.
#[retry(
    wait = chain(),
    attempt = 3,
    stop = elapsed(limit = 1s, 2s),
    retry_if = on_error(x = 1, x = 2),
)]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
