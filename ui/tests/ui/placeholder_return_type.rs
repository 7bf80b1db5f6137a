use persevere::retry;
// `_` in a return type is rustc's error, alone: the function is left as written.

#[derive(Debug)]
struct ApiError;

#[retry]
fn inferred() -> Result<_, _> {
    Ok::<u32, ApiError>(1)
}

fn main() {
    let _ = inferred();
}
