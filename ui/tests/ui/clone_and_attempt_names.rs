use persevere::retry;
// `clone(..)` lists names, and `attempt = ..` does not hide an argument: one error each, at it.

#[derive(Debug)]
struct ApiError;

#[retry(clone(message.clone()))]
fn clone_of_a_call(message: String) -> Result<(), ApiError> {
    drop(message);
    Ok(())
}

#[retry(clone(&message))]
fn clone_of_a_borrow(message: String) -> Result<(), ApiError> {
    drop(message);
    Ok(())
}

#[retry(attempt = message)]
fn attempt_named_like_an_argument(message: &str) -> Result<usize, ApiError> {
    Ok(message.len())
}

fn main() {}
