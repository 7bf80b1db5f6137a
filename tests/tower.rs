//! `persevere::tower::RetryLayer` around hyper-util's client, against a scripted axum server on
//! loopback (its request log asserted whole). Waits are recorded, not slept; the time-limit
//! tests sleep about 40 ms in all.
//!
//! Not gated on the `tower` feature: the dev-dependency on the runtime turns it on, as it does
//! `reqwest`'s for `tests/reqwest.rs`, so `cargo test --workspace` runs these.

#[path = "support/pages.rs"]
mod pages;

#[path = "support/log_capture.rs"]
mod log_capture;

use std::cell::Cell;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::{Method, Request, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use persevere::budget::RetryBudget;
use persevere::condition::NoOk;
use persevere::hook::{NoHook, ReturnLast};
use persevere::sleep::{AsyncSleeper, RecordingSleeper};
use persevere::stop::{Attempts, attempts};
use persevere::tower::{Failure, Retry, RetryLayer, Transient, transient};
use persevere::wait::{Fixed, ServerHintWait, fixed, server_hint};
use persevere::{Ending, Policy, Report, Timeout, retry};
use tower::Service;
use tower::{BoxError, ServiceBuilder, ServiceExt};

type Body = Full<Bytes>;
type ClientError = hyper_util::client::legacy::Error;
type HttpClient = Client<HttpConnector, Body>;

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

fn request(method: Method, url: String) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(url)
        .body(Full::default())
        .unwrap()
}

/// Sends `request` once through `layer` around a new client.
async fn send<P, R>(
    layer: RetryLayer<P, R>,
    request: Request<Body>,
) -> Result<Response<Incoming>, ClientError>
where
    Retry<HttpClient, P, R>:
        Service<Request<Body>, Response = Response<Incoming>, Error = ClientError>,
{
    ServiceBuilder::new()
        .layer(layer)
        .service(client())
        .oneshot(request)
        .await
}

async fn text(response: Response<Incoming>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The policy most tests share, built apart from its service, so its condition is named:
/// 3 attempts, transient failures, the server's hint or else 50 ms, exactly.
type Shared = Policy<
    Attempts,
    ServerHintWait<Fixed>,
    Transient,
    NoOk,
    NoHook,
    NoHook,
    NoHook,
    ReturnLast,
    RecordingSleeper,
>;

fn shared(sleeper: &RecordingSleeper) -> Shared {
    Policy::new()
        .stop(attempts(3))
        .retry_if(transient())
        .wait(
            server_hint()
                .fallback(fixed(Duration::from_millis(50)))
                .jitter(Duration::ZERO),
        )
        .sleeper(sleeper.clone())
}

#[tokio::test]
async fn a_503_twice_then_200_is_three_requests_and_the_200() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    // The line a user writes: the condition's types come from the service it meets below.
    let layer = RetryLayer::new(
        Policy::new()
            .stop(attempts(4))
            .retry_if(Failure::is_transient)
            .wait(
                server_hint()
                    .fallback(fixed(Duration::from_millis(50)))
                    .jitter(Duration::ZERO),
            )
            .sleeper(sleeper.clone()),
    );
    let response = send(layer, request(Method::GET, format!("{base}/flaky")))
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let report = response.extensions().get::<Report>().unwrap().clone();
    assert_eq!((report.attempts(), report.ending()), (3, Ending::Succeeded));
    assert_eq!(text(response).await, "hello");
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);
    assert_eq!(
        log.lines(),
        ["GET /flaky 503", "GET /flaky 503", "GET /flaky 200"]
    );
}

#[tokio::test]
async fn a_429_waits_exactly_what_retry_after_asks() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let response = send(
        RetryLayer::new(shared(&sleeper)),
        request(Method::GET, format!("{base}/retry-after")),
    )
    .await
    .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(2)]);
    assert_eq!(
        log.lines(),
        ["GET /retry-after 429", "GET /retry-after 200"]
    );
}

#[tokio::test]
async fn a_404_is_handed_back_at_once() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let response = send(
        RetryLayer::new(shared(&sleeper)),
        request(Method::GET, format!("{base}/missing")),
    )
    .await
    .unwrap();

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let report = response.extensions().get::<Report>().unwrap().clone();
    assert_eq!(
        (report.attempts(), report.ending()),
        (1, Ending::NotRetryable)
    );
    assert_eq!(text(response).await, "no such page");
    assert!(sleeper.sleeps().is_empty());
    assert_eq!(log.lines(), ["GET /missing 404"]);
}

#[tokio::test]
async fn attempts_exhausted_hand_back_the_last_503() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let response = send(
        RetryLayer::new(shared(&sleeper)),
        request(Method::GET, format!("{base}/down")),
    )
    .await
    .unwrap();

    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let report = response.extensions().get::<Report>().unwrap().clone();
    assert_eq!((report.attempts(), report.ending()), (3, Ending::Attempts));
    assert_eq!(text(response).await, "down");
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);
    assert_eq!(log.lines(), ["GET /down 503"; 3]);
}

