use persevere::retry;

// Not one of the two choices.
#[retry(nested = twice)]
fn unknown_choice() -> Result<(), ()> {
    Ok(())
}

// A value of the wrong type.
#[retry(nested = true)]
fn not_a_choice() -> Result<(), ()> {
    Ok(())
}

// `span` takes a `bool`.
const ON: &str = "on";

#[retry(span = ON)]
fn span_as_a_number() -> Result<(), ()> {
    Ok(())
}

fn main() {
    let _ = span_as_a_number();
    let _ = unknown_choice();
    let _ = not_a_choice();
}
