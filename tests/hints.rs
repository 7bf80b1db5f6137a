//! Server hints, per-error waits and error-code sets, through the attribute and through `Policy`,
//! sync and async.

use std::cell::Cell;
use std::time::Duration;

use persevere::condition::{ErrorCode, error_codes};
use persevere::hint::ServerHint;
use persevere::sleep::RecordingSleeper;
use persevere::stop::attempts;
use persevere::wait::{fixed, server_hint};
use persevere::{Policy, retry};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// A cloud service's error: a code, and sometimes a delay it asks for.
#[derive(Debug, Clone, PartialEq)]
struct ApiError {
    code: &'static str,
    retry_after: Option<Duration>,
}

impl ServerHint for ApiError {
    fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl ErrorCode for ApiError {
    fn error_code(&self) -> Option<&str> {
        Some(self.code)
    }
}

fn throttled(after: Option<Duration>) -> ApiError {
    ApiError {
        code: "RequestLimitExceeded",
        retry_after: after,
    }
}

/// Answers from a script, one per call; the last repeats.
struct Script(Vec<Result<u32, ApiError>>, Cell<usize>);

impl Script {
    fn new(answers: Vec<Result<u32, ApiError>>) -> Self {
        Script(answers, Cell::new(0))
    }
    fn next(&self) -> Result<u32, ApiError> {
        let index = self.1.get();
        self.1.set(index + 1);
        self.0[index.min(self.0.len() - 1)].clone()
    }
    fn calls(&self) -> usize {
        self.1.get()
    }
}

// ---- The hint is a lower bound, with a little jitter above it ----

#[retry(
    stop = attempts(4),
    wait = server_hint(fallback = fixed(50ms), jitter = 200ms),
    sleep = sleeper.clone()
)]
fn hinted(script: &Script, sleeper: &RecordingSleeper) -> Result<u32, ApiError> {
    script.next()
}

#[test]
fn a_hint_is_never_undercut_and_its_jitter_stays_small() {
    for seed in 0..100 {
        persevere::jitter::seed(seed);
        let script = Script::new(vec![
            Err(throttled(Some(secs(3)))),
            Err(throttled(None)),
            Ok(7),
        ]);
        let sleeper = RecordingSleeper::new();
        assert_eq!(hinted(&script, &sleeper), Ok(7));
        let sleeps = sleeper.sleeps();
        assert_eq!(sleeps.len(), 2);
        assert!(
            sleeps[0] >= secs(3) && sleeps[0] <= secs(3) + ms(200),
            "{sleeps:?}"
        );
        // No hint: the fallback.
        assert_eq!(sleeps[1], ms(50));
    }
    persevere::jitter::unseed();
    // Clients told the same instant do not all come back together.
    let firsts: std::collections::BTreeSet<Duration> = (0..50)
        .map(|_| {
            let script = Script::new(vec![Err(throttled(Some(secs(3)))), Ok(1)]);
            let sleeper = RecordingSleeper::new();
            let _ = hinted(&script, &sleeper);
            sleeper.sleeps()[0]
        })
        .collect();
    assert!(firsts.len() > 10, "{firsts:?}");
}

// ---- A hint above the cap ends the call at once ----

#[retry(stop = attempts(10), wait = server_hint(max = 1m), sleep = sleeper.clone())]
fn capped(script: &Script, sleeper: &RecordingSleeper) -> Result<u32, ApiError> {
    script.next()
}

#[test]
fn a_hint_above_the_cap_returns_the_last_outcome_without_sleeping() {
    let script = Script::new(vec![Err(throttled(Some(Duration::from_secs(6 * 3600))))]);
    let sleeper = RecordingSleeper::new();
    assert_eq!(
        capped(&script, &sleeper),
        Err(throttled(Some(secs(6 * 3600))))
    );
    assert_eq!(script.calls(), 1);
    assert!(sleeper.sleeps().is_empty());

    let script = Script::new(vec![Err(throttled(Some(secs(6 * 3600))))]);
    let sleeper = RecordingSleeper::new();
    let outcome = Policy::new()
        .stop(attempts(10))
        .wait(server_hint().max(secs(60)))
        .sleeper(sleeper.clone())
        .call(|| script.next());
    assert_eq!((outcome.is_err(), script.calls()), (true, 1));
    assert!(sleeper.sleeps().is_empty());
}

// ---- A deadline sees the hinted sleep ----

#[retry(stop = deadline(10s), wait = server_hint(jitter = 0s), sleep = sleeper.clone())]
fn before_a_deadline(script: &Script, sleeper: &RecordingSleeper) -> Result<u32, ApiError> {
    script.next()
}

