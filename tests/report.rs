//! What a call reports when it ends: every `Ending`, the attempt history, and the time slept and
//! elapsed, as `on_finish` sees them (`state.ending()`, `state.report()`), as
//! `Policy::call_reported` and `call_async_reported` return them, and as `testing::record()`
//! captures them; through the attribute and through `Policy`, sync and async. Async tests run on
//! tokio's paused clock and sync ones on a `RecordingSleeper`'s virtual clock, so every time is
//! exact and nothing sleeps for real.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use persevere::budget::RetryBudget;
use persevere::cancel::Shutdown;
use persevere::hint::ServerHint;
use persevere::hook::{Level, Log};
use persevere::sleep::RecordingSleeper;
use persevere::stop::{Stop, attempts, cancelled, deadline, elapsed};
use persevere::testing::{record, skip_sleeps};
use persevere::wait::{exponential, fixed, server_hint};
use persevere::{Ending, OutcomeKind, Policy, Report, RetryState, Timeout, retry};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

const OK: OutcomeKind = OutcomeKind::Ok;
const ERR: OutcomeKind = OutcomeKind::Err;
const TIMED: OutcomeKind = OutcomeKind::TimedOut;

// ---------------------------------------------------------------------------------------------
// Helpers: an error type, a script of answers, and what `on_finish` saw.

#[derive(Debug, Clone, PartialEq)]
enum Failure {
    /// Retried.
    Busy,
    /// Not retried.
    Fatal,
    /// A server asking to come back after this long.
    Throttled(Duration),
    /// In a script: an async attempt that hangs for a minute (then succeeds with 0).
    Hang,
    /// An attempt cancelled by its time limit.
    TimedOut(Timeout),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Busy => f.write_str("busy"),
            Failure::Fatal => f.write_str("fatal"),
            Failure::Throttled(after) => write!(f, "throttled for {after:?}"),
            Failure::Hang => f.write_str("hung"),
            Failure::TimedOut(timeout) => write!(f, "{timeout}"),
        }
    }
}

impl From<Timeout> for Failure {
    fn from(timeout: Timeout) -> Self {
        Failure::TimedOut(timeout)
    }
}

impl ServerHint for Failure {
    fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Throttled(after) => Some(*after),
            _ => None,
        }
    }
}

fn transient(error: &Failure) -> bool {
    *error != Failure::Fatal
}

type Outcome = Result<u32, Failure>;

/// Answers from a script, one per attempt; the last repeats. Async attempts first take `delay`.
struct Script {
    answers: Vec<Outcome>,
    next: Cell<usize>,
    delay: Duration,
}

impl Script {
    fn new<const N: usize>(answers: [Outcome; N]) -> Self {
        Script {
            answers: answers.to_vec(),
            next: Cell::new(0),
            delay: Duration::ZERO,
        }
    }

    fn taking(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    fn next(&self) -> Outcome {
        let index = self.next.get();
        self.next.set(index + 1);
        self.answers[index.min(self.answers.len() - 1)].clone()
    }

    async fn next_async(&self) -> Outcome {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        match self.next() {
            Err(Failure::Hang) => {
                tokio::time::sleep(secs(60)).await;
                Ok(0)
            }
            other => other,
        }
    }

    fn calls(&self) -> usize {
        self.next.get()
    }
}

/// What one run of `on_finish` saw.
#[derive(Debug, Clone, PartialEq)]
struct Finished {
    attempt: u32,
    slept: Duration,
    elapsed: Duration,
    ending: Option<Ending>,
    report: Option<Report>,
    outcome: Option<Outcome>,
}

/// Records each run of an `on_finish` hook.
#[derive(Default)]
struct Seen(RefCell<Vec<Finished>>);

impl Seen {
    fn push(&self, state: &RetryState<'_, u32, Failure>) {
        self.0.borrow_mut().push(Finished {
            attempt: state.attempt(),
            slept: state.slept(),
            elapsed: state.elapsed(),
            ending: state.ending(),
            report: state.report().cloned(),
            outcome: state.outcome().cloned(),
        });
    }

    fn hook(&self) -> impl Fn(&RetryState<'_, u32, Failure>) + '_ {
        move |state| self.push(state)
    }

    fn count(&self) -> usize {
        self.0.borrow().len()
    }

    /// The one run of the hook, and its report.
    fn once(&self) -> (Finished, Report) {
        let runs = self.0.borrow();
        assert_eq!(
            runs.len(),
            1,
            "on_finish ran {} times: {runs:#?}",
            runs.len()
        );
        let finished = runs[0].clone();
        let report = finished.report.clone().expect("on_finish sees a report");
        // The state and the report agree.
        assert_eq!(finished.ending, Some(report.ending()));
        assert_eq!(finished.attempt, report.attempts());
        assert_eq!(finished.slept, report.slept());
        assert_eq!(finished.elapsed, report.elapsed());
        (finished, report)
    }
}

/// Asserts a finished call's report: why it ended, each attempt's outcome, the waits between
/// them (and so the time slept), and that it is consistent with itself.
#[track_caller]
fn assert_report(report: &Report, ending: Ending, outcomes: &[OutcomeKind], waits: &[Duration]) {
    assert_eq!(report.ending(), ending, "{report}");
    assert_eq!(report.attempts() as usize, outcomes.len(), "{report}");
    assert_eq!(report.retries(), report.attempts() - 1, "{report}");
    assert_eq!(report.outcomes().as_deref(), Some(outcomes), "{report}");
    assert_eq!(report.waits().as_deref(), Some(waits), "{report}");
    assert_eq!(report.slept(), waits.iter().sum::<Duration>(), "{report}");
    assert!(report.elapsed() >= report.slept(), "{report}");
    let history = report.history().expect("recorded");
    assert_eq!(history.len(), outcomes.len());
    // Every attempt but the last was followed by a wait (the last one too if a sleep overran).
    for attempt in &history[..history.len() - 1] {
        assert!(attempt.wait.is_some(), "{history:?}");
    }
}

/// Asserts what `on_finish` saw once: the report as [`assert_report`], the ending in the state,
/// and the outcome the call returned.
#[track_caller]
fn assert_finished(
    seen: &Seen,
    ending: Ending,
    outcomes: &[OutcomeKind],
    waits: &[Duration],
    returned: &Outcome,
) -> Report {
    let (finished, report) = seen.once();
    assert_eq!(finished.ending, Some(ending));
    assert_eq!(finished.outcome.as_ref(), Some(returned));
    assert_report(&report, ending, outcomes, waits);
    report
}

// ---------------------------------------------------------------------------------------------
// Ending::Succeeded: a success that needed retries. Exact waits (exponential 100 ms, 200 ms),
// time slept and elapsed.

#[retry(
    stop = attempts(5),
    wait = exponential(multiplier = 100ms),
    sleep = clock.clone(),
    on_finish = seen.hook()
)]
fn recovers(script: &Script, clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    script.next()
}

#[retry(stop = attempts(5), wait = exponential(multiplier = 100ms), on_finish = seen.hook())]
async fn recovers_async(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

fn busy_twice() -> Script {
    Script::new([Err(Failure::Busy), Err(Failure::Busy), Ok(7)])
}

#[test]
fn succeeded_after_retries_sync() {
    let waits = [ms(100), ms(200)];
    let (script, clock, seen) = (busy_twice(), RecordingSleeper::new(), Seen::default());
    assert_eq!(recovers(&script, &clock, &seen), Ok(7));
    let report = assert_finished(&seen, Ending::Succeeded, &[ERR, ERR, OK], &waits, &Ok(7));
    assert_eq!(report.elapsed(), ms(300));
    assert_eq!(report.function(), "report::recovers");
    assert_eq!(clock.sleeps(), waits);

    let (script, clock, seen) = (busy_twice(), RecordingSleeper::new(), Seen::default());
    let (outcome, report) = Policy::new()
        .named("recovers")
        .stop(attempts(5))
        .wait(exponential().multiplier(ms(100)))
        .sleeper(clock.clone())
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!(outcome, Ok(7));
    assert_report(&report, Ending::Succeeded, &[ERR, ERR, OK], &waits);
    assert_eq!(report.elapsed(), ms(300));
    assert_eq!(report.function(), "recovers");
    // The hook saw the very report the caller gets back.
    assert_eq!(seen.once().1, report);

    // Without a hook.
    let (script, clock) = (busy_twice(), RecordingSleeper::new());
    let (outcome, report) = Policy::new()
        .stop(attempts(5))
        .wait(exponential().multiplier(ms(100)))
        .sleeper(clock.clone())
        .call_reported(|| script.next());
    assert_eq!(outcome, Ok(7));
    assert_report(&report, Ending::Succeeded, &[ERR, ERR, OK], &waits);
    assert_eq!(report.elapsed(), ms(300));
    assert_eq!(report.function(), "<unnamed>");
}

#[tokio::test(start_paused = true)]
async fn succeeded_after_retries_async() {
    let waits = [ms(100), ms(200)];
    let (script, seen) = (busy_twice().taking(ms(10)), Seen::default());
    let started = tokio::time::Instant::now();
    assert_eq!(recovers_async(&script, &seen).await, Ok(7));
    let report = assert_finished(&seen, Ending::Succeeded, &[ERR, ERR, OK], &waits, &Ok(7));
    // Three attempts of 10 ms, and 300 ms of sleep. Nothing else in the policy reads the clock,
    // so the call is timed from its first failure: the report leaves out the first attempt.
    assert_eq!(report.elapsed(), ms(320));
    assert_eq!(started.elapsed(), ms(330));
    assert_eq!(report.function(), "report::recovers_async");

    let (script, seen) = (busy_twice().taking(ms(10)), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(5))
        .wait(exponential().multiplier(ms(100)))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, Ok(7));
    assert_report(&report, Ending::Succeeded, &[ERR, ERR, OK], &waits);
    assert_eq!(report.elapsed(), ms(330));
    assert_eq!(seen.once().1, report);
}

// ---------------------------------------------------------------------------------------------
// Ending::NotRetryable: on the first attempt, and on a later one.

