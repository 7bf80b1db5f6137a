//! Metrics of retried calls through the `metrics` facade (feature `metrics`): exact counts and
//! sleep samples for calls that give up, succeed after retries, are refused by an empty budget or
//! hit an error that is not retried, the `function` label of functions, methods and named
//! policies, and nothing at all for a first-time success. A capturing recorder is installed for
//! each test's thread only (`metrics::with_local_recorder`).
//!
//! Run with `cargo test --features metrics --test metrics`.
#![cfg(feature = "metrics")]

use std::cell::Cell;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ::metrics::{
    Counter, Gauge, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder, SharedString, Unit,
};
use persevere::budget::RetryBudget;
use persevere::metrics::{ATTEMPTS, BUDGET_REFUSALS, CALLS, GIVE_UPS, RETRIES, SLEEP_SECONDS};
use persevere::stop::attempts;
use persevere::wait::fixed;
use persevere::{Policy, Timeout, retry};

// ---------------------------------------------------------------------------------------------
// The capturing recorder.

/// A metric's name and its labels, sorted by label name.
type MetricKey = (String, Vec<(String, String)>);

#[derive(Default)]
struct Samples(Mutex<Vec<f64>>);

impl HistogramFn for Samples {
    fn record(&self, value: f64) {
        self.0.lock().unwrap().push(value);
    }
}

/// Counters and histograms by name and labels; gauges are only noted (persevere has none).
#[derive(Default)]
struct Capture {
    counters: Mutex<BTreeMap<MetricKey, Arc<AtomicU64>>>,
    histograms: Mutex<BTreeMap<MetricKey, Arc<Samples>>>,
    gauges: Mutex<Vec<MetricKey>>,
}

fn metric_key(key: &Key) -> MetricKey {
    let mut labels: Vec<(String, String)> = key
        .labels()
        .map(|label| (label.key().to_owned(), label.value().to_owned()))
        .collect();
    labels.sort();
    (key.name().to_owned(), labels)
}

impl Recorder for Capture {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        let counter = Arc::clone(
            self.counters
                .lock()
                .unwrap()
                .entry(metric_key(key))
                .or_default(),
        );
        Counter::from_arc(counter)
    }

    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        self.gauges.lock().unwrap().push(metric_key(key));
        Gauge::noop()
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        let samples = Arc::clone(
            self.histograms
                .lock()
                .unwrap()
                .entry(metric_key(key))
                .or_default(),
        );
        Histogram::from_arc(samples)
    }
}

/// Everything a recorder saw: each counter registered (with its total, zero if never
/// incremented), each histogram registered (with its samples), each gauge registered.
#[derive(Debug, Default, PartialEq)]
struct Seen {
    counters: BTreeMap<MetricKey, u64>,
    histograms: BTreeMap<MetricKey, Vec<f64>>,
    gauges: Vec<MetricKey>,
}

impl Capture {
    fn seen(&self) -> Seen {
        Seen {
            counters: self
                .counters
                .lock()
                .unwrap()
                .iter()
                .map(|(key, counter)| (key.clone(), counter.load(Ordering::SeqCst)))
                .collect(),
            histograms: self
                .histograms
                .lock()
                .unwrap()
                .iter()
                .map(|(key, samples)| (key.clone(), samples.0.lock().unwrap().clone()))
                .collect(),
            gauges: self.gauges.lock().unwrap().clone(),
        }
    }
}

/// Runs `f` with a capturing recorder for this thread, and returns what it saw.
fn capture<R>(f: impl FnOnce() -> R) -> (R, Seen) {
    let recorder = Capture::default();
    let output = ::metrics::with_local_recorder(&recorder, f);
    (output, recorder.seen())
}

/// Runs `future` to completion on a current-thread runtime with a paused clock, inside a
/// capturing recorder, and returns what it saw.
fn capture_async<F: Future>(future: F) -> (F::Output, Seen) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    capture(|| runtime.block_on(future))
}

fn key(name: &str, labels: &[(&str, &str)]) -> MetricKey {
    let mut labels: Vec<(String, String)> = labels
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    labels.sort();
    (name.to_owned(), labels)
}

/// What a call of `function` that failed at least once records: `attempts` attempts, a sleep of
/// each of `sleeps` (seconds), ended by `ending`, after `refusals` budget refusals.
fn one_call(function: &str, attempts: u64, sleeps: &[f64], ending: &str, refusals: u64) -> Seen {
    let mut seen = Seen::default();
    let f = [("function", function)];
    seen.counters.insert(key(ATTEMPTS, &f), attempts);
    seen.counters
        .insert(key(CALLS, &[("function", function), ("ending", ending)]), 1);
    if !matches!(ending, "succeeded" | "not_retryable") {
        seen.counters.insert(
            key(GIVE_UPS, &[("function", function), ("ending", ending)]),
            1,
        );
    }
    if !sleeps.is_empty() {
        seen.counters.insert(key(RETRIES, &f), sleeps.len() as u64);
        seen.histograms
            .insert(key(SLEEP_SECONDS, &f), sleeps.to_vec());
    }
    if refusals > 0 {
        seen.counters.insert(key(BUDGET_REFUSALS, &f), refusals);
    }
    seen
}

