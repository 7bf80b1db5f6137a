//! [`Failure`]: an attempt that did not succeed, as the policy sees it.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use ::http::{HeaderMap, Response, StatusCode};

use crate::Timeout;
use crate::condition::{Condition, ErrorChain, Plain, is_connect_error, is_network_error};
use crate::hint::ServerHint;
use crate::http::{HttpStatus, Resend, is_retryable_status};

/// An attempt of a [`Retry`](super::Retry) service that did not succeed: the response whose
/// status is not a success (2xx), kept whole with its body unread, or the service's error; and
/// whether the request may be sent again ([`Resend`]).
///
/// The policy sees each attempt as `Result<http::Response<B>, Failure<B, E>>`, `E` being the
/// service's error. It implements [`HttpStatus`] and [`ServerHint`], so `retryable_status()`,
/// `statuses(..)` and `server_hint()` work on it, and [`is_transient`](Self::is_transient) is
/// the condition most policies want. When the policy ends on a response, the caller gets the
/// response; on an error, the error.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::{Response, StatusCode};
/// use persevere::http::Resend;
/// use persevere::tower::Failure;
///
/// let busy = Response::builder().status(503).body(()).unwrap();
/// let failure = Failure::<_, std::io::Error>::from_response(busy, Resend::Safe);
/// assert_eq!(failure.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
/// assert!(failure.is_transient());
/// assert_eq!(failure.to_string(), "HTTP 503 Service Unavailable");
/// ```
pub struct Failure<B, E> {
    answer: Answer<B, E>,
    resend: Resend,
}

/// What came back instead of a success.
enum Answer<B, E> {
    Status(Response<B>),
    Error(E),
}

impl<B, E> Failure<B, E> {
    /// A response whose status is not a success, for a request that may (or may not) be sent
    /// again.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::http::Resend;
    /// use persevere::tower::Failure;
    ///
    /// let throttled = Response::builder().status(429).body(()).unwrap();
    /// let failure = Failure::<_, std::io::Error>::from_response(throttled, Resend::Safe);
    /// assert!(failure.is_transient());
    /// ```
    pub fn from_response(response: Response<B>, resend: Resend) -> Self {
        Failure {
            answer: Answer::Status(response),
            resend,
        }
    }

    /// The service's error, for a request that may (or may not) be sent again.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::io;
    /// use persevere::http::Resend;
    /// use persevere::tower::Failure;
    ///
    /// let reset = io::Error::from(io::ErrorKind::ConnectionReset);
    /// let failure = Failure::<(), _>::from_error(reset, Resend::Safe);
    /// assert_eq!(failure.status(), None);
    /// assert!(failure.is_transient());
    /// ```
    pub fn from_error(error: E, resend: Resend) -> Self {
        Failure {
            answer: Answer::Error(error),
            resend,
        }
    }

