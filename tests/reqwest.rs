//! `persevere::reqwest`: reqwest clients, async and blocking, retried with no glue against a
//! scripted axum server on loopback, and the transport failures. Sleeps are recorded, not slept.

#[path = "support/pages.rs"]
mod pages;

use std::time::Duration;

use persevere::http::{HeaderHint, HintHeader};
use persevere::reqwest::{CheckStatus, HttpError, SendChecked};
use persevere::sleep::RecordingSleeper;
use persevere::{Ending, Policy, retry};
use reqwest::Method;
use reqwest::header::HeaderName;

#[retry(
    stop = attempts(3),
    retry_if = HttpError::is_transient,
    wait = server_hint(jitter = 0s, fallback = fixed(50ms)),
    sleep = sleeper.clone()
)]
async fn fetch(
    client: &reqwest::Client,
    url: &str,
    sleeper: &RecordingSleeper,
) -> Result<String, HttpError> {
    let response = client.get(url).send_checked().await?;
    Ok(response.text().await?)
}

#[tokio::test]
async fn every_header_family_is_honoured_exactly() {
    let (base, log) = pages::serve().await;
    let client = reqwest::Client::new();
    let cases: [(&str, Duration); 10] = [
        ("retry-after", Duration::from_secs(2)),
        // An HTTP-date, measured from the response's own `Date`.
        ("retry-after-date", Duration::from_secs(7)),
        ("ratelimit", Duration::from_secs(4)),
        ("ratelimit-reset", Duration::from_secs(5)),
        ("x-ratelimit-reset", Duration::from_secs(6)),
        ("amz", Duration::from_millis(1500)),
        ("grpc", Duration::from_millis(250)),
        // Garbage in five families: the sixth is read.
        ("garbage", Duration::from_millis(700)),
        // Garbage only: no hint, the fallback.
        ("all-garbage", Duration::from_millis(50)),
        ("flaky", Duration::from_millis(50)),
    ];
    for (page, wait) in cases {
        let sleeper = RecordingSleeper::new();
        let text = fetch(&client, &format!("{base}/{page}"), &sleeper).await;
        assert_eq!(text.unwrap(), "hello", "{page}");
        let expected = if page == "flaky" {
            vec![wait; 2]
        } else {
            vec![wait]
        };
        assert_eq!(sleeper.sleeps(), expected, "{page}");
    }
    assert_eq!(log.lines().len(), 21);
    assert_eq!(
        log.lines()[..2],
        ["GET /retry-after 429", "GET /retry-after 200"]
    );
}

/// The connector's `WaitTimeFromHeader` and `WaitUntilTimeFromHeader`, before `Retry-After`.
static CUSTOM_ORDER: std::sync::LazyLock<Vec<HintHeader>> = std::sync::LazyLock::new(|| {
    vec![
        HintHeader::Custom(
            HeaderHint::wait_time(HeaderName::from_static("wait_time"))
                .regex(r"\d+")
                .unwrap(),
        ),
        HintHeader::Custom(
            HeaderHint::wait_until(HeaderName::from_static("wait_until"))
                .regex(r"until=(\d+)")
                .unwrap()
                .min_wait(Duration::from_secs(5)),
        ),
        HintHeader::RetryAfter,
    ]
});

#[retry(
    stop = attempts(2),
    retry_if = HttpError::is_transient,
    wait = server_hint(jitter = 0s, fallback = fixed(50ms), headers = &*CUSTOM_ORDER),
    sleep = sleeper.clone()
)]
async fn fetch_custom(
    client: &reqwest::Client,
    url: &str,
    sleeper: &RecordingSleeper,
) -> Result<String, HttpError> {
    Ok(client.get(url).send_checked().await?.text().await?)
}

