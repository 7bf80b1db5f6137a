//! A call that succeeds first time allocates nothing and reads no clock, even with a policy that
//! would read the clock on a failure.

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use persevere::retry;
use persevere::sleep::{AsyncSleeper, SyncSleeper};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations_during;

/// A sleeper that counts how often its clock is read.
#[derive(Clone, Copy)]
struct ClockWatch<'a> {
    reads: &'a Cell<u32>,
}

impl SyncSleeper for ClockWatch<'_> {
    fn sleep(&self, _: Duration) {}
    fn now(&self) -> Instant {
        self.reads.set(self.reads.get() + 1);
        Instant::now()
    }
}

impl AsyncSleeper for ClockWatch<'_> {
    type Sleeping = std::future::Ready<()>;
    fn sleep(&self, _: Duration) -> Self::Sleeping {
        std::future::ready(())
    }
    fn now(&self) -> Instant {
        self.reads.set(self.reads.get() + 1);
        Instant::now()
    }
}

#[retry(stop = attempts(4) | elapsed(30s), wait = exponential(min = 4s, max = 10s), sleep = ClockWatch { reads })]
fn sync_call(succeed: bool, reads: &Cell<u32>) -> Result<u32, String> {
    if succeed { Ok(7) } else { Err("down".into()) }
}

#[retry(stop = attempts(4), wait = exponential(min = 4s, max = 10s), sleep = ClockWatch { reads })]
fn untimed_call(succeed: bool, reads: &Cell<u32>) -> Result<u32, String> {
    if succeed { Ok(7) } else { Err("down".into()) }
}

#[retry(stop = attempts(4) | elapsed(30s), wait = exponential(min = 4s, max = 10s), sleep = ClockWatch { reads })]
async fn async_call(succeed: bool, reads: &Cell<u32>) -> Result<u32, String> {
    if succeed { Ok(7) } else { Err("down".into()) }
}

#[retry(stop = attempts(4), wait = exponential(min = 4s, max = 10s), sleep = ClockWatch { reads }, on_finish = |state| finished.set(state.report().map(persevere::Report::attempts)))]
fn finished_call(
    succeed: bool,
    reads: &Cell<u32>,
    finished: &Cell<Option<u32>>,
) -> Result<u32, String> {
    if succeed { Ok(7) } else { Err("down".into()) }
}

/// `on_finish` never runs on a first-time success, so it costs nothing there: no clock read,
/// no allocation, no value evaluated. A failing call is timed from its first failure.
#[test]
fn an_on_finish_hook_costs_a_first_time_success_nothing() {
    let (reads, finished) = (Cell::new(0), Cell::new(None));
    let (result, allocations) = allocations_during(|| finished_call(true, &reads, &finished));
    assert_eq!((result, allocations, reads.get()), (Ok(7), 0, 0));
    assert_eq!(finished.get(), None);

    let (result, _) = allocations_during(|| finished_call(false, &reads, &finished));
    assert_eq!(result, Err("down".into()));
    assert_eq!(finished.get(), Some(4));
    assert!(reads.get() >= 1);
}

/// Polls a future that never waits on anything external, without a runtime (which would allocate).
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

#[test]
fn first_time_success_allocates_nothing_and_reads_no_clock() {
    let reads = Cell::new(0);
    let (result, allocations) = allocations_during(|| sync_call(true, &reads));
    assert_eq!(result, Ok(7));
    assert_eq!(allocations, 0);
    // A time-based stop must know when the call started: one read, at the start, and no more.
    assert_eq!(reads.get(), 1);

    let reads = Cell::new(0);
    let (result, allocations) = allocations_during(|| untimed_call(true, &reads));
    assert_eq!((result, allocations, reads.get()), (Ok(7), 0, 0));

    let reads = Cell::new(0);
    let (result, allocations) = allocations_during(|| run(async_call(true, &reads)));
    assert_eq!((result, allocations), (Ok(7), 0));
}

#[test]
fn an_untimed_policy_never_reads_the_clock_even_when_retrying() {
    let reads = Cell::new(0);
    assert_eq!(untimed_call(false, &reads), Err("down".to_owned()));
    assert_eq!(reads.get(), 0);
    // A timed one reads it at the start and after each failed attempt.
    let reads = Cell::new(0);
    assert_eq!(sync_call(false, &reads), Err("down".to_owned()));
    assert_eq!(reads.get(), 5);
}

