//! Honouring a server's hint: [`server_hint`].

use std::marker::PhantomData;
use std::time::Duration;

use crate::RetryState;
use crate::hint::ServerHint;
use crate::jitter;
use crate::policy::DEFAULT_WAIT;
use crate::wait::{Exponential, Wait};

/// Waits what the server asked for, or what a fallback strategy says when it asked for nothing.
/// Built by [`server_hint`], whose page has an example, and set by the methods below.
///
/// Its type names the fallback; the other parameters keep their defaults until
/// [`from_ok`](Self::from_ok) or `headers` change them:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::hint::ServerHint;
/// use persevere::wait::{fixed, server_hint, Fixed, ServerHintWait, Wait};
///
/// struct Throttled(Duration);
/// impl ServerHint for Throttled {
///     fn retry_after(&self) -> Option<Duration> { Some(self.0) }
/// }
///
/// let wait: ServerHintWait<Fixed> =
///     server_hint().fallback(fixed(Duration::from_secs(1))).jitter(Duration::ZERO);
/// let outcome: Result<(), _> = Err(Throttled(Duration::from_secs(4)));
/// assert_eq!(wait.next_wait(&RetryState::new(1).with_outcome(&outcome)), Duration::from_secs(4));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServerHintWait<W, S = FromError, R = OwnHint> {
    fallback: W,
    max: Duration,
    jitter: Duration,
    reader: R,
    source: PhantomData<fn() -> S>,
}

/// Reads the hint the value gives ([`ServerHint::retry_after`]): the default. See
/// [`server_hint`] for an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::hint::ServerHint;
/// use persevere::wait::{server_hint, Exponential, FromError, OwnHint, ReadsHint, ServerHintWait};
///
/// struct Throttled(Duration);
/// impl ServerHint for Throttled {
///     fn retry_after(&self) -> Option<Duration> { Some(self.0) }
/// }
///
/// // The reader of a plain `server_hint()`.
/// let _: ServerHintWait<Exponential, FromError, OwnHint> = server_hint();
/// assert_eq!(OwnHint.read(&Throttled(Duration::from_secs(3))), Some(Duration::from_secs(3)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OwnHint;

/// Reads the value's response headers in an order of yours. See [`ServerHintWait::headers`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use http::Response;
/// use persevere::RetryState;
/// use persevere::http::HintHeader;
/// use persevere::wait::{server_hint, Exponential, FromError, HeaderOrder, ServerHintWait, Wait};
///
/// // `RateLimit-Reset` before `Retry-After`: the reverse of a response's own order.
/// let order = [HintHeader::RateLimitReset, HintHeader::RetryAfter];
/// let wait: ServerHintWait<Exponential, FromError, HeaderOrder<[HintHeader; 2]>> =
///     server_hint().jitter(Duration::ZERO).headers(order);
/// let busy = Response::builder()
///     .status(429)
///     .header("retry-after", "5")
///     .header("ratelimit-reset", "20")
///     .body(())
///     .unwrap();
/// let outcome: Result<(), _> = Err(busy);
/// let state = RetryState::new(1).with_outcome(&outcome);
/// assert_eq!(wait.next_wait(&state), Duration::from_secs(20));
/// ```
#[cfg(feature = "http")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderOrder<H>(H);

/// How a [`ServerHintWait`] reads a hint from a value: [`OwnHint`], or a header order.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::hint::ServerHint;
/// use persevere::wait::{OwnHint, ReadsHint};
///
/// struct Throttled(u64);
/// impl ServerHint for Throttled {
///     fn retry_after(&self) -> Option<Duration> { Some(Duration::from_secs(self.0)) }
/// }
///
/// // It reads values whose type is erased too.
/// let boxed: Box<dyn ServerHint> = Box::new(Throttled(4));
/// assert_eq!(OwnHint.read(&*boxed), Some(Duration::from_secs(4)));
/// ```
pub trait ReadsHint {
    /// The wait `value` asks for, if any.
    fn read<V: ServerHint + ?Sized>(&self, value: &V) -> Option<Duration>;
}

