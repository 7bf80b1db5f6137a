use persevere::retry;

// A `crate = ..` path that does not resolve: one error, at the path (not one per use of the
// runtime in the expansion).
#[retry(crate = persevre)]
fn mistyped() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = mistyped();
}
