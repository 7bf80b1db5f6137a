//! reqwest without glue (the `reqwest` feature): an error type that keeps what retrying needs.
//!
//! A `reqwest::Error` drops a response's headers, so the server's hint is lost, and the orphan
//! rule forbids implementing persevere's traits for it. [`HttpError`] keeps the status, the
//! headers and the body's text of a response that failed, or the transport error of a request
//! that got none, and implements [`HttpStatus`] and [`ServerHint`] (every header family, see
//! [`server_wait`](crate::http::server_wait)). [`HttpError::is_transient`] is the condition
//! most clients want: a retryable status (408, 429, 500, 502, 503, 504), a connection that
//! failed or timed out, or a transient `std::io::Error` underneath; never a request that could
//! not be built, a redirect loop or a body that did not decode.
//!
//! ```no_run
//! use persevere::retry;
//! use persevere::reqwest::{CheckStatus, HttpError};
//!
//! #[retry(
//!     stop = attempts(5),
//!     retry_if = HttpError::is_transient,
//!     wait = server_hint(fallback = exponential(max = 30s)),
//! )]
//! async fn post(client: &reqwest::Client, url: &str, text: &str) -> Result<String, HttpError> {
//!     let response = client.post(url).body(text.to_owned()).send().await?.check_status().await?;
//!     Ok(response.text().await?)
//! }
//! ```

use std::fmt;
use std::future::Future;
use std::time::{Duration, SystemTime};

use ::http::{HeaderMap, StatusCode};

use crate::condition::is_network_error;
use crate::hint::ServerHint;
use crate::http::{HINT_HEADERS, HttpStatus, is_retryable_status, server_wait};

/// A request that failed: a response whose status is not a success (with its headers and, when
/// it could be read, its body's text), or a transport error (no response).
///
/// Made by [`HttpError::check`] (or [`CheckStatus::check_status`]) from a response, and by `?`
/// from a `reqwest::Error`.
#[derive(Debug)]
pub struct HttpError {
    status: Option<StatusCode>,
    headers: HeaderMap,
    body: Option<String>,
    source: Option<::reqwest::Error>,
}

impl HttpError {
    /// `response` if its status is a success (2xx); otherwise an error that keeps its status,
    /// its headers and its body's text.
    pub async fn check(response: ::reqwest::Response) -> Result<::reqwest::Response, HttpError> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let headers = response.headers().clone();
        let body = response.text().await.ok();
        Err(HttpError {
            status: Some(status),
            headers,
            body,
            source: None,
        })
    }

    /// The response's status; for a transport error, the status reqwest kept, if any.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The response's headers (empty for a transport error).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The response's body, as text, when it could be read.
    pub fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }

    /// The transport error, when no response came.
    pub fn transport(&self) -> Option<&::reqwest::Error> {
        self.source.as_ref()
    }

    /// Worth another try: a retryable status ([`is_retryable_status`]), or a request that never
    /// got its answer for a reason that passes (a connection refused, reset or timed out; a
    /// transient `std::io::Error` underneath, see [`is_network_error`]). A request that could not
    /// be built, a redirect loop, and a body that did not decode are never retried.
    pub fn is_transient(&self) -> bool {
        if let Some(error) = &self.source {
            if error.is_builder() || error.is_redirect() || error.is_decode() {
                return false;
            }
            return error.is_connect() || error.is_timeout() || is_network_error(error);
        }
        self.status.is_some_and(is_retryable_status)
    }
}

impl From<::reqwest::Error> for HttpError {
    fn from(error: ::reqwest::Error) -> Self {
        HttpError {
            status: error.status(),
            headers: HeaderMap::new(),
            body: None,
            source: Some(error),
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.source, self.status) {
            (Some(error), _) => write!(f, "{error}"),
            (None, Some(status)) => write!(f, "HTTP {status}"),
            (None, None) => f.write_str("HTTP request failed"),
        }
    }
}

impl std::error::Error for HttpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}

impl HttpStatus for HttpError {
    fn http_status(&self) -> Option<StatusCode> {
        self.status
    }
}

/// The server's hint, from the first header family in [`HINT_HEADERS`] that the response carried.
impl ServerHint for HttpError {
    fn retry_after(&self) -> Option<Duration> {
        server_wait(&self.headers, HINT_HEADERS, SystemTime::now())
    }
}

/// `response.check_status().await?`: [`HttpError::check`] as a method.
pub trait CheckStatus: Sized {
    /// The response if its status is a success, else an [`HttpError`] keeping what it said.
    fn check_status(self) -> impl Future<Output = Result<Self, HttpError>> + Send;
}

impl CheckStatus for ::reqwest::Response {
    fn check_status(self) -> impl Future<Output = Result<Self, HttpError>> + Send {
        HttpError::check(self)
    }
}
