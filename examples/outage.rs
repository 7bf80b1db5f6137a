//! An outage, side by side with and without protection: a loopback server hosts two upstreams,
//! `billing` (down until the demo lets it recover) and `search` (answers 503 once per request
//! id, then 200), called through `persevere::reqwest`.
//!
//! 1. `billing` is down; 20 calls of 4 attempts each, unprotected: every call sends 4 requests
//!    and waits out its backoff.
//! 2. The same with a circuit breaker keyed by host (`breaker = BREAKERS.key(host)`): after 4
//!    failures in a row it opens, and the other calls fail at once, sending nothing.
//! 3. A retry budget shared by every host is spent by `billing`'s outage, so a `search` call
//!    that needed one retry fails; a budget per host (`budget = BUDGETS.key(host)`) keeps
//!    `search`'s retries whole.
//! 4. `billing` recovers; after the breaker's cool-down one probe goes through and closes it.
//!
//! Run it with `cargo run --example outage`. `examples/tests/demos.rs` asserts the counts.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use persevere::breaker::{BreakerState, CircuitBreaker, KeyedBreaker};
use persevere::budget::{KeyedBudget, RetryBudget};
use persevere::reqwest::{HttpError, SendChecked};
use persevere::retry;

/// The upstreams' state: whether `billing` is down, and every request served.
#[derive(Clone, Default)]
struct Upstreams {
    billing_down: Arc<Mutex<bool>>,
    log: Arc<Mutex<Vec<String>>>,
}

async fn serve_page(
    State(upstreams): State<Upstreams>,
    Path((host, id)): Path<(String, u32)>,
) -> Response {
    let mut log = upstreams.log.lock().unwrap();
    let seen = log
        .iter()
        .filter(|line| **line == format!("{host}/{id}"))
        .count();
    log.push(format!("{host}/{id}"));
    match host.as_str() {
        "billing" if *upstreams.billing_down.lock().unwrap() => {
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
        "search" if seen == 0 => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        _ => (StatusCode::OK, "ok").into_response(),
    }
}

/// One request for item `id` of `host`: the attempt each function below retries.
async fn fetch_item(
    client: &reqwest::Client,
    base: &str,
    host: &str,
    id: u32,
) -> Result<String, HttpError> {
    Ok(client
        .get(format!("{base}/{host}/{id}"))
        .send_checked()
        .await?
        .text()
        .await?)
}

/// 4 attempts, 2 ms apart, nothing else.
#[retry(stop = attempts(4), wait = fixed(2ms), retry_if = HttpError::is_transient)]
async fn unprotected(
    client: &reqwest::Client,
    base: &str,
    host: &str,
    id: u32,
) -> Result<String, HttpError> {
    fetch_item(client, base, host, id).await
}

/// One breaker per host: open after 4 failures in a row, probe again after 20 ms.
static BREAKERS: KeyedBreaker<16> = KeyedBreaker::new(
    CircuitBreaker::new()
        .consecutive_failures(4)
        .cool_down(Duration::from_millis(20))
        .jitter(0)
        .probes(1),
);

#[retry(
    stop = attempts(4),
    wait = fixed(2ms),
    retry_if = HttpError::is_transient,
    breaker = BREAKERS.key(host)
)]
async fn with_breaker(
    client: &reqwest::Client,
    base: &str,
    host: &str,
    id: u32,
) -> Result<String, HttpError> {
    fetch_item(client, base, host, id).await
}

/// One budget for every host: a reserve of 5 retries.
static SHARED: RetryBudget = RetryBudget::with_reserve(5, 10);

#[retry(stop = attempts(4), wait = fixed(2ms), retry_if = HttpError::is_transient, budget = SHARED)]
async fn shared_budget(
    client: &reqwest::Client,
    base: &str,
    host: &str,
    id: u32,
) -> Result<String, HttpError> {
    fetch_item(client, base, host, id).await
}

/// A budget per host, each with a reserve of 5 retries.
static BUDGETS: KeyedBudget<16> = KeyedBudget::new(RetryBudget::with_reserve(5, 10));

#[retry(
    stop = attempts(4),
    wait = fixed(2ms),
    retry_if = HttpError::is_transient,
    budget = BUDGETS.key(host)
)]
async fn budget_per_host(
    client: &reqwest::Client,
    base: &str,
    host: &str,
    id: u32,
) -> Result<String, HttpError> {
    fetch_item(client, base, host, id).await
}

