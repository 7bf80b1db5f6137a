//! Policies as values: a type-erased policy (`Policy::boxed`, `DynPolicy<T, E>`) kept in a
//! `static`, a `LazyLock`, a struct field and a `HashMap`, run by `call`, `call_async`, their
//! reported forms and the attribute, doing what the generic policy it came from does.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use persevere::budget::RetryBudget;
use persevere::sleep::{AsyncSleeper, RecordingSleeper, SyncSleeper};
use persevere::stop::{attempts, deadline, elapsed};
use persevere::wait::{chain, decorrelated_jitter, exponential, fixed, none};
use persevere::{DynPolicy, Ending, Policy, Report, RetryState, TimeLimits, Timeout, retry};

const MS: Duration = Duration::from_millis(1);

#[derive(Debug, Clone, Copy, PartialEq)]
enum ApiError {
    Busy,
    Invalid,
    TimedOut,
}

impl From<Timeout> for ApiError {
    fn from(_: Timeout) -> Self {
        ApiError::TimedOut
    }
}

fn is_busy(error: &ApiError) -> bool {
    *error == ApiError::Busy
}

/// What the hooks saw, in order.
type Events = Arc<Mutex<Vec<String>>>;

fn hook(
    events: &Events,
    moment: &'static str,
) -> impl Fn(&RetryState<'_, u32, ApiError>) + Send + Sync + 'static {
    let events = events.clone();
    move |state| {
        events.lock().unwrap().push(format!(
            "{moment} #{} after {:?}",
            state.attempt(),
            state.elapsed()
        ))
    }
}

/// The same policy twice: generic, and boxed. Every part is in use.
macro_rules! both {
    ($events:expr, $sleeper:expr) => {{
        let build = || {
            Policy::new()
                .named("both")
                .stop(attempts(5) | elapsed(Duration::from_secs(60)))
                .wait(chain((fixed(10 * MS), exponential().multiplier(20 * MS))))
                .retry_if(is_busy)
                .retry_if_ok(|value: &u32| *value == 0)
                .before(hook(&$events, "before"))
                .after(hook(&$events, "after"))
                .before_sleep(hook(&$events, "before_sleep"))
                .on_finish(hook(&$events, "finish"))
                .on_give_up(
                    |last: Result<u32, ApiError>, _: &RetryState<'_, u32, ApiError>| {
                        last.or(Ok(99))
                    },
                )
                .sleeper($sleeper.clone())
        };
        (build(), build().boxed::<u32, ApiError>())
    }};
}

/// Fails with `failures` in turn, then returns `Ok(7)`.
fn script(failures: &[Result<u32, ApiError>]) -> impl FnMut() -> Result<u32, ApiError> + '_ {
    let mut next = 0;
    move || {
        let outcome = failures.get(next).cloned().unwrap_or(Ok(7));
        next += 1;
        outcome
    }
}

const SCRIPTS: &[&[Result<u32, ApiError>]] = &[
    &[],
    &[Err(ApiError::Busy), Ok(0), Err(ApiError::Busy)],
    &[Err(ApiError::Busy), Err(ApiError::Invalid)],
    &[Err(ApiError::Busy); 9],
];