#[test]
fn a_hint_that_would_overshoot_the_deadline_ends_the_call() {
    let script = Script::new(vec![
        Err(throttled(Some(secs(4)))),
        Err(throttled(Some(secs(7)))),
    ]);
    let sleeper = RecordingSleeper::new();
    assert!(before_a_deadline(&script, &sleeper).is_err());
    // 4 s fits; 4 s + 7 s would pass 10 s.
    assert_eq!(sleeper.sleeps(), [secs(4)]);
    assert_eq!(script.calls(), 2);
}

// ---- Async, on tokio's paused clock ----

#[retry(stop = attempts(3), wait = server_hint(jitter = 0s, fallback = fixed(1s)))]
async fn hinted_async(script: &Script) -> Result<u32, ApiError> {
    script.next()
}

#[tokio::test(start_paused = true)]
async fn async_calls_sleep_what_the_server_asked() {
    let script = Script::new(vec![
        Err(throttled(Some(secs(30)))),
        Err(throttled(None)),
        Ok(3),
    ]);
    let started = tokio::time::Instant::now();
    assert_eq!(hinted_async(&script).await, Ok(3));
    assert_eq!(started.elapsed(), secs(31));

    let script = Script::new(vec![
        Err(throttled(Some(secs(30)))),
        Err(throttled(None)),
        Ok(3),
    ]);
    let started = tokio::time::Instant::now();
    let outcome = Policy::new()
        .stop(attempts(3))
        .wait(
            server_hint()
                .jitter(Duration::ZERO)
                .fallback(fixed(secs(1))),
        )
        .call_async(|| async { script.next() })
        .await;
    assert_eq!((outcome, started.elapsed()), (Ok(3), secs(31)));
}

// ---- Error codes: the KMS guide's two retryable codes, any other stops at once ----

const RETRIED: [&str; 2] = ["InternalError", "RequestLimitExceeded"];

#[retry(
    stop = attempts(10),
    wait = exponential(multiplier = 100ms),
    retry_if = error_codes(RETRIED),
    sleep = sleeper.clone()
)]
fn kms(script: &Script, sleeper: &RecordingSleeper) -> Result<u32, ApiError> {
    script.next()
}

#[test]
fn only_the_listed_codes_are_retried() {
    let internal = ApiError {
        code: "InternalError",
        retry_after: None,
    };
    let denied = ApiError {
        code: "AccessDenied",
        retry_after: None,
    };
    let script = Script::new(vec![
        Err(internal.clone()),
        Err(throttled(None)),
        Err(denied.clone()),
    ]);
    let sleeper = RecordingSleeper::new();
    assert_eq!(kms(&script, &sleeper), Err(denied.clone()));
    assert_eq!(script.calls(), 3);
    // 2^n × 100 ms.
    assert_eq!(sleeper.sleeps(), [ms(100), ms(200)]);

    // From configuration: a `Vec<String>`.
    let configured: Vec<String> = vec!["InternalError".into()];
    let script = Script::new(vec![Err(internal), Err(throttled(None))]);
    let outcome = Policy::new()
        .stop(attempts(10))
        .wait(Duration::ZERO)
        .retry_if(error_codes(&configured))
        .call(|| script.next());
    assert_eq!((outcome, script.calls()), (Err(throttled(None)), 2));
}

// ---- A wait per kind of error ----

fn is_throttled(error: &ApiError) -> bool {
    error.code == "RequestLimitExceeded"
}

fn is_timeout(error: &ApiError) -> bool {
    error.code == "Timeout"
}

#[retry(
    stop = attempts(5),
    wait = when(is_throttled, server_hint(jitter = 0s, fallback = fixed(2s)))
        .or_when(is_timeout, fixed(1s))
        .otherwise(exponential(multiplier = 100ms)),
    sleep = sleeper.clone()
)]
fn per_error(script: &Script, sleeper: &RecordingSleeper) -> Result<u32, ApiError> {
    script.next()
}

#[test]
fn each_kind_of_error_waits_its_own_way() {
    let timeout = ApiError {
        code: "Timeout",
        retry_after: None,
    };
    let other = ApiError {
        code: "InternalError",
        retry_after: None,
    };
    let script = Script::new(vec![
        Err(throttled(Some(secs(7)))),
        Err(timeout),
        Err(throttled(None)),
        Err(other),
        Ok(1),
    ]);
    let sleeper = RecordingSleeper::new();
    assert_eq!(per_error(&script, &sleeper), Ok(1));
    // The header, the constant, the header's fallback, the backoff (at attempt 4: 800 ms).
    assert_eq!(sleeper.sleeps(), [secs(7), secs(1), secs(2), ms(800)]);
}

// ---- Jitter in proportion to the hint ----

