use persevere::retry;

fn deliver(_: String) -> Result<(), String> {
    Ok(())
}

#[retry(stop = attempts(2), wait = none)]
fn send(msg: String) -> Result<(), String> {
    deliver(msg)
}

#[retry(stop = attempts(2), wait = none, sleep = |_| async {})]
async fn send_async(msg: String) -> Result<(), String> {
    let sent = deliver(msg);
    sent
}

// Named in a printing macro first: such a macro binds nothing, so the move is still seen.
#[retry(stop = attempts(2), wait = none)]
fn send_logged(msg: String) -> Result<(), String> {
    println!("sending {}", msg);
    deliver(msg)
}

fn main() {
    let _ = send_logged(String::new());
    let _ = send(String::new());
    let _ = send_async(String::new());
}
