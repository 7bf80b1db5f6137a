//! Each demo in `examples/`, run against its loopback server with sleeps skipped, asserting what
//! the server saw.

use std::time::Duration;

#[path = "../kms.rs"]
mod kms;

#[test]
fn kms_retries_only_its_two_codes_with_its_backoff() {
    let _skip = persevere::testing::skip_sleeps();
    let report = kms::demo().expect("the demo's server starts");
    assert_eq!(
        report.requests,
        [
            "ENCRYPT secret -> ERR RequestLimitExceeded",
            "ENCRYPT secret -> ERR RequestLimitExceeded",
            "ENCRYPT secret -> ERR InternalError",
            "ENCRYPT secret -> OK terces",
            "ENCRYPT forbidden -> ERR AccessDenied",
        ]
    );
    // 2^n × 100 ms; none before giving up on `AccessDenied`.
    assert_eq!(report.waits, [100, 200, 400].map(Duration::from_millis));
    assert_eq!(
        report.outcomes,
        [
            Ok("terces".to_owned()),
            Err(kms::KmsError::Code("AccessDenied".into()))
        ]
    );
}

#[path = "../../demo/webhook.rs"]
mod webhook;

#[tokio::test]
async fn webhook_retries_what_is_transient_and_waits_what_the_server_asks() {
    let _skip = persevere::testing::skip_sleeps();
    let report = webhook::demo().await.expect("the demo's server starts");
    assert_eq!(
        report.requests,
        [
            "POST /hooks/general -> 200",
            // A 404 is never retried.
            "POST /hooks/missing -> 404",
            // A 500 is retried until the stop: 4 attempts.
            "POST /hooks/flaky -> 500",
            "POST /hooks/flaky -> 500",
            "POST /hooks/flaky -> 500",
            "POST /hooks/flaky -> 500",
            // A 429 with `Retry-After: 1` is retried once the wait is over.
            "POST /hooks/busy -> 429",
            "POST /hooks/busy -> 200",
        ]
    );
    let outcomes: Vec<(&str, bool)> = report
        .outcomes
        .iter()
        .map(|(channel, outcome)| (*channel, outcome.is_ok()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("general", true),
            ("missing", false),
            ("flaky", false),
            ("busy", true)
        ]
    );
}

/// The wait the webhook client plans for the 429: at least the server's second, at most a
/// tenth of a second more.
#[tokio::test(start_paused = true)]
async fn webhook_waits_at_least_the_servers_retry_after() {
    let started = tokio::time::Instant::now();
    let report = webhook::demo().await.expect("the demo's server starts");
    assert!(
        report
            .outcomes
            .iter()
            .any(|(channel, outcome)| *channel == "busy" && outcome.is_ok())
    );
    // Backoff for `flaky` (50 + 100 + 200 ms) and the hint for `busy` (1 s + up to 100 ms).
    let slept = started.elapsed();
    assert!(slept >= Duration::from_millis(1350), "{slept:?}");
    assert!(slept <= Duration::from_millis(1450), "{slept:?}");
}

#[path = "../connector.rs"]
mod connector;