    /// The response's status, when a response came.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{Response, StatusCode};
    /// use persevere::http::Resend;
    /// use persevere::tower::Failure;
    ///
    /// let failure = Failure::<_, std::io::Error>::from_response(
    ///     Response::builder().status(404).body(()).unwrap(),
    ///     Resend::Safe,
    /// );
    /// assert_eq!(failure.status(), Some(StatusCode::NOT_FOUND));
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        self.response().map(Response::status)
    }

    /// The response's headers, when a response came.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::http::Resend;
    /// use persevere::tower::Failure;
    ///
    /// let busy = Response::builder().status(503).header("retry-after", "30").body(()).unwrap();
    /// let failure = Failure::<_, std::io::Error>::from_response(busy, Resend::Safe);
    /// assert_eq!(failure.headers().unwrap()["retry-after"], "30");
    /// ```
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.response().map(Response::headers)
    }

    /// The response, when one came: whole, its body unread.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::http::Resend;
    /// use persevere::tower::Failure;
    ///
    /// let busy = Response::builder().status(503).body("overloaded").unwrap();
    /// let failure = Failure::<_, std::io::Error>::from_response(busy, Resend::Safe);
    /// assert_eq!(failure.response().map(Response::body), Some(&"overloaded"));
    /// ```
    pub fn response(&self) -> Option<&Response<B>> {
        match &self.answer {
            Answer::Status(response) => Some(response),
            Answer::Error(_) => None,
        }
    }

    /// The service's error, when no response came.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::io;
    /// use persevere::http::Resend;
    /// use persevere::tower::Failure;
    ///
    /// let failure = Failure::<(), _>::from_error(io::Error::other("tls handshake failed"), Resend::Safe);
    /// assert_eq!(failure.error().unwrap().to_string(), "tls handshake failed");
    /// ```
    pub fn error(&self) -> Option<&E> {
        match &self.answer {
            Answer::Status(_) => None,
            Answer::Error(error) => Some(error),
        }
    }

    /// What the caller of the service gets when the policy ends on this failure: the response,
    /// or the error when no response came.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::io;
    /// use http::Response;
    /// use persevere::http::Resend;
    /// use persevere::tower::Failure;
    ///
    /// let busy = Response::builder().status(503).body(()).unwrap();
    /// let answered = Failure::<_, io::Error>::from_response(busy, Resend::Safe);
    /// assert_eq!(answered.into_response().unwrap().status(), 503);
    ///
    /// let refused = Failure::<(), _>::from_error(io::Error::from(io::ErrorKind::ConnectionRefused), Resend::Safe);
    /// assert!(refused.into_response().is_err());
    /// ```
    pub fn into_response(self) -> Result<Response<B>, E> {
        match self.answer {
            Answer::Status(response) => Ok(response),
            Answer::Error(error) => Err(error),
        }
    }

    /// Whether the request may be sent again once the server may have seen it: from its method
    /// and headers ([`Resend::of`]), or [`Resend::Safe`] when the layer was built with
    /// [`any_method`](super::RetryLayer::any_method).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{HeaderMap, Method, Response};
    /// use persevere::http::Resend;
    /// use persevere::tower::Failure;
    ///
    /// let busy = Response::builder().status(503).body(()).unwrap();
    /// let post = Resend::of(&Method::POST, &HeaderMap::new());
    /// let failure = Failure::<_, std::io::Error>::from_response(busy, post);
    /// assert_eq!(failure.resend(), Resend::OnlyIfNeverSent);
    /// ```
    pub fn resend(&self) -> Resend {
        self.resend
    }

    /// Whether the request never reached the server: the service's error says the connection
    /// was refused, the host or network unreachable, or the name lookup failed
    /// ([`is_connect_error`]). Sending it again is then safe whatever its method.
    ///
    /// The type parameter says how to read the error's `source()` chain (an error type, or a
    /// boxed `dyn Error` such as tower's `BoxError`) and is inferred.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::io;
    /// use persevere::http::Resend;
    /// use persevere::tower::Failure;
    ///
    /// let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
    /// assert!(Failure::<(), _>::from_error(refused, Resend::OnlyIfNeverSent).never_sent());
    ///
    /// // Boxed, as tower's `BoxError`: found in the chain all the same.
    /// let boxed: tower::BoxError = Box::new(io::Error::from(io::ErrorKind::ConnectionRefused));
    /// assert!(Failure::<(), _>::from_error(boxed, Resend::OnlyIfNeverSent).never_sent());
    ///
    /// let reset = io::Error::from(io::ErrorKind::ConnectionReset); // it may have been sent
    /// assert!(!Failure::<(), _>::from_error(reset, Resend::OnlyIfNeverSent).never_sent());
    /// ```
    pub fn never_sent<V>(&self) -> bool
    where
        E: ErrorChain<V>,
    {
        self.error()
            .is_some_and(|error| is_connect_error(error.chain()))
    }

    /// Worth another try. A request that never reached the server
    /// ([`never_sent`](Self::never_sent)) always is. Otherwise, when the request may be sent
    /// again ([`Resend::after_delivery`]: an idempotent method, an `Idempotency-Key`, or the
    /// layer's [`any_method`](super::RetryLayer::any_method)): a retryable status
    /// ([`is_retryable_status`]: 408, 429, 500, 502, 503, 504), an attempt cut by its time
    /// limit (a [`Timeout`] in the error's `source()` chain), or a transient transport failure
    /// ([`is_network_error`]).
    ///
    /// As a condition: `.retry_if(Failure::is_transient)`, when the layer wraps its service in
    /// the same function (the compiler reads `B` and `E` from the service); a policy built
    /// apart from its service takes [`transient()`] instead.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::io;
    /// use http::Response;
    /// use persevere::http::Resend;
    /// use persevere::tower::Failure;
    ///
    /// // A POST without an `Idempotency-Key` may have been acted on: not sent twice...
    /// let post = Resend::OnlyIfNeverSent;
    /// let busy = Response::builder().status(503).body(()).unwrap();
    /// assert!(!Failure::<_, io::Error>::from_response(busy, post).is_transient());
    /// // ...unless it never left.
    /// let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
    /// assert!(Failure::<(), _>::from_error(refused, post).is_transient());
    /// ```
    pub fn is_transient<V>(&self) -> bool
    where
        E: ErrorChain<V>,
    {
        match &self.answer {
            Answer::Status(response) => {
                self.resend.after_delivery() && is_retryable_status(response.status())
            }
            Answer::Error(error) => {
                let error = error.chain();
                is_connect_error(error)
                    || self.resend.after_delivery()
                        && (is_network_error(error) || is_time_limit(error))
            }
        }
    }
}

