//! `stop::retries(n)`: one call and at most `n` retries, through `Policy` and the attribute,
//! with the exact attempts, sleeps and ending.

use std::cell::Cell;
use std::time::Duration;

use persevere::sleep::RecordingSleeper;
use persevere::stop::{Retries, Stop, attempts, elapsed, retries};
use persevere::wait::fixed;
use persevere::{Ending, Policy, RetryState};

/// Fails `failures` times, then succeeds with the number of calls.
fn flaky(calls: &Cell<u32>, failures: u32) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    if calls.get() <= failures {
        Err(format!("failure {}", calls.get()))
    } else {
        Ok(calls.get())
    }
}

#[test]
fn retries_allow_one_attempt_more_than_their_count() {
    for n in [0u32, 1, 2, 5] {
        let sleeper = RecordingSleeper::new();
        let calls = Cell::new(0);
        let (outcome, report) = Policy::new()
            .stop(retries(n))
            .wait(fixed(Duration::from_millis(10)))
            .sleeper(sleeper.clone())
            .call_reported(|| flaky(&calls, u32::MAX));
        assert_eq!(outcome, Err(format!("failure {}", n + 1)), "retries({n})");
        assert_eq!(calls.get(), n + 1, "retries({n})");
        assert_eq!(
            sleeper.sleeps(),
            vec![Duration::from_millis(10); n as usize]
        );
        assert_eq!(report.attempts(), n + 1);
        assert_eq!(report.retries(), n);
        // The reason reads as that of `attempts`: the last allowed attempt failed.
        assert_eq!(report.ending(), Ending::Attempts);
    }
}

#[test]
fn retries_end_with_the_success_that_comes_in_time() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let outcome = Policy::new()
        .stop(retries(3))
        .sleeper(sleeper.clone())
        .call(|| flaky(&calls, 3));
    assert_eq!(outcome, Ok(4));
    assert_eq!(sleeper.sleeps().len(), 3);

    // One failure too many.
    let calls = Cell::new(0);
    let outcome = Policy::new()
        .stop(retries(3))
        .sleeper(RecordingSleeper::new())
        .call(|| flaky(&calls, 4));
    assert_eq!(outcome, Err("failure 4".into()));
}

#[test]
fn retries_is_attempts_plus_one() {
    for n in [0u32, 1, 7, u32::MAX - 1] {
        for attempt in [1, n, n.saturating_add(1), n.saturating_add(2)] {
            let state = RetryState::<(), ()>::new(attempt.max(1));
            assert_eq!(
                Stop::<(), ()>::should_stop(&retries(n), &state),
                Stop::<(), ()>::should_stop(&attempts(n + 1), &state),
                "retries({n}) at attempt {attempt}"
            );
        }
    }
    // `retries(u32::MAX)` never stops on a count an attempt number can reach.
    let state = RetryState::<(), ()>::new(u32::MAX);
    assert!(!Stop::<(), ()>::should_stop(&retries(u32::MAX), &state));
}

#[test]
fn retries_is_a_plain_value() {
    const STOP: Retries = retries(2);
    assert_eq!(STOP.max(), 2);
    let copy = STOP;
    assert_eq!(copy, retries(2));
    assert_ne!(copy, retries(3));
    assert_eq!(format!("{STOP:?}"), "Retries { max: 2 }");
    // It reads no clock, and combines as any stop does.
    let calls = Cell::new(0);
    let sleeper = RecordingSleeper::new();
    let outcome = Policy::new()
        .stop(retries(10) | elapsed(Duration::from_secs(3)))
        .wait(fixed(Duration::from_secs(1)))
        .sleeper(sleeper.clone())
        .call(|| flaky(&calls, u32::MAX));
    // The sleeper's clock: 0 s, 1 s, 2 s, 3 s at the end of each attempt; `elapsed` stops first.
    assert_eq!(outcome, Err("failure 4".into()));
    assert_eq!(calls.get(), 4);
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(1); 3]);
    let state = RetryState::<(), ()>::new(3);
    assert_eq!(
        Stop::<(), ()>::stop_reason(&retries(2), &state),
        Some(Ending::Attempts)
    );
    assert_eq!(Stop::<(), ()>::stop_reason(&retries(3), &state), None);
}

#[tokio::test(flavor = "current_thread")]
async fn retries_drive_call_async() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let outcome = Policy::new()
        .stop(retries(2))
        .sleeper(sleeper.clone())
        .call_async(|| async { flaky(&calls, u32::MAX) })
        .await;
    assert_eq!(outcome, Err("failure 3".into()));
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps().len(), 2);
}

#[persevere::retry(stop = retries(2), sleep = |_| ())]
fn down(calls: &Cell<u32>) -> Result<u32, String> {
    flaky(calls, u32::MAX)
}

#[persevere::retry(stop = retries(0), sleep = |_| ())]
fn once(calls: &Cell<u32>) -> Result<u32, String> {
    flaky(calls, u32::MAX)
}

#[test]
fn the_attribute_takes_retries() {
    let calls = Cell::new(0);
    assert_eq!(down(&calls), Err("failure 3".into()));
    assert_eq!(calls.get(), 3);

    let calls = Cell::new(0);
    assert_eq!(once(&calls), Err("failure 1".into()));
    assert_eq!(calls.get(), 1);
}
