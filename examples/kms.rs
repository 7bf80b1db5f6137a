//! A cloud KMS that throttles, and a sync client that retries only the two codes its guide says
//! are transient, `InternalError` and `RequestLimitExceeded`, with `2^n × 100 ms` backoff and at
//! most 10 tries; any other code stops at once.
//!
//! The service is a line protocol on loopback (`ENCRYPT <key>` → `OK <ciphertext>` or
//! `ERR <code>`): it throttles the first two requests, fails the third, then works; it refuses
//! the key `forbidden` with `AccessDenied`.
//!
//! Run it with `cargo run --example kms`. `examples/tests/demos.rs` runs the same demo with sleeps skipped
//! and asserts the service's request log.

use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use persevere::condition::ErrorCode;
use persevere::retry;

/// What the service answered, or why the client could not ask.
#[derive(Debug, Clone, PartialEq)]
pub enum KmsError {
    /// The service refused with a code.
    Code(String),
    /// The connection failed.
    Io(String),
}

impl fmt::Display for KmsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KmsError::Code(code) => write!(f, "the KMS answered {code}"),
            KmsError::Io(error) => write!(f, "I/O error: {error}"),
        }
    }
}

impl ErrorCode for KmsError {
    fn error_code(&self) -> Option<&str> {
        match self {
            KmsError::Code(code) => Some(code),
            KmsError::Io(_) => None,
        }
    }
}

/// The two codes the KMS guide names as worth retrying.
const TRANSIENT: [&str; 2] = ["InternalError", "RequestLimitExceeded"];

/// Encrypts `key`, retrying throttling and internal errors.
#[retry(
    stop = attempts(10),
    wait = exponential(multiplier = 100ms),
    retry_if = error_codes(TRANSIENT),
    before_sleep = |state| waits.lock().unwrap().push(state.upcoming_sleep().unwrap_or_default()),
    after = log(info),
)]
fn encrypt(kms: SocketAddr, key: &str, waits: &Mutex<Vec<Duration>>) -> Result<String, KmsError> {
    let io = |error: std::io::Error| KmsError::Io(error.to_string());
    let mut stream = TcpStream::connect(kms).map_err(io)?;
    writeln!(stream, "ENCRYPT {key}").map_err(io)?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).map_err(io)?;
    match answer.trim().split_once(' ') {
        Some(("OK", ciphertext)) => Ok(ciphertext.to_owned()),
        Some(("ERR", code)) => Err(KmsError::Code(code.to_owned())),
        _ => Err(KmsError::Code(format!("Malformed({})", answer.trim()))),
    }
}

/// The service: throttles twice, fails once, then encrypts; refuses `forbidden`. Every request
/// is logged. Serves `requests` connections, then stops.
fn serve(listener: TcpListener, requests: usize, log: Arc<Mutex<Vec<String>>>) {
    for (index, stream) in listener.incoming().take(requests).enumerate() {
        let Ok(mut stream) = stream else { continue };
        let mut line = String::new();
        if BufReader::new(&stream).read_line(&mut line).is_err() {
            continue;
        }
        let key = line
            .trim()
            .strip_prefix("ENCRYPT ")
            .unwrap_or("")
            .to_owned();
        let answer = match (index, key.as_str()) {
            (_, "forbidden") => "ERR AccessDenied".to_owned(),
            (0 | 1, _) => "ERR RequestLimitExceeded".to_owned(),
            (2, _) => "ERR InternalError".to_owned(),
            _ => format!("OK {}", key.chars().rev().collect::<String>()),
        };
        log.lock()
            .unwrap()
            .push(format!("{} -> {answer}", line.trim()));
        let _ = writeln!(stream, "{answer}");
    }
}

/// What one run of the demo saw.
#[derive(Debug)]
pub struct Report {
    /// The service's log: each request and its answer.
    pub requests: Vec<String>,
    /// The client's outcome for `secret`, then for `forbidden`.
    pub outcomes: Vec<Result<String, KmsError>>,
    /// The waits before each retry.
    pub waits: Vec<Duration>,
}

/// Starts the service on an ephemeral loopback port and encrypts two keys through it.
pub fn demo() -> std::io::Result<Report> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let log = Arc::new(Mutex::new(Vec::new()));
    let server = {
        let log = Arc::clone(&log);
        std::thread::spawn(move || serve(listener, 5, log))
    };
    let waits = Mutex::new(Vec::new());
    let outcomes = vec![
        encrypt(address, "secret", &waits),
        encrypt(address, "forbidden", &waits),
    ];
    let _ = server.join();
    let requests = log.lock().unwrap().clone();
    let waits = waits.into_inner().unwrap();
    Ok(Report {
        requests,
        outcomes,
        waits,
    })
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().with_target(false).init();
    let report = demo()?;
    println!();
    println!("the service's log:");
    for request in &report.requests {
        println!("  {request}");
    }
    println!("waits before each retry: {:?}", report.waits);
    for outcome in &report.outcomes {
        match outcome {
            Ok(ciphertext) => println!("encrypted: {ciphertext}"),
            Err(error) => println!("gave up at once: {error}"),
        }
    }
    Ok(())
}
