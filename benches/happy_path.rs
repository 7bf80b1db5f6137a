//! The cost of retrying, measured against a direct call and against backon.
//!
//! - `happy/*`: the first attempt succeeds. persevere's goal is to cost nothing over the direct
//!   call.
//! - `one_retry/*`: the first attempt fails and the second succeeds, with a sleeper that returns
//!   at once, so only the retry machinery is measured.
//!
//! Run with `cargo bench --bench happy_path`.

use std::cell::Cell;
use std::hint::black_box;
use std::time::Duration;

use backon::{BlockingRetryable, ExponentialBuilder, Retryable};
use criterion::{Criterion, criterion_group, criterion_main};
use persevere::retry;

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

#[retry(stop = attempts(3), wait = exponential(min = 100ms, max = 1s))]
fn work_retried(input: u64) -> Result<u64, &'static str> {
    work(input)
}

#[retry(stop = attempts(3), wait = exponential(min = 100ms, max = 1s))]
async fn work_retried_async(input: u64) -> Result<u64, &'static str> {
    work_async(input).await
}

/// Fails when `fail` is set, clearing it: the next attempt succeeds.
#[inline(never)]
fn flaky(fail: &Cell<bool>, input: u64) -> Result<u64, &'static str> {
    if fail.replace(false) {
        Err("transient")
    } else {
        Ok(input + 1)
    }
}

#[retry(stop = attempts(3), wait = exponential(min = 100ms, max = 1s), sleep = |_| {})]
fn flaky_retried(fail: &Cell<bool>, input: u64) -> Result<u64, &'static str> {
    flaky(fail, input)
}

fn backoff() -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(100))
        .with_max_delay(Duration::from_secs(1))
        .with_max_times(2)
}

fn happy(c: &mut Criterion) {
    let mut group = c.benchmark_group("happy/sync");
    group.bench_function("direct", |b| b.iter(|| work(black_box(41))));
    group.bench_function("persevere", |b| b.iter(|| work_retried(black_box(41))));
    group.bench_function("backon", |b| {
        b.iter(|| (|| work(black_box(41))).retry(backoff()).call())
    });
    group.finish();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("happy/async");
    group.bench_function("direct", |b| {
        b.to_async(&runtime).iter(|| work_async(black_box(41)))
    });
    group.bench_function("persevere", |b| {
        b.to_async(&runtime)
            .iter(|| work_retried_async(black_box(41)))
    });
    group.bench_function("backon", |b| {
        b.to_async(&runtime)
            .iter(|| (|| work_async(black_box(41))).retry(backoff()))
    });
    group.finish();
}

fn one_retry(c: &mut Criterion) {
    let mut group = c.benchmark_group("one_retry/sync");
    group.bench_function("persevere", |b| {
        b.iter(|| {
            let fail = Cell::new(true);
            flaky_retried(&fail, black_box(41))
        })
    });
    group.bench_function("backon", |b| {
        b.iter(|| {
            let fail = Cell::new(true);
            (|| flaky(&fail, black_box(41)))
                .retry(backoff())
                .sleep(|_| {})
                .call()
        })
    });
    group.finish();
}

criterion_group!(benches, happy, one_retry);
criterion_main!(benches);