#[retry(
    stop = attempts(5) | elapsed(30s),
    wait = exponential(min = 4s, max = 10s) + random_exponential(max = 1s),
    sleep = |_| {}
)]
fn retried_then_fine(calls: &Cell<u32>) -> Result<u32, u32> {
    calls.set(calls.get() + 1);
    if calls.get() < 4 {
        Err(calls.get())
    } else {
        Ok(7)
    }
}

#[retry(
    stop = attempts(5) | deadline(30s),
    wait = decorrelated_jitter(initial = 1s) + fixed(1s),
    sleep = |_| std::future::ready(())
)]
async fn retried_then_fine_async(calls: &Cell<u32>) -> Result<u32, u32> {
    calls.set(calls.get() + 1);
    if calls.get() < 4 {
        Err(calls.get())
    } else {
        Ok(7)
    }
}

#[test]
fn the_retry_path_of_built_in_strategies_allocates_nothing() {
    // Seeded first, so the jitter generator exists before counting starts.
    persevere::jitter::seed(1);
    let calls = Cell::new(0);
    let (result, allocations) = allocations_during(|| retried_then_fine(&calls));
    assert_eq!((result, calls.get(), allocations), (Ok(7), 4, 0));

    let calls = Cell::new(0);
    let (result, allocations) = allocations_during(|| run(retried_then_fine_async(&calls)));
    assert_eq!((result, calls.get(), allocations), (Ok(7), 4, 0));
    persevere::jitter::unseed();
}

// ---- Reports ----

use persevere::stop::{attempts, elapsed};
use persevere::wait::{exponential, none};
use persevere::{Ending, OutcomeKind, Policy, RetryState};

#[retry(stop = attempts(3), wait = none(), on_finish = |_| finished.set(finished.get() + 1))]
fn finished_first_time(finished: &Cell<u32>) -> Result<u32, String> {
    Ok(7)
}

#[test]
fn a_reported_first_time_success_allocates_nothing() {
    let policy = Policy::new()
        .stop(attempts(4) | elapsed(Duration::from_secs(30)))
        .wait(exponential().min(Duration::from_secs(4)));
    let ((outcome, report), allocations) =
        allocations_during(|| policy.call_reported(|| Ok::<u32, String>(7)));
    assert_eq!((outcome, allocations), (Ok(7), 0));
    assert_eq!(
        (report.attempts(), report.ending(), report.slept()),
        (1, Ending::Succeeded, Duration::ZERO)
    );
    assert_eq!(report.outcomes(), Some(vec![OutcomeKind::Ok]));

    // With an `on_finish` hook (which does not run), and with a condition that could retry an
    // `Ok` (so the outcome goes through the engine).
    let finished = Cell::new(0);
    let policy = Policy::new()
        .retry_if_ok(|value: &u32| *value == 0)
        .on_finish(|_: &RetryState<'_, u32, String>| finished.set(finished.get() + 1));
    let ((outcome, report), allocations) =
        allocations_during(|| policy.call_reported(|| Ok::<u32, String>(7)));
    assert_eq!((outcome, allocations, finished.get()), (Ok(7), 0, 0));
    assert_eq!(report.outcomes(), Some(vec![OutcomeKind::Ok]));

    let (outcome, allocations) = allocations_during(|| finished_first_time(&finished));
    assert_eq!((outcome, allocations, finished.get()), (Ok(7), 0, 0));

    let reads = Cell::new(0);
    let policy = Policy::new().sleeper(ClockWatch { reads: &reads });
    let ((outcome, report), allocations) = allocations_during(|| {
        run(policy.call_async_reported(|| std::future::ready(Ok::<u32, String>(7))))
    });
    assert_eq!((outcome, allocations), (Ok(7), 0));
    assert_eq!(report.ending(), Ending::Succeeded);
    // A reported call reads the clock at its start and its end.
    assert_eq!(reads.get(), 2);
}

#[retry(
    stop = attempts(5) | elapsed(30s),
    wait = exponential(min = 4s, max = 10s),
    sleep = |_| {},
    after = |state| last.set(state.attempt()),
    on_give_up = |outcome, state| {
        let report = state.report().expect("on_give_up sees a report");
        last.set(report.attempts() * 10 + u32::from(report.history().is_none()));
        outcome
    },
)]
fn gives_up_unreported(last: &Cell<u32>) -> Result<u32, u32> {
    Err(1)
}

#[retry(stop = attempts(4), wait = 1s, sleep = |_| std::future::ready(()), span = true)]
async fn traced_but_unheard(calls: &Cell<u32>) -> Result<u32, u32> {
    calls.set(calls.get() + 1);
    if calls.get() < 3 {
        Err(calls.get())
    } else {
        Ok(7)
    }
}

