//! `persevere::reqwest`: a reqwest client retried with no glue, against an axum server on
//! loopback. Sleeps are recorded, not slept.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use persevere::reqwest::{CheckStatus, HttpError};
use persevere::retry;
use persevere::sleep::RecordingSleeper;

/// Each request's path and the status it got; each page answers from a script, then 200.
#[derive(Clone, Default)]
struct Server {
    log: Arc<Mutex<Vec<String>>>,
}

async fn page(State(server): State<Server>, Path(name): Path<String>) -> Response {
    let mut log = server.log.lock().unwrap();
    let seen = log
        .iter()
        .filter(|line| line.starts_with(&format!("{name} ")))
        .count();
    let response = match (name.as_str(), seen) {
        ("busy", 0) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "1")],
            "slow down",
        )
            .into_response(),
        ("quota", 0) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("x-ratelimit-reset", "3")],
            "",
        )
            .into_response(),
        ("flaky", 0 | 1) => (StatusCode::SERVICE_UNAVAILABLE, "down").into_response(),
        ("missing", _) => (StatusCode::NOT_FOUND, "no such page").into_response(),
        _ => (StatusCode::OK, "hello").into_response(),
    };
    log.push(format!("{name} {}", response.status().as_u16()));
    response
}

async fn serve() -> (String, Server, tokio::task::JoinHandle<()>) {
    let server = Server::default();
    let app = Router::new()
        .route("/{name}", get(page))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let serving = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), server, serving)
}

#[retry(
    stop = attempts(4),
    retry_if = HttpError::is_transient,
    wait = server_hint(jitter = 0s, fallback = fixed(50ms)),
    sleep = sleeper.clone()
)]
async fn fetch(
    client: &reqwest::Client,
    url: &str,
    sleeper: &RecordingSleeper,
) -> Result<String, HttpError> {
    let response = client.get(url).send().await?.check_status().await?;
    Ok(response.text().await?)
}

#[tokio::test]
async fn statuses_hints_and_bodies_with_no_glue() {
    let (base, server, serving) = serve().await;
    let client = reqwest::Client::new();

    // Retry-After honoured exactly.
    let sleeper = RecordingSleeper::new();
    assert_eq!(
        fetch(&client, &format!("{base}/busy"), &sleeper)
            .await
            .unwrap(),
        "hello"
    );
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(1)]);

    // Another family: X-RateLimit-Reset.
    let sleeper = RecordingSleeper::new();
    assert_eq!(
        fetch(&client, &format!("{base}/quota"), &sleeper)
            .await
            .unwrap(),
        "hello"
    );
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(3)]);

    // No hint: the fallback.
    let sleeper = RecordingSleeper::new();
    assert_eq!(
        fetch(&client, &format!("{base}/flaky"), &sleeper)
            .await
            .unwrap(),
        "hello"
    );
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 2]);

    // A 404 is not retried, and keeps what the server said.
    let sleeper = RecordingSleeper::new();
    let error = fetch(&client, &format!("{base}/missing"), &sleeper)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(reqwest::StatusCode::NOT_FOUND));
    assert_eq!(error.body(), Some("no such page"));
    assert_eq!(error.to_string(), "HTTP 404 Not Found");
    assert!(sleeper.sleeps().is_empty());

    serving.abort();
    assert_eq!(
        *server.log.lock().unwrap(),
        [
            "busy 429",
            "busy 200",
            "quota 429",
            "quota 200",
            "flaky 503",
            "flaky 503",
            "flaky 200",
            "missing 404"
        ]
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_and_a_bad_url_is_not() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = reqwest::Client::new();

    let sleeper = RecordingSleeper::new();
    let error = fetch(&client, &format!("http://127.0.0.1:{port}/x"), &sleeper)
        .await
        .unwrap_err();
    assert!(
        error.transport().is_some_and(reqwest::Error::is_connect),
        "{error}"
    );
    assert!(error.is_transient());
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(50); 3]);

    // A request that cannot be built: one attempt.
    let sleeper = RecordingSleeper::new();
    let error = fetch(&client, "not a url", &sleeper).await.unwrap_err();
    assert!(
        error.transport().is_some_and(reqwest::Error::is_builder),
        "{error}"
    );
    assert!(!error.is_transient());
    assert!(sleeper.sleeps().is_empty());
}