#[retry(
    stop = attempts(5),
    wait = fixed(1s),
    retry_if = transient,
    sleep = clock.clone(),
    on_finish = seen.hook()
)]
fn refuses(script: &Script, clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    script.next()
}

#[retry(stop = attempts(5), wait = fixed(1s), retry_if = transient, on_finish = seen.hook())]
async fn refuses_async(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

fn fatal_at_once() -> Script {
    Script::new([Err(Failure::Fatal)])
}

fn fatal_second() -> Script {
    Script::new([Err(Failure::Busy), Err(Failure::Fatal)])
}

#[test]
fn not_retryable_on_the_first_attempt_and_on_a_later_one_sync() {
    let fatal = Err(Failure::Fatal);
    let (script, clock, seen) = (fatal_at_once(), RecordingSleeper::new(), Seen::default());
    assert_eq!(refuses(&script, &clock, &seen), fatal);
    let report = assert_finished(&seen, Ending::NotRetryable, &[ERR], &[], &fatal);
    assert_eq!(report.elapsed(), Duration::ZERO);

    let (script, clock, seen) = (fatal_second(), RecordingSleeper::new(), Seen::default());
    assert_eq!(refuses(&script, &clock, &seen), fatal);
    let report = assert_finished(&seen, Ending::NotRetryable, &[ERR, ERR], &[secs(1)], &fatal);
    assert_eq!(report.elapsed(), secs(1));

    for (script, outcomes, waits) in [
        (fatal_at_once(), &[ERR][..], &[][..]),
        (fatal_second(), &[ERR, ERR][..], &[secs(1)][..]),
    ] {
        let (clock, seen) = (RecordingSleeper::new(), Seen::default());
        let policy = Policy::new()
            .stop(attempts(5))
            .wait(fixed(secs(1)))
            .retry_if(transient)
            .sleeper(clock.clone());
        let (outcome, report) = policy
            .clone()
            .on_finish(seen.hook())
            .call_reported(|| script.next());
        assert_eq!(outcome, fatal);
        assert_report(&report, Ending::NotRetryable, outcomes, waits);
        assert_eq!(seen.once().1, report);
        // Reported without any hook too: a report is asked for, so the attempts are recorded.
        script.next.set(0);
        let (outcome, report) = policy.call_reported(|| script.next());
        assert_eq!(outcome, fatal);
        assert_report(&report, Ending::NotRetryable, outcomes, waits);
    }
}

#[tokio::test(start_paused = true)]
async fn not_retryable_on_the_first_attempt_and_on_a_later_one_async() {
    let fatal = Err(Failure::Fatal);
    let (script, seen) = (fatal_at_once(), Seen::default());
    assert_eq!(refuses_async(&script, &seen).await, fatal);
    let report = assert_finished(&seen, Ending::NotRetryable, &[ERR], &[], &fatal);
    assert_eq!(report.elapsed(), Duration::ZERO);

    let (script, seen) = (fatal_second(), Seen::default());
    assert_eq!(refuses_async(&script, &seen).await, fatal);
    let report = assert_finished(&seen, Ending::NotRetryable, &[ERR, ERR], &[secs(1)], &fatal);
    assert_eq!(report.elapsed(), secs(1));

    for (script, outcomes, waits) in [
        (fatal_at_once(), &[ERR][..], &[][..]),
        (fatal_second(), &[ERR, ERR][..], &[secs(1)][..]),
    ] {
        let seen = Seen::default();
        let (outcome, report) = Policy::new()
            .stop(attempts(5))
            .wait(fixed(secs(1)))
            .retry_if(transient)
            .on_finish(seen.hook())
            .call_async_reported(|| script.next_async())
            .await;
        assert_eq!(outcome, fatal);
        assert_report(&report, Ending::NotRetryable, outcomes, waits);
        assert_eq!(seen.once().1, report);
    }
}

// ---------------------------------------------------------------------------------------------
// Ending::Attempts

#[retry(stop = attempts(3), wait = fixed(1s), sleep = clock.clone(), on_finish = seen.hook())]
fn always_busy(script: &Script, clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    script.next()
}

#[retry(stop = attempts(3), wait = fixed(1s), on_finish = seen.hook())]
async fn always_busy_async(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

fn busy() -> Script {
    Script::new([Err(Failure::Busy)])
}

#[test]
fn attempts_sync() {
    let busy_outcome = Err(Failure::Busy);
    let waits = [secs(1), secs(1)];
    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    assert_eq!(always_busy(&script, &clock, &seen), busy_outcome);
    let report = assert_finished(&seen, Ending::Attempts, &[ERR; 3], &waits, &busy_outcome);
    assert_eq!(report.elapsed(), secs(2));

    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(3))
        .wait(fixed(secs(1)))
        .sleeper(clock.clone())
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Attempts, &[ERR; 3], &waits);
    assert_eq!(report.elapsed(), secs(2));
    assert_eq!(seen.once().1, report);
}

#[tokio::test(start_paused = true)]
async fn attempts_async() {
    let busy_outcome = Err(Failure::Busy);
    let waits = [secs(1), secs(1)];
    let (script, seen) = (busy(), Seen::default());
    assert_eq!(always_busy_async(&script, &seen).await, busy_outcome);
    let report = assert_finished(&seen, Ending::Attempts, &[ERR; 3], &waits, &busy_outcome);
    assert_eq!(report.elapsed(), secs(2));

    let (script, seen) = (busy(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(3))
        .wait(fixed(secs(1)))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Attempts, &[ERR; 3], &waits);
    assert_eq!(report.elapsed(), secs(2));
    assert_eq!(seen.once().1, report);
}

// ---------------------------------------------------------------------------------------------
// Ending::Elapsed: attempts end at 0, 0.4, 0.8 and 1.2 s; the fourth is past 1 s.

#[retry(stop = elapsed(1s), wait = fixed(400ms), sleep = clock.clone(), on_finish = seen.hook())]
fn out_of_time(script: &Script, clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    script.next()
}

#[retry(stop = elapsed(1s), wait = fixed(400ms), on_finish = seen.hook())]
async fn out_of_time_async(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

#[test]
fn elapsed_sync() {
    let busy_outcome = Err(Failure::Busy);
    let waits = [ms(400); 3];
    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    assert_eq!(out_of_time(&script, &clock, &seen), busy_outcome);
    let report = assert_finished(&seen, Ending::Elapsed, &[ERR; 4], &waits, &busy_outcome);
    assert_eq!(report.elapsed(), ms(1200));

    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(elapsed(secs(1)))
        .wait(fixed(ms(400)))
        .sleeper(clock.clone())
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Elapsed, &[ERR; 4], &waits);
    assert_eq!(report.elapsed(), ms(1200));
    assert_eq!(seen.once().1, report);

    // Sleeps skipped: the schedule and the report are the same.
    let _skip = skip_sleeps();
    let script = busy();
    let (outcome, report) = Policy::new()
        .stop(elapsed(secs(1)))
        .wait(fixed(ms(400)))
        .call_reported(|| script.next());
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Elapsed, &[ERR; 4], &waits);
}

#[tokio::test(start_paused = true)]
async fn elapsed_async() {
    let busy_outcome = Err(Failure::Busy);
    let waits = [ms(400); 3];
    let (script, seen) = (busy(), Seen::default());
    assert_eq!(out_of_time_async(&script, &seen).await, busy_outcome);
    let report = assert_finished(&seen, Ending::Elapsed, &[ERR; 4], &waits, &busy_outcome);
    assert_eq!(report.elapsed(), ms(1200));

    let (script, seen) = (busy(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(elapsed(secs(1)))
        .wait(fixed(ms(400)))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Elapsed, &[ERR; 4], &waits);
    assert_eq!(report.elapsed(), ms(1200));
    assert_eq!(seen.once().1, report);
}

// ---------------------------------------------------------------------------------------------
// Ending::Stop: a closure stop, which gives no more specific reason.

#[retry(
    stop = |state| state.attempt() >= 2,
    wait = fixed(1s),
    sleep = clock.clone(),
    on_finish = seen.hook()
)]
fn closure_stop(script: &Script, clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    script.next()
}

#[retry(stop = |state| state.attempt() >= 2, wait = fixed(1s), on_finish = seen.hook())]
async fn closure_stop_async(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

fn second_attempt(state: &RetryState<'_, u32, Failure>) -> bool {
    state.attempt() >= 2
}

#[test]
fn stop_sync() {
    let busy_outcome = Err(Failure::Busy);
    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    assert_eq!(closure_stop(&script, &clock, &seen), busy_outcome);
    assert_finished(&seen, Ending::Stop, &[ERR; 2], &[secs(1)], &busy_outcome);

    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(second_attempt)
        .wait(fixed(secs(1)))
        .sleeper(clock.clone())
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Stop, &[ERR; 2], &[secs(1)]);
    assert_eq!(seen.once().1, report);
}

#[tokio::test(start_paused = true)]
async fn stop_async() {
    let busy_outcome = Err(Failure::Busy);
    let (script, seen) = (busy(), Seen::default());
    assert_eq!(closure_stop_async(&script, &seen).await, busy_outcome);
    assert_finished(&seen, Ending::Stop, &[ERR; 2], &[secs(1)], &busy_outcome);

    let (script, seen) = (busy(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(|state: &RetryState<'_, u32, Failure>| state.attempt() >= 2)
        .wait(fixed(secs(1)))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Stop, &[ERR; 2], &[secs(1)]);
    assert_eq!(seen.once().1, report);
}

// ---------------------------------------------------------------------------------------------
// Ending::Deadline: a sleep that would end past the deadline (decided after an attempt), and a
// sleep or hook that overran it (decided before the next attempt).

#[retry(stop = deadline(1s), wait = fixed(400ms), sleep = clock.clone(), on_finish = seen.hook())]
fn before_the_deadline(script: &Script, clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    script.next()
}

#[retry(
    stop = deadline(1s),
    wait = fixed(300ms),
    sleep = clock.clone(),
    before = |_| clock.advance(400ms),
    on_finish = seen.hook()
)]
fn slow_before(script: &Script, clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    script.next()
}

