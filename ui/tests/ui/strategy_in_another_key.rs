use persevere::condition::on_error;
use persevere::retry;
use persevere::stop::{attempts, deadline};
use persevere::wait::{exponential, fixed};

// A strategy of one family, imported, under another family's key: one error each, at the value,
// saying it is not a strategy of that key and where it goes.
#[retry(stop = fixed(1s))]
fn wait_as_stop() -> Result<(), String> {
    Ok(())
}

#[retry(wait = attempts(3))]
fn stop_as_wait() -> Result<(), String> {
    Ok(())
}

#[retry(retry_if = exponential(max = 1s))]
fn wait_as_condition() -> Result<(), String> {
    Ok(())
}

#[retry(stop = on_error(|e: &String| e.is_empty()))]
fn condition_as_stop() -> Result<(), String> {
    Ok(())
}

#[retry(wait = deadline(10s))]
fn stop_as_wait_again() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = (
        wait_as_stop(),
        stop_as_wait(),
        wait_as_condition(),
        condition_as_stop(),
        stop_as_wait_again(),
    );
}