/// Whether a persevere [`Timeout`] is anywhere in `error`'s `source()` chain.
fn is_time_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    crate::condition::causes::causes(error).any(|link| link.is::<Timeout>())
}

/// Retries a [`Failure`] that [`is_transient`](Failure::is_transient). Built by [`transient`],
/// whose page has an example.
///
/// Its type can be written out, for a policy kept in a field or returned by a function:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use http::Response;
/// use persevere::Policy;
/// use persevere::condition::Condition;
/// use persevere::http::Resend;
/// use persevere::stop::{attempts, Attempts};
/// use persevere::tower::{transient, Failure, Transient};
/// use persevere::wait::Exponential;
///
/// fn upstream() -> Policy<Attempts, Exponential, Transient> {
///     Policy::new().stop(attempts(4)).retry_if(transient())
/// }
/// # let _ = upstream();
///
/// // A refused connection never reached the server: safe to send again, even a POST.
/// let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
/// let failure = Failure::from_error(refused, Resend::OnlyIfNeverSent);
/// let outcome: Result<Response<()>, _> = Err(failure);
/// let condition: Transient = transient();
/// assert!(condition.should_retry(&outcome));
/// ```
pub struct Transient<V = Plain>(PhantomData<fn() -> V>);

impl<V> Clone for Transient<V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V> Copy for Transient<V> {}
impl<V> fmt::Debug for Transient<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Transient")
    }
}

/// [`Failure::is_transient`] as a condition of its own type, for a policy built apart from the
/// service it will wrap (returned by a function, kept in a field), whose type is written out:
/// `Policy<Attempts, Exponential, Transient>`. The type parameter says how to read the service's
/// error: [`Plain`] (the default) for an error type such as hyper-util's, and
/// [`Boxed`](crate::condition::Boxed) for tower's `BoxError`; it is inferred where the policy
/// meets its service.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::Response;
/// use persevere::condition::Condition;
/// use persevere::http::Resend;
/// use persevere::tower::{Failure, transient};
///
/// let busy = Response::builder().status(429).body(()).unwrap();
/// let outcome: Result<Response<()>, _> =
///     Err(Failure::<_, std::io::Error>::from_response(busy, Resend::Safe));
/// assert!(transient().should_retry(&outcome));
/// ```
pub const fn transient<V>() -> Transient<V> {
    Transient(PhantomData)
}

