//! With the `metrics` feature, counting a retried call allocates nothing once the function has
//! retried before: its label sets are made at its first retry and kept. Run with
//! `--features metrics`; a binary of its own, as it installs the process's recorder.
#![cfg(feature = "metrics")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use metrics::{Counter, Gauge, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit};
use persevere::retry;

/// Counts allocations made on this thread while counting is on.
struct CountingAllocator;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.try_with(Cell::get).unwrap_or(false) {
            ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn allocations_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    COUNTING.with(|counting| counting.set(true));
    let result = f();
    COUNTING.with(|counting| counting.set(false));
    (result, ALLOCATIONS.load(Ordering::SeqCst) - before)
}

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
