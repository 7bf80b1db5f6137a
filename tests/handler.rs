//! Error handlers from configuration (`persevere::config::handler`): every YAML example of the
//! connector's documentation, loaded as printed (but for its `<...>` placeholders), run through
//! `Policy` and the attribute, sync and async, with exact waits; the same handler in JSON and
//! TOML; the actions' endings; and a bad file for each setting, with its message and place.

// The scripted server's errors are whole responses, as a connector's client's are.
#![allow(clippy::result_large_err)]

use std::cell::Cell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::Response;
use persevere::Ending;
use persevere::condition::Condition;
use persevere::config::handler::{
    Action, AsResponse, Backoff, ErrorHandler, HandlerCondition, Outcomes, Predicates, Seen,
};
use persevere::retry;
use persevere::sleep::RecordingSleeper;

type Answer = Response<String>;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ---- The documentation's examples, as printed ----

/// The file around a handler, as the connector's examples write it.
#[derive(serde::Deserialize)]
struct ConnectorFile {
    requester: Requester,
}

#[derive(serde::Deserialize)]
struct Requester {
    #[serde(default)]
    error_handler: ErrorHandler,
}

fn connector(yaml: &str) -> ErrorHandler {
    match serde_norway::from_str::<ConnectorFile>(yaml) {
        Ok(file) => file.requester.error_handler,
        Err(error) => panic!("{error}\n{yaml}"),
    }
}

const RETRY_404: &str = "
requester:
  error_handler:
    response_filters:
        - http_codes: [ 404 ]
          action: RETRY
";

const IGNORE_404: &str = "
requester:
  error_handler:
    response_filters:
        - http_codes: [ 404 ]
          action: IGNORE
";

const IGNORE_MESSAGE: &str = r#"
requester:
  error_handler:
    response_filters:
        - error_message_contains: "ignorethisresponse"
          action: IGNORE
"#;

const IGNORE_CODE: &str = r#"
requester:
  error_handler:
    response_filters:
        - predicate: "{{ 'code' in response }}"
          action: IGNORE
"#;

const IGNORE_404_RETRY_429: &str = "
requester:
  error_handler:
    response_filters:
        - http_codes: [ 404 ]
          action: IGNORE
        - http_codes: [ 429 ]
          action: RETRY
";

const WAIT_TIME: &str = r#"
requester:
  error_handler:
    backoff_strategies:
        - type: "WaitTimeFromHeader"
          header: "wait_time"
"#;

/// As printed: YAML reads `\d` in a double-quoted string as an escape, and has none by that
/// name, so no YAML reader accepts this; see `WAIT_TIME_REGEX`.
const WAIT_TIME_REGEX_AS_PRINTED: &str = r#"
requester:
  error_handler:
    backoff_strategies:
        - type: "WaitTimeFromHeader"
          header: "wait_time"
          regex: "[-+]?\d+"
"#;

/// Its evident meaning: the same regular expression, in single quotes.
const WAIT_TIME_REGEX: &str = r#"
requester:
  error_handler:
    backoff_strategies:
        - type: "WaitTimeFromHeader"
          header: "wait_time"
          regex: '[-+]?\d+'
"#;

const WAIT_UNTIL_AS_PRINTED: &str = r#"
requester:
  error_handler:
    backoff_strategies:
        - type: "WaitUntilTimeFromHeader"
          header: "wait_until"
          regex: "[-+]?\d+"
          min_wait: 5
"#;

const WAIT_UNTIL: &str = r#"
requester:
  error_handler:
    backoff_strategies:
        - type: "WaitUntilTimeFromHeader"
          header: "wait_until"
          regex: '[-+]?\d+'
          min_wait: 5
"#;

/// The fallback example, whose second strategy is printed indented under the first (not YAML):
/// its evident meaning, a list of two.
const FALLBACK: &str = r#"
requester:
  error_handler:
    backoff_strategies:
        - type: "WaitTimeFromHeader"
          header: "wait_time"
        - type: "ConstantBackoff"
          backoff_time_in_seconds: 5
"#;

const COMPOSITE: &str = r#"
requester:
  error_handler:
    type: "CompositeErrorHandler"
    error_handlers:
      - response_filters:
          - predicate: "{{ 'code' in response }}"
            action: RETRY
        backoff_strategies:
          - type: "ConstantBackoffStrategy"
            backoff_time_in_seconds: 5
      - response_filters:
          - http_codes: [ 403 ]
            action: RETRY
        backoff_strategies:
          - type: "ExponentialBackoffStrategy"
"#;

const NO_HANDLER: &str = "
requester:
  url_base: https://api.example.com
";

// ---- A scripted server, and four ways to call it ----

/// One answer of the server.
#[derive(Clone)]
struct Spec {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn status(status: u16) -> Spec {
    Spec {
        status,
        headers: Vec::new(),
        body: String::new(),
    }
}

fn body(status: u16, body: &str) -> Spec {
    Spec {
        body: body.to_owned(),
        ..self::status(status)
    }
}

fn header(status: u16, name: &'static str, value: impl Into<String>) -> Spec {
    Spec {
        headers: vec![(name, value.into())],
        ..self::status(status)
    }
}

/// The server's answers in order, the last repeating: a success status is an `Ok` response,
/// any other an `Err` one.
struct Script {
    answers: Vec<Spec>,
    calls: Cell<usize>,
}

impl Script {
    fn new(answers: &[Spec]) -> Script {
        Script {
            answers: answers.to_vec(),
            calls: Cell::new(0),
        }
    }

    fn next(&self) -> Result<Answer, Answer> {
        let n = self.calls.get();
        self.calls.set(n + 1);
        let spec = &self.answers[n.min(self.answers.len() - 1)];
        let mut response = Response::builder().status(spec.status);
        for (name, value) in &spec.headers {
            response = response.header(*name, value.as_str());
        }
        let response = response.body(spec.body.clone()).unwrap();
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(response)
        }
    }
}

/// What one call went through.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    requests: usize,
    ending: Ending,
    waits: Vec<Duration>,
    /// The status of what the call returned, and whether it was `Ok`.
    returned: (u16, bool),
}