#[tokio::test]
async fn headers_of_the_servers_own_in_an_order_of_yours() {
    let (base, log) = pages::serve().await;
    let client = reqwest::Client::new();

    // `wait_time: retry in 3 seconds` wins over `Retry-After: 9`.
    let sleeper = RecordingSleeper::new();
    fetch_custom(&client, &format!("{base}/wait-time"), &sleeper)
        .await
        .unwrap();
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(3)]);

    // `wait_until: until=<two minutes from now>`.
    let sleeper = RecordingSleeper::new();
    fetch_custom(&client, &format!("{base}/wait-until"), &sleeper)
        .await
        .unwrap();
    let waited = sleeper.sleeps()[0];
    assert!(
        waited > Duration::from_secs(115) && waited <= Duration::from_secs(120),
        "{waited:?}"
    );

    // None of the order's headers: the fallback, although `X-RateLimit-Reset` says 6 s.
    let sleeper = RecordingSleeper::new();
    fetch_custom(&client, &format!("{base}/x-ratelimit-reset"), &sleeper)
        .await
        .unwrap();
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50)]);
    assert_eq!(log.lines().len(), 6);
}

#[tokio::test]
async fn a_hint_past_the_cap_ends_the_call_and_is_handed_back() {
    let (base, log) = pages::serve().await;
    let client = reqwest::Client::new();
    let sleeper = RecordingSleeper::new();
    let policy = Policy::new()
        .retry_if(HttpError::is_transient)
        .wait(persevere::wait::server_hint().jitter(Duration::ZERO))
        .sleeper(sleeper.clone());

    // A Unix timestamp an hour from now, past the 5 minute cap.
    let url = format!("{base}/x-ratelimit-reset-timestamp");
    let (outcome, report) = policy
        .call_async_reported(|| client.get(&url).send_checked())
        .await;
    let error = outcome.unwrap_err();
    assert_eq!(error.status(), Some(reqwest::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(error.body(), Some("slow down"));
    let refused = report.refused_wait().unwrap();
    assert!(
        refused > Duration::from_secs(3590) && refused <= Duration::from_secs(3600),
        "{refused:?}"
    );

    // gRPC's "do not retry": the call ends at once.
    let url = format!("{base}/grpc-stop");
    let (outcome, report) = policy
        .call_async_reported(|| client.get(&url).send_checked())
        .await;
    assert!(outcome.is_err());
    assert_eq!(report.attempts(), 1);
    assert_eq!(report.ending(), persevere::Ending::ServerRefused);
    assert_eq!(report.refused_wait(), None);
    assert!(sleeper.sleeps().is_empty());
    assert_eq!(
        log.lines(),
        ["GET /x-ratelimit-reset-timestamp 429", "GET /grpc-stop 429"]
    );
}

#[tokio::test]
async fn statuses_and_bodies_without_the_method() {
    let (base, log) = pages::serve().await;
    let client = reqwest::Client::new();
    let policy = Policy::new()
        .stop(persevere::stop::attempts(3))
        .retry_if(HttpError::is_transient)
        .wait(persevere::wait::none())
        .sleeper(RecordingSleeper::new());

    // `check_status` on a response sent by hand: the status alone decides, even for a POST.
    let url = format!("{base}/down");
    let outcome = policy
        .call_async(|| async { client.post(&url).send().await?.check_status().await })
        .await;
    assert_eq!(
        outcome.unwrap_err().to_string(),
        "HTTP 503 Service Unavailable"
    );

    // A 404 is not retried, and keeps what the server said.
    let url = format!("{base}/missing");
    let error = policy
        .call_async(|| client.get(&url).send_checked())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(reqwest::StatusCode::NOT_FOUND));
    assert_eq!(error.body(), Some("no such page"));
    assert_eq!(
        log.lines(),
        [
            "POST /down 503",
            "POST /down 503",
            "POST /down 503",
            "GET /missing 404"
        ]
    );
}

#[tokio::test]
async fn post_and_patch_are_sent_once_unless_keyed_or_opted_in() {
    let (base, log) = pages::serve().await;
    let client = reqwest::Client::new();
    let url = format!("{base}/down");
    let policy = Policy::new()
        .stop(persevere::stop::attempts(3))
        .retry_if(HttpError::is_transient)
        .wait(persevere::wait::none())
        .sleeper(RecordingSleeper::new());

    let methods = [
        "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "POST", "PATCH",
    ];
    for method in methods {
        let method: Method = method.parse().unwrap();
        let _ = policy
            .call_async(|| client.request(method.clone(), &url).send_checked())
            .await;
    }
    let count = |method: &str| {
        let prefix = format!("{method} /down 503");
        log.lines().iter().filter(|line| **line == prefix).count()
    };
    for method in &methods[..6] {
        assert_eq!(count(method), 3, "{method}");
    }
    assert_eq!((count("POST"), count("PATCH")), (1, 1));

    // An `Idempotency-Key` makes a POST safe to send again.
    log.clear();
    let _ = policy
        .call_async(|| {
            client
                .post(&url)
                .header("idempotency-key", "order-42")
                .send_checked()
        })
        .await;
    assert_eq!(count("POST"), 3);

    // So does the opt-in condition.
    log.clear();
    let opted_in = Policy::new()
        .stop(persevere::stop::attempts(3))
        .retry_if(HttpError::is_transient_any_method)
        .wait(persevere::wait::none())
        .sleeper(RecordingSleeper::new());
    let _ = opted_in
        .call_async(|| client.patch(&url).send_checked())
        .await;
    assert_eq!(count("PATCH"), 3);
}

#[tokio::test]
async fn transport_failures() {
    let policy = |sleeper: &RecordingSleeper| {
        Policy::new()
            .stop(persevere::stop::attempts(3))
            .retry_if(HttpError::is_transient)
            .wait(persevere::wait::fixed(Duration::from_millis(10)))
            .sleeper(sleeper.clone())
    };
    let client = reqwest::Client::new();

    // Nobody listens: the request never left, so even a POST is sent again.
    let url = pages::closed_port();
    let sleeper = RecordingSleeper::new();
    let error = policy(&sleeper)
        .call_async(|| client.post(&url).body("x").send_checked())
        .await
        .unwrap_err();
    assert!(error.never_sent(), "{error:?}");
    assert!(error.transport().is_some_and(reqwest::Error::is_connect));
    assert_eq!(sleeper.sleeps().len(), 2);

    // Accepted and closed at once: a GET is retried, a POST is not (it may have been read).
    let (url, accepted) = pages::closing_server();
    let sleeper = RecordingSleeper::new();
    let error = policy(&sleeper)
        .call_async(|| client.get(&url).send_checked())
        .await
        .unwrap_err();
    assert!(!error.never_sent() && error.is_transient(), "{error:?}");
    assert_eq!(*accepted.lock().unwrap(), 3);
    let error = policy(&sleeper)
        .call_async(|| client.post(&url).body("x").send_checked())
        .await
        .unwrap_err();
    assert!(!error.is_transient(), "{error:?}");
    assert_eq!(*accepted.lock().unwrap(), 4);

    // Accepted and never answered, past the client's timeout: retried, as a timeout.
    let (url, accepted) = pages::silent_server();
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(20))
        .build()
        .unwrap();
    let sleeper = RecordingSleeper::new();
    let error = policy(&sleeper)
        .call_async(|| impatient.get(&url).send_checked())
        .await
        .unwrap_err();
    assert!(
        error.transport().is_some_and(reqwest::Error::is_timeout),
        "{error:?}"
    );
    assert_eq!(*accepted.lock().unwrap(), 3);

    // A request that cannot be built: one attempt.
    let sleeper = RecordingSleeper::new();
    let error = policy(&sleeper)
        .call_async(|| client.get("not a url").send_checked())
        .await
        .unwrap_err();
    assert!(error.transport().is_some_and(reqwest::Error::is_builder));
    assert!(!error.is_transient());
    assert!(sleeper.sleeps().is_empty());
}

