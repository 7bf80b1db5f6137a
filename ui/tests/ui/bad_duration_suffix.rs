use persevere::retry;

#[retry(wait = fixed(4sec) + fixed(3d))]
fn send() -> Result<(), String> {
    Ok(())
}

// Several units in one literal.
#[retry(wait = fixed(1h30m))]
fn compound_literal() -> Result<(), String> {
    Ok(())
}

// A negative duration.
#[retry(wait = fixed(-1s))]
fn negative() -> Result<(), String> {
    Ok(())
}

// A negative time limit: no mention of waits.
#[retry(timeout = -1s)]
async fn negative_limit() -> Result<(), std::io::Error> {
    Ok(())
}

fn main() {
    let _ = send();
    let _ = compound_literal();
    let _ = negative();
    let _ = negative_limit();
}
