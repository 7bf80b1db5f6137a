//! Circuit breakers: counted outcomes, opening on consecutive failures and on a failure rate,
//! refusals without an attempt, a retrying call stopped before its next attempt, half-open probes
//! on the sleeper's clock, through `Policy` and the attribute, sync and async, and under
//! concurrency.

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use persevere::breaker::{BreakerOpen, BreakerState, CircuitBreaker, KeyedBreaker};
use persevere::sleep::RecordingSleeper;
use persevere::stop::attempts;
use persevere::{Ending, Policy, Report, retry};

#[path = "support/log_capture.rs"]
mod log_capture;

#[derive(Debug, Clone, PartialEq)]
enum Error {
    /// A failure the conditions here retry.
    Unavailable,
    /// A failure they do not (a 404).
    NotFound,
    /// The breaker refused the call.
    Open(Duration),
}

impl From<BreakerOpen> for Error {
    fn from(open: BreakerOpen) -> Self {
        Error::Open(open.retry_after())
    }
}

fn transient(error: &Error) -> bool {
    *error == Error::Unavailable
}

/// A breaker for one test: opens after 3 failures in a row, for exactly 30 s, one probe.
const fn strict() -> CircuitBreaker {
    CircuitBreaker::new()
        .consecutive_failures(3)
        .failure_rate(0, 1, 1)
        .cool_down(Duration::from_secs(30))
        .jitter(0)
        .probes(1)
}

type Outcome = Result<u32, Error>;

fn policy_on(
    breaker: &'static CircuitBreaker,
    clock: &RecordingSleeper,
) -> impl Fn(&Cell<u32>, Outcome) -> (Outcome, Report) {
    let policy = Policy::new()
        .stop(attempts(5))
        .wait(Duration::from_secs(1))
        .retry_if(transient)
        .sleeper(clock.clone())
        .breaker(breaker);
    move |calls, outcome| {
        policy.call_reported(|| {
            calls.set(calls.get() + 1);
            outcome.clone()
        })
    }
}

#[test]
fn a_retrying_call_stops_before_the_attempt_after_the_breaker_opens() {
    static UPSTREAM: CircuitBreaker = strict();
    let clock = RecordingSleeper::new();
    let call = policy_on(&UPSTREAM, &clock);
    let calls = Cell::new(0);
    let (outcome, report) = call(&calls, Err(Error::Unavailable));
    // Three failures open it; the call ends there, with no sleep towards an attempt the breaker
    // would refuse.
    assert_eq!(calls.get(), 3);
    assert_eq!(outcome, Err(Error::Open(Duration::from_secs(30))));
    assert_eq!(report.ending(), Ending::BreakerOpen);
    assert_eq!(report.attempts(), 3);
    assert_eq!(clock.sleeps(), [Duration::from_secs(1); 2]);
    assert_eq!(UPSTREAM.state(), BreakerState::Open);
}

#[test]
fn an_open_breaker_refuses_a_call_at_once_then_lets_one_probe_through_after_its_cool_down() {
    static UPSTREAM: CircuitBreaker = strict();
    let clock = RecordingSleeper::new();
    let call = policy_on(&UPSTREAM, &clock);
    let _ = call(&Cell::new(0), Err(Error::Unavailable));
    // Refused: no attempt, no sleep, the time until the probe.
    clock.advance(Duration::from_secs(22));
    let calls = Cell::new(0);
    let (outcome, report) = call(&calls, Ok(1));
    assert_eq!(
        (calls.get(), outcome),
        (0, Err(Error::Open(Duration::from_secs(8))))
    );
    assert_eq!(
        (report.ending(), report.attempts()),
        (Ending::BreakerOpen, 0)
    );
    assert_eq!(clock.sleeps().len(), 2);
    // At the end of the cool-down the probe goes through, and its success closes the breaker.
    clock.advance(Duration::from_secs(8));
    assert_eq!(call(&calls, Ok(7)).0, Ok(7));
    assert_eq!((calls.get(), UPSTREAM.state()), (1, BreakerState::Closed));
}

