//! `persevere::reqwest::RetryMiddleware`: the policy written for `#[retry]` functions, run by
//! reqwest-middleware around each request, against a scripted axum server on loopback.

#[path = "support/pages.rs"]
mod pages;

use std::time::Duration;

use persevere::reqwest::{HttpError, RetryMiddleware};
use persevere::sleep::RecordingSleeper;
use persevere::stop::attempts;
use persevere::wait::{fixed, server_hint};
use persevere::{Ending, Policy, Report};
use reqwest::StatusCode;
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware};

fn client(sleeper: &RecordingSleeper) -> ClientWithMiddleware {
    let policy = Policy::new()
        .stop(attempts(3))
        .retry_if(HttpError::is_transient)
        .wait(
            server_hint()
                .fallback(fixed(Duration::from_millis(50)))
                .jitter(Duration::ZERO),
        )
        .sleeper(sleeper.clone());
    ClientBuilder::new(reqwest::Client::new())
        .with(
            RetryMiddleware::new(policy)
                .attempt_header(http::HeaderName::from_static("x-retry-attempt")),
        )
        .build()
}

#[tokio::test]
async fn statuses_hints_and_the_report() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let client = client(&sleeper);

    let response = client.get(format!("{base}/flaky")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let report = response.extensions().get::<Report>().unwrap().clone();
    assert_eq!((report.attempts(), report.ending()), (3, Ending::Succeeded));
    assert_eq!(response.text().await.unwrap(), "hello");
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);

    // The hint, exactly: no backoff on top.
    let response = client
        .get(format!("{base}/retry-after"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sleeper.sleeps()[2..], [Duration::from_secs(2)]);

    // A 404 is handed back as it came, with no retry.
    let response = client.get(format!("{base}/missing")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.text().await.unwrap(), "no such page");

    // Attempts exhausted: the last response, not an error.
    let response = client.get(format!("{base}/down")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let report = response.extensions().get::<Report>().unwrap();
    assert_eq!((report.attempts(), report.ending()), (3, Ending::Attempts));

    assert_eq!(
        log.lines(),
        [
            "GET /flaky 503 #1",
            "GET /flaky 503 #2",
            "GET /flaky 200 #3",
            "GET /retry-after 429 #1",
            "GET /retry-after 200 #2",
            "GET /missing 404 #1",
            "GET /down 503 #1",
            "GET /down 503 #2",
            "GET /down 503 #3",
        ]
    );
}

#[tokio::test]
async fn methods_keys_and_the_opt_in() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let client = client(&sleeper);
    let url = format!("{base}/down");

    let response = client.post(&url).body("x").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    client
        .post(&url)
        .header("idempotency-key", "k")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(log.lines().len(), 4);

    log.clear();
    let opted_in = ClientBuilder::new(reqwest::Client::new())
        .with(
            RetryMiddleware::new(
                Policy::new()
                    .stop(attempts(2))
                    .retry_if(HttpError::is_transient)
                    .sleeper(RecordingSleeper::new()),
            )
            .any_method(),
        )
        .build();
    opted_in.patch(&url).send().await.unwrap();
    assert_eq!(log.lines(), ["PATCH /down 503", "PATCH /down 503"]);
}

#[tokio::test]
async fn transport_failures_reach_the_caller_as_reqwest_errors() {
    let sleeper = RecordingSleeper::new();
    let client = client(&sleeper);

    // Nobody listens: sent again even as a POST, then reqwest's own error.
    let error = client.post(pages::closed_port()).send().await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert_eq!(sleeper.sleeps().len(), 2);

    // Closed before answering: a GET is sent again.
    let (url, accepted) = pages::closing_server();
    let error = client.get(&url).send().await.unwrap_err();
    assert!(error.is_request(), "{error:?}");
    assert_eq!(*accepted.lock().unwrap(), 3);
}

#[path = "support/log_capture.rs"]
mod log_capture;

#[tokio::test]
async fn each_resent_request_is_an_event_with_its_resend_count() {
    let (capture, _guard) = log_capture::capturing_until_dropped();
    let (base, _log) = pages::serve().await;
    let client = client(&RecordingSleeper::new());
    client.get(format!("{base}/flaky")).send().await.unwrap();

    let resends: Vec<(String, String)> = capture
        .events()
        .into_iter()
        .filter(|event| event.message == "persevere: resending the request")
        .map(|event| {
            (
                event.fields["http.request.resend_count"].clone(),
                event.fields["http.request.method"].clone(),
            )
        })
        .collect();
    assert_eq!(
        resends,
        [("1".into(), "GET".into()), ("2".into(), "GET".into())]
    );
}

#[tokio::test]
async fn a_time_limit_cuts_a_silent_server_and_a_cut_post_is_not_sent_again() {
    let (url, accepted) = pages::silent_server();
    let policy = Policy::new()
        .stop(attempts(3))
        .retry_if(HttpError::is_transient)
        .wait(persevere::wait::none())
        .timeout(Duration::from_millis(10));
    let client = ClientBuilder::new(reqwest::Client::new())
        .with(RetryMiddleware::new(policy))
        .build();

    let error = client.get(&url).send().await.unwrap_err();
    assert!(
        error.to_string().contains("did not finish within 10ms"),
        "{error}"
    );
    assert_eq!(*accepted.lock().unwrap(), 3);

    // The POST may have been read before the cut: once.
    client.post(&url).body("x").send().await.unwrap_err();
    assert_eq!(*accepted.lock().unwrap(), 4);
}