#[test]
fn a_boxed_policy_runs_every_outcome_as_the_generic_one_does() {
    for script_of in SCRIPTS {
        let generic_events = Events::default();
        let boxed_events = Events::default();
        let generic_sleeper = RecordingSleeper::new();
        let boxed_sleeper = RecordingSleeper::new();
        let (generic, _) = both!(generic_events, generic_sleeper);
        let (_, boxed) = both!(boxed_events, boxed_sleeper);

        let generic_run: (Result<u32, ApiError>, Report) = generic.call_reported(script(script_of));
        let boxed_run = boxed.call_reported(script(script_of));
        assert_eq!(generic_run, boxed_run, "{script_of:?}");
        assert_eq!(generic_sleeper.sleeps(), boxed_sleeper.sleeps());
        assert_eq!(
            *generic_events.lock().unwrap(),
            *boxed_events.lock().unwrap()
        );
        assert_eq!(
            generic.call(script(script_of)),
            boxed.call(script(script_of))
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_boxed_policy_runs_every_future_as_the_generic_one_does() {
    for script_of in SCRIPTS {
        let generic_events = Events::default();
        let boxed_events = Events::default();
        let sleeper = RecordingSleeper::new();
        let (generic, _) = both!(generic_events, sleeper);
        let (_, boxed) = both!(boxed_events, sleeper);

        let mut generic_attempts = script(script_of);
        let generic_run = generic
            .call_async_reported(|| std::future::ready(generic_attempts()))
            .await;
        let mut boxed_attempts = script(script_of);
        let boxed_run = boxed
            .call_async_reported(|| std::future::ready(boxed_attempts()))
            .await;
        assert_eq!(generic_run, boxed_run, "{script_of:?}");
        assert_eq!(
            *generic_events.lock().unwrap(),
            *boxed_events.lock().unwrap()
        );

        let mut boxed_attempts = script(script_of);
        let outcome = boxed
            .call_async(|| std::future::ready(boxed_attempts()))
            .await;
        assert_eq!(outcome, generic_run.0);
    }
}

#[test]
fn a_boxed_schedule_is_the_generic_schedule() {
    let generic = Policy::new()
        .stop(attempts(6) | deadline(Duration::from_secs(2)))
        .wait(
            exponential()
                .multiplier(100 * MS)
                .max(Duration::from_secs(1)),
        );
    let boxed: DynPolicy<(), ()> = generic.boxed();
    assert_eq!(generic.schedule::<(), ()>(100), boxed.schedule(100));
    // Stateful waits keep their memory behind the pointer.
    persevere::jitter::seed(3);
    let jittered = Policy::new().stop(attempts(8)).wait(decorrelated_jitter());
    let first = jittered.schedule::<(), ()>(8);
    persevere::jitter::seed(3);
    let boxed: DynPolicy<(), ()> = jittered.boxed();
    assert_eq!(first, boxed.schedule(8));
}

// ---- Kept where its type cannot be written out ------------------------------------------

static SEARCH: LazyLock<DynPolicy<u32, ApiError>> = LazyLock::new(|| {
    Policy::new()
        .named("search")
        .stop(attempts(3))
        .wait(none())
        .retry_if(is_busy)
        .boxed()
});

#[test]
fn a_lazy_static_holds_a_policy_without_its_type() {
    let mut calls = 0;
    let outcome = SEARCH.call(|| {
        calls += 1;
        Err(ApiError::Busy)
    });
    assert_eq!((outcome, calls), (Err(ApiError::Busy), 3));
    let (_, report) = SEARCH.call_reported(|| Err(ApiError::Invalid));
    assert_eq!(
        (report.function(), report.ending()),
        ("search".into(), Ending::NotRetryable)
    );
}

#[test]
fn a_map_holds_policies_of_different_parts_under_one_type() {
    let mut policies: HashMap<&str, DynPolicy<u32, ApiError, RecordingSleeper>> = HashMap::new();
    let sleeper = RecordingSleeper::new();
    policies.insert(
        "quick",
        Policy::new()
            .stop(attempts(2))
            .wait(fixed(MS))
            .sleeper(sleeper.clone())
            .boxed(),
    );
    policies.insert(
        "patient",
        Policy::new()
            .stop(attempts(4) | elapsed(Duration::from_secs(9)))
            .wait(exponential().multiplier(10 * MS))
            .retry_if(is_busy)
            .sleeper(sleeper.clone())
            .boxed(),
    );
    let copy = policies["quick"].clone();
    policies.insert("copy", copy);

    let attempts_of = |name: &str| {
        let mut calls = 0;
        let _ = policies[name].call(|| {
            calls += 1;
            Err(ApiError::Busy)
        });
        calls
    };
    assert_eq!(attempts_of("quick"), 2);
    assert_eq!(attempts_of("patient"), 4);
    assert_eq!(attempts_of("copy"), 2);
    assert_eq!(sleeper.sleeps(), [MS, 10 * MS, 20 * MS, 40 * MS, MS]);
}

/// A client that keeps its policy in a field, and retries its methods with it.
struct Client {
    policy: DynPolicy<u32, ApiError, RecordingSleeper>,
    calls: Cell<u32>,
}

impl Client {
    #[retry(policy = &self.policy)]
    fn fetch(&self) -> Result<u32, ApiError> {
        self.calls.set(self.calls.get() + 1);
        Err(ApiError::Busy)
    }

    // The other keys adjust the kept policy for this method.
    #[retry(policy = &self.policy, stop = attempts(2))]
    async fn fetch_async(&self) -> Result<u32, ApiError> {
        self.calls.set(self.calls.get() + 1);
        Err(ApiError::Busy)
    }
}

#[tokio::test]
async fn a_struct_field_holds_the_policy_the_attribute_borrows() {
    let sleeper = RecordingSleeper::new();
    let client = Client {
        policy: Policy::new()
            .stop(attempts(3))
            .wait(fixed(5 * MS))
            .sleeper(sleeper.clone())
            .boxed(),
        calls: Cell::new(0),
    };
    assert_eq!(client.fetch(), Err(ApiError::Busy));
    assert_eq!(client.calls.get(), 3);
    assert_eq!(client.fetch_async().await, Err(ApiError::Busy));
    assert_eq!(client.calls.get(), 5);
    assert_eq!(sleeper.sleeps(), [5 * MS, 5 * MS, 5 * MS]);
}

#[retry(policy = &SEARCH)]
fn search(calls: &Cell<u32>, outcome: Result<u32, ApiError>) -> Result<u32, ApiError> {
    calls.set(calls.get() + 1);
    outcome
}

#[retry(policy = SEARCH.borrowed(), stop = attempts(5))]
async fn search_async(calls: &Cell<u32>) -> Result<u32, ApiError> {
    calls.set(calls.get() + 1);
    Err(ApiError::Busy)
}

#[tokio::test]
async fn the_attribute_borrows_a_lazy_static_policy() {
    let calls = Cell::new(0);
    assert_eq!(search(&calls, Err(ApiError::Busy)), Err(ApiError::Busy));
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert_eq!(
        search(&calls, Err(ApiError::Invalid)),
        Err(ApiError::Invalid)
    );
    assert_eq!(calls.get(), 1);
    let calls = Cell::new(0);
    assert_eq!(search(&calls, Ok(4)), Ok(4));
    assert_eq!(calls.get(), 1);
    let calls = Cell::new(0);
    assert_eq!(search_async(&calls).await, Err(ApiError::Busy));
    assert_eq!(calls.get(), 5);
}

#[test]
fn a_boxed_policy_is_shared_by_threads() {
    fn shareable<P: Send + Sync + 'static>(_: &P) {}
    shareable(&*SEARCH);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                let mut calls = 0;
                let _ = SEARCH.call(|| {
                    calls += 1;
                    Err::<u32, _>(ApiError::Busy)
                });
                calls
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), 3);
    }
}

