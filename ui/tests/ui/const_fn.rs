use persevere::retry;

#[retry]
const fn send() -> Result<(), u8> {
    Ok(())
}

fn main() {
    let _ = send();
}
