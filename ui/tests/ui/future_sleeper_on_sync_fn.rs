// A sleeper closure returning a future on a sync fn: one error saying it needs an `async fn`
// (rustc suggested a `;`, which would compile and never sleep).
use persevere::retry;

#[derive(Debug)]
struct Flaky;

#[retry(sleep = |wait| tokio::time::sleep(wait))]
fn tokio_sleep_closure() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(sleep = |wait| async move { tokio::time::sleep(wait).await })]
fn async_block_sleeper() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(sleep = |wait| std::thread::sleep(wait))]
fn blocking_sleeper_is_fine() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(sleep = |_| panic!("no sleeping in tests"))]
fn diverging_sleeper_is_fine() -> Result<u32, Flaky> {
    Ok(1)
}

fn never(_: std::time::Duration) -> ! {
    std::process::exit(3)
}

#[retry(sleep = never)]
fn diverging_sleeper_by_name_is_fine() -> Result<u32, Flaky> {
    Ok(1)
}

fn main() {}
