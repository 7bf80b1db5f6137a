use persevere::retry;
// Two `#[retry]`s on one function would nest, multiplying their attempts: one error, at the
// second, and the function is kept.

#[retry(stop = attempts(3))]
#[retry(wait = fixed(1s))]
fn split_keys() -> Result<(), String> { Ok(()) }

#[persevere::retry]
#[retry(stop = attempts(2))]
fn spelled_two_ways() -> Result<(), String> { Ok(()) }

fn main() {
    let _ = (split_keys(), spelled_two_ways());
}