#[retry(stop = deadline(1s), wait = fixed(400ms), on_finish = seen.hook())]
async fn before_the_deadline_async(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

/// Its sleeper oversleeps: each sleep takes twice what was asked.
#[retry(
    stop = deadline(1s),
    wait = fixed(300ms),
    sleep = |wait| tokio::time::sleep(wait * 2),
    on_finish = seen.hook()
)]
async fn oversleeps_async(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

#[test]
fn deadline_sync() {
    let busy_outcome = Err(Failure::Busy);
    // 0.8 s + 0.4 s would reach 1 s.
    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    assert_eq!(before_the_deadline(&script, &clock, &seen), busy_outcome);
    let waits = [ms(400); 2];
    let report = assert_finished(&seen, Ending::Deadline, &[ERR; 3], &waits, &busy_outcome);
    assert_eq!(report.elapsed(), ms(800));

    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(deadline(secs(1)))
        .wait(fixed(ms(400)))
        .sleeper(clock.clone())
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Deadline, &[ERR; 3], &waits);
    assert_eq!(report.elapsed(), ms(800));
    assert_eq!(seen.once().1, report);

    // `before` takes 400 ms: the first attempt fails at 0.4 s, sleeps 0.3 s, and the second
    // attempt's `before` ends at 1.1 s, past the deadline, so it never starts. The sleep that
    // led nowhere is in the history and in the time slept.
    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    assert_eq!(slow_before(&script, &clock, &seen), busy_outcome);
    assert_eq!(script.calls(), 1);
    let report = assert_finished(&seen, Ending::Deadline, &[ERR], &[ms(300)], &busy_outcome);
    assert_eq!(report.elapsed(), ms(1100));

    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    let advance = clock.clone();
    let (outcome, report) = Policy::new()
        .stop(deadline(secs(1)))
        .wait(fixed(ms(300)))
        .sleeper(clock.clone())
        .before(move |_: &RetryState<'_, u32, Failure>| advance.advance(ms(400)))
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!((outcome, script.calls()), (busy_outcome, 1));
    assert_report(&report, Ending::Deadline, &[ERR], &[ms(300)]);
    assert_eq!(report.elapsed(), ms(1100));
    assert_eq!(seen.once().1, report);
}

#[tokio::test(start_paused = true)]
async fn deadline_async() {
    let busy_outcome = Err(Failure::Busy);
    let waits = [ms(400); 2];
    let (script, seen) = (busy(), Seen::default());
    assert_eq!(
        before_the_deadline_async(&script, &seen).await,
        busy_outcome
    );
    let report = assert_finished(&seen, Ending::Deadline, &[ERR; 3], &waits, &busy_outcome);
    assert_eq!(report.elapsed(), ms(800));

    let (script, seen) = (busy(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(deadline(secs(1)))
        .wait(fixed(ms(400)))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Deadline, &[ERR; 3], &waits);
    assert_eq!(report.elapsed(), ms(800));
    assert_eq!(seen.once().1, report);

    // Each 300 ms sleep takes 600 ms: the second ends at 1.2 s, past the deadline, and the call
    // returns the second attempt's outcome. Slept counts what was asked; elapsed, the clock.
    let (script, seen) = (busy(), Seen::default());
    assert_eq!(oversleeps_async(&script, &seen).await, busy_outcome);
    assert_eq!(script.calls(), 2);
    let waits = [ms(300); 2];
    let report = assert_finished(&seen, Ending::Deadline, &[ERR; 2], &waits, &busy_outcome);
    assert_eq!(report.elapsed(), ms(1200));

    let (script, seen) = (busy(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(deadline(secs(1)))
        .wait(fixed(ms(300)))
        .sleeper(|wait: Duration| tokio::time::sleep(wait * 2))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!((outcome, script.calls()), (busy_outcome, 2));
    assert_report(&report, Ending::Deadline, &[ERR; 2], &waits);
    assert_eq!(report.elapsed(), ms(1200));
    assert_eq!(seen.once().1, report);
}

// ---------------------------------------------------------------------------------------------
// Ending::Timeout (`total_timeout`), and the TimedOut kind of an attempt a time limit cancelled.

/// Attempts take 100 ms and fail; a 1 s wait after the third (at 2.3 s) would pass 2.5 s.
#[retry(stop = attempts(10), wait = fixed(1s), total_timeout = 2500ms, on_finish = seen.hook())]
async fn out_of_total_time(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

/// The first attempt hangs and is cancelled at the total limit.
#[retry(stop = attempts(10), wait = fixed(1s), total_timeout = 3s, on_finish = seen.hook())]
async fn hangs_past_the_total(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

/// Each attempt may take 1 s.
#[retry(stop = attempts(3), wait = fixed(1s), timeout = 1s, on_finish = seen.hook())]
async fn each_attempt_limited(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

#[tokio::test(start_paused = true)]
async fn timeout_and_timed_out_attempts() {
    let busy_outcome = Err(Failure::Busy);
    let waits = [secs(1); 2];
    let (script, seen) = (busy().taking(ms(100)), Seen::default());
    assert_eq!(out_of_total_time(&script, &seen).await, busy_outcome);
    let report = assert_finished(&seen, Ending::Timeout, &[ERR; 3], &waits, &busy_outcome);
    assert_eq!(report.elapsed(), ms(2300));

    let (script, seen) = (busy().taking(ms(100)), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(10))
        .wait(fixed(secs(1)))
        .total_timeout(ms(2500))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Timeout, &[ERR; 3], &waits);
    assert_eq!(report.elapsed(), ms(2300));
    assert_eq!(seen.once().1, report);

    // An attempt cancelled at the total limit: a TimedOut attempt, and a Timeout ending.
    let cancelled_at_3s = Err(Failure::TimedOut(Timeout::new(secs(3), true)));
    let hang = || Script::new([Err(Failure::Hang)]);
    let (script, seen) = (hang(), Seen::default());
    assert_eq!(hangs_past_the_total(&script, &seen).await, cancelled_at_3s);
    let report = assert_finished(&seen, Ending::Timeout, &[TIMED], &[], &cancelled_at_3s);
    assert_eq!(report.elapsed(), secs(3));

    let (script, seen) = (hang(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(10))
        .wait(fixed(secs(1)))
        .total_timeout(secs(3))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, cancelled_at_3s);
    assert_report(&report, Ending::Timeout, &[TIMED], &[]);
    assert_eq!(report.elapsed(), secs(3));
    assert_eq!(seen.once().1, report);

    // Each attempt's own limit: three attempts of 1 s and two sleeps of 1 s.
    let cancelled_at_1s = Err(Failure::TimedOut(Timeout::new(secs(1), false)));
    let (script, seen) = (hang(), Seen::default());
    assert_eq!(each_attempt_limited(&script, &seen).await, cancelled_at_1s);
    let report = assert_finished(
        &seen,
        Ending::Attempts,
        &[TIMED; 3],
        &waits,
        &cancelled_at_1s,
    );
    assert_eq!(report.elapsed(), secs(5));

    let (script, seen) = (hang(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(3))
        .wait(fixed(secs(1)))
        .timeout(secs(1))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, cancelled_at_1s);
    assert_report(&report, Ending::Attempts, &[TIMED; 3], &waits);
    assert_eq!(report.elapsed(), secs(5));
    assert_eq!(seen.once().1, report);

    // Timed out, then failed, then succeeded: each kind in its place.
    let mixed = || Script::new([Err(Failure::Hang), Err(Failure::Busy), Ok(7)]);
    let (script, seen) = (mixed(), Seen::default());
    assert_eq!(each_attempt_limited(&script, &seen).await, Ok(7));
    let report = assert_finished(&seen, Ending::Succeeded, &[TIMED, ERR, OK], &waits, &Ok(7));
    assert_eq!(report.elapsed(), secs(3));

    let script = mixed();
    let (outcome, report) = Policy::new()
        .stop(attempts(3))
        .wait(fixed(secs(1)))
        .timeout(secs(1))
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, Ok(7));
    assert_report(&report, Ending::Succeeded, &[TIMED, ERR, OK], &waits);
    assert_eq!(report.elapsed(), secs(3));
}

// ---------------------------------------------------------------------------------------------
// Ending::HintAboveCap: the server asks for 2 s (honoured), then for 6 hours (above the 1 min cap).

#[retry(
    stop = attempts(10),
    wait = server_hint(max = 1m, jitter = 0s),
    sleep = clock.clone(),
    on_finish = seen.hook()
)]
fn throttled(script: &Script, clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    script.next()
}

#[retry(stop = attempts(10), wait = server_hint(max = 1m, jitter = 0s), on_finish = seen.hook())]
async fn throttled_async(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

fn asks_too_much() -> Script {
    Script::new([
        Err(Failure::Throttled(secs(2))),
        Err(Failure::Throttled(secs(6 * 3600))),
    ])
}

#[test]
fn hint_above_cap_sync() {
    let last = Err(Failure::Throttled(secs(6 * 3600)));
    let (script, clock, seen) = (asks_too_much(), RecordingSleeper::new(), Seen::default());
    assert_eq!(throttled(&script, &clock, &seen), last);
    let report = assert_finished(&seen, Ending::HintAboveCap, &[ERR; 2], &[secs(2)], &last);
    assert_eq!(report.elapsed(), secs(2));
    assert_eq!(clock.sleeps(), [secs(2)]);

    let (script, clock, seen) = (asks_too_much(), RecordingSleeper::new(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(10))
        .wait(server_hint().max(secs(60)).jitter(Duration::ZERO))
        .sleeper(clock.clone())
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!(outcome, last);
    assert_report(&report, Ending::HintAboveCap, &[ERR; 2], &[secs(2)]);
    assert_eq!(seen.once().1, report);
}

#[tokio::test(start_paused = true)]
async fn hint_above_cap_async() {
    let last = Err(Failure::Throttled(secs(6 * 3600)));
    let (script, seen) = (asks_too_much(), Seen::default());
    assert_eq!(throttled_async(&script, &seen).await, last);
    let report = assert_finished(&seen, Ending::HintAboveCap, &[ERR; 2], &[secs(2)], &last);
    assert_eq!(report.elapsed(), secs(2));

    let (script, seen) = (asks_too_much(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(10))
        .wait(server_hint().max(secs(60)).jitter(Duration::ZERO))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, last);
    assert_report(&report, Ending::HintAboveCap, &[ERR; 2], &[secs(2)]);
    assert_eq!(seen.once().1, report);
}

// ---------------------------------------------------------------------------------------------
// Ending::Strategy: a wait strategy of one's own ends the call through `state.end_call`.

fn gives_up_at_second(state: &RetryState<'_, u32, Failure>) -> Duration {
    if state.attempt() >= 2 {
        state.end_call("two is enough");
    }
    secs(1)
}

#[retry(
    stop = attempts(10),
    wait = |state| { if state.attempt() >= 2 { state.end_call("two is enough") } 1s },
    sleep = clock.clone(),
    on_finish = seen.hook()
)]
fn own_wait(script: &Script, clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    script.next()
}

#[retry(stop = attempts(10), wait = gives_up_at_second, on_finish = seen.hook())]
async fn own_wait_async(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

#[test]
fn strategy_sync() {
    let busy_outcome = Err(Failure::Busy);
    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    assert_eq!(own_wait(&script, &clock, &seen), busy_outcome);
    assert_finished(
        &seen,
        Ending::Strategy,
        &[ERR; 2],
        &[secs(1)],
        &busy_outcome,
    );
    assert_eq!(clock.sleeps(), [secs(1)]);

    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(10))
        .wait(gives_up_at_second)
        .sleeper(clock.clone())
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Strategy, &[ERR; 2], &[secs(1)]);
    assert_eq!(seen.once().1, report);
}

#[tokio::test(start_paused = true)]
async fn strategy_async() {
    let busy_outcome = Err(Failure::Busy);
    let (script, seen) = (busy(), Seen::default());
    assert_eq!(own_wait_async(&script, &seen).await, busy_outcome);
    let report = assert_finished(
        &seen,
        Ending::Strategy,
        &[ERR; 2],
        &[secs(1)],
        &busy_outcome,
    );
    assert_eq!(report.elapsed(), secs(1));

    let (script, seen) = (busy(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(10))
        .wait(gives_up_at_second)
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Strategy, &[ERR; 2], &[secs(1)]);
    assert_eq!(seen.once().1, report);
}

// ---------------------------------------------------------------------------------------------
// Ending::Budget: a budget holding one retry; the second failure finds it empty.

static ONE_RETRY_SYNC: RetryBudget = RetryBudget::with_reserve(1, 0);
static ONE_RETRY_ASYNC: RetryBudget = RetryBudget::with_reserve(1, 0);

#[retry(
    stop = attempts(10),
    wait = fixed(1s),
    budget = ONE_RETRY_SYNC,
    sleep = clock.clone(),
    on_finish = seen.hook()
)]
fn on_a_budget(script: &Script, clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    script.next()
}

