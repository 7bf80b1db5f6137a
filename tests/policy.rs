//! The runtime without the attribute: `Policy` built at run time, its schedule preview, the test
//! switch that skips sleeps, and the body's view of its own attempt.

use std::cell::Cell;
use std::time::Duration;

use persevere::sleep::RecordingSleeper;
use persevere::stop::{attempts, elapsed};
use persevere::wait::{chain, exponential, fixed, random_exponential};
use persevere::{Policy, RetryState, retry};

const SECOND: Duration = Duration::from_secs(1);

#[test]
fn a_policy_runs_closures_with_the_engine_the_attribute_uses() {
    let sleeper = RecordingSleeper::new();
    let seen = std::cell::RefCell::new(Vec::new());
    let policy = Policy::new()
        .named("fetch_config")
        .stop(attempts(4))
        .wait(exponential().min(4 * SECOND).max(10 * SECOND))
        .retry_if(|e: &String| e.starts_with("busy"))
        .before_sleep(|state: &RetryState<'_, u32, String>| {
            seen.borrow_mut()
                .push(format!("{} #{}", state.function(), state.attempt()))
        })
        .sleeper(sleeper.clone());

    let mut calls = 0;
    let outcome = policy.call(|| {
        calls += 1;
        if calls < 3 {
            Err(format!("busy {calls}"))
        } else {
            Ok(calls)
        }
    });
    assert_eq!(outcome, Ok(3));
    assert_eq!(sleeper.sleeps(), [4 * SECOND, 4 * SECOND]);
    assert_eq!(*seen.borrow(), ["fetch_config #1", "fetch_config #2"]);

    // A declined error returns at once.
    let mut calls = 0;
    let outcome: Result<u32, String> = policy.call(|| {
        calls += 1;
        Err("invalid".to_owned())
    });
    assert_eq!((outcome, calls), (Err("invalid".to_owned()), 1));
}

#[tokio::test(start_paused = true)]
async fn a_policy_runs_futures_on_tokio_time() {
    let policy = Policy::new()
        .stop(elapsed(10 * SECOND))
        .wait(fixed(3 * SECOND));
    let start = tokio::time::Instant::now();
    let calls = Cell::new(0);
    let outcome: Result<(), &str> = policy
        .call_async(|| async {
            calls.set(calls.get() + 1);
            Err("down")
        })
        .await;
    assert_eq!(outcome, Err("down"));
    // Attempts at 0, 3, 6, 9 and 12 s: the stop sees 12 s >= 10 s after the fifth.
    assert_eq!(calls.get(), 5);
    assert_eq!(start.elapsed(), 12 * SECOND);
}

#[test]
fn retry_if_ok_on_a_policy() {
    let mut calls = 0;
    let outcome: Result<&str, ()> = Policy::new()
        .stop(attempts(5))
        .wait(fixed(Duration::ZERO))
        .retry_if_ok(|status: &&str| *status == "pending")
        .call(|| {
            calls += 1;
            Ok(if calls < 3 { "pending" } else { "ready" })
        });
    assert_eq!((outcome, calls), (Ok("ready"), 3));
}

#[test]
fn schedule_previews_the_waits() {
    let headline = Policy::new()
        .stop(attempts(4))
        .wait(exponential().min(4 * SECOND).max(10 * SECOND));
    let schedule = headline.schedule::<(), ()>(100);
    assert_eq!(schedule.waits, [4 * SECOND; 3]);
    assert_eq!(schedule.total, 12 * SECOND);
    assert!(schedule.stops);

    // A time limit: the preview counts the planned sleeps as elapsed time.
    let timed = Policy::new().stop(elapsed(60 * SECOND)).wait(exponential());
    let schedule = timed.schedule::<(), ()>(100);
    assert_eq!(schedule.waits, [1, 2, 4, 8, 16, 32].map(|s| s * SECOND));
    assert_eq!(schedule.total, 63 * SECOND);

    // A policy that never stops is cut at `max_attempts`.
    let endless = Policy::new()
        .stop(persevere::stop::never())
        .wait(chain((fixed(SECOND), fixed(2 * SECOND))));
    let schedule = endless.schedule::<(), ()>(4);
    assert_eq!(schedule.waits, [SECOND, 2 * SECOND, 2 * SECOND, 2 * SECOND]);
    assert!(!schedule.stops);

    // Jittered schedules repeat under a seed.
    let jittered = Policy::new()
        .stop(attempts(6))
        .wait(random_exponential().max(20 * SECOND));
    persevere::jitter::seed(9);
    let first = jittered.schedule::<(), ()>(10);
    persevere::jitter::seed(9);
    assert_eq!(jittered.schedule::<(), ()>(10), first);
    persevere::jitter::unseed();
}

#[retry(stop = attempts(3), wait = fixed(1h), before_sleep = |state| planned.borrow_mut().push(state.upcoming_sleep().unwrap()))]
fn slow_to_give_up(planned: &std::cell::RefCell<Vec<Duration>>) -> Result<(), &'static str> {
    Err("down")
}

#[test]
fn skip_sleeps_keeps_the_schedule_but_not_the_waiting() {
    let planned = std::cell::RefCell::new(Vec::new());
    let started = std::time::Instant::now();
    {
        let _skip = persevere::testing::skip_sleeps();
        assert_eq!(slow_to_give_up(&planned), Err("down"));
    }
    assert!(
        started.elapsed() < SECOND,
        "two one-hour sleeps were skipped"
    );
    assert_eq!(*planned.borrow(), [Duration::from_secs(3600); 2]);
    assert!(
        !persevere::testing::sleeps_skipped(),
        "the guard ends the skipping"
    );
    assert_eq!(
        persevere::testing::with_sleeps_skipped(|| slow_to_give_up(&planned)),
        Err("down")
    );
}

#[retry(stop = attempts(3), wait = fixed(2s), sleep = sleeper.clone(), attempt = this)]
fn reads_its_attempt(
    sleeper: &RecordingSleeper,
    seen: &std::cell::RefCell<Vec<(u32, Duration)>>,
) -> Result<u32, &'static str> {
    seen.borrow_mut().push((this.number(), this.elapsed()));
    if this.is_first() {
        Err("first")
    } else if this.number() == 2 {
        Err("second")
    } else {
        Ok(this.number())
    }
}

#[retry(stop = attempts(2), wait = fixed(1s), attempt = attempt)]
async fn reads_its_attempt_async() -> Result<(u32, Duration), &'static str> {
    if attempt.number() == 1 {
        Err("first")
    } else {
        Ok((attempt.number(), attempt.slept()))
    }
}

#[tokio::test(start_paused = true)]
async fn the_body_can_read_its_attempt() {
    let sleeper = RecordingSleeper::new();
    let seen = std::cell::RefCell::new(Vec::new());
    assert_eq!(reads_its_attempt(&sleeper, &seen), Ok(3));
    assert_eq!(
        *seen.borrow(),
        [(1, Duration::ZERO), (2, 2 * SECOND), (3, 4 * SECOND)]
    );
    assert_eq!(reads_its_attempt_async().await, Ok((2, SECOND)));
}
