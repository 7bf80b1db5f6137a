#![deny(async_fn_in_trait)]
// rustc's suggestions that rewrite a body edit the function, not the attribute: the expansion's
// body keeps the span of the function's braces.

use persevere::retry;

#[derive(Debug)]
pub struct ApiError;

pub trait Api {
    #[retry(stop = attempts(3))]
    async fn fetch(&self) -> Result<u32, ApiError> {
        Ok(1)
    }
}

fn main() {}