mod blocking {
    use super::*;
    use persevere::reqwest::blocking::SendChecked;

    #[retry(
        stop = attempts(3),
        retry_if = retryable_status().from_ok() | any_error(),
        wait = server_hint(jitter = 0s, fallback = fixed(50ms)).from_ok(),
        sleep = sleeper.clone()
    )]
    fn get_response(
        client: &reqwest::blocking::Client,
        url: &str,
        sleeper: &RecordingSleeper,
    ) -> Result<reqwest::blocking::Response, reqwest::Error> {
        client.get(url).send()
    }

    #[test]
    fn a_blocking_response_returned_as_ok_is_retried_by_its_status_and_hint() {
        let (base, _log) = pages::serve_on_thread();
        let client = reqwest::blocking::Client::new();
        let sleeper = RecordingSleeper::new();
        let response = get_response(&client, &format!("{base}/retry-after"), &sleeper);
        assert_eq!(response.unwrap().status(), 200);
        assert_eq!(sleeper.sleeps(), [Duration::from_secs(2)]);
        let sleeper = RecordingSleeper::new();
        let response = get_response(&client, &format!("{base}/missing"), &sleeper);
        assert_eq!(response.unwrap().status(), 404);
        assert!(sleeper.sleeps().is_empty());
    }

    #[retry(
        stop = attempts(3),
        retry_if = HttpError::is_transient,
        wait = server_hint(jitter = 0s, fallback = fixed(50ms)),
        sleep = sleeper.clone()
    )]
    fn fetch(
        client: &reqwest::blocking::Client,
        url: &str,
        sleeper: &RecordingSleeper,
    ) -> Result<String, HttpError> {
        Ok(client.get(url).send_checked()?.text()?)
    }

    #[test]
    fn the_blocking_client_with_no_glue() {
        let (base, log) = pages::serve_on_thread();
        let client = reqwest::blocking::Client::new();

        let sleeper = RecordingSleeper::new();
        assert_eq!(
            fetch(&client, &format!("{base}/flaky"), &sleeper).unwrap(),
            "hello"
        );
        assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);

        let sleeper = RecordingSleeper::new();
        assert_eq!(
            fetch(&client, &format!("{base}/amz"), &sleeper).unwrap(),
            "hello"
        );
        assert_eq!(sleeper.sleeps(), [Duration::from_millis(1500)]);

        let sleeper = RecordingSleeper::new();
        let error = fetch(&client, &format!("{base}/missing"), &sleeper).unwrap_err();
        assert_eq!(error.body(), Some("no such page"));

        // A POST is sent once; nobody listening, it is sent again.
        let error = persevere::Policy::new()
            .stop(persevere::stop::attempts(3))
            .retry_if(HttpError::is_transient)
            .sleeper(RecordingSleeper::new())
            .call(|| client.post(format!("{base}/down")).send_checked())
            .unwrap_err();
        assert_eq!(
            error.status(),
            Some(reqwest::StatusCode::SERVICE_UNAVAILABLE)
        );
        let closed = pages::closed_port();
        let sleeper = RecordingSleeper::new();
        let error = persevere::Policy::new()
            .stop(persevere::stop::attempts(3))
            .retry_if(HttpError::is_transient)
            .sleeper(sleeper.clone())
            .call(|| client.post(&closed).send_checked())
            .unwrap_err();
        assert!(error.never_sent());
        assert_eq!(sleeper.sleeps().len(), 2);

        assert_eq!(
            log.lines(),
            [
                "GET /flaky 503",
                "GET /flaky 503",
                "GET /flaky 200",
                "GET /amz 429",
                "GET /amz 200",
                "GET /missing 404",
                "POST /down 503",
            ]
        );
        let _ = Ending::Succeeded;
    }

    /// The blocking client's bodies cut short: a GET read through `text_checked` is retried, a
    /// POST without a key is not sent again.
    #[test]
    fn a_blocking_body_cut_short() {
        use persevere::reqwest::blocking::ReadChecked;
        let (url, accepted) = pages::truncating_server();
        let client = reqwest::blocking::Client::new();
        let policy = persevere::Policy::new()
            .stop(persevere::stop::attempts(3))
            .retry_if(HttpError::is_transient)
            .sleeper(RecordingSleeper::new());
        let error = policy
            .call(|| client.get(&url).send_checked()?.text_checked())
            .unwrap_err();
        assert!(error.is_transient(), "{error:?}");
        assert_eq!(*accepted.lock().unwrap(), 3);
        let error = policy
            .call(|| client.post(&url).send_checked()?.bytes_checked())
            .unwrap_err();
        assert!(!error.is_transient(), "{error:?}");
        assert_eq!(*accepted.lock().unwrap(), 4);
    }
}

