//! What the attribute does, attempt by attempt: counts, waits, conditions and clocks, observed
//! through a recording sleeper or tokio's paused clock (no real sleeping).

use std::cell::Cell;
use std::time::Duration;

use persevere::retry;
use persevere::sleep::RecordingSleeper;

#[derive(Debug, Clone, PartialEq)]
enum SendError {
    Throttled(u32),
    Rejected,
}

fn is_transient(error: &SendError) -> bool {
    matches!(error, SendError::Throttled(_))
}

fn secs(list: &[u64]) -> Vec<Duration> {
    list.iter().map(|s| Duration::from_secs(*s)).collect()
}

#[retry(
    stop = attempts(4),
    wait = exponential(min = 4s, max = 10s),
    retry_if = is_transient,
    sleep = sleeper.clone()
)]
fn send_message(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<&'static str, SendError> {
    calls.set(calls.get() + 1);
    Err(SendError::Throttled(calls.get()))
}

#[test]
fn headline_makes_four_attempts_waiting_four_seconds_each_time() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    // The function's own last error, unchanged: no wrapper type.
    assert_eq!(send_message(&sleeper, &calls), Err(SendError::Throttled(4)));
    assert_eq!(calls.get(), 4);
    assert_eq!(sleeper.sleeps(), secs(&[4, 4, 4]));
}

#[retry(stop = attempts(5), wait = fixed(1s), retry_if = is_transient, sleep = sleeper.clone())]
fn rejected_on_second(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<(), SendError> {
    calls.set(calls.get() + 1);
    Err(if calls.get() == 1 {
        SendError::Throttled(1)
    } else {
        SendError::Rejected
    })
}

#[test]
fn an_error_the_condition_declines_returns_at_once() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(
        rejected_on_second(&sleeper, &calls),
        Err(SendError::Rejected)
    );
    assert_eq!(calls.get(), 2);
    assert_eq!(sleeper.sleeps(), secs(&[1]));
}

#[retry(
    stop = attempts(10),
    wait = fixed(250ms),
    retry_if = |e| matches!(e, SendError::Throttled(n) if *n < 3),
    sleep = sleeper.clone()
)]
fn closure_condition(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<(), SendError> {
    calls.set(calls.get() + 1);
    Err(SendError::Throttled(calls.get()))
}

#[test]
fn closure_conditions_get_their_parameter_type() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(
        closure_condition(&sleeper, &calls),
        Err(SendError::Throttled(3))
    );
    assert_eq!(sleeper.sleeps(), vec![Duration::from_millis(250); 2]);
}

fn still_pending(status: &String) -> bool {
    status == "pending"
}

#[retry(stop = attempts(5), wait = fixed(0s), retry_if_ok = still_pending)]
fn poll(calls: &Cell<u32>) -> Result<String, SendError> {
    calls.set(calls.get() + 1);
    Ok(if calls.get() < 3 { "pending" } else { "done" }.to_owned())
}

#[retry(stop = attempts(2), wait = fixed(0s), retry_if_ok = |status| status.is_empty())]
fn poll_closure(calls: &Cell<u32>) -> Result<String, SendError> {
    calls.set(calls.get() + 1);
    Ok(String::new())
}

#[test]
fn retry_if_ok_retries_values() {
    let calls = Cell::new(0);
    assert_eq!(poll(&calls), Ok("done".to_owned()));
    assert_eq!(calls.get(), 3);
    // Out of attempts: the last `Ok` value is returned as it is.
    let calls = Cell::new(0);
    assert_eq!(poll_closure(&calls), Ok(String::new()));
    assert_eq!(calls.get(), 2);
}

#[retry(stop = attempts(4), wait = exponential(min = 4s, max = 10s))]
async fn async_default_sleeper(calls: &Cell<u32>) -> Result<(), SendError> {
    calls.set(calls.get() + 1);
    Err(SendError::Throttled(calls.get()))
}

#[tokio::test(start_paused = true)]
async fn async_functions_sleep_on_tokio_time() {
    let calls = Cell::new(0);
    let start = tokio::time::Instant::now();
    assert_eq!(
        async_default_sleeper(&calls).await,
        Err(SendError::Throttled(4))
    );
    // Exactly the planned 4 + 4 + 4 s on the paused clock, in no real time.
    assert_eq!(start.elapsed(), Duration::from_secs(12));
}

#[retry(stop = elapsed(10s), wait = fixed(3s))]
async fn time_limited(calls: &Cell<u32>) -> Result<(), SendError> {
    calls.set(calls.get() + 1);
    tokio::time::sleep(Duration::from_secs(1)).await; // each attempt takes 1 s
    Err(SendError::Rejected)
}

