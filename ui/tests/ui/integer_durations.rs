use persevere::retry;
// One error per mistake, at the value.

#[retry(wait = fixed(2))]
fn fixed_seconds() -> Result<(), String> { Ok(()) }

#[retry(wait = exponential(min = 4, max = 10))]
fn exponential_seconds() -> Result<(), String> { Ok(()) }

#[retry(wait = exponential(multiplier = 100))]
fn multiplier_number() -> Result<(), String> { Ok(()) }

#[retry(total_timeout = 10)]
async fn total_timeout_number() -> Result<(), persevere::Timeout> { Ok(()) }

#[retry(wait = |_| 5)]
fn closure_number() -> Result<(), String> { Ok(()) }

fn main() {}
