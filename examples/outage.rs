//! An outage and a slow tail, side by side with and without protection: a loopback server hosts
//! three upstreams, called through `persevere::reqwest`: `billing` (down until the demo lets it
//! recover), `search` (answers 503 once per request id, then 200) and `catalog` (answers in 5 ms,
//! except every tenth request it receives, which takes 500 ms).
//!
//! 1. `billing` is down; 20 calls of 4 attempts each, unprotected: every call sends 4 requests
//!    and waits out its backoff (3 waits of 2 ms).
//! 2. The same with a circuit breaker keyed by host (`breaker = BREAKERS.key(host)`): after 4
//!    failures in a row it opens, and the other calls fail at once, sending nothing.
//! 3. A retry budget shared by every host is spent by `billing`'s outage, so a `search` call
//!    that needed one retry fails; a budget per host (`budget = BUDGETS.key(host)`) keeps
//!    `search`'s retries whole.
//! 4. `billing` recovers; after the breaker's cool-down one probe goes through and closes it.
//! 5. `catalog` is slow in its tail; 40 calls one after another, plainly and hedged
//!    (`hedge = 20ms`): a request that has not answered after 20 ms gets a second one beside it,
//!    which lands on a fast turn of the server. Hedging cuts p99 from 500 ms to 25 ms for one
//!    extra request in ten.
//!
//! It prints one row per upstream and protection: requests per call, each call's mean time (the
//! breaker's refused calls fail fast: no request, no backoff), p50, p99 and the outcome.
//!
//! Run it with `cargo run --example outage`. `examples/tests/demos.rs` runs it over loopback on
//! tokio's paused clock and asserts the counts; `examples/tests/outage.rs` runs the same calls
//! against the server's logic directly ([`demo_direct`]) and asserts the exact times too.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use persevere::breaker::{BreakerState, CircuitBreaker, KeyedBreaker};
use persevere::budget::{KeyedBudget, RetryBudget};
use persevere::reqwest::{HttpError, SendChecked};
use persevere::retry;
use tokio::time::{Instant, sleep};

/// `catalog`'s fast answer.
pub const FAST: Duration = Duration::from_millis(5);
/// `catalog`'s slow answer, to every tenth request it receives.
pub const SLOW: Duration = Duration::from_millis(500);
/// One `catalog` request in this many is slow.
pub const SLOW_EVERY: usize = 10;

/// The upstreams' state and logic: whether `billing` is down, and every request served.
#[derive(Clone, Debug, Default)]
pub struct Upstreams {
    billing_down: Arc<Mutex<bool>>,
    log: Arc<Mutex<Vec<String>>>,
}

impl Upstreams {
    /// Answers request `id` of `host`: 503 from `billing` while it is down, 503 from `search` the
    /// first time it sees an id, and 200 from `catalog` after [`FAST`], or [`SLOW`] for every
    /// tenth request it receives.
    pub async fn answer(&self, host: &str, id: u32) -> StatusCode {
        let line = format!("{host}/{id}");
        let (seen, arrival) = {
            let mut log = self.log.lock().unwrap();
            let seen = log.iter().filter(|served| **served == line).count();
            log.push(line);
            (seen, self.count(&log, host))
        };
        let billing_down = *self.billing_down.lock().unwrap();
        match host {
            "billing" if billing_down => StatusCode::SERVICE_UNAVAILABLE,
            "search" if seen == 0 => StatusCode::SERVICE_UNAVAILABLE,
            "catalog" => {
                sleep(if arrival.is_multiple_of(SLOW_EVERY) {
                    SLOW
                } else {
                    FAST
                })
                .await;
                StatusCode::OK
            }
            _ => StatusCode::OK,
        }
    }

    /// Requests `host` received so far.
    pub fn requests(&self, host: &str) -> usize {
        self.count(&self.log.lock().unwrap(), host)
    }

