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

fn main() {
    let _ = send();
}
