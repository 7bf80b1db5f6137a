// The statuses given one by one: one error, saying to list them.
use persevere::retry;

#[derive(Debug)]
struct Failed;

#[retry(retry_if = statuses(429, 503))]
fn listed_one_by_one() -> Result<u32, Failed> {
    Ok(1)
}

fn main() {}