#[test]
fn a_failing_call_nobody_reports_on_allocates_nothing() {
    // `on_give_up` reads the report (without its history, which nothing asked for).
    let last = Cell::new(0);
    let (outcome, allocations) = allocations_during(|| gives_up_unreported(&last));
    assert_eq!((outcome, allocations, last.get()), (Err(1), 0, 51));

    let calls = Cell::new(0);
    let policy = Policy::new()
        .stop(attempts(5) | elapsed(Duration::from_secs(30)))
        .wait(exponential().min(Duration::from_secs(4)))
        .sleeper(|_: Duration| {})
        .before_sleep(|state: &RetryState<'_, u32, u32>| calls.set(calls.get() + state.attempt()))
        .on_give_up(
            |outcome: Result<u32, u32>, state: &RetryState<'_, u32, u32>| {
                let report = state.report().expect("on_give_up sees a report");
                assert!(report.history().is_none());
                outcome.or(Ok(report.attempts()))
            },
        );
    let (outcome, allocations) = allocations_during(|| policy.call(|| Err(1)));
    assert_eq!((outcome, allocations), (Ok(5), 0));

    let reads = Cell::new(0);
    let policy = Policy::new()
        .stop(attempts(3))
        .sleeper(ClockWatch { reads: &reads })
        .span(true);
    let (outcome, allocations) =
        allocations_during(|| run(policy.call_async(|| std::future::ready(Err::<u32, _>(1)))));
    assert_eq!((outcome, allocations), (Err(1), 0));

    // A span with no subscriber to listen to it costs nothing either (this test binary never
    // sets one).
    let calls = Cell::new(0);
    let (outcome, allocations) = allocations_during(|| run(traced_but_unheard(&calls)));
    assert_eq!((outcome, calls.get(), allocations), (Ok(7), 3, 0));
    let (outcome, allocations) = allocations_during(|| {
        Policy::new()
            .wait(none())
            .span(true)
            .call(|| Err::<u32, _>(1))
    });
    assert_eq!((outcome, allocations), (Err(1), 0));
}

/// `tracing` caches each callsite's interest from the subscribers alive when it was last built:
/// a scoped subscriber that has since been dropped leaves the span's callsite "always enabled",
/// and the span made with no subscriber then counts as enabled (`Span::is_disabled` is false), so
/// the call watches itself: a `Box` and a `Vec` for a span nobody hears.
#[test]

fn a_traced_call_allocates_nothing_after_a_subscriber_has_gone() {
    tracing::subscriber::with_default(tracing_subscriber::registry(), || {
        let _ = Policy::new()
            .wait(none())
            .span(true)
            .call(|| Err::<u32, _>(1));
    });
    // No subscriber now.
    let (outcome, allocations) = allocations_during(|| {
        Policy::new()
            .wait(none())
            .span(true)
            .call(|| Err::<u32, _>(1))
    });
    assert_eq!(outcome, Err(1));
    let recorded = Cell::new(None);
    let _ = Policy::new()
        .wait(none())
        .span(true)
        .on_give_up(
            |outcome: Result<u32, u32>, state: &RetryState<'_, u32, u32>| {
                recorded.set(Some(state.report().unwrap().history().is_some()));
                outcome
            },
        )
        .call(|| Err::<u32, _>(1));
    // Found: `(2, Some(true))`: two allocations, and the history recorded.
    assert_eq!((allocations, recorded.get()), (0, Some(false)));
}

// ---- Policies as values ----

use persevere::DynPolicy;

/// Boxed at the start, before counting: erasing a policy allocates its parts once, and calling
/// it allocates nothing, first time or retrying.
#[test]
fn a_boxed_policy_allocates_nothing_per_call() {
    let boxed: DynPolicy<u32, u32> = Policy::new()
        .stop(attempts(4) | elapsed(Duration::from_secs(30)))
        .wait(exponential().min(Duration::from_secs(4)))
        .sleeper(persevere::sleep::DefaultSleeper)
        .boxed();
    let (outcome, allocations) = allocations_during(|| boxed.call(|| Ok(7)));
    assert_eq!((outcome, allocations), (Ok(7), 0));
    let (outcome, allocations) =
        allocations_during(|| run(boxed.call_async(|| std::future::ready(Ok(7)))));
    assert_eq!((outcome, allocations), (Ok(7), 0));

    let instant: DynPolicy<u32, u32, fn(Duration)> = Policy::new()
        .stop(attempts(4))
        .wait(exponential())
        .sleeper((|_| {}) as fn(Duration))
        .boxed();
    let calls = Cell::new(0);
    let (outcome, allocations) = allocations_during(|| {
        instant.call(|| {
            calls.set(calls.get() + 1);
            if calls.get() < 4 { Err(1) } else { Ok(7) }
        })
    });
    assert_eq!((outcome, calls.get(), allocations), (Ok(7), 4, 0));
}