/// A request `send_checked` has sent is known to a time limit that cuts its attempt: a POST
/// without an `Idempotency-Key` cut by `timeout = ..` is not sent again (it may have been acted
/// on), a GET is, through the attribute and through `Policy`.
#[retry(stop = attempts(3), retry_if = HttpError::is_transient, wait = 1ms, timeout = 50ms)]
async fn cut_short(
    client: &reqwest::Client,
    method: &Method,
    url: &str,
    attempts: &std::sync::atomic::AtomicU32,
) -> Result<String, HttpError> {
    attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    Ok(client
        .request(method.clone(), url)
        .body("x")
        .send_checked()
        .await?
        .text()
        .await?)
}

#[tokio::test(start_paused = true)]
async fn a_time_limit_knows_the_request_it_cut() {
    use std::sync::atomic::{AtomicU32, Ordering};
    let (url, _accepted) = pages::silent_server();
    let client = reqwest::Client::new();
    for (method, expected) in [(Method::POST, 1), (Method::GET, 3)] {
        let attempts = AtomicU32::new(0);
        let error = cut_short(&client, &method, &url, &attempts)
            .await
            .unwrap_err();
        assert!(error.timeout().is_some(), "{error:?}");
        assert_eq!(attempts.load(Ordering::SeqCst), expected, "{method}");
    }
    let policy = Policy::new()
        .retry_if(HttpError::is_transient)
        .wait(persevere::wait::none())
        .timeout(Duration::from_millis(50));
    let (outcome, report) = policy
        .call_async_reported(|| client.post(&url).body("x").send_checked())
        .await;
    assert!(outcome.unwrap_err().timeout().is_some());
    assert_eq!(report.attempts(), 1);
    // Outside an attempt with a time limit, nothing is remembered: a timeout made here is
    // of a request not known.
    assert_eq!(
        HttpError::from(persevere::Timeout::new(Duration::from_secs(1), false)).resend(),
        persevere::http::Resend::Unknown
    );
}

