// Values of a type that is no strategy, one error each whose notes say what to write: an
// error's variant as a condition, a `Vec` of waits, a tuple of stops, a duration in a stop.
use persevere::retry;

#[derive(Debug)]
enum ApiError {
    Timeout,
}

#[retry(retry_if = ApiError::Timeout)]
fn a_variant() -> Result<u32, ApiError> {
    Err(ApiError::Timeout)
}

#[retry(wait = vec![1s, 2s])]
fn a_vec_of_waits() -> Result<u32, ApiError> {
    Ok(1)
}

#[retry(stop = (attempts(3), elapsed(10s)))]
fn a_tuple_of_stops() -> Result<u32, ApiError> {
    Ok(1)
}

#[retry(stop = attempts(3) | 10s)]
fn a_duration_in_a_stop() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = (a_variant(), a_vec_of_waits(), a_tuple_of_stops(), a_duration_in_a_stop());
}
