use persevere::retry;

#[retry(stop = attempts(3))]
fn shown() -> Result<impl std::fmt::Display, String> {
    Ok(1)
}

fn main() {
    let _ = shown();
}
