use persevere::retry;

#[derive(Debug)]
struct Opaque;

// Through consts, so that the types say what is wrong (literals are told by the macro).
const LIMIT: u32 = 3;
const DELAY: &str = "1s";

#[retry(stop = LIMIT, wait = DELAY, before = log(debug))]
fn send() -> Result<(), Opaque> {
    Err(Opaque)
}

// A statement where a hook goes: it would run once, where it is written.
#[derive(Debug)]
struct Shown;

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("shown")
    }
}

#[retry(after = println!("retrying"))]
fn announce() -> Result<(), Shown> {
    Err(Shown)
}

fn main() {
    let _ = send();
    let _ = announce();
}