impl<B, E: ErrorChain<V>, V> Condition<Response<B>, Failure<B, E>> for Transient<V> {
    fn should_retry(&self, outcome: &Result<Response<B>, Failure<B, E>>) -> bool {
        outcome.as_ref().is_err_and(Failure::is_transient)
    }
    fn retries_ok() -> bool {
        false
    }
}

impl<B, E> HttpStatus for Failure<B, E> {
    fn http_status(&self) -> Option<StatusCode> {
        self.status()
    }
}

/// The server's hint, from the first header family in
/// [`HINT_HEADERS`](crate::http::HINT_HEADERS) that the failing response carried.
impl<B, E> ServerHint for Failure<B, E> {
    fn retry_after(&self) -> Option<Duration> {
        self.response().and_then(ServerHint::retry_after)
    }
    fn hint_headers(&self) -> Option<&::http::HeaderMap> {
        self.response().map(::http::Response::headers)
    }
}

/// An attempt cut by its time limit fails with the service's own error for it
/// (`E: From<persevere::Timeout>`, as tower's `BoxError` is), knowing its request when the
/// layer made it (else [`Resend::Unknown`]). A policy's time limits need it: so the compiler
/// names the service's error when it has no `From<Timeout>`.
impl<B, E: From<Timeout>> From<Timeout> for Failure<B, E> {
    fn from(timeout: Timeout) -> Self {
        Failure::from_error(E::from(timeout), crate::http::polled_resend())
    }
}

/// A call refused by an open circuit breaker fails with the service's own error for it
/// (`E: From<persevere::BreakerOpen>`, as tower's `BoxError` is).
impl<B, E: From<crate::breaker::BreakerOpen>> From<crate::breaker::BreakerOpen> for Failure<B, E> {
    fn from(open: crate::breaker::BreakerOpen) -> Self {
        Failure::from_error(E::from(open), crate::http::polled_resend())
    }
}

/// `HTTP 503 Service Unavailable`, or the service's error.
impl<B, E: fmt::Display> fmt::Display for Failure<B, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.answer {
            Answer::Status(response) => write!(f, "HTTP {}", response.status()),
            Answer::Error(error) => error.fmt(f),
        }
    }
}

/// The response's status, version and headers (its body is left out, so any body will do), or
/// the error.
impl<B, E: fmt::Debug> fmt::Debug for Failure<B, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Failure");
        match &self.answer {
            Answer::Status(response) => out
                .field("status", &response.status())
                .field("version", &response.version())
                .field("headers", response.headers()),
            Answer::Error(error) => out.field("error", error),
        };
        out.field("resend", &self.resend).finish()
    }
}

