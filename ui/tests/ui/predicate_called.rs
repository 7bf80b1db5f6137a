// A predicate on the error called rather than named: one error at the call, naming the
// function's signature and saying to name it.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

impl Flaky {
    fn is_transient(&self) -> bool {
        true
    }
}

#[retry(retry_if = Flaky::is_transient())]
fn a_method_called() -> Result<u32, Flaky> {
    Ok(1)
}

fn is_busy(_: &Flaky) -> bool {
    true
}

#[retry(retry_if = !is_busy() | any_error())]
fn negated_and_combined() -> Result<u32, Flaky> {
    Ok(1)
}

fn main() {
    let _ = is_busy;
    let _ = Flaky.is_transient();
}
