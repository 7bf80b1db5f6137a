//! Time limits on async calls, on tokio's paused clock with exact times: each attempt's
//! `timeout`, the whole call's `total_timeout`, what the body reads of them, and cancellation by
//! dropping the future.

use std::cell::Cell;
use std::time::Duration;

use persevere::stop::attempts;
use persevere::wait::fixed;
use persevere::{Policy, Timeout, retry};
use tokio::time::{Instant, sleep};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

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

#[retry(stop = attempts(3), wait = fixed(1s), timeout = 1s)]
async fn hangs(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    sleep(secs(60)).await;
    Ok(1)
}

#[tokio::test(start_paused = true)]
async fn each_attempt_is_cancelled_at_its_timeout_and_counts_as_failed() {
    let calls = Cell::new(0);
    let started = Instant::now();
    let outcome = hangs(&calls).await;
    assert_eq!(
        outcome,
        Err(FetchError::TimedOut(Timeout::new(secs(1), false)))
    );
    assert_eq!(calls.get(), 3);
    // Three attempts of 1 s and two sleeps of 1 s.
    assert_eq!(started.elapsed(), secs(5));

    let calls = Cell::new(0);
    let started = Instant::now();
    let outcome: Result<u32, FetchError> = Policy::new()
        .stop(attempts(3))
        .wait(fixed(secs(1)))
        .timeout(secs(1))
        .call_async(|| async {
            calls.set(calls.get() + 1);
            sleep(secs(60)).await;
            Ok(1)
        })
        .await;
    assert_eq!(
        (outcome.is_err(), calls.get(), started.elapsed()),
        (true, 3, secs(5))
    );
}

#[retry(stop = attempts(10), wait = fixed(1s), total_timeout = 3s)]
async fn hangs_once(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    sleep(secs(60)).await;
    Ok(1)
}

#[tokio::test(start_paused = true)]
async fn a_total_limit_cancels_the_attempt_in_flight() {
    let calls = Cell::new(0);
    let started = Instant::now();
    let outcome = hangs_once(&calls).await;
    // The first attempt is cancelled at 3 s, and no wait fits in what is left.
    assert_eq!(
        outcome,
        Err(FetchError::TimedOut(Timeout::new(secs(3), true)))
    );
    assert_eq!((calls.get(), started.elapsed()), (1, secs(3)));
}

#[retry(stop = attempts(10), wait = fixed(1s), total_timeout = 2500ms)]
async fn refused_quickly(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    sleep(ms(100)).await;
    Err(FetchError::Refused)
}

#[tokio::test(start_paused = true)]
async fn a_wait_that_would_end_past_the_total_limit_ends_the_call() {
    let calls = Cell::new(0);
    let started = Instant::now();
    assert_eq!(refused_quickly(&calls).await, Err(FetchError::Refused));
    // Attempts at 0, 1.1 and 2.2 s; after the third (2.3 s) a 1 s wait would pass 2.5 s.
    assert_eq!((calls.get(), started.elapsed()), (3, ms(2300)));
}

#[retry(stop = attempts(3), wait = fixed(1s), timeout = 2s, total_timeout = 3s, attempt = this)]
async fn reads_its_limit(limits: &Cell<Vec<Option<Duration>>>) -> Result<u32, FetchError> {
    noted_then_refused(limits, this.timeout()).await
}

/// An attempt that notes the time limit it reads, then is refused after 500 ms.
async fn noted_then_refused(
    limits: &Cell<Vec<Option<Duration>>>,
    limit: Option<Duration>,
) -> Result<u32, FetchError> {
    let mut seen = limits.take();
    seen.push(limit);
    limits.set(seen);
    sleep(ms(500)).await;
    Err(FetchError::Refused)
}

#[tokio::test(start_paused = true)]
async fn the_body_reads_its_attempts_limit_the_shorter_of_its_own_and_what_is_left() {
    let limits = Cell::new(Vec::new());
    assert_eq!(reads_its_limit(&limits).await, Err(FetchError::Refused));
    // Attempt 1 at 0 s: 2 s. Attempt 2 at 1.5 s: 1.5 s left of 3 s.
    assert_eq!(limits.take(), [Some(secs(2)), Some(ms(1500))]);
}

