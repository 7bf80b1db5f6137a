use persevere::retry;

#[derive(Clone)]
struct Request;

impl Request {
    #[retry]
    fn send(self) -> Result<(), String> {
        Ok(())
    }
}

fn main() {
    let _ = Request.send();
}
