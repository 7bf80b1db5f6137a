//! The cost of retrying, in one run: the same trivial function called four ways.
//!
//! - `direct`: the function itself, no retrying. In the `retries/*` groups, its attempts called
//!   back to back until one succeeds, with no stop and no wait: the work every implementation
//!   must do.
//! - `hand`: a hand-written loop doing the same stop and wait (`attempts(n)`, `100 ms · 2^(n−1)`
//!   capped at 1 s) and handing each wait to the same instant sleeper, as one would write it.
//! - `persevere`: `#[retry]` with the same stop, wait and sleeper.
//! - `backon`: backon's closure API, `.retry(ExponentialBuilder…)`, with the same sleeper.
//!
//! Every sleeper returns at once, after passing its duration through `black_box` so that no
//! implementation can skip computing its wait. Cases:
//!
//! - `happy/sync`, `happy/async`: the first attempt succeeds (async on a tokio current-thread
//!   runtime). `happy/async/persevere_tokio` is the same attribute with its default sleeper
//!   (tokio's timer), what a user writes; `happy/async/hand_nested` is the hand loop awaiting
//!   its body in an async block of its own, as the attribute must.
//! - `retries/sync`, `retries/async`: three failures, then success (`attempts(4)`), zero waits:
//!   the per-retry overhead is `(retries − happy) / 3`.
//! - In each group, `policy` is the same policy run by `Policy::call` (or `call_async`),
//!   `policy_dyn` that policy type-erased (`Policy::boxed`) in a `static`, and `persevere_dyn`
//!   `#[retry(policy = &THAT_STATIC)]`: `-- dyn` runs the type-erased ones alone.
//!
//! Run with `cargo bench --manifest-path benches/Cargo.toml --bench happy_path` (about a minute and a half); pass
//! `-- --warm-up-time 1 --measurement-time 2` for a quicker run.

use std::cell::Cell;
use std::future::{Ready, ready};
use std::hint::black_box;
use std::time::Duration;

use backon::{BlockingRetryable, ExponentialBuilder, Retryable};
use criterion::{Criterion, criterion_group, criterion_main};
use persevere::stop::attempts;
use persevere::wait::{Exponential, exponential};
use persevere::{DynPolicy, Policy, retry};
use std::sync::LazyLock;

/// The trivial function every implementation retries.
#[inline(never)]
fn work(input: u64) -> Result<u64, &'static str> {
    if input == u64::MAX {
        Err("overflow")
    } else {
        Ok(input + 1)
    }
}

#[inline(never)]
async fn work_async(input: u64) -> Result<u64, &'static str> {
    work(input)
}

/// Fails while `failures` is above zero, counting it down: `Cell::new(3)` fails three times.
#[inline(never)]
fn flaky(failures: &Cell<u32>, input: u64) -> Result<u64, &'static str> {
    match failures.get() {
        0 => Ok(input + 1),
        left => {
            failures.set(left - 1);
            Err("transient")
        }
    }
}

#[inline(never)]
async fn flaky_async(failures: &Cell<u32>, input: u64) -> Result<u64, &'static str> {
    flaky(failures, input)
}

/// A sleeper that returns at once; the duration goes through `black_box`, so it is computed.
fn instant(wait: Duration) {
    black_box(wait);
}

/// The async sleeper that returns at once.
fn instant_async(wait: Duration) -> Ready<()> {
    black_box(wait);
    ready(())
}

/// The wait after attempt `n`, as `exponential(multiplier = 100ms, max = 1s)` and backon's
/// builder below compute it: `min(100 ms · 2^(n−1), 1 s)`.
fn hand_wait(attempt: u32) -> Duration {
    let nanos = 100_000_000.0 * 2f64.powi(attempt as i32 - 1);
    if nanos >= 1e9 {
        Duration::from_secs(1)
    } else {
        Duration::from_nanos(nanos as u64)
    }
}

// ---- happy path: attempts(3) --------------------------------------------------------------

