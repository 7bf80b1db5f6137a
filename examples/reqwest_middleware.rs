//! The same policy where the HTTP stack lives: a reqwest-middleware client whose every request
//! is retried by a persevere `Policy`, against a server on loopback.
//!
//! The server answers `/status` with 503 twice, then 200; `/quota` with 429 and
//! `x-ratelimit-reset: 1` once, then 200; `/orders` (a POST) with 503 always. The client waits
//! what the server asks, backs off otherwise, and sends the POST once: it carries no
//! `Idempotency-Key`, so it may have been acted on.
//!
//! Run it with `cargo run --example reqwest_middleware`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use persevere::reqwest::{HttpError, RetryMiddleware};
use persevere::stop::attempts;
use persevere::wait::{exponential, server_hint};
use persevere::{Policy, Report};

type Log = Arc<Mutex<Vec<String>>>;

async fn page(State(log): State<Log>, method: Method, Path(name): Path<String>) -> Response {
    let mut log = log.lock().unwrap();
    let seen = log.iter().filter(|line| line.contains(&name)).count();
    let response = match (name.as_str(), seen) {
        ("status", 0 | 1) | ("orders", _) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        ("quota", 0) => {
            (StatusCode::TOO_MANY_REQUESTS, [("x-ratelimit-reset", "1")]).into_response()
        }
        _ => (StatusCode::OK, "ok").into_response(),
    };
    log.push(format!(
        "{method} /{name} -> {}",
        response.status().as_u16()
    ));
    response
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let log = Log::default();
    let app = Router::new()
        .route("/{name}", any(page))
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    // The lines a user writes: a policy, and the middleware that runs it.
    let policy = Policy::new()
        .stop(attempts(4))
        .retry_if(HttpError::is_transient)
        .wait(server_hint().fallback(exponential().multiplier(Duration::from_millis(20))));
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(RetryMiddleware::new(policy))
        .build();

    for (method, path) in [("GET", "status"), ("GET", "quota"), ("POST", "orders")] {
        let url = format!("{base}/{path}");
        let response = client.request(method.parse()?, url).send().await?;
        let report = response.extensions().get::<Report>().cloned();
        let report = report.ok_or("the middleware puts its report in the response")?;
        println!(
            "{method} /{path}: {} after {} attempt(s), {:.2?} asleep",
            response.status(),
            report.attempts(),
            report.slept()
        );
    }
    println!("\nthe server's log:");
    let log = log.lock().unwrap().clone();
    for line in &log {
        println!("  {line}");
    }
    assert_eq!(
        log,
        [
            "GET /status -> 503",
            "GET /status -> 503",
            "GET /status -> 200",
            "GET /quota -> 429",
            "GET /quota -> 200",
            "POST /orders -> 503",
        ]
    );
    Ok(())
}
