use persevere::retry;

// rustc's suggestions for a strategy's arguments replace the arguments as written (not
// `random(/* Duration */, /* Duration */)(1s..3s)`).
#[retry(wait = random(1s..3s))]
fn range_for_two_arguments() -> Result<(), String> {
    Ok(())
}

#[retry(before_sleep = log())]
fn level_left_out() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = (range_for_two_arguments(), level_left_out());
}
