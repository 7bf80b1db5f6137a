use persevere::retry;

#[derive(Debug)]
struct Down;

impl std::fmt::Display for Down {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("down")
    }
}

// tenacity's level name.
#[retry(before_sleep = log(WARNING))]
fn upper_case_level() -> Result<(), Down> {
    Ok(())
}

// A limit written as a key.
#[retry(attempts = 3)]
fn limit_as_a_key() -> Result<(), Down> {
    Ok(())
}

// A strategy without its key.
#[retry(attempts(3), exponential(max = 10s))]
fn strategy_without_its_key() -> Result<(), Down> {
    Ok(())
}

// The micro sign.
#[retry(wait = 5µs)]
fn micro_sign() -> Result<(), Down> {
    Ok(())
}

fn is_busy(_: &Down) -> bool {
    true
}

// `||` between conditions.
#[retry(retry_if = on_error(is_busy) || on_error(is_busy))]
fn or_between_conditions() -> Result<(), Down> {
    Ok(())
}

fn main() {
    let _ = upper_case_level();
    let _ = limit_as_a_key();
    let _ = strategy_without_its_key();
    let _ = micro_sign();
    let _ = or_between_conditions();
}
