use persevere::retry;

// One error per mistake, at the value.
#[retry(retry_if = 5u8)]
fn number() -> Result<(), String> {
    Ok(())
}

#[retry(retry_if = |code: &u32| *code == 503)]
fn closure_of_another_type() -> Result<(), String> {
    Ok(())
}

#[retry(wait = |_| 5)]
fn closure_returning_a_number() -> Result<(), String> {
    Ok(())
}

fn is_transient(_: &String) -> bool {
    true
}

// A predicate called rather than named: rustc's arity error, and the condition's note saying
// to name it.
#[retry(retry_if = is_transient())]
fn predicate_called() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = (number(), closure_of_another_type(), closure_returning_a_number());
    let _ = predicate_called();
}
