use persevere::retry;
// Where `#[retry]` goes: one error each, saying where instead.

#[derive(Debug)]
struct ApiError;

struct Client;

#[retry]
impl Client {
    fn get(&self) -> Result<u32, ApiError> {
        Ok(1)
    }
}

#[async_trait::async_trait]
trait Api {
    async fn fetch(&self) -> Result<u32, ApiError>;
}

#[async_trait::async_trait]
impl Api for Client {
    #[retry]
    #[async_trait::async_trait]
    async fn fetch(&self) -> Result<u32, ApiError> {
        Ok(1)
    }
}

#[retry = "stop = attempts(3)"]
fn name_value() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = Client.get();
    let _ = name_value();
}
