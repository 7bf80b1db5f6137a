//! A cloud SDK's retry settings, whole: process-wide defaults loaded from `examples/sdk.toml`
//! (the SDK's `Configuration.set_default`), per-call options that override them field by field
//! (its `RuntimeOption`), and a default replaced while the program runs.
//!
//! The service is a line protocol on loopback (`<Action> <resource>` → `200 <result>` or
//! `<status> <code>`), scripted per request: it drops a connection, throttles (429), denies
//! (403 `AccessDenied`), refuses a bad parameter (400) and reports a busy resource (409), and
//! logs every request. Each call of the client shows one setting at work:
//!
//! | call | settings | shows |
//! |---|---|---|
//! | `DescribeInstances i-1` | global | a network error and throttling retried (the default condition), jittered backoff |
//! | `CreateCommand cmd-1` | global | `retry_error_codes = ["AccessDenied"]` retried |
//! | `DeleteInstance i-1` | global | a business error not retried |
//! | `ListImages all` | `backoff_strategy = ExponentialBackoffStrategy` | `min(20 ms · 2ⁿ, 60 ms)` for `num_max_retries = 4` |
//! | `RunCommand cmd-1` | `num_max_retries = 1`, `NoBackoffStrategy` | one retry, at once |
//! | `StopInstance i-1` | `auto_retry = false` | a single attempt |
//! | `ModifyInstance i-1` | a custom condition and a custom backoff | `ResourceIsBusy` retried, `5 ms · (n + 1)` |
//! | `CreateCommand cmd-2` | `retry_error_codes = []` | no codes for this call: `AccessDenied` not retried |
//! | `DescribeInstances i-2` | global, replaced with `num_max_retries = 1` | the next call sees the new default |
//!
//! Run it with `cargo run --example sdk`; it asserts the service's log. `tests/demos.rs` runs the
//! same demo with a recording sleeper and asserts the log and every wait.

use std::fmt;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use persevere::condition::{ErrorCode, is_network_error};
use persevere::config::SettingsConfig;
use persevere::retry;
use persevere::settings::{
    BackoffInput, BackoffStrategy, DefaultRetryCondition, GlobalSettings, RetryCondition,
    RetryOptions, ServiceError,
};
use persevere::sleep::{DefaultSleeper, SyncSleeper};

/// Why a call failed: the network, or the service's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request or its answer was lost: the kind of the I/O error.
    Network(io::ErrorKind),
    /// The service answered with an error status and code.
    Server { status: u16, code: String },
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(kind) => write!(f, "network error: {kind}"),
            ApiError::Server { status, code } => write!(f, "HTTP {status} {code}"),
        }
    }
}

impl ErrorCode for ApiError {
    fn error_code(&self) -> Option<&str> {
        match self {
            ApiError::Server { code, .. } => Some(code),
            ApiError::Network(_) => None,
        }
    }
}

/// What the SDK's default retry condition reads.
impl ServiceError for ApiError {
    fn is_network_error(&self) -> bool {
        matches!(self, ApiError::Network(kind) if is_network_error(&io::Error::from(*kind)))
    }
    fn is_throttled(&self) -> bool {
        matches!(self, ApiError::Server { status: 429, .. })
    }
}

/// The process-wide retry settings: the SDK's defaults until `set_default` replaces them.
pub static SDK: GlobalSettings<ApiError> = GlobalSettings::new();

/// A client of the service. `S` sleeps between attempts: the default sleeper when run, a
/// recording one in tests.
pub struct Client<S> {
    address: SocketAddr,
    sleeper: S,
    /// The waits before each retry, with the request they were for.
    waits: Mutex<Vec<(String, Duration)>>,
}

