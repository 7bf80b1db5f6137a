use persevere::retry;

// On a closure: rustc refuses attributes on expressions; the attribute says where it goes, and
// the closure is kept as it is (an `||` is not read as a logical or).
fn main() {
    let call = #[retry] || Ok::<(), String>(());
    let typed = #[retry] || -> Result<(), String> { Ok(()) };
    let _ = (call(), typed());
}
