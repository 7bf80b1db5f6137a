use persevere::retry;

#[retry(retry_if_ok = true)]
fn flag() -> Result<u32, String> {
    Ok(1)
}

fn main() {
    let _ = flag();
}
