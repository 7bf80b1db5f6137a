use persevere::retry;

#[derive(Clone)]
struct Request;

struct Named {
    name: String,
}

impl Named {
    // A field moved out of `self`: each attempt would need it again.
    #[retry]
    fn name(self) -> Result<String, String> {
        Ok(self.name)
    }
}

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