#[tokio::test(start_paused = true)]
async fn time_based_stops_read_the_sleepers_clock() {
    let calls = Cell::new(0);
    let start = tokio::time::Instant::now();
    assert_eq!(time_limited(&calls).await, Err(SendError::Rejected));
    // Attempts end at 1, 5, 9 and 13 s; the stop sees 13 s >= 10 s after the fourth.
    assert_eq!(calls.get(), 4);
    assert_eq!(start.elapsed(), Duration::from_secs(13));
}

#[retry(stop = deadline(10s), wait = fixed(3s), sleep = sleeper.clone())]
fn deadline_limited(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<(), SendError> {
    calls.set(calls.get() + 1);
    sleeper.advance(Duration::from_secs(1));
    Err(SendError::Rejected)
}

#[test]
fn recording_sleeper_keeps_a_virtual_clock() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(deadline_limited(&sleeper, &calls).is_err());
    // Attempts end at 1, 5 and 9 s; a third sleep would end at 12 s, past the deadline.
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), secs(&[3, 3]));
}

#[retry(
    stop = attempts(3),
    wait = |_state| Duration::from_millis(5),
    sleep = |d: Duration| log.borrow_mut().push(d)
)]
fn custom_sync_sleeper(log: &std::cell::RefCell<Vec<Duration>>) -> Result<(), SendError> {
    Err(SendError::Rejected)
}

#[retry(stop = attempts(3), wait = fixed(2s), sleep = |d| { log.borrow_mut().push(d); std::future::ready(()) })]
async fn custom_async_sleeper(log: &std::cell::RefCell<Vec<Duration>>) -> Result<(), SendError> {
    Err(SendError::Rejected)
}

#[tokio::test]
async fn custom_sleepers_receive_every_wait() {
    let log = std::cell::RefCell::new(Vec::new());
    assert!(custom_sync_sleeper(&log).is_err());
    assert_eq!(*log.borrow(), vec![Duration::from_millis(5); 2]);
    let log = std::cell::RefCell::new(Vec::new());
    assert!(custom_async_sleeper(&log).await.is_err());
    assert_eq!(*log.borrow(), secs(&[2, 2]));
}

const MAX_TRIES: u32 = 3;
static BASE_WAIT: Duration = Duration::from_millis(100);

#[retry(stop = attempts(MAX_TRIES), wait = exponential(multiplier = BASE_WAIT, base = 3), sleep = sleeper.clone())]
fn consts_and_statics(sleeper: &RecordingSleeper) -> Result<(), SendError> {
    Err(SendError::Rejected)
}

#[retry(stop = attempts(4), wait = exponential(multiplier = 1.5s, base = 1.5), sleep = sleeper.clone())]
fn positional_settings(sleeper: &RecordingSleeper) -> Result<(), SendError> {
    Err(SendError::Rejected)
}

#[retry(stop = attempts(5), wait = fixed(2m) + fixed(1h) + fixed(250ms) + fixed(1.5s), sleep = sleeper.clone())]
fn duration_literals(sleeper: &RecordingSleeper) -> Result<(), SendError> {
    Err(SendError::Rejected)
}

#[test]
fn values_take_consts_statics_positional_settings_and_literals() {
    let sleeper = RecordingSleeper::new();
    assert!(consts_and_statics(&sleeper).is_err());
    assert_eq!(
        sleeper.sleeps(),
        [Duration::from_millis(100), Duration::from_millis(300)]
    );

    let sleeper = RecordingSleeper::new();
    assert!(positional_settings(&sleeper).is_err());
    assert_eq!(
        sleeper.sleeps(),
        [
            Duration::from_millis(1500),
            Duration::from_millis(2250),
            Duration::from_millis(3375)
        ]
    );

    let sleeper = RecordingSleeper::new();
    assert!(duration_literals(&sleeper).is_err());
    let each = Duration::from_secs(120 + 3600) + Duration::from_millis(250 + 1500);
    assert_eq!(sleeper.sleeps(), vec![each; 4]);
}

mod reexport {
    pub use persevere as retrying;
    pub use persevere as r#type;
}

#[retry(crate = crate::reexport::retrying, stop = attempts(2), wait = fixed(0s))]
fn renamed_crate(calls: &Cell<u32>) -> Result<(), SendError> {
    calls.set(calls.get() + 1);
    Err(SendError::Rejected)
}

#[retry(crate = reexport::r#type, stop = attempts(2), wait = fixed(0s))]
fn renamed_crate_raw(calls: &Cell<u32>) -> Result<(), SendError> {
    calls.set(calls.get() + 1);
    Err(SendError::Rejected)
}

/// A module of the user's named like the path's last segment: the body's `retrying::` is theirs.
mod retrying {
    pub fn count(calls: &std::cell::Cell<u32>) {
        calls.set(calls.get() + 1);
    }
}