impl Run {
    fn of(
        outcome: Result<Answer, Answer>,
        ending: Option<Ending>,
        sleeper: &RecordingSleeper,
        script: &Script,
    ) -> Run {
        let returned = match &outcome {
            Ok(response) => (response.status().as_u16(), true),
            Err(response) => (response.status().as_u16(), false),
        };
        Run {
            requests: script.calls.get(),
            // `on_finish` runs only after a failed attempt: none is a first-time success.
            ending: ending.unwrap_or(Ending::Succeeded),
            waits: sleeper.sleeps(),
            returned,
        }
    }
}

/// What the handler reads: errors only, or `Ok` values too.
#[derive(Debug, Clone, Copy)]
enum Reads {
    Errors,
    Outcomes,
}

fn policy_sync(handler: &ErrorHandler, reads: Reads, script: &Script) -> Run {
    let sleeper = RecordingSleeper::new();
    let (outcome, report) = match reads {
        Reads::Errors => handler
            .errors()
            .policy()
            .sleeper(sleeper.clone())
            .call_reported(|| script.next()),
        Reads::Outcomes => handler
            .outcomes()
            .policy()
            .sleeper(sleeper.clone())
            .call_reported(|| script.next()),
    };
    Run::of(outcome, Some(report.ending()), &sleeper, script)
}

fn policy_async(handler: &ErrorHandler, reads: Reads, script: &Script) -> Run {
    let sleeper = RecordingSleeper::new();
    let (outcome, report) = block_on(async {
        match reads {
            Reads::Errors => {
                handler
                    .errors()
                    .policy()
                    .sleeper(sleeper.clone())
                    .call_async_reported(|| async { script.next() })
                    .await
            }
            Reads::Outcomes => {
                handler
                    .outcomes()
                    .policy()
                    .sleeper(sleeper.clone())
                    .call_async_reported(|| async { script.next() })
                    .await
            }
        }
    });
    Run::of(outcome, Some(report.ending()), &sleeper, script)
}

#[retry(
    policy = handler.errors().policy(),
    sleep = sleeper.clone(),
    on_finish = |state| ended.set(state.ending()),
)]
fn errors_sync(
    handler: &ErrorHandler,
    script: &Script,
    sleeper: &RecordingSleeper,
    ended: &Cell<Option<Ending>>,
) -> Result<Answer, Answer> {
    script.next()
}

#[retry(
    policy = handler.outcomes().policy(),
    sleep = sleeper.clone(),
    on_finish = |state| ended.set(state.ending()),
)]
fn outcomes_sync(
    handler: &ErrorHandler,
    script: &Script,
    sleeper: &RecordingSleeper,
    ended: &Cell<Option<Ending>>,
) -> Result<Answer, Answer> {
    script.next()
}

#[retry(
    policy = handler.errors().policy(),
    sleep = sleeper.clone(),
    on_finish = |state| ended.set(state.ending()),
)]
async fn errors_async(
    handler: &ErrorHandler,
    script: &Script,
    sleeper: &RecordingSleeper,
    ended: &Cell<Option<Ending>>,
) -> Result<Answer, Answer> {
    script.next()
}

#[retry(
    policy = handler.outcomes().policy(),
    sleep = sleeper.clone(),
    on_finish = |state| ended.set(state.ending()),
)]
async fn outcomes_async(
    handler: &ErrorHandler,
    script: &Script,
    sleeper: &RecordingSleeper,
    ended: &Cell<Option<Ending>>,
) -> Result<Answer, Answer> {
    script.next()
}

fn attribute_sync(handler: &ErrorHandler, reads: Reads, script: &Script) -> Run {
    let (sleeper, ended) = (RecordingSleeper::new(), Cell::new(None));
    let outcome = match reads {
        Reads::Errors => errors_sync(handler, script, &sleeper, &ended),
        Reads::Outcomes => outcomes_sync(handler, script, &sleeper, &ended),
    };
    Run::of(outcome, ended.get(), &sleeper, script)
}