#[retry(stop = attempts(10), wait = fixed(1s), budget = ONE_RETRY_ASYNC, on_finish = seen.hook())]
async fn on_a_budget_async(script: &Script, seen: &Seen) -> Outcome {
    script.next_async().await
}

#[test]
fn budget_sync() {
    let busy_outcome = Err(Failure::Busy);
    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    assert_eq!(on_a_budget(&script, &clock, &seen), busy_outcome);
    assert_finished(&seen, Ending::Budget, &[ERR; 2], &[secs(1)], &busy_outcome);

    let budget = RetryBudget::with_reserve(1, 0);
    let (script, clock, seen) = (busy(), RecordingSleeper::new(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(10))
        .wait(fixed(secs(1)))
        .budget(&budget)
        .sleeper(clock.clone())
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Budget, &[ERR; 2], &[secs(1)]);
    assert_eq!(seen.once().1, report);

    // Now empty: the first failure ends the call.
    let script = busy();
    let (outcome, report) = Policy::new()
        .stop(attempts(10))
        .budget(&budget)
        .call_reported(|| script.next());
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Budget, &[ERR], &[]);
}

#[tokio::test(start_paused = true)]
async fn budget_async() {
    let busy_outcome = Err(Failure::Busy);
    let (script, seen) = (busy(), Seen::default());
    assert_eq!(on_a_budget_async(&script, &seen).await, busy_outcome);
    let report = assert_finished(&seen, Ending::Budget, &[ERR; 2], &[secs(1)], &busy_outcome);
    assert_eq!(report.elapsed(), secs(1));

    let budget = RetryBudget::with_reserve(1, 0);
    let (script, seen) = (busy(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(10))
        .wait(fixed(secs(1)))
        .budget(&budget)
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Budget, &[ERR; 2], &[secs(1)]);
    assert_eq!(seen.once().1, report);
}

// ---------------------------------------------------------------------------------------------
// Ending::Cancelled: a shutdown seen by the stop after an attempt (signalled in `after`), and one
// seen when a sleep ends (signalled in `before_sleep`).

#[retry(
    stop = attempts(5) | cancelled(shutdown),
    wait = fixed(1s),
    sleep = clock.clone(),
    after = |state| if state.attempt() == 2 { shutdown.cancel() },
    on_finish = seen.hook()
)]
fn shut_down_after(
    script: &Script,
    shutdown: &Shutdown,
    clock: &RecordingSleeper,
    seen: &Seen,
) -> Outcome {
    script.next()
}

#[retry(
    stop = attempts(5) | cancelled(shutdown),
    wait = fixed(1s),
    sleep = clock.clone(),
    before_sleep = |state| if state.attempt() == 2 { shutdown.cancel() },
    on_finish = seen.hook()
)]
fn shut_down_while_asleep(
    script: &Script,
    shutdown: &Shutdown,
    clock: &RecordingSleeper,
    seen: &Seen,
) -> Outcome {
    script.next()
}

#[retry(
    stop = cancelled(shutdown) | attempts(5),
    wait = fixed(1s),
    after = |state| if state.attempt() == 2 { shutdown.cancel() },
    on_finish = seen.hook()
)]
async fn shut_down_after_async(script: &Script, shutdown: &Shutdown, seen: &Seen) -> Outcome {
    script.next_async().await
}

#[retry(
    stop = attempts(5) | cancelled(shutdown),
    wait = fixed(1s),
    before_sleep = |state| if state.attempt() == 2 { shutdown.cancel() },
    on_finish = seen.hook()
)]
async fn shut_down_while_asleep_async(
    script: &Script,
    shutdown: &Shutdown,
    seen: &Seen,
) -> Outcome {
    script.next_async().await
}

fn cancel_at_second(shutdown: &Shutdown) -> impl Fn(&RetryState<'_, u32, Failure>) + '_ {
    move |state| {
        if state.attempt() == 2 {
            shutdown.cancel()
        }
    }
}

#[test]
fn cancelled_sync() {
    let busy_outcome = Err(Failure::Busy);
    let (script, shutdown, clock, seen) = (
        busy(),
        Shutdown::new(),
        RecordingSleeper::new(),
        Seen::default(),
    );
    assert_eq!(
        shut_down_after(&script, &shutdown, &clock, &seen),
        busy_outcome
    );
    assert_finished(
        &seen,
        Ending::Cancelled,
        &[ERR; 2],
        &[secs(1)],
        &busy_outcome,
    );

    // Woken from the second sleep: that sleep is in the report, and no third attempt ran.
    let (script, shutdown, clock, seen) = (
        busy(),
        Shutdown::new(),
        RecordingSleeper::new(),
        Seen::default(),
    );
    assert_eq!(
        shut_down_while_asleep(&script, &shutdown, &clock, &seen),
        busy_outcome
    );
    assert_eq!(script.calls(), 2);
    let waits = [secs(1); 2];
    let report = assert_finished(&seen, Ending::Cancelled, &[ERR; 2], &waits, &busy_outcome);
    assert_eq!(report.elapsed(), secs(2));

    let (script, shutdown, clock, seen) = (
        busy(),
        Shutdown::new(),
        RecordingSleeper::new(),
        Seen::default(),
    );
    let (outcome, report) = Policy::new()
        .stop(attempts(5) | cancelled(&shutdown))
        .wait(fixed(secs(1)))
        .sleeper(clock.clone())
        .after(cancel_at_second(&shutdown))
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!(outcome, busy_outcome);
    assert_report(&report, Ending::Cancelled, &[ERR; 2], &[secs(1)]);
    assert_eq!(seen.once().1, report);

    let (script, shutdown, clock, seen) = (
        busy(),
        Shutdown::new(),
        RecordingSleeper::new(),
        Seen::default(),
    );
    let (outcome, report) = Policy::new()
        .stop(attempts(5) | cancelled(&shutdown))
        .wait(fixed(secs(1)))
        .sleeper(clock.clone())
        .before_sleep(cancel_at_second(&shutdown))
        .on_finish(seen.hook())
        .call_reported(|| script.next());
    assert_eq!((outcome, script.calls()), (busy_outcome, 2));
    assert_report(&report, Ending::Cancelled, &[ERR; 2], &waits);
    assert_eq!(seen.once().1, report);
}

#[tokio::test(start_paused = true)]
async fn cancelled_async() {
    let busy_outcome = Err(Failure::Busy);
    let (script, shutdown, seen) = (busy(), Shutdown::new(), Seen::default());
    assert_eq!(
        shut_down_after_async(&script, &shutdown, &seen).await,
        busy_outcome
    );
    assert_finished(
        &seen,
        Ending::Cancelled,
        &[ERR; 2],
        &[secs(1)],
        &busy_outcome,
    );

    let (script, shutdown, seen) = (busy(), Shutdown::new(), Seen::default());
    assert_eq!(
        shut_down_while_asleep_async(&script, &shutdown, &seen).await,
        busy_outcome
    );
    assert_eq!(script.calls(), 2);
    let waits = [secs(1); 2];
    let report = assert_finished(&seen, Ending::Cancelled, &[ERR; 2], &waits, &busy_outcome);
    assert_eq!(report.elapsed(), secs(2));

    let (script, shutdown, seen) = (busy(), Shutdown::new(), Seen::default());
    let (outcome, report) = Policy::new()
        .stop(attempts(5) | cancelled(&shutdown))
        .wait(fixed(secs(1)))
        .before_sleep(cancel_at_second(&shutdown))
        .on_finish(seen.hook())
        .call_async_reported(|| script.next_async())
        .await;
    assert_eq!((outcome, script.calls()), (busy_outcome, 2));
    assert_report(&report, Ending::Cancelled, &[ERR; 2], &waits);
    assert_eq!(report.elapsed(), secs(2));
    assert_eq!(seen.once().1, report);
}

// ---------------------------------------------------------------------------------------------
// `a | b`: the part that stopped gives the reason; when both stop at once, the left one.

#[retry(stop = attempts(3) | elapsed(10s), wait = fixed(1s), sleep = clock.clone(), on_finish = seen.hook())]
fn few_attempts_long_time(clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(10) | elapsed(2s), wait = fixed(1s), sleep = clock.clone(), on_finish = seen.hook())]
fn many_attempts_short_time(clock: &RecordingSleeper, seen: &Seen) -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(3) | elapsed(10s), wait = fixed(1s), on_finish = seen.hook())]
async fn few_attempts_long_time_async(seen: &Seen) -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(10) | elapsed(2s), wait = fixed(1s), on_finish = seen.hook())]
async fn many_attempts_short_time_async(seen: &Seen) -> Outcome {
    Err(Failure::Busy)
}

