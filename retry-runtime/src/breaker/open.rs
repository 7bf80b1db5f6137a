//! The error of a call the breaker refused, and how the function's error type receives it.

use std::fmt;
use std::time::Duration;

use crate::budget::{Budget, NoBudget, RetryBudget};

/// A call refused because its circuit breaker is open: no attempt was made (or, for a call that
/// was retrying, no further one). The function's error type receives it through `From`, as it
/// receives a [`Timeout`](crate::Timeout).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::breaker::BreakerOpen;
///
/// #[derive(Debug)]
/// enum FetchError {
///     Unavailable { retry_after: Duration },
///     Refused,
/// }
///
/// impl From<BreakerOpen> for FetchError {
///     fn from(open: BreakerOpen) -> Self {
///         FetchError::Unavailable { retry_after: open.retry_after() }
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BreakerOpen {
    retry_after: Duration,
}

impl BreakerOpen {
    /// A refusal whose breaker lets its next probe through in `retry_after`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::breaker::BreakerOpen;
    ///
    /// // Say, to test how a function's error type receives it.
    /// let open = BreakerOpen::new(Duration::from_secs(12));
    /// assert_eq!(open.to_string(), "the circuit breaker is open for another 12s");
    /// ```
    pub const fn new(retry_after: Duration) -> BreakerOpen {
        BreakerOpen { retry_after }
    }

    /// How long until the breaker lets a probe through. While it is half-open with every probe
    /// in flight, the time until those probes are given up on; their outcomes may close the
    /// breaker sooner, or open it again.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::breaker::BreakerOpen;
    ///
    /// let open = BreakerOpen::new(Duration::from_secs(12));
    /// assert_eq!(open.retry_after(), Duration::from_secs(12));
    /// ```
    pub const fn retry_after(&self) -> Duration {
        self.retry_after
    }
}

impl fmt::Display for BreakerOpen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the circuit breaker is open for another {:?}",
            self.retry_after
        )
    }
}

impl std::error::Error for BreakerOpen {}

/// An `io::Result` function can have a circuit breaker: a refused call fails with an `io::Error`
/// of kind [`Other`](std::io::ErrorKind::Other) that carries the [`BreakerOpen`] (which
/// `network()` does not retry: the breaker is what says when to come back).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use std::time::Duration;
/// use persevere::breaker::BreakerOpen;
///
/// let error = io::Error::from(BreakerOpen::new(Duration::from_secs(30)));
/// assert_eq!(error.kind(), io::ErrorKind::Other);
/// let open = error.get_ref().and_then(|inner| inner.downcast_ref::<BreakerOpen>());
/// assert_eq!(open.map(BreakerOpen::retry_after), Some(Duration::from_secs(30)));
/// ```
impl From<BreakerOpen> for std::io::Error {
    fn from(open: BreakerOpen) -> Self {
        std::io::Error::other(open)
    }
}

/// The error type of a function with a circuit breaker: it receives the [`BreakerOpen`].
///
/// Every type with `From<BreakerOpen>` is one:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::breaker::{BreakerOpen, FromBreakerOpen};
///
/// #[derive(Debug, PartialEq)]
/// enum FetchError { Unavailable(Duration) }
/// impl From<BreakerOpen> for FetchError {
///     fn from(open: BreakerOpen) -> Self { FetchError::Unavailable(open.retry_after()) }
/// }
///
/// let error = FetchError::from_breaker_open(BreakerOpen::new(Duration::from_secs(30)));
/// assert_eq!(error, FetchError::Unavailable(Duration::from_secs(30)));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot receive a `persevere::BreakerOpen`",
    label = "this error type has no `From<BreakerOpen>`",
    note = "a call refused by an open circuit breaker fails with the function's own error: write `impl From<persevere::BreakerOpen> for {Self}` for an error type of your crate; another crate's (`String`) cannot take one, so wrap it in an error type of yours, or return `std::io::Error` or `Box<dyn Error + Send + Sync>`, which can"
)]
pub trait FromBreakerOpen {
    /// The error for a refused call.
    fn from_breaker_open(open: BreakerOpen) -> Self;
}

// Not recommended in errors: the trait's own message says what to write.
#[diagnostic::do_not_recommend]
impl<E: From<BreakerOpen>> FromBreakerOpen for E {
    fn from_breaker_open(open: BreakerOpen) -> Self {
        E::from(open)
    }
}

/// A policy's budget slot, for an error type `E`: a slot without a breaker asks nothing of `E`;
/// one with a breaker ([`Guarded`](super::Guarded)) needs `E: From<BreakerOpen>`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::breaker::{BreakerOpen, Guard, Guarded};
/// use persevere::budget::NoBudget;
///
/// let open = BreakerOpen::new(Duration::from_secs(30));
/// // A slot without a breaker never refuses a call, so it makes no error.
/// assert_eq!(<NoBudget as Guard<BreakerOpen>>::refusal(open), None);
/// assert_eq!(<Guarded<'_, NoBudget> as Guard<BreakerOpen>>::refusal(open), Some(open));
/// ```
pub trait Guard<E>: Budget {
    /// The error for a refused call (`None` only for slots without a breaker, which never
    /// refuse).
    fn refusal(open: BreakerOpen) -> Option<E>;
}

impl<E> Guard<E> for NoBudget {
    fn refusal(_: BreakerOpen) -> Option<E> {
        None
    }
}

impl<E> Guard<E> for &RetryBudget {
    fn refusal(_: BreakerOpen) -> Option<E> {
        None
    }
}

impl<E> Guard<E> for Option<&RetryBudget> {
    fn refusal(_: BreakerOpen) -> Option<E> {
        None
    }
}