#[retry(stop = attempts(5), wait = fixed(10s), after = |_| hooks.set(hooks.get() + 1))]
async fn droppable(calls: &Cell<u32>, hooks: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    Err(FetchError::Refused)
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_runs_no_further_attempt_and_no_hook() {
    let (calls, hooks) = (Cell::new(0), Cell::new(0));
    // Dropped during its first sleep.
    let cut = tokio::time::timeout(secs(5), droppable(&calls, &hooks)).await;
    assert!(cut.is_err());
    sleep(secs(100)).await;
    assert_eq!((calls.get(), hooks.get()), (1, 1));
}

// A sleeper is also the clock of time limits. A recording sleeper's clock is virtual, and an
// attempt takes no virtual time: its time limits never run out, and are no waits to record.

use persevere::sleep::RecordingSleeper;

#[tokio::test]
async fn a_recording_sleeper_neither_cuts_an_attempt_nor_records_its_limit() {
    let recorder = RecordingSleeper::new();
    let outcome: Result<u32, FetchError> = Policy::new()
        .timeout(secs(10))
        .sleeper(recorder.clone())
        .call_async(|| async {
            tokio::task::yield_now().await;
            Ok(7)
        })
        .await;
    assert_eq!(outcome, Ok(7));
    assert_eq!(recorder.sleeps(), []);

    // Retried attempts: only the waits between them are recorded.
    let calls = Cell::new(0);
    let recorder = RecordingSleeper::new();
    let outcome: Result<u32, FetchError> = Policy::new()
        .stop(attempts(3))
        .wait(fixed(secs(1)))
        .timeout(secs(10))
        .total_timeout(secs(30))
        .sleeper(recorder.clone())
        .call_async(|| async {
            calls.set(calls.get() + 1);
            tokio::task::yield_now().await;
            if calls.get() < 3 {
                Err(FetchError::Refused)
            } else {
                Ok(calls.get())
            }
        })
        .await;
    assert_eq!(outcome, Ok(3));
    assert_eq!(recorder.sleeps(), [secs(1), secs(1)]);
}

#[persevere::retry(stop = attempts(3), wait = fixed(1s), timeout = 10s, sleep = recorder.clone())]
async fn answers_after_yielding(
    recorder: &RecordingSleeper,
    calls: &Cell<u32>,
) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    tokio::task::yield_now().await;
    if calls.get() < 2 {
        Err(FetchError::Refused)
    } else {
        Ok(calls.get())
    }
}

#[persevere::retry(total_timeout = 10s, sleep = recorder.clone())]
async fn answers_within_a_total_limit(recorder: &RecordingSleeper) -> Result<u32, FetchError> {
    tokio::task::yield_now().await;
    Ok(5)
}

#[tokio::test]
async fn the_attributes_time_limits_on_a_recording_sleeper_neither_cut_nor_record() {
    let recorder = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(answers_after_yielding(&recorder, &calls).await, Ok(2));
    assert_eq!(recorder.sleeps(), [secs(1)]);

    let recorder = RecordingSleeper::new();
    assert_eq!(answers_within_a_total_limit(&recorder).await, Ok(5));
    assert_eq!(recorder.sleeps(), []);
}

#[tokio::test]
async fn advancing_a_recording_sleepers_clock_does_not_fire_a_time_limit() {
    let recorder = RecordingSleeper::new();
    let outcome: Result<u32, FetchError> = Policy::new()
        .timeout(secs(1))
        .sleeper(recorder.clone())
        .call_async(|| async {
            recorder.advance(secs(60));
            tokio::task::yield_now().await;
            Ok(1)
        })
        .await;
    assert_eq!(outcome, Ok(1));
    assert_eq!(recorder.sleeps(), []);
}

#[retry(stop = attempts(2), wait = fixed(1s), timeout = 10s)]
async fn hangs_on_the_default_sleeper(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    sleep(secs(3600)).await;
    Ok(1)
}

