use persevere::{DynPolicy, Policy, retry};
use std::sync::LazyLock;
// A policy built for another outcome: each of its parts says which outcome it is not for (one
// error per part, at the return type).

#[derive(Debug)]
struct ApiError;

static POLICY: LazyLock<DynPolicy<u32, ApiError>> = LazyLock::new(|| Policy::new().boxed());

#[retry(policy = &POLICY)]
fn returns_nothing() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = returns_nothing();
}
