use persevere::retry;
// A literal, list or range that no value of its key can be: one error each, at the value,
// saying what to write.

#[retry(stop = 30s)]
fn duration_as_stop() -> Result<(), String> { Ok(()) }

#[retry(stop = 5)]
fn number_as_stop() -> Result<(), String> { Ok(()) }

#[retry(stop = [attempts(3), elapsed(10s)])]
fn list_of_stops() -> Result<(), String> { Ok(()) }

#[retry(wait = 2)]
fn number_as_wait() -> Result<(), String> { Ok(()) }

#[retry(wait = [1s, 2s, 4s])]
fn list_of_waits() -> Result<(), String> { Ok(()) }

#[retry(wait = 1s..3s)]
fn range_as_wait() -> Result<(), String> { Ok(()) }

#[retry(wait = "500ms")]
fn quoted_wait() -> Result<(), String> { Ok(()) }

#[retry(sleep = 1s)]
fn duration_as_sleeper() -> Result<(), String> { Ok(()) }

#[retry(timeout = "5s")]
async fn quoted_timeout() -> Result<(), persevere::Timeout> { Ok(()) }

#[retry(hedge = 20)]
async fn number_as_hedge() -> Result<(), String> { Ok(()) }

#[retry(budget = 10)]
fn number_as_budget() -> Result<(), String> { Ok(()) }

#[retry(breaker = true)]
fn bool_as_breaker() -> Result<(), persevere::BreakerOpen> { Ok(()) }

#[retry(nested = "once")]
fn quoted_nested() -> Result<(), String> { Ok(()) }

fn main() {}

#[retry(wait = chain([fixed(1s), fixed(2s)]))]
fn chain_of_a_list() -> Result<(), String> { Ok(()) }
