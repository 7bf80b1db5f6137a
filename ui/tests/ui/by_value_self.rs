use persevere::retry;

#[derive(Clone)]
struct Request;

impl Request {
    // Moved by the body: each attempt would need it again.
    #[retry]
    fn send(self) -> Result<(), String> {
        drop(self);
        Ok(())
    }
}

fn main() {
    let _ = Request.send();
}
