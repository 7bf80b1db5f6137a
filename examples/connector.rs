//! A data connector's declarative HTTP error handler, written as a configuration file
//! (`examples/connector.toml`), loaded through serde and run against a loopback server.
//!
//! The file gives each kind of error its own statuses and wait: rate limiting (429) waits what
//! the `Retry-After` header says, falling back to a constant; server errors (5xx) back off
//! exponentially; anything else (a 404) fails at once. The server serves pages of records: page 2
//! is rate-limited once, page 3 fails twice with 503, page 4 does not exist.
//!
//! Run it with `cargo run --example connector`. `examples/tests/demos.rs` runs the same demo with sleeps
//! skipped and asserts the server's request log.

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use persevere::condition::ErrorCode;
use persevere::config::{Http, PolicyConfig, ValidPolicy};
use persevere::hint::ServerHint;
use persevere::http::HttpStatus;
use persevere::retry;

/// The handler file: a shared stop, and a policy per kind of error.
#[derive(serde::Deserialize)]
struct HandlerFile {
    all: PolicyConfig,
    rate_limited: PolicyConfig,
    server_error: PolicyConfig,
}

/// The handler, validated once: a bad file is an error at start-up, naming the setting.
pub struct Handler {
    all: ValidPolicy<Http>,
    rate_limited: ValidPolicy<Http>,
    server_error: ValidPolicy<Http>,
}

impl Handler {
    /// Reads a handler from TOML.
    pub fn from_toml(text: &str) -> Result<Handler, String> {
        let file: HandlerFile = toml::from_str(text).map_err(|error| error.to_string())?;
        let validate = |config: PolicyConfig| {
            config
                .validate_for::<Http>()
                .map_err(|error| error.to_string())
        };
        Ok(Handler {
            all: validate(file.all)?,
            rate_limited: validate(file.rate_limited)?,
            server_error: validate(file.server_error)?,
        })
    }
}

static HANDLER: LazyLock<Handler> = LazyLock::new(|| {
    Handler::from_toml(include_str!("connector.toml")).expect("connector.toml is valid")
});

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// The server answered with an error status.
    Status {
        /// The status.
        status: StatusCode,
        /// The server's `Retry-After`, as a delay.
        retry_after: Option<Duration>,
    },
    /// No answer.
    Transport(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Status { status, .. } => write!(f, "HTTP {status}"),
            FetchError::Transport(error) => write!(f, "no answer: {error}"),
        }
    }
}

impl HttpStatus for FetchError {
    fn http_status(&self) -> Option<StatusCode> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            FetchError::Transport(_) => None,
        }
    }
}

impl ServerHint for FetchError {
    fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            FetchError::Transport(_) => None,
        }
    }
}

/// The connector's errors carry no codes.
impl ErrorCode for FetchError {
    fn error_code(&self) -> Option<&str> {
        None
    }
}

fn is_rate_limited(error: &FetchError) -> bool {
    error.http_status() == Some(StatusCode::TOO_MANY_REQUESTS)
}

/// Reads one page of records, with the handler the configuration describes.
#[retry(
    stop = HANDLER.all.stop(),
    wait = when(is_rate_limited, HANDLER.rate_limited.wait()).otherwise(HANDLER.server_error.wait()),
    retry_if = HANDLER.rate_limited.condition() | HANDLER.server_error.condition(),
    before_sleep = log(warn),
)]
pub async fn fetch_page(
    client: &reqwest::Client,
    server: SocketAddr,
    page: u32,
) -> Result<String, FetchError> {
    let response = client
        .get(format!("http://{server}/records?page={page}"))
        .send()
        .await
        .map_err(|error| FetchError::Transport(error.to_string()))?;
    let status = response.status();
    if status.is_success() {
        return response
            .text()
            .await
            .map_err(|error| FetchError::Transport(error.to_string()));
    }
    Err(FetchError::Status {
        status,
        retry_after: persevere::http::retry_after(response.headers(), SystemTime::now()),
    })
}

/// The page number of a request.
#[derive(serde::Deserialize)]
struct Page {
    page: u32,
}

/// The server's state: its log, and how often each page was asked for.
#[derive(Clone, Default)]
struct Server {
    log: Arc<Mutex<Vec<String>>>,
    asked: Arc<Mutex<[u32; 8]>>,
}

async fn records(State(server): State<Server>, Query(Page { page }): Query<Page>) -> Response {
    let asked = {
        let mut asked = server.asked.lock().unwrap();
        let slot = &mut asked[(page as usize).min(7)];
        *slot += 1;
        *slot
    };
    let response = match (page, asked) {
        (2, 1) => {
            let mut response = StatusCode::TOO_MANY_REQUESTS.into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        (3, 1 | 2) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        (4.., _) => StatusCode::NOT_FOUND.into_response(),
        _ => format!("records of page {page}").into_response(),
    };
    server.log.lock().unwrap().push(format!(
        "GET /records?page={page} -> {}",
        response.status().as_u16()
    ));
    response
}

/// What one run of the demo saw.
#[derive(Debug)]
pub struct Report {
    /// The server's log.
    pub requests: Vec<String>,
    /// Each page and what the connector made of it.
    pub pages: Vec<(u32, Result<String, FetchError>)>,
}

/// Starts the server on an ephemeral loopback port and reads pages 1 to 4.
pub async fn demo() -> std::io::Result<Report> {
    let server = Server::default();
    let app = Router::new()
        .route("/records", get(records))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let serving = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();
    let mut pages = Vec::new();
    for page in 1..=4 {
        pages.push((page, fetch_page(&client, address, page).await));
    }
    serving.abort();
    let requests = server.log.lock().unwrap().clone();
    Ok(Report { requests, pages })
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
    for (page, outcome) in &report.pages {
        match outcome {
            Ok(records) => println!("page {page}: {records}"),
            Err(error) => println!("page {page}: failed: {error}"),
        }
    }
    Ok(())
}
