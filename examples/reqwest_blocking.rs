//! reqwest's blocking client with no glue: a sync function retried by `#[retry]`, returning
//! `persevere::reqwest::HttpError`, against a server on loopback.
//!
//! The server answers `/report` with 503 and `Retry-After: 1` once, then 200, and `/missing`
//! with 404. Run it with `cargo run --example reqwest_blocking`.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use persevere::reqwest::HttpError;
use persevere::reqwest::blocking::{ReadChecked, SendChecked};
use persevere::retry;

/// Fetches a page, waiting what the server asks for and backing off otherwise.
#[retry(
    stop = attempts(4),
    retry_if = HttpError::is_transient,
    wait = server_hint(fallback = exponential(multiplier = 20ms)),
    before_sleep = log(warn),
)]
fn fetch(client: &reqwest::blocking::Client, url: &str) -> Result<String, HttpError> {
    client.get(url).send_checked()?.text_checked()
}

type Log = Arc<Mutex<Vec<String>>>;

async fn page(State(log): State<Log>, Path(name): Path<String>) -> Response {
    let mut log = log.lock().unwrap();
    let seen = log.iter().filter(|line| line.contains(&name)).count();
    let response = match (name.as_str(), seen) {
        ("report", 0) => (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "1")]).into_response(),
        ("missing", _) => (StatusCode::NOT_FOUND, "no such report").into_response(),
        _ => (StatusCode::OK, "all green").into_response(),
    };
    log.push(format!("GET /{name} -> {}", response.status().as_u16()));
    response
}

/// Serves on a thread of its own: the blocking client must not run inside an async runtime.
fn serve(log: Log) -> std::io::Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    listener.set_nonblocking(true)?;
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            let app = Router::new().route("/{name}", get(page)).with_state(log);
            axum::serve(listener, app).await
        })
    });
    Ok(base)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_target(false).init();
    let log = Log::default();
    let base = serve(log.clone())?;
    let client = reqwest::blocking::Client::new();

    println!("/report: {}", fetch(&client, &format!("{base}/report"))?);
    let missing = fetch(&client, &format!("{base}/missing")).unwrap_err();
    println!("/missing: gave up: {missing} ({:?})", missing.body());

    let log = log.lock().unwrap().clone();
    println!("\nthe server's log:");
    for line in &log {
        println!("  {line}");
    }
    assert_eq!(
        log,
        [
            "GET /report -> 503",
            "GET /report -> 200",
            "GET /missing -> 404"
        ]
    );
    Ok(())
}