#[tokio::test(start_paused = true)]
async fn the_default_sleeper_still_cuts_a_hanging_attempt_at_exactly_its_limit() {
    let calls = Cell::new(0);
    let started = Instant::now();
    let outcome: Result<u32, FetchError> = Policy::new()
        .stop(attempts(1))
        .timeout(secs(10))
        .call_async(|| async {
            calls.set(calls.get() + 1);
            sleep(secs(3600)).await;
            Ok(1)
        })
        .await;
    assert_eq!(
        outcome,
        Err(FetchError::TimedOut(Timeout::new(secs(10), false)))
    );
    assert_eq!((calls.get(), started.elapsed()), (1, secs(10)));

    let calls = Cell::new(0);
    let started = Instant::now();
    assert_eq!(
        hangs_on_the_default_sleeper(&calls).await,
        Err(FetchError::TimedOut(Timeout::new(secs(10), false)))
    );
    // Two attempts of 10 s and a sleep of 1 s.
    assert_eq!((calls.get(), started.elapsed()), (2, secs(21)));
}

#[tokio::test(start_paused = true)]
async fn skipped_sleeps_leave_time_limits_running_on_the_sleepers_clock() {
    let _skip = persevere::testing::skip_sleeps();
    // An attempt that yields and answers is not cut...
    let outcome: Result<u32, FetchError> = Policy::new()
        .timeout(secs(10))
        .call_async(|| async {
            tokio::task::yield_now().await;
            Ok(7)
        })
        .await;
    assert_eq!(outcome, Ok(7));

    // ...and one that hangs is cut at its limit, while the waits between attempts are skipped.
    let calls = Cell::new(0);
    let started = Instant::now();
    assert_eq!(
        hangs_on_the_default_sleeper(&calls).await,
        Err(FetchError::TimedOut(Timeout::new(secs(10), false)))
    );
    assert_eq!((calls.get(), started.elapsed()), (2, secs(20)));

    // The same with a recording sleeper: nothing cut, nothing recorded.
    let recorder = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(answers_after_yielding(&recorder, &calls).await, Ok(2));
    assert_eq!(recorder.sleeps(), []);
}

#[tokio::test]
async fn a_sleeper_that_returns_at_once_fires_a_time_limit_at_the_first_await() {
    // Documented: such a sleeper is a clock on which every limit has already run out.
    let outcome: Result<u32, FetchError> = Policy::new()
        .timeout(secs(10))
        .sleeper(|_: Duration| async {})
        .call_async(|| async {
            tokio::task::yield_now().await;
            Ok(7)
        })
        .await;
    assert_eq!(
        outcome,
        Err(FetchError::TimedOut(Timeout::new(secs(10), false)))
    );
}

/// An `io::Result` function takes a time limit as it is: the timed-out attempt's error is an
/// `io::Error` of kind `TimedOut`, which `network()` retries.
#[retry(stop = attempts(2), wait = fixed(1s), timeout = 1s, retry_if = network())]
async fn reads(calls: &Cell<u32>) -> std::io::Result<u32> {
    calls.set(calls.get() + 1);
    sleep(secs(60)).await;
    Ok(1)
}

#[tokio::test(start_paused = true)]
async fn an_io_result_times_out_with_an_io_error() {
    let calls = Cell::new(0);
    let start = Instant::now();
    let error = reads(&calls).await.unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
    let timeout = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Timeout>());
    assert_eq!(timeout.map(Timeout::limit), Some(secs(1)));
    assert_eq!(calls.get(), 2, "network() retries a timed-out attempt");
    assert_eq!(start.elapsed(), secs(3));
}

/// Each attempt takes a second; sleeps are skipped or not: the limits each attempt is given and
/// the attempts made are the same, because the call's time counts the skipped waits.
#[retry(stop = attempts(10), wait = fixed(3s), total_timeout = 10s, attempt = this)]
async fn a_second_each(limits: &std::cell::RefCell<Vec<Duration>>) -> Result<u32, FetchError> {
    limits.borrow_mut().push(this.timeout().unwrap_or_default());
    sleep(secs(1)).await;
    Err(FetchError::Refused)
}

