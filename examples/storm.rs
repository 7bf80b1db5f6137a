//! A retry storm, with and without a retry budget (issue 8).
//!
//! Hundreds of concurrent callers share one `reqwest` client against an axum server on an
//! ephemeral port of 127.0.0.1. The demo, not the wall clock, decides when the server is down, so
//! the counts are exact:
//!
//! 1. the outage: the server answers `503` to every request while each caller makes one call;
//! 2. the recovery: the server answers `200` while each caller makes one more call.
//!
//! Each call is a `#[retry]` async fn stopping after 4 attempts with a millisecond backoff. Without
//! a budget, every call of the outage makes all 4 attempts: the callers send the server 4 times
//! their load just when it can least take it. With a budget (`RetryBudget::new()`: a reserve of 10
//! retries, a tenth of a retry earned back per success), first attempts are free and the reserve
//! is all the retries the whole fleet gets: the outage sees one request per call plus 10. Once the
//! server is back, every call succeeds at its first attempt either way, and the successes refill
//! the budget.
//!
//! Run it with `cargo run --example storm`. `examples/tests/storm.rs` runs the same demo with sleeps
//! skipped and asserts the server's counts.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use persevere::budget::RetryBudget;
use persevere::retry;
use tokio::task::JoinSet;

/// The stop's attempt count: what a call sends a server that fails everything, without a budget.
pub const ATTEMPTS: u32 = 4;

/// At most this many callers, whatever `demo` is asked for.
pub const MAX_CALLERS: usize = 1_000;

/// Each request's own limit: a server that does not answer is a transport error, retried.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// The server answered with an error status.
    Status(StatusCode),
    /// The request did not get an answer.
    Transport(String),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Status(status) => write!(f, "HTTP {status}"),
            CallError::Transport(error) => write!(f, "no answer: {error}"),
        }
    }
}

impl CallError {
    /// Server errors, throttling and lost requests may pass if asked again; other 4xx will not.
    fn is_transient(&self) -> bool {
        match self {
            CallError::Status(status) => persevere::http::is_retryable_status(*status),
            CallError::Transport(_) => true,
        }
    }
}

async fn fetch(client: &reqwest::Client, url: &str) -> Result<(), CallError> {
    let response = client
        .get(url)
        .send()
        .await
        .map_err(|error| CallError::Transport(error.to_string()))?;
    match response.status() {
        status if status.is_success() => Ok(()),
        status => Err(CallError::Status(status)),
    }
}

/// One logical call, retried by the stop alone.
#[retry(
    stop = attempts(ATTEMPTS),
    wait = exponential(multiplier = 1ms, max = 8ms),
    retry_if = |error: &CallError| error.is_transient(),
)]
pub async fn call_unbudgeted(client: &reqwest::Client, url: &str) -> Result<(), CallError> {
    fetch(client, url).await
}

/// The same call, spending its retries from a budget shared by every caller. A budget usually
/// lives in a `static` named here (`budget = STORM`); the demo takes it as an argument so that
/// each run, and each test, can bring its own.
#[retry(
    stop = attempts(ATTEMPTS),
    wait = exponential(multiplier = 1ms, max = 8ms),
    retry_if = |error: &CallError| error.is_transient(),
    budget = *shared,
)]
pub async fn call_budgeted(
    client: &reqwest::Client,
    url: &str,
    shared: &RetryBudget,
) -> Result<(), CallError> {
    fetch(client, url).await
}

/// The server: it counts requests, and fails every one while `outage` is set.
#[derive(Clone, Default)]
struct Server {
    requests: Arc<AtomicU64>,
    outage: Arc<AtomicBool>,
}

async fn work(State(server): State<Server>) -> StatusCode {
    server.requests.fetch_add(1, Ordering::Relaxed);
    if server.outage.load(Ordering::Relaxed) {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    }
}

/// What one phase of a scenario saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// Logical calls made: one per caller.
    pub calls: u64,
    /// Requests the server answered during the phase.
    pub requests: u64,
    /// Calls that ended with `Ok`.
    pub succeeded: u64,
    /// From the start of the phase (for the recovery: the moment the server came back) to each
    /// call's end: the mean and the largest.
    pub mean_done: Duration,
    /// See `mean_done`.
    pub max_done: Duration,
}

impl Phase {
    /// Load amplification: server requests per logical call.
    pub fn amplification(&self) -> f64 {
        self.requests as f64 / self.calls as f64
    }
}

/// One configuration of the clients through an outage and a recovery.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// While the server fails every request.
    pub outage: Phase,
    /// Once it answers again.
    pub recovered: Phase,
    /// Whole retries the budget held after the outage and after the recovery (none without one).
    pub retries_left: Option<(u64, u64)>,
}

/// What one run of the demo saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Concurrent callers, each making one call per phase.
    pub callers: u64,
    /// The callers without a budget.
    pub unbudgeted: Scenario,
    /// The callers sharing the budget.
    pub budgeted: Scenario,
}