impl<S: SyncSleeper + Clone> Client<S> {
    /// Sends `request` under the process-wide settings, with `options` overriding them for
    /// this call only.
    #[retry(
        settings = SDK.overridden_by(options),
        sleep = self.sleeper.clone(),
        name = "ecs::call",
        before_sleep = |state| self.waits.lock().unwrap().push((request.to_owned(), state.upcoming_sleep().unwrap_or_default())),
        on_finish = log(info),
    )]
    pub fn call(
        &self,
        request: &str,
        options: &RetryOptions<ApiError>,
    ) -> Result<String, ApiError> {
        let network = |error: io::Error| ApiError::Network(error.kind());
        let mut stream = TcpStream::connect(self.address).map_err(network)?;
        writeln!(stream, "{request}").map_err(network)?;
        let mut answer = String::new();
        if BufReader::new(stream)
            .read_line(&mut answer)
            .map_err(network)?
            == 0
        {
            // The service closed the connection without answering.
            return Err(ApiError::Network(io::ErrorKind::UnexpectedEof));
        }
        match answer.trim().split_once(' ') {
            Some(("200", result)) => Ok(result.to_owned()),
            Some((status, code)) => Err(ApiError::Server {
                status: status.parse().unwrap_or(500),
                code: code.to_owned(),
            }),
            None => Err(ApiError::Server {
                status: 500,
                code: format!("Malformed({})", answer.trim()),
            }),
        }
    }
}

/// What the service answers each request with, in turn; the last answer repeats. `None` closes
/// the connection without answering.
fn script(request: &str) -> &'static [Option<&'static str>] {
    match request {
        "DescribeInstances i-1" => &[None, Some("429 Throttling"), Some("200 i-1:running")],
        "CreateCommand cmd-1" => &[
            Some("403 AccessDenied"),
            Some("403 AccessDenied"),
            Some("200 cmd-1:created"),
        ],
        "DeleteInstance i-1" => &[Some("400 InvalidParameter")],
        "ModifyInstance i-1" => &[
            Some("409 ResourceIsBusy"),
            Some("409 ResourceIsBusy"),
            Some("200 i-1:modified"),
        ],
        "CreateCommand cmd-2" => &[Some("403 AccessDenied")],
        _ => &[Some("429 Throttling")],
    }
}

/// The service: answers each request by its script until it reads `QUIT`, logging each.
fn serve(listener: TcpListener, log: Arc<Mutex<Vec<String>>>) {
    let mut seen: Vec<String> = Vec::new();
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let mut line = String::new();
        if BufReader::new(&stream).read_line(&mut line).is_err() {
            continue;
        }
        let request = line.trim().to_owned();
        if request == "QUIT" {
            return;
        }
        let answers = script(&request);
        let turn = seen.iter().filter(|asked| **asked == request).count();
        seen.push(request.clone());
        match answers[turn.min(answers.len() - 1)] {
            Some(answer) => {
                log.lock().unwrap().push(format!("{request} -> {answer}"));
                let _ = writeln!(stream, "{answer}");
            }
            None => log.lock().unwrap().push(format!("{request} -> (closed)")),
        }
    }
}

/// The service's log, as the demo must leave it.
pub const EXPECTED_REQUESTS: &[&str] = &[
    // A dropped connection, then throttling: both retried by the default condition.
    "DescribeInstances i-1 -> (closed)",
    "DescribeInstances i-1 -> 429 Throttling",
    "DescribeInstances i-1 -> 200 i-1:running",
    // A configured code: retried.
    "CreateCommand cmd-1 -> 403 AccessDenied",
    "CreateCommand cmd-1 -> 403 AccessDenied",
    "CreateCommand cmd-1 -> 200 cmd-1:created",
    // A business error: not retried.
    "DeleteInstance i-1 -> 400 InvalidParameter",
    // num_max_retries = 4: five attempts.
    "ListImages all -> 429 Throttling",
    "ListImages all -> 429 Throttling",
    "ListImages all -> 429 Throttling",
    "ListImages all -> 429 Throttling",
    "ListImages all -> 429 Throttling",
    // num_max_retries = 1 for this call: two attempts.
    "RunCommand cmd-1 -> 429 Throttling",
    "RunCommand cmd-1 -> 429 Throttling",
    // auto_retry = false for this call: one.
    "StopInstance i-1 -> 429 Throttling",
    // A custom condition retries a busy resource.
    "ModifyInstance i-1 -> 409 ResourceIsBusy",
    "ModifyInstance i-1 -> 409 ResourceIsBusy",
    "ModifyInstance i-1 -> 200 i-1:modified",
    // No codes for this call.
    "CreateCommand cmd-2 -> 403 AccessDenied",
    // The default replaced with num_max_retries = 1.
    "DescribeInstances i-2 -> 429 Throttling",
    "DescribeInstances i-2 -> 429 Throttling",
];

