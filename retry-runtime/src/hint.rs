//! Server hints: a delay the other side asked for before the next attempt, such as HTTP's
//! `Retry-After`. Implement [`ServerHint`] for an error type (or an `Ok` value) that can carry one,
//! and honour it with [`server_hint`](crate::wait::server_hint).
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::Duration;
//! use persevere::Policy;
//! use persevere::hint::ServerHint;
//! use persevere::sleep::RecordingSleeper;
//! use persevere::stop::attempts;
//! use persevere::wait::server_hint;
//!
//! struct Throttled { retry_after: Duration }
//!
//! impl ServerHint for Throttled {
//!     fn retry_after(&self) -> Option<Duration> {
//!         Some(self.retry_after)
//!     }
//! }
//!
//! let sleeper = RecordingSleeper::new();
//! let policy = Policy::new()
//!     .stop(attempts(2))
//!     .wait(server_hint().jitter(Duration::ZERO))
//!     .sleeper(sleeper.clone());
//! let _ = policy.call(|| Err::<(), _>(Throttled { retry_after: Duration::from_secs(3) }));
//! assert_eq!(sleeper.sleeps(), [Duration::from_secs(3)]); // as the server asked
//! ```

use std::time::Duration;

/// A value that may carry a server-suggested delay before the next attempt.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::hint::ServerHint;
///
/// enum SendError {
///     Throttled { retry_after: Option<Duration> },
///     Rejected,
/// }
///
/// impl ServerHint for SendError {
///     fn retry_after(&self) -> Option<Duration> {
///         match self {
///             SendError::Throttled { retry_after } => *retry_after,
///             SendError::Rejected => None,
///         }
///     }
/// }
///
/// assert_eq!(
///     SendError::Throttled { retry_after: Some(Duration::from_secs(2)) }.retry_after(),
///     Some(Duration::from_secs(2)),
/// );
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not say how long the server asked to wait",
    label = "this type carries no server hint",
    note = "implement `persevere::hint::ServerHint` for `{Self}` (its `retry_after()`) to use `server_hint()`"
)]
pub trait ServerHint {
    /// The delay the value asks for before the next attempt, if it asks for one.
    /// `Some(Duration::MAX)` says the server asked not to retry at all: `server_hint()` ends the
    /// call there ([`Ending::ServerRefused`](crate::Ending::ServerRefused)).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::hint::ServerHint;
    ///
    /// struct Throttled(u64);
    ///
    /// impl ServerHint for Throttled {
    ///     fn retry_after(&self) -> Option<Duration> {
    ///         Some(Duration::from_secs(self.0))
    ///     }
    /// }
    ///
    /// assert_eq!(Throttled(3).retry_after(), Some(Duration::from_secs(3)));
    /// // An `Option` of a hint has one when it holds one.
    /// assert_eq!(None::<Throttled>.retry_after(), None);
    /// ```
    fn retry_after(&self) -> Option<Duration>;

    /// The response headers the hint is read from, when the value has them: a wait with an
    /// order of its own ([`ServerHintWait::headers`](crate::wait::ServerHintWait::headers))
    /// reads them instead of calling [`retry_after`](Self::retry_after). Default: none.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::hint::ServerHint;
    ///
    /// let busy = http::Response::builder()
    ///     .status(503)
    ///     .header("retry-after", "2")
    ///     .body(())
    ///     .unwrap();
    /// let headers = busy.hint_headers().unwrap();
    /// assert_eq!(headers["retry-after"], "2");
    /// ```
    #[cfg(feature = "http")]
    fn hint_headers(&self) -> Option<&::http::HeaderMap> {
        None
    }
}

impl<H: ServerHint + ?Sized> ServerHint for &H {
    fn retry_after(&self) -> Option<Duration> {
        (**self).retry_after()
    }
    #[cfg(feature = "http")]
    fn hint_headers(&self) -> Option<&::http::HeaderMap> {
        (**self).hint_headers()
    }
}

impl<H: ServerHint + ?Sized> ServerHint for Box<H> {
    fn retry_after(&self) -> Option<Duration> {
        (**self).retry_after()
    }
    #[cfg(feature = "http")]
    fn hint_headers(&self) -> Option<&::http::HeaderMap> {
        (**self).hint_headers()
    }
}

impl<H: ServerHint> ServerHint for Option<H> {
    fn retry_after(&self) -> Option<Duration> {
        self.as_ref().and_then(ServerHint::retry_after)
    }
    #[cfg(feature = "http")]
    fn hint_headers(&self) -> Option<&::http::HeaderMap> {
        self.as_ref().and_then(ServerHint::hint_headers)
    }
}
