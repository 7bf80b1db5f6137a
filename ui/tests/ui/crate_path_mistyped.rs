use persevere::retry;

// A `crate = ..` path that does not resolve: one error, at the path (not one per use of the
// runtime in the expansion).
#[retry(crate = persevre)]
fn mistyped() -> Result<(), String> {
    Ok(())
}

// A path that resolves to something else: one error, naming the module as written.
#[retry(crate = std::time)]
fn not_persevere() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = mistyped();
    let _ = not_persevere();
}
