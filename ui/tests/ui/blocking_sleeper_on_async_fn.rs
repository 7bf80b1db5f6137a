use persevere::retry;

#[retry(sleep = std::thread::sleep)]
async fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
