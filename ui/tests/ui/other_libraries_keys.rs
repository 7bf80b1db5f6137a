// Other libraries' keys, one error each saying what to write here: a switch, tenacity's
// conditions under its `retry` key, resilience4j's and Spring Retry's settings, and a delay in
// Spring's milliseconds, and a setting assigned rather than given.
use persevere::retry;

fn is_transient(_: &std::io::Error) -> bool {
    true
}

#[retry(retry = true)]
fn a_switch_on() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(retry = false)]
fn a_switch_off() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(retry = retry_if_exception(is_transient))]
fn tenacitys_predicate() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(retry = retry_if_exception_type(std::io::Error))]
fn tenacitys_type() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(retryExceptions = std::io::Error)]
fn resilience4js_exceptions() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(ignoreExceptions = std::io::Error)]
fn resilience4js_ignored() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(fallbackMethod = "cached")]
fn a_fallback_method() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(enableExponentialBackoff = true)]
fn exponential_switch() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(exponentialBackoffMultiplier = 2)]
fn a_multiplier() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(backoff = Backoff(delay = 100))]
fn springs_backoff() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(delay = 1000)]
fn a_delay_in_milliseconds() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(with_max_times = 3)]
fn backons_count() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(stop = attempts = 3)]
fn a_setting_assigned() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(stop = max_attempts = 3)]
fn another_librarys_setting_assigned() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(retryExceptions = [std::io::Error])]
fn resilience4js_list() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(multiplier = 100ms)]
fn a_first_wait() -> Result<u32, std::io::Error> {
    Ok(1)
}

fn main() {
    let _ = (a_switch_on(), a_switch_off(), tenacitys_predicate(), tenacitys_type());
    let _ = (resilience4js_exceptions(), resilience4js_ignored(), a_fallback_method());
    let _ = (exponential_switch(), a_multiplier(), springs_backoff());
    let _ = (a_delay_in_milliseconds(), backons_count(), a_setting_assigned());
    let _ = (another_librarys_setting_assigned(), resilience4js_list(), a_first_wait());
}
