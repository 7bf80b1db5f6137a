use persevere::retry;

#[retry(wait = fixed(4 s))]
fn space_in_a_duration() -> Result<(), String> {
    Ok(())
}

#[retry(wait = 4 s)]
fn space_in_a_whole_duration() -> Result<(), String> {
    Ok(())
}

#[retry(stop = attempts(3), wait = fixed(1s) +)]
fn trailing_operator() -> Result<(), String> {
    Ok(())
}

#[retry(stop = , wait = fixed(1s))]
fn no_value() -> Result<(), String> {
    Ok(())
}

#[retry(wait = fixed(5 seconds))]
fn unit_spelled_out() -> Result<(), String> {
    Ok(())
}

#[retry(wait = exponential(min = .5s, max = 10s))]
fn no_leading_zero() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = space_in_a_duration();
    let _ = trailing_operator();
    let _ = no_value();
}
