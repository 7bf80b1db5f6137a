use persevere::retry;

// Four problems, all reported together, and no error at the call site.
#[retry(stop = attempts(0), wait = fixed(1xs), colour = red, wait = fixed(1s))]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
