//! The headline in action, against a real HTTP server on loopback.
//!
//! The server answers `503 Service Unavailable` twice, then `200 OK`. The client retries server
//! errors and 429 (never other 4xx), prints each attempt and each planned sleep, and gets through
//! on the third attempt.
//!
//! Run it with `cargo run --example quickstart`.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use persevere::retry;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug)]
enum SendError {
    Status(u16),
    Io(std::io::Error),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Status(code) => write!(f, "HTTP {code}"),
            SendError::Io(error) => write!(f, "I/O error: {error}"),
        }
    }
}

impl std::error::Error for SendError {}

impl From<std::io::Error> for SendError {
    fn from(error: std::io::Error) -> Self {
        SendError::Io(error)
    }
}

/// Throttling and server errors pass; other client errors will not be fixed by asking again.
fn is_transient(error: &SendError) -> bool {
    match error {
        SendError::Status(code) => matches!(code, 408 | 429 | 500 | 502 | 503 | 504),
        SendError::Io(_) => true,
    }
}

#[retry(
    stop = attempts(4),
    wait = exponential(multiplier = 100ms, min = 100ms, max = 1s),
    retry_if = is_transient,
    before = |state| println!("attempt {}: POST /messages", state.attempt()),
    before_sleep = |state| println!(
        "  failed with {}; sleeping {:?} before the next attempt",
        state.error().map_or_else(String::new, ToString::to_string),
        state.upcoming_sleep().unwrap_or_default(),
    ),
)]
async fn send_message(address: &str, text: &str) -> Result<String, SendError> {
    let mut stream = TcpStream::connect(address).await?;
    let request = format!(
        "POST /messages HTTP/1.1\r\nHost: {address}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let status: u16 = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(500);
    if status != 200 {
        return Err(SendError::Status(status));
    }
    Ok(response
        .rsplit("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_owned())
}

/// A server that fails the first `failures` requests with 503.
async fn flaky_server(failures: u32) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?.to_string();
    let seen = Arc::new(AtomicU32::new(0));
    tokio::spawn(async move {
        // Serves at most ten requests, then stops by itself.
        for _ in 0..10 {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buffer = [0u8; 1024];
            let _ = socket.read(&mut buffer).await;
            let reply = if seen.fetch_add(1, Ordering::SeqCst) < failures {
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy"
            } else {
                "HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\ndelivered"
            };
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    Ok(address)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let address = flaky_server(2).await?;
    println!("server listening on {address}, failing its first 2 requests with 503\n");
    let start = Instant::now();
    let body = send_message(&address, "hello").await?;
    println!("\nserver said {body:?} after {:.1?}", start.elapsed());
    Ok(())
}
