use persevere::retry;
// One error per mistake, at the value.

#[derive(Debug)]
struct Plain;
impl std::fmt::Display for Plain { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("plain") } }

#[retry(wait = server_hint())]
fn hint_without_server_hint() -> Result<(), Plain> { Ok(()) }

#[retry(retry_if = error_codes(["Throttled"]))]
fn codes_without_error_code() -> Result<(), Plain> { Ok(()) }

#[retry(retry_if = persevere::http::retryable_status())]
fn status_without_http_status() -> Result<(), Plain> { Ok(()) }

#[retry(retry_if = retryable_status())]
fn status_not_imported() -> Result<(), Plain> { Ok(()) }

#[retry(retry_if = error_type::<std::io::Error>())]
fn error_type_on_a_non_error() -> Result<(), Plain> { Ok(()) }

#[retry(retry_if = network())]
fn network_on_a_non_error() -> Result<(), Plain> { Ok(()) }

fn main() {}
