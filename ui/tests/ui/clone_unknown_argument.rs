use persevere::retry;

#[retry(clone(mesage, message, self))]
fn send(message: String) -> Result<(), String> {
    Ok(drop(message))
}

fn main() {
    let _ = send(String::new());
}
