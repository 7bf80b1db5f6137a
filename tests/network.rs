//! `network()`: transport failures are retried, for any client, through the attribute and
//! `Policy`, against real sockets on loopback.

use std::cell::Cell;
use std::io::{self, Read};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use persevere::condition::network;
use persevere::stop::attempts;
use persevere::{Policy, retry};

/// A loopback port nobody listens on: bound, then released.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[retry(retry_if = network(), stop = attempts(3), wait = fixed(0s))]
fn connect(port: u16, calls: &Cell<u32>) -> Result<TcpStream, io::Error> {
    calls.set(calls.get() + 1);
    TcpStream::connect(("127.0.0.1", port))
}

#[test]
fn a_refused_connection_is_retried() {
    let calls = Cell::new(0);
    let error = connect(closed_port(), &calls).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
    assert_eq!(calls.get(), 3);
}

/// A server that accepts each connection and closes it before answering.
fn read_answer(port: u16) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut answer = [0u8; 1];
    stream.read_exact(&mut answer)?;
    Ok(answer.to_vec())
}

#[test]
fn a_connection_closed_before_the_answer_is_retried_through_a_box() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        // Two connections closed at once, then one answered.
        for answer in [None, None, Some(7u8)] {
            let (mut stream, _) = listener.accept().unwrap();
            if let Some(byte) = answer {
                io::Write::write_all(&mut stream, &[byte]).unwrap();
            }
        }
    });
    let calls = Cell::new(0);
    let policy = Policy::new()
        .stop(attempts(5))
        .wait(Duration::ZERO)
        .retry_if(network());
    let answer = policy.call(|| {
        calls.set(calls.get() + 1);
        read_answer(port)
    });
    server.join().unwrap();
    assert_eq!(answer.unwrap(), [7]);
    assert_eq!(calls.get(), 3);
}

#[derive(Debug)]
struct Parse;

impl std::fmt::Display for Parse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("bad answer")
    }
}

impl std::error::Error for Parse {}

#[retry(retry_if = network(), stop = attempts(3), wait = fixed(0s))]
fn parse_answer(calls: &Cell<u32>) -> Result<u8, anyhow::Error> {
    calls.set(calls.get() + 1);
    Err(Parse.into())
}

#[test]
fn other_errors_are_not_retried() {
    let calls = Cell::new(0);
    assert!(parse_answer(&calls).is_err());
    assert_eq!(calls.get(), 1);
}

#[retry(retry_if = network(), stop = attempts(2), wait = fixed(0s))]
async fn connect_async(port: u16, calls: &Cell<u32>) -> Result<tokio::net::TcpStream, io::Error> {
    calls.set(calls.get() + 1);
    tokio::net::TcpStream::connect(("127.0.0.1", port)).await
}

#[tokio::test]
async fn async_clients_too() {
    let calls = Cell::new(0);
    let error = connect_async(closed_port(), &calls).await.unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
    assert_eq!(calls.get(), 2);
}
