use persevere::retry;

#[retry(stop = attempts(3))]
fn shown() -> Result<impl std::fmt::Display, String> {
    Ok(1)
}

#[retry(stop = attempts(3))]
fn future_by_hand() -> impl std::future::Future<Output = Result<u32, String>> + Send {
    async { Ok(1) }
}

fn main() {
    let _ = shown();
    let _ = future_by_hand();
}