fn work_hand(input: u64) -> Result<u64, &'static str> {
    let mut attempt = 1;
    loop {
        match work(input) {
            Ok(value) => return Ok(value),
            Err(_) if attempt < 3 => {
                instant(hand_wait(attempt));
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

async fn work_hand_async(input: u64) -> Result<u64, &'static str> {
    let mut attempt = 1;
    loop {
        match work_async(input).await {
            Ok(value) => return Ok(value),
            Err(_) if attempt < 3 => {
                instant_async(hand_wait(attempt)).await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// The hand loop with its body awaited in an async block of its own, as `#[retry]` runs each
/// attempt (the only way to let `return` and `?` end one attempt): the limit for an attribute.
async fn work_hand_nested_async(input: u64) -> Result<u64, &'static str> {
    let mut attempt = 1;
    loop {
        match async { work_async(input).await }.await {
            Ok(value) => return Ok(value),
            Err(_) if attempt < 3 => {
                instant_async(hand_wait(attempt)).await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

#[retry(stop = attempts(3), wait = exponential(multiplier = 100ms, max = 1s), sleep = instant)]
fn work_retried(input: u64) -> Result<u64, &'static str> {
    work(input)
}

#[retry(stop = attempts(3), wait = exponential(multiplier = 100ms, max = 1s), sleep = instant_async)]
async fn work_retried_async(input: u64) -> Result<u64, &'static str> {
    work_async(input).await
}

/// What a user writes: the default sleeper, tokio's timer.
#[retry(stop = attempts(3), wait = exponential(multiplier = 100ms, max = 1s))]
async fn work_retried_tokio(input: u64) -> Result<u64, &'static str> {
    work_async(input).await
}

/// backon's schedule for `max_times` retries: 100 ms, 200 ms, 400 ms… capped at 1 s, no jitter.
fn backoff(max_times: usize) -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(100))
        .with_factor(2.0)
        .with_max_delay(Duration::from_secs(1))
        .with_max_times(max_times)
}

// ---- three failures, then success: attempts(4) -----------------------------------------------

fn flaky_direct(failures: &Cell<u32>, input: u64) -> Result<u64, &'static str> {
    loop {
        if let Ok(value) = flaky(failures, input) {
            return Ok(value);
        }
    }
}

async fn flaky_direct_async(failures: &Cell<u32>, input: u64) -> Result<u64, &'static str> {
    loop {
        if let Ok(value) = flaky_async(failures, input).await {
            return Ok(value);
        }
    }
}

fn flaky_hand(failures: &Cell<u32>, input: u64) -> Result<u64, &'static str> {
    let mut attempt = 1;
    loop {
        match flaky(failures, input) {
            Ok(value) => return Ok(value),
            Err(_) if attempt < 4 => {
                instant(hand_wait(attempt));
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

async fn flaky_hand_async(failures: &Cell<u32>, input: u64) -> Result<u64, &'static str> {
    let mut attempt = 1;
    loop {
        match flaky_async(failures, input).await {
            Ok(value) => return Ok(value),
            Err(_) if attempt < 4 => {
                instant_async(hand_wait(attempt)).await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

#[retry(stop = attempts(4), wait = exponential(multiplier = 100ms, max = 1s), sleep = instant)]
fn flaky_retried(failures: &Cell<u32>, input: u64) -> Result<u64, &'static str> {
    flaky(failures, input)
}

#[retry(stop = attempts(4), wait = exponential(multiplier = 100ms, max = 1s), sleep = instant_async)]
async fn flaky_retried_async(failures: &Cell<u32>, input: u64) -> Result<u64, &'static str> {
    flaky_async(failures, input).await
}

// ---- policies as values: `Policy::call`, and the same policy type-erased in a `static` ---------

/// The wait and sleepers of the cases above, as a `Policy`'s parts.
fn wait() -> Exponential {
    exponential()
        .multiplier(Duration::from_millis(100))
        .max(Duration::from_secs(1))
}

type SyncSleep = fn(Duration);
type AsyncSleep = fn(Duration) -> Ready<()>;

static SYNC_DYN: LazyLock<DynPolicy<u64, &'static str, SyncSleep>> = LazyLock::new(|| {
    Policy::new()
        .stop(attempts(3))
        .wait(wait())
        .sleeper(instant as SyncSleep)
        .boxed()
});
static ASYNC_DYN: LazyLock<DynPolicy<u64, &'static str, AsyncSleep>> = LazyLock::new(|| {
    Policy::new()
        .stop(attempts(3))
        .wait(wait())
        .sleeper(instant_async as AsyncSleep)
        .boxed()
});
static SYNC_DYN_4: LazyLock<DynPolicy<u64, &'static str, SyncSleep>> =
    LazyLock::new(|| SYNC_DYN.clone().stop(attempts(4)).boxed());
static ASYNC_DYN_4: LazyLock<DynPolicy<u64, &'static str, AsyncSleep>> =
    LazyLock::new(|| ASYNC_DYN.clone().stop(attempts(4)).boxed());

#[retry(policy = &SYNC_DYN)]
fn work_retried_dyn(input: u64) -> Result<u64, &'static str> {
    work(input)
}

#[retry(policy = &ASYNC_DYN)]
async fn work_retried_dyn_async(input: u64) -> Result<u64, &'static str> {
    work_async(input).await
}