#[test]
fn the_metric_names_are_the_documented_ones() {
    assert_eq!(ATTEMPTS, "persevere_attempts_total");
    assert_eq!(RETRIES, "persevere_retries_total");
    assert_eq!(CALLS, "persevere_calls_total");
    assert_eq!(GIVE_UPS, "persevere_give_ups_total");
    assert_eq!(BUDGET_REFUSALS, "persevere_budget_refusals_total");
    assert_eq!(SLEEP_SECONDS, "persevere_sleep_seconds");
}

// ---------------------------------------------------------------------------------------------
// Functions under test.

#[derive(Debug, Clone, PartialEq)]
struct Boom;

#[retry(stop = attempts(3), wait = exponential(multiplier = 100ms))]
fn gives_up(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

#[retry(stop = attempts(5), wait = fixed(250ms))]
fn fails_twice(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    if calls.get() <= 2 { Err(Boom) } else { Ok(7) }
}

#[retry(stop = attempts(3), wait = fixed(250ms))]
fn succeeds(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Ok(1)
}

static EMPTY: RetryBudget = RetryBudget::with_reserve(0, 0);

#[retry(stop = attempts(5), wait = fixed(1s), budget = EMPTY)]
fn refused(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

#[derive(Debug, Clone, PartialEq)]
enum Failure {
    Transient,
    Fatal,
}

#[retry(
    stop = attempts(5),
    wait = none(),
    retry_if = |e: &Failure| *e == Failure::Transient
)]
fn transient_then_fatal(calls: &Cell<u32>) -> Result<u32, Failure> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        Err(Failure::Transient)
    } else {
        Err(Failure::Fatal)
    }
}

#[retry(stop = deadline(2s), wait = fixed(1s))]
fn past_deadline(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

#[retry(stop = attempts(4), wait = none(), retry_if_ok = |n: &u32| *n == 0)]
fn answers_at_once(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Ok(42)
}

#[retry(stop = attempts(4), wait = none(), retry_if_ok = |n: &u32| *n == 0)]
fn zero_then_answer(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Ok(if calls.get() == 1 { 0 } else { 42 })
}

struct Gateway {
    calls: Cell<u32>,
}

impl Gateway {
    #[retry(stop = attempts(2), wait = none())]
    fn charge(&self) -> Result<u32, Boom> {
        self.calls.set(self.calls.get() + 1);
        Err(Boom)
    }

    #[retry(stop = attempts(2), wait = fixed(1s))]
    async fn refund(&self) -> Result<u32, Boom> {
        self.calls.set(self.calls.get() + 1);
        Err(Boom)
    }
}

// ---------------------------------------------------------------------------------------------
// Sync calls.

#[test]
fn a_call_that_gives_up_counts_attempts_retries_the_call_and_the_give_up() {
    let _skip = persevere::testing::skip_sleeps();
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| gives_up(&calls));
    assert_eq!((outcome, calls.get()), (Err(Boom), 3));
    assert_eq!(
        seen,
        one_call("metrics::gives_up", 3, &[0.1, 0.2], "attempts", 0)
    );

    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("billing::sync_orders")
            .stop(attempts(3))
            .call(|| {
                calls.set(calls.get() + 1);
                Err::<(), _>("down")
            })
    });
    assert_eq!((outcome, calls.get()), (Err("down"), 3));
    // The default wait: 100 ms, then 200 ms.
    assert_eq!(
        seen,
        one_call("billing::sync_orders", 3, &[0.1, 0.2], "attempts", 0)
    );
}

#[test]
fn a_success_after_retries_counts_no_give_up() {
    let _skip = persevere::testing::skip_sleeps();
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| fails_twice(&calls));
    assert_eq!((outcome, calls.get()), (Ok(7), 3));
    assert_eq!(
        seen,
        one_call("metrics::fails_twice", 3, &[0.25, 0.25], "succeeded", 0)
    );

    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("billing::fails_twice")
            .stop(attempts(5))
            .wait(fixed(Duration::from_millis(250)))
            .call(|| {
                calls.set(calls.get() + 1);
                if calls.get() <= 2 { Err(Boom) } else { Ok(7) }
            })
    });
    assert_eq!((outcome, calls.get()), (Ok(7), 3));
    assert_eq!(
        seen,
        one_call("billing::fails_twice", 3, &[0.25, 0.25], "succeeded", 0)
    );
}