#[tokio::test(start_paused = true)]
async fn skipped_sleeps_leave_a_total_limit_as_planned() {
    let planned = std::cell::RefCell::new(Vec::new());
    let _ = a_second_each(&planned).await;
    let skipped = std::cell::RefCell::new(Vec::new());
    {
        let _skip = persevere::testing::skip_sleeps();
        let _ = a_second_each(&skipped).await;
    }
    assert_eq!(*planned.borrow(), [secs(10), secs(6), secs(2)]);
    assert_eq!(*skipped.borrow(), *planned.borrow());
}

/// README: `Box<dyn Error + Send + Sync>` receives a `Timeout` as it is, through std's `From`.
#[retry(stop = attempts(2), wait = fixed(1s), timeout = 1s)]
async fn boxed_error(calls: &Cell<u32>) -> Result<u32, Box<dyn std::error::Error + Send + Sync>> {
    calls.set(calls.get() + 1);
    sleep(secs(60)).await;
    Ok(1)
}

#[tokio::test(start_paused = true)]
async fn a_boxed_error_receives_the_timeout() {
    let calls = Cell::new(0);
    let error = boxed_error(&calls).await.unwrap_err();
    assert_eq!(
        error.downcast_ref::<Timeout>().map(Timeout::limit),
        Some(secs(1))
    );
    assert_eq!(calls.get(), 2);
}

#[retry(stop = attempts(10), wait = 0s, timeout = 300ms, total_timeout = 600ms)]
async fn hangs_until_the_total(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    sleep(secs(10)).await;
    Ok(1)
}

/// When an attempt's own limit and what is left of the total end together, it is the total that
/// ran out (no attempt follows): the timeout says so.
#[tokio::test(start_paused = true)]
async fn a_limit_that_ends_with_the_total_is_the_totals() {
    let calls = Cell::new(0);
    let Err(FetchError::TimedOut(timeout)) = hangs_until_the_total(&calls).await else {
        panic!("a timeout");
    };
    assert_eq!(calls.get(), 2);
    assert_eq!((timeout.limit(), timeout.whole_call()), (ms(300), true));

    let calls = Cell::new(0);
    let (outcome, report) = Policy::new()
        .stop(attempts(10))
        .wait(Duration::ZERO)
        .timeout(ms(300))
        .total_timeout(ms(300))
        .call_async_reported(|| async {
            calls.set(calls.get() + 1);
            sleep(secs(10)).await;
            Ok::<u32, FetchError>(1)
        })
        .await;
    assert_eq!(outcome, Err(FetchError::TimedOut(timeout)));
    assert_eq!(
        (calls.get(), report.ending()),
        (1, persevere::Ending::Timeout)
    );
}

/// An attempt cut by the total limit ends the call with `Ending::Timeout`, whatever else would
/// have ended it there: its last allowed attempt, or a condition that does not retry timeouts.
#[tokio::test(start_paused = true)]
async fn an_attempt_cut_by_the_total_ends_with_the_totals_ending() {
    let hangs = || async {
        sleep(secs(10)).await;
        Ok::<u32, FetchError>(1)
    };
    let (_, last_attempt) = Policy::new()
        .stop(attempts(1))
        .total_timeout(ms(300))
        .call_async_reported(hangs)
        .await;
    let (_, not_retried) = Policy::new()
        .stop(attempts(5))
        .retry_if(|_: &FetchError| false)
        .total_timeout(ms(300))
        .call_async_reported(hangs)
        .await;
    assert_eq!(
        (last_attempt.ending(), not_retried.ending()),
        (persevere::Ending::Timeout, persevere::Ending::Timeout)
    );

    // The same through the attribute.
    #[retry(stop = attempts(1), total_timeout = 300ms, on_finish = |state| ended.set(state.ending()))]
    async fn hangs_once(ended: &Cell<Option<persevere::Ending>>) -> Result<u32, FetchError> {
        sleep(secs(10)).await;
        Ok(1)
    }
    let ended = Cell::new(None);
    assert!(hangs_once(&ended).await.is_err());
    assert_eq!(ended.get(), Some(persevere::Ending::Timeout));
}

/// A limit that may be absent is `unwrap_or(Duration::MAX)`, as README's keys table says: the
/// longest limit cuts nothing, and the call runs as without one.
#[retry(stop = attempts(3), wait = fixed(1s), timeout = limit.unwrap_or(Duration::MAX), total_timeout = Duration::MAX, attempt = this)]
async fn unlimited(
    limit: Option<Duration>,
    limits: &Cell<Vec<Option<Duration>>>,
) -> Result<u32, FetchError> {
    noted_then_refused(limits, this.timeout()).await
}