#[retry(crate = crate::reexport::retrying, stop = attempts(2), wait = fixed(0s))]
fn renamed_crate_beside_a_namesake(calls: &Cell<u32>) -> Result<(), SendError> {
    retrying::count(calls);
    Err(SendError::Rejected)
}

/// `unused_qualifications` denied: the paths the attribute writes for a renamed crate's
/// durations are its own, not the user's.
#[deny(unused_qualifications)]
mod qualifications {
    use std::cell::Cell;

    use persevere::retry;

    use super::SendError;

    #[retry(crate = ::persevere, stop = attempts(2), wait = fixed(10ms) + random(1ms, 2ms), sleep = |_| ())]
    pub fn renamed(calls: &Cell<u32>) -> Result<(), SendError> {
        calls.set(calls.get() + 1);
        Err(SendError::Rejected)
    }

    /// The strategies the attribute writes around a leading duration and closures beside an
    /// operator, and parentheses the user needs, are not the user's to shorten or remove.
    #[deny(unused_parens)]
    #[retry(
        stop = attempts(5) | |s| s.attempt() > 1,
        wait = (250ms + 1s) + random(0s, 1ms) + (|_s| 1ms),
        sleep = |_| ()
    )]
    pub fn written_around(calls: &Cell<u32>) -> Result<(), SendError> {
        calls.set(calls.get() + 1);
        Err(SendError::Rejected)
    }
}

/// Values passed through a `macro_rules!` `expr` fragment, which arrives in an invisible group:
/// read through it as written in place.
macro_rules! retried_with {
    ($name:ident, $stop:expr, $wait:expr, $condition:expr) => {
        #[retry(stop = $stop, wait = $wait, retry_if = $condition, sleep = |_| ())]
        fn $name(calls: &Cell<u32>) -> Result<(), SendError> {
            calls.set(calls.get() + 1);
            Err(SendError::Rejected)
        }
    };
}

fn rejected(error: &SendError) -> bool {
    matches!(error, SendError::Rejected)
}

retried_with!(
    through_fragments,
    attempts(3) | never,
    1s + random(0s, 1ms),
    !rejected | rejected
);
retried_with!(
    closure_fragment,
    attempts(2) | |s| s.attempt() > 5,
    fixed(0s) + (|_s| 0s),
    rejected
);

/// A whole value that is a closure, through a fragment, and a parameter in parentheses first in
/// a wait's sum.
macro_rules! retried_by_closures {
    ($name:ident, $stop:expr, $wait:expr) => {
        #[retry(stop = $stop, wait = $wait, sleep = |_| ())]
        fn $name(calls: &Cell<u32>, pause: std::time::Duration) -> Result<(), SendError> {
            calls.set(calls.get() + 1);
            Err(SendError::Rejected)
        }
    };
}

retried_by_closures!(
    closures_through_fragments,
    |s| s.attempt() >= 2,
    (pause) + random(0s, 1ms)
);

#[test]
fn values_read_through_macro_fragments_and_lints() {
    let calls = Cell::new(0);
    assert!(closures_through_fragments(&calls, std::time::Duration::ZERO).is_err());
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert!(through_fragments(&calls).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(closure_fragment(&calls).is_err());
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert!(qualifications::written_around(&calls).is_err());
    assert_eq!(calls.get(), 2);
}

#[test]
fn crate_path_override_leaves_the_users_names_alone() {
    let calls = Cell::new(0);
    assert!(qualifications::renamed(&calls).is_err());
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert!(renamed_crate_beside_a_namesake(&calls).is_err());
    assert_eq!(calls.get(), 2);
}

#[test]
fn crate_path_override_reaches_a_reexport() {
    let calls = Cell::new(0);
    assert!(renamed_crate(&calls).is_err());
    assert_eq!(calls.get(), 2);
    // A raw name last in the path is imported as itself.
    let calls = Cell::new(0);
    assert!(renamed_crate_raw(&calls).is_err());
    assert_eq!(calls.get(), 2);
}

#[retry(crate = crate::reexport::retrying, stop = attempts(3), wait = fixed(1s))]
async fn renamed_crate_async(calls: &Cell<u32>) -> Result<(), SendError> {
    calls.set(calls.get() + 1);
    Err(SendError::Rejected)
}

#[retry(crate = self::reexport::retrying, hedge = 10ms, stop = attempts(2), wait = fixed(0s))]
async fn renamed_crate_hedged(calls: &std::sync::atomic::AtomicU32) -> Result<(), SendError> {
    calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Err(SendError::Rejected)
}

#[tokio::test(start_paused = true)]
async fn crate_path_override_reaches_a_reexport_in_async_fns() {
    let calls = Cell::new(0);
    let started = tokio::time::Instant::now();
    assert!(renamed_crate_async(&calls).await.is_err());
    assert_eq!(
        (calls.get(), started.elapsed()),
        (3, Duration::from_secs(2))
    );
    let calls = std::sync::atomic::AtomicU32::new(0);
    assert!(renamed_crate_hedged(&calls).await.is_err());
    assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 2);
}