#[tokio::test]
async fn connector_follows_its_configured_error_handler() {
    use persevere::Ending;

    let report = connector::demo().await.expect("the demo's server starts");
    assert_eq!(
        report.requests,
        [
            "GET /records?page=1 -> 200",
            // 429: retried after the `wait_time` header's 1 s.
            "GET /records?page=2 -> 429",
            "GET /records?page=2 -> 200",
            // 503 twice: no filter matches, so the default retries it, with the first
            // handler's constant 5 s.
            "GET /records?page=3 -> 503",
            "GET /records?page=3 -> 503",
            "GET /records?page=3 -> 200",
            // 200 with a `code` field twice: the predicate retries it, 5 s apart.
            "GET /records?page=4 -> 200",
            "GET /records?page=4 -> 200",
            "GET /records?page=4 -> 200",
            // 404: ignored at once.
            "GET /records?page=5 -> 404",
            // 403 always: exponential backoff until its handler's `max_retries: 2`.
            "GET /records?page=6 -> 403",
            "GET /records?page=6 -> 403",
            "GET /records?page=6 -> 403",
            // 400 saying "ignorethisresponse": ignored at once.
            "GET /records?page=7 -> 400",
        ]
    );
    let secs = Duration::from_secs;
    let seen: Vec<(u32, bool, Ending, Vec<Duration>)> = report
        .pages
        .iter()
        .map(|read| {
            (
                read.page,
                read.outcome.is_ok(),
                read.ending,
                read.waits.clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (1, true, Ending::Succeeded, vec![]),
            (2, true, Ending::Succeeded, vec![secs(1)]),
            (3, true, Ending::Succeeded, vec![secs(5), secs(5)]),
            (4, true, Ending::Succeeded, vec![secs(5), secs(5)]),
            (5, false, Ending::Ignored, vec![]),
            (6, false, Ending::Attempts, vec![secs(10), secs(20)]),
            (7, false, Ending::Ignored, vec![]),
        ]
    );
    // A page read is the records, not a `code` still pending; an ignored page is still its
    // error, for the caller to skip.
    assert!(
        report.pages[3]
            .outcome
            .as_ref()
            .unwrap()
            .contains("records")
    );
    assert_eq!(
        report.pages[6].outcome.as_ref().unwrap_err(),
        "HTTP 400 Bad Request: ignorethisresponse"
    );
}

#[test]
fn the_connectors_file_is_valid_and_a_bad_one_names_its_setting() {
    let text = include_str!("../connector.yaml");
    let file = connector::ConnectorFile::from_yaml(text).expect("connector.yaml is valid");
    assert_eq!(file.requester.error_handler.handlers().len(), 4);
    let bad = text.replace("action: IGNORE", "action: IGNOR");
    let error = connector::ConnectorFile::from_yaml(&bad)
        .err()
        .expect("a bad action is an error");
    assert!(
        error.contains(
            "`error_handlers[3].response_filters[0].action` is the string \"IGNOR\"; write one of `RETRY`, `FAIL`, `IGNORE` or `SUCCESS`; did you mean `IGNORE`?"
        ) && error.contains("line 34 column 21"),
        "{error}"
    );
}

#[path = "../observe.rs"]
mod observe;

#[test]
fn observe_reports_each_call_through_the_attribute_and_the_policy() {
    use persevere::{Ending, OutcomeKind};

    let _skip = persevere::testing::skip_sleeps();
    let recorder = persevere::testing::record();
    let demo = observe::demo().expect("the demo's servers start");
    assert_eq!(demo.greeting, "hello from the server");
    assert_eq!(demo.outcome.ok().as_deref(), Some("hello from the server"));

    let waits = Some(vec![Duration::from_millis(20), Duration::from_millis(40)]);
    let outcomes = Some(vec![OutcomeKind::Err, OutcomeKind::Err, OutcomeKind::Ok]);
    assert_eq!(demo.report.attempts(), 3);
    assert_eq!(demo.report.ending(), Ending::Succeeded);
    assert_eq!(demo.report.waits(), waits);
    assert_eq!(demo.report.outcomes(), outcomes);

    // The recorder saw both calls: the attribute's first, then the policy's.
    let reports = recorder.reports();
    let names: Vec<String> = reports.iter().map(|r| r.function().to_string()).collect();
    assert_eq!(
        names,
        ["demos::observe::fetch_greeting", "observe::read_line"]
    );
    assert!(
        reports
            .iter()
            .all(|r| r.waits() == waits && r.outcomes() == outcomes)
    );
}

#[path = "../tower.rs"]
mod tower_demo;

#[tokio::test]
async fn tower_demo_retries_through_the_layer_and_hands_back_the_last_answer() {
    let _skip = persevere::testing::skip_sleeps();
    let report = tower_demo::demo().await.expect("the demo's server starts");
    assert_eq!(
        report.requests,
        [
            // 503 twice, then 200: three attempts, numbered by the layer.
            "GET /flaky -> 503 #1",
            "GET /flaky -> 503 #2",
            "GET /flaky -> 200 #3",
            // 429 with `Retry-After: 1`: once more after the wait.
            "GET /limited -> 429 #1",
            "GET /limited -> 200 #2",
            // A POST without an `Idempotency-Key` is not sent twice.
            "POST /orders -> 503 #1",
        ]
    );
    let answers: Vec<(&str, u16)> = report
        .answers
        .iter()
        .map(|(call, status)| (call.as_str(), *status))
        .collect();
    assert_eq!(
        answers,
        [
            ("GET /flaky", 200),
            ("GET /limited", 200),
            ("POST /orders", 503)
        ]
    );
}

#[path = "../sdk.rs"]
mod sdk;

#[test]
fn sdk_follows_its_global_settings_and_each_calls_options() {
    let sleeper = persevere::sleep::RecordingSleeper::new();
    let report = sdk::demo(sleeper.clone()).expect("the demo's service starts");
    assert_eq!(report.requests, sdk::EXPECTED_REQUESTS);

    let ms = Duration::from_millis;
    let waits_for = |request: &str| -> Vec<Duration> {
        report
            .waits
            .iter()
            .filter(|(asked, _)| asked == request)
            .map(|(_, wait)| *wait)
            .collect()
    };
    // The global backoff: jittered, `base + U(0, base)` with base 20 ms · 2ⁿ, capped at 60 ms.
    for request in ["DescribeInstances i-1", "CreateCommand cmd-1"] {
        let waits = waits_for(request);
        assert_eq!(waits.len(), 2, "{request}");
        assert!(
            ms(20) <= waits[0] && waits[0] <= ms(40),
            "{request}: {waits:?}"
        );
        assert!(
            ms(40) <= waits[1] && waits[1] <= ms(80),
            "{request}: {waits:?}"
        );
    }
    // Each call's own options.
    assert_eq!(waits_for("ListImages all"), [20, 40, 60, 60].map(ms));
    assert_eq!(waits_for("RunCommand cmd-1"), [Duration::ZERO]);
    assert_eq!(waits_for("ModifyInstance i-1"), [5, 10].map(ms));
    for never_retried in [
        "DeleteInstance i-1",
        "StopInstance i-1",
        "CreateCommand cmd-2",
    ] {
        assert_eq!(waits_for(never_retried), [], "{never_retried}");
    }
    // The replaced default: one retry.
    let replaced = waits_for("DescribeInstances i-2");
    assert!(replaced.len() == 1 && ms(20) <= replaced[0] && replaced[0] <= ms(40));

    // The sleeper slept exactly those waits, in order.
    let planned: Vec<Duration> = report.waits.iter().map(|(_, wait)| *wait).collect();
    assert_eq!(sleeper.sleeps(), planned);

    let succeeded: Vec<(&str, bool)> = report
        .outcomes
        .iter()
        .map(|(request, outcome)| (request.as_str(), outcome.is_ok()))
        .collect();
    assert_eq!(
        succeeded,
        [
            ("DescribeInstances i-1", true),
            ("CreateCommand cmd-1", true),
            ("DeleteInstance i-1", false),
            ("ListImages all", false),
            ("RunCommand cmd-1", false),
            ("StopInstance i-1", false),
            ("ModifyInstance i-1", true),
            ("CreateCommand cmd-2", false),
            ("DescribeInstances i-2", false),
        ]
    );
}

#[test]
fn the_sdks_settings_file_is_valid_and_a_bad_one_names_its_setting() {
    let text = include_str!("../sdk.toml");
    assert!(toml::from_str::<persevere::config::SettingsConfig>(text).is_ok());
    let bad = text.replace("ExponentialWithRandomJitterBackoffStrategy", "Jittered");
    let error = toml::from_str::<persevere::config::SettingsConfig>(&bad).unwrap_err();
    assert!(
        error.message().starts_with(
            "`backoff_strategy` is the string \"Jittered\"; write `NoBackoffStrategy`"
        ),
        "{error}"
    );
}

#[path = "../outage.rs"]
mod outage;

/// Over loopback on tokio's paused clock: the backoff and the breaker's cool-down take no real
/// time. The counts; `tests/outage.rs` asserts the exact times against the server's logic.
#[tokio::test(start_paused = true)]
async fn outage_breaker_and_budgets_per_host_bound_the_load() {
    let seen = outage::demo().await.expect("the demo's server starts");
    assert_eq!(
        (seen.unprotected.requests, seen.unprotected.failed),
        (80, 20)
    );
    assert_eq!(seen.unprotected.per_call(), 4.0);
    assert_eq!((seen.breaker.requests, seen.breaker.refused), (4, 19));
    assert_eq!(seen.breaker.per_call(), 0.2);
    assert_eq!(
        (seen.shared_budget.requests, seen.shared_budget.failed),
        (10, 5)
    );
    assert_eq!(
        (seen.budget_per_host.requests, seen.budget_per_host.failed),
        (10, 5)
    );
    assert!(!seen.search_with_shared_budget);
    assert!(seen.search_with_budget_per_host);
    assert_eq!(seen.probe_requests, 1);
    assert_eq!(
        seen.breaker_after_probe,
        Some(persevere::breaker::BreakerState::Closed)
    );
    // One call in ten meets a slow turn of `catalog`; hedging sends one extra request for each.
    assert_eq!(
        (seen.catalog_plain.requests, seen.catalog_plain.failed),
        (40, 0)
    );
    assert_eq!(
        (seen.catalog_hedged.requests, seen.catalog_hedged.failed),
        (44, 0)
    );
    assert_eq!(seen.catalog_hedged.per_call(), 1.1);
}