/// What one run saw.
#[derive(Debug, Default)]
pub struct Outage {
    /// Requests `billing` got from 20 unprotected calls, and how long the calls took.
    pub unprotected_requests: usize,
    /// The same with a breaker.
    pub breaker_requests: usize,
    /// How many of the 20 calls the open breaker refused without a request.
    pub refused_at_once: usize,
    /// Whether a `search` call that needed one retry succeeded after `billing`'s outage, with a
    /// shared budget and with a budget per host.
    pub search_with_shared_budget: bool,
    /// See above.
    pub search_with_budget_per_host: bool,
    /// Requests the recovered `billing` got for one call after the cool-down, and the breaker's
    /// state after it.
    pub probe_requests: usize,
    /// See above.
    pub breaker_after_probe: Option<BreakerState>,
    /// The time the unprotected and protected outage phases took.
    pub unprotected_time: Duration,
    /// See above.
    pub breaker_time: Duration,
}

/// Runs the four phases against a fresh loopback server.
pub async fn demo() -> std::io::Result<Outage> {
    let upstreams = Upstreams::default();
    *upstreams.billing_down.lock().unwrap() = true;
    let app = Router::new()
        .route("/{host}/{id}", get(serve_page))
        .with_state(upstreams.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let serving = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();
    let billing_requests = || {
        let log = upstreams.log.lock().unwrap();
        log.iter()
            .filter(|line| line.starts_with("billing/"))
            .count()
    };
    let mut outage = Outage::default();

    let started = Instant::now();
    for id in 0..20 {
        let _ = unprotected(&client, &base, "billing", id).await;
    }
    outage.unprotected_time = started.elapsed();
    outage.unprotected_requests = billing_requests();

    let started = Instant::now();
    for id in 100..120 {
        if let Err(error) = with_breaker(&client, &base, "billing", id).await
            && error.breaker_open().is_some()
        {
            outage.refused_at_once += 1;
        }
    }
    outage.breaker_time = started.elapsed();
    outage.breaker_requests = billing_requests() - outage.unprotected_requests;

    for id in 200..205 {
        let _ = shared_budget(&client, &base, "billing", id).await;
        let _ = budget_per_host(&client, &base, "billing", id).await;
    }
    outage.search_with_shared_budget = shared_budget(&client, &base, "search", 1).await.is_ok();
    outage.search_with_budget_per_host = budget_per_host(&client, &base, "search", 2).await.is_ok();

    *upstreams.billing_down.lock().unwrap() = false;
    tokio::time::sleep(Duration::from_millis(25)).await; // the breaker's cool-down
    let before = billing_requests();
    let _ = with_breaker(&client, &base, "billing", 300).await;
    outage.probe_requests = billing_requests() - before;
    outage.breaker_after_probe = Some(BREAKERS.key("billing").state());

    serving.abort();
    Ok(outage)
}

#[allow(dead_code)]
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let outage = demo().await?;
    println!("billing is down; 20 calls of 4 attempts each:");
    println!(
        "  unprotected:  {:>3} requests, {:>7.1?} in all",
        outage.unprotected_requests, outage.unprotected_time
    );
    println!(
        "  with breaker: {:>3} requests, {:>7.1?} in all ({} calls refused at once, sending nothing)",
        outage.breaker_requests, outage.breaker_time, outage.refused_at_once
    );
    println!("a search call that needs one retry, after billing's outage:");
    println!(
        "  one budget for every host: {}",
        verdict(outage.search_with_shared_budget)
    );
    println!(
        "  a budget per host:         {}",
        verdict(outage.search_with_budget_per_host)
    );
    println!(
        "billing recovers; after the cool-down: {} request, breaker {:?}",
        outage.probe_requests,
        outage.breaker_after_probe.expect("set by the demo")
    );
    assert_eq!(outage.unprotected_requests, 80);
    assert_eq!(outage.breaker_requests, 4);
    assert!(!outage.search_with_shared_budget && outage.search_with_budget_per_host);
    Ok(())
}

fn verdict(succeeded: bool) -> &'static str {
    if succeeded {
        "succeeded"
    } else {
        "failed: the budget was spent"
    }
}
