//! Time limits on async attempts: an attempt that runs past its limit is cancelled and counts as
//! a failed attempt, whose error is a [`Timeout`] converted into the function's error type.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::outcome::Outcome;

/// An attempt cancelled at its time limit: the attempt's own `timeout`, or what was left of the
/// call's `total_timeout`.
///
/// The function's error type receives it through `From`, so the condition sees it like any other
/// error:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::Timeout;
///
/// #[derive(Debug)]
/// enum FetchError {
///     TimedOut(Timeout),
///     Refused,
/// }
///
/// impl From<Timeout> for FetchError {
///     fn from(timeout: Timeout) -> Self {
///         FetchError::TimedOut(timeout)
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timeout {
    limit: Duration,
    whole_call: bool,
}

impl Timeout {
    /// A timeout at `limit`: the call's total limit if `whole_call`, else the attempt's own.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::Timeout;
    ///
    /// let own = Timeout::new(Duration::from_secs(2), false);
    /// assert_eq!(own.limit(), Duration::from_secs(2));
    /// assert!(!own.whole_call());
    /// assert_eq!(own.to_string(), "the attempt did not finish within 2s");
    ///
    /// let total = Timeout::new(Duration::from_millis(300), true);
    /// assert_eq!(
    ///     total.to_string(),
    ///     "the call ran out of its total time limit (300ms left for the attempt)"
    /// );
    /// ```
    pub const fn new(limit: Duration, whole_call: bool) -> Timeout {
        Timeout { limit, whole_call }
    }

    /// The limit of an attempt that may take `own` and has `left` of the call's total: the
    /// shorter of the two (`None` without either). When they end together, the total runs out:
    /// no attempt follows.
    pub(crate) fn for_attempt(own: Option<Duration>, left: Option<Duration>) -> Option<Timeout> {
        match (own, left) {
            (Some(own), Some(left)) if left <= own => Some(Timeout::new(left, true)),
            (Some(own), _) => Some(Timeout::new(own, false)),
            (None, Some(left)) => Some(Timeout::new(left, true)),
            (None, None) => None,
        }
    }

    /// How long the attempt was allowed.
    pub const fn limit(&self) -> Duration {
        self.limit
    }

    /// Whether it was the call's total limit that ran out (no attempt follows).
    ///
    /// ```standalone_crate
    /// # extern crate persevere_runtime as persevere;
    /// use std::cell::Cell;
    /// use std::time::Duration;
    /// use persevere::{retry, Timeout};
    ///
    /// #[retry(stop = attempts(10), wait = 0s, timeout = 2s, total_timeout = 5s)]
    /// async fn hang(attempts: &Cell<u32>) -> Result<(), Timeout> {
    ///     attempts.set(attempts.get() + 1);
    ///     std::future::pending().await // an attempt that never answers
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let attempts = Cell::new(0);
    /// let started = tokio::time::Instant::now();
    /// let last = hang(&attempts).await.unwrap_err();
    /// // Two attempts cut at their own 2 s, then a third at the 1 s left of the call's 5 s.
    /// assert_eq!(attempts.get(), 3);
    /// assert!(last.whole_call());
    /// assert_eq!(last.limit(), Duration::from_secs(1));
    /// assert_eq!(started.elapsed(), Duration::from_secs(5));
    /// # }
    /// ```
    pub const fn whole_call(&self) -> bool {
        self.whole_call
    }
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.whole_call {
            write!(
                f,
                "the call ran out of its total time limit ({:?} left for the attempt)",
                self.limit
            )
        } else {
            write!(f, "the attempt did not finish within {:?}", self.limit)
        }
    }
}

impl std::error::Error for Timeout {}

/// An `io::Result` function can take a time limit: a timed-out attempt fails with an
/// `io::Error` of kind [`TimedOut`](std::io::ErrorKind::TimedOut) that carries the [`Timeout`]
/// (`network()` retries it).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use std::time::Duration;
/// use persevere::Timeout;
///
/// let error = io::Error::from(Timeout::new(Duration::from_secs(2), false));
/// assert_eq!(error.kind(), io::ErrorKind::TimedOut);
/// assert!(error.get_ref().is_some_and(|inner| inner.is::<Timeout>()));
/// ```
impl From<Timeout> for std::io::Error {
    fn from(timeout: Timeout) -> Self {
        std::io::Error::new(std::io::ErrorKind::TimedOut, timeout)
    }
}

/// The error type of a function with a time limit: it receives the [`Timeout`].
///
/// Every type with `From<Timeout>` is one, `std::io::Error` among them:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use std::time::Duration;
/// use persevere::{FromTimeout, Timeout};
///
/// let error = io::Error::from_timeout(Timeout::new(Duration::from_secs(2), false));
/// assert_eq!(error.kind(), io::ErrorKind::TimedOut);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot receive a `persevere::Timeout`",
    label = "this error type has no `From<Timeout>`",
    note = "a timed-out attempt fails with the function's own error: write `impl From<persevere::Timeout> for {Self}` for an error type of your crate; another crate's (`String`) cannot take one, so wrap it in an error type of yours, or return `std::io::Error` or `Box<dyn Error + Send + Sync>`, which can"
)]
pub trait FromTimeout {
    /// The error for a timed-out attempt.
    fn from_timeout(timeout: Timeout) -> Self;
}

