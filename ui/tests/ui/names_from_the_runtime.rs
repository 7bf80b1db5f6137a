use persevere::retry;

// A name the runtime does not have is the compiler's to report, with its own suggestion.
#[retry(before = log(warning))]
fn level() -> Result<(), String> {
    Ok(())
}

#[retry(wait = exponentail(min = 1s))]
fn strategy() -> Result<(), String> {
    Ok(())
}

#[retry(wait = exponential(mn = 1s))]
fn setting() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = (level(), strategy(), setting());
}
