// The error's type passed as a value, as tenacity's `retry_if_exception_type(IOError)` takes it:
// one error, saying to write it as a type argument.
use persevere::retry;

#[retry(retry_if = error_type(std::io::Error))]
fn read() -> Result<u32, Box<dyn std::error::Error>> {
    Ok(1)
}

fn main() {}
