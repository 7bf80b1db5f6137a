use persevere::retry;
// tenacity's names for the strategies: one error each, naming what to write.

#[retry(wait = wait_fixed(2))]
fn wait_fixed_seconds() -> Result<(), std::io::Error> { Ok(()) }

#[retry(wait = wait_random(1, 2))]
fn wait_random_seconds() -> Result<(), std::io::Error> { Ok(()) }

#[retry(stop = stop_after_attempt(3))]
fn stop_after_attempt_count() -> Result<(), std::io::Error> { Ok(()) }

#[retry(stop = stop_after_delay(10))]
fn stop_after_delay_seconds() -> Result<(), std::io::Error> { Ok(()) }

#[retry(stop = stop_before_delay(10))]
fn stop_before_delay_seconds() -> Result<(), std::io::Error> { Ok(()) }

#[retry(retry_if = retry_if_exception_type::<std::io::Error>())]
fn exception_type() -> Result<(), std::io::Error> { Ok(()) }

#[retry(retry_if = retry_if_exception(|e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut))]
fn exception_predicate() -> Result<(), std::io::Error> { Ok(()) }

#[retry(retry_if = retry_if_result(|n: &u32| *n == 0))]
fn result_predicate() -> Result<u32, std::io::Error> { Ok(1) }

#[retry(before_sleep = before_sleep_log("app", "WARNING"))]
fn logger() -> Result<(), std::io::Error> { Ok(()) }

#[retry(before_sleep = log(Warn))]
fn log_crate_level() -> Result<(), std::io::Error> { Ok(()) }

// A name of the user's own wins: this is theirs, and compiles.
mod own {
    use persevere::retry;

    fn wait_fixed(seconds: u64) -> std::time::Duration {
        std::time::Duration::from_secs(seconds)
    }

    #[retry(wait = wait_fixed(0))]
    pub fn own_wait_fixed() -> Result<(), std::io::Error> { Ok(()) }
}

fn main() {
    let _ = own::own_wait_fixed();
}

#[retry(retry_if_ok = on_ok(|n: &u32| *n == 0))]
fn condition_as_ok_predicate() -> Result<u32, std::io::Error> { Ok(1) }

#[retry(retry_if = retry_if_not_exception_type::<std::io::Error>())]
fn not_exception_type() -> Result<(), std::io::Error> { Ok(()) }

#[retry(retry_if = retry_if_exception_message("timeout"))]
fn exception_message() -> Result<(), std::io::Error> { Ok(()) }

