//! Policies from configuration (the `serde` feature): reading TOML, YAML, JSON and environment
//! variables, every refusal with its message, and configured policies driving `Policy::call`,
//! `Policy::call_async` and the attribute, with the exact waits and attempt counts.
//!
//! Run with `cargo test --features serde --test config`.

use std::cell::Cell;
use std::sync::LazyLock;
use std::time::Duration;

use persevere::condition::ErrorCode;
use persevere::config::{
    ConfigError, Curve, Detailed, PolicyConfig, RetryConfig, StopConfig, ValidPolicy, WaitConfig,
    WaitKind,
};
use persevere::hint::ServerHint;
use persevere::retry;
use persevere::sleep::RecordingSleeper;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn toml(text: &str) -> PolicyConfig {
    toml::from_str(text).unwrap_or_else(|error| panic!("{error}"))
}

/// The message of the error reading `text` as TOML.
fn toml_error(text: &str) -> String {
    match toml::from_str::<PolicyConfig>(text) {
        Ok(config) => panic!("read {config:?} from {text}"),
        Err(error) => error.message().to_owned(),
    }
}

// ---- Reading the formats ----

/// The description from the module documentation, without `statuses` (which needs `http`).
const FULL_TOML: &str = r#"
[stop]
attempts = 5
elapsed = "30s"
deadline = "1m"

[wait]
kind = "exponential"
multiplier = "100ms"
max = "10s"
honor_retry_after = true
retry_after_max = "5m"

[retry]
codes = ["InternalError", "RequestLimitExceeded"]
"#;

const FULL_YAML: &str = r#"
stop:
  attempts: 5
  elapsed: 30s
  deadline: 1m
wait:
  kind: exponential
  multiplier: 100ms
  max: 10s
  honor_retry_after: true
  retry_after_max: 5m
retry:
  codes: [InternalError, RequestLimitExceeded]
"#;

const FULL_JSON: &str = r#"{
  "stop": { "attempts": 5, "elapsed": "30s", "deadline": "1m" },
  "wait": {
    "kind": "exponential", "multiplier": "100ms", "max": "10s",
    "honor_retry_after": true, "retry_after_max": "5m"
  },
  "retry": { "codes": ["InternalError", "RequestLimitExceeded"] }
}"#;

fn full() -> PolicyConfig {
    let mut stop = StopConfig::default();
    stop.attempts = Some(5);
    stop.elapsed = Some(secs(30));
    stop.deadline = Some(secs(60));
    let mut curve = Curve::default();
    curve.multiplier = Some(ms(100));
    curve.max = Some(secs(10));
    let mut wait = WaitConfig::default();
    wait.kind = Some(WaitKind::Exponential(curve));
    wait.honor_retry_after = true;
    wait.retry_after_max = Some(secs(300));
    let mut retry = RetryConfig::default();
    retry.codes = Some(vec!["InternalError".into(), "RequestLimitExceeded".into()]);
    let mut config = PolicyConfig::default();
    config.stop = Some(stop);
    config.wait = Some(wait);
    config.retry = Some(retry);
    config
}

#[test]
fn toml_yaml_and_json_describe_the_same_policy() {
    assert_eq!(toml(FULL_TOML), full());
    assert_eq!(
        serde_norway::from_str::<PolicyConfig>(FULL_YAML).unwrap(),
        full()
    );
    assert_eq!(
        serde_json::from_str::<PolicyConfig>(FULL_JSON).unwrap(),
        full()
    );
}

#[test]
fn a_configuration_written_back_reads_the_same() {
    let written = toml::to_string(&full()).unwrap();
    assert_eq!(toml(&written), full());
    // Durations are written in their largest exact unit.
    assert!(written.contains("deadline = \"1m\""), "{written}");
    assert!(written.contains("retry_after_max = \"5m\""), "{written}");
    let json = serde_json::to_string(&full()).unwrap();
    assert_eq!(serde_json::from_str::<PolicyConfig>(&json).unwrap(), full());
    let yaml = serde_norway::to_string(&full()).unwrap();
    assert_eq!(
        serde_norway::from_str::<PolicyConfig>(&yaml).unwrap(),
        full()
    );

    let fractional = toml("[wait]\nkind = \"fixed\"\nwait = \"1.5s\"");
    assert_eq!(
        toml::to_string(&fractional).unwrap(),
        "[wait]\nkind = \"fixed\"\nwait = \"1500ms\"\n"
    );
}

#[test]
fn every_kind_reads_its_settings() {
    let kind = |text: &str| toml(text).wait.unwrap().kind.unwrap();
    assert_eq!(
        kind("[wait]\nkind = \"fixed\"\nwait = \"250ms\""),
        WaitKind::Fixed { wait: ms(250) }
    );
    assert_eq!(kind("[wait]\nkind = \"none\""), WaitKind::None);
    assert_eq!(
        kind("[wait]\nkind = \"random\"\nmin = \"1s\"\nmax = \"2s\""),
        WaitKind::Random {
            min: secs(1),
            max: secs(2)
        }
    );
    assert_eq!(
        kind("[wait]\nkind = \"incrementing\"\nstart = \"1s\"\nincrement = \"2s\"\nmax = \"6s\""),
        WaitKind::Incrementing {
            start: Some(secs(1)),
            increment: Some(secs(2)),
            max: Some(secs(6))
        }
    );
    let WaitKind::RandomExponential(curve) =
        kind("[wait]\nkind = \"random_exponential\"\nbase = 3\nmin = \"100us\"")
    else {
        panic!("not random_exponential");
    };
    assert_eq!(
        (curve.base, curve.min, curve.max),
        (Some(3.0), Some(Duration::from_micros(100)), None)
    );
    let WaitKind::ExponentialJitter { curve, jitter } =
        kind("[wait]\nkind = \"exponential_jitter\"\nmultiplier = \"10ns\"\njitter = \"1h\"")
    else {
        panic!("not exponential_jitter");
    };
    assert_eq!(
        (curve.multiplier, jitter),
        (Some(Duration::from_nanos(10)), Some(secs(3600)))
    );
    assert_eq!(
        kind("[wait]\nkind = \"decorrelated_jitter\"\ninitial = \"2s\""),
        WaitKind::DecorrelatedJitter {
            initial: Some(secs(2)),
            max: None
        }
    );
}

#[test]
fn an_empty_configuration_is_a_bare_retry() {
    let config = toml("");
    assert_eq!(config, PolicyConfig::default());
    let policy = config.validate().unwrap().policy::<(), ()>();
    let schedule = policy.schedule(100);
    assert_eq!(schedule.waits, [ms(100), ms(200)]);
    assert!(schedule.stops);
    // `[wait]` without `kind` is the default wait too.
    let schedule = toml("[stop]\nattempts = 7\n[wait]\n")
        .validate()
        .unwrap()
        .policy::<(), ()>()
        .schedule(100);
    let millis: Vec<u128> = schedule.waits.iter().map(Duration::as_millis).collect();
    assert_eq!(millis, [100, 200, 400, 800, 1600, 3200]);
}

#[test]
fn a_section_replaces_its_default_whole() {
    // `elapsed` alone: no limit on attempts, as `stop = elapsed(1s)` in the attribute.
    let schedule = toml("[stop]\nelapsed = \"1s\"\n[wait]\nkind = \"fixed\"\nwait = \"300ms\"")
        .validate()
        .unwrap()
        .policy::<(), ()>()
        .schedule(100);
    assert_eq!(schedule.waits, [ms(300); 4]);
    // `exponential` alone is `exponential()`: 1 s doubling, no cap.
    let schedule = toml("[stop]\nattempts = 6\n[wait]\nkind = \"exponential\"")
        .validate()
        .unwrap()
        .policy::<(), ()>()
        .schedule(100);
    assert_eq!(
        schedule.waits,
        [secs(1), secs(2), secs(4), secs(8), secs(16)]
    );
}

// ---- Refusals, each with its message ----