#[test]
fn a_first_time_success_records_nothing() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| succeeds(&calls));
    assert_eq!((outcome, calls.get()), (Ok(1), 1));
    assert_eq!(seen, Seen::default());

    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("billing::succeeds")
            .budget(&EMPTY)
            .call(|| Ok::<_, Boom>(1))
    });
    assert_eq!(outcome, Ok(1));
    assert_eq!(seen, Seen::default());
}

#[test]
fn calls_add_up() {
    let _skip = persevere::testing::skip_sleeps();
    let calls = Cell::new(0);
    let (_, seen) = capture(|| {
        let _ = gives_up(&calls);
        let _ = succeeds(&calls);
        let _ = gives_up(&calls);
    });
    assert_eq!(calls.get(), 7);
    let mut expected = one_call("metrics::gives_up", 6, &[0.1, 0.2, 0.1, 0.2], "attempts", 0);
    for counter in [CALLS, GIVE_UPS] {
        let calls = key(
            counter,
            &[("function", "metrics::gives_up"), ("ending", "attempts")],
        );
        expected.counters.insert(calls, 2);
    }
    assert_eq!(seen, expected);
}

#[test]
fn an_empty_budget_counts_a_refusal_and_gives_up_with_budget() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| refused(&calls));
    assert_eq!((outcome, calls.get()), (Err(Boom), 1));
    assert_eq!(seen, one_call("metrics::refused", 1, &[], "budget", 1));

    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("billing::refused")
            .stop(attempts(5))
            .wait(fixed(Duration::from_secs(1)))
            .budget(&EMPTY)
            .call(|| Err::<(), _>(Boom))
    });
    assert_eq!(outcome, Err(Boom));
    assert_eq!(seen, one_call("billing::refused", 1, &[], "budget", 1));

    // A budget of one retry: one retry is spent, the next is refused.
    static ONE: RetryBudget = RetryBudget::with_reserve(1, 0);
    let _skip = persevere::testing::skip_sleeps();
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("billing::one_retry")
            .stop(attempts(5))
            .wait(fixed(Duration::from_secs(1)))
            .budget(&ONE)
            .call(|| {
                calls.set(calls.get() + 1);
                Err::<(), _>(Boom)
            })
    });
    assert_eq!((outcome, calls.get()), (Err(Boom), 2));
    assert_eq!(seen, one_call("billing::one_retry", 2, &[1.0], "budget", 1));
}

#[test]
fn an_error_not_retried_ends_the_call_without_a_give_up() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| transient_then_fatal(&calls));
    assert_eq!((outcome, calls.get()), (Err(Failure::Fatal), 2));
    assert_eq!(
        seen,
        one_call(
            "metrics::transient_then_fatal",
            2,
            &[0.0],
            "not_retryable",
            0
        )
    );

    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("billing::fatal")
            .retry_if(|e: &Failure| *e == Failure::Transient)
            .call(|| Err::<(), _>(Failure::Fatal))
    });
    assert_eq!(outcome, Err(Failure::Fatal));
    assert_eq!(seen, one_call("billing::fatal", 1, &[], "not_retryable", 0));
}

#[test]
fn a_deadline_gives_up_with_deadline() {
    let _skip = persevere::testing::skip_sleeps();
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| past_deadline(&calls));
    // The second sleep would end at the deadline: the call ends instead.
    assert_eq!((outcome, calls.get()), (Err(Boom), 2));
    assert_eq!(
        seen,
        one_call("metrics::past_deadline", 2, &[1.0], "deadline", 0)
    );
}

#[test]
fn a_retried_ok_counts_like_a_failure() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| zero_then_answer(&calls));
    assert_eq!((outcome, calls.get()), (Ok(42), 2));
    assert_eq!(
        seen,
        one_call("metrics::zero_then_answer", 2, &[0.0], "succeeded", 0)
    );
}

#[test]
fn a_first_time_success_under_retry_if_ok_records_nothing() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| answers_at_once(&calls));
    assert_eq!((outcome, calls.get()), (Ok(42), 1));
    assert_eq!(seen, Seen::default());
}

#[test]
fn a_first_time_success_of_a_policy_with_retry_if_ok_records_nothing() {
    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("billing::answers")
            .retry_if_ok(|n: &u32| *n == 0)
            .call(|| Ok::<u32, Boom>(42))
    });
    assert_eq!(outcome, Ok(42));
    assert_eq!(seen, Seen::default());
}