#[retry(stop = attempts(2), wait = server_hint(fallback = fixed(50ms)), sleep = sleeper.clone())]
fn hinted_with_default_jitter(
    script: &Script,
    sleeper: &RecordingSleeper,
) -> Result<u32, ApiError> {
    script.next()
}

#[test]
fn a_short_hint_stays_short_and_a_long_one_spreads_at_most_the_ceiling() {
    for seed in 0..200 {
        persevere::jitter::seed(seed);
        for (hint, most) in [
            (ms(5), ms(5) + Duration::from_micros(500)),
            (secs(2), secs(2) + ms(200)),
            (secs(30), secs(31)),
        ] {
            let script = Script::new(vec![Err(throttled(Some(hint))), Ok(1)]);
            let sleeper = RecordingSleeper::new();
            assert_eq!(hinted_with_default_jitter(&script, &sleeper), Ok(1));
            let slept = sleeper.sleeps()[0];
            assert!(
                slept >= hint && slept <= most,
                "hint {hint:?} slept {slept:?}"
            );
        }
    }
    persevere::jitter::unseed();
}

// ---- A refused hint is handed back ----

#[retry(
    stop = attempts(3),
    wait = server_hint(max = 1m),
    sleep = sleeper.clone(),
    on_give_up = |last, state| {
        refused.set(state.upcoming_sleep());
        last
    },
    on_finish = |state| reported.set(state.report().and_then(|report| report.refused_wait()))
)]
fn refused_hint(
    script: &Script,
    sleeper: &RecordingSleeper,
    refused: &Cell<Option<Duration>>,
    reported: &Cell<Option<Duration>>,
) -> Result<u32, ApiError> {
    script.next()
}

#[test]
fn a_refused_hint_is_handed_to_on_give_up_and_the_report() {
    let script = Script::new(vec![Err(throttled(Some(secs(3600))))]);
    let sleeper = RecordingSleeper::new();
    let (refused, reported) = (Cell::new(None), Cell::new(None));
    assert!(refused_hint(&script, &sleeper, &refused, &reported).is_err());
    assert_eq!(script.calls(), 1);
    assert!(sleeper.sleeps().is_empty());
    assert_eq!(refused.get(), Some(secs(3600)));
    assert_eq!(reported.get(), Some(secs(3600)));

    // Through `Policy`, with the report's line.
    let script = Script::new(vec![Err(throttled(Some(secs(3600))))]);
    let (outcome, report) = Policy::new()
        .wait(persevere::wait::server_hint().max(Duration::from_secs(60)))
        .sleeper(RecordingSleeper::new())
        .named("hints::refused")
        .call_reported(|| script.next());
    assert!(outcome.is_err());
    assert_eq!(report.ending(), persevere::Ending::HintAboveCap);
    assert_eq!(report.refused_wait(), Some(secs(3600)));
    assert!(
        report.to_string().ends_with("refused a wait of 3600s"),
        "{report}"
    );
}

#[retry(
    stop = attempts(3),
    wait = server_hint(max = 1m) + 1s,
    sleep = sleeper.clone(),
    on_give_up = |last, state| {
        refused.set(state.upcoming_sleep());
        last
    }
)]
fn refused_hint_in_a_sum(
    script: &Script,
    sleeper: &RecordingSleeper,
    refused: &Cell<Option<Duration>>,
) -> Result<u32, ApiError> {
    script.next()
}

/// What is handed back is the wait the server asked for, not the sum `server_hint` is part of.
#[test]
fn a_refused_hint_is_handed_back_as_the_server_asked_it() {
    let script = Script::new(vec![Err(throttled(Some(secs(3600))))]);
    let refused = Cell::new(None);
    assert!(refused_hint_in_a_sum(&script, &RecordingSleeper::new(), &refused).is_err());
    assert_eq!(refused.get(), Some(secs(3600)));

    let script = Script::new(vec![Err(throttled(Some(secs(3600))))]);
    let (_, report) = Policy::new()
        .wait(
            persevere::wait::server_hint().max(secs(60))
                + persevere::wait::random(secs(0), secs(5)),
        )
        .sleeper(RecordingSleeper::new())
        .call_reported(|| script.next());
    assert_eq!(report.ending(), persevere::Ending::HintAboveCap);
    assert_eq!(report.refused_wait(), Some(secs(3600)));

    // However long: past what nanoseconds in a `u64` hold (584 years), too.
    let ages = secs(u64::MAX / 2);
    let script = Script::new(vec![Err(throttled(Some(ages)))]);
    let (_, report) = Policy::new()
        .wait(persevere::wait::server_hint().max(secs(60)) + persevere::wait::fixed(secs(1)))
        .sleeper(RecordingSleeper::new())
        .call_reported(|| script.next());
    assert_eq!(report.refused_wait(), Some(ages));
}
