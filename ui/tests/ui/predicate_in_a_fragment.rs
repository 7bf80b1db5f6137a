// A predicate called rather than named, from a `macro_rules!` fragment: one error, as written
// in place.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

fn is_busy(_: &Flaky) -> bool {
    true
}

macro_rules! retried {
    ($condition:expr) => {
        #[retry(stop = attempts(3), retry_if = $condition)]
        fn fetch() -> Result<u32, Flaky> {
            Err(Flaky)
        }
    };
}

retried!(!is_busy());

fn main() {
    let _ = is_busy;
}