#[tokio::test]
async fn a_post_without_a_key_is_sent_once_on_a_503() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let response = send(
        RetryLayer::new(shared(&sleeper)),
        request(Method::POST, format!("{base}/flaky")),
    )
    .await
    .unwrap();

    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(sleeper.sleeps().is_empty());
    assert_eq!(log.lines(), ["POST /flaky 503"]);
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let mut keyed = request(Method::POST, format!("{base}/flaky"));
    keyed
        .headers_mut()
        .insert("idempotency-key", "order-42".parse().unwrap());
    let response = send(RetryLayer::new(shared(&sleeper)), keyed)
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);
    assert_eq!(
        log.lines(),
        ["POST /flaky 503", "POST /flaky 503", "POST /flaky 200"]
    );
}

#[tokio::test]
async fn any_method_retries_a_post() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let response = send(
        RetryLayer::new(shared(&sleeper)).any_method(),
        request(Method::POST, format!("{base}/flaky")),
    )
    .await
    .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);
    assert_eq!(
        log.lines(),
        ["POST /flaky 503", "POST /flaky 503", "POST /flaky 200"]
    );
}

#[tokio::test]
async fn a_port_nobody_listens_on_is_retried_for_a_post_too_then_the_error() {
    let sleeper = RecordingSleeper::new();
    let error = send(
        RetryLayer::new(shared(&sleeper)),
        request(Method::POST, format!("{}/orders", pages::closed_port())),
    )
    .await
    .unwrap_err();

    // The request never left: a POST may be sent again. The caller gets the client's own error.
    assert!(error.is_connect(), "{error:?}");
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);
}

#[tokio::test]
async fn the_server_sees_each_attempts_number() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let layer = RetryLayer::new(shared(&sleeper))
        .attempt_header(http::HeaderName::from_static("x-retry-attempt"));
    let response = send(layer, request(Method::GET, format!("{base}/flaky")))
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        log.lines(),
        [
            "GET /flaky 503 #1",
            "GET /flaky 503 #2",
            "GET /flaky 200 #3"
        ]
    );
}

#[tokio::test]
async fn a_service_that_must_be_readied_is_readied_for_each_attempt() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    // One request at a time: each attempt waits for the previous one's permit.
    let mut service = ServiceBuilder::new()
        .layer(RetryLayer::new(shared(&sleeper)))
        .concurrency_limit(1)
        .service(client());
    for _ in 0..2 {
        let response = service
            .ready()
            .await
            .unwrap()
            .call(request(Method::GET, format!("{base}/flaky")))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(
        log.lines(),
        [
            "GET /flaky 503",
            "GET /flaky 503",
            "GET /flaky 200",
            "GET /flaky 200"
        ]
    );
}

#[tokio::test]
async fn each_request_sent_again_is_an_event_with_its_resend_count() {
    let (base, log) = pages::serve().await;
    let (capture, _listening) = log_capture::capturing_until_dropped();
    let sleeper = RecordingSleeper::new();
    send(
        RetryLayer::new(shared(&sleeper)),
        request(Method::GET, format!("{base}/flaky")),
    )
    .await
    .unwrap();

    let resends: Vec<(tracing::Level, String, String, String)> = capture
        .events()
        .into_iter()
        .filter(|event| event.message == "persevere: resending the request")
        .map(|event| {
            let field = |name: &str| event.fields[name].clone();
            (
                event.level,
                field("http.request.resend_count"),
                field("http.request.method"),
                field("url.full"),
            )
        })
        .collect();
    let resent = |count: &str| {
        let url = format!("{base}/flaky");
        (tracing::Level::DEBUG, count.into(), "GET".into(), url)
    };
    assert_eq!(resends, [resent("1"), resent("2")]);
    assert_eq!(log.lines().len(), 3);
}

static SHARED_BUDGET: RetryBudget = RetryBudget::with_reserve(1, 0);

/// An attribute user of the same budget: fails once, then succeeds, spending the one retry.
#[retry(stop = attempts(2), wait = 0s, budget = SHARED_BUDGET)]
fn fails_once(calls: &Cell<u32>) -> Result<u32, &'static str> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 { Err("down") } else { Ok(1) }
}

#[tokio::test]
async fn a_shared_static_budget_refuses_a_retry() {
    let calls = Cell::new(0);
    assert_eq!(fails_once(&calls), Ok(1));
    assert_eq!(SHARED_BUDGET.retries_left(), 0);

    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let response = send(
        RetryLayer::new(shared(&sleeper).budget(&SHARED_BUDGET)),
        request(Method::GET, format!("{base}/flaky")),
    )
    .await
    .unwrap();

    // The budget is empty: the first 503 is the answer.
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let report = response.extensions().get::<Report>().unwrap().clone();
    assert_eq!((report.attempts(), report.ending()), (1, Ending::Budget));
    assert!(sleeper.sleeps().is_empty());
    assert_eq!(log.lines(), ["GET /flaky 503"]);
}