    fn count(&self, log: &[String], host: &str) -> usize {
        log.iter()
            .filter(|served| {
                served
                    .strip_prefix(host)
                    .is_some_and(|id| id.starts_with('/'))
            })
            .count()
    }
}

async fn serve_page(
    State(upstreams): State<Upstreams>,
    Path((host, id)): Path<(String, u32)>,
) -> Response {
    match upstreams.answer(&host, id).await {
        StatusCode::OK => (StatusCode::OK, "ok").into_response(),
        status => status.into_response(),
    }
}

/// How the calls reach the upstreams: over loopback HTTP, or by calling their logic directly
/// (a test on tokio's paused clock, where loopback I/O would let timers fire out of turn).
#[derive(Clone, Debug)]
pub enum Link {
    /// reqwest, to the server at this base URL.
    Http {
        /// The client.
        client: reqwest::Client,
        /// `http://127.0.0.1:PORT`.
        base: String,
    },
    /// The upstreams' logic, in this process.
    Direct(Upstreams),
}

/// One request for item `id` of `host`: the attempt each function below retries.
async fn fetch_item(link: &Link, host: &str, id: u32) -> Result<String, HttpError> {
    match link {
        Link::Http { client, base } => Ok(client
            .get(format!("{base}/{host}/{id}"))
            .send_checked()
            .await?
            .text()
            .await?),
        Link::Direct(upstreams) => match upstreams.answer(host, id).await {
            StatusCode::OK => Ok("ok".to_owned()),
            status => Err(HttpError::from_status(status, HeaderMap::new())),
        },
    }
}

/// 4 attempts, 2 ms apart, nothing else.
#[retry(stop = attempts(4), wait = fixed(2ms), retry_if = HttpError::is_transient)]
async fn unprotected(link: &Link, host: &str, id: u32) -> Result<String, HttpError> {
    fetch_item(link, host, id).await
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
async fn with_breaker(link: &Link, host: &str, id: u32) -> Result<String, HttpError> {
    fetch_item(link, host, id).await
}

/// One budget for every host: a reserve of 5 retries.
static SHARED: RetryBudget = RetryBudget::with_reserve(5, 10);

#[retry(stop = attempts(4), wait = fixed(2ms), retry_if = HttpError::is_transient, budget = SHARED)]
async fn shared_budget(link: &Link, host: &str, id: u32) -> Result<String, HttpError> {
    fetch_item(link, host, id).await
}

/// A budget per host, each with a reserve of 5 retries.
static BUDGETS: KeyedBudget<16> = KeyedBudget::new(RetryBudget::with_reserve(5, 10));

#[retry(
    stop = attempts(4),
    wait = fixed(2ms),
    retry_if = HttpError::is_transient,
    budget = BUDGETS.key(host)
)]
async fn budget_per_host(link: &Link, host: &str, id: u32) -> Result<String, HttpError> {
    fetch_item(link, host, id).await
}

/// The unprotected function, hedged: a request that has not answered after 20 ms gets another
/// beside it. A GET is safe to send twice at once, which is what `hedge` declares.
#[retry(stop = attempts(4), wait = fixed(2ms), retry_if = HttpError::is_transient, hedge = 20ms)]
async fn hedged(link: &Link, host: &str, id: u32) -> Result<String, HttpError> {
    fetch_item(link, host, id).await
}

/// What a series of calls to one upstream cost, and how long each took.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Calls {
    /// Requests the upstream received for these calls.
    pub requests: usize,
    /// Each call's time, sorted.
    pub latencies: Vec<Duration>,
    /// Calls that returned an error.
    pub failed: usize,
    /// Failed calls an open breaker refused without a request, and the longest one took.
    pub refused: usize,
    /// See above.
    pub slowest_refusal: Duration,
}

