// The error's type passed as a value, as tenacity's `retry_if_exception_type(IOError)` takes it:
// one error, saying to write it as a type argument.
use persevere::retry;

#[retry(retry_if = error_type(std::io::Error))]
fn read() -> Result<u32, Box<dyn std::error::Error>> {
    Ok(1)
}


// A type named by one capital, and an associated type: either might be a value (a constant, a
// variant) that a function of the user's named `error_type` takes, so rustc's errors stand.
#[derive(Debug)]
struct E;

impl std::fmt::Display for E {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("e")
    }
}

impl std::error::Error for E {}

#[retry(retry_if = error_type(E))]
fn one_capital() -> Result<u32, E> {
    Ok(1)
}

trait Client {
    type Error: std::error::Error + 'static;
    fn call(&self) -> Result<u32, Self::Error>;
}

struct Http;

impl Client for Http {
    type Error = E;

    #[retry(retry_if = error_type(Self::Error))]
    fn call(&self) -> Result<u32, Self::Error> {
        Ok(1)
    }
}

fn main() {}
