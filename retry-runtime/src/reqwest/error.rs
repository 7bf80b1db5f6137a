//! [`HttpError`]: what a failed request said, kept for the retry decision and the caller.

use std::fmt;
use std::time::{Duration, SystemTime};

use ::http::{HeaderMap, StatusCode};

use crate::Timeout;
use crate::breaker::BreakerOpen;
use crate::condition::{is_connect_error, is_network_error};
use crate::hint::ServerHint;
use crate::http::{HINT_HEADERS, HttpStatus, Resend, is_retryable_status, server_wait};

/// A request that failed: a response whose status is not a success (with its headers and, when
/// it could be read, its body's text), a transport error (no response), or an attempt cut by a
/// time limit.
///
/// Made by [`CheckStatus::check_status`](crate::reqwest::CheckStatus) and
/// [`SendChecked::send_checked`](crate::reqwest::SendChecked) from a response, by `?` from a
/// `reqwest::Error`, and by the attribute's `timeout = ..` from a [`Timeout`]. Your own error
/// type can hold one (`#[from] HttpError`) and forward [`HttpStatus`], [`ServerHint`] and
/// [`is_transient`](Self::is_transient) to it.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use http::StatusCode;
/// use persevere::hint::ServerHint;
/// use persevere::http::HttpStatus;
/// use persevere::reqwest::{CheckStatus, HttpError};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// // What `client.get(url).send().await?` might return.
/// let response: reqwest::Response = http::Response::builder()
///     .status(429)
///     .header("retry-after", "2")
///     .body("slow down")
///     .unwrap()
///     .into();
/// let error: HttpError = response.check_status().await.unwrap_err();
/// assert_eq!(error.http_status(), Some(StatusCode::TOO_MANY_REQUESTS));
/// assert_eq!(error.retry_after(), Some(Duration::from_secs(2))); // for `server_hint()`
/// assert_eq!(error.body(), Some("slow down"));
/// assert!(error.is_transient());
/// # }
/// ```
#[derive(Debug)]
pub struct HttpError {
    // Boxed: an error travels through every `Result` of the call, and is rare.
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
    status: Option<StatusCode>,
    headers: HeaderMap,
    body: Option<String>,
    cause: Option<Cause>,
    resend: Resend,
    #[cfg(feature = "reqwest-middleware")]
    response: Option<::reqwest::Response>,
}

/// Why no response came.
#[derive(Debug)]
enum Cause {
    Transport(::reqwest::Error),
    Timeout(Timeout),
    Breaker(BreakerOpen),
    #[cfg_attr(not(feature = "reqwest-middleware"), allow(dead_code))]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl HttpError {
    /// An error for a response whose status is not a success, keeping its status, headers and
    /// body's text.
    pub(crate) fn from_parts(status: StatusCode, headers: HeaderMap, body: Option<String>) -> Self {
        HttpError {
            inner: Box::new(Inner {
                status: Some(status),
                headers,
                body,
                cause: None,
                resend: Resend::Unknown,
                #[cfg(feature = "reqwest-middleware")]
                response: None,
            }),
        }
    }

    fn from_cause(cause: Cause, status: Option<StatusCode>) -> Self {
        HttpError {
            inner: Box::new(Inner {
                status,
                headers: HeaderMap::new(),
                body: None,
                cause: Some(cause),
                resend: Resend::Unknown,
                #[cfg(feature = "reqwest-middleware")]
                response: None,
            }),
        }
    }

    /// An error that no response came with, from another layer (a middleware's own error).
    #[cfg_attr(not(feature = "reqwest-middleware"), allow(dead_code))]
    pub(crate) fn other(error: Box<dyn std::error::Error + Send + Sync>) -> Self {
        HttpError::from_cause(Cause::Other(error), None)
    }