#[retry(stop = attempts(3) | elapsed(1h), wait = chain(fixed(1s), fixed(2s)), sleep = sleeper.clone())]
fn combined(sleeper: &RecordingSleeper) -> Result<(), SendError> {
    Err(SendError::Rejected)
}

#[retry(stop = |state| state.attempt() >= 2 || state.error() == Some(&SendError::Rejected), wait = fixed(0s))]
fn stop_closure(calls: &Cell<u32>) -> Result<(), SendError> {
    calls.set(calls.get() + 1);
    Err(SendError::Throttled(calls.get()))
}

#[test]
fn combinators_chains_and_closures_over_the_state() {
    let sleeper = RecordingSleeper::new();
    assert!(combined(&sleeper).is_err());
    assert_eq!(sleeper.sleeps(), secs(&[1, 2]));
    let calls = Cell::new(0);
    assert_eq!(stop_closure(&calls), Err(SendError::Throttled(2)));
}

#[retry(
    stop = attempts(10) | |state| state.slept() >= Duration::from_secs(3),
    wait = fixed(1s) + |state| Duration::from_secs(u64::from(state.attempt())),
    sleep = sleeper.clone()
)]
fn closures_beside_operators(sleeper: &RecordingSleeper) -> Result<(), SendError> {
    Err(SendError::Rejected)
}

#[retry(
    stop = attempts(4),
    wait = chain(fixed(1s), |state| Duration::from_secs(10 * u64::from(state.attempt()))),
    sleep = sleeper.clone()
)]
fn closure_in_a_chain(sleeper: &RecordingSleeper) -> Result<(), SendError> {
    Err(SendError::Rejected)
}

#[test]
fn closures_combine_with_strategies() {
    let sleeper = RecordingSleeper::new();
    assert!(closure_in_a_chain(&sleeper).is_err());
    assert_eq!(sleeper.sleeps(), secs(&[1, 20, 30]));

    let sleeper = RecordingSleeper::new();
    assert!(closures_beside_operators(&sleeper).is_err());
    // 1 + 1 s, then 1 + 2 s; after that 5 s slept >= 3 s stops.
    assert_eq!(sleeper.sleeps(), secs(&[2, 3]));
}

// ---- values that read nothing of the call's: still evaluated at each decision ------------------

mod evaluated_per_decision {
    use std::cell::{Cell, RefCell};
    use std::time::Duration;

    use persevere::retry;

    thread_local! {
        static EVALUATIONS: Cell<u64> = const { Cell::new(0) };
        static SLEEPS: RefCell<Vec<Duration>> = const { RefCell::new(Vec::new()) };
        static FAILURES: Cell<u32> = const { Cell::new(0) };
    }

    /// A wait that is one millisecond longer at each evaluation.
    fn longer_each_time() -> Duration {
        EVALUATIONS.set(EVALUATIONS.get() + 1);
        Duration::from_millis(EVALUATIONS.get())
    }

    fn record(sleep: Duration) {
        SLEEPS.with_borrow_mut(|sleeps| sleeps.push(sleep));
    }

    fn fails_then_succeeds() -> Result<u32, String> {
        if FAILURES.get() == 0 {
            return Ok(7);
        }
        FAILURES.set(FAILURES.get() - 1);
        Err("down".into())
    }

    // No value names a parameter: the policy is built by one closure made before the loop.
    #[retry(stop = attempts(4), wait = fixed(longer_each_time()), sleep = record)]
    fn sync_call() -> Result<u32, String> {
        fails_then_succeeds()
    }

    #[retry(
        stop = attempts(4),
        wait = fixed(longer_each_time()),
        sleep = |d| {
            record(d);
            std::future::ready(())
        }
    )]
    async fn async_call() -> Result<u32, String> {
        fails_then_succeeds()
    }

    fn check(run: impl Fn() -> Result<u32, String>) {
        EVALUATIONS.set(0);
        SLEEPS.take();
        // A first-time success evaluates no value.
        assert_eq!(run(), Ok(7));
        assert_eq!(EVALUATIONS.get(), 0);
        // Each decision evaluates the wait anew: three sleeps, each longer than the last.
        FAILURES.set(3);
        assert_eq!(run(), Ok(7));
        let sleeps = SLEEPS.take();
        assert_eq!(sleeps.len(), 3);
        assert!(
            sleeps.windows(2).all(|pair| pair[0] < pair[1]),
            "{sleeps:?}"
        );
    }

    #[test]
    fn sync_and_async() {
        check(sync_call);
        check(|| futures_lite_block_on(async_call()));
    }

    fn futures_lite_block_on<F: std::future::Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
        }
    }
}