/// Runs `callers` calls at once (each on its own task) and waits for them all, counting the
/// server's requests.
async fn phase<F, Fut>(callers: usize, server: &Server, call: F) -> Phase
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), CallError>> + Send + 'static,
{
    let before = server.requests.load(Ordering::Relaxed);
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..callers {
        let call = call();
        tasks.spawn(async move {
            let outcome = call.await;
            (outcome.is_ok(), started.elapsed())
        });
    }
    let (mut succeeded, mut total, mut max_done) = (0, Duration::ZERO, Duration::ZERO);
    while let Some(done) = tasks.join_next().await {
        let (ok, took) = done.expect("a caller's task does not panic");
        succeeded += u64::from(ok);
        total += took;
        max_done = max_done.max(took);
    }
    let calls = callers as u64;
    Phase {
        calls,
        requests: server.requests.load(Ordering::Relaxed) - before,
        succeeded,
        mean_done: total / callers.max(1) as u32,
        max_done,
    }
}

/// Starts the server on an ephemeral loopback port, and runs `callers` callers (at most
/// [`MAX_CALLERS`]) through an outage and a recovery: first without a budget, then sharing
/// `budget`.
pub async fn demo(callers: usize, budget: &'static RetryBudget) -> std::io::Result<Report> {
    let callers = callers.clamp(1, MAX_CALLERS);
    let server = Server::default();
    let app = Router::new()
        .route("/work", get(work))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url: Arc<str> = format!("http://{}/work", listener.local_addr()?).into();
    let serving = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .map_err(std::io::Error::other)?;

    let unbudgeted = || {
        let (client, url) = (client.clone(), Arc::clone(&url));
        async move { call_unbudgeted(&client, &url).await }
    };
    let budgeted = || {
        let (client, url) = (client.clone(), Arc::clone(&url));
        async move { call_budgeted(&client, &url, budget).await }
    };

    server.outage.store(true, Ordering::Relaxed);
    let outage = phase(callers, &server, unbudgeted).await;
    server.outage.store(false, Ordering::Relaxed);
    let recovered = phase(callers, &server, unbudgeted).await;
    let unbudgeted = Scenario {
        outage,
        recovered,
        retries_left: None,
    };

    server.outage.store(true, Ordering::Relaxed);
    let outage = phase(callers, &server, budgeted).await;
    let left_after_outage = budget.retries_left();
    server.outage.store(false, Ordering::Relaxed);
    let recovered = phase(callers, &server, budgeted).await;
    let budgeted = Scenario {
        outage,
        recovered,
        retries_left: Some((left_after_outage, budget.retries_left())),
    };

    serving.abort();
    Ok(Report {
        callers: callers as u64,
        unbudgeted,
        budgeted,
    })
}

/// The budget the demo's callers share: a reserve of 10 retries, a tenth earned back per success.
static STORM: RetryBudget = RetryBudget::new();

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1_000.0)
}

#[allow(dead_code)]
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    // The budget logs each call it ends early at `info`: hundreds of lines in a storm.
    tracing_subscriber::fmt()
        .with_target(false)
        .with_max_level(tracing::Level::WARN)
        .init();
    let reserve = STORM.retries_left();
    let report = demo(300, &STORM).await?;
    let calls = report.callers;
    println!(
        "{calls} concurrent callers, one call each per phase; stop = attempts({ATTEMPTS}), \
         wait = exponential(multiplier = 1ms, max = 8ms)"
    );
    println!();
    let mut rows = vec![[
        String::new(),
        "outage: requests/call".to_owned(),
        "recovered: requests/call".to_owned(),
        "recovered: succeeded after (mean / max)".to_owned(),
    ]];
    for (name, scenario) in [
        ("no budget", &report.unbudgeted),
        ("budget", &report.budgeted),
    ] {
        let (outage, recovered) = (&scenario.outage, &scenario.recovered);
        rows.push([
            name.to_owned(),
            format!(
                "{:.2}x ({}/{})",
                outage.amplification(),
                outage.requests,
                outage.calls
            ),
            format!(
                "{:.2}x ({}/{})",
                recovered.amplification(),
                recovered.requests,
                recovered.calls
            ),
            format!(
                "{} / {}",
                millis(recovered.mean_done),
                millis(recovered.max_done)
            ),
        ]);
    }
    let widths: [usize; 4] =
        std::array::from_fn(|column| rows.iter().map(|row| row[column].len()).max().unwrap_or(0));
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(column, (cell, width))| match column {
                0 => format!("{cell:<width$}"),
                _ => format!("{cell:>width$}"),
            })
            .collect();
        println!("{}", cells.join(" | "));
        if index == 0 {
            let rule: Vec<String> = widths.iter().map(|width| "-".repeat(*width)).collect();
            println!("{}", rule.join("-+-"));
        }
    }
    println!();
    for (name, scenario) in [
        ("no budget", &report.unbudgeted),
        ("budget", &report.budgeted),
    ] {
        println!(
            "{name}: outage {} requests, {} of {} calls succeeded, all done after {}; \
             recovery {} requests, {} of {} calls succeeded",
            scenario.outage.requests,
            scenario.outage.succeeded,
            scenario.outage.calls,
            millis(scenario.outage.max_done),
            scenario.recovered.requests,
            scenario.recovered.succeeded,
            scenario.recovered.calls,
        );
    }
    if let Some((after_outage, after_recovery)) = report.budgeted.retries_left {
        let bound = 1.1 * calls as f64 + reserve as f64;
        println!(
            "budget: {reserve} retries in reserve, {after_outage} left after the outage, \
             {after_recovery} after the recovery; outage bound 1.1 x {calls} calls + {reserve} = {bound:.0} requests"
        );
    }
    Ok(())
}