// ---- Settings ----

use persevere::settings::{GlobalSettings, RetrySettings, ServiceError};

#[derive(Debug, PartialEq)]
struct Throttled;

impl persevere::condition::ErrorCode for Throttled {
    fn error_code(&self) -> Option<&str> {
        Some("Throttling")
    }
}

impl ServiceError for Throttled {
    fn is_network_error(&self) -> bool {
        false
    }
    fn is_throttled(&self) -> bool {
        true
    }
}

static SDK: GlobalSettings<Throttled> = GlobalSettings::new();

#[retry(settings = SDK, sleep = |_| {})]
fn under_settings(calls: &Cell<u32>) -> Result<u32, Throttled> {
    calls.set(calls.get() + 1);
    if calls.get() < 4 {
        Err(Throttled)
    } else {
        Ok(7)
    }
}

/// Settings are read once per call, at its first failure, under a shared lock: no allocation,
/// codes and custom strategies included (they are shared, not copied).
#[test]
fn a_call_under_settings_allocates_nothing() {
    persevere::jitter::seed(1);
    SDK.set_default(
        RetrySettings::new()
            .retry_error_codes(["AccessDenied"])
            .backoff_strategy(persevere::settings::BackoffStrategy::custom(|input| {
                input.exponential_with_random_jitter()
            })),
    );
    let calls = Cell::new(3);
    let (outcome, allocations) = allocations_during(|| under_settings(&calls));
    assert_eq!((outcome, allocations), (Ok(7), 0));
    let calls = Cell::new(0);
    let (outcome, allocations) = allocations_during(|| under_settings(&calls));
    assert_eq!((outcome, calls.get(), allocations), (Ok(7), 4, 0));
    let calls = Cell::new(0);
    let (outcome, allocations) = allocations_during(|| {
        SDK.policy()
            .sleeper(|_: Duration| {})
            .call(|| under_settings_body(&calls))
    });
    assert_eq!((outcome, calls.get(), allocations), (Ok(7), 4, 0));
    persevere::jitter::unseed();
}

fn under_settings_body(calls: &Cell<u32>) -> Result<u32, Throttled> {
    calls.set(calls.get() + 1);
    if calls.get() < 4 {
        Err(Throttled)
    } else {
        Ok(7)
    }
}

// ---- a first-time outcome comes back as it was, however its type is spelled ----------------
//
// Where the signature spells `Result`, the expansion returns a first-time success rebuilt from
// its payload (cheaper than a whole copy); an alias of another name is returned as it is.

type Reply = Result<Vec<String>, String>;

#[retry(stop = attempts(1), wait = none())]
fn spelled_io(text: &str) -> std::io::Result<String> {
    Ok(text.to_owned())
}

#[retry(stop = attempts(1), wait = none())]
fn spelled_in_full(text: &str) -> ::core::result::Result<(u8, String, [u64; 3]), Box<str>> {
    match text {
        "" => Err("empty".into()),
        _ => Ok((7, text.to_owned(), [1, 2, 3])),
    }
}

#[retry(stop = attempts(1), wait = none())]
fn aliased(text: &str) -> Reply {
    Ok(vec![text.to_owned(); 2])
}

#[retry(stop = attempts(1), wait = none())]
async fn spelled_async(text: &str) -> Result<String, ()> {
    Ok(text.repeat(2))
}

#[test]
fn a_first_time_outcome_comes_back_whole_however_its_type_is_spelled() {
    assert_eq!(spelled_io("a").unwrap(), "a");
    assert_eq!(spelled_in_full("b"), Ok((7, "b".to_owned(), [1, 2, 3])));
    assert_eq!(spelled_in_full(""), Err("empty".into()));
    assert_eq!(aliased("c"), Ok(vec!["c".to_owned(), "c".to_owned()]));
    let mut future = pin!(spelled_async("d"));
    let mut cx = Context::from_waker(Waker::noop());
    assert_eq!(
        future.as_mut().poll(&mut cx),
        Poll::Ready(Ok("dd".to_owned()))
    );
}