// ---- What stays in the type ---------------------------------------------------------------

static BUDGET: RetryBudget = RetryBudget::with_reserve(2, 0);

#[test]
fn a_boxed_policy_spends_its_static_budget() {
    let policy: DynPolicy<u32, ApiError> = Policy::new()
        .stop(attempts(10))
        .wait(none())
        .budget(&BUDGET)
        .boxed();
    let mut calls = 0;
    let (outcome, report) = policy.call_reported(|| {
        calls += 1;
        Err(ApiError::Busy)
    });
    assert_eq!((outcome, calls), (Err(ApiError::Busy), 3));
    assert_eq!(report.ending(), Ending::Budget);
}

#[tokio::test(start_paused = true)]
async fn a_boxed_policy_keeps_its_time_limits_in_its_type() {
    let policy: DynPolicy<u32, ApiError, persevere::sleep::DefaultSleeper, TimeLimits> =
        Policy::new()
            .stop(attempts(3))
            .wait(fixed(MS))
            .timeout(100 * MS)
            .boxed();
    let start = tokio::time::Instant::now();
    let outcome = policy
        .call_async(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok(1)
        })
        .await;
    assert_eq!(outcome, Err(ApiError::TimedOut));
    assert_eq!(start.elapsed(), 300 * MS + 2 * MS);
}

// ---- Erasing keeps the answers ------------------------------------------------------------

/// A sleeper that counts how often its clock is read.
#[derive(Clone, Default)]
struct ClockWatch {
    reads: Arc<Mutex<u32>>,
}

impl ClockWatch {
    fn reads(&self) -> u32 {
        *self.reads.lock().unwrap()
    }
}

impl SyncSleeper for ClockWatch {
    fn sleep(&self, _: Duration) {}
    fn now(&self) -> Instant {
        *self.reads.lock().unwrap() += 1;
        Instant::now()
    }
}

impl AsyncSleeper for ClockWatch {
    type Sleeping = std::future::Ready<()>;
    fn sleep(&self, _: Duration) -> Self::Sleeping {
        std::future::ready(())
    }
    fn now(&self) -> Instant {
        *self.reads.lock().unwrap() += 1;
        Instant::now()
    }
}

/// The clock of `UNTIMED`: clones share the count.
static UNTIMED_CLOCK: LazyLock<ClockWatch> = LazyLock::new(ClockWatch::default);

static UNTIMED: LazyLock<DynPolicy<u32, ApiError, ClockWatch>> = LazyLock::new(|| {
    Policy::new()
        .stop(attempts(3))
        .wait(exponential())
        .sleeper(UNTIMED_CLOCK.clone())
        .boxed()
});

#[retry(policy = &UNTIMED)]
fn untimed(outcome: Result<u32, ApiError>) -> Result<u32, ApiError> {
    outcome
}

#[tokio::test]
async fn a_boxed_policy_that_reads_no_clock_still_reads_none() {
    let clock = UNTIMED_CLOCK.clone();
    assert_eq!(UNTIMED.call(|| Ok(1)), Ok(1));
    assert_eq!(UNTIMED.call_async(|| async { Ok(1) }).await, Ok(1));
    assert_eq!(untimed(Ok(1)), Ok(1));
    // Failing, then giving up, reads none either: nothing watches the call.
    assert_eq!(UNTIMED.call(|| Err(ApiError::Busy)), Err(ApiError::Busy));
    assert_eq!(untimed(Err(ApiError::Busy)), Err(ApiError::Busy));
    assert_eq!(clock.reads(), 0);

    // A time-based stop reads it, boxed or not.
    let timed: DynPolicy<u32, ApiError, ClockWatch> = Policy::new()
        .stop(elapsed(Duration::from_secs(1)))
        .sleeper(clock.clone())
        .boxed();
    assert_eq!(timed.call(|| Ok(1)), Ok(1));
    assert!(clock.reads() > 0);
}
