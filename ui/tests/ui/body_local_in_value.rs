use persevere::retry;

#[retry(stop = attempts(limit), wait = fixed(pause))]
fn send() -> Result<(), String> {
    let limit = 3;
    let pause = std::time::Duration::from_secs(1);
    let _ = (limit, pause);
    Ok(())
}

fn main() {
    let _ = send();
}
