use persevere::retry;

// On an async block: rustc refuses attributes on expressions; the attribute says where it goes,
// and the block is kept as it is (no "macro expansion ignores keyword `async`").
fn main() {
    let future = #[retry] async { Ok::<(), String>(()) };
    drop(future);
}