impl ReadsHint for OwnHint {
    fn read<V: ServerHint + ?Sized>(&self, value: &V) -> Option<Duration> {
        value.retry_after()
    }
}

/// The headers, in this order; a value without headers gives its own hint.
#[cfg(feature = "http")]
impl<H: AsRef<[crate::http::HintHeader]>> ReadsHint for HeaderOrder<H> {
    fn read<V: ServerHint + ?Sized>(&self, value: &V) -> Option<Duration> {
        match value.hint_headers() {
            Some(headers) => {
                crate::http::server_wait(headers, self.0.as_ref(), std::time::SystemTime::now())
            }
            None => value.retry_after(),
        }
    }
}

/// Reads the hint from the error (the default). See [`ServerHintWait::from_ok`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::hint::ServerHint;
/// use persevere::wait::{server_hint, Exponential, FromError, ServerHintWait, Wait};
///
/// struct Throttled(Duration);
/// impl ServerHint for Throttled {
///     fn retry_after(&self) -> Option<Duration> { Some(self.0) }
/// }
///
/// let wait: ServerHintWait<Exponential, FromError> = server_hint().jitter(Duration::ZERO);
/// let outcome: Result<(), _> = Err(Throttled(Duration::from_secs(2)));
/// assert_eq!(wait.next_wait(&RetryState::new(1).with_outcome(&outcome)), Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FromError {}

/// Reads the hint from the `Ok` value, for a client that returns `Ok(response)` with a 429 or
/// 503 and retries it with `retry_if_ok`. Chosen by [`ServerHintWait::from_ok`], whose page has
/// an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::hint::ServerHint;
/// use persevere::wait::{fixed, server_hint, Fixed, FromOk, ServerHintWait, Wait};
///
/// struct Busy(Duration);
/// impl ServerHint for Busy {
///     fn retry_after(&self) -> Option<Duration> { Some(self.0) }
/// }
///
/// let wait: ServerHintWait<Fixed, FromOk> =
///     server_hint().fallback(fixed(Duration::from_secs(1))).jitter(Duration::ZERO).from_ok();
/// let busy: Result<_, ()> = Ok(Busy(Duration::from_secs(3)));
/// assert_eq!(wait.next_wait(&RetryState::new(1).with_outcome(&busy)), Duration::from_secs(3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FromOk {}

/// Honours a server's hint ([`ServerHint`]), falling back to another strategy when there is none.
///
/// - The hint is a lower bound: the call never comes back earlier than the server asked.
/// - A little jitter is added above it, in proportion to it: up to a tenth of the hint, at most
///   `jitter` (default 1 s), never past `max`, so clients told the same instant do not all return
///   together, and a short hint stays short.
/// - A hint above `max` (default 5 minutes) ends the call at once with its last outcome: retrying
///   before the server's time would only be refused again, and a hostile or confused server can
///   never make a client sleep longer than its cap. The reason is logged.
/// - A `deadline` stop sees the real upcoming sleep, so a hint that would overshoot the deadline
///   ends the call too.
///
/// The fallback defaults to the wait of a bare `#[retry]` (100 ms doubling, capped at 10 s). In the
/// attribute: `wait = server_hint(fallback = exponential(max = 30s), max = 2m)`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::hint::ServerHint;
/// use persevere::wait::{fixed, server_hint, Wait};
/// use persevere::RetryState;
///
/// struct Busy(Option<Duration>);
/// impl ServerHint for Busy {
///     fn retry_after(&self) -> Option<Duration> { self.0 }
/// }
///
/// let wait = server_hint().fallback(fixed(Duration::from_secs(1))).jitter(Duration::ZERO);
/// let hinted: Result<(), Busy> = Err(Busy(Some(Duration::from_secs(7))));
/// let silent: Result<(), Busy> = Err(Busy(None));
/// assert_eq!(wait.next_wait(&RetryState::new(1).with_outcome(&hinted)), Duration::from_secs(7));
/// assert_eq!(wait.next_wait(&RetryState::new(1).with_outcome(&silent)), Duration::from_secs(1));
/// ```
pub const fn server_hint() -> ServerHintWait<Exponential> {
    ServerHintWait {
        fallback: DEFAULT_WAIT,
        max: Duration::from_secs(300),
        jitter: Duration::from_secs(1),
        reader: OwnHint,
        source: PhantomData,
    }
}