// Not recommended in errors: the trait's own message says what to write.
#[diagnostic::do_not_recommend]
impl<E: From<Timeout>> FromTimeout for E {
    fn from_timeout(timeout: Timeout) -> Self {
        E::from(timeout)
    }
}

/// Runs `attempt`, cancelling it when `timer` ends first: the outcome is then `Err(timeout)`,
/// converted into the function's error type by `convert`, and the flag beside it is `true`.
/// Without a timer, the attempt runs to its end.
///
/// A future of its own rather than an `async fn`, so the attempt and the timer are each held
/// once, where they are polled.
pub fn within<R, F, T>(
    attempt: F,
    timer: Option<(T, Timeout)>,
    convert: fn(Timeout) -> Option<R::Err>,
) -> Within<F, T, R::Err>
where
    R: Outcome,
    F: Future<Output = R>,
    T: Future<Output = ()>,
{
    let (timer, timeout) = match timer {
        Some((timer, timeout)) => (Some(timer), timeout),
        None => (None, Timeout::new(Duration::ZERO, false)),
    };
    Within {
        attempt,
        timer,
        limit: timeout.limit,
        whole_call: timeout.whole_call,
        convert,
        sent: Sent::default(),
    }
}

pin_project_lite::pin_project! {
    /// An attempt racing its time limit. See [`within`].
    pub struct Within<F, T, E> {
        #[pin]
        attempt: F,
        #[pin]
        timer: Option<T>,
        // The timer's timeout, in its parts, so that the flag packs beside `sent` (an async
        // call's future holds this while the attempt runs).
        limit: Duration,
        whole_call: bool,
        convert: fn(Timeout) -> Option<E>,
        // What the attempt has sent through `send_checked`, for the error the timeout makes.
        sent: Sent,
    }
}

/// What an attempt has sent through `send_checked` (nothing to note without `http`).
#[cfg(feature = "http")]
type Sent = crate::http::Resend;
#[cfg(not(feature = "http"))]
type Sent = ();

/// Polls the attempt, noting in `sent` what it sends.
#[cfg(feature = "http")]
fn noting_sent<T>(sent: &mut Sent, poll: impl FnOnce() -> T) -> T {
    let (polled, now_sent) = crate::http::attempt_polling(*sent, poll);
    *sent = now_sent;
    polled
}
#[cfg(not(feature = "http"))]
fn noting_sent<T>(_: &mut Sent, poll: impl FnOnce() -> T) -> T {
    poll()
}

/// Makes the timeout's error knowing what the attempt sent (see `From<Timeout>` for
/// `HttpError`).
#[cfg(feature = "http")]
fn knowing_sent<T>(sent: Sent, make: impl FnOnce() -> T) -> T {
    // An integration polling this call (the middleware, the tower service) may know more.
    crate::http::polling(crate::http::polled_resend().stricter(sent), make)
}
#[cfg(not(feature = "http"))]
fn knowing_sent<T>(_: Sent, make: impl FnOnce() -> T) -> T {
    make()
}

impl<R, F, T> Future for Within<F, T, R::Err>
where
    R: Outcome,
    F: Future<Output = R>,
    T: Future<Output = ()>,
{
    type Output = (R, bool);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<(R, bool)> {
        let this = self.project();
        let attempt = this.attempt;
        if let Poll::Ready(outcome) = noting_sent(this.sent, || attempt.poll(cx)) {
            return Poll::Ready((outcome, false));
        }
        if let Some(timer) = this.timer.as_pin_mut()
            && timer.poll(cx).is_ready()
            && let Some(error) = knowing_sent(*this.sent, || {
                (this.convert)(Timeout::new(*this.limit, *this.whole_call))
            })
        {
            return Poll::Ready((R::from_result(Err(error)), true));
        }
        Poll::Pending
    }
}

/// No time limits: the default. A policy without limits asks nothing of its error type.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::stop::attempts;
/// use persevere::{Limits, NoLimits, Policy};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// assert_eq!(Limits::<&str>::limits(&NoLimits), (None, None));
/// // `&str` has no `From<Timeout>`, and needs none here.
/// let policy = Policy::new().stop(attempts(1));
/// assert_eq!(policy.call_async(|| async { Err::<(), _>("down") }).await, Err("down"));
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoLimits;

