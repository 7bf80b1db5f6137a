use persevere::retry;

// Moves of by-value bindings the body makes, wherever the binding comes from.
fn deliver(text: String) -> Result<usize, String> {
    Ok(text.len())
}

#[retry(stop = attempts(2), wait = none)]
fn destructured((first, _second): (String, String)) -> Result<usize, String> {
    deliver(first)
}

struct Job(String);

impl Job {
    fn finish(self: Box<Self>) -> Result<usize, String> {
        Ok(self.0.len())
    }

    #[retry(stop = attempts(2), wait = none)]
    fn boxed(self: Box<Self>) -> Result<usize, String> {
        Job::finish(self)
    }
}

fn main() {
    let _ = destructured(("a".into(), "b".into()));
    let _ = Box::new(Job("x".into())).boxed();
}