#[test]
fn a_failed_probe_opens_the_breaker_again_for_a_whole_cool_down() {
    static UPSTREAM: CircuitBreaker = strict();
    let clock = RecordingSleeper::new();
    let call = policy_on(&UPSTREAM, &clock);
    let _ = call(&Cell::new(0), Err(Error::Unavailable));
    clock.advance(Duration::from_secs(30));
    let calls = Cell::new(0);
    let (outcome, report) = call(&calls, Err(Error::Unavailable));
    // The probe fails: the breaker opens again, so the probe's call makes no second attempt.
    assert_eq!(calls.get(), 1);
    assert_eq!(outcome, Err(Error::Open(Duration::from_secs(30))));
    assert_eq!(
        (report.ending(), report.attempts()),
        (Ending::BreakerOpen, 1)
    );
    assert_eq!(UPSTREAM.state(), BreakerState::Open);
}

#[test]
fn outcomes_the_condition_does_not_retry_count_as_successes() {
    static UPSTREAM: CircuitBreaker = strict();
    let clock = RecordingSleeper::new();
    let call = policy_on(&UPSTREAM, &clock);
    for _ in 0..10 {
        assert_eq!(
            call(&Cell::new(0), Err(Error::NotFound)).0,
            Err(Error::NotFound)
        );
    }
    assert_eq!(UPSTREAM.state(), BreakerState::Closed);
    // Two failures, then a 404 answered by the upstream: the run of failures starts again.
    let once = Policy::new()
        .stop(attempts(1))
        .retry_if(transient)
        .sleeper(clock.clone())
        .breaker(&UPSTREAM);
    for outcome in [Error::Unavailable, Error::Unavailable, Error::NotFound] {
        let _ = once.call(|| Err::<(), _>(outcome.clone()));
    }
    let _ = once.call(|| Err::<(), _>(Error::Unavailable));
    let _ = once.call(|| Err::<(), _>(Error::Unavailable));
    assert_eq!(UPSTREAM.state(), BreakerState::Closed);
    let _ = once.call(|| Err::<(), _>(Error::Unavailable));
    assert_eq!(UPSTREAM.state(), BreakerState::Open);
}

#[test]
fn a_failure_rate_over_the_window_opens_it_once_enough_calls_are_counted() {
    // Half of the last 10 calls, once 10 are counted.
    static UPSTREAM: CircuitBreaker = CircuitBreaker::new()
        .failure_rate(50, 10, 10)
        .cool_down(Duration::from_secs(5))
        .jitter(0);
    let clock = RecordingSleeper::new();
    let once = Policy::new()
        .stop(attempts(1))
        .retry_if(transient)
        .sleeper(clock.clone())
        .breaker(&UPSTREAM);
    // Four failures in six calls: not enough calls yet.
    for failed in [true, false, true, false, true, true] {
        let _ = once.call(|| {
            if failed {
                Err(Error::Unavailable)
            } else {
                Ok(())
            }
        });
    }
    assert_eq!(UPSTREAM.state(), BreakerState::Closed);
    // Three successes, then the tenth call fails: 5 of 10.
    for _ in 0..3 {
        let _ = once.call(|| Ok::<_, Error>(()));
    }
    assert_eq!(UPSTREAM.state(), BreakerState::Closed);
    let _ = once.call(|| Err::<(), _>(Error::Unavailable));
    assert_eq!(UPSTREAM.state(), BreakerState::Open);
    assert_eq!(
        once.call(|| Ok::<_, Error>(())),
        Err(Error::Open(Duration::from_secs(5)))
    );
}

/// Half of the last 4 calls, once 4 are counted; a 5 s cool-down, one probe.
const fn by_rate() -> CircuitBreaker {
    CircuitBreaker::new()
        .failure_rate(50, 4, 4)
        .cool_down(Duration::from_secs(5))
        .jitter(0)
        .probes(1)
}

