//! Which requests may be sent again: RFC 9110's idempotent methods, or a request carrying an
//! `Idempotency-Key`, or one that never reached the server.

use std::cell::Cell;

use ::http::{HeaderMap, Method};

/// The header a client sets so that the server applies a repeated request once (the IETF
/// draft `Idempotency-Key`, as Stripe and others use it).
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::{HeaderMap, HeaderValue, Method};
/// use persevere::http::{may_resend, IDEMPOTENCY_KEY};
///
/// // A payment's POST, made safe to send again.
/// let mut headers = HeaderMap::new();
/// headers.insert(IDEMPOTENCY_KEY, HeaderValue::from_static("payment-7f3a"));
/// assert!(may_resend(&Method::POST, &headers));
/// ```
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Whether RFC 9110 calls `method` idempotent, so that sending it twice means sending it once:
/// GET, HEAD, PUT, DELETE, OPTIONS and TRACE. POST, PATCH, CONNECT and extension methods are
/// not.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::Method;
/// use persevere::http::is_idempotent_method;
///
/// assert!(is_idempotent_method(&Method::PUT));
/// assert!(!is_idempotent_method(&Method::POST));
/// ```
pub fn is_idempotent_method(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Whether a request may be sent again once the server may have acted on it: its method is
/// idempotent ([`is_idempotent_method`]), or it carries an [`IDEMPOTENCY_KEY`] header.
///
/// A request that did not reach the server (a refused connection, a failed name lookup, see
/// [`is_connect_error`](crate::condition::is_connect_error)) may always be sent again.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::{HeaderMap, Method};
/// use persevere::http::may_resend;
///
/// let mut headers = HeaderMap::new();
/// assert!(may_resend(&Method::GET, &headers));
/// assert!(!may_resend(&Method::POST, &headers));
/// headers.insert("idempotency-key", "order-42".parse().unwrap());
/// assert!(may_resend(&Method::POST, &headers));
/// ```
pub fn may_resend(method: &Method, headers: &HeaderMap) -> bool {
    is_idempotent_method(method) || headers.contains_key(IDEMPOTENCY_KEY)
}

/// What retrying needs to know of the request an outcome answers: whether the server may see it
/// twice. Kept by the integrations that see the request (reqwest's `send_checked`, the
/// middleware, the tower layer) beside the outcome they hand the policy.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::{HeaderMap, Method};
/// use persevere::http::Resend;
///
/// let resend = Resend::of(&Method::POST, &HeaderMap::new());
/// assert_eq!(resend, Resend::OnlyIfNeverSent);
/// assert!(!resend.after_delivery()); // only a failure before the server saw it is retried
/// assert!(Resend::default().after_delivery()); // unknown: the status decides
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Resend {
    /// Nothing is known of the request: its status alone decides.
    #[default]
    Unknown,
    /// The request may be sent again ([`may_resend`], or the user opted in).
    Safe,
    /// The request may have been acted on and must not be sent twice: only a failure that
    /// never reached the server is retried.
    OnlyIfNeverSent,
}

impl Resend {
    /// [`Resend::Safe`] if [`may_resend`] says so, else [`Resend::OnlyIfNeverSent`].
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::{HeaderMap, Method};
    /// use persevere::http::Resend;
    ///
    /// assert_eq!(Resend::of(&Method::DELETE, &HeaderMap::new()), Resend::Safe);
    /// assert_eq!(Resend::of(&Method::PATCH, &HeaderMap::new()), Resend::OnlyIfNeverSent);
    /// ```
    pub fn of(method: &Method, headers: &HeaderMap) -> Resend {
        if may_resend(method, headers) {
            Resend::Safe
        } else {
            Resend::OnlyIfNeverSent
        }
    }

    /// Whether a failure that may have reached the server can be retried.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::http::Resend;
    ///
    /// assert!(Resend::Safe.after_delivery());
    /// assert!(Resend::Unknown.after_delivery());
    /// assert!(!Resend::OnlyIfNeverSent.after_delivery());
    /// ```
    pub fn after_delivery(self) -> bool {
        self != Resend::OnlyIfNeverSent
    }
}

thread_local! {
    /// What an integration knows of the request whose attempt it is polling. A time limit that
    /// cuts the attempt makes its failure through `From<Timeout>`, which is told only the
    /// timeout; a timed-out POST must still not look resendable.
    static POLLED: Cell<Resend> = const { Cell::new(Resend::Unknown) };
}

/// Runs `poll` with `resend` as the request a time limit would cut, restoring what was there
/// before (integrations may nest), even if `poll` panics.
pub(crate) fn polling<T>(resend: Resend, poll: impl FnOnce() -> T) -> T {
    struct Restore(Resend);
    impl Drop for Restore {
        fn drop(&mut self) {
            POLLED.set(self.0);
        }
    }
    let _restore = Restore(POLLED.replace(resend));
    poll()
}

thread_local! {
    /// What the attempt being polled under a time limit has sent through `send_checked`, while
    /// one is polled (`None` otherwise): kept by the attempt between its polls, so that the
    /// timeout that cuts it knows whether what it cut may be sent again.
    static SENT: Cell<Option<Resend>> = const { Cell::new(None) };
}

impl Resend {
    /// The stricter of two: a request that may not be sent twice wins over one that may, which
    /// wins over one not known.
    pub(crate) fn stricter(self, other: Resend) -> Resend {
        let rank = |resend| match resend {
            Resend::Unknown => 0,
            Resend::Safe => 1,
            Resend::OnlyIfNeverSent => 2,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// Polls an attempt under a time limit with `sent`, what it has sent so far, in view of
/// [`record_sent`]; returns what it has sent after this poll, and puts back what was there.
pub(crate) fn attempt_polling<T>(sent: Resend, poll: impl FnOnce() -> T) -> (T, Resend) {
    struct Restore(Option<Resend>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SENT.set(self.0);
        }
    }
    let restore = Restore(SENT.replace(Some(sent)));
    let polled = poll();
    let sent = SENT.get().unwrap_or(sent);
    drop(restore);
    (polled, sent)
}

/// Notes a request `send_checked` is sending, for the time limit of the attempt it is in, if
/// there is one.
#[cfg_attr(not(feature = "reqwest"), allow(dead_code))]
pub(crate) fn record_sent(resend: Resend) {
    SENT.with(|sent| {
        if let Some(before) = sent.get() {
            sent.set(Some(before.stricter(resend)));
        }
    });
}

/// The request an integration is polling an attempt of, if any ([`Resend::Unknown`] otherwise).
#[cfg_attr(not(any(feature = "tower", feature = "reqwest")), allow(dead_code))]
pub(crate) fn polled_resend() -> Resend {
    POLLED.get()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_by_rfc_9110() {
        for method in ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"] {
            assert!(is_idempotent_method(&method.parse().unwrap()), "{method}");
        }
        for method in ["POST", "PATCH", "CONNECT", "PURGE"] {
            assert!(!is_idempotent_method(&method.parse().unwrap()), "{method}");
        }
    }

    #[test]
    fn a_key_makes_any_method_safe() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            Resend::of(&Method::PATCH, &headers),
            Resend::OnlyIfNeverSent
        );
        headers.insert("Idempotency-Key", "k".parse().unwrap());
        assert_eq!(Resend::of(&Method::PATCH, &headers), Resend::Safe);
        assert!(Resend::Unknown.after_delivery());
        assert!(!Resend::OnlyIfNeverSent.after_delivery());
    }
}