#[test]
fn unknown_settings_are_refused() {
    assert_eq!(
        toml_error("[stopp]\nattempts = 5"),
        "unknown section `stopp`: a configuration has `stop`, `wait` or `retry`; did you mean `stop`?"
    );
    assert_eq!(
        toml_error("[stop]\natempts = 5"),
        "unknown setting `stop.atempts`: `stop` takes `attempts`, `retries`, `elapsed` or `deadline`; did you mean `attempts`?"
    );
    assert_eq!(
        toml_error("[wait]\nkind = \"fixed\"\nwiat = \"1s\""),
        "unknown setting `wait.wiat`: `wait` takes `kind`, `wait`, `multiplier`, `base`, `min`, `max`, `start`, `increment`, `jitter`, `initial`, `honor_retry_after` or `retry_after_max`; did you mean `wait`?"
    );
    assert_eq!(
        toml_error("[wait]\nHonor-Retry-After = true"),
        "unknown setting `wait.Honor-Retry-After`: `wait` takes `kind`, `wait`, `multiplier`, `base`, `min`, `max`, `start`, `increment`, `jitter`, `initial`, `honor_retry_after` or `retry_after_max`; did you mean `honor_retry_after`?"
    );
    assert_eq!(
        toml_error("[retry]\ncode = [\"A\"]"),
        "unknown setting `retry.code`: `retry` takes `codes` or `statuses`; did you mean `codes`?"
    );
    // No guess when nothing is close.
    assert_eq!(
        toml_error("[stop]\ntimeout = \"1s\""),
        "unknown setting `stop.timeout`: `stop` takes `attempts`, `retries`, `elapsed` or `deadline`"
    );
    // A setting given twice (JSON allows it; TOML and YAML refuse it themselves).
    let twice = serde_json::from_str::<PolicyConfig>(r#"{"stop": {"attempts": 1, "attempts": 2}}"#)
        .unwrap_err()
        .to_string();
    assert_eq!(
        twice,
        "`stop.attempts` is given twice; keep one at line 1 column 35"
    );
    let twice = serde_json::from_str::<PolicyConfig>(r#"{"stop": {"attempts": 1}, "stop": {}}"#)
        .unwrap_err()
        .to_string();
    assert_eq!(twice, "`stop` is given twice; keep one at line 1 column 32");
}

#[test]
fn wait_kinds_and_their_settings_are_checked() {
    let kinds = "`fixed`, `none`, `random`, `incrementing`, `exponential`, `random_exponential`, `exponential_jitter` or `decorrelated_jitter`";
    for (text, message) in [
        (
            "kind = \"expo\"",
            format!("`wait.kind` is `expo`, which is not a wait kind: expected one of {kinds}"),
        ),
        (
            "kind = \"Random-Exponential\"",
            format!(
                "`wait.kind` is `Random-Exponential`, which is not a wait kind: expected one of {kinds}; did you mean `random_exponential`?"
            ),
        ),
        (
            "kind = \"fixed\"\nwait = \"1s\"\njitter = \"1s\"",
            "`wait.jitter` is not a setting of `fixed` waits, which take `wait.wait`".into(),
        ),
        (
            "kind = \"none\"\nmax = \"1s\"",
            "`wait.max` is not a setting of `none` waits, which take no setting".into(),
        ),
        (
            "kind = \"decorrelated_jitter\"\nmultiplier = \"1s\"",
            "`wait.multiplier` is not a setting of `decorrelated_jitter` waits, which take `wait.initial` or `wait.max`".into(),
        ),
        (
            "max = \"10s\"",
            format!("`wait.max` needs `wait.kind`, the wait it belongs to: one of {kinds}"),
        ),
        (
            "kind = \"fixed\"",
            "`fixed` waits need `wait.wait`, the time to wait after each attempt".into(),
        ),
        (
            "kind = \"random\"\nmin = \"1s\"",
            "`random` waits need `wait.min` and `wait.max`, the range each wait is drawn from"
                .into(),
        ),
        (
            "kind = \"exponential\"\nmin = \"4s\"\nmax = \"1s\"",
            "`wait.min` (4s) is above `wait.max` (1s)".into(),
        ),
        (
            "kind = \"random\"\nmin = \"2s\"\nmax = \"1500ms\"",
            "`wait.min` (2s) is above `wait.max` (1500ms)".into(),
        ),
        (
            "kind = \"random_exponential\"\nmin = \"2m\"",
            "`wait.min` (2m) is above the `max` of `random_exponential` waits, 1m by default: set `wait.max` too".into(),
        ),
        (
            "kind = \"incrementing\"\nstart = \"5s\"\nmax = \"1s\"",
            "`wait.start` (5s) is above `wait.max` (1s)".into(),
        ),
        (
            "kind = \"decorrelated_jitter\"\nmax = \"500ms\"",
            "`wait.max` (500ms) is below the `initial` of `decorrelated_jitter` waits, 1s by default: set `wait.initial` too".into(),
        ),
        (
            "kind = \"decorrelated_jitter\"\ninitial = \"2s\"\nmax = \"1s\"",
            "`wait.initial` (2s) is above `wait.max` (1s)".into(),
        ),
        (
            "kind = \"exponential\"\nbase = -2",
            "`wait.base` is -2; it must be a finite number, 0 or more".into(),
        ),
        (
            "kind = \"exponential\"\nbase = nan",
            "`wait.base` is NaN; it must be a finite number, 0 or more".into(),
        ),
        (
            "kind = \"fixed\"\nwait = \"1s\"\nretry_after_max = \"1m\"",
            "`wait.retry_after_max` is set but `wait.honor_retry_after` is not `true`: the cap applies only to the waits servers ask for".into(),
        ),
    ] {
        assert_eq!(toml_error(&format!("[wait]\n{text}")), message, "{text}");
    }
}

#[test]
fn durations_are_checked() {
    for (text, message) in [
        (
            "\"30\"",
            "invalid duration `30` for `stop.elapsed`: it has no unit; write it followed by `ns`, `us`, `ms`, `s`, `m` or `h`, such as `30s`",
        ),
        (
            "\"5sec\"",
            "invalid duration `5sec` for `stop.elapsed`: unknown unit `sec`; did you mean `s`?",
        ),
        (
            "\"3d\"",
            "invalid duration `3d` for `stop.elapsed`: unknown unit `d`; the units are `ns`, `us`, `ms`, `s`, `m` or `h`",
        ),
        (
            "\"-1s\"",
            "invalid duration `-1s` for `stop.elapsed`: a duration cannot be negative",
        ),
        (
            "\"99999999999999999999h\"",
            "invalid duration `99999999999999999999h` for `stop.elapsed`: it is longer than the longest duration (about 584 billion years)",
        ),
        (
            "\"0.5ns\"",
            "invalid duration `0.5ns` for `stop.elapsed`: it is not a whole number of nanoseconds (the finest unit is `ns`)",
        ),
        (
            "30",
            "`stop.elapsed` is 30; write a duration in a string: a number followed by `ns`, `us`, `ms`, `s`, `m` or `h`, such as \"250ms\" or \"1.5s\"",
        ),
        (
            "true",
            "`stop.elapsed` is `true`; write a duration in a string: a number followed by `ns`, `us`, `ms`, `s`, `m` or `h`, such as \"250ms\" or \"1.5s\"",
        ),
    ] {
        assert_eq!(
            toml_error(&format!("[stop]\nelapsed = {text}")),
            message,
            "{text}"
        );
    }
}

#[test]
fn stop_and_retry_are_checked() {
    for (text, message) in [
        (
            "[stop]\nattempts = 0",
            "`stop.attempts` is 0, but the first attempt always happens: write 1 for a single attempt and no retry",
        ),
        (
            "[stop]\n",
            "`stop` sets nothing: give `stop.attempts`, `stop.retries`, `stop.elapsed` or `stop.deadline`, or leave it out for the default of 3 attempts",
        ),
        (
            "[retry]\ncodes = []",
            "`retry.codes` is empty: list at least one code, or leave it out to retry every error",
        ),
        (
            "[retry]\ncodes = [\"A\", \" \"]",
            "`retry.codes` lists an empty code; codes are names such as `InternalError`",
        ),
        (
            "[retry]\nstatuses = []",
            "`retry.statuses` is empty: list at least one status, or leave it out to retry every error",
        ),
        (
            "[retry]\nstatuses = [503, 42]",
            "`retry.statuses` lists 42, which is not an HTTP status (100 to 599)",
        ),
    ] {
        assert_eq!(toml_error(text), message, "{text}");
    }
    for (text, message) in [
        (
            "[stop]\nattempts = -1",
            "`stop.attempts` is -1; write a whole number from 1 to 4294967295",
        ),
        (
            "[stop]\nattempts = 4294967296",
            "`stop.attempts` is 4294967296; write a whole number from 1 to 4294967295",
        ),
        (
            "[stop]\nattempts = 2.5",
            "`stop.attempts` is 2.5; write a whole number from 1 to 4294967295",
        ),
        (
            "[stop]\nattempts = 3.0",
            "`stop.attempts` is 3.0; write a whole number from 1 to 4294967295",
        ),
        (
            "[stop]\nretries = -1",
            "`stop.retries` is -1; write a whole number from 0 to 4294967295",
        ),
        (
            "[retry]\ncodes = \"InternalError\"",
            "`retry.codes` is the string \"InternalError\"; write a list of error codes, such as [\"InternalError\"]",
        ),
        (
            "[retry]\ncodes = [\"Throttled\", 503]",
            "`retry.codes` lists 503; codes are names in strings, such as \"InternalError\" (HTTP statuses go in `retry.statuses`)",
        ),
        (
            "[retry]\nstatuses = [\"429\"]",
            "`retry.statuses` lists the string \"429\"; statuses are whole numbers from 100 to 599, such as 503",
        ),
        (
            "[retry]\nstatuses = [-1]",
            "`retry.statuses` lists -1; statuses are whole numbers from 100 to 599, such as 503",
        ),
        (
            "[retry]\nstatuses = [70000]",
            "`retry.statuses` lists 70000, which is not an HTTP status (100 to 599)",
        ),
        (
            "stop = 3",
            "`stop` is 3; write a table with `attempts`, `retries`, `elapsed` or `deadline`",
        ),
        (
            "[wait]\nkind = 1",
            "`wait.kind` is 1; write one of `fixed`, `none`, `random`, `incrementing`, `exponential`, `random_exponential`, `exponential_jitter` or `decorrelated_jitter`",
        ),
        (
            "[wait]\nkind = \"exponental\"",
            "`wait.kind` is `exponental`, which is not a wait kind: expected one of `fixed`, `none`, `random`, `incrementing`, `exponential`, `random_exponential`, `exponential_jitter` or `decorrelated_jitter`; did you mean `exponential`?",
        ),
        (
            "[wait]\nhonor_retry_after = \"yes\"",
            "`wait.honor_retry_after` is the string \"yes\"; write `true` or `false`",
        ),
        (
            "[wait]\nkind = \"exponential\"\nbase = \"2\"",
            "`wait.base` is the string \"2\"; write a number, 0 or more, such as 2",
        ),
    ] {
        assert_eq!(toml_error(text), message, "{text}");
    }
}

/// The line, and the first and last columns (1-based), of `needle`, which occurs once in `text`.
fn place(text: &str, needle: &str) -> (usize, usize, usize) {
    assert_eq!(text.matches(needle).count(), 1, "{needle:?} in {text:?}");
    let start = text.find(needle).unwrap();
    let line = text[..start].matches('\n').count() + 1;
    let line_start = text[..start].rfind('\n').map_or(0, |newline| newline + 1);
    let first = text[line_start..start].chars().count() + 1;
    (line, first, first + needle.chars().count() - 1)
}

/// A refusal, the same in each format: the message and the value it is placed at.
struct Refusal {
    what: &'static str,
    message: &'static str,
    toml: (&'static str, &'static str),
    yaml: (&'static str, &'static str),
    json: (&'static str, &'static str),
}

/// A type error and the semantic errors, each written in the three formats with the value at
/// fault on a line of its own, away from its section's header.
const REFUSALS: &[Refusal] = &[
    Refusal {
        what: "a count in a string",
        message: "`stop.attempts` is the string \"5\"; write a whole number from 1 to 4294967295",
        toml: ("[stop]\nelapsed = \"1m\"\nattempts = \"5\"\n", "\"5\""),
        yaml: ("stop:\n  elapsed: 1m\n  attempts: '5'\n", "'5'"),
        json: (
            "{\n  \"stop\": {\n    \"elapsed\": \"1m\",\n    \"attempts\": \"5\"\n  }\n}",
            "\"5\"",
        ),
    },
    Refusal {
        what: "a duration as a number",
        message: "`wait.wait` is 2; write a duration in a string: a number followed by `ns`, `us`, `ms`, `s`, `m` or `h`, such as \"250ms\" or \"1.5s\"",
        toml: ("[wait]\nkind = \"fixed\"\nwait = 2\n", "2"),
        yaml: ("wait:\n  kind: fixed\n  wait: 2\n", "2"),
        json: (
            "{\n  \"wait\": {\n    \"kind\": \"fixed\",\n    \"wait\": 2\n  }\n}",
            "2",
        ),
    },
    Refusal {
        what: "attempts = 0",
        message: "`stop.attempts` is 0, but the first attempt always happens: write 1 for a single attempt and no retry",
        toml: ("[stop]\nelapsed = \"1m\"\nattempts = 0\n", "0"),
        yaml: ("stop:\n  elapsed: 1m\n  attempts: 0\n", "0"),
        json: (
            "{\n  \"stop\": {\n    \"elapsed\": \"1m\",\n    \"attempts\": 0\n  }\n}",
            "0",
        ),
    },
    Refusal {
        what: "an unknown kind",
        message: "`wait.kind` is `expo`, which is not a wait kind: expected one of `fixed`, `none`, `random`, `incrementing`, `exponential`, `random_exponential`, `exponential_jitter` or `decorrelated_jitter`",
        toml: (
            "[stop]\nattempts = 2\n\n[wait]\nkind = \"expo\"\n",
            "\"expo\"",
        ),
        yaml: ("stop:\n  attempts: 2\nwait:\n  kind: expo\n", "expo"),
        json: (
            "{\n  \"stop\": {\"attempts\": 2},\n  \"wait\": {\n    \"kind\": \"expo\"\n  }\n}",
            "\"expo\"",
        ),
    },
    Refusal {
        what: "a duration without a unit",
        message: "invalid duration `30` for `stop.deadline`: it has no unit; write it followed by `ns`, `us`, `ms`, `s`, `m` or `h`, such as `30s`",
        toml: ("[stop]\nattempts = 2\ndeadline = \"30\"\n", "\"30\""),
        yaml: ("stop:\n  attempts: 2\n  deadline: '30'\n", "'30'"),
        json: (
            "{\n  \"stop\": {\n    \"attempts\": 2,\n    \"deadline\": \"30\"\n  }\n}",
            "\"30\"",
        ),
    },
    Refusal {
        what: "an unknown setting",
        message: "unknown setting `wait.maxx`: `wait` takes `kind`, `wait`, `multiplier`, `base`, `min`, `max`, `start`, `increment`, `jitter`, `initial`, `honor_retry_after` or `retry_after_max`; did you mean `max`?",
        toml: ("[wait]\nkind = \"exponential\"\nmaxx = \"1s\"\n", "maxx"),
        yaml: ("wait:\n  kind: exponential\n  maxx: 1s\n", "maxx"),
        json: (
            "{\n  \"wait\": {\n    \"kind\": \"exponential\",\n    \"maxx\": \"1s\"\n  }\n}",
            "\"maxx\"",
        ),
    },
    Refusal {
        what: "a status out of range",
        message: "`retry.statuses` lists 42, which is not an HTTP status (100 to 599)",
        toml: ("[retry]\ncodes = [\"A\"]\nstatuses = [503, 42]\n", "42"),
        yaml: ("retry:\n  codes: [A]\n  statuses: [503, 42]\n", "42"),
        json: (
            "{\n  \"retry\": {\n    \"codes\": [\"A\"],\n    \"statuses\": [503, 42]\n  }\n}",
            "42",
        ),
    },
];

#[test]
fn every_format_places_an_error_at_the_value_and_names_the_setting() {
    for refusal in REFUSALS {
        let what = refusal.what;

        // TOML: the span is the value itself (or the key, for an unknown setting).
        let (text, needle) = refusal.toml;
        let error = toml::from_str::<PolicyConfig>(text).unwrap_err();
        assert_eq!(error.message(), refusal.message, "TOML, {what}");
        let span = error.span().expect("a span");
        assert_eq!(&text[span], needle, "TOML, {what}");
        let (line, column, _) = place(text, needle);
        let shown = error.to_string();
        assert!(
            shown.contains(&format!("at line {line}, column {column}")),
            "TOML, {what}: {shown}"
        );
        assert!(
            line > 1,
            "TOML, {what}: the value is not on the header's line"
        );

        // YAML: the value's first character.
        let (text, needle) = refusal.yaml;
        let error = serde_norway::from_str::<PolicyConfig>(text).unwrap_err();
        let (line, column, _) = place(text, needle);
        let location = error.location().expect("a location");
        assert_eq!(
            (location.line(), location.column()),
            (line, column),
            "YAML, {what}: {error}"
        );
        let shown = error.to_string();
        assert!(shown.contains(refusal.message), "YAML, {what}: {shown}");
        assert!(
            shown.ends_with(&format!(" at line {line} column {column}")),
            "YAML, {what}: {shown}"
        );

        // JSON: just past the value, as serde_json places every error.
        let (text, needle) = refusal.json;
        let error = serde_json::from_str::<PolicyConfig>(text).unwrap_err();
        let (line, _, last) = place(text, needle);
        assert_eq!(
            error.to_string(),
            format!("{} at line {line} column {last}", refusal.message),
            "JSON, {what}"
        );
    }
}

/// A check between two settings fails at the one read second, and names both.
#[test]
fn a_conflict_between_settings_is_placed_at_one_of_them() {
    let message = "`wait.min` (4s) is above `wait.max` (1s)";

    let text = "[wait]\nkind = \"exponential\"\nmin = \"4s\"\nmax = \"1s\"\n";
    let error = toml::from_str::<PolicyConfig>(text).unwrap_err();
    assert_eq!(error.message(), message);
    let at = &text[error.span().unwrap()];
    assert!(at == "\"4s\"" || at == "\"1s\"", "{at}");

    let text = "wait:\n  kind: exponential\n  min: 4s\n  max: 1s\n";
    let error = serde_norway::from_str::<PolicyConfig>(text).unwrap_err();
    assert!(error.to_string().contains(message), "{error}");
    let location = error.location().unwrap();
    assert_eq!((location.line(), location.column()), (4, 8), "{error}");

    let text =
        "{\"wait\": {\n  \"kind\": \"exponential\",\n  \"min\": \"4s\",\n  \"max\": \"1s\"\n}}";
    let error = serde_json::from_str::<PolicyConfig>(text).unwrap_err();
    assert_eq!(error.to_string(), format!("{message} at line 4 column 13"));

    // A setting the kind does not take, whichever comes first.
    for text in [
        "wait:\n  kind: fixed\n  wait: 1s\n  jitter: 1s\n",
        "wait:\n  jitter: 1s\n  wait: 1s\n  kind: fixed\n",
    ] {
        let error = serde_norway::from_str::<PolicyConfig>(text).unwrap_err();
        assert!(
            error.to_string().contains(
                "`wait.jitter` is not a setting of `fixed` waits, which take `wait.wait`"
            ),
            "{error}"
        );
        assert_eq!(error.location().unwrap().line(), 4, "{error}");
    }

    // TOML reads a section's settings in alphabetical order: `jitter` before `kind`, so the
    // check fails at `kind`, read second, and the message names `jitter`.
    let text = "[wait]\nkind = \"fixed\"\nwait = \"1s\"\njitter = \"1s\"\n";
    let error = toml::from_str::<PolicyConfig>(text).unwrap_err();
    assert_eq!(
        error.message(),
        "`wait.jitter` is not a setting of `fixed` waits, which take `wait.wait`"
    );
    assert_eq!(&text[error.span().unwrap()], "\"fixed\"");

    // What only the whole section can tell is placed at the section.
    let text = "[stop]\nattempts = 2\n\n[wait]\nkind = \"fixed\"\n";
    let error = toml::from_str::<PolicyConfig>(text).unwrap_err();
    assert_eq!(
        error.message(),
        "`fixed` waits need `wait.wait`, the time to wait after each attempt"
    );
    assert_eq!(&text[error.span().unwrap()], "[wait]");
}

// ---- Nothing silent: null is never a default ----

/// Every optional setting of every section.
const SETTINGS: &[(&str, &str)] = &[
    ("stop", "attempts"),
    ("stop", "retries"),
    ("stop", "elapsed"),
    ("stop", "deadline"),
    ("wait", "kind"),
    ("wait", "wait"),
    ("wait", "multiplier"),
    ("wait", "base"),
    ("wait", "min"),
    ("wait", "max"),
    ("wait", "start"),
    ("wait", "increment"),
    ("wait", "jitter"),
    ("wait", "initial"),
    ("wait", "honor_retry_after"),
    ("wait", "retry_after_max"),
    ("retry", "codes"),
    ("retry", "statuses"),
];

#[test]
fn a_null_setting_is_refused_by_name() {
    for (section, setting) in SETTINGS {
        let start = format!("`{section}.{setting}` is null; give ");
        let end = ", or leave the setting out";
        for (format, text) in [
            ("YAML empty", format!("{section}:\n  {setting}:\n")),
            ("YAML ~", format!("{section}:\n  {setting}: ~\n")),
            ("YAML null", format!("{section}: {{{setting}: null}}\n")),
        ] {
            let error = serde_norway::from_str::<PolicyConfig>(&text)
                .expect_err(&format!("{format}: {text}"))
                .to_string();
            let message = error
                .split_once(": ")
                .map_or(error.as_str(), |(_, message)| message);
            assert!(
                message.starts_with(&start) && message.contains(end),
                "{format}: {error}"
            );
        }
        let text = format!("{{\"{section}\": {{\"{setting}\": null}}}}");
        let error = serde_json::from_str::<PolicyConfig>(&text)
            .expect_err(&text)
            .to_string();
        assert!(
            error.starts_with(&start) && error.contains(end) && error.contains("at line 1"),
            "{error}"
        );
    }
    // Each says what to write instead.
    assert_eq!(
        serde_json::from_str::<PolicyConfig>(r#"{"retry": {"codes": null}}"#)
            .unwrap_err()
            .to_string(),
        "`retry.codes` is null; give a list of error codes, such as [\"InternalError\"], or leave the setting out at line 1 column 24"
    );
    let yaml = serde_norway::from_str::<PolicyConfig>("wait: {kind: }")
        .unwrap_err()
        .to_string();
    assert!(
        yaml.contains("`wait.kind` is null; give one of `fixed`, `none`,"),
        "{yaml}"
    );
    let yaml = serde_norway::from_str::<PolicyConfig>("wait:\n  honor_retry_after: null\n")
        .unwrap_err()
        .to_string();
    assert!(
        yaml.contains(
            "`wait.honor_retry_after` is null; give `true` or `false`, or leave the setting out at line 2 column 22"
        ),
        "{yaml}"
    );
    // A null in a list.
    let yaml = serde_norway::from_str::<PolicyConfig>("retry:\n  codes: [A, ~]\n")
        .unwrap_err()
        .to_string();
    assert!(
        yaml.contains("`retry.codes` lists null; codes are names in strings"),
        "{yaml}"
    );
    let json = serde_json::from_str::<PolicyConfig>(r#"{"retry": {"statuses": [null]}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        json.starts_with("`retry.statuses` lists null; statuses are whole numbers from 100 to 599"),
        "{json}"
    );
}

#[test]
fn a_null_section_or_document_is_refused() {
    for (section, settings) in [
        ("stop", "`attempts`, `retries`, `elapsed` or `deadline`"),
        (
            "wait",
            "`kind`, `wait`, `multiplier`, `base`, `min`, `max`, `start`, `increment`, `jitter`, `initial`, `honor_retry_after` or `retry_after_max`",
        ),
        ("retry", "`codes` or `statuses`"),
    ] {
        let message =
            format!("`{section}` is null; give a table with {settings}, or leave the section out");
        for text in [format!("{section}:\n"), format!("{section}: ~\n")] {
            let error = serde_norway::from_str::<PolicyConfig>(&text)
                .unwrap_err()
                .to_string();
            assert!(error.contains(&message), "{error}");
            assert!(error.contains("at line 1 column"), "{error}");
        }
        let error = serde_json::from_str::<PolicyConfig>(&format!("{{\"{section}\": null}}"))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with(&message), "{error}");
        // Nor is a section of another type.
        let error = serde_json::from_str::<PolicyConfig>(&format!("{{\"{section}\": []}}"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!(
                "`{section}` is a list; write a table with {settings}"
            )),
            "{error}"
        );
    }

    let sections = "write a table with any of the sections `stop`, `wait` and `retry`, or an empty one for the default policy";
    for (text, found) in [
        ("null", "null"),
        ("[]", "a list"),
        ("3", "3"),
        ("\"stop\"", "the string \"stop\""),
    ] {
        let error = serde_json::from_str::<PolicyConfig>(text)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!(
                "the configuration is {found}; {sections} at line 1"
            )),
            "{error}"
        );
    }
    for (text, found) in [
        ("~", "null"),
        ("---\n", "null"),
        ("[]", "a list"),
        ("- stop\n", "a list"),
    ] {
        let error = serde_norway::from_str::<PolicyConfig>(text)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!("the configuration is {found}; {sections}")),
            "{text:?}: {error}"
        );
    }
    // A file with nothing in it, not even a null, is the default policy (as an empty TOML
    // file or JSON object is).
    for text in ["", "# retries: the defaults\n"] {
        assert_eq!(
            serde_norway::from_str::<PolicyConfig>(text).unwrap(),
            PolicyConfig::default()
        );
    }
    assert_eq!(
        serde_json::from_str::<PolicyConfig>("{}").unwrap(),
        PolicyConfig::default()
    );
}