/// Records the waits between attempts and sleeps them, and keeps time limits, on tokio's clock.
#[derive(Clone, Default)]
struct TokioRecording(Arc<Mutex<Vec<Duration>>>);

impl AsyncSleeper for TokioRecording {
    type Sleeping = tokio::time::Sleep;
    fn sleep(&self, wait: Duration) -> tokio::time::Sleep {
        self.0.lock().unwrap().push(wait);
        tokio::time::sleep(wait)
    }
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }
    fn time_limit(&self, limit: Duration) -> tokio::time::Sleep {
        tokio::time::sleep(limit)
    }
}

/// Sends `method` to a server that never answers, each attempt cut after 10 ms: the client's
/// error is boxed (tower's `BoxError`), which a `Timeout` converts into.
async fn against_a_silent_server(method: Method) -> (BoxError, u32, Vec<Duration>) {
    let (base, accepted) = pages::silent_server();
    let sleeper = TokioRecording::default();
    let layer = RetryLayer::new(
        Policy::new()
            .stop(attempts(3))
            .retry_if(Failure::is_transient)
            .wait(fixed(Duration::from_millis(1)))
            .timeout(Duration::from_millis(10))
            .sleeper(sleeper.clone()),
    );
    let error = ServiceBuilder::new()
        .layer(layer)
        .map_err(BoxError::from)
        .service(client())
        .oneshot(request(method, format!("{base}/slow")))
        .await
        .unwrap_err();
    let waits = sleeper.0.lock().unwrap().clone();
    let connections = *accepted.lock().unwrap();
    (error, connections, waits)
}

#[tokio::test]
async fn a_hanging_server_is_cut_by_the_time_limit_and_retried() {
    let (error, connections, waits) = against_a_silent_server(Method::GET).await;
    let timeout = error
        .downcast_ref::<Timeout>()
        .expect("the time limit's error");
    assert_eq!(timeout.limit(), Duration::from_millis(10));
    assert_eq!(waits, [Duration::from_millis(1); 2]);
    // Each attempt opened a connection of its own: the one cut short is not reused.
    assert_eq!(connections, 3);
}

#[tokio::test]
async fn a_post_cut_by_the_time_limit_is_not_sent_again() {
    // The server may have acted on it before the limit: no second POST.
    let (error, connections, waits) = against_a_silent_server(Method::POST).await;
    assert!(error.is::<Timeout>(), "{error}");
    assert!(waits.is_empty());
    assert_eq!(connections, 1);
}

type Streamed = BoxBody<Bytes, Infallible>;

/// A body that is not `Clone`, rebuilt from the bytes the caller kept in the extensions; a
/// request without them cannot be sent twice.
fn rebuild(request: &Request<Streamed>) -> Option<Request<Streamed>> {
    let bytes = request.extensions().get::<Bytes>()?.clone();
    let mut copy = Request::new(Full::new(bytes.clone()).boxed());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy.extensions_mut().insert(bytes);
    Some(copy)
}

#[tokio::test]
async fn a_body_that_is_not_clone_is_rebuilt_or_else_sent_once() {
    let (base, log) = pages::serve().await;
    let sleeper = RecordingSleeper::new();
    let layer = RetryLayer::new(shared(&sleeper)).rebuild_with(rebuild);
    let mut service = ServiceBuilder::new()
        .layer(layer)
        .service(Client::builder(TokioExecutor::new()).build_http::<Streamed>());
    let streamed = |page: &str, kept: bool| {
        let bytes = Bytes::from_static(b"payload");
        let mut request = Request::put(format!("{base}/{page}"))
            .body(Full::new(bytes.clone()).boxed())
            .unwrap();
        if kept {
            request.extensions_mut().insert(bytes);
        }
        request
    };

    let response = service
        .ready()
        .await
        .unwrap()
        .call(streamed("flaky", true))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = service
        .ready()
        .await
        .unwrap()
        .call(streamed("down", false))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    // Its outcome is the call's, with no report of a policy that was cut short.
    assert!(response.extensions().get::<Report>().is_none());
    // One the policy would not retry anyway ends the call as usual.
    let response = service
        .ready()
        .await
        .unwrap()
        .call(streamed("missing", false))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let report = response.extensions().get::<Report>().unwrap().clone();
    assert_eq!(
        (report.attempts(), report.ending()),
        (1, Ending::NotRetryable)
    );

    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);
    assert_eq!(
        log.lines(),
        [
            "PUT /flaky 503",
            "PUT /flaky 503",
            "PUT /flaky 200",
            "PUT /down 503",
            "PUT /missing 404",
        ]
    );
}