impl Calls {
    /// Times one call of `host`, counting the requests it sent; whether it succeeded.
    async fn time(
        &mut self,
        upstreams: &Upstreams,
        host: &str,
        call: impl Future<Output = Result<String, HttpError>>,
    ) -> bool {
        let before = upstreams.requests(host);
        let started = Instant::now();
        let outcome = call.await;
        let took = started.elapsed();
        self.requests += upstreams.requests(host) - before;
        let at = self.latencies.partition_point(|latency| *latency <= took);
        self.latencies.insert(at, took);
        if let Err(error) = &outcome {
            self.failed += 1;
            if error.breaker_open().is_some() {
                self.refused += 1;
                self.slowest_refusal = self.slowest_refusal.max(took);
            }
        }
        outcome.is_ok()
    }

    /// How many calls.
    pub fn calls(&self) -> usize {
        self.latencies.len()
    }

    /// Requests per call.
    pub fn per_call(&self) -> f64 {
        self.requests as f64 / self.calls().max(1) as f64
    }

    /// The calls' mean time.
    pub fn mean(&self) -> Duration {
        let total: Duration = self.latencies.iter().sum();
        total / u32::try_from(self.calls().max(1)).unwrap_or(u32::MAX)
    }

    /// The time `percent` % of calls did not exceed (nearest rank).
    pub fn percentile(&self, percent: usize) -> Duration {
        let rank = (self.calls() * percent).div_ceil(100).max(1);
        self.latencies
            .get(rank - 1)
            .copied()
            .unwrap_or(Duration::ZERO)
    }
}

/// What one run saw.
#[derive(Debug, Default)]
pub struct Outage {
    /// 20 calls to the down `billing`, unprotected.
    pub unprotected: Calls,
    /// The same with a breaker.
    pub breaker: Calls,
    /// 5 calls to the down `billing` with a budget shared by every host.
    pub shared_budget: Calls,
    /// The same with a budget per host.
    pub budget_per_host: Calls,
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
    /// 40 calls to the slow-tailed `catalog`, plainly.
    pub catalog_plain: Calls,
    /// The same, hedged after 20 ms.
    pub catalog_hedged: Calls,
}

impl Outage {
    /// The side-by-side table `main` prints: one row per upstream and protection, under 100
    /// columns.
    pub fn table(&self) -> String {
        let then_search = |failed: usize, succeeded: bool| {
            let search = if succeeded { "ok" } else { "no budget" };
            format!("{failed} failed; search: {search}")
        };
        let succeeded = |calls: &Calls| format!("{} ok", calls.calls() - calls.failed);
        let rows = [
            (
                "billing",
                "none",
                &self.unprotected,
                format!("{} failed", self.unprotected.failed),
            ),
            (
                "",
                "breaker",
                &self.breaker,
                format!(
                    "{} refused, {} failed",
                    self.breaker.refused,
                    self.breaker.failed - self.breaker.refused
                ),
            ),
            (
                "",
                "shared budget",
                &self.shared_budget,
                then_search(self.shared_budget.failed, self.search_with_shared_budget),
            ),
            (
                "",
                "budget per host",
                &self.budget_per_host,
                then_search(
                    self.budget_per_host.failed,
                    self.search_with_budget_per_host,
                ),
            ),
            (
                "catalog",
                "none",
                &self.catalog_plain,
                succeeded(&self.catalog_plain),
            ),
            (
                "",
                "hedge 20 ms",
                &self.catalog_hedged,
                succeeded(&self.catalog_hedged),
            ),
        ];
        let mut table = format!(
            "{:<7}  {:<15}  {:>13}  {:>9}  {:>8}  {:>8}  outcome\n{}\n",
            "",
            "protection",
            "requests/call",
            "time/call",
            "p50",
            "p99",
            "-".repeat(92)
        );
        for (upstream, protection, calls, outcome) in rows {
            let requests = format!(
                "{:.2} ({}/{})",
                calls.per_call(),
                calls.requests,
                calls.calls()
            );
            table += &format!(
                "{upstream:<7}  {protection:<15}  {requests:>13}  {:>9}  {:>8}  {:>8}  {outcome}\n",
                ms(calls.mean()),
                ms(calls.percentile(50)),
                ms(calls.percentile(99)),
            );
        }
        table
    }
}

