//! The size of the futures an async retried function returns, next to the direct call's, a
//! hand-written retry loop's and backon's, on the same trivial function.
//!
//! `cargo bench --manifest-path benches/Cargo.toml --bench future_sizes` prints the table: a measurement, not a
//! promise (a future's size depends on the compiler's layout of its states).

use std::future::{Future, Ready, ready};
use std::mem::size_of_val;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use persevere::budget::RetryBudget;
use persevere::{Timeout, retry};

/// The functions' error: it receives a timed-out attempt, so every function below shares it.
#[derive(Debug)]
enum Failure {
    Down,
    TimedOut(Timeout),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Down => f.write_str("down"),
            Failure::TimedOut(timeout) => timeout.fmt(f),
        }
    }
}

impl From<Timeout> for Failure {
    fn from(timeout: Timeout) -> Self {
        Failure::TimedOut(timeout)
    }
}

async fn direct(input: u64) -> Result<u64, Failure> {
    if input == u64::MAX {
        Err(Failure::Down)
    } else {
        Ok(input + 1)
    }
}

fn instant(_: Duration) -> Ready<()> {
    ready(())
}

fn hand_wait(attempt: u32) -> Duration {
    Duration::from_millis(100)
        .saturating_mul(2u32.saturating_pow(attempt - 1))
        .min(Duration::from_secs(1))
}

/// The hand loop sleeping on tokio's timer, as `#[retry]` does by default.
async fn hand_tokio(input: u64) -> Result<u64, Failure> {
    let mut attempt = 1;
    loop {
        match direct(input).await {
            Ok(value) => return Ok(value),
            Err(_) if attempt < 3 => {
                tokio::time::sleep(hand_wait(attempt)).await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// The hand loop with a sleeper that returns at once.
async fn hand_instant(input: u64) -> Result<u64, Failure> {
    let mut attempt = 1;
    loop {
        match direct(input).await {
            Ok(value) => return Ok(value),
            Err(_) if attempt < 3 => {
                instant(hand_wait(attempt)).await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

#[retry(stop = attempts(3), wait = exponential(multiplier = 100ms, max = 1s))]
async fn plain(input: u64) -> Result<u64, Failure> {
    direct(input).await
}

#[retry(stop = attempts(3), wait = exponential(multiplier = 100ms, max = 1s), sleep = instant)]
async fn plain_instant(input: u64) -> Result<u64, Failure> {
    direct(input).await
}

#[retry(
    stop = attempts(3),
    wait = exponential(multiplier = 100ms, max = 1s),
    before = log(debug),
    after = log(info)
)]
async fn hooked(input: u64) -> Result<u64, Failure> {
    direct(input).await
}

static BUDGET: RetryBudget = RetryBudget::new();

#[retry(stop = attempts(3), wait = exponential(multiplier = 100ms, max = 1s), budget = BUDGET)]
async fn budgeted(input: u64) -> Result<u64, Failure> {
    direct(input).await
}

#[retry(
    stop = attempts(3),
    wait = exponential(multiplier = 100ms, max = 1s),
    timeout = 1s,
    total_timeout = 5s
)]
async fn timed(input: u64) -> Result<u64, Failure> {
    direct(input).await
}

fn backoff() -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(100))
        .with_max_delay(Duration::from_secs(1))
        .with_max_times(2)
}

/// The size of a future, which is never polled.
fn size(future: impl Future) -> usize {
    size_of_val(&future)
}

fn main() {
    let rows = [
        ("direct async fn", size(direct(1))),
        ("hand loop, tokio sleep", size(hand_tokio(1))),
        ("hand loop, instant sleeper", size(hand_instant(1))),
        ("#[retry], default (tokio) sleeper", size(plain(1))),
        ("#[retry], instant sleeper", size(plain_instant(1))),
        ("#[retry], before/after = log(..)", size(hooked(1))),
        ("#[retry], budget = BUDGET", size(budgeted(1))),
        ("#[retry], timeout, total_timeout", size(timed(1))),
        (
            "backon, default (tokio) sleeper",
            size((|| direct(1)).retry(backoff())),
        ),
        (
            "backon, instant sleeper",
            size((|| direct(1)).retry(backoff()).sleep(instant)),
        ),
    ];
    println!("{:<36} {:>6}", "future", "bytes");
    for (name, bytes) in rows {
        println!("{name:<36} {bytes:>6}");
    }
}
