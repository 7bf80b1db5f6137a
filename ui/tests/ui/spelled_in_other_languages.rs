use persevere::retry;
// Keys, operators and settings as tenacity, backon, Spring Retry or Python spell them: one error
// each, at the token, saying what to write.

#[retry(beforeSleep = log(warn))]
fn camel_case_key() -> Result<(), String> { Ok(()) }

#[retry(maxAttempts = 3)]
fn spring_max_attempts() -> Result<(), String> { Ok(()) }

#[retry(stop = attempts(3), wiat = fixed(1s))]
fn swapped_letters() -> Result<(), String> { Ok(()) }

#[retry(stop = attempts(3), reraise = true)]
fn tenacity_reraise() -> Result<(), String> { Ok(()) }

#[retry(retry_error_callback = |_| Ok(()))]
fn tenacity_error_callback() -> Result<(), String> { Ok(()) }

#[retry(max_times = 3)]
fn backon_max_times() -> Result<(), String> { Ok(()) }

#[retry(when = |e: &String| e.is_empty())]
fn backon_when() -> Result<(), String> { Ok(()) }

#[retry(notify = |_| ())]
fn backon_notify() -> Result<(), String> { Ok(()) }

#[retry(delay = 1s)]
fn spring_delay() -> Result<(), String> { Ok(()) }

#[retry(backoff = exponential(max = 10s))]
fn spring_backoff() -> Result<(), String> { Ok(()) }

#[retry(wait = exponential(), max_delay = 10s)]
fn backon_max_delay() -> Result<(), String> { Ok(()) }

#[retry(retry_for = is_transient)]
fn spring_retry_for() -> Result<(), String> { Ok(()) }

#[retry(stop = attempts(3) or elapsed(10s))]
fn python_or() -> Result<(), String> { Ok(()) }

#[retry(stop = attempts(3) and elapsed(10s))]
fn python_and() -> Result<(), String> { Ok(()) }

#[retry(retry_if = not is_fatal)]
fn python_not() -> Result<(), String> { Ok(()) }

#[retry(wait = exponential(min: 4s, max: 10s))]
fn settings_with_colons() -> Result<(), String> { Ok(()) }

#[retry(stop == attempts(3))]
fn double_equals() -> Result<(), String> { Ok(()) }

fn main() {}