impl<W, S, R> ServerHintWait<W, S, R> {
    /// The strategy used when the outcome carries no hint.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::hint::ServerHint;
    /// use persevere::wait::{exponential, server_hint, Wait};
    /// use persevere::RetryState;
    ///
    /// struct Unavailable;
    /// impl ServerHint for Unavailable {
    ///     fn retry_after(&self) -> Option<Duration> { None }
    /// }
    ///
    /// let wait = server_hint().fallback(exponential().multiplier(Duration::from_millis(100)));
    /// let outcome: Result<(), Unavailable> = Err(Unavailable);
    /// let state = RetryState::new(3).with_outcome(&outcome);
    /// assert_eq!(wait.next_wait(&state), Duration::from_millis(400));
    /// ```
    pub fn fallback<W2>(self, fallback: W2) -> ServerHintWait<W2, S, R> {
        ServerHintWait {
            fallback,
            max: self.max,
            jitter: self.jitter,
            reader: self.reader,
            source: PhantomData,
        }
    }

    /// Reads the response's headers in this order (a slice, an array, a `Vec` or an
    /// `Arc<[HintHeader]>` of [`HintHeader`](crate::http::HintHeader)s), the first usable one
    /// winning, instead of the value's own hint. Headers of your server's own go in as
    /// [`HintHeader::Custom`](crate::http::HintHeader::Custom). A value that has no headers
    /// ([`ServerHint::hint_headers`]) gives its own hint.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use http::{HeaderName, Response};
    /// use persevere::http::{HeaderHint, HintHeader};
    /// use persevere::wait::{server_hint, Wait};
    /// use persevere::RetryState;
    ///
    /// let wait = server_hint().jitter(Duration::ZERO).from_ok().headers([
    ///     HintHeader::Custom(HeaderHint::wait_time(HeaderName::from_static("wait_time"))),
    ///     HintHeader::RetryAfter,
    /// ]);
    /// let busy = Response::builder()
    ///     .status(429)
    ///     .header("retry-after", "9")
    ///     .header("wait_time", "4")
    ///     .body(())
    ///     .unwrap();
    /// let outcome: Result<_, ()> = Ok(busy);
    /// let state = RetryState::new(1).with_outcome(&outcome);
    /// assert_eq!(wait.next_wait(&state), Duration::from_secs(4));
    /// ```
    #[cfg(feature = "http")]
    pub fn headers<H: AsRef<[crate::http::HintHeader]>>(
        self,
        order: H,
    ) -> ServerHintWait<W, S, HeaderOrder<H>> {
        ServerHintWait {
            fallback: self.fallback,
            max: self.max,
            jitter: self.jitter,
            reader: HeaderOrder(order),
            source: PhantomData,
        }
    }

    /// The longest hint honoured (default 5 minutes); a longer one ends the call.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::hint::ServerHint;
    /// use persevere::wait::server_hint;
    /// use persevere::{Ending, Policy};
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct Throttled(Duration);
    /// impl ServerHint for Throttled {
    ///     fn retry_after(&self) -> Option<Duration> { Some(self.0) }
    /// }
    ///
    /// let policy = Policy::new().wait(server_hint().max(Duration::from_secs(60)));
    /// // Told to come back in an hour: give up now rather than sleep past the cap.
    /// let (result, report) = policy.call_reported(|| Err::<(), _>(Throttled(Duration::from_secs(3600))));
    /// assert_eq!(result, Err(Throttled(Duration::from_secs(3600))));
    /// assert_eq!(report.attempts(), 1);
    /// assert_eq!(report.ending(), Ending::HintAboveCap);
    /// ```
    pub const fn max(mut self, max: Duration) -> Self {
        self.max = max;
        self
    }

