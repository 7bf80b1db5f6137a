//! The same policy where the HTTP stack lives (the `tower` feature): [`RetryLayer`] runs a
//! persevere [`Policy`](crate::Policy) around each request of any tower service of
//! `http::Request<B>`: hyper-util's client, a tonic channel, an axum router, your own.
//!
//! The policy sees each attempt as `Result<http::Response<B>, Failure<B, E>>`, `E` being the
//! service's error: a response whose status is not a success (2xx) is a [`Failure`] kept
//! whole, its body unread, so the server's hints reach [`server_hint`](crate::wait::server_hint)
//! and [`Failure::is_transient`] decides with the request's method in mind. When the policy
//! ends, the caller gets the last response whatever its status (as without the layer), or the
//! service's error when the last attempt got no response. A response carries the call's
//! [`Report`](crate::Report) in its extensions (unless the call was a request that could not be
//! copied, cut short, below).
//!
//! - **Which requests are sent again**: a request that never reached the server (a refused
//!   connection, a failed name lookup) always may be. Otherwise GET, HEAD, PUT, DELETE, OPTIONS
//!   and TRACE, and any request carrying an `Idempotency-Key`; a POST or a PATCH without one
//!   only if the layer was built with [`any_method`](RetryLayer::any_method). See
//!   [`Resend`](crate::http::Resend).
//! - **Copies of the request**: the layer copies each request before sending it, so that a
//!   service that consumes it leaves one to retry with: with `Clone` for bodies that are
//!   (`Full<Bytes>`, `String`), or with [`rebuild_with`](RetryLayer::rebuild_with) for bodies
//!   that are not. A request that cannot be copied is sent once: if the policy would retry its
//!   outcome, that outcome is handed back at once.
//! - **Time limits**: a policy's `timeout(..)` and `total_timeout(..)` work when the service's
//!   error has `From<persevere::Timeout>`, as tower's `BoxError` has (for hyper-util's client,
//!   put `.map_err(BoxError::from)` under the layer): a timed-out attempt is a [`Failure`]
//!   holding the service's error for it, transient when the request may be sent again.
//! - **Budgets**: `Policy::budget(&STATIC)` shares a [`RetryBudget`](crate::budget::RetryBudget)
//!   with `#[retry(budget = STATIC)]` functions.
//! - **Telemetry**: [`attempt_header`](RetryLayer::attempt_header) sends the attempt's number
//!   to the server; each request sent again is a `tracing` event at DEBUG with
//!   `http.request.resend_count` (1 for the first resend), `http.request.method` and
//!   `url.full`.
//! - **Cost**: the layer allocates per request: its future is boxed, and a copy of the request
//!   is kept for a retry. The `#[retry]` attribute allocates nothing on a first-time success.
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::convert::Infallible;
//! use std::future::{Ready, ready};
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicU32, Ordering};
//! use std::task::{Context, Poll};
//! use std::time::Duration;
//!
//! use http::{Request, Response, StatusCode};
//! use persevere::Policy;
//! use persevere::sleep::RecordingSleeper;
//! use persevere::stop::attempts;
//! use persevere::tower::{Failure, RetryLayer};
//! use persevere::wait::{fixed, server_hint};
//! use tower_layer::Layer;
//! use tower_service::Service;
//!
//! /// A service that answers 503 twice, asking for a second's wait the first time, then 200.
//! #[derive(Clone, Default)]
//! struct Flaky(Arc<AtomicU32>);
//!
//! impl Service<Request<String>> for Flaky {
//!     type Response = Response<String>;
//!     type Error = Infallible;
//!     type Future = Ready<Result<Response<String>, Infallible>>;
//!
//!     fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
//!         Poll::Ready(Ok(()))
//!     }
//!     fn call(&mut self, _: Request<String>) -> Self::Future {
//!         let answer = match self.0.fetch_add(1, Ordering::SeqCst) {
//!             0 => Response::builder().status(503).header("retry-after", "1"),
//!             1 => Response::builder().status(503),
//!             _ => Response::builder().status(200),
//!         };
//!         ready(Ok(answer.body(String::new()).unwrap()))
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let sleeper = RecordingSleeper::new();
//! let policy = Policy::new()
//!     .stop(attempts(4))
//!     .retry_if(Failure::is_transient)
//!     .wait(server_hint().fallback(fixed(Duration::from_millis(100))).jitter(Duration::ZERO))
//!     .sleeper(sleeper.clone());
//! let mut service = RetryLayer::new(policy).layer(Flaky::default());
//!
//! std::future::poll_fn(|cx| service.poll_ready(cx)).await.unwrap();
//! let response = service.call(Request::new("hello".to_owned())).await.unwrap();
//! assert_eq!(response.status(), StatusCode::OK);
//! // The server's second, then the fallback.
//! assert_eq!(sleeper.sleeps(), [Duration::from_secs(1), Duration::from_millis(100)]);
//! assert_eq!(response.extensions().get::<persevere::Report>().unwrap().attempts(), 3);
//! # }
//! ```
//!
//! ## hyper-util's client
//!
//! ```no_run
//! # use persevere_runtime as persevere;
//! use std::time::Duration;
//! use http_body_util::Full;
//! use hyper::body::Bytes;
//! use hyper_util::client::legacy::Client;
//! use hyper_util::rt::TokioExecutor;
//! use persevere::Policy;
//! use persevere::stop::attempts;
//! use persevere::tower::{Failure, RetryLayer};
//! use persevere::wait::{exponential, server_hint};
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
//! let client = ServiceBuilder::new()
//!     .layer(RetryLayer::new(
//!         Policy::new()
//!             .stop(attempts(4))
//!             .retry_if(Failure::is_transient)
//!             .wait(server_hint().fallback(exponential().max(Duration::from_secs(10)))),
//!     ))
//!     .service(client);
//! let request = http::Request::get("http://localhost:8080/status").body(Full::default())?;
//! let response = client.oneshot(request).await?;
//! # Ok(()) }
//! ```
//!
//! ## tonic
//!
//! A tonic `Channel` is a `Service<http::Request<tonic::body::Body>>`, and its body is not
//! `Clone`: give the layer a [`rebuild_with`](RetryLayer::rebuild_with) that makes a new body
//! from bytes you kept (in the request's extensions, say, as `Bytes`), returning `None` for a
//! streaming call, which is then sent once. Wrap the channel with
//! `ServiceBuilder::new().layer(layer).service(channel)` and hand that to the generated client
//! (`MyClient::new(service)`). gRPC answers failures with HTTP 200 and a `grpc-status` trailer,
//! so the policy sees only transport failures and the rare HTTP error; a gRPC status code is
//! better retried around the generated client's call, with `#[retry]`.

mod failure;
mod layer;
mod rebuild;
mod service;

pub use failure::{Failure, Transient, transient};
pub use layer::RetryLayer;
pub use rebuild::{CloneRequest, Rebuild};
pub use service::{ResponseFuture, Retry};
