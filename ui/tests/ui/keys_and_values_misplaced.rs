use persevere::retry;

fn is_transient(_: &String) -> bool {
    true
}

// tenacity's own key for the condition.
#[retry(retry = is_transient)]
fn tenacity_key() -> Result<(), String> {
    Ok(())
}

// A predicate without its key.
#[retry(is_transient)]
fn predicate_without_its_key() -> Result<(), String> {
    Ok(())
}

// Another library's builder without a key.
#[retry(ExponentialBuilder::default())]
fn builder_without_a_key() -> Result<(), String> {
    Ok(())
}

// A log line without its key.
#[retry(log(warn))]
fn log_without_its_key() -> Result<(), String> {
    Ok(())
}

// A key written as a path.
#[retry(persevere::stop = attempts(3))]
fn key_as_a_path() -> Result<(), String> {
    Ok(())
}

// A misspelt key without a value.
#[retry(stp)]
fn misspelt_key_alone() -> Result<(), String> {
    Ok(())
}

// `clone` given a list.
#[retry(clone = [a, b])]
fn clone_given_a_list(a: String, b: String) -> Result<(), String> {
    drop((a, b));
    Ok(())
}

// `clone` nested.
#[retry(clone(clone(a)))]
fn clone_nested(a: String) -> Result<(), String> {
    drop(a);
    Ok(())
}

// `crate` without its path.
#[retry(crate)]
fn crate_alone() -> Result<(), String> {
    Ok(())
}

#[retry(crate = )]
fn crate_empty() -> Result<(), String> {
    Ok(())
}

fn main() {}