#[test]
fn either_stop_gives_its_own_reason_sync() {
    let (clock, seen) = (RecordingSleeper::new(), Seen::default());
    let _ = few_attempts_long_time(&clock, &seen);
    let report = seen.once().1;
    assert_report(&report, Ending::Attempts, &[ERR; 3], &[secs(1); 2]);

    let (clock, seen) = (RecordingSleeper::new(), Seen::default());
    let _ = many_attempts_short_time(&clock, &seen);
    let report = seen.once().1;
    assert_report(&report, Ending::Elapsed, &[ERR; 3], &[secs(1); 2]);

    // Through `Policy`: one part stops.
    assert_eq!(
        stopped_by(attempts(3) | elapsed(secs(10))),
        (Ending::Attempts, 3)
    );
    assert_eq!(
        stopped_by(elapsed(secs(10)) | attempts(3)),
        (Ending::Attempts, 3)
    );
    assert_eq!(
        stopped_by(attempts(10) | elapsed(secs(2))),
        (Ending::Elapsed, 3)
    );
    assert_eq!(
        stopped_by(elapsed(secs(2)) | attempts(10)),
        (Ending::Elapsed, 3)
    );
    assert_eq!(
        stopped_by(attempts(2) | deadline(secs(10))),
        (Ending::Attempts, 2)
    );
    assert_eq!(
        stopped_by(attempts(10) | deadline(secs(3))),
        (Ending::Deadline, 3)
    );
    assert_eq!(
        stopped_by(deadline(secs(3)) | attempts(10)),
        (Ending::Deadline, 3)
    );
    // Both stop after the third attempt (at 2 s): the left part gives the reason.
    assert_eq!(
        stopped_by(attempts(3) | elapsed(secs(2))),
        (Ending::Attempts, 3)
    );
    assert_eq!(
        stopped_by(elapsed(secs(2)) | attempts(3)),
        (Ending::Elapsed, 3)
    );
    // Three parts.
    let three = attempts(10) | elapsed(secs(100)) | deadline(secs(4));
    assert_eq!(stopped_by(three), (Ending::Deadline, 4));
    let three = attempts(10) | elapsed(secs(3)) | deadline(secs(100));
    assert_eq!(stopped_by(three), (Ending::Elapsed, 4));
}

/// Why a policy with `stop` and 1 s waits ends a call that always fails, and after how many
/// attempts.
fn stopped_by<S: Stop<u32, Failure>>(stop: S) -> (Ending, u32) {
    let (_, report) = Policy::new()
        .stop(stop)
        .wait(fixed(secs(1)))
        .sleeper(RecordingSleeper::new())
        .call_reported(|| Err::<u32, _>(Failure::Busy));
    assert_eq!(report.retries(), report.attempts() - 1);
    (report.ending(), report.attempts())
}

#[tokio::test(start_paused = true)]
async fn either_stop_gives_its_own_reason_async() {
    let seen = Seen::default();
    let _ = few_attempts_long_time_async(&seen).await;
    assert_report(&seen.once().1, Ending::Attempts, &[ERR; 3], &[secs(1); 2]);

    let seen = Seen::default();
    let _ = many_attempts_short_time_async(&seen).await;
    let report = seen.once().1;
    assert_report(&report, Ending::Elapsed, &[ERR; 3], &[secs(1); 2]);
    assert_eq!(report.elapsed(), secs(2));

    let (_, report) = Policy::new()
        .stop(attempts(10) | elapsed(secs(2)))
        .wait(fixed(secs(1)))
        .call_async_reported(|| async { Err::<u32, _>(Failure::Busy) })
        .await;
    assert_report(&report, Ending::Elapsed, &[ERR; 3], &[secs(1); 2]);
}

// ---------------------------------------------------------------------------------------------
// `on_finish` runs once, and never after a first-time success; it runs after `on_give_up` and
// sees the value `on_give_up` made.

#[retry(stop = attempts(3), wait = 0s, on_finish = seen.hook())]
fn fine(seen: &Seen) -> Outcome {
    Ok(1)
}

#[retry(stop = attempts(3), wait = 0s, on_finish = seen.hook())]
async fn fine_async(seen: &Seen) -> Outcome {
    Ok(1)
}

#[test]
fn on_finish_does_not_run_after_a_first_time_success() {
    let seen = Seen::default();
    assert_eq!(fine(&seen), Ok(1));
    let policy = Policy::new().on_finish(seen.hook());
    assert_eq!(policy.call(|| Ok(1)), Ok(1));
    let (outcome, report) = policy.call_reported(|| Ok(1));
    assert_eq!(outcome, Ok(1));
    assert_eq!(seen.count(), 0);
    // The report of a first-time success.
    assert_eq!(report.attempts(), 1);
    assert_eq!(report.retries(), 0);
    assert_eq!(report.ending(), Ending::Succeeded);
    assert_eq!(report.outcomes(), Some(vec![OK]));
    assert_eq!(report.waits(), Some(vec![]));
    assert_eq!(report.slept(), Duration::ZERO);
    assert_eq!(report.history().map(<[_]>::len), Some(1));
    assert_eq!(report.history().unwrap()[0].wait, None);
}

#[tokio::test(start_paused = true)]
async fn on_finish_does_not_run_after_a_first_time_success_async() {
    let seen = Seen::default();
    assert_eq!(fine_async(&seen).await, Ok(1));
    let policy = Policy::new().on_finish(seen.hook());
    assert_eq!(policy.call_async(|| async { Ok(1) }).await, Ok(1));
    let (outcome, report) = policy.call_async_reported(|| async { Ok(1) }).await;
    assert_eq!(outcome, Ok(1));
    assert_eq!(seen.count(), 0);
    assert_eq!(
        (report.attempts(), report.ending(), report.outcomes()),
        (1, Ending::Succeeded, Some(vec![OK]))
    );
    // The paused clock has not moved.
    assert_eq!(report.elapsed(), Duration::ZERO);
}

#[retry(stop = attempts(3), wait = 0s, retry_if_ok = |value| *value == 0, on_finish = seen.hook())]
fn fine_unless_zero(seen: &Seen) -> Outcome {
    Ok(1)
}

/// A policy that can retry `Ok` values settles every outcome through the engine, a first-time
/// success included: it still runs no `on_finish`, and a recorder does not capture it.
#[test]
fn on_finish_does_not_run_after_a_first_time_success_that_could_have_been_retried() {
    let recorder = record();
    let by_attribute = Seen::default();
    assert_eq!(fine_unless_zero(&by_attribute), Ok(1));
    let by_policy = Seen::default();
    let policy = Policy::new()
        .retry_if_ok(|value: &u32| *value == 0)
        .on_finish(by_policy.hook());
    assert_eq!(policy.call(|| Ok(1)), Ok(1));
    let (outcome, report) = policy.call_reported(|| Ok(1));
    assert_eq!(outcome, Ok(1));
    assert_eq!(
        (
            by_attribute.count(),
            by_policy.count(),
            recorder.reports().len()
        ),
        (0, 0, 0)
    );
    // The report of a first-time success all the same.
    assert_report(&report, Ending::Succeeded, &[OK], &[]);
}

#[tokio::test(start_paused = true)]
async fn on_finish_does_not_run_after_a_first_time_success_that_could_have_been_retried_async() {
    let recorder = record();
    let seen = Seen::default();
    let (outcome, report) = Policy::new()
        .retry_if_ok(|value: &u32| *value == 0)
        .on_finish(seen.hook())
        .call_async_reported(|| async { Ok(1) })
        .await;
    assert_eq!(outcome, Ok(1));
    assert_eq!((seen.count(), recorder.reports().len()), (0, 0));
    assert_report(&report, Ending::Succeeded, &[OK], &[]);
}

#[retry(stop = attempts(5), wait = fixed(10s), on_finish = seen.hook())]
async fn dropped(seen: &Seen) -> Outcome {
    Err(Failure::Busy)
}

#[tokio::test(start_paused = true)]
async fn a_dropped_call_reports_nothing() {
    let recorder = record();
    let seen = Seen::default();
    // Dropped during its first sleep.
    let cut = tokio::time::timeout(secs(5), dropped(&seen)).await;
    assert!(cut.is_err());
    let cut = tokio::time::timeout(
        secs(5),
        Policy::new()
            .stop(attempts(5))
            .wait(fixed(secs(10)))
            .on_finish(seen.hook())
            .call_async(|| async { Err(Failure::Busy) }),
    )
    .await;
    assert!(cut.is_err());
    tokio::time::sleep(secs(100)).await;
    assert_eq!((seen.count(), recorder.reports().len()), (0, 0));
}

