//! Retrying by HTTP status: [`is_retryable_status`], [`retryable_status`], [`statuses`].

use std::marker::PhantomData;

use ::http::StatusCode;

use crate::condition::{All, Any, Condition, Not, condition_operators};
use crate::indirect::forward_ref;
use crate::wait::{FromError, FromOk};

/// Whether a response with this status is worth another try: 408 Request Timeout, 429 Too Many
/// Requests, 500 Internal Server Error, 502 Bad Gateway, 503 Service Unavailable and 504 Gateway
/// Timeout. Every other status is not.
///
/// - No other 4xx: the request itself is wrong (400, 401, 403, 404, 409, 422, …) and sending it
///   again gets the same answer. 425 Too Early only concerns TLS early data, which a client
///   resends without it rather than retrying.
/// - Not every 5xx: 501 Not Implemented, 505 HTTP Version Not Supported, 506, 507, 508, 510
///   and 511 describe the server's configuration, not a passing state, so they are not retried
///   by default. Vendors' codes (Cloudflare's 520–524, 598, 599) are not either. Add any of
///   them with [`statuses`]: `retryable_status() | statuses([501, 522])`.
/// - 1xx, 2xx and 3xx are not failures.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::StatusCode;
/// use persevere::http::is_retryable_status;
///
/// assert!(is_retryable_status(StatusCode::SERVICE_UNAVAILABLE));
/// assert!(is_retryable_status(StatusCode::TOO_MANY_REQUESTS));
/// assert!(!is_retryable_status(StatusCode::NOT_FOUND));
/// assert!(!is_retryable_status(StatusCode::NOT_IMPLEMENTED));
///
/// // A `const fn`, usable in constants.
/// const BUSY: bool = is_retryable_status(StatusCode::BAD_GATEWAY);
/// assert!(BUSY);
/// ```
pub const fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// A value that carries an HTTP status: a response, or an error made from one.
///
/// Implemented for `http::Response`, `http::response::Parts`, `StatusCode` itself, and
/// references and boxes of those. Implement it for a client's error type so that
/// [`retryable_status`] and [`statuses`] can retry it.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::StatusCode;
/// use persevere::condition::Condition;
/// use persevere::http::{HttpStatus, retryable_status};
///
/// enum ApiError {
///     Status(StatusCode),
///     Connect(std::io::Error),
/// }
///
/// impl HttpStatus for ApiError {
///     fn http_status(&self) -> Option<StatusCode> {
///         match self {
///             ApiError::Status(status) => Some(*status),
///             ApiError::Connect(_) => None,
///         }
///     }
/// }
///
/// let busy: Result<(), _> = Err(ApiError::Status(StatusCode::SERVICE_UNAVAILABLE));
/// assert!(retryable_status().should_retry(&busy));
/// let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
/// let refused: Result<(), _> = Err(ApiError::Connect(refused));
/// assert!(!retryable_status().should_retry(&refused));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` carries no HTTP status",
    label = "this type carries no HTTP status",
    note = "implement `persevere::http::HttpStatus` for `{Self}` (its `http_status()`) to use `retryable_status()` or `statuses(..)`"
)]
pub trait HttpStatus {
    /// The status this value carries, if it carries one.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{Response, StatusCode};
    /// use persevere::http::HttpStatus;
    ///
    /// let response = Response::builder().status(429).body(()).unwrap();
    /// assert_eq!(response.http_status(), Some(StatusCode::TOO_MANY_REQUESTS));
    /// ```
    fn http_status(&self) -> Option<StatusCode>;
}

impl<B> HttpStatus for ::http::Response<B> {
    fn http_status(&self) -> Option<StatusCode> {
        Some(self.status())
    }
}

impl HttpStatus for ::http::response::Parts {
    fn http_status(&self) -> Option<StatusCode> {
        Some(self.status)
    }
}

impl HttpStatus for StatusCode {
    fn http_status(&self) -> Option<StatusCode> {
        Some(*self)
    }
}

impl<H: HttpStatus + ?Sized> HttpStatus for &H {
    fn http_status(&self) -> Option<StatusCode> {
        (**self).http_status()
    }
}

impl<H: HttpStatus + ?Sized> HttpStatus for Box<H> {
    fn http_status(&self) -> Option<StatusCode> {
        (**self).http_status()
    }
}