    /// `response` if its status is a success (2xx); otherwise an error that keeps its status,
    /// its headers and its body's text.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::reqwest::HttpError;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let ok: reqwest::Response = http::Response::builder().status(204).body("").unwrap().into();
    /// assert!(HttpError::check(ok).await.is_ok());
    ///
    /// let missing: reqwest::Response = http::Response::builder().status(404).body("no such order").unwrap().into();
    /// let error = HttpError::check(missing).await.unwrap_err();
    /// assert_eq!(error.to_string(), "HTTP 404 Not Found");
    /// assert!(!error.is_transient());
    /// # }
    /// ```
    pub async fn check(response: ::reqwest::Response) -> Result<::reqwest::Response, HttpError> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let headers = response.headers().clone();
        let body = response.text().await.ok();
        Err(HttpError::from_parts(status, headers, body))
    }

    /// The same error, knowing whether its request may be sent again (see [`Resend`]).
    /// [`SendChecked::send_checked`](crate::reqwest::SendChecked) sets it from the request's
    /// method and headers.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{HeaderMap, Method, StatusCode};
    /// use persevere::http::Resend;
    /// use persevere::reqwest::HttpError;
    ///
    /// // A POST without an `Idempotency-Key` that got a 502.
    /// let error = HttpError::from_status(StatusCode::BAD_GATEWAY, HeaderMap::new())
    ///     .with_resend(Resend::of(&Method::POST, &HeaderMap::new()));
    /// assert_eq!(error.resend(), Resend::OnlyIfNeverSent);
    /// assert!(!error.is_transient());
    /// ```
    pub fn with_resend(mut self, resend: Resend) -> Self {
        self.inner.resend = resend;
        self
    }

    /// Whether the request may be sent again once the server may have seen it.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{HeaderMap, StatusCode};
    /// use persevere::http::Resend;
    /// use persevere::reqwest::HttpError;
    ///
    /// // Made from a response alone, the request is not known.
    /// let error = HttpError::from_status(StatusCode::BAD_GATEWAY, HeaderMap::new());
    /// assert_eq!(error.resend(), Resend::Unknown);
    /// ```
    pub fn resend(&self) -> Resend {
        self.inner.resend
    }

    /// The response's status; for a transport error, the status reqwest kept, if any.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{HeaderMap, StatusCode};
    /// use persevere::reqwest::HttpError;
    ///
    /// let error = HttpError::from_status(StatusCode::CONFLICT, HeaderMap::new());
    /// assert_eq!(error.status(), Some(StatusCode::CONFLICT));
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The response's headers (empty when no response came).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{HeaderMap, StatusCode};
    /// use persevere::reqwest::HttpError;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-request-id", "a1b2".parse().unwrap());
    /// let error = HttpError::from_status(StatusCode::INTERNAL_SERVER_ERROR, headers);
    /// assert_eq!(error.headers()["x-request-id"], "a1b2"); // for the bug report
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The response's body, as text, when it was read.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{HeaderMap, StatusCode};
    /// use persevere::reqwest::{CheckStatus, HttpError};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let response: reqwest::Response = http::Response::builder()
    ///     .status(422)
    ///     .body(r#"{"error":"quantity must be positive"}"#)
    ///     .unwrap()
    ///     .into();
    /// let error = response.check_status().await.unwrap_err();
    /// assert!(error.body().unwrap().contains("quantity"));
    ///
    /// // Not read: an error made from the status alone.
    /// assert_eq!(HttpError::from_status(StatusCode::BAD_GATEWAY, HeaderMap::new()).body(), None);
    /// # }
    /// ```
    pub fn body(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }

    /// The transport error, when no response came.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::reqwest::HttpError;
    ///
    /// // A request that could not even be built.
    /// let built = reqwest::Client::new().get("not a url").build();
    /// let error = HttpError::from(built.unwrap_err());
    /// assert!(error.transport().is_some_and(reqwest::Error::is_builder));
    /// assert_eq!(error.status(), None);
    /// assert!(!error.is_transient()); // sending it again would fail the same way
    /// ```
    pub fn transport(&self) -> Option<&::reqwest::Error> {
        match &self.inner.cause {
            Some(Cause::Transport(error)) => Some(error),
            _ => None,
        }
    }

    /// The time limit that cut the attempt, when one did.
    ///
    /// ```standalone_crate
    /// # extern crate persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::reqwest::HttpError;
    /// use persevere::Timeout;
    ///
    /// // What `#[retry(timeout = 5s)]` makes of an attempt it cuts.
    /// let error = HttpError::from(Timeout::new(Duration::from_secs(5), false));
    /// assert_eq!(error.timeout().map(Timeout::limit), Some(Duration::from_secs(5)));
    /// assert!(error.is_transient());
    /// ```
    pub fn timeout(&self) -> Option<&Timeout> {
        match &self.inner.cause {
            Some(Cause::Timeout(timeout)) => Some(timeout),
            _ => None,
        }
    }

    /// The open circuit breaker that refused the call, when one did (`breaker = ..`).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::breaker::BreakerOpen;
    /// use persevere::reqwest::HttpError;
    ///
    /// // What `#[retry(breaker = ..)]` makes of a call its open breaker refuses.
    /// let error = HttpError::from(BreakerOpen::new(Duration::from_secs(30)));
    /// let open = error.breaker_open().unwrap();
    /// assert_eq!(open.retry_after(), Duration::from_secs(30));
    /// assert_eq!(error.status(), None); // no request was sent
    /// assert!(!error.is_transient()); // not retried: the breaker says when to come back
    /// ```
    pub fn breaker_open(&self) -> Option<&BreakerOpen> {
        match &self.inner.cause {
            Some(Cause::Breaker(open)) => Some(open),
            _ => None,
        }
    }

    /// Whether the request never reached the server (a refused connection, a failed name
    /// lookup), so that sending it again is safe whatever its method.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::reqwest::{HttpError, SendChecked};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// // A port nothing listens on: the connection is refused.
    /// let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    /// let client = reqwest::Client::new();
    /// let error: HttpError = client.post(format!("http://{closed}/orders")).send_checked().await.unwrap_err();
    /// assert!(error.never_sent());
    /// assert!(error.is_transient()); // even a POST: the server never saw it
    /// # }
    /// ```
    pub fn never_sent(&self) -> bool {
        match &self.inner.cause {
            Some(Cause::Transport(error)) => error.is_connect() || is_connect_error(error),
            Some(Cause::Other(error)) => is_connect_error(error.as_ref()),
            // Refused before it was sent, but the breaker decides when to try again.
            Some(Cause::Timeout(_) | Cause::Breaker(_)) | None => false,
        }
    }

    /// Worth another try. A request that never reached the server ([`never_sent`](Self::never_sent))
    /// always is. Otherwise, when the request may be sent again ([`Resend`]: an idempotent
    /// method, an `Idempotency-Key`, or a request not known): a retryable status
    /// ([`is_retryable_status`]: 408, 429, 500, 502, 503, 504), a timeout, or a transient
    /// transport failure ([`is_network_error`]), a body cut short while it was read included. A
    /// request that could not be built, a redirect loop and a body that arrived whole but did
    /// not decode are never retried; nor is a body cut short whose request is not known (read
    /// through reqwest's `text()` rather than [`ReadChecked`](crate::reqwest::ReadChecked)): a
    /// response arrived, so the request was delivered.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{HeaderMap, StatusCode};
    /// use persevere::http::Resend;
    /// use persevere::reqwest::HttpError;
    ///
    /// let busy = HttpError::from_status(StatusCode::SERVICE_UNAVAILABLE, HeaderMap::new());
    /// assert!(busy.is_transient());
    /// // A POST with no `Idempotency-Key` may have been acted on: not sent twice.
    /// assert!(!busy.with_resend(Resend::OnlyIfNeverSent).is_transient());
    /// ```
    pub fn is_transient(&self) -> bool {
        if self.never_sent() {
            return true;
        }
        // A body cut short came after a response: the request was delivered, and one not known
        // (read through reqwest's own `text()`) may not be one to send twice.
        if self.body_cut_short() && self.inner.resend == Resend::Unknown {
            return false;
        }
        self.inner.resend.after_delivery() && self.is_transient_any_method()
    }

    /// Whether the response's body was cut short while it was read: the connection failed
    /// after the response began. A body that arrived whole and did not decode is not.
    fn body_cut_short(&self) -> bool {
        let Some(Cause::Transport(error)) = &self.inner.cause else {
            return false;
        };
        if error.is_body() {
            return true;
        }
        if !error.is_decode() {
            return false;
        }
        let mut cause = std::error::Error::source(error);
        while let Some(link) = cause {
            if link
                .downcast_ref::<::reqwest::Error>()
                .is_some_and(::reqwest::Error::is_body)
            {
                return true;
            }
            cause = link.source();
        }
        is_network_error(error)
    }

    /// [`is_transient`](Self::is_transient) as if every request may be sent twice: the opt-in
    /// for POST and PATCH requests that the server is known to apply once.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{HeaderMap, StatusCode};
    /// use persevere::http::Resend;
    /// use persevere::reqwest::HttpError;
    ///
    /// let post_503 = HttpError::from_status(StatusCode::SERVICE_UNAVAILABLE, HeaderMap::new())
    ///     .with_resend(Resend::OnlyIfNeverSent);
    /// assert!(!post_503.is_transient());
    /// assert!(post_503.is_transient_any_method());
    /// ```
    pub fn is_transient_any_method(&self) -> bool {
        match &self.inner.cause {
            Some(Cause::Transport(error)) => {
                if error.is_builder() || error.is_redirect() {
                    return false;
                }
                // reqwest's own `error_for_status()`: the server answered, and its status says.
                if error.is_status() {
                    return self.inner.status.is_some_and(is_retryable_status);
                }
                if error.is_decode() || error.is_body() {
                    return self.body_cut_short();
                }
                error.is_connect() || error.is_timeout() || is_network_error(error)
            }
            Some(Cause::Timeout(_)) => true,
            Some(Cause::Breaker(_)) => false,
            Some(Cause::Other(error)) => is_network_error(error.as_ref()),
            None => self.inner.status.is_some_and(is_retryable_status),
        }
    }

    /// An error for a response with this status and these headers (its body unread): for tests,
    /// and for clients that read the response themselves.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use http::{HeaderMap, StatusCode};
    /// use persevere::hint::ServerHint;
    /// use persevere::reqwest::HttpError;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("retry-after", "3".parse().unwrap());
    /// let throttled = HttpError::from_status(StatusCode::TOO_MANY_REQUESTS, headers);
    /// assert_eq!(throttled.retry_after(), Some(Duration::from_secs(3)));
    /// ```
    pub fn from_status(status: StatusCode, headers: HeaderMap) -> Self {
        HttpError::from_parts(status, headers, None)
    }
}