/// A body cut short while it is read is a cut-short connection: read through `text_checked`,
/// which knows the request, a GET is retried and a POST without a key is not sent again. Read
/// through reqwest's own `text()`, the request is not known and a response arrived: not sent again.
#[tokio::test]
async fn a_body_cut_short_is_retried_when_the_request_may_be_sent_again() {
    use persevere::reqwest::ReadChecked;
    let (url, accepted) = pages::truncating_server();
    let client = reqwest::Client::new();
    let policy = Policy::new()
        .retry_if(HttpError::is_transient)
        .wait(persevere::wait::none())
        .stop(persevere::stop::attempts(3));
    let error = policy
        .call_async(|| async { client.get(&url).send_checked().await?.text_checked().await })
        .await
        .unwrap_err();
    assert!(error.is_transient_any_method(), "{error:?}");
    assert_eq!(*accepted.lock().unwrap(), 3);
    let error = policy
        .call_async(|| async { client.post(&url).send_checked().await?.text_checked().await })
        .await
        .unwrap_err();
    assert!(!error.is_transient(), "{error:?}");
    assert_eq!(*accepted.lock().unwrap(), 4);
    let error = policy
        .call_async(|| async {
            client
                .post(&url)
                .header("idempotency-key", "k")
                .send_checked()
                .await?
                .bytes_checked()
                .await
        })
        .await
        .unwrap_err();
    assert!(error.is_transient(), "{error:?}");
    assert_eq!(*accepted.lock().unwrap(), 7);
    // reqwest's own `text()`: the request is not known.
    let error = policy
        .call_async(|| async { Ok(client.get(&url).send_checked().await?.text().await?) })
        .await
        .unwrap_err();
    assert!(
        error.is_transient_any_method() && !error.is_transient(),
        "{error:?}"
    );
    assert_eq!(*accepted.lock().unwrap(), 8);
}