/// Retries what carries a retryable status ([`is_retryable_status`]): errors by default, `Ok`
/// values after [`from_ok`](RetryableStatus::from_ok). Built by [`retryable_status`], whose page
/// has an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::Response;
/// use persevere::condition::Condition;
/// use persevere::http::{retryable_status, RetryableStatus};
///
/// const RETRY: RetryableStatus = retryable_status();
/// let throttled = Response::builder().status(429).body(()).unwrap();
/// let unimplemented = Response::builder().status(501).body(()).unwrap();
/// assert!(RETRY.should_retry(&Err::<(), _>(throttled)));
/// assert!(!RETRY.should_retry(&Err::<(), _>(unimplemented)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryableStatus<S = FromError> {
    source: PhantomData<fn() -> S>,
}

/// Retries the errors whose [`HttpStatus`] is retryable ([`is_retryable_status`]: 408, 429, 500,
/// 502, 503, 504), and no `Ok`. For a client that returns `Ok(response)` whatever the status,
/// [`.from_ok()`](RetryableStatus::from_ok) retries the `Ok` responses with such a status instead.
///
/// In the attribute: `retry_if = persevere::http::retryable_status()` (or import
/// `persevere::http::*` and write `retry_if = retryable_status()`).
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::StatusCode;
/// use persevere::condition::Condition;
/// use persevere::http::retryable_status;
///
/// let retry = retryable_status();
/// assert!(retry.should_retry(&Err::<(), _>(StatusCode::BAD_GATEWAY)));
/// assert!(!retry.should_retry(&Err::<(), _>(StatusCode::FORBIDDEN)));
/// // An `Ok` is never retried, whatever it holds.
/// assert!(!retry.should_retry(&Ok::<_, StatusCode>(StatusCode::BAD_GATEWAY)));
/// ```
pub const fn retryable_status() -> RetryableStatus {
    RetryableStatus {
        source: PhantomData,
    }
}

impl<S> RetryableStatus<S> {
    /// Looks at the `Ok` value instead of the error: retries `Ok` values whose status is
    /// retryable, and no error. Combine with another condition to retry errors too:
    /// `retryable_status().from_ok() | any_error()`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::condition::Condition;
    /// use persevere::http::retryable_status;
    ///
    /// let retry = retryable_status().from_ok();
    /// let busy = Response::builder().status(503).body(()).unwrap();
    /// let fine = Response::builder().status(200).body(()).unwrap();
    /// assert!(retry.should_retry(&Ok::<_, ()>(busy)));
    /// assert!(!retry.should_retry(&Ok::<_, ()>(fine)));
    /// assert!(!retry.should_retry(&Err::<Response<()>, _>(())));
    /// ```
    pub const fn from_ok(self) -> RetryableStatus<FromOk> {
        RetryableStatus {
            source: PhantomData,
        }
    }
}

impl<T, E: HttpStatus> Condition<T, E> for RetryableStatus<FromError> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        let Err(error) = outcome else { return false };
        error.http_status().is_some_and(is_retryable_status)
    }
    fn retries_ok() -> bool {
        false
    }
}

impl<T: HttpStatus, E> Condition<T, E> for RetryableStatus<FromOk> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        let Ok(value) = outcome else { return false };
        value.http_status().is_some_and(is_retryable_status)
    }
    fn retries_ok() -> bool {
        true
    }
}

/// Retries what carries one of a set of statuses: errors by default, `Ok` values after
/// [`from_ok`](Statuses::from_ok). Built by [`statuses`], whose page has an example.
///
/// Beside [`retryable_status`] with `|`, it widens the default set:
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::StatusCode;
/// use persevere::condition::Condition;
/// use persevere::http::{retryable_status, statuses};
///
/// let retry = retryable_status() | statuses([501]);
/// assert!(retry.should_retry(&Err::<(), _>(StatusCode::NOT_IMPLEMENTED)));
/// assert!(retry.should_retry(&Err::<(), _>(StatusCode::SERVICE_UNAVAILABLE)));
/// assert!(!retry.should_retry(&Err::<(), _>(StatusCode::NOT_FOUND)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statuses<C, S = FromError> {
    codes: C,
    source: PhantomData<fn() -> S>,
}

