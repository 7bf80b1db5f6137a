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

// Already `Clone`: the advice is the attribute's alone.
#[retry]
fn bounded_moved<T: Clone>(value: T) -> Result<T, std::io::Error> {
    Ok(value)
}

fn main() {
    let _ = destructured(("a".into(), "b".into()));
    let _ = Box::new(Job("x".into())).boxed();
    let _ = generic_moved(1u8);
    let _ = impl_trait_moved("a");
    let _ = bounded_moved(1u8);
}

// A generic argument, moved: its copy needs a bound too.
#[retry]
fn generic_moved<T>(value: T) -> Result<T, std::io::Error> {
    Ok(value)
}

#[retry]
fn impl_trait_moved(value: impl Into<String>) -> Result<String, std::io::Error> {
    let owned = value;
    Ok(owned.into())
}
