use persevere::retry;

// On a call: rustc refuses attributes on expressions; the attribute says to run the call through
// a `Policy`, and the call is kept as it is, with no error of its own.
fn fetch() -> Result<u32, String> {
    Ok(1)
}

fn main() {
    let fetched = #[retry] fetch();
    let _ = fetched;
}