// ---- a configured list of statuses, for an error with statuses and hints but no codes ----------

static CONFIGURED: std::sync::LazyLock<
    persevere::config::ValidPolicy<persevere::config::Responses>,
> = std::sync::LazyLock::new(|| {
    let config: persevere::config::PolicyConfig = serde_json::from_str(
        r#"{
                "stop": { "attempts": 3 },
                "retry": { "statuses": [503] },
                "wait": { "kind": "fixed", "wait": "50ms", "honor_retry_after": true }
            }"#,
    )
    .unwrap();
    config.validate_for().unwrap()
});

#[retry(
    stop = CONFIGURED.stop(),
    wait = CONFIGURED.wait(),
    retry_if = CONFIGURED.condition(),
    sleep = sleeper.clone()
)]
async fn fetch_configured(
    client: &reqwest::Client,
    url: &str,
    sleeper: &RecordingSleeper,
) -> Result<String, HttpError> {
    let response = client.get(url).send_checked().await?;
    Ok(response.text().await?)
}

#[tokio::test]
async fn configured_statuses_retry_an_http_error() {
    let (base, log) = pages::serve().await;
    let client = reqwest::Client::new();
    // Two 503s, a listed status: retried after the configured wait.
    let sleeper = RecordingSleeper::new();
    let text = fetch_configured(&client, &format!("{base}/flaky"), &sleeper).await;
    assert_eq!(text.unwrap(), "hello");
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);
    // A 429 is not listed: returned at once.
    let sleeper = RecordingSleeper::new();
    let error = fetch_configured(&client, &format!("{base}/retry-after"), &sleeper)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert!(sleeper.sleeps().is_empty());

    // The same configuration as a whole policy.
    log.clear();
    let sleeper = RecordingSleeper::new();
    let outcome = CONFIGURED
        .policy::<String, HttpError>()
        .sleeper(sleeper.clone())
        .call_async(|| async {
            let response = client.get(format!("{base}/flaky")).send_checked().await?;
            Ok(response.text().await?)
        })
        .await;
    assert_eq!(outcome.unwrap(), "hello");
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);
    assert_eq!(log.lines().len(), 3);
}

// ---- a reqwest response returned as `Ok`, retried by its status and hint with `.from_ok()` -----

#[retry(
    stop = attempts(3),
    retry_if = retryable_status().from_ok() | any_error(),
    wait = server_hint(jitter = 0s, fallback = fixed(50ms)).from_ok(),
    sleep = sleeper.clone()
)]
async fn get_response(
    client: &reqwest::Client,
    url: &str,
    sleeper: &RecordingSleeper,
) -> Result<reqwest::Response, reqwest::Error> {
    client.get(url).send().await
}

#[tokio::test]
async fn a_response_returned_as_ok_is_retried_by_its_status_and_hint() {
    let (base, _log) = pages::serve().await;
    let client = reqwest::Client::new();
    // Two 503s without a hint: the fallback.
    let sleeper = RecordingSleeper::new();
    let response = get_response(&client, &format!("{base}/flaky"), &sleeper).await;
    assert_eq!(response.unwrap().status(), 200);
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);
    // A 429 asking for 2 s.
    let sleeper = RecordingSleeper::new();
    let response = get_response(&client, &format!("{base}/retry-after"), &sleeper).await;
    assert_eq!(response.unwrap().status(), 200);
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(2)]);
    // A 404 is not a retryable status: returned as it is.
    let sleeper = RecordingSleeper::new();
    let response = get_response(&client, &format!("{base}/missing"), &sleeper).await;
    assert_eq!(response.unwrap().status(), 404);
    assert!(sleeper.sleeps().is_empty());
}

