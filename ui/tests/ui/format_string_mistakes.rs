// A format string that is not one: rustc's own error, once (the attribute reads the names a
// format string reads, and leaves what is no name to rustc).
use persevere::retry;

#[derive(Debug)]
struct Busy;

#[retry(stop = attempts(2), after = |_| println!("{a²}"))]
fn not_a_name() -> Result<u32, Busy> {
    Ok(1)
}

fn main() {}
