//! With the `metrics` feature, counting a retried call allocates nothing once the function has
//! retried before: its label sets are made at its first retry and kept. Run with
//! `--features metrics`; a binary of its own, as it installs the process's recorder.
#![cfg(feature = "metrics")]

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use metrics::{Counter, Gauge, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit};
use persevere::retry;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations_during;

/// A recorder that only counts the metrics it is asked for, and checks their labels.
struct Registrations;

static REGISTERED: AtomicUsize = AtomicUsize::new(0);

impl Registrations {
    fn register(key: &Key) {
        let function = key.labels().find(|label| label.key() == "function");
        assert_eq!(
            function.map(|label| label.value()),
            Some("metrics_allocations::flaky")
        );
        REGISTERED.fetch_add(1, Ordering::SeqCst);
    }
}

impl Recorder for Registrations {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Self::register(key);
        Counter::noop()
    }
    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        Self::register(key);
        Gauge::noop()
    }
    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        Self::register(key);
        Histogram::noop()
    }
}

#[retry(stop = attempts(4), wait = fixed(0ms))]
fn flaky(calls: &Cell<u32>) -> Result<u32, u32> {
    calls.set(calls.get() + 1);
    if calls.get().is_multiple_of(4) {
        Ok(calls.get())
    } else {
        Err(calls.get())
    }
}

#[test]
fn a_retried_call_counts_without_allocating_once_its_labels_exist() {
    metrics::set_global_recorder(Registrations).expect("the only recorder of this binary");
    let calls = Cell::new(0);
    // The first call makes the label sets.
    assert_eq!(flaky(&calls), Ok(4));
    let registered = REGISTERED.load(Ordering::SeqCst);
    // 3 retries (a counter and a histogram each), then the attempts and the calls counters.
    assert_eq!(registered, 3 * 2 + 2);

    let (outcome, allocations) = allocations_during(|| flaky(&calls));
    assert_eq!(outcome, Ok(8));
    assert_eq!(allocations, 0);
    assert_eq!(REGISTERED.load(Ordering::SeqCst), 2 * registered);
}
