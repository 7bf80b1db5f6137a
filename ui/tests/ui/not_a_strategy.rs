use persevere::retry;

#[derive(Debug)]
struct Opaque;

#[retry(stop = 3, wait = "1s", before = log(debug))]
fn send() -> Result<(), Opaque> {
    Err(Opaque)
}

fn main() {
    let _ = send();
}
