use persevere::retry;

#[retry(timeout = std::time::Duration::from_secs(1))]
fn blocking() -> Result<(), String> {
    Ok(())
}

#[derive(Debug)]
struct NoTimeouts;

#[retry(timeout = std::time::Duration::from_secs(1))]
async fn without_from_timeout() -> Result<(), NoTimeouts> {
    Ok(())
}

fn main() {
    let _ = blocking();
    let _ = without_from_timeout();
}
