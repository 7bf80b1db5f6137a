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

// Both limits, and a hedge with a limit, on a blocking function: one error each function.
#[retry(timeout = 1s, total_timeout = 10s)]
fn blocking_with_both() -> Result<(), std::io::Error> {
    Ok(())
}

#[retry(hedge = 50ms, timeout = 1s)]
fn blocking_hedged() -> Result<(), std::io::Error> {
    Ok(())
}

fn main() {
    let _ = blocking_with_both();
    let _ = blocking_hedged();
    let _ = blocking();
    let _ = without_from_timeout();
}
