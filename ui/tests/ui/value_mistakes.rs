use persevere::retry;
// One error per mistake, at the value.

#[retry(before = log(warning))]
fn level_name() -> Result<(), String> { Ok(()) }

#[retry(stop = attempts(3) || elapsed(10s))]
fn logical_or() -> Result<(), String> { Ok(()) }

#[retry(stop = attempts(3) + elapsed(10s))]
fn plus_on_stops() -> Result<(), String> { Ok(()) }

#[retry(wait = fixed(1s) | exponential())]
fn bar_on_waits() -> Result<(), String> { Ok(()) }

#[retry(retry_if = any_error() + on_ok(|n: &u32| *n == 0))]
fn plus_on_conditions() -> Result<u32, String> { Ok(1) }

async fn limit() -> u32 { 3 }
fn parse_limit() -> Result<u32, String> { Ok(3) }

#[retry(stop = attempts(limit().await))]
async fn await_in_value() -> Result<(), String> { Ok(()) }

#[retry(stop = attempts(parse_limit()?))]
fn question_mark_in_value() -> Result<(), String> { Ok(()) }

fn main() {}