#[test]
fn a_method_is_labelled_with_its_type_and_name() {
    let gateway = Gateway {
        calls: Cell::new(0),
    };
    let (outcome, seen) = capture(|| gateway.charge());
    assert_eq!((outcome, gateway.calls.get()), (Err(Boom), 2));
    assert_eq!(
        seen,
        one_call("metrics::Gateway::charge", 2, &[0.0], "attempts", 0)
    );

    let gateway = Gateway {
        calls: Cell::new(0),
    };
    let (outcome, seen) = capture_async(gateway.refund());
    assert_eq!((outcome, gateway.calls.get()), (Err(Boom), 2));
    assert_eq!(
        seen,
        one_call("metrics::Gateway::refund", 2, &[1.0], "attempts", 0)
    );
}

// ---------------------------------------------------------------------------------------------
// Async calls, on tokio's paused clock.

#[derive(Debug, Clone, PartialEq)]
enum FetchError {
    TimedOut(Timeout),
    Refused,
}

impl From<Timeout> for FetchError {
    fn from(timeout: Timeout) -> Self {
        FetchError::TimedOut(timeout)
    }
}

#[retry(stop = attempts(3), wait = exponential(multiplier = 1s), timeout = 1s)]
async fn hangs(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    tokio::time::sleep(Duration::from_secs(60)).await;
    Ok(1)
}

#[retry(stop = attempts(3), wait = fixed(1s))]
async fn fetches_at_once(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    Ok(5)
}

#[test]
fn an_async_call_that_gives_up_counts_the_same() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture_async(async {
        let started = tokio::time::Instant::now();
        let outcome = hangs(&calls).await;
        // Three attempts of 1 s, and sleeps of 1 s and 2 s.
        assert_eq!(started.elapsed(), Duration::from_secs(6));
        outcome
    });
    assert!(matches!(outcome, Err(FetchError::TimedOut(_))));
    assert_eq!(calls.get(), 3);
    assert_eq!(
        seen,
        one_call("metrics::hangs", 3, &[1.0, 2.0], "attempts", 0)
    );

    let calls = Cell::new(0);
    let (outcome, seen) = capture_async(async {
        Policy::new()
            .named("billing::fetch")
            .stop(attempts(3))
            .wait(fixed(Duration::from_millis(1500)))
            .call_async(|| async {
                calls.set(calls.get() + 1);
                if calls.get() <= 2 {
                    Err(FetchError::Refused)
                } else {
                    Ok(3)
                }
            })
            .await
    });
    assert_eq!((outcome, calls.get()), (Ok(3), 3));
    assert_eq!(
        seen,
        one_call("billing::fetch", 3, &[1.5, 1.5], "succeeded", 0)
    );
}

#[test]
fn an_async_first_time_success_records_nothing() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture_async(async {
        let first = fetches_at_once(&calls).await;
        let second = Policy::new()
            .named("billing::fetch")
            .call_async(|| async { Ok::<_, FetchError>(3) })
            .await;
        (first, second)
    });
    assert_eq!((outcome, calls.get()), ((Ok(5), Ok(3)), 1));
    assert_eq!(seen, Seen::default());
}

#[test]
fn a_breaker_counts_its_opening_its_refusals_and_the_calls_it_ended() {
    use persevere::breaker::{BreakerOpen, CircuitBreaker};
    use persevere::metrics::{BREAKER_OPENINGS, BREAKER_REFUSALS};
    static BREAKER: CircuitBreaker = CircuitBreaker::new()
        .consecutive_failures(2)
        .cool_down(Duration::from_secs(60))
        .jitter(0);
    #[derive(Debug)]
    struct Refused;
    impl From<BreakerOpen> for Refused {
        fn from(_: BreakerOpen) -> Self {
            Refused
        }
    }
    assert_eq!(BREAKER_OPENINGS, "persevere_breaker_openings_total");
    assert_eq!(BREAKER_REFUSALS, "persevere_breaker_refusals_total");
    let policy = Policy::new()
        .named("metrics::breaker")
        .stop(attempts(5))
        .wait(fixed(Duration::ZERO))
        .sleeper(persevere::sleep::RecordingSleeper::new())
        .breaker(&BREAKER);
    let (_, seen) = capture(|| {
        // Two failures open it and end the call; the next call is refused without an attempt.
        let _ = policy.call(|| Err::<(), _>(Refused));
        let _ = policy.call(|| Ok::<_, Refused>(()));
    });
    let function = "metrics::breaker";
    let f = [("function", function)];
    let ended = [("function", function), ("ending", "breaker_open")];
    let mut expected = one_call(function, 2, &[0.0], "breaker_open", 0);
    expected.counters.insert(key(CALLS, &ended), 2);
    expected.counters.insert(key(GIVE_UPS, &ended), 2);
    expected.counters.insert(key(BREAKER_OPENINGS, &f), 1);
    expected.counters.insert(key(BREAKER_REFUSALS, &f), 2);
    assert_eq!(seen, expected);
}
