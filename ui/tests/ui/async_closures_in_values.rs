// A closure called between attempts cannot be async: its future would never be awaited. An
// async sleeper (the one key whose closure returns a future) stays valid.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

#[retry(before_sleep = async |_state| {})]
fn hook_async_closure() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(retry_if = |_e: &Flaky| async move { true })]
async fn condition_returning_an_async_block() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(on_finish = |_state| { async {} })]
async fn hook_ending_with_an_async_block() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(wait = async |_state| std::time::Duration::ZERO)]
fn wait_async_closure() -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(sleep = async |wait| tokio::time::sleep(wait).await)]
async fn async_sleeper_is_fine() -> Result<u32, Flaky> {
    Ok(1)
}

fn main() {}