/// The sections read on their own refuse what they refuse in a configuration.
#[test]
fn a_section_read_alone_is_checked_the_same() {
    let error = toml::from_str::<StopConfig>("attempts = 0").unwrap_err();
    assert!(
        error.message().starts_with("`stop.attempts` is 0"),
        "{error}"
    );
    assert_eq!(error.span(), Some(11..12));
    let error = serde_json::from_str::<WaitConfig>(r#"{"kind": null}"#).unwrap_err();
    assert!(
        error.to_string().starts_with("`wait.kind` is null"),
        "{error}"
    );
    let error = serde_json::from_str::<RetryConfig>("null").unwrap_err();
    assert!(error.to_string().starts_with("`retry` is null"), "{error}");
    let retry: RetryConfig = serde_json::from_str(r#"{"codes": ["A"]}"#).unwrap();
    assert_eq!(retry.codes, Some(vec!["A".to_owned()]));
}

// ---- `retries` ----

#[test]
fn retries_read_from_every_format() {
    let expected = |n: u32| {
        let mut stop = StopConfig::default();
        stop.retries = Some(n);
        stop
    };
    assert_eq!(toml("[stop]\nretries = 3").stop, Some(expected(3)));
    assert_eq!(
        serde_norway::from_str::<PolicyConfig>("stop:\n  retries: 0\n")
            .unwrap()
            .stop,
        Some(expected(0))
    );
    assert_eq!(
        serde_json::from_str::<PolicyConfig>(r#"{"stop": {"retries": 5}}"#)
            .unwrap()
            .stop,
        Some(expected(5))
    );
    assert_eq!(
        PolicyConfig::from_vars("APP", [("APP_STOP_RETRIES", "3")])
            .unwrap()
            .stop,
        Some(expected(3))
    );
    // Written back as read.
    let config = toml("[stop]\nretries = 3\nelapsed = \"1m\"");
    let written = toml::to_string(&config).unwrap();
    assert_eq!(written, "[stop]\nretries = 3\nelapsed = \"1m\"\n");
    assert_eq!(toml(&written), config);
}

#[test]
fn configured_retries_make_one_attempt_more() {
    for n in [0u32, 1, 3] {
        let sleeper = RecordingSleeper::new();
        let calls = Cell::new(0);
        let (outcome, report) = toml(&format!(
            "[stop]\nretries = {n}\n[wait]\nkind = \"fixed\"\nwait = \"1s\""
        ))
        .policy()
        .unwrap()
        .sleeper(sleeper.clone())
        .call_reported(|| scripted(&calls, &[ApiError::new("A"); 10]));
        assert_eq!(outcome, Err(ApiError::new("A")));
        assert_eq!(calls.get(), n + 1, "retries = {n}");
        assert_eq!(sleeper.sleeps(), vec![secs(1); n as usize], "retries = {n}");
        assert_eq!(
            (report.attempts(), report.ending()),
            (n + 1, persevere::Ending::Attempts)
        );
    }
    // With a time limit too: the first limit reached ends the call.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let _ = toml("[stop]\nretries = 10\nelapsed = \"3s\"\n[wait]\nkind = \"exponential\"")
        .policy()
        .unwrap()
        .sleeper(sleeper.clone())
        .call(|| scripted(&calls, &[ApiError::new("A"); 20]));
    assert_eq!((calls.get(), sleeper.sleeps()), (3, vec![secs(1), secs(2)]));
}

#[test]
fn retries_and_attempts_are_not_given_together() {
    let message = "`stop.attempts` and `stop.retries` both limit the number of attempts; keep one (n retries are n + 1 attempts)";
    assert_eq!(toml_error("[stop]\nattempts = 4\nretries = 3"), message);
    let yaml =
        serde_norway::from_str::<PolicyConfig>("stop:\n  retries: 3\n  attempts: 4\n").unwrap_err();
    assert!(yaml.to_string().contains(message), "{yaml}");
    assert_eq!(yaml.location().unwrap().line(), 3);
    let json = serde_json::from_str::<PolicyConfig>(r#"{"stop": {"attempts": 4, "retries": 3}}"#)
        .unwrap_err();
    assert_eq!(json.to_string(), format!("{message} at line 1 column 37"));

    let env = PolicyConfig::from_vars(
        "APP",
        [("APP_STOP_RETRIES", "3"), ("APP_STOP_ATTEMPTS", "4")],
    )
    .unwrap_err();
    assert_eq!(env.field(), "APP_STOP_RETRIES");
    assert_eq!(
        env.to_string(),
        "`APP_STOP_ATTEMPTS` and `APP_STOP_RETRIES` both limit the number of attempts; keep one (n retries are n + 1 attempts)"
    );

    // Built in code, `validate` says the same.
    let mut stop = StopConfig::default();
    stop.attempts = Some(4);
    stop.retries = Some(3);
    let mut config = PolicyConfig::default();
    config.stop = Some(stop);
    let error = config.validate().unwrap_err();
    assert_eq!(error.field(), "stop.retries");
    assert_eq!(error.to_string(), message);
}

#[test]
fn a_configuration_built_in_code_is_checked_when_validated() {
    let mut config = PolicyConfig::default();
    let mut wait = WaitConfig::default();
    wait.kind = Some(WaitKind::Random {
        min: secs(3),
        max: secs(1),
    });
    config.wait = Some(wait);
    let error = config.validate().unwrap_err();
    assert_eq!(error.field(), "wait.min");
    assert_eq!(
        error.to_string(),
        "`wait.min` (3s) is above `wait.max` (1s)"
    );
}

#[test]
fn settings_the_program_cannot_read_are_refused_not_ignored() {
    let refused = |text: &str| toml(text).validate().unwrap_err();
    let error = refused("[retry]\ncodes = [\"InternalError\"]");
    assert_eq!(error.field(), "retry.codes");
    assert_eq!(
        error.to_string(),
        "`retry.codes` needs a program that reads error codes from its errors, and this one does not: it validates its configuration as `ValidPolicy<Opaque>`; `Detailed` reads them from errors implementing `ErrorCode`"
    );
    assert_eq!(
        refused("[wait]\nhonor_retry_after = true").to_string(),
        "`wait.honor_retry_after` needs a program that reads server hints from its errors, and this one does not: it validates its configuration as `ValidPolicy<Opaque>`; `Detailed` reads them from errors implementing `ServerHint`"
    );
    // `PolicyConfig::policy` validates the same way.
    let error = toml("[retry]\ncodes = [\"A\"]")
        .policy::<(), ()>()
        .err()
        .unwrap();
    assert_eq!(error.field(), "retry.codes");

    let statuses = toml("[retry]\nstatuses = [429]").validate_for::<Detailed>();
    #[cfg(feature = "http")]
    assert_eq!(
        statuses.unwrap_err().to_string(),
        "`retry.statuses` needs a program that reads HTTP statuses from its errors, and this one does not: it validates its configuration as `ValidPolicy<Detailed>`; `Http` reads them from errors implementing `HttpStatus`"
    );
    #[cfg(not(feature = "http"))]
    assert_eq!(
        statuses.unwrap_err().to_string(),
        "`retry.statuses` needs persevere's `http` feature, which this build leaves out"
    );
}

// ---- Environment variables ----

/// Sets variables for one test; each test uses its own prefix, so tests running in parallel
/// never read each other's.
fn set_vars(vars: &[(&str, &str)]) {
    for (name, value) in vars {
        // SAFETY: no test reads or writes these names but the one that sets them, and nothing
        // in this test binary calls into C code that reads the environment concurrently.
        unsafe { std::env::set_var(name, value) };
    }
}

#[test]
fn the_environment_describes_the_same_policy() {
    set_vars(&[
        ("CFGTEST_FULL_STOP_ATTEMPTS", "5"),
        ("CFGTEST_FULL_STOP_ELAPSED", "30s"),
        ("CFGTEST_FULL_STOP_DEADLINE", "1m"),
        ("CFGTEST_FULL_WAIT_KIND", "exponential"),
        ("CFGTEST_FULL_WAIT_MULTIPLIER", "100ms"),
        ("CFGTEST_FULL_WAIT_MAX", "10s"),
        ("CFGTEST_FULL_WAIT_HONOR_RETRY_AFTER", "true"),
        ("CFGTEST_FULL_WAIT_RETRY_AFTER_MAX", "5m"),
        (
            "CFGTEST_FULL_RETRY_CODES",
            "InternalError, RequestLimitExceeded",
        ),
    ]);
    assert_eq!(PolicyConfig::from_env("CFGTEST_FULL").unwrap(), full());
    // A trailing `_` in the prefix is the same prefix.
    assert_eq!(PolicyConfig::from_env("CFGTEST_FULL_").unwrap(), full());
}

#[test]
fn no_variable_is_the_default_policy() {
    assert_eq!(
        PolicyConfig::from_env("CFGTEST_NOTHING_SET").unwrap(),
        PolicyConfig::default()
    );
}

#[test]
fn environment_errors_name_the_variable() {
    let error = |prefix: &str, vars: &[(&str, &str)]| -> ConfigError {
        set_vars(vars);
        PolicyConfig::from_env(prefix).unwrap_err()
    };
    let e = error("CFGTEST_E1", &[("CFGTEST_E1_STOP_ATEMPTS", "5")]);
    assert_eq!(e.field(), "CFGTEST_E1_STOP_ATEMPTS");
    assert_eq!(
        e.to_string(),
        "unknown variable `CFGTEST_E1_STOP_ATEMPTS`: `stop` has no setting `atempts`; expected `CFGTEST_E1_STOP_ATTEMPTS`, `CFGTEST_E1_STOP_RETRIES`, `CFGTEST_E1_STOP_ELAPSED` or `CFGTEST_E1_STOP_DEADLINE`"
    );
    assert_eq!(
        error("CFGTEST_E2", &[("CFGTEST_E2_STOPS_ATTEMPTS", "5")]).to_string(),
        "unknown variable `CFGTEST_E2_STOPS_ATTEMPTS`: `STOPS` is not a section; expected `CFGTEST_E2_STOP_*`, `CFGTEST_E2_WAIT_*` or `CFGTEST_E2_RETRY_*`"
    );
    assert_eq!(
        error("CFGTEST_E3", &[("CFGTEST_E3_STOP_ATTEMPTS", "five")]).to_string(),
        "`CFGTEST_E3_STOP_ATTEMPTS` is the string \"five\"; write a whole number from 1 to 4294967295"
    );
    // In a file's words: a negative, a fraction.
    assert_eq!(
        error("CFGTEST_E3N", &[("CFGTEST_E3N_STOP_ATTEMPTS", "-2")]).to_string(),
        "`CFGTEST_E3N_STOP_ATTEMPTS` is -2; write a whole number from 1 to 4294967295"
    );
    assert_eq!(
        error("CFGTEST_E3F", &[("CFGTEST_E3F_STOP_ATTEMPTS", "2.5")]).to_string(),
        "`CFGTEST_E3F_STOP_ATTEMPTS` is 2.5; write a whole number from 1 to 4294967295"
    );

    assert_eq!(
        error("CFGTEST_E4", &[("CFGTEST_E4_STOP_ATTEMPTS", "0")]).to_string(),
        "`CFGTEST_E4_STOP_ATTEMPTS` is 0, but the first attempt always happens: write 1 for a single attempt and no retry"
    );
    let e = error(
        "CFGTEST_E5",
        &[
            ("CFGTEST_E5_WAIT_KIND", "fixed"),
            ("CFGTEST_E5_WAIT_WAIT", "2s"),
            ("CFGTEST_E5_WAIT_JITTER", "1s"),
        ],
    );
    assert_eq!(e.field(), "CFGTEST_E5_WAIT_JITTER");
    assert_eq!(
        e.to_string(),
        "`CFGTEST_E5_WAIT_JITTER` is not a setting of `fixed` waits, which take `CFGTEST_E5_WAIT_WAIT`"
    );
    assert_eq!(
        error("CFGTEST_E6", &[("CFGTEST_E6_WAIT_KIND", "sometimes")]).to_string(),
        "`CFGTEST_E6_WAIT_KIND` is `sometimes`, which is not a wait kind: expected one of `fixed`, `none`, `random`, `incrementing`, `exponential`, `random_exponential`, `exponential_jitter` or `decorrelated_jitter`"
    );
    assert_eq!(
        error(
            "CFGTEST_E7",
            &[
                ("CFGTEST_E7_WAIT_KIND", "fixed"),
                ("CFGTEST_E7_WAIT_WAIT", "2 s")
            ]
        )
        .to_string(),
        "invalid duration `2 s` for `CFGTEST_E7_WAIT_WAIT`: write the unit right after the number, with no space: `2s`"
    );
    assert_eq!(
        error(
            "CFGTEST_E8",
            &[("CFGTEST_E8_WAIT_HONOR_RETRY_AFTER", "yes")]
        )
        .to_string(),
        "`CFGTEST_E8_WAIT_HONOR_RETRY_AFTER` is `yes`, which is not `true` or `false`"
    );
    assert_eq!(
        error("CFGTEST_E9", &[("CFGTEST_E9_RETRY_STATUSES", "429,abc")]).to_string(),
        "`CFGTEST_E9_RETRY_STATUSES` lists the string \"abc\"; statuses are whole numbers from 100 to 599, such as 503"
    );
    assert_eq!(
        error("CFGTEST_E10", &[("CFGTEST_E10_RETRY_CODES", "")]).to_string(),
        "`CFGTEST_E10_RETRY_CODES` is empty: list at least one code, or leave it out to retry every error"
    );
    let e = error("CFGTEST_E13", &[("CFGTEST_E13_RETRY_STATUSES", "429, 42")]);
    assert_eq!(e.field(), "CFGTEST_E13_RETRY_STATUSES");
    assert_eq!(
        e.to_string(),
        "`CFGTEST_E13_RETRY_STATUSES` lists 42, which is not an HTTP status (100 to 599)"
    );
    let e = error("CFGTEST_E14", &[("CFGTEST_E14_STOP_RETRIES", "-1")]);
    assert_eq!(e.field(), "CFGTEST_E14_STOP_RETRIES");
    assert_eq!(
        e.to_string(),
        "`CFGTEST_E14_STOP_RETRIES` is -1; write a whole number from 0 to 4294967295"
    );
    let e = error(
        "CFGTEST_E15",
        &[
            ("CFGTEST_E15_WAIT_KIND", "random"),
            ("CFGTEST_E15_WAIT_MIN", "1s"),
        ],
    );
    assert_eq!(e.field(), "CFGTEST_E15_WAIT_MAX");
    assert_eq!(
        e.to_string(),
        "`random` waits need `CFGTEST_E15_WAIT_MIN` and `CFGTEST_E15_WAIT_MAX`, the range each wait is drawn from"
    );
    assert_eq!(
        error("CFGTEST_E11", &[("CFGTEST_E11_STOP", "3")]).to_string(),
        "`CFGTEST_E11_STOP` names no setting: the variables are `CFGTEST_E11_<SECTION>_<SETTING>`, such as `CFGTEST_E11_STOP_ATTEMPTS`"
    );
    assert_eq!(
        error(
            "CFGTEST_E12",
            &[
                ("CFGTEST_E12_STOP_ATTEMPTS", "3"),
                ("CFGTEST_E12_stop_attempts", "4")
            ]
        )
        .field(),
        "CFGTEST_E12_stop_attempts"
    );
    assert!(PolicyConfig::from_env("").is_err());
    assert!(PolicyConfig::from_env("_").is_err());
}

#[test]
fn variables_kept_elsewhere_read_the_same() {
    let config = PolicyConfig::from_vars(
        "APP",
        [
            ("APP_WAIT_KIND", "none"),
            ("APPLE_WAIT_KIND", "ignored: another prefix"),
            ("PATH", "/bin"),
        ],
    )
    .unwrap();
    assert_eq!(config.wait.unwrap().kind, Some(WaitKind::None));
}

// ---- Configured policies at work ----

/// An SDK-style error: a code, and sometimes a wait the server asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ApiError {
    code: &'static str,
    retry_after: Option<Duration>,
}

impl ApiError {
    fn new(code: &'static str) -> Self {
        ApiError {
            code,
            retry_after: None,
        }
    }
}

impl ErrorCode for ApiError {
    fn error_code(&self) -> Option<&str> {
        Some(self.code)
    }
}

impl ServerHint for ApiError {
    fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

/// Fails with each error of `script` in turn, then succeeds with the number of calls.
fn scripted(calls: &Cell<u32>, script: &[ApiError]) -> Result<u32, ApiError> {
    let n = calls.get();
    calls.set(n + 1);
    match script.get(n as usize) {
        Some(error) => Err(*error),
        None => Ok(n + 1),
    }
}

#[test]
fn a_configured_policy_drives_call() {
    let config = toml(
        "[stop]\nattempts = 4\n[wait]\nkind = \"incrementing\"\nstart = \"1s\"\nincrement = \"500ms\"",
    );
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let outcome = config
        .policy()
        .unwrap()
        .sleeper(sleeper.clone())
        .call(|| scripted(&calls, &[ApiError::new("A"); 9]));
    assert_eq!(outcome, Err(ApiError::new("A")));
    assert_eq!(calls.get(), 4);
    assert_eq!(sleeper.sleeps(), [ms(1000), ms(1500), ms(2000)]);
}

/// Codes and a fixed wait, for a program whose errors carry codes.
static DETAILED: LazyLock<ValidPolicy<Detailed>> = LazyLock::new(|| {
    toml(
        "[stop]\nattempts = 5\n[wait]\nkind = \"fixed\"\nwait = \"2s\"\n[retry]\ncodes = [\"Throttled\", \"InternalError\"]",
    )
    .validate_for()
    .unwrap()
});

#[test]
fn codes_choose_what_is_retried() {
    let run = |script: &[ApiError]| {
        let sleeper = RecordingSleeper::new();
        let calls = Cell::new(0);
        let outcome = DETAILED
            .policy()
            .sleeper(sleeper.clone())
            .call(|| scripted(&calls, script));
        (outcome, calls.get(), sleeper.sleeps())
    };
    // Listed codes are retried until success…
    assert_eq!(
        run(&[ApiError::new("Throttled"), ApiError::new("InternalError")]),
        (Ok(3), 3, vec![secs(2), secs(2)])
    );
    // …and a code not listed ends the call at once.
    assert_eq!(
        run(&[ApiError::new("Throttled"), ApiError::new("AccessDenied")]),
        (Err(ApiError::new("AccessDenied")), 2, vec![secs(2)])
    );
}

#[test]
fn server_hints_are_honoured_when_configured() {
    let policy = toml(
        "[wait]\nkind = \"fixed\"\nwait = \"2s\"\nhonor_retry_after = true\nretry_after_max = \"3s\"",
    )
    .validate_for::<Detailed>()
    .unwrap();
    let hinted = |after: u64| ApiError {
        code: "Throttled",
        retry_after: Some(secs(after)),
    };

    // A hint at the cap is waited exactly (no room for jitter above it); no hint falls back to
    // the configured wait.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let outcome = policy
        .policy()
        .sleeper(sleeper.clone())
        .call(|| scripted(&calls, &[hinted(3), ApiError::new("InternalError")]));
    assert_eq!((outcome, calls.get()), (Ok(3), 3));
    assert_eq!(sleeper.sleeps(), [secs(3), secs(2)]);

    // A hint above `retry_after_max` ends the call with its error.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let outcome = policy
        .policy()
        .sleeper(sleeper.clone())
        .call(|| scripted(&calls, &[hinted(4)]));
    assert_eq!((outcome, calls.get()), (Err(hinted(4)), 1));
    assert!(sleeper.sleeps().is_empty());

    // Without `honor_retry_after`, the same hint is not read.
    let plain = toml("[wait]\nkind = \"fixed\"\nwait = \"2s\"")
        .validate_for::<Detailed>()
        .unwrap();
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let _ = plain
        .policy()
        .sleeper(sleeper.clone())
        .call(|| scripted(&calls, &[hinted(3)]));
    assert_eq!(sleeper.sleeps(), [secs(2)]);
}

#[test]
fn time_limits_stop_the_call() {
    // 1 s, 2 s, 4 s …: `elapsed` ends the call once 3 s have passed; `deadline` before a
    // sleep that would end past 5 s.
    let run = |stop: &str| {
        let sleeper = RecordingSleeper::new();
        let calls = Cell::new(0);
        let _ = toml(&format!("[stop]\n{stop}\n[wait]\nkind = \"exponential\""))
            .policy()
            .unwrap()
            .sleeper(sleeper.clone())
            .call(|| scripted(&calls, &[ApiError::new("A"); 20]));
        (calls.get(), sleeper.sleeps())
    };
    assert_eq!(run("elapsed = \"3s\""), (3, vec![secs(1), secs(2)]));
    assert_eq!(run("deadline = \"5s\""), (3, vec![secs(1), secs(2)]));
    assert_eq!(run("attempts = 2\nelapsed = \"1h\""), (2, vec![secs(1)]));
}

#[tokio::test(flavor = "current_thread")]
async fn a_configured_policy_drives_call_async() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let outcome = DETAILED
        .policy()
        .sleeper(sleeper.clone())
        .call_async(|| async {
            scripted(
                &calls,
                &[ApiError::new("Throttled"), ApiError::new("Throttled")],
            )
        })
        .await;
    assert_eq!((outcome, calls.get()), (Ok(3), 3));
    assert_eq!(sleeper.sleeps(), [secs(2), secs(2)]);
}

// ---- In the attribute ----

static FROM_TOML: LazyLock<ValidPolicy> = LazyLock::new(|| {
    toml("[stop]\nattempts = 4\n[wait]\nkind = \"exponential\"\nmultiplier = \"100ms\"\nmax = \"250ms\"")
        .validate()
        .unwrap()
});

#[retry(stop = FROM_TOML.stop(), wait = FROM_TOML.wait(), sleep = sleeper.clone())]
fn always_down(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    Err(format!("down {}", calls.get()))
}

#[test]
fn the_attribute_takes_configured_strategies() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(always_down(&sleeper, &calls), Err("down 4".into()));
    assert_eq!(calls.get(), 4);
    assert_eq!(sleeper.sleeps(), [ms(100), ms(200), ms(250)]);
}

#[retry(
    stop = DETAILED.stop(),
    wait = DETAILED.wait(),
    retry_if = DETAILED.condition(),
    sleep = sleeper.clone(),
)]
fn detailed(
    sleeper: &RecordingSleeper,
    calls: &Cell<u32>,
    script: &[ApiError],
) -> Result<u32, ApiError> {
    scripted(calls, script)
}