/// A time in milliseconds, to a tenth.
fn ms(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1000.0)
}

/// Runs the five phases against a fresh loopback server.
pub async fn demo() -> std::io::Result<Outage> {
    let upstreams = Upstreams::default();
    let app = Router::new()
        .route("/{host}/{id}", get(serve_page))
        .with_state(upstreams.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let serving = tokio::spawn(async move { axum::serve(listener, app).await });
    let link = Link::Http {
        client: reqwest::Client::new(),
        base,
    };
    let outage = run(&link, &upstreams).await;
    serving.abort();
    Ok(outage)
}

/// Runs the same five phases against the upstreams' logic, in this process: on tokio's paused
/// clock every time is exact. The breakers and budgets are `static`s, so run it in a process
/// that does not also run [`demo`].
#[allow(dead_code)] // examples/tests/outage.rs calls it; demos.rs, in another process, does not
pub async fn demo_direct() -> Outage {
    let upstreams = Upstreams::default();
    run(&Link::Direct(upstreams.clone()), &upstreams).await
}

async fn run(link: &Link, upstreams: &Upstreams) -> Outage {
    *upstreams.billing_down.lock().unwrap() = true;
    let mut outage = Outage::default();

    for id in 0..20 {
        let call = unprotected(link, "billing", id);
        outage.unprotected.time(upstreams, "billing", call).await;
    }
    for id in 100..120 {
        let call = with_breaker(link, "billing", id);
        outage.breaker.time(upstreams, "billing", call).await;
    }
    for id in 200..205 {
        let call = shared_budget(link, "billing", id);
        outage.shared_budget.time(upstreams, "billing", call).await;
        let call = budget_per_host(link, "billing", id);
        outage
            .budget_per_host
            .time(upstreams, "billing", call)
            .await;
    }
    outage.search_with_shared_budget = shared_budget(link, "search", 1).await.is_ok();
    outage.search_with_budget_per_host = budget_per_host(link, "search", 2).await.is_ok();

    *upstreams.billing_down.lock().unwrap() = false;
    sleep(Duration::from_millis(25)).await; // the breaker's cool-down
    let before = upstreams.requests("billing");
    let _ = with_breaker(link, "billing", 300).await;
    outage.probe_requests = upstreams.requests("billing") - before;
    outage.breaker_after_probe = Some(BREAKERS.key("billing").state());

    for id in 0..40 {
        let call = unprotected(link, "catalog", id);
        outage.catalog_plain.time(upstreams, "catalog", call).await;
    }
    for id in 100..140 {
        let call = hedged(link, "catalog", id);
        outage.catalog_hedged.time(upstreams, "catalog", call).await;
    }
    outage
}

#[allow(dead_code)]
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let outage = demo().await?;
    println!(
        "billing is down; a search call after it needs one retry; every {SLOW_EVERY}th catalog \
         request takes {SLOW:?}.\nEach call: up to 4 attempts, 2 ms apart.\n"
    );
    print!("{}", outage.table());
    println!(
        "\nthe breaker's refused calls failed fast: {} each at most, against {} per unprotected call",
        ms(outage.breaker.slowest_refusal),
        ms(outage.unprotected.mean())
    );
    println!(
        "billing recovers; after the cool-down: {} request, breaker {:?}",
        outage.probe_requests,
        outage.breaker_after_probe.expect("set by the demo")
    );
    assert_eq!(outage.unprotected.requests, 80);
    assert_eq!(outage.breaker.requests, 4);
    assert!(!outage.search_with_shared_budget && outage.search_with_budget_per_host);
    assert!(outage.catalog_hedged.percentile(99) < outage.catalog_plain.percentile(99));
    Ok(())
}
