//! A data connector's declarative HTTP error handler (`examples/connector.yaml`), written as the
//! connector's documentation writes it, read through serde and run against a loopback server.
//!
//! The server serves seven pages of records:
//! - page 1: 200;
//! - page 2: 429 with a `wait_time: 1` header, then 200: the client waits the header's 1 s;
//! - page 3: 503 twice, then 200: no filter matches 503, so the default retries it, with the
//!   first handler's constant 5 s;
//! - page 4: 200 with a `code` field twice (the job is not ready), then the records: the
//!   predicate `{{ 'code' in response }}` retries them, 5 s apart;
//! - page 5: 404, ignored: the call ends at once, and says so;
//! - page 6: 403 every time: exponential backoff (10 s, 20 s) until its handler's own
//!   `max_retries: 2`, then given up;
//! - page 7: 400 with "ignorethisresponse" in its body, ignored.
//!
//! Waits are on a virtual clock (a `RecordingSleeper`), so the demo ends at once while showing
//! the waits the handler chose; a real connector leaves `sleep` out. Run it with
//! `cargo run --example connector`; `examples/tests/demos.rs` runs it and asserts the server's log.

use std::net::SocketAddr;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use persevere::config::handler::ErrorHandler;
use persevere::reqwest::{HttpError, SendChecked};
use persevere::sleep::RecordingSleeper;
use persevere::{Ending, retry};

/// The connector's file: its requester and, in it, the error handler.
#[derive(serde::Deserialize)]
pub struct ConnectorFile {
    /// The requester.
    pub requester: Requester,
}

/// The part of a requester persevere reads.
#[derive(serde::Deserialize)]
pub struct Requester {
    /// The handler, or the connector's default when the file has none.
    #[serde(default)]
    pub error_handler: ErrorHandler,
}

impl ConnectorFile {
    /// Reads the file; a bad handler is an error naming the setting, with its line and column.
    pub fn from_yaml(text: &str) -> Result<ConnectorFile, String> {
        serde_norway::from_str(text).map_err(|error| error.to_string())
    }
}

/// Read once, at first use: a bad file stops the connector at start-up.
static HANDLER: LazyLock<ErrorHandler> = LazyLock::new(|| {
    ConnectorFile::from_yaml(include_str!("connector.yaml"))
        .unwrap_or_else(|error| panic!("connector.yaml: {error}"))
        .requester
        .error_handler
});

/// Asks for one page. A failed status is an `HttpError` (status, headers, body); a success is
/// the response itself, which the handler reads too (`outcomes()`): a 200 with a `code` field
/// is not yet the page.
#[retry(
    policy = HANDLER.outcomes().policy(),
    sleep = sleeper.clone(),
    before_sleep = log(warn),
    on_finish = |state| *ending.lock().unwrap() = state.ending(),
)]
pub async fn fetch_page(
    client: &reqwest::Client,
    server: SocketAddr,
    page: u32,
    sleeper: &RecordingSleeper,
    ending: &Mutex<Option<Ending>>,
) -> Result<http::Response<String>, HttpError> {
    let response = client
        .get(format!("http://{server}/records?page={page}"))
        .send_checked()
        .await?;
    let mut answer = http::Response::builder().status(response.status());
    if let Some(headers) = answer.headers_mut() {
        headers.extend(response.headers().clone());
    }
    let body = response.text().await?;
    Ok(answer
        .body(body)
        .expect("a status and headers taken from a response"))
}

/// What the connector made of one page.
#[derive(Debug)]
pub struct PageRead {
    /// The page.
    pub page: u32,
    /// Its body, or the error the call ended with.
    pub outcome: Result<String, String>,
    /// Why the call ended: `Succeeded`, `Ignored`, `Attempts`, …
    pub ending: Ending,
    /// The waits between its requests.
    pub waits: Vec<Duration>,
}

/// Reads `page`, telling an ignored page from a failed one by the call's ending.
pub async fn read_page(client: &reqwest::Client, server: SocketAddr, page: u32) -> PageRead {
    let sleeper = RecordingSleeper::new();
    let ending = Mutex::new(None);
    let outcome = fetch_page(client, server, page, &sleeper, &ending).await;
    // `on_finish` runs only after a failed attempt: no ending means a first-time success.
    let ending = ending.lock().unwrap().unwrap_or(Ending::Succeeded);
    PageRead {
        page,
        outcome: outcome
            .map(|response| response.into_body())
            .map_err(|error| match error.body() {
                Some(body) if !body.is_empty() => format!("{error}: {body}"),
                _ => error.to_string(),
            }),
        ending,
        waits: sleeper.sleeps(),
    }
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
    let records = format!(r#"{{"records": ["page {page}, record 1", "page {page}, record 2"]}}"#);
    let response = match (page, asked) {
        (2, 1) => {
            let mut response = StatusCode::TOO_MANY_REQUESTS.into_response();
            response
                .headers_mut()
                .insert("wait_time", HeaderValue::from_static("1"));
            response
        }
        (3, 1 | 2) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        (4, 1 | 2) => r#"{"code": "EXPORT_PENDING"}"#.into_response(),
        (5, _) => (StatusCode::NOT_FOUND, "no such page").into_response(),
        (6, _) => (StatusCode::FORBIDDEN, "forbidden").into_response(),
        (7, _) => (StatusCode::BAD_REQUEST, "ignorethisresponse").into_response(),
        _ => records.into_response(),
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
    pub pages: Vec<PageRead>,
}

/// Starts the server on an ephemeral loopback port and reads pages 1 to 7.
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
    for page in 1..=7 {
        pages.push(read_page(&client, address, page).await);
    }
    serving.abort();
    let requests = server.log.lock().unwrap().clone();
    Ok(Report { requests, pages })
}

/// `1 s, 5 s`.
fn waits(waits: &[Duration]) -> String {
    let each: Vec<String> = waits
        .iter()
        .map(|wait| format!("{} s", wait.as_secs_f64()))
        .collect();
    each.join(", ")
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
    for read in &report.pages {
        let waited = match read.waits.as_slice() {
            [] => String::new(),
            some => format!(", after waiting {}", waits(some)),
        };
        match (&read.outcome, read.ending) {
            (Ok(body), _) => println!("page {}: {body}{waited}", read.page),
            (Err(error), Ending::Ignored) => println!("page {}: ignored ({error})", read.page),
            (Err(error), ending) => {
                println!("page {}: failed ({ending}): {error}{waited}", read.page)
            }
        }
    }
    Ok(())
}
