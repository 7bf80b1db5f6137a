// Other libraries' shapes, one error each saying what to write here: tenacity's exception types
// passed as values (one, a tuple, a negation, `unless`, a cause), a strategy written without its key, python-backoff's
// `backoff = 2` factor and a delay without a unit, and `clone` without names.
use persevere::retry;

#[derive(Debug)]
struct Busy;

#[retry(retry_if = retry_if_exception_type(std::io::Error))]
fn one_type() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(retry_if = retry_if_exception_type((std::io::Error, std::fmt::Error)))]
fn a_tuple_of_types() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(retry_if = retry_if_not_exception_type(std::io::Error))]
fn negated() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(retry_if = retry_unless_exception_type(std::io::Error))]
fn unless_a_type() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(retry_if = retry_if_exception_cause_type(std::io::Error))]
fn caused_by_a_type() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(retry_if = retry_if_exception_message(message = "busy"))]
fn a_message_by_keyword() -> Result<u32, Busy> {
    Ok(1)
}

fn is_busy(_: &Busy) -> bool {
    true
}

#[retry(retry_if = lambda e: is_busy(e))]
fn a_python_lambda() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(retry_if = e => is_busy(e))]
fn an_arrow_function() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(stop_after_attempt(3))]
fn stop_without_its_key() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(wait_exponential(multiplier = 1, max = 10))]
fn wait_without_its_key() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(before_sleep_log(logger, WARNING))]
fn logger_without_its_key() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(retry_if_ok(|v: &u32| *v == 0))]
fn a_key_called() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(backoff = 2)]
fn a_growth_factor() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(delay = 1)]
fn a_delay_without_a_unit() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(interval = 1e3)]
fn a_delay_with_an_exponent() -> Result<u32, Busy> {
    Ok(1)
}

#[retry(delay = base * 2)]
fn a_delay_computed(base: std::time::Duration) -> Result<u32, Busy> {
    Ok(base.as_secs() as u32)
}

#[retry(clone)]
fn clone_without_names(request: String) -> Result<usize, Busy> {
    Ok(request.len())
}

fn main() {}