    /// The most jitter added above a hint (default 1 s); below it, the jitter is up to a tenth of
    /// the hint.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::hint::ServerHint;
    /// use persevere::wait::{server_hint, Wait};
    /// use persevere::RetryState;
    ///
    /// struct Throttled(Duration);
    /// impl ServerHint for Throttled {
    ///     fn retry_after(&self) -> Option<Duration> { Some(self.0) }
    /// }
    ///
    /// let wait = server_hint().jitter(Duration::from_millis(200));
    /// let outcome: Result<(), _> = Err(Throttled(Duration::from_secs(30)));
    /// let slept = wait.next_wait(&RetryState::new(1).with_outcome(&outcome));
    /// assert!(slept >= Duration::from_secs(30) && slept <= Duration::from_millis(30_200));
    /// ```
    pub const fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// Reads the hint from the `Ok` value instead of the error.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::hint::ServerHint;
    /// use persevere::wait::{server_hint, Wait};
    /// use persevere::RetryState;
    ///
    /// // A client that returns every response as `Ok`, a 429 among them.
    /// struct Response { status: u16, retry_after: Option<Duration> }
    /// impl ServerHint for Response {
    ///     fn retry_after(&self) -> Option<Duration> { self.retry_after }
    /// }
    ///
    /// let wait = server_hint().jitter(Duration::ZERO).from_ok();
    /// let busy = Response { status: 429, retry_after: Some(Duration::from_secs(3)) };
    /// assert_eq!(busy.status, 429);
    /// let outcome: Result<Response, ()> = Ok(busy);
    /// assert_eq!(wait.next_wait(&RetryState::new(1).with_outcome(&outcome)), Duration::from_secs(3));
    /// ```
    pub fn from_ok(self) -> ServerHintWait<W, FromOk, R> {
        ServerHintWait {
            fallback: self.fallback,
            max: self.max,
            jitter: self.jitter,
            reader: self.reader,
            source: PhantomData,
        }
    }

    /// The wait for `hint`, or `None` when it is above the cap (the call ends).
    fn honour(&self, hint: Duration) -> Option<Duration> {
        if hint > self.max {
            return None;
        }
        // Jitter in proportion to the hint: a tenth of it, at most `jitter`, never past `max`. A
        // 5 ms hint waits at most 5.5 ms, a 30 s one at most 31 s.
        let spread = (hint / 10).min(self.jitter).min(self.max - hint);
        Some(jitter::between(hint, hint + spread))
    }

    fn wait<T, E>(&self, hint: Option<Duration>, state: &RetryState<'_, T, E>) -> Duration
    where
        W: Wait<T, E>,
    {
        let Some(hint) = hint else {
            return self.fallback.next_wait(state);
        };
        if hint == Duration::MAX {
            state.end_call_as(
                crate::Ending::ServerRefused,
                "the server asked not to retry",
            );
            return Duration::ZERO;
        }
        self.honour(hint).unwrap_or_else(|| {
            state.refuse_hint(hint, crate::state::Capped::ServerHint);
            hint
        })
    }
}

impl<T, E: ServerHint, W: Wait<T, E>, R: ReadsHint> Wait<T, E> for ServerHintWait<W, FromError, R> {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        self.wait(
            state.error().and_then(|error| self.reader.read(error)),
            state,
        )
    }
    fn memory_slots(&self) -> usize {
        self.fallback.memory_slots()
    }
    fn needs_clock() -> bool {
        W::needs_clock()
    }
}

impl<T: ServerHint, E, W: Wait<T, E>, R: ReadsHint> Wait<T, E> for ServerHintWait<W, FromOk, R> {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        self.wait(
            state.value().and_then(|value| self.reader.read(value)),
            state,
        )
    }
    fn memory_slots(&self) -> usize {
        self.fallback.memory_slots()
    }
    fn needs_clock() -> bool {
        W::needs_clock()
    }
}
