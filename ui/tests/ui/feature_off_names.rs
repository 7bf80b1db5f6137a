// A runtime name behind a feature that is off (this package builds persevere without `regex`):
// one error at the name, saying which feature to turn on.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

impl std::fmt::Display for Flaky {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("flaky")
    }
}

#[retry(stop = attempts(3), retry_if = message_matches("^5"))]
fn matched() -> Result<u32, Flaky> {
    Ok(1)
}

fn main() {}
