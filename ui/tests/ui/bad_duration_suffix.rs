use persevere::retry;

#[retry(wait = fixed(4sec) + fixed(3d))]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