#[retry(policy = &SYNC_DYN_4)]
fn flaky_retried_dyn(failures: &Cell<u32>, input: u64) -> Result<u64, &'static str> {
    flaky(failures, input)
}

#[retry(policy = &ASYNC_DYN_4)]
async fn flaky_retried_dyn_async(failures: &Cell<u32>, input: u64) -> Result<u64, &'static str> {
    flaky_async(failures, input).await
}

/// `policy`: `Policy::call` with a generic policy; `policy_dyn`: the same policy, type-erased,
/// from a `static`; `persevere_dyn`: `#[retry(policy = &THAT_STATIC)]`.
fn values(c: &mut Criterion) {
    let sync_policy = Policy::new()
        .stop(attempts(3))
        .wait(wait())
        .sleeper(instant as SyncSleep);
    let async_policy = Policy::new()
        .stop(attempts(3))
        .wait(wait())
        .sleeper(instant_async as AsyncSleep);

    let mut group = c.benchmark_group("happy/sync");
    group.bench_function("policy", |b| {
        b.iter(|| sync_policy.call(|| work(black_box(41))))
    });
    group.bench_function("policy_dyn", |b| {
        b.iter(|| SYNC_DYN.call(|| work(black_box(41))))
    });
    group.bench_function("persevere_dyn", |b| {
        b.iter(|| work_retried_dyn(black_box(41)))
    });
    group.finish();

    let runtime = runtime();
    let mut group = c.benchmark_group("happy/async");
    group.bench_function("policy", |b| {
        b.to_async(&runtime)
            .iter(|| async_policy.call_async(|| work_async(black_box(41))))
    });
    group.bench_function("policy_dyn", |b| {
        b.to_async(&runtime)
            .iter(|| ASYNC_DYN.call_async(|| work_async(black_box(41))))
    });
    group.bench_function("persevere_dyn", |b| {
        b.to_async(&runtime)
            .iter(|| work_retried_dyn_async(black_box(41)))
    });
    group.finish();

    let sync_policy = sync_policy.stop(attempts(4));
    let async_policy = async_policy.stop(attempts(4));
    let mut group = c.benchmark_group("retries/sync");
    group.bench_function("policy", |b| {
        b.iter(|| {
            let failures = Cell::new(3);
            sync_policy.call(|| flaky(&failures, black_box(41)))
        })
    });
    group.bench_function("policy_dyn", |b| {
        b.iter(|| {
            let failures = Cell::new(3);
            SYNC_DYN_4.call(|| flaky(&failures, black_box(41)))
        })
    });
    group.bench_function("persevere_dyn", |b| {
        b.iter(|| flaky_retried_dyn(&Cell::new(3), black_box(41)))
    });
    group.finish();

    let mut group = c.benchmark_group("retries/async");
    group.bench_function("policy", |b| {
        b.to_async(&runtime).iter(|| async {
            let failures = Cell::new(3);
            async_policy
                .call_async(|| flaky_async(&failures, black_box(41)))
                .await
        })
    });
    group.bench_function("policy_dyn", |b| {
        b.to_async(&runtime).iter(|| async {
            let failures = Cell::new(3);
            ASYNC_DYN_4
                .call_async(|| flaky_async(&failures, black_box(41)))
                .await
        })
    });
    group.bench_function("persevere_dyn", |b| {
        b.to_async(&runtime).iter(|| async {
            let failures = Cell::new(3);
            flaky_retried_dyn_async(&failures, black_box(41)).await
        })
    });
    group.finish();
}