#[test]
fn the_attribute_takes_a_configured_condition() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let script = [
        ApiError::new("Throttled"),
        ApiError::new("InternalError"),
        ApiError::new("Throttled"),
    ];
    assert_eq!(detailed(&sleeper, &calls, &script), Ok(4));
    assert_eq!(sleeper.sleeps(), [secs(2); 3]);

    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let script = [ApiError::new("Throttled"), ApiError::new("NotFound")];
    assert_eq!(
        detailed(&sleeper, &calls, &script),
        Err(ApiError::new("NotFound"))
    );
    assert_eq!((calls.get(), sleeper.sleeps()), (2, vec![secs(2)]));

    // Five attempts at most, as configured.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let script = [ApiError::new("Throttled"); 10];
    assert!(detailed(&sleeper, &calls, &script).is_err());
    assert_eq!((calls.get(), sleeper.sleeps()), (5, vec![secs(2); 4]));
}

#[retry(stop = DETAILED.stop(), wait = DETAILED.wait(), retry_if = DETAILED.condition(), sleep = sleeper.clone())]
async fn detailed_async(
    sleeper: &RecordingSleeper,
    calls: &Cell<u32>,
    script: &[ApiError],
) -> Result<u32, ApiError> {
    scripted(calls, script)
}

#[tokio::test(flavor = "current_thread")]
async fn the_attribute_on_an_async_fn_takes_configured_strategies() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let script = [ApiError::new("InternalError"), ApiError::new("Throttled")];
    assert_eq!(detailed_async(&sleeper, &calls, &script).await, Ok(3));
    assert_eq!(sleeper.sleeps(), [secs(2), secs(2)]);
}