#[cfg(feature = "reqwest-middleware")]
impl HttpError {
    /// Keeps the failed response whole, to hand it back when the call ends on it.
    pub(crate) fn keep_response(&mut self, response: ::reqwest::Response) {
        self.inner.response = Some(response);
    }

    /// The response the middleware kept whole, or the error to hand the caller.
    pub(crate) fn into_response_or_cause(
        self,
    ) -> Result<::reqwest::Response, reqwest_middleware::Error> {
        let message = self.to_string();
        let inner = *self.inner;
        if let Some(response) = inner.response {
            return Ok(response);
        }
        Err(match inner.cause {
            Some(Cause::Transport(error)) => reqwest_middleware::Error::Reqwest(error),
            Some(Cause::Timeout(timeout)) => reqwest_middleware::Error::middleware(timeout),
            Some(Cause::Breaker(open)) => reqwest_middleware::Error::middleware(open),
            Some(Cause::Other(error)) => match error.downcast::<reqwest_middleware::Error>() {
                Ok(error) => *error,
                Err(error) => reqwest_middleware::Error::middleware(Passed(error)),
            },
            None => reqwest_middleware::Error::middleware(Passed(message.into())),
        })
    }
}

/// An error passed through unchanged, as reqwest-middleware's error needs a sized one.
#[cfg(feature = "reqwest-middleware")]
#[derive(Debug)]
struct Passed(Box<dyn std::error::Error + Send + Sync>);

