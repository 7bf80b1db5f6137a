//! reqwest without glue (the `reqwest` feature): an error type that keeps what retrying needs.
//!
//! A `reqwest::Error` drops a response's headers, so the server's hint is lost, and the orphan
//! rule forbids implementing persevere's traits for it. [`HttpError`] keeps the status, the
//! headers and the body's text of a response that failed, or the transport error of a request
//! that got none, and implements [`HttpStatus`](crate::http::HttpStatus) and
//! [`ServerHint`](crate::hint::ServerHint) (every header family, see
//! [`server_wait`](crate::http::server_wait)). [`HttpError::is_transient`] is the condition
//! most clients want: a retryable status (408, 429, 500, 502, 503, 504), a connection that
//! failed or timed out, or a transient `std::io::Error` underneath; never a request that could
//! not be built, a redirect loop or a body that did not decode.
//!
//! - [`SendChecked::send_checked`] sends a request and checks its status, and the error knows
//!   the request's method: a POST or a PATCH is sent again only when it never reached the
//!   server, unless it carries an `Idempotency-Key` (or the condition is
//!   [`HttpError::is_transient_any_method`]). GET, HEAD, PUT, DELETE, OPTIONS and TRACE are
//!   retried as their status says.
//! - [`CheckStatus::check_status`] checks a response you sent yourself; the method is then not
//!   known and the status alone decides.
//! - [`blocking`] (the `reqwest-blocking` feature): the same for reqwest's blocking client.
//! - [`RetryMiddleware`] (the `reqwest-middleware` feature): the same policy as a
//!   reqwest-middleware middleware, for clients built once and shared.
//! - A `reqwest::Response` (and a blocking one) implements `HttpStatus` and `ServerHint` itself,
//!   for a function that returns the response and retries some of them with `.from_ok()`
//!   (`retryable_status().from_ok()`, `server_hint().from_ok()`).
//!
//! ```no_run,standalone_crate
//! # extern crate persevere_runtime as persevere;
//! use persevere::retry;
//! use persevere::reqwest::{HttpError, SendChecked};
//!
//! #[retry(
//!     stop = attempts(5),
//!     retry_if = HttpError::is_transient,
//!     wait = server_hint(fallback = exponential(max = 30s)),
//! )]
//! async fn put(client: &reqwest::Client, url: &str, text: &str) -> Result<String, HttpError> {
//!     let response = client.put(url).body(text.to_owned()).send_checked().await?;
//!     Ok(response.text().await?)
//! }
//! ```

#[cfg(feature = "reqwest-blocking")]
pub mod blocking;
mod error;
#[cfg(feature = "reqwest-middleware")]
mod middleware;
mod response;
mod send;

pub use error::HttpError;
#[cfg(feature = "reqwest-middleware")]
pub use middleware::RetryMiddleware;
pub use send::{CheckStatus, ReadChecked, SendChecked};