/// A policy's time limits: each attempt's, and the whole call's.
///
/// Set by [`Policy::timeout`](crate::Policy::timeout) and
/// [`Policy::total_timeout`](crate::Policy::total_timeout), starting from none; a timed-out
/// attempt's error is then the function's own:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use std::time::Duration;
/// use persevere::{Limits, NoLimits, TimeLimits, Timeout};
///
/// let limits = TimeLimits::from(NoLimits);
/// assert_eq!(Limits::<io::Error>::limits(&limits), (None, None));
/// let timeout = Timeout::new(Duration::from_secs(5), false);
/// let error = <TimeLimits as Limits<io::Error>>::convert(timeout).unwrap();
/// assert_eq!(error.kind(), io::ErrorKind::TimedOut);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeLimits {
    pub(crate) attempt: Option<Duration>,
    pub(crate) total: Option<Duration>,
}

impl From<NoLimits> for TimeLimits {
    fn from(_: NoLimits) -> Self {
        TimeLimits::default()
    }
}

/// A policy's limits slot, for an error type `E`: [`NoLimits`], or [`TimeLimits`] for an `E`
/// that can receive a [`Timeout`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use std::time::Duration;
/// use persevere::{Limits, NoLimits, TimeLimits, Timeout};
///
/// let timeout = Timeout::new(Duration::from_secs(5), true);
/// // Without limits no attempt times out, so no error is made for one.
/// assert!(<NoLimits as Limits<io::Error>>::convert(timeout).is_none());
/// assert!(<TimeLimits as Limits<io::Error>>::convert(timeout).is_some());
/// ```
pub trait Limits<E>: Copy {
    /// `(each attempt's limit, the whole call's limit)`.
    fn limits(&self) -> (Option<Duration>, Option<Duration>);
    /// The error for a timed-out attempt (`None` only for [`NoLimits`], which never times out).
    fn convert(timeout: Timeout) -> Option<E>;
    /// A sleep between attempts under these limits: the sleep itself without a whole call's
    /// limit, else the sleep cut at what is left of it (see [`CutAt`]). A type, so that a
    /// call without limits holds no second timer.
    #[doc(hidden)]
    type Sleep<S: Future<Output = ()>>: Future<Output = ()>;
    /// `sleep` under these limits; `timer` makes the timer of what is left of the whole call's
    /// limit, given that limit.
    #[doc(hidden)]
    fn sleep_within<S: Future<Output = ()>>(
        &self,
        sleep: S,
        timer: impl FnOnce(Duration) -> S,
    ) -> Self::Sleep<S>;
}

impl<E> Limits<E> for NoLimits {
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn limits(&self) -> (Option<Duration>, Option<Duration>) {
        (None, None)
    }
    fn convert(_: Timeout) -> Option<E> {
        None
    }
    type Sleep<S: Future<Output = ()>> = S;
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn sleep_within<S: Future<Output = ()>>(&self, sleep: S, _: impl FnOnce(Duration) -> S) -> S {
        sleep
    }
}

impl<E: FromTimeout> Limits<E> for TimeLimits {
    fn limits(&self) -> (Option<Duration>, Option<Duration>) {
        (self.attempt, self.total)
    }
    fn convert(timeout: Timeout) -> Option<E> {
        Some(E::from_timeout(timeout))
    }
    type Sleep<S: Future<Output = ()>> = CutAt<S>;
    fn sleep_within<S: Future<Output = ()>>(
        &self,
        sleep: S,
        timer: impl FnOnce(Duration) -> S,
    ) -> CutAt<S> {
        CutAt {
            sleep,
            limit: self.total.map(timer),
        }
    }
}

pin_project_lite::pin_project! {
    /// A sleep between attempts under a whole call's time limit, ended by the limit's timer if
    /// that comes first. The call never asks for a sleep that would end past its limit, so this
    /// matters only for a sleeper whose sleeps run long: the call still returns at its limit.
    pub struct CutAt<S> {
        #[pin]
        sleep: S,
        #[pin]
        limit: Option<S>,
    }
}

impl<S: Future<Output = ()>> Future for CutAt<S> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        if this.sleep.poll(cx).is_ready() {
            return Poll::Ready(());
        }
        match this.limit.as_pin_mut() {
            Some(limit) => limit.poll(cx),
            None => Poll::Pending,
        }
    }
}

/// The limits a sync function accepts: none, since a blocking attempt cannot be cancelled.
///
/// A policy without time limits runs blocking calls:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::Policy;
/// use persevere::stop::attempts;
///
/// let policy = Policy::new().stop(attempts(2)).wait(Duration::ZERO);
/// assert_eq!(policy.call(|| Err::<(), _>("down")), Err("down"));
/// ```
///
/// One with a `timeout` runs async calls only:
///
/// ```compile_fail,E0277
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::Policy;
///
/// let policy = Policy::new().timeout(Duration::from_secs(1));
/// let _ = policy.call(|| Err::<(), _>(std::io::Error::other("down")));
/// ```
#[diagnostic::on_unimplemented(
    message = "a sync function cannot honour a time limit",
    label = "this policy has a `timeout` or `total_timeout`",
    note = "a blocking attempt cannot be cancelled: make the function `async`, or give the blocking call its own timeout and remove the limit"
)]
pub trait SyncLimits {}

impl SyncLimits for NoLimits {}
