//! Hedging against a slow tail (issue 18).
//!
//! A server on an ephemeral port of 127.0.0.1 answers each request in 5 ms, except every tenth
//! request it receives, which takes 500 ms: a deterministic stand-in for the replica that is
//! collecting garbage or missing its cache. Callers make the same calls twice:
//!
//! 1. plainly: one call in ten waits the full 500 ms;
//! 2. hedged (`#[retry(hedge = 20ms)]`): a request that has not answered after 20 ms gets a
//!    second one beside it, which lands on a fast turn of the server and answers 5 ms later; the
//!    slow one is dropped.
//!
//! It prints the p50 and p99 latency of each, and the extra requests hedging sent (the price:
//! about one in ten). A request is one line over its own TCP connection: the server counts
//! arrivals, so hedging really does change which request is the slow one.
//!
//! Run it with `cargo run --example hedging` (about a second). `examples/tests/hedging.rs` runs
//! the same calls against the server's logic on tokio's paused clock and asserts the exact
//! latencies and counts.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use persevere::retry;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};

/// A fast answer.
pub const FAST: Duration = Duration::from_millis(5);
/// The slow answer, to every tenth request the server receives.
pub const SLOW: Duration = Duration::from_millis(500);
/// One request in this many is slow.
pub const SLOW_EVERY: u64 = 10;

/// The server's logic: counts arrivals, and answers the tenth, twentieth, ... slowly.
#[derive(Debug, Default)]
pub struct Server {
    arrivals: AtomicU64,
}

impl Server {
    /// Answers one request with its arrival number, after 5 ms, or 500 ms for every tenth.
    pub async fn answer(&self) -> u64 {
        let arrival = self.arrivals.fetch_add(1, Ordering::Relaxed) + 1;
        sleep(if arrival.is_multiple_of(SLOW_EVERY) {
            SLOW
        } else {
            FAST
        })
        .await;
        arrival
    }

    /// Requests received so far.
    pub fn arrivals(&self) -> u64 {
        self.arrivals.load(Ordering::Relaxed)
    }
}

/// How a caller reaches the server: over loopback TCP, or by calling its logic directly (the
/// test, on a paused clock).
#[derive(Debug, Clone)]
pub enum Client {
    /// One line per connection to this address.
    Tcp(SocketAddr),
    /// The server's logic, in this process.
    Direct(Arc<Server>),
}

impl Client {
    /// One request: the server's arrival number for it.
    pub async fn get(&self) -> io::Result<u64> {
        match self {
            Client::Direct(server) => Ok(server.answer().await),
            Client::Tcp(address) => {
                let mut stream = TcpStream::connect(address).await?;
                stream.write_all(b"GET\n").await?;
                let mut line = String::new();
                BufReader::new(stream).read_line(&mut line).await?;
                line.trim()
                    .parse()
                    .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, line))
            }
        }
    }
}

/// Serves `server` on an ephemeral port of 127.0.0.1, one request per connection.
pub async fn serve(server: Arc<Server>) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let server = Arc::clone(&server);
            tokio::spawn(async move {
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                if reader.read_line(&mut line).await.is_ok() {
                    let arrival = server.answer().await;
                    let _ = reader
                        .into_inner()
                        .write_all(format!("{arrival}\n").as_bytes())
                        .await;
                }
            });
        }
    });
    Ok(address)
}

/// A plain call: retried on a transport error, never hedged.
#[retry(stop = attempts(3), wait = fixed(10ms))]
pub async fn fetch(client: &Client) -> io::Result<u64> {
    client.get().await
}

/// The same call, hedged: a request that has not answered after 20 ms gets another beside it.
/// A GET is safe to send twice at once, which is what `hedge` declares.
#[retry(hedge = 20ms, stop = attempts(3), wait = fixed(10ms))]
pub async fn fetch_hedged(client: &Client) -> io::Result<u64> {
    client.get().await
}

/// What one way of calling measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// Each call's latency, sorted.
    pub latencies: Vec<Duration>,
    /// Requests the server received beyond one per call.
    pub extra_requests: u64,
}

impl Measured {
    /// The latency `percent` % of calls did not exceed (nearest rank).
    pub fn percentile(&self, percent: usize) -> Duration {
        let rank = (self.latencies.len() * percent).div_ceil(100).max(1);
        self.latencies[rank - 1]
    }
}

/// Makes `calls` calls in `lanes` concurrent lanes (each lane one call after another), hedged or
/// not, against `client`, whose server is `server`.
pub async fn measure(
    server: &Server,
    client: &Client,
    calls: usize,
    lanes: usize,
    hedged: bool,
) -> io::Result<Measured> {
    let before = server.arrivals();
    let mut lanes_running = JoinSet::new();
    let lanes = lanes.clamp(1, calls.max(1));
    for lane in 0..lanes {
        let client = client.clone();
        let share = calls / lanes + usize::from(lane < calls % lanes);
        lanes_running.spawn(async move {
            let mut latencies = Vec::with_capacity(share);
            for _ in 0..share {
                let started = Instant::now();
                if hedged {
                    fetch_hedged(&client).await?;
                } else {
                    fetch(&client).await?;
                }
                latencies.push(started.elapsed());
            }
            io::Result::Ok(latencies)
        });
    }
    let mut latencies = Vec::with_capacity(calls);
    while let Some(lane) = lanes_running.join_next().await {
        latencies.extend(lane.map_err(io::Error::other)??);
    }
    latencies.sort();
    Ok(Measured {
        latencies,
        extra_requests: (server.arrivals() - before).saturating_sub(calls as u64),
    })
}

/// Prints one line of the comparison.
pub fn line(name: &str, measured: &Measured) -> String {
    format!(
        "{name:<9} p50 {:>4} ms   p99 {:>4} ms   extra requests {:>3} of {}",
        measured.percentile(50).as_millis(),
        measured.percentile(99).as_millis(),
        measured.extra_requests,
        measured.latencies.len(),
    )
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> io::Result<()> {
    let server = Arc::new(Server::default());
    let client = Client::Tcp(serve(Arc::clone(&server)).await?);
    // 100 calls in 10 lanes: each way takes about half a second.
    let plain = measure(&server, &client, 100, 10, false).await?;
    let hedged = measure(&server, &client, 100, 10, true).await?;
    println!("every {SLOW_EVERY}th request the server receives takes {SLOW:?}, the rest {FAST:?}");
    println!("{}", line("plain", &plain));
    println!("{}", line("hedged", &hedged));
    Ok(())
}
