// tenacity's wait makers, with their settings by name as tenacity's docs write them: one error
// each, naming what to write, however many settings follow.
use persevere::retry;

#[retry(wait = wait_exponential(multiplier = 1, min = 4, max = 10))]
fn exponential_seconds() -> Result<(), std::io::Error> { Ok(()) }

#[retry(wait = wait_random_exponential(multiplier = 1, max = 60))]
async fn random_exponential_seconds() -> Result<(), std::io::Error> { Ok(()) }

#[retry(wait = wait_exponential_jitter(initial = 1, exp_base = 2, jitter = 1))]
fn exponential_jitter_seconds() -> Result<(), std::io::Error> { Ok(()) }

#[retry(wait = wait_incrementing(start = 0, increment = 1, max = 10))]
fn incrementing_seconds() -> Result<(), std::io::Error> { Ok(()) }

#[retry(wait = wait_random(min = 1, max = 2))]
fn random_seconds_by_name() -> Result<(), std::io::Error> { Ok(()) }

#[retry(wait = wait_fixed(3) + wait_random(0, 2))]
fn fixed_plus_random() -> Result<(), std::io::Error> { Ok(()) }

#[retry(wait = wait_none())]
fn no_wait() -> Result<(), std::io::Error> { Ok(()) }

fn main() {}