#[retry(
    stop = attempts(2),
    wait = 0s,
    after = |state| events.borrow_mut().push(format!("after {}", state.attempt())),
    before_sleep = |state| events.borrow_mut().push(format!("before_sleep {}", state.attempt())),
    on_give_up = |last, state| {
        events.borrow_mut().push(format!(
            "give_up {} {:?} {:?}",
            state.attempt(),
            state.ending(),
            last,
        ));
        last.or(Ok(99))
    },
    on_finish = |state| events.borrow_mut().push(format!(
        "finish {} {:?} {:?}",
        state.attempt(),
        state.ending(),
        state.outcome(),
    )),
)]
fn replaced(events: &RefCell<Vec<String>>) -> Outcome {
    Err(Failure::Busy)
}

#[retry(
    stop = attempts(2),
    wait = 0s,
    on_give_up = |last, state| {
        events.borrow_mut().push(format!("give_up {:?}", state.ending()));
        last.or(Ok(99))
    },
    on_finish = |state| events.borrow_mut().push(format!(
        "finish {:?} {:?}",
        state.ending(),
        state.outcome(),
    )),
)]
async fn replaced_async(events: &RefCell<Vec<String>>) -> Outcome {
    Err(Failure::Busy)
}

#[test]
fn on_finish_runs_once_after_on_give_up_and_sees_its_value() {
    let events = RefCell::new(Vec::new());
    assert_eq!(replaced(&events), Ok(99));
    assert_eq!(
        *events.borrow(),
        [
            "after 1",
            "before_sleep 1",
            "after 2",
            "give_up 2 Some(Attempts) Err(Busy)",
            "finish 2 Some(Attempts) Some(Ok(99))",
        ]
    );

    let events = RefCell::new(Vec::new());
    let (outcome, report) = Policy::new()
        .stop(attempts(2))
        .wait(Duration::ZERO)
        .on_give_up(|last: Outcome, state: &RetryState<'_, u32, Failure>| {
            events
                .borrow_mut()
                .push(format!("give_up {:?}", state.ending()));
            last.or(Ok(99))
        })
        .on_finish(|state: &RetryState<'_, u32, Failure>| {
            events
                .borrow_mut()
                .push(format!("finish {:?} {:?}", state.ending(), state.outcome()));
        })
        .call_reported(|| Err(Failure::Busy));
    assert_eq!(outcome, Ok(99));
    // The report says why the call ended, whatever value `on_give_up` returned.
    assert_report(&report, Ending::Attempts, &[ERR; 2], &[Duration::ZERO]);
    assert_eq!(
        *events.borrow(),
        [
            "give_up Some(Attempts)",
            "finish Some(Attempts) Some(Ok(99))"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn on_finish_runs_once_after_on_give_up_and_sees_its_value_async() {
    let events = RefCell::new(Vec::new());
    assert_eq!(replaced_async(&events).await, Ok(99));
    assert_eq!(
        *events.borrow(),
        [
            "give_up Some(Attempts)",
            "finish Some(Attempts) Some(Ok(99))"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// What `on_give_up` sees of the report: the counts and the ending, but the history only when
// something else asked for it (`on_finish`, a recorder, `span = true`, `call_reported`).

type GiveUpSaw = RefCell<Vec<(Option<Ending>, Option<Report>)>>;

fn saw(seen: &GiveUpSaw, state: &RetryState<'_, u32, Failure>) {
    seen.borrow_mut()
        .push((state.ending(), state.report().cloned()));
}

#[retry(stop = attempts(3), wait = 1s, sleep = |_| {}, on_give_up = |last, state| { saw(seen, state); last })]
fn give_up_alone(seen: &GiveUpSaw) -> Outcome {
    Err(Failure::Busy)
}

#[retry(
    stop = attempts(3),
    wait = 1s,
    sleep = |_| {},
    span = true,
    on_give_up = |last, state| { saw(seen, state); last }
)]
fn give_up_traced(seen: &GiveUpSaw) -> Outcome {
    Err(Failure::Busy)
}

#[retry(
    stop = attempts(3),
    wait = 1s,
    sleep = |_| {},
    on_give_up = |last, state| { saw(seen, state); last },
    on_finish = |_| {}
)]
fn give_up_and_finish(seen: &GiveUpSaw) -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(3), wait = 1s, on_give_up = |last, state| { saw(seen, state); last })]
async fn give_up_alone_async(seen: &GiveUpSaw) -> Outcome {
    Err(Failure::Busy)
}

fn only(seen: &GiveUpSaw) -> Report {
    let seen = seen.borrow();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, Some(Ending::Attempts));
    let report = seen[0].1.clone().expect("on_give_up sees a report");
    assert_eq!(report.ending(), Ending::Attempts);
    assert_eq!((report.attempts(), report.slept()), (3, secs(2)));
    report
}

#[test]
fn on_give_up_alone_sees_no_history() {
    let seen = GiveUpSaw::default();
    assert_eq!(give_up_alone(&seen), Err(Failure::Busy));
    let report = only(&seen);
    assert_eq!(report.history(), None);
    assert_eq!(report.outcomes(), None);
    assert_eq!(report.waits(), None);
    // Still the counts, the time slept and the reason.
    assert_eq!(
        report.to_string(),
        format!(
            "report::give_up_alone: 3 attempts, slept 2s, ran {:?}, ended: attempts",
            report.elapsed()
        )
    );

    let seen = GiveUpSaw::default();
    let outcome = Policy::new()
        .stop(attempts(3))
        .wait(secs(1))
        .sleeper(|_: Duration| {})
        .on_give_up(|last: Outcome, state: &RetryState<'_, u32, Failure>| {
            saw(&seen, state);
            last
        })
        .call(|| Err(Failure::Busy));
    assert_eq!(outcome, Err(Failure::Busy));
    assert_eq!(only(&seen).history(), None);

    // Something that reads the history makes it recorded for `on_give_up` too: `on_finish`, a
    // recorder, `call_reported`. A span alone does not: it keeps counts only.
    let seen = GiveUpSaw::default();
    let _ = captured(|| {
        let _ = give_up_traced(&seen);
    });
    assert_eq!(only(&seen).outcomes(), None);

    let seen = GiveUpSaw::default();
    let _ = give_up_and_finish(&seen);
    assert_eq!(only(&seen).waits(), Some(vec![secs(1); 2]));

    let seen = GiveUpSaw::default();
    let recorder = record();
    let _ = give_up_alone(&seen);
    assert_eq!(only(&seen).outcomes(), Some(vec![ERR; 3]));
    assert_eq!(recorder.take().len(), 1);
    drop(recorder);

    let seen = GiveUpSaw::default();
    let (_, report) = Policy::new()
        .stop(attempts(3))
        .wait(secs(1))
        .sleeper(|_: Duration| {})
        .on_give_up(|last: Outcome, state: &RetryState<'_, u32, Failure>| {
            saw(&seen, state);
            last
        })
        .call_reported(|| Err(Failure::Busy));
    assert_eq!(only(&seen), report);
    assert_report(&report, Ending::Attempts, &[ERR; 3], &[secs(1); 2]);

    let seen = GiveUpSaw::default();
    let traced = Policy::new()
        .stop(attempts(3))
        .wait(secs(1))
        .sleeper(|_: Duration| {})
        .span(true)
        .on_give_up(|last: Outcome, state: &RetryState<'_, u32, Failure>| {
            saw(&seen, state);
            last
        });
    let _ = captured(|| {
        let _ = traced.call(|| Err(Failure::Busy));
    });
    assert_eq!(only(&seen).outcomes(), None);
    assert_eq!(only(&seen).attempts(), 3);
}

#[tokio::test(start_paused = true)]
async fn on_give_up_alone_sees_no_history_async() {
    let seen = GiveUpSaw::default();
    assert_eq!(give_up_alone_async(&seen).await, Err(Failure::Busy));
    let report = only(&seen);
    assert_eq!(report.history(), None);
    assert_eq!(report.elapsed(), secs(2));
}

// ---------------------------------------------------------------------------------------------
// Spellings of `on_finish` in the attribute, and `log(..)`'s line.

thread_local! {
    static FINISHED: Cell<Option<(u32, Option<Ending>)>> = const { Cell::new(None) };
}

fn note_finish(state: &RetryState<'_, u32, Failure>) {
    FINISHED.with(|finished| finished.set(Some((state.attempt(), state.ending()))));
}

fn note_finish_generic<T, E>(state: &RetryState<'_, T, E>) {
    FINISHED.with(|finished| finished.set(Some((state.attempt() + 100, state.ending()))));
}

fn finished() -> Option<(u32, Option<Ending>)> {
    FINISHED.with(Cell::take)
}

#[retry(stop = attempts(2), wait = 0s, on_finish = note_finish)]
fn by_path() -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(2), wait = 0s, on_finish = self::note_finish)]
fn by_qualified_path() -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(2), wait = 0s, on_finish = note_finish_generic)]
fn by_generic_path() -> Outcome {
    Err(Failure::Busy)
}

#[retry(
    stop = attempts(2),
    wait = 0s,
    on_finish = from_fn(|state| FINISHED.with(|seen| seen.set(Some((state.attempt(), state.ending())))))
)]
fn by_from_fn() -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(2), wait = 0s, on_finish = |state: &RetryState<'_, u32, Failure>| note_finish(state))]
fn by_typed_closure() -> Outcome {
    Err(Failure::Busy)
}

fn boxed_finish() -> Box<dyn persevere::hook::Hook<u32, Failure>> {
    Box::new(note_finish)
}

#[retry(stop = attempts(2), wait = 0s, on_finish = boxed_finish())]
fn by_boxed() -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(2), wait = 0s, on_finish = note_finish)]
async fn by_path_async() -> Outcome {
    Err(Failure::Busy)
}

