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

fn main() {
    let _ = unknown_choice();
    let _ = not_a_choice();
}