// ---- the groups -----------------------------------------------------------------------------

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

fn happy(c: &mut Criterion) {
    let mut group = c.benchmark_group("happy/sync");
    group.bench_function("direct", |b| b.iter(|| work(black_box(41))));
    group.bench_function("hand", |b| b.iter(|| work_hand(black_box(41))));
    group.bench_function("persevere", |b| b.iter(|| work_retried(black_box(41))));
    group.bench_function("backon", |b| {
        b.iter(|| {
            (|| work(black_box(41)))
                .retry(backoff(2))
                .sleep(instant)
                .call()
        })
    });
    group.finish();

    let runtime = runtime();
    let mut group = c.benchmark_group("happy/async");
    group.bench_function("direct", |b| {
        b.to_async(&runtime).iter(|| work_async(black_box(41)))
    });
    group.bench_function("hand", |b| {
        b.to_async(&runtime).iter(|| work_hand_async(black_box(41)))
    });
    group.bench_function("hand_nested", |b| {
        b.to_async(&runtime)
            .iter(|| work_hand_nested_async(black_box(41)))
    });
    group.bench_function("persevere", |b| {
        b.to_async(&runtime)
            .iter(|| work_retried_async(black_box(41)))
    });
    group.bench_function("persevere_tokio", |b| {
        b.to_async(&runtime)
            .iter(|| work_retried_tokio(black_box(41)))
    });
    group.bench_function("backon", |b| {
        b.to_async(&runtime).iter(|| {
            (|| work_async(black_box(41)))
                .retry(backoff(2))
                .sleep(instant_async)
        })
    });
    group.finish();
}

fn retries(c: &mut Criterion) {
    let mut group = c.benchmark_group("retries/sync");
    group.bench_function("direct", |b| {
        b.iter(|| flaky_direct(&Cell::new(3), black_box(41)))
    });
    group.bench_function("hand", |b| {
        b.iter(|| flaky_hand(&Cell::new(3), black_box(41)))
    });
    group.bench_function("persevere", |b| {
        b.iter(|| flaky_retried(&Cell::new(3), black_box(41)))
    });
    group.bench_function("backon", |b| {
        b.iter(|| {
            let failures = Cell::new(3);
            (|| flaky(&failures, black_box(41)))
                .retry(backoff(3))
                .sleep(instant)
                .call()
        })
    });
    group.finish();

    let runtime = runtime();
    let mut group = c.benchmark_group("retries/async");
    group.bench_function("direct", |b| {
        b.to_async(&runtime).iter(|| async {
            let failures = Cell::new(3);
            flaky_direct_async(&failures, black_box(41)).await
        })
    });
    group.bench_function("hand", |b| {
        b.to_async(&runtime).iter(|| async {
            let failures = Cell::new(3);
            flaky_hand_async(&failures, black_box(41)).await
        })
    });
    group.bench_function("persevere", |b| {
        b.to_async(&runtime).iter(|| async {
            let failures = Cell::new(3);
            flaky_retried_async(&failures, black_box(41)).await
        })
    });
    group.bench_function("backon", |b| {
        b.to_async(&runtime).iter(|| async {
            let failures = Cell::new(3);
            (|| flaky_async(&failures, black_box(41)))
                .retry(backoff(3))
                .sleep(instant_async)
                .await
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = happy, retries, values
}
criterion_main!(benches);