/// What one run of the demo saw.
#[derive(Debug)]
pub struct Report {
    /// The service's log: each request and its answer.
    pub requests: Vec<String>,
    /// Each call's request and outcome, in order.
    pub outcomes: Vec<(String, Result<String, ApiError>)>,
    /// The waits before each retry, with their request.
    pub waits: Vec<(String, Duration)>,
}

/// Loads the process-wide settings, starts the service on an ephemeral loopback port, and
/// makes each call of the table above through it, sleeping with `sleeper`.
pub fn demo<S: SyncSleeper + Clone>(sleeper: S) -> io::Result<Report> {
    // Configuration.set_default(configuration), from a file.
    let config: SettingsConfig = toml::from_str(include_str!("sdk.toml"))
        .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?;
    SDK.set_default(config.settings());

    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let log = Arc::new(Mutex::new(Vec::new()));
    let server = {
        let log = Arc::clone(&log);
        std::thread::spawn(move || serve(listener, log))
    };
    let client = Client {
        address,
        sleeper,
        waits: Mutex::new(Vec::new()),
    };

    let global = RetryOptions::new();
    let busy_too =
        RetryCondition::custom(|error: &ApiError, default: &DefaultRetryCondition<'_>| {
            default.should_retry(error) || error.error_code() == Some("ResourceIsBusy")
        });
    let steady = BackoffStrategy::custom(|input: &BackoffInput| {
        Duration::from_millis(5) * (input.retry_count() + 1)
    });
    // RuntimeOption(...) for each call that needs one.
    let calls: Vec<(&str, RetryOptions<ApiError>)> = vec![
        ("DescribeInstances i-1", global.clone()),
        ("CreateCommand cmd-1", global.clone()),
        ("DeleteInstance i-1", global.clone()),
        (
            "ListImages all",
            RetryOptions::new().backoff_strategy(BackoffStrategy::Exponential),
        ),
        (
            "RunCommand cmd-1",
            RetryOptions::new()
                .num_max_retries(1)
                .backoff_strategy(BackoffStrategy::NoBackoff),
        ),
        ("StopInstance i-1", RetryOptions::new().auto_retry(false)),
        (
            "ModifyInstance i-1",
            RetryOptions::new()
                .retry_condition(busy_too)
                .backoff_strategy(steady),
        ),
        (
            "CreateCommand cmd-2",
            RetryOptions::new().retry_error_codes(Vec::<String>::new()),
        ),
    ];
    let mut outcomes = Vec::new();
    for (request, options) in &calls {
        outcomes.push((request.to_string(), client.call(request, options)));
    }

    // The program replaces the default while it runs: the next call sees it.
    let mut replaced = SDK.current();
    replaced.num_max_retries = 1;
    SDK.set_default(replaced);
    let request = "DescribeInstances i-2";
    outcomes.push((request.to_owned(), client.call(request, &global)));

    // Stops the service.
    writeln!(TcpStream::connect(address)?, "QUIT")?;
    let _ = server.join();
    let requests = log.lock().unwrap().clone();
    Ok(Report {
        requests,
        outcomes,
        waits: client.waits.into_inner().unwrap(),
    })
}

#[allow(dead_code)]
fn main() -> io::Result<()> {
    tracing_subscriber::fmt().with_target(false).init();
    let started = std::time::Instant::now();
    let report = demo(DefaultSleeper)?;
    println!();
    println!("the service's log:");
    for request in &report.requests {
        println!("  {request}");
    }
    println!();
    println!("the waits before each retry:");
    for (request, wait) in &report.waits {
        println!("  {request}: {wait:?}");
    }
    println!();
    for (request, outcome) in &report.outcomes {
        match outcome {
            Ok(result) => println!("{request}: {result}"),
            Err(error) => println!("{request}: failed, {error}"),
        }
    }
    assert_eq!(report.requests, EXPECTED_REQUESTS, "the service's log");
    println!(
        "\nthe service's log is as expected ({:?})",
        started.elapsed()
    );
    Ok(())
}