#[test]
fn decorrelated_jitter_keeps_its_memory_behind_the_box() {
    persevere::jitter::seed(7);
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let _ = toml("[stop]\nattempts = 30\n[wait]\nkind = \"decorrelated_jitter\"\ninitial = \"10ms\"\nmax = \"1s\"")
        .policy()
        .unwrap()
        .sleeper(sleeper.clone())
        .call(|| scripted(&calls, &[ApiError::new("A"); 40]));
    let sleeps = sleeper.sleeps();
    assert_eq!(sleeps.len(), 29);
    // Each wait is drawn from [initial, 3 × its own previous], capped at `max`.
    let mut previous = ms(10);
    for wait in sleeps {
        assert!(
            wait >= ms(10) && wait <= (previous * 3).min(secs(1)),
            "{wait:?}"
        );
        previous = wait;
    }
}

// ---- HTTP statuses ----

#[cfg(feature = "http")]
mod http_statuses {
    use super::*;
    use http::StatusCode;
    use persevere::config::Http;
    use persevere::http::HttpStatus;

    #[derive(Debug, Clone, PartialEq)]
    struct HttpError(u16);

    impl HttpStatus for HttpError {
        fn http_status(&self) -> Option<StatusCode> {
            StatusCode::from_u16(self.0).ok()
        }
    }
    impl ErrorCode for HttpError {
        fn error_code(&self) -> Option<&str> {
            None
        }
    }
    impl ServerHint for HttpError {
        fn retry_after(&self) -> Option<Duration> {
            None
        }
    }

