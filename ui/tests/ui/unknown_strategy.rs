use persevere::retry;

#[retry(wait = exponentail(min = 1s, max = 10s), stop = atempts(max = 3))]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
