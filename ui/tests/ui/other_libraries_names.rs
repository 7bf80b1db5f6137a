// Other libraries' makers as values, one error each at the name, saying what to write here:
// tenacity's with units, and the names other retry libraries give a fixed, linear, Fibonacci or
// exponential wait, a count of attempts, and a time limit as a stop.
use persevere::retry;

#[retry(wait = wait_fixed(2s))]
fn tenacity_fixed_with_a_unit() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(stop = stop_after_delay(10s))]
fn tenacity_delay_with_a_unit() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(wait = constant(1s))]
fn constant_wait() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(wait = linear(1s))]
fn linear_wait() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(wait = fibonacci(1s))]
fn fibonacci_wait() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(wait = expo(1s))]
fn expo_wait() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(stop = times(3))]
fn times_stop() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(stop = max_tries(3))]
fn max_tries_stop() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(stop = after_attempts(3))]
fn after_attempts_stop() -> Result<u32, std::io::Error> {
    Ok(1)
}

#[retry(stop = timeout(30s))]
fn timeout_as_a_stop() -> Result<u32, std::io::Error> {
    Ok(1)
}

fn main() {
    let _ = tenacity_fixed_with_a_unit();
    let _ = tenacity_delay_with_a_unit();
    let _ = constant_wait();
    let _ = linear_wait();
    let _ = fibonacci_wait();
    let _ = expo_wait();
    let _ = times_stop();
    let _ = max_tries_stop();
    let _ = after_attempts_stop();
    let _ = timeout_as_a_stop();
}
