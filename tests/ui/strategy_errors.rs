use persevere::retry;

#[retry(
    before = log(warning),
    wait = chain(),
    attempt = 3,
    retry_if = error_type(),
    stop = elapsed(limit = 1s, extra = 2s),
)]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
