use persevere::retry;

#[retry]
#[track_caller]
fn send() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = send();
}