#[test]
fn on_finish_takes_any_hook_spelling() {
    assert!(by_path().is_err());
    assert_eq!(finished(), Some((2, Some(Ending::Attempts))));
    assert!(by_qualified_path().is_err());
    assert_eq!(finished(), Some((2, Some(Ending::Attempts))));
    assert!(by_generic_path().is_err());
    assert_eq!(finished(), Some((102, Some(Ending::Attempts))));
    assert!(by_from_fn().is_err());
    assert_eq!(finished(), Some((2, Some(Ending::Attempts))));
    assert!(by_typed_closure().is_err());
    assert_eq!(finished(), Some((2, Some(Ending::Attempts))));
    assert!(by_boxed().is_err());
    assert_eq!(finished(), Some((2, Some(Ending::Attempts))));
    let outcome = Policy::new()
        .stop(attempts(2))
        .wait(Duration::ZERO)
        .on_finish(boxed_finish())
        .call(|| Err(Failure::Busy));
    assert!(outcome.is_err());
    assert_eq!(finished(), Some((2, Some(Ending::Attempts))));
}

#[tokio::test(start_paused = true)]
async fn on_finish_takes_a_path_in_an_async_fn() {
    assert!(by_path_async().await.is_err());
    assert_eq!(finished(), Some((2, Some(Ending::Attempts))));
}

#[path = "support/log_capture.rs"]
mod log_capture;
use log_capture::Capture;

/// Runs `f` with a subscriber capturing every event.
fn captured(f: impl FnOnce()) -> Capture {
    log_capture::capturing(f).1
}

const FINISH_LOG: Log = Log::at(Level::Error);
static FINISH_STATIC: Log = Log::at(Level::Debug);

#[retry(
    stop = attempts(5),
    wait = exponential(multiplier = 100ms),
    sleep = |_| {},
    on_finish = log(info)
)]
fn logged_info(script: &Script) -> Outcome {
    script.next()
}

#[retry(stop = attempts(2), wait = 250ms, sleep = |_| {}, on_finish = log(tracing::Level::WARN))]
fn logged_tracing_level() -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(2), wait = 0s, retry_if = transient, on_finish = log(Level::Trace))]
fn logged_level_type() -> Outcome {
    Err(Failure::Fatal)
}

#[retry(stop = attempts(2), wait = 0s, on_finish = FINISH_LOG)]
fn logged_const() -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(2), wait = 0s, on_finish = &FINISH_STATIC)]
fn logged_static_ref() -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(2), wait = 0s, on_finish = FINISH_STATIC)]
fn logged_static() -> Outcome {
    Err(Failure::Busy)
}

#[retry(stop = attempts(2), wait = 0s, on_finish = log(warn))]
fn logged_first_time() -> Outcome {
    Ok(1)
}

#[retry(stop = attempts(3), wait = 1500ms, on_finish = log(info))]
async fn logged_async(script: &Script) -> Outcome {
    script.next_async().await
}

#[test]
fn on_finish_log_writes_one_line_at_its_level() {
    use tracing::Level as L;
    let line = |name: &str, attempts: &str, ending: &str, slept: &str| {
        format!(
            "Call to 'report::{name}' ended after {attempts} ({ending}), having slept {slept} seconds."
        )
    };
    let capture = captured(|| {
        assert_eq!(logged_info(&busy_twice()), Ok(7));
        let _ = logged_tracing_level();
        let _ = logged_level_type();
        let _ = logged_const();
        let _ = logged_static_ref();
        let _ = logged_static();
        assert_eq!(logged_first_time(), Ok(1));
    });
    let target = "report".to_owned();
    assert_eq!(
        capture.lines(),
        [
            (
                target.clone(),
                L::INFO,
                line("logged_info", "3 attempts", "succeeded", "0.3")
            ),
            (
                target.clone(),
                L::WARN,
                line("logged_tracing_level", "2 attempts", "attempts", "0.25")
            ),
            (
                target.clone(),
                L::TRACE,
                line("logged_level_type", "1 attempt", "not_retryable", "0")
            ),
            (
                target.clone(),
                L::ERROR,
                line("logged_const", "2 attempts", "attempts", "0")
            ),
            (
                target.clone(),
                L::DEBUG,
                line("logged_static_ref", "2 attempts", "attempts", "0")
            ),
            (
                target.clone(),
                L::DEBUG,
                line("logged_static", "2 attempts", "attempts", "0")
            ),
            // A first-time success writes nothing.
        ]
    );
    let events = capture.events();
    assert_eq!(events[0].fields["function"], "report::logged_info");
    assert_eq!(events[0].fields["attempt"], "3");
    assert_eq!(events[0].fields["elapsed"], "300ms");
    assert_eq!(events[2].fields["attempt"], "1");

    // A policy's line comes from the runtime's module, under the policy's name.
    let capture = captured(|| {
        let _ = Policy::new()
            .named("by_policy")
            .stop(attempts(2))
            .wait(secs(2))
            .sleeper(|_: Duration| {})
            .on_finish(persevere::hook::log(Level::Info))
            .call(|| Err::<u32, _>(Failure::Busy));
    });
    assert_eq!(
        capture.lines(),
        [(
            "persevere_runtime::hook::log".to_owned(),
            L::INFO,
            "Call to 'by_policy' ended after 2 attempts (attempts), having slept 2 seconds."
                .to_owned()
        )]
    );
}

#[tokio::test(start_paused = true)]
async fn on_finish_log_in_an_async_fn() {
    let (capture, _guard) = log_capture::capturing_until_dropped();
    assert_eq!(logged_async(&busy_twice()).await, Ok(7));
    assert_eq!(
        capture.lines(),
        [(
            "report".to_owned(),
            tracing::Level::INFO,
            "Call to 'report::logged_async' ended after 3 attempts (succeeded), having slept 3 seconds.".to_owned()
        )]
    );
    assert_eq!(capture.events()[0].fields["elapsed"], "3s");
}

#[test]
fn each_ending_in_the_log_line() {
    // Every ending's words, as `log(..)` writes them and `as_str` gives them.
    let endings = [
        (Ending::Succeeded, "succeeded", false),
        (Ending::NotRetryable, "not_retryable", false),
        (Ending::Attempts, "attempts", true),
        (Ending::Elapsed, "elapsed", true),
        (Ending::Stop, "stop", true),
        (Ending::Deadline, "deadline", true),
        (Ending::Timeout, "timeout", true),
        (Ending::HintAboveCap, "hint_above_cap", true),
        (Ending::Strategy, "strategy", true),
        (Ending::Budget, "budget", true),
        (Ending::Cancelled, "cancelled", true),
    ];
    for (ending, words, gave_up) in endings {
        assert_eq!(ending.as_str(), words);
        assert_eq!(ending.to_string(), words);
        assert_eq!(ending.gave_up(), gave_up, "{ending:?}");
    }
    // Hint above cap, through the log line.
    let capture = captured(|| {
        let script = asks_too_much();
        let _ = Policy::new()
            .named("hinted")
            .stop(attempts(10))
            .wait(server_hint().max(secs(60)).jitter(Duration::ZERO))
            .sleeper(|_: Duration| {})
            .on_finish(persevere::hook::log(Level::Warn))
            .call(|| script.next());
    });
    let lines = capture.lines();
    assert_eq!(
        lines.last().map(|line| line.2.as_str()),
        Some("Call to 'hinted' ended after 2 attempts (hint_above_cap), having slept 2 seconds.")
    );
}

// ---------------------------------------------------------------------------------------------
// `testing::record()`: the report of every call that fails at least once, from the attribute
// and from policies, not of first-time successes.

#[retry(stop = attempts(5), wait = exponential(multiplier = 100ms))]
fn plain(script: &Script) -> Outcome {
    script.next()
}

#[retry(stop = attempts(5), wait = exponential(multiplier = 100ms))]
async fn plain_async(script: &Script) -> Outcome {
    script.next_async().await
}

#[test]
fn a_recorder_captures_every_call_that_failed() {
    let _skip = skip_sleeps();
    let recorder = record();
    let waits = [ms(100), ms(200)];
    assert_eq!(plain(&busy_twice()), Ok(7));
    assert_eq!(plain(&Script::new([Ok(1)])), Ok(1));
    assert_eq!(Policy::new().call(|| Ok::<u32, Failure>(1)), Ok(1));
    let script = Script::new([Err(Failure::Busy)]);
    let outcome = Policy::new()
        .named("policy")
        .stop(attempts(2))
        .call(|| script.next());
    assert_eq!(outcome, Err(Failure::Busy));
    let script = fatal_at_once();
    let (_, reported) = Policy::new()
        .retry_if(transient)
        .call_reported(|| script.next());

    let reports = recorder.reports();
    assert_eq!(reports.len(), 3, "{reports:#?}");
    assert_eq!(reports[0].function(), "report::plain");
    assert_report(&reports[0], Ending::Succeeded, &[ERR, ERR, OK], &waits);
    // Sleeps were skipped; the report still counts them, beside the attempts' own time.
    let elapsed = reports[0].elapsed();
    assert!(elapsed >= ms(300) && elapsed < ms(400), "{elapsed:?}");
    assert_eq!(reports[1].function(), "policy");
    assert_report(&reports[1], Ending::Attempts, &[ERR, ERR], &[ms(100)]);
    // The same report the caller got back.
    assert_eq!(reports[2], reported);
    assert_report(&reports[2], Ending::NotRetryable, &[ERR], &[]);

    // `take` empties it; `reports` does not.
    assert_eq!(recorder.take().len(), 3);
    assert!(recorder.reports().is_empty());
    assert_eq!(plain(&busy()), Err(Failure::Busy));
    assert_eq!(recorder.reports().len(), 1);
    assert_eq!(recorder.reports().len(), 1);

    // Once dropped, nothing more is recorded anywhere.
    drop(recorder);
    let seen = GiveUpSaw::default();
    let _ = give_up_alone(&seen);
    assert_eq!(only(&seen).history(), None);
}

