//! A loopback HTTP server whose pages answer from a script, keeping a log of every request
//! (`"METHOD /page STATUS"`, with the `x-retry-attempt` header when one came). Shared by the
//! tests of the HTTP integrations. Also the transport failures: a port nobody listens on, a
//! server that accepts and closes, one that never answers.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;

#[derive(Clone, Default)]
pub struct Log(pub Arc<Mutex<Vec<String>>>);

impl Log {
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
    pub fn clear(&self) {
        self.0.lock().unwrap().clear();
    }
}

/// What a page answers to its `seen`-th request (from 0). Unknown pages answer 200 "hello".
fn script(name: &str, seen: usize) -> Response {
    let busy = |headers: Vec<(&'static str, String)>| {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(name, value.parse().unwrap());
        }
        (StatusCode::TOO_MANY_REQUESTS, map, "slow down").into_response()
    };
    match (name, seen) {
        ("flaky", 0 | 1) => (StatusCode::SERVICE_UNAVAILABLE, "down").into_response(),
        ("down", _) => (StatusCode::SERVICE_UNAVAILABLE, "down").into_response(),
        ("missing", _) => (StatusCode::NOT_FOUND, "no such page").into_response(),
        ("retry-after", 0) => busy(vec![("retry-after", "2".into())]),
        ("retry-after-date", 0) => {
            let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
            busy(vec![
                ("date", httpdate::fmt_http_date(now)),
                (
                    "retry-after",
                    httpdate::fmt_http_date(now + Duration::from_secs(7)),
                ),
            ])
        }
        ("ratelimit", 0) => busy(vec![("ratelimit", "\"default\";r=0;t=4".into())]),
        ("ratelimit-reset", 0) => busy(vec![("ratelimit-reset", "5".into())]),
        ("x-ratelimit-reset", 0) => busy(vec![("x-ratelimit-reset", "6".into())]),
        ("x-ratelimit-reset-timestamp", 0) => {
            let at = SystemTime::now() + Duration::from_secs(3600);
            let at = at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
            busy(vec![("x-ratelimit-reset", at.to_string())])
        }
        ("amz", 0) => busy(vec![("x-amz-retry-after", "1500".into())]),
        ("grpc", 0) => busy(vec![("grpc-retry-pushback-ms", "250".into())]),
        ("grpc-stop", _) => busy(vec![("grpc-retry-pushback-ms", "-1".into())]),
        // Garbage in every family but the last: the last is honoured.
        ("garbage", 0) => busy(vec![
            ("retry-after", "soon".into()),
            ("ratelimit", "reset=later".into()),
            ("ratelimit-reset", "-3".into()),
            ("x-ratelimit-reset", "1.5".into()),
            ("x-amz-retry-after", "99999999999999999999999".into()),
            ("grpc-retry-pushback-ms", "700".into()),
        ]),
        // A header of the server's own, read by a custom order.
        ("wait-time", 0) => busy(vec![
            ("retry-after", "9".into()),
            ("wait_time", "retry in 3 seconds".into()),
        ]),
        ("wait-until", 0) => {
            let at = SystemTime::now() + Duration::from_secs(120);
            let at = at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
            busy(vec![("wait_until", format!("until={at}"))])
        }
        // Garbage only: no hint, so the fallback.
        ("all-garbage", 0) => busy(vec![("retry-after", "tomorrow".into())]),
        _ => (StatusCode::OK, "hello").into_response(),
    }
}

async fn page(State(log): State<Log>, Path(name): Path<String>, request: Request) -> Response {
    let mut lines = log.0.lock().unwrap();
    let method = request.method().clone();
    let prefix = format!("{method} /{name} ");
    let seen = lines
        .iter()
        .filter(|line| line.starts_with(&prefix))
        .count();
    let response = script(&name, seen);
    let attempt = request
        .headers()
        .get("x-retry-attempt")
        .map(|value| format!(" #{}", value.to_str().unwrap()))
        .unwrap_or_default();
    lines.push(format!("{prefix}{}{attempt}", response.status().as_u16()));
    response
}

/// A scripted server on loopback: its base URL and its request log.
pub async fn serve() -> (String, Log) {
    let log = Log::default();
    let app = Router::new()
        .route("/{name}", any(page))
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), log)
}

/// The scripted server on a thread of its own, for blocking clients.
pub fn serve_on_thread() -> (String, Log) {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            sender.send(serve().await).unwrap();
            std::future::pending::<()>().await
        })
    });
    receiver.recv().unwrap()
}

/// A port on loopback that nobody listens on.
pub fn closed_port() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

/// A raw server on loopback that hands each connection to `answer` on one thread, counting the
/// connections; `answer` may keep the stream (to leave it open) or drop it.
fn counting_server(
    mut answer: impl FnMut(std::net::TcpStream) + Send + 'static,
) -> (String, Arc<Mutex<u32>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(Mutex::new(0));
    let counted = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            *counted.lock().unwrap() += 1;
            answer(stream);
        }
    });
    (format!("http://{address}"), accepted)
}

/// Reads what the client sent first, so that closing the stream is not a reset before the
/// request arrived.
fn read_request(stream: &mut std::net::TcpStream) {
    let mut buffer = [0; 4096];
    let _ = std::io::Read::read(stream, &mut buffer);
}

/// A server that accepts each connection and closes it at once; it counts the connections.
pub fn closing_server() -> (String, Arc<Mutex<u32>>) {
    counting_server(|mut stream| read_request(&mut stream))
}

/// A server that accepts each connection and never answers; it counts the connections.
pub fn silent_server() -> (String, Arc<Mutex<u32>>) {
    let mut open = Vec::new();
    counting_server(move |stream| open.push(stream))
}

/// A server that answers each request `200` with a `content-length` of 100 and then closes after
/// five bytes: a body cut short. It counts the connections.
pub fn truncating_server() -> (String, Arc<Mutex<u32>>) {
    counting_server(|mut stream| {
        read_request(&mut stream);
        let _ = std::io::Write::write_all(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\nconnection: close\r\n\r\nhello",
        );
    })
}