    #[test]
    fn statuses_choose_what_is_retried() {
        let policy = toml("[wait]\nkind = \"none\"\n[retry]\nstatuses = [429, 503]")
            .validate_for::<Http>()
            .unwrap();
        let run = |script: &[u16]| {
            let calls = Cell::new(0);
            let outcome = policy.policy().call(|| {
                let n = calls.get();
                calls.set(n + 1);
                match script.get(n as usize) {
                    Some(status) => Err(HttpError(*status)),
                    None => Ok(n + 1),
                }
            });
            (outcome, calls.get())
        };
        assert_eq!(run(&[503, 429]), (Ok(3), 3));
        assert_eq!(run(&[503, 500]), (Err(HttpError(500)), 2));
    }
}

// ---- A whole configured policy in the attribute: `policy = ...` ----

static WHOLE: std::sync::LazyLock<persevere::config::ValidPolicy> =
    std::sync::LazyLock::new(|| {
        toml::from_str::<persevere::config::PolicyConfig>(
            "[stop]\nattempts = 4\n[wait]\nkind = \"fixed\"\nwait = \"3s\"\n",
        )
        .expect("valid")
        .validate()
        .expect("valid")
    });

#[persevere::retry(policy = WHOLE.policy(), sleep = sleeper.clone())]
fn whole_policy(sleeper: &persevere::sleep::RecordingSleeper) -> Result<(), String> {
    Err("down".into())
}