#[test]
fn recorders_nest() {
    let _skip = skip_sleeps();
    let outer = record();
    assert!(plain(&busy()).is_err());
    {
        let inner = record();
        assert!(plain(&busy_twice()).is_ok());
        assert_eq!(inner.reports().len(), 1);
    }
    // Both saw the call made while both were alive.
    assert_eq!(outer.reports().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_recorder_captures_async_calls_and_spawned_tasks() {
    let recorder = record();
    assert_eq!(plain_async(&busy_twice()).await, Ok(7));
    assert_eq!(plain_async(&Script::new([Ok(1)])).await, Ok(1));
    let script = busy();
    let outcome = Policy::new()
        .stop(attempts(2))
        .wait(fixed(secs(1)))
        .call_async(|| script.next_async())
        .await;
    assert_eq!(outcome, Err(Failure::Busy));
    let spawned = tokio::spawn(async {
        Policy::new()
            .named("spawned")
            .stop(attempts(3))
            .wait(fixed(secs(1)))
            .call_async(|| async { Err::<u32, _>(Failure::Busy) })
            .await
    });
    assert_eq!(spawned.await.unwrap(), Err(Failure::Busy));

    let reports = recorder.take();
    assert_eq!(reports.len(), 3, "{reports:#?}");
    assert_eq!(reports[0].function(), "report::plain_async");
    assert_report(
        &reports[0],
        Ending::Succeeded,
        &[ERR, ERR, OK],
        &[ms(100), ms(200)],
    );
    assert_eq!(reports[0].elapsed(), ms(300));
    assert_report(&reports[1], Ending::Attempts, &[ERR; 2], &[secs(1)]);
    assert_eq!(reports[1].elapsed(), secs(1));
    assert_eq!(reports[2].function(), "spawned");
    assert_report(&reports[2], Ending::Attempts, &[ERR; 3], &[secs(1); 2]);
}

// ---------------------------------------------------------------------------------------------
// Display, and the report of a first-time success.

#[test]
fn a_report_reads_as_one_line() {
    let script = busy_twice();
    let (_, report) = Policy::new()
        .named("billing::charge")
        .stop(attempts(5))
        .wait(fixed(ms(100)))
        .sleeper(RecordingSleeper::new())
        .call_reported(|| script.next());
    assert_eq!(
        report.to_string(),
        "billing::charge: 3 attempts, slept 200ms, ran 200ms, ended: succeeded"
    );

    let (_, report) = Policy::new()
        .named("billing::charge")
        .sleeper(RecordingSleeper::new())
        .call_reported(|| Ok::<u32, Failure>(1));
    assert_eq!(
        report.to_string(),
        "billing::charge: 1 attempt, slept 0ns, ran 0ns, ended: succeeded"
    );
    assert_eq!(report.function(), "billing::charge");
    assert_eq!(report.history().unwrap()[0].outcome, OK);

    let (_, report) = Policy::new()
        .named("billing::charge")
        .stop(attempts(2))
        .wait(fixed(secs(1)))
        .sleeper(RecordingSleeper::new())
        .call_reported(|| Err::<u32, _>(Failure::Busy));
    assert_eq!(
        report.to_string(),
        "billing::charge: 2 attempts, slept 1s, ran 1s, ended: attempts"
    );
}

#[tokio::test(start_paused = true)]
async fn the_async_report_of_a_first_time_success() {
    let (outcome, report) = Policy::new()
        .named("once")
        .call_async_reported(|| async {
            tokio::time::sleep(ms(40)).await;
            Ok::<u32, Failure>(1)
        })
        .await;
    assert_eq!(outcome, Ok(1));
    assert_eq!(report.attempts(), 1);
    assert_eq!(report.ending(), Ending::Succeeded);
    assert_eq!(report.outcomes(), Some(vec![OK]));
    assert_eq!(report.waits(), Some(vec![]));
    // The clock is read at the start and the end of a reported call.
    assert_eq!(report.elapsed(), ms(40));
    assert_eq!(report.slept(), Duration::ZERO);
}

// ---------------------------------------------------------------------------------------------
// More shapes: retried `Ok` values, methods, a `policy = ...` base, a deadline and a total time
// limit together, a shutdown given before the call.

#[retry(
    stop = attempts(3),
    wait = 1s,
    sleep = |_| {},
    retry_if_ok = |value| *value == 0,
    on_finish = seen.hook()
)]
fn zero_means_again(script: &Script, seen: &Seen) -> Outcome {
    script.next()
}

#[test]
fn retried_ok_values_are_ok_attempts_in_the_history() {
    let script = Script::new([Ok(0), Ok(0), Ok(5)]);
    let seen = Seen::default();
    assert_eq!(zero_means_again(&script, &seen), Ok(5));
    assert_finished(&seen, Ending::Succeeded, &[OK; 3], &[secs(1); 2], &Ok(5));

    let script = Script::new([Ok(0)]);
    let seen = Seen::default();
    assert_eq!(zero_means_again(&script, &seen), Ok(0));
    assert_finished(&seen, Ending::Attempts, &[OK; 3], &[secs(1); 2], &Ok(0));

    let script = Script::new([Ok(0), Err(Failure::Busy), Ok(0)]);
    let (outcome, report) = Policy::new()
        .stop(attempts(3))
        .wait(secs(1))
        .sleeper(RecordingSleeper::new())
        .retry_if_ok(|value: &u32| *value == 0)
        .call_reported(|| script.next());
    assert_eq!(outcome, Ok(0));
    assert_report(&report, Ending::Attempts, &[OK, ERR, OK], &[secs(1); 2]);
}

struct Gateway;

impl Gateway {
    #[retry(stop = attempts(2), wait = 0s, on_finish = seen.hook())]
    fn charge(&self, seen: &Seen) -> Outcome {
        Err(Failure::Busy)
    }

    #[retry(stop = attempts(2), wait = 0s, on_finish = seen.hook())]
    async fn refund(&self, seen: &Seen) -> Outcome {
        Err(Failure::Busy)
    }
}

#[tokio::test(start_paused = true)]
async fn a_methods_report_names_it_with_its_type() {
    let seen = Seen::default();
    let _ = Gateway.charge(&seen);
    let report = assert_finished(
        &seen,
        Ending::Attempts,
        &[ERR; 2],
        &[Duration::ZERO],
        &Err(Failure::Busy),
    );
    assert_eq!(report.function(), "report::Gateway::charge");
    assert_eq!(report.function().to_string(), "report::Gateway::charge");

    let seen = Seen::default();
    let _ = Gateway.refund(&seen).await;
    assert_eq!(seen.once().1.function(), "report::Gateway::refund");
}

#[retry(policy = Policy::new().stop(attempts(2)).on_finish(seen.hook()), wait = 1s, sleep = |_| {})]
fn from_a_policy(seen: &Seen) -> Outcome {
    Err(Failure::Busy)
}

#[test]
fn on_finish_from_a_policy_base_runs_in_the_attribute() {
    let seen = Seen::default();
    assert_eq!(from_a_policy(&seen), Err(Failure::Busy));
    let report = assert_finished(
        &seen,
        Ending::Attempts,
        &[ERR; 2],
        &[secs(1)],
        &Err(Failure::Busy),
    );
    assert_eq!(report.function(), "report::from_a_policy");
}

#[tokio::test(start_paused = true)]
async fn a_deadline_and_a_total_limit_the_earlier_gives_the_reason() {
    let ending = |report: Report| (report.ending(), report.attempts(), report.elapsed());
    let (_, report) = Policy::new()
        .stop(deadline(secs(5)))
        .wait(fixed(secs(1)))
        .total_timeout(secs(3))
        .call_async_reported(|| async { Err::<u32, Failure>(Failure::Busy) })
        .await;
    assert_eq!(ending(report), (Ending::Timeout, 3, secs(2)));

    let (_, report) = Policy::new()
        .stop(deadline(secs(2)))
        .wait(fixed(secs(1)))
        .total_timeout(secs(3))
        .call_async_reported(|| async { Err::<u32, Failure>(Failure::Busy) })
        .await;
    assert_eq!(ending(report), (Ending::Deadline, 2, secs(1)));
}

#[test]
fn a_shutdown_given_before_the_call_ends_it_after_its_first_attempt() {
    let shutdown = Shutdown::new();
    shutdown.cancel();
    let (outcome, report) = Policy::new()
        .stop(attempts(5) | cancelled(&shutdown))
        .wait(fixed(secs(1)))
        .sleeper(RecordingSleeper::new())
        .call_reported(|| Err::<u32, _>(Failure::Busy));
    assert_eq!(outcome, Err(Failure::Busy));
    assert_report(&report, Ending::Cancelled, &[ERR], &[]);
}

/// When both parts of `a | b` stop, the left one gives the reason, the deadline's included: the
/// engine's own deadline check only speaks when the stop did not.
#[test]
fn when_both_parts_stop_the_left_gives_the_reason() {
    use persevere::stop::deadline;
    let _skip = persevere::testing::skip_sleeps();
    let wait = persevere::wait::fixed(Duration::from_secs(1));
    let limit = Duration::from_millis(1500);
    let (_, report) = Policy::new()
        .stop(attempts(2) | deadline(limit))
        .wait(wait)
        .call_reported(|| Err::<(), _>("down"));
    assert_eq!((report.attempts(), report.ending()), (2, Ending::Attempts));
    let (_, report) = Policy::new()
        .stop(deadline(limit) | attempts(2))
        .wait(wait)
        .call_reported(|| Err::<(), _>("down"));
    assert_eq!((report.attempts(), report.ending()), (2, Ending::Deadline));
}

/// A stop is asked once per decision, even inside `a | b`, where its answer also gives the
/// reason: a stop with side effects runs once.
#[test]
fn each_part_of_a_stop_is_asked_once_per_decision() {
    let asked = std::cell::Cell::new(0);
    let counting = |_: &RetryState<'_, (), &str>| {
        asked.set(asked.get() + 1);
        false
    };
    let (_, report) = Policy::new()
        .stop(persevere::stop::StopAny(counting, attempts(3)))
        .wait(Duration::ZERO)
        .call_reported(|| Err::<(), _>("down"));
    assert_eq!((report.attempts(), report.ending()), (3, Ending::Attempts));
    // Three decisions, one question each.
    assert_eq!(asked.get(), 3);
}