#[test]
fn a_success_that_brings_the_failure_rate_to_its_threshold_opens_it() {
    static UPSTREAM: CircuitBreaker = by_rate();
    let clock = RecordingSleeper::new();
    let once = Policy::new()
        .stop(attempts(1))
        .retry_if(transient)
        .sleeper(clock.clone())
        .breaker(&UPSTREAM);
    let _ = once.call(|| Err::<(), _>(Error::Unavailable));
    let _ = once.call(|| Err::<(), _>(Error::Unavailable));
    let _ = once.call(|| Ok::<_, Error>(()));
    assert_eq!(UPSTREAM.state(), BreakerState::Closed); // 3 calls: too few to judge
    // The fourth call succeeds, and 2 of the last 4 failed: the order of the calls does not
    // matter, only the window's contents.
    assert_eq!(once.call(|| Ok::<_, Error>(1)), Ok(1));
    assert_eq!(UPSTREAM.state(), BreakerState::Open);
    // Its cool-down starts there: the policy's call reads its clock.
    clock.advance(Duration::from_secs(4));
    assert_eq!(
        once.call(|| Ok::<_, Error>(3)),
        Err(Error::Open(Duration::from_secs(1)))
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(once.call(|| Ok::<_, Error>(4)), Ok(4));
    assert_eq!(UPSTREAM.state(), BreakerState::Closed);
}

#[test]
fn a_retried_calls_success_that_opens_it_starts_the_cool_down_at_once() {
    static UPSTREAM: CircuitBreaker = by_rate();
    let clock = RecordingSleeper::new();
    let twice = Policy::new()
        .stop(attempts(2))
        .wait(Duration::from_secs(1))
        .retry_if(transient)
        .sleeper(clock.clone())
        .breaker(&UPSTREAM);
    let failing_once = || {
        let failed = Cell::new(false);
        twice.call(|| {
            if failed.replace(true) {
                Ok(1)
            } else {
                Err(Error::Unavailable)
            }
        })
    };
    assert_eq!(failing_once(), Ok(1));
    assert_eq!(UPSTREAM.state(), BreakerState::Closed);
    // Its second success leaves 2 of the last 4 calls failed, and it has read its clock.
    assert_eq!(failing_once(), Ok(1));
    assert_eq!(UPSTREAM.state(), BreakerState::Open);
    clock.advance(Duration::from_secs(4));
    assert_eq!(
        twice.call(|| Ok::<_, Error>(2)),
        Err(Error::Open(Duration::from_secs(1)))
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(twice.call(|| Ok::<_, Error>(3)), Ok(3));
}

static BY_RATE: CircuitBreaker = by_rate();

#[retry(stop = attempts(1), retry_if = transient, breaker = BY_RATE, sleep = clock.clone())]
fn by_rate_through_the_attribute(
    clock: &RecordingSleeper,
    outcome: Result<u32, Error>,
) -> Result<u32, Error> {
    outcome.clone()
}

#[test]
fn the_attributes_first_time_success_counts_towards_the_failure_rate_and_says_so() {
    let clock = RecordingSleeper::new();
    let ((), capture) = log_capture::capturing(|| {
        for outcome in [Err(Error::Unavailable), Ok(1), Err(Error::Unavailable)] {
            let _ = by_rate_through_the_attribute(&clock, outcome);
        }
        assert_eq!(BY_RATE.state(), BreakerState::Closed);
        assert_eq!(by_rate_through_the_attribute(&clock, Ok(2)), Ok(2));
        assert_eq!(BY_RATE.state(), BreakerState::Open);
        assert_eq!(
            by_rate_through_the_attribute(&clock, Ok(3)),
            Err(Error::Open(Duration::from_secs(5)))
        );
    });
    let opened: Vec<String> = capture
        .events()
        .into_iter()
        .filter(|event| event.message.contains("opens"))
        .map(|event| event.message)
        .collect();
    assert_eq!(
        opened,
        [
            "persevere: the circuit breaker of breaker::by_rate_through_the_attribute opens after its 1st attempt succeeded: the failures among its last calls reached its failure rate; it lets a probe through when its cool-down has passed"
        ]
    );
}

static BY_RATE_ASYNC: CircuitBreaker = by_rate();

#[retry(stop = attempts(1), retry_if = transient, breaker = BY_RATE_ASYNC)]
async fn by_rate_async(outcome: Result<u32, Error>) -> Result<u32, Error> {
    tokio::task::yield_now().await;
    outcome.clone()
}

#[tokio::test(start_paused = true)]
async fn an_async_success_opens_it_by_rate_and_the_cool_down_runs_on_tokios_clock() {
    for outcome in [Ok(1), Err(Error::Unavailable), Err(Error::Unavailable)] {
        let _ = by_rate_async(outcome).await;
    }
    assert_eq!(by_rate_async(Ok(2)).await, Ok(2));
    assert_eq!(BY_RATE_ASYNC.state(), BreakerState::Open);
    tokio::time::advance(Duration::from_secs(30)).await;
    assert_eq!(
        by_rate_async(Ok(3)).await,
        Err(Error::Open(Duration::from_secs(5)))
    );
    tokio::time::advance(Duration::from_secs(5)).await;
    assert_eq!(by_rate_async(Ok(4)).await, Ok(4));
}

static ATTRIBUTE: CircuitBreaker = strict();

#[retry(stop = attempts(5), wait = 1s, retry_if = transient, breaker = ATTRIBUTE, sleep = clock.clone(), on_finish = |state| ending.set(state.ending()))]
fn through_the_attribute(
    clock: &RecordingSleeper,
    calls: &Cell<u32>,
    ending: &Cell<Option<Ending>>,
    outcome: Result<u32, Error>,
) -> Result<u32, Error> {
    calls.set(calls.get() + 1);
    outcome.clone()
}

#[test]
fn the_attribute_behaves_as_the_policy_and_hooks_and_log_lines_show_it() {
    let clock = RecordingSleeper::new();
    let (calls, ending) = (Cell::new(0), Cell::new(None));
    let ((), capture) = log_capture::capturing(|| {
        let outcome = through_the_attribute(&clock, &calls, &ending, Err(Error::Unavailable));
        assert_eq!(outcome, Err(Error::Open(Duration::from_secs(30))));
        assert_eq!((calls.get(), ending.get()), (3, Some(Ending::BreakerOpen)));
        clock.advance(Duration::from_secs(5));
        let outcome = through_the_attribute(&clock, &calls, &ending, Ok(1));
        assert_eq!(outcome, Err(Error::Open(Duration::from_secs(25))));
        assert_eq!(calls.get(), 3);
        clock.advance(Duration::from_secs(25));
        assert_eq!(through_the_attribute(&clock, &calls, &ending, Ok(2)), Ok(2));
    });
    let lines: Vec<String> = capture
        .events()
        .into_iter()
        .filter(|event| event.message.contains("circuit breaker"))
        .map(|event| event.message)
        .collect();
    let name = "breaker::through_the_attribute";
    assert_eq!(
        lines,
        [
            format!(
                "persevere: the circuit breaker of {name} opens after its 3rd attempt failed; it lets a probe through in 30 seconds"
            ),
            format!(
                "persevere: {name} gives up after its 3rd attempt: its circuit breaker is open for another 30 seconds"
            ),
            format!(
                "persevere: {name} makes no attempt: its circuit breaker is open for another 25 seconds"
            ),
            format!("persevere: the circuit breaker of {name} closes: its probes succeeded"),
        ]
    );
}

static ASYNC: CircuitBreaker = strict();

#[retry(stop = attempts(5), wait = 1s, retry_if = transient, breaker = ASYNC)]
async fn async_call(calls: &AtomicU32, outcome: Result<u32, Error>) -> Result<u32, Error> {
    calls.fetch_add(1, Ordering::SeqCst);
    tokio::task::yield_now().await;
    outcome.clone()
}

#[tokio::test(start_paused = true)]
async fn async_calls_read_tokios_paused_clock() {
    let calls = AtomicU32::new(0);
    let started = tokio::time::Instant::now();
    let outcome = async_call(&calls, Err(Error::Unavailable)).await;
    assert_eq!(outcome, Err(Error::Open(Duration::from_secs(30))));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    tokio::time::advance(Duration::from_secs(29)).await;
    assert_eq!(
        async_call(&calls, Ok(1)).await,
        Err(Error::Open(Duration::from_secs(1)))
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(async_call(&calls, Ok(5)).await, Ok(5));
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert_eq!(ASYNC.state(), BreakerState::Closed);
}

static HOSTS: KeyedBreaker<64> = KeyedBreaker::new(strict());

#[retry(stop = attempts(1), retry_if = transient, breaker = HOSTS.key(host))]
fn fetch(host: &str, calls: &Cell<u32>, outcome: Result<u32, Error>) -> Result<u32, Error> {
    calls.set(calls.get() + 1);
    outcome.clone()
}

#[test]
fn a_keyed_breaker_opens_for_the_failing_key_only() {
    assert_ne!(HOSTS.slot_of("a.example"), HOSTS.slot_of("b.example"));
    let calls = Cell::new(0);
    for _ in 0..3 {
        let _ = fetch("a.example", &calls, Err(Error::Unavailable));
    }
    assert!(matches!(
        fetch("a.example", &calls, Ok(1)),
        Err(Error::Open(_))
    ));
    assert_eq!(fetch("b.example", &calls, Ok(2)), Ok(2));
    assert_eq!(calls.get(), 4);
    assert_eq!(HOSTS.key("a.example").state(), BreakerState::Open);
    assert_eq!(HOSTS.key("b.example").state(), BreakerState::Closed);
}

#[test]
fn a_breaker_and_a_budget_set_in_either_order_both_stay() {
    use persevere::budget::RetryBudget;
    static BREAKER: CircuitBreaker = strict();
    static BUDGET: RetryBudget = RetryBudget::with_reserve(1, 0);
    let policy = Policy::new()
        .stop(attempts(5))
        .wait(Duration::ZERO)
        .breaker(&BREAKER)
        .budget(&BUDGET);
    let calls = Cell::new(0);
    let (outcome, report) = policy.call_reported(|| {
        calls.set(calls.get() + 1);
        Err::<(), _>(Error::Unavailable)
    });
    // One retry in the budget: two failures, and the breaker (three to open) stays closed.
    assert_eq!(
        (outcome, report.ending()),
        (Err(Error::Unavailable), Ending::Budget)
    );
    assert_eq!(BREAKER.state(), BreakerState::Closed);
    let _ = policy.call(|| Err::<(), _>(Error::Unavailable));
    assert_eq!(BREAKER.state(), BreakerState::Open);
}

#[test]
fn under_threads_a_half_open_breaker_lets_exactly_its_probes_through() {
    static SHARED: CircuitBreaker = CircuitBreaker::new()
        .consecutive_failures(4)
        .failure_rate(0, 1, 1)
        .cool_down(Duration::from_secs(10))
        .jitter(0)
        .probes(2);
    const THREADS: usize = 8;
    let clock = RecordingSleeper::new();
    let attempts_made = Arc::new(AtomicU32::new(0));
    let run = |outcome: Result<(), Error>| {
        let barrier = Arc::new(Barrier::new(THREADS));
        let refused = Arc::new(Mutex::new(Vec::new()));
        let threads: Vec<_> = (0..THREADS)
            .map(|_| {
                let (barrier, refused, clock, made) = (
                    barrier.clone(),
                    refused.clone(),
                    clock.clone(),
                    attempts_made.clone(),
                );
                let outcome = outcome.clone();
                std::thread::spawn(move || {
                    let policy = Policy::new()
                        .stop(attempts(1))
                        .retry_if(transient)
                        .sleeper(clock)
                        .breaker(&SHARED);
                    let mut waited = false;
                    let result = policy.call(|| {
                        made.fetch_add(1, Ordering::SeqCst);
                        // An admitted call stays in flight until every thread has asked.
                        barrier.wait();
                        waited = true;
                        outcome.clone()
                    });
                    if !waited {
                        refused.lock().unwrap().push(result.clone());
                        barrier.wait();
                    }
                    result
                })
            })
            .collect();
        for thread in threads {
            let _ = thread.join().unwrap();
        }
        Arc::try_unwrap(refused).unwrap().into_inner().unwrap()
    };
    // Closed: all 8 go through and fail, and the fourth failure opens it.
    assert!(run(Err(Error::Unavailable)).is_empty());
    assert_eq!(attempts_made.swap(0, Ordering::SeqCst), 8);
    assert_eq!(SHARED.state(), BreakerState::Open);
    // Open: none goes through.
    let refused = run(Ok(()));
    assert_eq!(attempts_made.swap(0, Ordering::SeqCst), 0);
    assert_eq!(refused, vec![Err(Error::Open(Duration::from_secs(10))); 8]);
    // Half-open: exactly the 2 probes go through; the other 6 are refused for as long as the
    // probes have to report.
    clock.advance(Duration::from_secs(10));
    let refused = run(Ok(()));
    assert_eq!(attempts_made.swap(0, Ordering::SeqCst), 2);
    assert_eq!(refused, vec![Err(Error::Open(Duration::from_secs(10))); 6]);
    assert_eq!(SHARED.state(), BreakerState::Closed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn under_tasks_each_keys_breaker_opens_after_exactly_its_failures() {
    static TENANTS: KeyedBreaker<256> = KeyedBreaker::new(
        CircuitBreaker::new()
            .consecutive_failures(5)
            .failure_rate(0, 1, 1)
            .cool_down(Duration::from_secs(3600))
            .jitter(0),
    );
    #[retry(stop = attempts(1), retry_if = transient, breaker = TENANTS.key(tenant))]
    async fn serve(tenant: &str, made: &AtomicU32) -> Result<(), Error> {
        made.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        Err(Error::Unavailable)
    }
    let tenants = ["alpha", "beta", "gamma", "delta"];
    let slots: std::collections::BTreeSet<_> =
        tenants.iter().map(|t| TENANTS.slot_of(*t)).collect();
    assert_eq!(slots.len(), tenants.len());
    // Each tenant's five calls run one after another, the tenants side by side: each breaker
    // opens after exactly its own five failures and refuses the tenant's next twenty calls.
    let counts: Vec<Arc<AtomicU32>> = tenants.iter().map(|_| Arc::default()).collect();
    let tasks: Vec<_> = tenants
        .into_iter()
        .zip(&counts)
        .map(|(tenant, made)| {
            let made = made.clone();
            tokio::spawn(async move {
                let mut refused = 0;
                for _ in 0..25 {
                    if let Err(Error::Open(_)) = serve(tenant, &made).await {
                        refused += 1;
                    }
                }
                refused
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 20);
    }
    for made in counts {
        assert_eq!(made.load(Ordering::SeqCst), 5);
    }
}

#[tokio::test(start_paused = true)]
async fn a_probe_whose_call_is_dropped_is_given_up_on_after_a_cool_down() {
    static LOST: CircuitBreaker = strict();
    let policy = Policy::new()
        .stop(attempts(1))
        .retry_if(transient)
        .breaker(&LOST);
    for _ in 0..3 {
        let _ = policy
            .call_async(|| async { Err::<(), _>(Error::Unavailable) })
            .await;
    }
    tokio::time::advance(Duration::from_secs(30)).await;
    // The probe's call is dropped mid-attempt, after a second: it never reports.
    let probe = policy.call_async(std::future::pending::<Result<(), Error>>);
    assert!(
        tokio::time::timeout(Duration::from_secs(1), probe)
            .await
            .is_err()
    );
    let healthy = || policy.call_async(|| async { Ok::<_, Error>(()) });
    assert_eq!(healthy().await, Err(Error::Open(Duration::from_secs(29))));
    // A cool-down after it was let through, a new probe goes.
    tokio::time::advance(Duration::from_secs(29)).await;
    assert_eq!(healthy().await, Ok(()));
    assert_eq!(LOST.state(), BreakerState::Closed);
}

/// Jitter on the longest cool-downs saturates rather than overflowing: no panic inside a call.
#[test]
fn jitter_on_a_huge_cool_down_does_not_panic() {
    for (cool_down, jitter) in [
        (Duration::MAX, 100),
        (Duration::from_secs(u64::MAX / 2), 300),
        (Duration::from_secs(60), u32::MAX),
    ] {
        let breaker: &'static CircuitBreaker = Box::leak(Box::new(
            CircuitBreaker::new()
                .consecutive_failures(1)
                .cool_down(cool_down)
                .jitter(jitter),
        ));
        let outcome = Policy::new()
            .stop(attempts(2))
            .breaker(breaker)
            .sleeper(RecordingSleeper::new())
            .call(|| Err::<(), Error>(Error::Unavailable));
        assert!(outcome.is_err());
        assert_eq!(breaker.state(), BreakerState::Open);
    }
}

static BRIEF: CircuitBreaker = CircuitBreaker::new()
    .consecutive_failures(1)
    .cool_down(Duration::from_secs(1))
    .jitter(0)
    .probes(1);
static BRIEF_TOO: CircuitBreaker = CircuitBreaker::new()
    .consecutive_failures(1)
    .cool_down(Duration::from_secs(1))
    .jitter(0)
    .probes(1);

#[retry(stop = attempts(3), wait = 5s, retry_if = transient, breaker = BRIEF_TOO, sleep = clock.clone())]
fn outlasts_the_cool_down(clock: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, Error> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        Err(Error::Unavailable)
    } else {
        Ok(7)
    }
}

/// A call whose wait outlasts the breaker's cool-down is not refused: the attempt after its sleep
/// would be let through, as a probe. It sleeps, tries, and closes the breaker.
#[test]
fn a_wait_longer_than_the_cool_down_sleeps_and_probes() {
    let clock = RecordingSleeper::new();
    let calls = Cell::new(0);
    let outcome = Policy::new()
        .stop(attempts(3))
        .wait(Duration::from_secs(5))
        .retry_if(transient)
        .breaker(&BRIEF)
        .sleeper(clock.clone())
        .call(|| {
            calls.set(calls.get() + 1);
            if calls.get() == 1 {
                Err(Error::Unavailable)
            } else {
                Ok(7)
            }
        });
    assert_eq!((outcome, calls.get()), (Ok(7), 2));
    assert_eq!(clock.sleeps(), [Duration::from_secs(5)]);
    assert_eq!(BRIEF.state(), BreakerState::Closed);

    let (clock, calls) = (RecordingSleeper::new(), Cell::new(0));
    assert_eq!(outlasts_the_cool_down(&clock, &calls), Ok(7));
    assert_eq!(calls.get(), 2);
    assert_eq!(BRIEF_TOO.state(), BreakerState::Closed);
}

// ---- hedges ---------------------------------------------------------------------------------

/// Every hedge is a request to the upstream: an open breaker refuses it, and a half-open one
/// lets through no more than its probes.
#[tokio::test(start_paused = true)]
async fn hedges_ask_the_breaker_first() {
    use persevere::hedge::after;
    static HALF_OPEN: CircuitBreaker = strict();
    static OPENED_MEANWHILE: CircuitBreaker = strict();
    let ms = Duration::from_millis;
    let fail = || async { Err::<u32, Error>(Error::Unavailable) };
    let open = |breaker: &'static CircuitBreaker| async move {
        for _ in 0..3 {
            let _ = Policy::new()
                .stop(attempts(1))
                .breaker(breaker)
                .call_async(fail)
                .await;
        }
        assert_eq!(breaker.state(), BreakerState::Open);
    };

    // Half-open with one probe: one request, where four hedges were allowed.
    open(&HALF_OPEN).await;
    tokio::time::sleep(Duration::from_secs(31)).await;
    let sent = Cell::new(0);
    let outcome = Policy::new()
        .stop(attempts(1))
        .hedge(after(ms(10)).max_in_flight(4))
        .breaker(&HALF_OPEN)
        .call_async(|| {
            sent.set(sent.get() + 1);
            async {
                tokio::time::sleep(ms(100)).await;
                Ok::<u32, Error>(1)
            }
        })
        .await;
    assert_eq!((outcome, sent.get()), (Ok(1), 1));

    // The same through the attribute.
    static HALF_OPEN_ATTRIBUTE: CircuitBreaker = strict();
    #[retry(stop = attempts(1), hedge = after(10ms).max_in_flight(4), breaker = HALF_OPEN_ATTRIBUTE)]
    async fn slow(sent: &AtomicU32) -> Result<u32, Error> {
        sent.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(100)).await;
        Ok(1)
    }
    open(&HALF_OPEN_ATTRIBUTE).await;
    tokio::time::sleep(Duration::from_secs(31)).await;
    let sent = AtomicU32::new(0);
    assert_eq!(slow(&sent).await, Ok(1));
    assert_eq!(sent.load(Ordering::Relaxed), 1);

    // Opened by another call while the first attempt is in flight: no hedge follows it.
    let sent = Cell::new(0);
    let policy = Policy::new()
        .stop(attempts(1))
        .hedge(after(ms(10)))
        .breaker(&OPENED_MEANWHILE);
    let hedged = policy.call_async(|| {
        sent.set(sent.get() + 1);
        async {
            tokio::time::sleep(ms(100)).await;
            Ok::<u32, Error>(1)
        }
    });
    let (outcome, ()) = tokio::join!(hedged, async {
        tokio::time::sleep(ms(5)).await;
        open(&OPENED_MEANWHILE).await;
    });
    assert_eq!((outcome, sent.get()), (Ok(1), 1));
}

static IO: CircuitBreaker = CircuitBreaker::new()
    .consecutive_failures(1)
    .cool_down(Duration::from_secs(30))
    .jitter(0);

#[retry(stop = attempts(2), wait = 0s, breaker = IO, sleep = clock.clone())]
fn io_call(clock: &RecordingSleeper) -> std::io::Result<u32> {
    Err(std::io::Error::from(std::io::ErrorKind::ConnectionRefused))
}

#[test]
fn an_io_result_function_receives_the_refusal_as_an_io_error() {
    let clock = RecordingSleeper::new();
    let error = io_call(&clock).unwrap_err();
    let open = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<BreakerOpen>());
    assert_eq!(
        open.map(BreakerOpen::retry_after),
        Some(Duration::from_secs(30))
    );
}