#[persevere::retry(policy = WHOLE.policy(), stop = attempts(2), sleep = sleeper.clone())]
fn adjusted_policy(sleeper: &persevere::sleep::RecordingSleeper) -> Result<(), String> {
    Err("down".into())
}

#[test]
fn the_attribute_takes_a_whole_configured_policy_and_adjusts_it() {
    let sleeper = persevere::sleep::RecordingSleeper::new();
    assert_eq!(whole_policy(&sleeper), Err("down".into()));
    assert_eq!(sleeper.sleeps(), [std::time::Duration::from_secs(3); 3]);

    let sleeper = persevere::sleep::RecordingSleeper::new();
    assert_eq!(adjusted_policy(&sleeper), Err("down".into()));
    assert_eq!(sleeper.sleeps(), [std::time::Duration::from_secs(3)]);
}

/// A configured stop gives the reason of the limit that stopped, as the runtime's own do.
#[test]
fn a_configured_stop_reports_which_limit_stopped() {
    let config: PolicyConfig = serde_json::from_str(
        r#"{"stop": {"attempts": 2}, "wait": {"kind": "fixed", "wait": "0s"}}"#,
    )
    .unwrap();
    let policy = config.validate().unwrap().policy::<(), &str>();
    let (_, report) = policy.call_reported(|| Err("down"));
    assert_eq!(
        (report.attempts(), report.ending()),
        (2, persevere::Ending::Attempts)
    );
}

/// The worst case of nested retries counts a configured stop's attempts (see `persevere::nested`).
#[test]
fn a_configured_stop_tells_its_attempt_limit() {
    let limit = |text: &str| {
        toml(text)
            .validate()
            .unwrap()
            .stop::<(), ()>()
            .attempt_limit()
    };
    assert_eq!(limit("[stop]\nattempts = 4\nelapsed = \"30s\""), Some(4));
    assert_eq!(limit("[stop]\nretries = 2\nelapsed = \"30s\""), Some(3));
    assert_eq!(limit("[stop]\nelapsed = \"30s\""), None);
}
