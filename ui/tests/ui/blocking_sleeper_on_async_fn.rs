use persevere::retry;

#[retry(sleep = std::thread::sleep)]
async fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}

// A call of the sleeper rather than the sleeper.
#[retry(sleep = tokio::time::sleep(std::time::Duration::from_secs(1)))]
async fn called() -> Result<(), String> {
    Ok(())
}