/// The same through `Policy`: the response's status and hint are read as the attribute reads them.
#[tokio::test]
async fn a_policy_retries_a_response_returned_as_ok_by_its_status_and_hint() {
    use persevere::condition::any_error;
    use persevere::http::retryable_status;
    use persevere::stop::attempts;
    use persevere::wait::{fixed, server_hint};

    let (base, _log) = pages::serve().await;
    let client = reqwest::Client::new();
    let get = async |path: &str, sleeper: &RecordingSleeper| {
        Policy::new()
            .stop(attempts(3))
            .retry_if(retryable_status().from_ok() | any_error())
            .wait(
                server_hint()
                    .jitter(Duration::ZERO)
                    .fallback(fixed(Duration::from_millis(50)))
                    .from_ok(),
            )
            .sleeper(sleeper.clone())
            .call_async(|| client.get(format!("{base}{path}")).send())
            .await
    };
    let sleeper = RecordingSleeper::new();
    assert_eq!(get("/flaky", &sleeper).await.unwrap().status(), 200);
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);
    let sleeper = RecordingSleeper::new();
    assert_eq!(get("/retry-after", &sleeper).await.unwrap().status(), 200);
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(2)]);
    let sleeper = RecordingSleeper::new();
    assert_eq!(get("/missing", &sleeper).await.unwrap().status(), 404);
    assert!(sleeper.sleeps().is_empty());

    // Blocking, on a thread of its own (the blocking client runs its own runtime).
    let (base, _log) = pages::serve_on_thread();
    let sleeper = RecordingSleeper::new();
    let status = std::thread::spawn({
        let sleeper = sleeper.clone();
        move || {
            let client = reqwest::blocking::Client::new();
            Policy::new()
                .stop(attempts(3))
                .retry_if(retryable_status().from_ok() | any_error())
                .wait(server_hint().jitter(Duration::ZERO).from_ok())
                .sleeper(sleeper)
                .call(|| client.get(format!("{base}/retry-after")).send())
                .map(|response| response.status())
        }
    })
    .join()
    .unwrap();
    assert_eq!(status.unwrap(), 200);
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(2)]);
}

#[retry(stop = attempts(3), retry_if = HttpError::is_transient, wait = 1ms, sleep = sleeper.clone())]
async fn through_error_for_status(
    client: &reqwest::Client,
    url: &str,
    sleeper: &RecordingSleeper,
) -> Result<String, HttpError> {
    Ok(client
        .get(url)
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?)
}

/// An `HttpError` made by `?` from reqwest's own `error_for_status()` is classified by its
/// status, as one made from a response is: a 503 is transient, a 404 is not.
#[tokio::test]
async fn a_status_error_from_reqwest_itself_is_classified_by_its_status() {
    let (base, _log) = pages::serve().await;
    let client = reqwest::Client::new();
    let sleeper = RecordingSleeper::new();
    let url = format!("{base}/flaky");
    assert_eq!(
        through_error_for_status(&client, &url, &sleeper)
            .await
            .unwrap(),
        "hello"
    );
    assert_eq!(sleeper.sleeps().len(), 2);

    let sleeper = RecordingSleeper::new();
    let error = through_error_for_status(&client, &format!("{base}/missing"), &sleeper)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(404));
    assert!(!error.is_transient());
    assert!(sleeper.sleeps().is_empty());

    // Through `Policy`, the same.
    let sleeper = RecordingSleeper::new();
    let down = format!("{base}/down");
    let (outcome, report) = Policy::new()
        .stop(persevere::stop::attempts(2))
        .retry_if(HttpError::is_transient)
        .sleeper(sleeper.clone())
        .call_async_reported(|| async {
            let response = client.get(&down).send().await?;
            Ok::<_, HttpError>(response.error_for_status()?.status())
        })
        .await;
    let error = outcome.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert!(error.is_transient() && error.is_transient_any_method());
    assert_eq!(report.attempts(), 2);
}