fn attribute_async(handler: &ErrorHandler, reads: Reads, script: &Script) -> Run {
    let (sleeper, ended) = (RecordingSleeper::new(), Cell::new(None));
    let outcome = block_on(async {
        match reads {
            Reads::Errors => errors_async(handler, script, &sleeper, &ended).await,
            Reads::Outcomes => outcomes_async(handler, script, &sleeper, &ended).await,
        }
    });
    Run::of(outcome, ended.get(), &sleeper, script)
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// One way to call the scripted server under a handler.
type Way = fn(&ErrorHandler, Reads, &Script) -> Run;

/// Runs `answers` through `Policy` and the attribute, sync and async, and checks that each
/// makes `requests` requests, ends with `ending` after waiting `waits`, and returns the answer
/// with `returned` status (`Ok` or not).
#[track_caller]
fn check(
    handler: &ErrorHandler,
    reads: Reads,
    answers: &[Spec],
    requests: usize,
    ending: Ending,
    waits: &[Duration],
    returned: (u16, bool),
) {
    let expected = Run {
        requests,
        ending,
        waits: waits.to_vec(),
        returned,
    };
    let ways: [(&str, Way); 4] = [
        ("Policy::call", policy_sync),
        ("Policy::call_async", policy_async),
        ("#[retry] fn", attribute_sync),
        ("#[retry] async fn", attribute_async),
    ];
    for (way, run) in ways {
        let script = Script::new(answers);
        assert_eq!(run(handler, reads, &script), expected, "through {way}");
    }
}

// ---- Each example, run ----

#[test]
fn no_handler_is_the_default_5xx_and_429_retried_5_times_exponentially() {
    let handler = connector(NO_HANDLER);
    assert_eq!(handler, ErrorHandler::default());
    let exponential = [10, 20, 40, 80, 160].map(secs);
    let reads = Reads::Errors;
    check(
        &handler,
        reads,
        &[status(503)],
        6,
        Ending::Attempts,
        &exponential,
        (503, false),
    );
    check(
        &handler,
        reads,
        &[status(429), status(502), status(200)],
        3,
        Ending::Succeeded,
        &exponential[..2],
        (200, true),
    );
    for other in [400, 403, 404, 408] {
        check(
            &handler,
            reads,
            &[status(other)],
            1,
            Ending::NotRetryable,
            &[],
            (other, false),
        );
    }
}

#[test]
fn a_404_retried_as_well_as_the_defaults() {
    let handler = connector(RETRY_404);
    let reads = Reads::Errors;
    let answers = [status(404), status(404), status(200)];
    check(
        &handler,
        reads,
        &answers,
        3,
        Ending::Succeeded,
        &[secs(10), secs(20)],
        (200, true),
    );
    // "also": 5xx and 429 are still retried, 400 still fails.
    let answers = [status(503), status(429), status(200)];
    check(
        &handler,
        reads,
        &answers,
        3,
        Ending::Succeeded,
        &[secs(10), secs(20)],
        (200, true),
    );
    check(
        &handler,
        reads,
        &[status(400)],
        1,
        Ending::NotRetryable,
        &[],
        (400, false),
    );
}

#[test]
fn a_404_ignored_ends_at_once_and_says_so() {
    let handler = connector(IGNORE_404);
    let reads = Reads::Errors;
    check(
        &handler,
        reads,
        &[status(404), status(200)],
        1,
        Ending::Ignored,
        &[],
        (404, false),
    );
    check(
        &handler,
        reads,
        &[status(503), status(404)],
        2,
        Ending::Ignored,
        &[secs(10)],
        (404, false),
    );
}

#[test]
fn an_error_message_ignored_from_the_body() {
    let handler = connector(IGNORE_MESSAGE);
    let reads = Reads::Errors;
    check(
        &handler,
        reads,
        &[body(400, "please ignorethisresponse, thanks")],
        1,
        Ending::Ignored,
        &[],
        (400, false),
    );
    check(
        &handler,
        reads,
        &[body(400, "bad request")],
        1,
        Ending::NotRetryable,
        &[],
        (400, false),
    );
    // A 503 saying it is the default's, until the message says otherwise.
    check(
        &handler,
        reads,
        &[body(503, "busy"), body(503, "ignorethisresponse")],
        2,
        Ending::Ignored,
        &[secs(10)],
        (503, false),
    );
}

#[test]
fn a_code_field_ignored_in_values_and_errors() {
    let handler = connector(IGNORE_CODE);
    let code = r#"{"code": "EXPORT_PENDING"}"#;
    // A 200 with a code is ignored: the value is returned as it is, and the ending says so.
    check(
        &handler,
        Reads::Outcomes,
        &[body(200, code)],
        1,
        Ending::Ignored,
        &[],
        (200, true),
    );
    check(
        &handler,
        Reads::Outcomes,
        &[body(200, r#"{"records": []}"#)],
        1,
        Ending::Succeeded,
        &[],
        (200, true),
    );
    // Reading errors only, the value is never looked at.
    check(
        &handler,
        Reads::Errors,
        &[body(200, code)],
        1,
        Ending::Succeeded,
        &[],
        (200, true),
    );
    check(
        &handler,
        Reads::Errors,
        &[body(500, code)],
        1,
        Ending::Ignored,
        &[],
        (500, false),
    );
}

#[test]
fn several_filters_ignore_404_and_retry_429() {
    let handler = connector(IGNORE_404_RETRY_429);
    let reads = Reads::Errors;
    check(
        &handler,
        reads,
        &[status(429), status(429), status(404)],
        3,
        Ending::Ignored,
        &[secs(10), secs(20)],
        (404, false),
    );
}

#[test]
fn a_wait_read_from_a_header_else_the_default() {
    let handler = connector(WAIT_TIME);
    let reads = Reads::Errors;
    let answers = [
        header(503, "wait_time", "3"),
        header(429, "wait_time", "1.5"),
        status(503),
        status(200),
    ];
    // The third answer has no header: the default exponential, 5 · 2³ = 40 s after the third.
    check(
        &handler,
        reads,
        &answers,
        4,
        Ending::Succeeded,
        &[secs(3), ms(1500), secs(40)],
        (200, true),
    );
}

#[test]
fn the_regular_expression_examples_are_not_yaml_as_printed_and_load_in_single_quotes() {
    for printed in [WAIT_TIME_REGEX_AS_PRINTED, WAIT_UNTIL_AS_PRINTED] {
        let error = serde_norway::from_str::<ConnectorFile>(printed)
            .err()
            .expect("no YAML reader accepts `\\d` in double quotes");
        assert!(
            error.to_string().contains("unknown escape character"),
            "{error}"
        );
    }
    let handler = connector(WAIT_TIME_REGEX);
    check(
        &handler,
        Reads::Errors,
        &[header(503, "wait_time", "retry in 12 seconds"), status(200)],
        2,
        Ending::Succeeded,
        &[secs(12)],
        (200, true),
    );
}

#[test]
fn a_wait_until_a_time_from_a_header_at_least_its_minimum() {
    let handler = connector(WAIT_UNTIL);
    let reads = Reads::Errors;
    // An instant already past waits `min_wait`; the regex finds the number in the value.
    check(
        &handler,
        reads,
        &[header(503, "wait_until", "reset at 1000 UTC"), status(200)],
        2,
        Ending::Succeeded,
        &[secs(5)],
        (200, true),
    );
    // An instant 100 s ahead waits until then (the system clock moves while the test runs).
    let ahead = SystemTime::now().duration_since(UNIX_EPOCH).unwrap() + secs(100);
    let script = Script::new(&[
        header(503, "wait_until", ahead.as_secs().to_string()),
        status(200),
    ]);
    let run = policy_sync(&handler, reads, &script);
    let waited = run.waits[0];
    assert!(waited > secs(95) && waited <= secs(100), "{waited:?}");
}

#[test]
fn a_header_asking_past_its_maximum_ends_the_call_and_hands_the_wait_back() {
    let handler = connector(WAIT_UNTIL);
    let ahead = SystemTime::now().duration_since(UNIX_EPOCH).unwrap() + secs(3600);
    let script = Script::new(&[header(503, "wait_until", ahead.as_secs().to_string())]);
    let (outcome, report) = handler
        .errors()
        .policy()
        .sleeper(RecordingSleeper::new())
        .call_reported(|| script.next());
    assert_eq!(outcome.unwrap_err().status(), 503);
    assert_eq!(
        (report.attempts(), report.ending()),
        (1, Ending::HintAboveCap)
    );
    let refused = report.refused_wait().expect("the wait refused");
    assert!(refused > secs(3590) && refused <= secs(3600), "{refused:?}");
}

#[test]
fn the_fallback_waits_the_header_else_the_constant() {
    let handler = connector(FALLBACK);
    let answers = [header(503, "wait_time", "2"), status(503), status(200)];
    check(
        &handler,
        Reads::Errors,
        &answers,
        3,
        Ending::Succeeded,
        &[secs(2), secs(5)],
        (200, true),
    );
}

#[test]
fn the_composite_retries_a_code_by_constant_and_403_exponentially() {
    let handler = connector(COMPOSITE);
    let code = body(200, r#"{"code": 1}"#);
    let records = body(200, r#"{"records": [1]}"#);
    check(
        &handler,
        Reads::Outcomes,
        &[code.clone(), code, records],
        3,
        Ending::Succeeded,
        &[secs(5), secs(5)],
        (200, true),
    );
    check(
        &handler,
        Reads::Outcomes,
        &[status(403)],
        6,
        Ending::Attempts,
        &[10, 20, 40, 80, 160].map(secs),
        (403, false),
    );
    // No filter matches 503: the default retries it, with the first handler's settings.
    check(
        &handler,
        Reads::Outcomes,
        &[status(503), status(200)],
        2,
        Ending::Succeeded,
        &[secs(5)],
        (200, true),
    );
    check(
        &handler,
        Reads::Outcomes,
        &[status(404)],
        1,
        Ending::NotRetryable,
        &[],
        (404, false),
    );
}

/// The default sleeper on tokio's paused clock: the call takes exactly the waits.
#[retry(policy = COMPOSITE_HANDLER.outcomes().policy())]
async fn on_tokio_time(script: &Script) -> Result<Answer, Answer> {
    script.next()
}

static COMPOSITE_HANDLER: std::sync::LazyLock<ErrorHandler> =
    std::sync::LazyLock::new(|| connector(COMPOSITE));

#[tokio::test(start_paused = true)]
async fn the_composite_on_a_paused_clock_takes_exactly_its_waits() {
    let script = Script::new(&[status(403), status(403), body(200, "{}")]);
    let start = tokio::time::Instant::now();
    let outcome = on_tokio_time(&script).await;
    assert_eq!(outcome.map(|r| r.status().as_u16()).ok(), Some(200));
    assert_eq!(start.elapsed(), secs(10) + secs(20));
}

// ---- The same handler in every format ----

#[test]
fn the_composite_reads_the_same_from_yaml_json_and_toml() {
    let yaml = connector(COMPOSITE);
    let json: ErrorHandler = serde_json::from_str(
        r#"{
            "type": "CompositeErrorHandler",
            "error_handlers": [
                {
                    "response_filters": [{"predicate": "{{ 'code' in response }}", "action": "RETRY"}],
                    "backoff_strategies": [{"type": "ConstantBackoffStrategy", "backoff_time_in_seconds": 5}]
                },
                {
                    "response_filters": [{"http_codes": [403], "action": "RETRY"}],
                    "backoff_strategies": [{"type": "ExponentialBackoffStrategy"}]
                }
            ]
        }"#,
    )
    .unwrap();
    let toml: ErrorHandler = toml::from_str(
        r#"
type = "CompositeErrorHandler"

[[error_handlers]]
response_filters = [{ predicate = "{{ 'code' in response }}", action = "RETRY" }]
backoff_strategies = [{ type = "ConstantBackoffStrategy", backoff_time_in_seconds = 5 }]

[[error_handlers]]
response_filters = [{ http_codes = [403], action = "RETRY" }]
backoff_strategies = [{ type = "ExponentialBackoffStrategy" }]
"#,
    )
    .unwrap();
    assert_eq!(json, yaml);
    assert_eq!(toml, yaml);
    let first = &yaml.handlers()[0];
    assert_eq!(first.max_retries(), 5);
    assert_eq!(
        first.response_filters()[0].predicate().map(|p| p.text()),
        Some("{{ 'code' in response }}")
    );
    assert!(matches!(
        first.backoff_strategies(),
        [Backoff::Constant { wait, .. }] if *wait == secs(5)
    ));
    assert!(matches!(
        yaml.handlers()[1].backoff_strategies(),
        [Backoff::Exponential { factor, .. }] if *factor == 5.0
    ));
}

#[test]
fn an_empty_document_or_table_is_the_default_handler() {
    let default = ErrorHandler::default();
    assert_eq!(serde_norway::from_str::<ErrorHandler>("").unwrap(), default);
    assert_eq!(serde_json::from_str::<ErrorHandler>("{}").unwrap(), default);
    assert_eq!(toml::from_str::<ErrorHandler>("").unwrap(), default);
    let named: ErrorHandler = serde_norway::from_str("type: DefaultErrorHandler").unwrap();
    assert_eq!(named, default);
}

#[test]
fn nested_composites_are_flattened_in_order() {
    let handler: ErrorHandler = serde_norway::from_str(
        "
type: CompositeErrorHandler
error_handlers:
  - type: CompositeErrorHandler
    error_handlers:
      - response_filters: [{http_codes: [401], action: FAIL}]
      - response_filters: [{http_codes: [402], action: IGNORE}]
  - response_filters: [{http_codes: [403], action: RETRY}]
",
    )
    .unwrap();
    let codes: Vec<u16> = handler
        .handlers()
        .iter()
        .map(|h| h.response_filters()[0].http_codes()[0])
        .collect();
    assert_eq!(codes, [401, 402, 403]);
}

// ---- Actions reach the caller ----

fn handler(yaml: &str) -> ErrorHandler {
    serde_norway::from_str(yaml).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn success_on_an_error_is_accepted_and_still_the_error() {
    let handler = handler(
        "
response_filters:
  - http_codes: [409]
    action: SUCCESS
",
    );
    check(
        &handler,
        Reads::Errors,
        &[status(409)],
        1,
        Ending::Accepted,
        &[],
        (409, false),
    );
}

#[test]
fn fail_on_a_value_is_rejected_and_still_the_value() {
    let handler = handler(
        "
response_filters:
  - predicate: \"{{ response.status == 'failed' }}\"
    action: FAIL
",
    );
    check(
        &handler,
        Reads::Outcomes,
        &[body(200, r#"{"status": "failed"}"#)],
        1,
        Ending::Rejected,
        &[],
        (200, true),
    );
    check(
        &handler,
        Reads::Outcomes,
        &[body(200, r#"{"status": "done"}"#)],
        1,
        Ending::Succeeded,
        &[],
        (200, true),
    );
}

/// The program decides what an ignored page becomes, reading the ending in `on_give_up`.
#[retry(
    policy = handler.errors().policy(),
    sleep = sleeper.clone(),
    on_give_up = |last, state| match (last, state.ending()) {
        (Err(_), Some(Ending::Ignored)) => Ok(None),
        (last, _) => last,
    },
)]
fn read_page(
    handler: &ErrorHandler,
    script: &Script,
    sleeper: &RecordingSleeper,
) -> Result<Option<String>, Answer> {
    script.next().map(|page| Some(page.into_body()))
}

#[test]
fn on_give_up_reads_the_ending_and_makes_of_it_what_the_program_wants() {
    let handler = connector(IGNORE_404);
    let sleeper = RecordingSleeper::new();
    let ignored = Script::new(&[status(404)]);
    assert_eq!(read_page(&handler, &ignored, &sleeper).ok(), Some(None));
    let failed = Script::new(&[status(400)]);
    assert_eq!(
        read_page(&handler, &failed, &sleeper).map_err(|r| r.status().as_u16()),
        Err(400)
    );
    let read = Script::new(&[body(200, "records")]);
    assert_eq!(
        read_page(&handler, &read, &sleeper).ok(),
        Some(Some("records".to_owned()))
    );
}

#[test]
fn each_handler_holds_its_own_max_retries_counting_every_retry_of_the_call() {
    let handler = handler(
        "
type: CompositeErrorHandler
error_handlers:
  - response_filters: [{http_codes: [503], action: RETRY}]
    max_retries: 1
    backoff_strategies: [{type: ConstantBackoff, backoff_time_in_seconds: 1}]
  - response_filters: [{http_codes: [429], action: RETRY}]
    max_retries: 3
    backoff_strategies: [{type: ConstantBackoff, backoff_time_in_seconds: 2}]
",
    );
    let reads = Reads::Errors;
    check(
        &handler,
        reads,
        &[status(429)],
        4,
        Ending::Attempts,
        &[secs(2); 3],
        (429, false),
    );
    check(
        &handler,
        reads,
        &[status(503)],
        2,
        Ending::Attempts,
        &[secs(1)],
        (503, false),
    );
    // A 503 after a retried 429 finds one retry made already: 503's limit is reached.
    check(
        &handler,
        reads,
        &[status(429), status(503)],
        2,
        Ending::Attempts,
        &[secs(2)],
        (503, false),
    );
    // max_retries: 0 is a single attempt.
    let once = self::handler("max_retries: 0");
    check(
        &once,
        reads,
        &[status(503)],
        1,
        Ending::Attempts,
        &[],
        (503, false),
    );
}

#[test]
fn reading_errors_only_never_consults_a_value() {
    assert!(!<HandlerCondition<persevere::config::handler::Errors> as Condition<
        Answer,
        Answer,
    >>::retries_ok());
    assert!(<HandlerCondition<Outcomes> as Condition<Answer, Answer>>::retries_ok());
}

#[test]
fn the_strategies_combine_as_the_runtimes_own() {
    use persevere::stop::attempts;
    use persevere::wait::fixed;

    let handler = connector(COMPOSITE);
    let strategies = handler.errors();
    let sleeper = RecordingSleeper::new();
    let script = Script::new(&[status(403)]);
    let (_, report) = persevere::Policy::new()
        .stop(strategies.stop() | attempts(3))
        .wait(strategies.wait() + fixed(ms(1)))
        .retry_if(strategies.condition())
        .sleeper(sleeper.clone())
        .call_reported(|| script.next());
    assert_eq!(report.attempts(), 3);
    assert_eq!(sleeper.sleeps(), [secs(10) + ms(1), secs(20) + ms(1)]);
}

// ---- Predicates ----

#[test]
fn predicates_registered_by_name_are_read_in_any_format() {
    let predicates = Predicates::new().with("quota_exceeded", |response: &Seen<'_>| {
        response.header("x-quota-remaining") == Some("0")
    });
    let yaml = "
response_filters:
  - predicate: quota_exceeded
    action: FAIL
";
    let handler: ErrorHandler = predicates.reading(|| serde_norway::from_str(yaml)).unwrap();
    let json: ErrorHandler = predicates
        .reading(|| {
            serde_json::from_str(
                r#"{"response_filters": [{"predicate": "quota_exceeded", "action": "FAIL"}]}"#,
            )
        })
        .unwrap();
    assert_eq!(handler, json);
    // The quota is gone: a 429 fails at once instead of being retried.
    check(
        &handler,
        Reads::Errors,
        &[header(429, "x-quota-remaining", "0")],
        1,
        Ending::NotRetryable,
        &[],
        (429, false),
    );
    check(
        &handler,
        Reads::Errors,
        &[header(429, "x-quota-remaining", "7"), status(200)],
        2,
        Ending::Succeeded,
        &[secs(10)],
        (200, true),
    );
}

#[test]
fn field_equality_reads_the_decoded_body() {
    let handler = handler(
        "
response_filters:
  - predicate: \"{{ response.error.type == 'RATE_LIMIT' }}\"
    action: RETRY
  - predicate: \"{{ 'fatal' in response.error }}\"
    action: FAIL
backoff_strategies:
  - type: ConstantBackoff
    backoff_time_in_seconds: 0.25
",
    );
    let limited = body(400, r#"{"error": {"type": "RATE_LIMIT"}}"#);
    let fatal = body(500, r#"{"error": {"fatal": true}}"#);
    check(
        &handler,
        Reads::Errors,
        &[limited, fatal],
        2,
        Ending::NotRetryable,
        &[ms(250)],
        (500, false),
    );
}

// ---- Your own types ----

/// A client error of a program's own, read as a response.
#[derive(Debug)]
struct PageError {
    status: u16,
    text: String,
}

impl AsResponse for PageError {
    fn status(&self) -> Option<http::StatusCode> {
        http::StatusCode::from_u16(self.status).ok()
    }
    fn message(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(self.text.as_str().into())
    }
}

#[test]
fn a_type_of_the_programs_own_needs_only_as_response() {
    let handler = connector(IGNORE_MESSAGE);
    let sleeper = RecordingSleeper::new();
    let (outcome, report) = handler
        .errors()
        .policy()
        .sleeper(sleeper)
        .call_reported(|| {
            Err::<(), _>(PageError {
                status: 400,
                text: "page 3: ignorethisresponse".into(),
            })
        });
    assert_eq!(outcome.unwrap_err().status, 400);
    assert_eq!(report.ending(), Ending::Ignored);
}

#[test]
fn decide_says_which_handler_and_filter() {
    let handler = connector(COMPOSITE);
    let forbidden = Response::builder().status(403).body("").unwrap();
    let decision = handler.decide(&Seen::new(&forbidden, true));
    assert_eq!(
        (decision.action, decision.handler, decision.filter),
        (Action::Retry, 1, Some(0))
    );
}

// ---- Bad files ----

/// The message reading `yaml` as a handler gives.
fn yaml_error(yaml: &str) -> String {
    match serde_norway::from_str::<ErrorHandler>(yaml) {
        Ok(handler) => panic!("read {handler:?} from {yaml}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn a_bad_setting_is_named_with_what_to_write_and_where() {
    let cases: &[(&str, &str)] = &[
        // The handler.
        (
            "max_retries: 2\nresponse_filter: []",
            "unknown setting `response_filter`: an error handler takes `type`, `response_filters`, `max_retries`, `backoff_strategies` or `error_handlers`; did you mean `response_filters`? at line 2 column 1",
        ),
        (
            "max_retries: -1",
            "max_retries: `max_retries` is -1; write a whole number from 0 to 4294967295 at line 1 column 14",
        ),
        (
            "max_retries: '5'",
            "max_retries: `max_retries` is the string \"5\"; write a whole number from 0 to 4294967295 at line 1 column 14",
        ),
        (
            "type: CompositeHandler",
            "type: `type` is the string \"CompositeHandler\"; write `DefaultErrorHandler` or `CompositeErrorHandler` at line 1 column 7",
        ),
        (
            "type: CompositeErrorHandler\nresponse_filters: []",
            "`response_filters` is a setting of a single handler, but this one is a `CompositeErrorHandler` (its `type` says so): move it into one of its `error_handlers` at line 2 column 1",
        ),
        (
            "type: DefaultErrorHandler\nerror_handlers: []",
            "`error_handlers` makes a `CompositeErrorHandler`, but this handler is a single one (its `type` says so): give the composite only `type` and `error_handlers`, and move the other settings into one of its handlers at line 2 column 1",
        ),
        (
            "max_retries: 1\ntype: CompositeErrorHandler",
            "type: `type` is \"CompositeErrorHandler\", but it has `max_retries`, a setting of a single handler: move it into one of the composite's `error_handlers`, or write \"DefaultErrorHandler\" at line 2 column 7",
        ),
        (
            "type: CompositeErrorHandler\nerror_handlers: []",
            "error_handlers: `error_handlers` lists no handler; give one or more at line 2 column 17",
        ),
        (
            "error_handlers:\n  - ~",
            "error_handlers[0]: `error_handlers[0]` is null; give a table with any of `response_filters`, `max_retries` or `backoff_strategies`, or `type: CompositeErrorHandler` with `error_handlers` at line 2 column 5",
        ),
        (
            "max_retries: 1\n$parameters: {}",
            "`$parameters` passes values to `{{ }}` templates, which persevere does not read: write the values where they are used at line 2 column 1",
        ),
        // Filters.
        (
            "response_filters: []",
            "response_filters: `response_filters` lists no filter; give one or more, or leave it out for the default (5xx and 429 retried, other errors failing) at line 1 column 19",
        ),
        (
            "response_filters: ~",
            "response_filters: `response_filters` is null; give a list of response filters, or leave the setting out at line 1 column 19",
        ),
        (
            "response_filters:\n  - http_codes: [404]\n    action: retry",
            "response_filters[0].action: `response_filters[0].action` is the string \"retry\"; write one of `RETRY`, `FAIL`, `IGNORE` or `SUCCESS`; did you mean `RETRY`? at line 3 column 13",
        ),
        (
            "response_filters:\n  - http_codes: [404]\n    action: ~",
            "response_filters[0].action: `response_filters[0].action` is null; give one of `RETRY`, `FAIL`, `IGNORE` or `SUCCESS` at line 3 column 13",
        ),
        (
            "response_filters:\n  - http_codes: [404]",
            "response_filters[0]: `response_filters[0]` has no `action`; give one of `RETRY`, `FAIL`, `IGNORE` or `SUCCESS` at line 2 column 5",
        ),
        (
            "response_filters:\n  - action: RETRY\n    action: FAIL",
            "response_filters[0]: `response_filters[0].action` is given twice; keep one at line 3 column 5",
        ),
        (
            "response_filters:\n  - action: RETRY\n    status: 404",
            "response_filters[0]: unknown setting `response_filters[0].status`: a response filter takes `http_codes`, `error_message_contains`, `predicate`, `action` or `type` at line 3 column 5",
        ),
        (
            "response_filters:\n  - action: RETRY\n    http_codes: [404]\n    type: Filter",
            "response_filters[0].type: `response_filters[0].type` is the string \"Filter\"; a response filter's type is \"HttpResponseFilter\" (or leave it out) at line 4 column 11",
        ),
        (
            "response_filters:\n  - action: RETRY",
            "response_filters[0]: `response_filters[0]` tests nothing, so it can never match; give any of `http_codes`, `error_message_contains` or `predicate` at line 2 column 5",
        ),
        (
            "response_filters:\n  - action: RETRY\n    http_codes: [600]",
            "response_filters[0].http_codes[0]: `response_filters[0].http_codes` lists 600; statuses are whole numbers from 100 to 599, such as 404 at line 3 column 18",
        ),
        (
            "response_filters:\n  - action: RETRY\n    http_codes: ['404']",
            "response_filters[0].http_codes[0]: `response_filters[0].http_codes` lists the string \"404\"; statuses are whole numbers from 100 to 599, such as 404 at line 3 column 18",
        ),
        (
            "response_filters:\n  - action: RETRY\n    http_codes: [404, 404]",
            "response_filters[0].http_codes[1]: `response_filters[0].http_codes` lists 404 twice; keep one at line 3 column 23",
        ),
        (
            "response_filters:\n  - action: IGNORE\n    http_codes: [404]\n  - action: RETRY\n    http_codes: [500, 404]",
            "response_filters[1].http_codes[1]: `response_filters[1].http_codes` lists 404, which `response_filters[0]` matches first (IGNORE), so this filter can never see it: take it out here, or put this filter first at line 5 column 23",
        ),
        (
            "type: CompositeErrorHandler\nerror_handlers:\n  - response_filters:\n      - action: IGNORE\n        http_codes: [404]\n  - response_filters:\n      - action: RETRY\n        http_codes: [404]",
            "error_handlers[1].response_filters[0].http_codes[0]: `error_handlers[1].response_filters[0].http_codes` lists 404, which `error_handlers[0].response_filters[0]` matches first (IGNORE), so this filter can never see it: take it out here, or put this filter first at line 8 column 22",
        ),
        (
            "response_filters:\n  - action: RETRY\n    error_message_contains: ''",
            "response_filters[0].error_message_contains: `response_filters[0].error_message_contains` is empty, and every response contains the empty text; write the text to look for at line 3 column 29",
        ),
        (
            "response_filters:\n  - action: RETRY\n    error_message_contains: 5",
            "response_filters[0].error_message_contains: `response_filters[0].error_message_contains` is 5; write the text to look for, in a string at line 3 column 29",
        ),
        (
            "response_filters:\n  - action: RETRY\n    predicate: quota",
            "response_filters[0].predicate: `response_filters[0].predicate` names the predicate `quota`, which is not registered: this program registers none while reading the file. A predicate is `{{ 'field' in response }}`, `{{ response.field == 'value' }}` (or `!=`) or `{{ response.field }}`, or the name of a predicate the program registers (`Predicates::with`), read inside `Predicates::reading` at line 3 column 16",
        ),
        (
            "response_filters:\n  - action: RETRY\n    predicate: \"{{ response.code = 1 }}\"",
            "response_filters[0].predicate: `response_filters[0].predicate` is \"{{ response.code = 1 }}\", which persevere cannot read (`=` is not an operator; write `==` or `!=`); write `{{ 'field' in response }}`, `{{ response.field == 'value' }}` (or `!=`) or `{{ response.field }}`, or the name of a predicate the program registers (`Predicates::with`) at line 3 column 16",
        ),
        // Backoff strategies.
        (
            "backoff_strategies: {}",
            "backoff_strategies: `backoff_strategies` is a table; write a list of backoff strategies at line 1 column 21",
        ),
        (
            "backoff_strategies:\n  - factor: 5",
            "backoff_strategies[0]: `backoff_strategies[0]` has no `type`; give one of `ExponentialBackoffStrategy`, `ConstantBackoffStrategy`, `ConstantBackoff`, `WaitTimeFromHeader` or `WaitUntilTimeFromHeader` at line 2 column 5",
        ),
        (
            "backoff_strategies:\n  - type: ExponentialBackofStrategy",
            "backoff_strategies[0].type: `backoff_strategies[0].type` is the string \"ExponentialBackofStrategy\"; write one of `ExponentialBackoffStrategy`, `ConstantBackoffStrategy`, `ConstantBackoff`, `WaitTimeFromHeader` or `WaitUntilTimeFromHeader`; did you mean `ExponentialBackoffStrategy`? at line 2 column 11",
        ),
        (
            "backoff_strategies:\n  - type: ConstantBackoff\n    factor: 5",
            "backoff_strategies[0]: `backoff_strategies[0].factor` is not a setting of `ConstantBackoff`, which takes `backoff_time_in_seconds`; `factor` is a setting of `ExponentialBackoffStrategy` at line 3 column 5",
        ),
        (
            "backoff_strategies:\n  - factor: 5\n    type: ConstantBackoff",
            "backoff_strategies[0].type: `backoff_strategies[0].factor` is not a setting of `ConstantBackoff` (given above), which takes `backoff_time_in_seconds`; `factor` is a setting of `ExponentialBackoffStrategy` at line 3 column 11",
        ),
        (
            "backoff_strategies:\n  - type: ExponentialBackoffStrategy\n    factor: 1e300",
            "backoff_strategies[0].factor: `backoff_strategies[0].factor` is 1e300, which makes the first wait longer than any duration; write a smaller factor, such as 5 at line 3 column 13",
        ),
        (
            "backoff_strategies:\n  - type: ConstantBackoff",
            "backoff_strategies[0]: `backoff_strategies[0]` is a `ConstantBackoff` without `backoff_time_in_seconds`; give it, such as `backoff_time_in_seconds: 5` at line 2 column 5",
        ),
        (
            "backoff_strategies:\n  - type: ConstantBackoff\n    backoff_time_in_seconds: -5",
            "backoff_strategies[0].backoff_time_in_seconds: `backoff_strategies[0].backoff_time_in_seconds` is -5; write a number of seconds, 0 or more, such as 5 or 0.5 at line 3 column 30",
        ),
        (
            "backoff_strategies:\n  - type: ConstantBackoff\n    backoff_time_in_seconds: ~",
            "backoff_strategies[0].backoff_time_in_seconds: `backoff_strategies[0].backoff_time_in_seconds` is null; give a number of seconds, 0 or more, such as 5 or 0.5 at line 3 column 30",
        ),
        (
            "backoff_strategies:\n  - type: WaitTimeFromHeader",
            "backoff_strategies[0]: `backoff_strategies[0]` is a `WaitTimeFromHeader` without `header`; give it, such as `header: \"wait_time\"` at line 2 column 5",
        ),
        (
            "backoff_strategies:\n  - type: WaitTimeFromHeader\n    header: 'wait time'",
            "backoff_strategies[0].header: `backoff_strategies[0].header` is the string \"wait time\", which is not a header's name (letters, digits and `-`, `_`, `.`, no spaces); write one, such as \"wait_time\" at line 3 column 13",
        ),
        (
            "backoff_strategies:\n  - type: WaitTimeFromHeader\n    header: \"{{ parameters.header }}\"",
            "backoff_strategies[0].header: `backoff_strategies[0].header` is the string \"{{ parameters.header }}\", a `{{ }}` template, which persevere does not read: write the header's name at line 3 column 13",
        ),
        (
            "response_filters:\n  - error_message_contains: \"{{ config['marker'] }}\"\n    action: IGNORE",
            "response_filters[0].error_message_contains: `response_filters[0].error_message_contains` is the string \"{{ config['marker'] }}\", a `{{ }}` template, which persevere does not read: write the text to look for at line 2 column 29",
        ),
        (
            "backoff_strategies:\n  - type: WaitUntilTimeFromHeader\n    header: wait\n    max_waiting_time_in_seconds: 5\n    min_wait: 10",
            "backoff_strategies[0].min_wait: `backoff_strategies[0].min_wait` (10 s) is above `backoff_strategies[0].max_waiting_time_in_seconds` (5 s), so every wait the header asks for would end the call; lower `min_wait` or raise the maximum at line 5 column 15",
        ),
        (
            "backoff_strategies:\n  - type: WaitTimeFromHeader\n    header: wait_time\n    regex: '([0-9]+'",
            "backoff_strategies[0].regex: `backoff_strategies[0].regex` is the string \"([0-9]+\", which is not a regular expression (unclosed group); write one, such as '\\d+' at line 4 column 12",
        ),
    ];
    for (yaml, expected) in cases {
        assert_eq!(&yaml_error(yaml), expected, "reading:\n{yaml}");
    }
}

#[test]
fn a_whole_document_of_the_wrong_kind_is_refused() {
    assert_eq!(
        yaml_error("~"),
        "the error handler is null; give a table with any of `response_filters`, `max_retries` or `backoff_strategies`, or `type: CompositeErrorHandler` with `error_handlers`, or leave it out for the default handler"
    );
    assert_eq!(
        yaml_error("[]"),
        "the error handler is a list; write a table with any of `response_filters`, `max_retries` or `backoff_strategies`, or `type: CompositeErrorHandler` with `error_handlers`"
    );
    assert_eq!(
        yaml_error("type: CompositeErrorHandler"),
        "the error handler is a `CompositeErrorHandler` without `error_handlers`; list its handlers there"
    );
}

#[test]
fn json_and_toml_place_their_errors_too() {
    let json = serde_json::from_str::<ErrorHandler>(
        r#"{"response_filters": [{"action": "RETRI", "http_codes": [404]}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        json,
        "`response_filters[0].action` is the string \"RETRI\"; write one of `RETRY`, `FAIL`, `IGNORE` or `SUCCESS`; did you mean `RETRY`? at line 1 column 40"
    );
    let toml = toml::from_str::<ErrorHandler>(
        "[[response_filters]]\naction = \"RETRI\"\nhttp_codes = [404]\n",
    )
    .unwrap_err();
    assert_eq!(toml.span(), Some(30..37));
    assert_eq!(
        toml.message(),
        "`response_filters[0].action` is the string \"RETRI\"; write one of `RETRY`, `FAIL`, `IGNORE` or `SUCCESS`; did you mean `RETRY`?"
    );
}

#[test]
fn a_handler_nested_in_a_file_is_placed_in_that_file() {
    let error = serde_norway::from_str::<ConnectorFile>(
        "
requester:
  error_handler:
    response_filters:
        - predicate: \"{{ 'code' in response }}\"
          action: RETRY
    backoff_strategies:
        - type: \"ConstantBackoffStrategy\"
          backoff_time_in_seconds: five
",
    )
    .err()
    .expect("a bad number")
    .to_string();
    assert_eq!(
        error,
        "requester.error_handler.backoff_strategies[0].backoff_time_in_seconds: `backoff_strategies[0].backoff_time_in_seconds` is the string \"five\"; write a number of seconds, 0 or more, such as 5 or 0.5 at line 9 column 36"
    );
}

#[test]
fn a_registered_name_misspelt_is_guessed() {
    let predicates = Predicates::new()
        .with("quota_exceeded", |_: &Seen<'_>| true)
        .with("maintenance", |_: &Seen<'_>| false);
    let error = predicates
        .reading(|| {
            serde_norway::from_str::<ErrorHandler>(
                "response_filters:\n  - action: FAIL\n    predicate: quota_exceded",
            )
        })
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(
            "response_filters[0].predicate: `response_filters[0].predicate` names the predicate `quota_exceded`, which is not registered: this program registers `maintenance` or `quota_exceeded`; did you mean `quota_exceeded`?"
        ),
        "{error}"
    );
}

// ---- Inside a retrying call, with `nested = once` ----

/// `nested = once` ends a call only where it would retry: an IGNORE still ends `Ignored`, and a
/// retried 503 ends `Nested` after one attempt.
#[test]
fn nested_once_keeps_the_handlers_own_endings() {
    use persevere::nested::Nested;
    use persevere::stop::attempts;
    use persevere::wait::none;

    let handler = connector(IGNORE_404);
    let inner = handler
        .errors()
        .policy()
        .sleeper(RecordingSleeper::new())
        .nested(Nested::Once);
    let outer = persevere::Policy::new().stop(attempts(2)).wait(none());
    for (answer, ending) in [(404, Ending::Ignored), (503, Ending::Nested)] {
        let script = Script::new(&[status(answer)]);
        let mut endings = Vec::new();
        let _ = outer.call(|| {
            let (outcome, report) = inner.call_reported(|| script.next());
            endings.push(report.ending());
            outcome.map(|_| ()).map_err(|_| ())
        });
        let first = if answer == 404 {
            Ending::Ignored
        } else {
            Ending::Attempts
        };
        assert_eq!(endings, [first, ending], "a {answer}");
    }
}

/// The worst case of nested retries counts the largest `max_retries` of any handler.
#[test]
fn a_handlers_stop_tells_its_largest_attempt_limit() {
    use persevere::stop::Stop;
    let limit =
        |handler: &ErrorHandler| Stop::<Answer, Answer>::attempt_limit(&handler.errors().stop());
    assert_eq!(limit(&connector(IGNORE_404)), Some(6));
    let two_handlers: ErrorHandler = serde_norway::from_str(
        "
type: CompositeErrorHandler
error_handlers:
  - response_filters:
      - http_codes: [429]
        action: RETRY
    max_retries: 2
  - response_filters:
      - http_codes: [503]
        action: RETRY
    max_retries: 7
",
    )
    .unwrap();
    assert_eq!(limit(&two_handlers), Some(8));
}
