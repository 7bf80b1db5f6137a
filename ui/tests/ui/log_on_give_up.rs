// `log(..)` is a hook: under `on_give_up`, which makes what the call returns, it is one error
// saying to write it in `on_finish`.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

impl std::fmt::Display for Flaky {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("flaky")
    }
}

#[retry(on_give_up = log(warn))]
fn logs_giving_up() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(on_give_up = log(info).values())]
fn logs_values_giving_up() -> Result<u32, Flaky> {
    Ok(1)
}

fn main() {}
