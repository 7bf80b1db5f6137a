use persevere::retry;
// One error per mistake, at the value.

#[derive(Debug)]
struct ApiError;

#[retry(after = |e: &ApiError| println!("{e:?}"))]
fn hook_taking_the_error() -> Result<(), ApiError> { Ok(()) }

#[retry(stop = |state| state.attempt())]
fn stop_returning_a_number() -> Result<(), ApiError> { Ok(()) }

fn main() {}