#[cfg(feature = "reqwest-middleware")]
impl fmt::Display for Passed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(feature = "reqwest-middleware")]
impl std::error::Error for Passed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// `?` on a reqwest error. One from reqwest's own `error_for_status()` keeps its status, and is
/// transient as a response of that status is; reqwest keeps no headers or body in it, so no hint
/// is read from it: `send_checked()` or `check_status()` keeps them.
impl From<::reqwest::Error> for HttpError {
    fn from(error: ::reqwest::Error) -> Self {
        let status = error.status();
        HttpError::from_cause(Cause::Transport(error), status)
    }
}

/// A call refused by an open circuit breaker (`breaker = ..`) fails with this.
impl From<BreakerOpen> for HttpError {
    fn from(open: BreakerOpen) -> Self {
        HttpError::from_cause(Cause::Breaker(open), None)
    }
}

/// The attribute's `timeout = ..` and `total_timeout = ..` cut an attempt with this.
impl From<Timeout> for HttpError {
    fn from(timeout: Timeout) -> Self {
        // Inside `RetryMiddleware`, the request the time limit cut is known.
        HttpError::from_cause(Cause::Timeout(timeout), None)
            .with_resend(crate::http::polled_resend())
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.inner.cause, self.inner.status) {
            (Some(Cause::Transport(error)), _) => write!(f, "{error}"),
            (Some(Cause::Timeout(timeout)), _) => write!(f, "{timeout}"),
            (Some(Cause::Breaker(open)), _) => write!(f, "{open}"),
            (Some(Cause::Other(error)), _) => write!(f, "{error}"),
            (None, Some(status)) => write!(f, "HTTP {status}"),
            (None, None) => f.write_str("HTTP request failed"),
        }
    }
}

impl std::error::Error for HttpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.cause {
            Some(Cause::Transport(error)) => Some(error),
            Some(Cause::Timeout(timeout)) => Some(timeout),
            Some(Cause::Breaker(open)) => Some(open),
            Some(Cause::Other(error)) => Some(error.as_ref()),
            None => None,
        }
    }
}

impl HttpStatus for HttpError {
    fn http_status(&self) -> Option<StatusCode> {
        self.inner.status
    }
}

/// The server's hint, from the first header family in [`HINT_HEADERS`] that the response carried.
impl ServerHint for HttpError {
    fn retry_after(&self) -> Option<Duration> {
        server_wait(&self.inner.headers, HINT_HEADERS, SystemTime::now())
    }
    fn hint_headers(&self) -> Option<&HeaderMap> {
        Some(&self.inner.headers)
    }
}
