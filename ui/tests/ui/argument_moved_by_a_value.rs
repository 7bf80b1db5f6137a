// A value that passes an argument on by value, when the argument is not `Copy`: one error at the
// argument, saying to pass a clone or a borrow (values run again at each retry, and read the
// function's arguments by reference).
use persevere::retry;

#[derive(Debug)]
struct Flaky;

impl std::fmt::Display for Flaky {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("flaky")
    }
}

struct Config {
    tries: u32,
}

fn tries_of(config: Config) -> persevere::stop::Attempts {
    persevere::stop::attempts(config.tries)
}

#[retry(stop = attempts(3), retry_if = message_contains(needle))]
fn searched(needle: String) -> Result<u32, Flaky> {
    let _ = needle;
    Ok(1)
}

#[retry(stop = tries_of(config))]
fn configured(config: Config) -> Result<u32, Flaky> {
    let _ = config.tries;
    Ok(1)
}

#[retry(stop = attempts(3), on_give_up = |_last, _state| Ok(fallback))]
async fn with_fallback(fallback: String) -> Result<String, Flaky> {
    let _ = &fallback;
    Err(Flaky)
}

// The whole value, for a key that takes it by value.
#[retry(stop = attempts(3), sleep = sleeper)]
fn slept_by(sleeper: Box<dyn Fn(std::time::Duration)>) -> Result<u32, Flaky> {
    let _ = &sleeper;
    Ok(1)
}

fn main() {}
