//! A tower stack retried by `persevere::tower::RetryLayer`: hyper-util's client, wrapped by the
//! layer, calling an axum server on loopback.
//!
//! The server (on an ephemeral port of 127.0.0.1) answers by page:
//! - `flaky`: 503 twice, then 200: retried with a short backoff (20 ms, then 40 ms);
//! - `limited`: 429 with `Retry-After: 1` the first time, then 200: the client waits the second
//!   the server asked for;
//! - `orders`, a POST without an `Idempotency-Key`: 503, handed back at once, as the server may
//!   have acted on it.
//!
//! Each request carries its attempt's number in `x-retry-attempt`, and the server's log shows it.
//! Run it with `cargo run --example tower` (about 1.1 s, most of it the server's second);
//! `tests/demos.rs` runs the same demo with sleeps skipped and asserts the server's log.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use persevere::Policy;
use persevere::hook::log;
use persevere::stop::attempts;
use persevere::tower::{Failure, RetryLayer};
use persevere::wait::{exponential, server_hint};
use tower::{Service, ServiceBuilder, ServiceExt};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::fmt;
use tracing_subscriber::prelude::*;

/// Every request the server answered: `METHOD /page -> STATUS #attempt`.
#[derive(Clone, Default)]
struct Server {
    log: Arc<Mutex<Vec<String>>>,
}

async fn page(
    State(server): State<Server>,
    Path(name): Path<String>,
    request: Request,
) -> Response {
    let mut log = server.log.lock().unwrap();
    let seen = log
        .iter()
        .filter(|line| line.contains(&format!(" /{name} ")))
        .count();
    let response = match (name.as_str(), seen) {
        ("flaky", 0 | 1) => (StatusCode::SERVICE_UNAVAILABLE, "down").into_response(),
        ("limited", 0) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "1")],
            "slow down",
        )
            .into_response(),
        ("orders", _) => (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response(),
        _ => (StatusCode::OK, "hello").into_response(),
    };
    let attempt = request.headers()["x-retry-attempt"].to_str().unwrap();
    log.push(format!(
        "{} /{name} -> {} #{attempt}",
        request.method(),
        response.status().as_u16()
    ));
    response
}

/// What one run of the demo saw.
#[derive(Debug)]
pub struct Report {
    /// The server's log: each request, its status and its attempt's number.
    pub requests: Vec<String>,
    /// Each call and the status its caller got.
    pub answers: Vec<(String, u16)>,
}

/// Starts the server on an ephemeral loopback port and makes one call per page.
pub async fn demo() -> Result<Report, Box<dyn std::error::Error>> {
    let server = Server::default();
    let app = Router::new()
        .route("/{name}", any(page))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let serving = tokio::spawn(async move { axum::serve(listener, app).await });

    // The lines a user writes: a policy, a layer, and the client under it.
    let policy = Policy::new()
        .named("tower demo")
        .stop(attempts(4))
        .retry_if(Failure::is_transient)
        .wait(
            server_hint()
                .fallback(exponential().multiplier(Duration::from_millis(20)))
                .max(Duration::from_secs(5)),
        )
        .before_sleep(log(tracing::Level::WARN));
    let layer =
        RetryLayer::new(policy).attempt_header(http::HeaderName::from_static("x-retry-attempt"));
    let mut client = ServiceBuilder::new()
        .layer(layer)
        .service(Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>());

    let mut answers = Vec::new();
    for (method, page) in [("GET", "flaky"), ("GET", "limited"), ("POST", "orders")] {
        let request = http::Request::builder()
            .method(method)
            .uri(format!("{base}/{page}"))
            .body(Full::new(Bytes::from_static(b"{}")))?;
        let response = client.ready().await?.call(request).await?;
        answers.push((format!("{method} /{page}"), response.status().as_u16()));
    }
    serving.abort();
    let requests = server.log.lock().unwrap().clone();
    Ok(Report { requests, answers })
}

#[allow(dead_code)]
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // persevere's lines, its DEBUG events for each request sent again included; not hyper's.
    let persevere_only = filter_fn(|event| event.target().starts_with("persevere"));
    tracing_subscriber::registry()
        .with(fmt::layer().with_target(false).with_filter(persevere_only))
        .init();
    let started = std::time::Instant::now();
    let report = demo().await?;
    println!();
    println!("the server's log:");
    for request in &report.requests {
        println!("  {request}");
    }
    println!();
    for (call, status) in &report.answers {
        println!("{call}: the caller got {status}");
    }
    println!("in {:.2} s", started.elapsed().as_secs_f64());

    assert_eq!(report.requests.len(), 6, "3 + 2 + 1 requests");
    let answers: Vec<u16> = report.answers.iter().map(|(_, status)| *status).collect();
    assert_eq!(answers, [200, 200, 503]);
    Ok(())
}