#[tokio::test(start_paused = true)]
async fn the_longest_limit_is_no_limit_through_policy() {
    let (calls, started) = (Cell::new(0), Instant::now());
    let outcome: Result<u32, FetchError> = Policy::new()
        .stop(attempts(3))
        .wait(fixed(secs(1)))
        .timeout(Duration::MAX)
        .total_timeout(Duration::MAX)
        .call_async(|| async {
            calls.set(calls.get() + 1);
            sleep(ms(500)).await;
            Err(FetchError::Refused)
        })
        .await;
    assert_eq!(outcome, Err(FetchError::Refused));
    assert_eq!((calls.get(), started.elapsed()), (3, ms(3500)));
}

#[tokio::test(start_paused = true)]
async fn the_longest_limit_is_no_limit() {
    let limits = Cell::new(Vec::new());
    let started = Instant::now();
    assert_eq!(unlimited(None, &limits).await, Err(FetchError::Refused));
    assert_eq!(started.elapsed(), ms(3500));
    // What is left of the whole call's limit, shorter by the time gone.
    let left = |gone| Some(Duration::MAX - gone);
    assert_eq!(limits.take(), [left(ms(0)), left(ms(1500)), left(ms(3000))]);
    let started = Instant::now();
    let cut = Err(FetchError::TimedOut(Timeout::new(ms(100), false)));
    assert_eq!(unlimited(Some(ms(100)), &limits).await, cut);
    assert_eq!(limits.take(), [Some(ms(100)); 3]);
    assert_eq!(started.elapsed(), ms(2300));
}

// ---- A sleeper whose sleeps run long still returns at the whole call's limit ----

/// Tokio's timer, but every sleep between attempts takes ten times as long as asked; its time
/// limits are exact.
#[derive(Clone, Copy)]
struct Oversleeps;

impl persevere::sleep::AsyncSleeper for Oversleeps {
    type Sleeping = tokio::time::Sleep;
    fn sleep(&self, duration: Duration) -> tokio::time::Sleep {
        sleep(duration * 10)
    }
    fn now(&self) -> std::time::Instant {
        Instant::now().into_std()
    }
    fn time_limit(&self, limit: Duration) -> tokio::time::Sleep {
        sleep(limit)
    }
}

#[retry(stop = persevere::stop::never, wait = fixed(300ms), total_timeout = 1s, sleep = Oversleeps)]
async fn refused_oversleeping(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    Err(FetchError::Refused)
}

#[retry(stop = persevere::stop::never, wait = fixed(300ms), total_timeout = 1s, sleep = Oversleeps, hedge = 10s)]
async fn hedged_oversleeping(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    Err(FetchError::Refused)
}

#[tokio::test(start_paused = true)]
async fn a_sleep_running_long_is_cut_at_the_total_limit() {
    // The 300 ms wait fits in the 1 s limit, but the sleeper takes 3 s over it.
    let calls = Cell::new(0);
    let started = Instant::now();
    assert_eq!(refused_oversleeping(&calls).await, Err(FetchError::Refused));
    assert_eq!((calls.get(), started.elapsed()), (1, secs(1)));

    let calls = Cell::new(0);
    let started = Instant::now();
    assert_eq!(hedged_oversleeping(&calls).await, Err(FetchError::Refused));
    assert_eq!((calls.get(), started.elapsed()), (1, secs(1)));

    let calls = Cell::new(0);
    let started = Instant::now();
    let outcome: Result<u32, FetchError> = Policy::new()
        .stop(persevere::stop::never())
        .wait(fixed(ms(300)))
        .total_timeout(secs(1))
        .sleeper(Oversleeps)
        .call_async(|| async {
            calls.set(calls.get() + 1);
            Err(FetchError::Refused)
        })
        .await;
    assert_eq!(outcome, Err(FetchError::Refused));
    assert_eq!((calls.get(), started.elapsed()), (1, secs(1)));
}