/// Retries the errors whose [`HttpStatus`] is one of `codes`, and no other, and no `Ok`;
/// [`.from_ok()`](Statuses::from_ok) looks at `Ok` values instead. The set is any list of `u16`
/// or `StatusCode`: an array written in place (kept as it is, no allocation), a slice, or a
/// `Vec` read from configuration (borrow it: `statuses(&config.retry_on)`), or one status alone
/// (`statuses(503)`).
///
/// A number that is not a status (above 999) matches nothing. Widen the default set with `|`:
/// `retryable_status() | statuses([501])`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::StatusCode;
/// use persevere::condition::Condition;
/// use persevere::http::statuses;
///
/// let gateway = statuses([502, 503]);
/// assert!(gateway.should_retry(&Err::<(), _>(StatusCode::BAD_GATEWAY)));
/// assert!(!gateway.should_retry(&Err::<(), _>(StatusCode::INTERNAL_SERVER_ERROR)));
///
/// let named = statuses([StatusCode::CONFLICT]);
/// assert!(named.should_retry(&Err::<(), _>(StatusCode::CONFLICT)));
///
/// let alone = statuses(503);
/// assert!(alone.should_retry(&Err::<(), _>(StatusCode::SERVICE_UNAVAILABLE)));
///
/// let from_config: Vec<u16> = vec![500, 599];
/// assert!(statuses(&from_config).should_retry(&Err::<(), _>(StatusCode::from_u16(599).unwrap())));
/// ```
pub const fn statuses<C: StatusSet>(codes: C) -> Statuses<C> {
    Statuses {
        codes,
        source: PhantomData,
    }
}

impl<C, S> Statuses<C, S> {
    /// Looks at the `Ok` value instead of the error: retries `Ok` values whose status is in the
    /// set, and no error.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::condition::Condition;
    /// use persevere::http::statuses;
    ///
    /// let retry = statuses([429]).from_ok();
    /// let throttled = Response::builder().status(429).body(()).unwrap();
    /// let unavailable = Response::builder().status(503).body(()).unwrap();
    /// assert!(retry.should_retry(&Ok::<_, ()>(throttled)));
    /// assert!(!retry.should_retry(&Ok::<_, ()>(unavailable)));
    /// ```
    pub fn from_ok(self) -> Statuses<C, FromOk> {
        Statuses {
            codes: self.codes,
            source: PhantomData,
        }
    }
}

/// A set of statuses [`statuses`] looks in: arrays, slices and `Vec`s of `u16` or
/// `StatusCode`, and references to them.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::StatusCode;
/// use persevere::http::StatusSet;
///
/// assert!([502u16, 503].has(StatusCode::SERVICE_UNAVAILABLE));
/// assert!(vec![StatusCode::BAD_GATEWAY].has(StatusCode::BAD_GATEWAY));
/// assert!(!(&[429u16][..]).has(StatusCode::OK));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set of HTTP statuses",
    label = "not a status or a list of statuses",
    note = "write `u16` codes or `StatusCode`s, one alone or a list: `statuses(503)`, `statuses([429, 503])`, `statuses(&codes)`"
)]
pub trait StatusSet {
    /// Whether `status` is in the set.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::StatusCode;
    /// use persevere::http::StatusSet;
    ///
    /// assert!([408u16, 429].has(StatusCode::REQUEST_TIMEOUT));
    /// ```
    fn has(&self, status: StatusCode) -> bool;
}

impl<C: PartialEq<StatusCode>> StatusSet for [C] {
    fn has(&self, status: StatusCode) -> bool {
        self.iter().any(|listed| *listed == status)
    }
}

impl<C: PartialEq<StatusCode>, const N: usize> StatusSet for [C; N] {
    fn has(&self, status: StatusCode) -> bool {
        self[..].has(status)
    }
}

/// One status alone: `statuses(503)`.
impl StatusSet for u16 {
    fn has(&self, status: StatusCode) -> bool {
        *self == status
    }
}

/// One status alone: `statuses(StatusCode::SERVICE_UNAVAILABLE)`.
impl StatusSet for StatusCode {
    fn has(&self, status: StatusCode) -> bool {
        *self == status
    }
}

impl<C: PartialEq<StatusCode>> StatusSet for Vec<C> {
    fn has(&self, status: StatusCode) -> bool {
        self[..].has(status)
    }
}

impl<S: StatusSet + ?Sized> StatusSet for &S {
    fn has(&self, status: StatusCode) -> bool {
        (**self).has(status)
    }
}

impl<S: StatusSet + ?Sized> StatusSet for Box<S> {
    fn has(&self, status: StatusCode) -> bool {
        (**self).has(status)
    }
}

impl<T, E: HttpStatus, C: StatusSet> Condition<T, E> for Statuses<C, FromError> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        let Err(error) = outcome else { return false };
        error
            .http_status()
            .is_some_and(|status| self.codes.has(status))
    }
    fn retries_ok() -> bool {
        false
    }
}

impl<T: HttpStatus, E, C: StatusSet> Condition<T, E> for Statuses<C, FromOk> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        let Ok(value) = outcome else { return false };
        value
            .http_status()
            .is_some_and(|status| self.codes.has(status))
    }
    fn retries_ok() -> bool {
        true
    }
}

condition_operators!(RetryableStatus<S>, Statuses<C, S>);
