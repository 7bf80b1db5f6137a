//! tenacity's log lines, a run-time policy and a schedule preview, against a real TCP server on
//! loopback that drops its first two connections.
//!
//! Run it with `cargo run --example log_lines`.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use persevere::stop::attempts;
use persevere::wait::{exponential, random_exponential};
use persevere::{Policy, retry};

/// Reads one line from the server. Any I/O error anywhere in the chain is worth another try.
#[retry(
    stop = attempts(4),
    wait = exponential(multiplier = 50ms, max = 1s),
    retry_if = error_type::<io::Error>(),
    before = log(debug),
    after = log(info),
    before_sleep = log(warn),
)]
fn fetch_greeting(address: &str) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let mut stream = TcpStream::connect(address)?;
    stream.write_all(b"HELLO\n")?;
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line)?;
    if line.is_empty() {
        return Err(
            io::Error::new(io::ErrorKind::ConnectionReset, "connection closed early").into(),
        );
    }
    Ok(line.trim().to_owned())
}

/// A server that closes its first `drops` connections without answering.
fn flaky_server(drops: usize) -> io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?.to_string();
    thread::spawn(move || {
        // Serves at most ten connections, then stops by itself.
        for (index, stream) in listener.incoming().take(10).enumerate() {
            let Ok(mut stream) = stream else { continue };
            if index < drops {
                drop(stream);
                continue;
            }
            let mut request = String::new();
            let _ = BufReader::new(&stream).read_line(&mut request);
            let _ = stream.write_all(b"hello from the server\n");
        }
    });
    Ok(address)
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_target(false)
        .without_time()
        .init();

    let address = flaky_server(2)?;
    let greeting = fetch_greeting(&address)?;
    println!("\ngot {greeting:?}\n");

    // The same strategies as values, chosen at run time (here from an environment variable).
    let jittered = std::env::var("BACKOFF").is_ok_and(|value| value == "jitter");
    let policy = Policy::new().stop(attempts(5));
    let schedule = if jittered {
        policy
            .wait(random_exponential().max(Duration::from_secs(8)))
            .schedule::<(), ()>(10)
    } else {
        policy
            .wait(
                exponential()
                    .min(Duration::from_secs(4))
                    .max(Duration::from_secs(10)),
            )
            .schedule::<(), ()>(10)
    };
    println!(
        "if every attempt failed, the policy would sleep {:?}, {:?} in all",
        schedule.waits, schedule.total
    );
    Ok(())
}
