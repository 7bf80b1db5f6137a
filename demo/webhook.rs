//! The main demo: an async `reqwest` client posting chat messages to a webhook server on loopback,
//! retried with `#[retry]`.
//!
//! The server (axum, on an ephemeral port of 127.0.0.1) answers by channel:
//! - `general`: 200, delivered;
//! - `missing`: 404, which is never retried;
//! - `flaky`: 500 every time, retried with backoff, then given up;
//! - `busy`: 429 with `Retry-After: 1` the first time, then 200: the client waits what the server
//!   asked.
//!
//! Run it with `cargo run -p persevere-demo --example webhook`. `examples/tests/demos.rs` runs the
//! same demo with sleeps skipped and asserts the server's request log.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use persevere::reqwest::{HttpError, ReadChecked, SendChecked};
use persevere::retry;

/// Posts `text` to `channel`, retrying 408, 429 and 5xx answers and transport failures: waiting
/// what the server asks for, else backing off. The `Idempotency-Key` tells the server to
/// deliver a message once however often it is sent; without it, a POST is sent again only when
/// it never reached the server.
#[retry(
    stop = attempts(4),
    wait = server_hint(fallback = exponential(multiplier = 50ms, max = 400ms), max = 5s, jitter = 100ms),
    retry_if = HttpError::is_transient,
    after = log(info),
    before_sleep = log(warn),
)]
pub async fn post_message(
    client: &reqwest::Client,
    server: SocketAddr,
    channel: &str,
    text: &str,
) -> Result<String, HttpError> {
    let response = client
        .post(format!("http://{server}/hooks/{channel}"))
        .header("idempotency-key", format!("{channel}-1"))
        .body(text.to_owned())
        .send_checked()
        .await?;
    response.text_checked().await
}

/// The server's state: every request it answered, and how often `busy` was asked.
#[derive(Clone, Default)]
struct Server {
    log: Arc<Mutex<Vec<String>>>,
    busy_calls: Arc<Mutex<u32>>,
}

async fn hook(State(server): State<Server>, Path(channel): Path<String>, body: String) -> Response {
    let response = match channel.as_str() {
        "general" => (StatusCode::OK, format!("delivered: {body}")).into_response(),
        "missing" => StatusCode::NOT_FOUND.into_response(),
        "flaky" => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        "busy" => {
            let mut calls = server.busy_calls.lock().unwrap();
            *calls += 1;
            if *calls == 1 {
                let mut response = StatusCode::TOO_MANY_REQUESTS.into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                response
            } else {
                (StatusCode::OK, format!("delivered: {body}")).into_response()
            }
        }
        _ => StatusCode::BAD_REQUEST.into_response(),
    };
    server.log.lock().unwrap().push(format!(
        "POST /hooks/{channel} -> {}",
        response.status().as_u16()
    ));
    response
}

/// What one run of the demo saw.
#[derive(Debug)]
pub struct Report {
    /// The server's log: each request and its status.
    pub requests: Vec<String>,
    /// Each channel and what the client made of it.
    pub outcomes: Vec<(&'static str, Result<String, HttpError>)>,
}

/// Starts the server on an ephemeral loopback port and posts one message per channel.
pub async fn demo() -> std::io::Result<Report> {
    let server = Server::default();
    let app = Router::new()
        .route("/hooks/{channel}", post(hook))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let serving = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();
    let mut outcomes = Vec::new();
    for channel in ["general", "missing", "flaky", "busy"] {
        let outcome = post_message(&client, address, channel, "deploy finished").await;
        outcomes.push((channel, outcome));
    }
    serving.abort();
    let requests = server.log.lock().unwrap().clone();
    Ok(Report { requests, outcomes })
}

#[allow(dead_code)]
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().with_target(false).init();
    let report = demo().await?;
    println!();
    println!("the server's log:");
    for request in &report.requests {
        println!("  {request}");
    }
    println!();
    for (channel, outcome) in &report.outcomes {
        match outcome {
            Ok(answer) => println!("#{channel}: {answer}"),
            Err(error) => println!("#{channel}: gave up: {error}"),
        }
    }
    Ok(())
}