impl<B, E: std::error::Error + 'static> std::error::Error for Failure<B, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;
    use crate::timeout::FromTimeout;

    type BoxError = Box<dyn std::error::Error + Send + Sync>;

    fn status(code: u16, resend: Resend) -> Failure<(), io::Error> {
        Failure::from_response(Response::builder().status(code).body(()).unwrap(), resend)
    }

    fn error(kind: io::ErrorKind, resend: Resend) -> Failure<(), io::Error> {
        Failure::from_error(io::Error::from(kind), resend)
    }

    const EVERY_RESEND: [Resend; 3] = [Resend::Unknown, Resend::Safe, Resend::OnlyIfNeverSent];

    #[test]
    fn a_retryable_status_is_transient_when_the_request_may_be_sent_again() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(status(code, Resend::Safe).is_transient(), "{code}");
            assert!(status(code, Resend::Unknown).is_transient(), "{code}");
            assert!(
                !status(code, Resend::OnlyIfNeverSent).is_transient(),
                "{code}"
            );
        }
    }

    #[test]
    fn another_status_never_is() {
        for code in [301, 400, 401, 403, 404, 409, 422, 501] {
            for resend in EVERY_RESEND {
                assert!(!status(code, resend).is_transient(), "{code} {resend:?}");
            }
        }
    }

    #[test]
    fn a_request_that_never_left_is_transient_whatever_its_method() {
        for kind in [
            io::ErrorKind::ConnectionRefused,
            io::ErrorKind::HostUnreachable,
            io::ErrorKind::NetworkUnreachable,
        ] {
            for resend in EVERY_RESEND {
                let failure = error(kind, resend);
                assert!(failure.never_sent() && failure.is_transient(), "{kind:?}");
            }
        }
        let lookup: Failure<(), _> = Failure::from_error(
            io::Error::other("dns error: failed to lookup address information"),
            Resend::OnlyIfNeverSent,
        );
        assert!(lookup.is_transient());
    }

    #[test]
    fn a_failure_after_delivery_is_transient_only_when_the_request_may_be_sent_again() {
        for kind in [
            io::ErrorKind::ConnectionReset,
            io::ErrorKind::BrokenPipe,
            io::ErrorKind::TimedOut,
            io::ErrorKind::UnexpectedEof,
        ] {
            assert!(error(kind, Resend::Safe).is_transient(), "{kind:?}");
            assert!(error(kind, Resend::Unknown).is_transient(), "{kind:?}");
            let failure = error(kind, Resend::OnlyIfNeverSent);
            assert!(!failure.never_sent() && !failure.is_transient(), "{kind:?}");
        }
    }

    #[test]
    fn an_error_that_is_no_network_failure_never_is() {
        for kind in [io::ErrorKind::PermissionDenied, io::ErrorKind::InvalidData] {
            for resend in EVERY_RESEND {
                assert!(!error(kind, resend).is_transient(), "{kind:?}");
            }
        }
    }

    #[test]
    fn a_time_limit_counts_as_a_failure_after_delivery() {
        let cut = |resend| {
            let timeout = Timeout::new(Duration::from_millis(5), false);
            Failure::<(), BoxError>::from_error(timeout.into(), resend)
        };
        assert!(cut(Resend::Safe).is_transient());
        assert!(!cut(Resend::OnlyIfNeverSent).is_transient());
        // A boxed error is read through its box; the condition's type parameter is inferred.
        let refused: BoxError = Box::new(io::Error::from(io::ErrorKind::ConnectionRefused));
        let outcome: Result<Response<()>, _> =
            Err(Failure::from_error(refused, Resend::OnlyIfNeverSent));
        assert!(transient().should_retry(&outcome));
    }

    #[test]
    fn a_time_limit_knows_the_request_it_cut_only_while_the_layer_polls() {
        let timeout = Timeout::new(Duration::from_millis(5), false);
        let made = crate::http::polling(Resend::OnlyIfNeverSent, || {
            <Failure<(), BoxError> as FromTimeout>::from_timeout(timeout)
        });
        assert_eq!(made.resend(), Resend::OnlyIfNeverSent);
        assert!(!made.is_transient());
        let outside = <Failure<(), BoxError> as FromTimeout>::from_timeout(timeout);
        assert_eq!(outside.resend(), Resend::Unknown);
        assert!(outside.is_transient());
    }

    #[test]
    fn accessors_hints_and_the_hand_back() {
        let throttled = Response::builder()
            .status(429)
            .header("retry-after", "3")
            .body("slow down")
            .unwrap();
        let failure = Failure::<_, io::Error>::from_response(throttled, Resend::Safe);
        assert_eq!(failure.http_status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(failure.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(failure.headers().unwrap()["retry-after"], "3");
        assert!(failure.error().is_none());
        assert_eq!(failure.resend(), Resend::Safe);
        assert!(format!("{failure:?}").contains("429"));
        assert_eq!(*failure.into_response().unwrap().body(), "slow down");

        let reset = error(io::ErrorKind::ConnectionReset, Resend::Safe);
        assert_eq!((reset.status(), reset.retry_after()), (None, None));
        assert!(reset.headers().is_none() && reset.response().is_none());
        assert_eq!(reset.to_string(), "connection reset");
        assert!(std::error::Error::source(&reset).is_some());
        assert_eq!(
            reset.into_response().unwrap_err().kind(),
            io::ErrorKind::ConnectionReset
        );
    }
}
