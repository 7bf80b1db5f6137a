//! What a retried call went through: its report, its `on_finish` log line and its tracing span,
//! against a real TCP server on loopback that drops its first connections.
//!
//! Run it with `cargo run --example observe`.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use persevere::stop::attempts;
use persevere::wait::exponential;
use persevere::{Policy, retry};
use tracing_subscriber::fmt::format::FmtSpan;

/// Reads one line from the server, retrying connection errors, with a span per call that fails
/// and a line when it ends.
#[retry(
    stop = attempts(4),
    wait = exponential(multiplier = 20ms),
    on_finish = log(info),
    span = true,
)]
fn fetch_greeting(address: &str) -> io::Result<String> {
    read_line(address)
}

fn read_line(address: &str) -> io::Result<String> {
    let mut stream = TcpStream::connect(address)?;
    stream.write_all(b"HELLO\n")?;
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line)?;
    if line.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "connection closed early",
        ));
    }
    Ok(line.trim().to_owned())
}

/// A server that closes its first `drops` connections without answering, then greets.
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

/// What the demo saw: the attribute's greeting, and the policy's outcome and report.
pub struct Demo {
    pub greeting: String,
    pub outcome: io::Result<String>,
    pub report: persevere::Report,
}

/// Calls each flaky server once through the attribute and once through a `Policy`.
pub fn demo() -> io::Result<Demo> {
    let greeting = fetch_greeting(&flaky_server(2)?)?;
    let address = flaky_server(2)?;
    let (outcome, report) = Policy::new()
        .named("observe::read_line")
        .stop(attempts(4))
        .wait(exponential().multiplier(Duration::from_millis(20)))
        .call_reported(|| read_line(&address));
    Ok(Demo {
        greeting,
        outcome,
        report,
    })
}

#[allow(dead_code)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The span's fields are printed when it closes.
    tracing_subscriber::fmt()
        .with_target(false)
        .without_time()
        .with_span_events(FmtSpan::CLOSE)
        .init();

    let Demo {
        greeting,
        outcome,
        report,
    } = demo()?;
    println!(
        "the attribute got {greeting:?}: above, its span, an event per failed attempt, and its on_finish line\n"
    );
    println!("a Policy hands back the report beside the outcome:");
    println!("outcome: {outcome:?}");
    println!("report:  {report}");
    if let Some(history) = report.history() {
        for (number, attempt) in history.iter().enumerate() {
            println!(
                "  attempt {}: {:?}, then waited {:?}",
                number + 1,
                attempt.outcome,
                attempt.wait
            );
        }
    }
    Ok(())
}
