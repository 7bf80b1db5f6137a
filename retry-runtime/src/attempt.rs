//! What the body of a retried function may know about itself: `#[retry(attempt = name)]`.

use std::time::Duration;

/// The attempt a retried function's body is running, bound by `#[retry(attempt = name)]`.
///
/// ```standalone_crate
/// # extern crate persevere_runtime as persevere;
/// use persevere::{retry, Attempt};
///
/// #[retry(stop = attempts(3), wait = fixed(0s), attempt = this)]
/// fn fetch() -> Result<u32, String> {
///     if this.number() < 3 { Err(format!("attempt {} failed", this.number())) } else { Ok(this.number()) }
/// }
///
/// assert_eq!(fetch(), Ok(3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub(crate) number: u32,
    pub(crate) elapsed: Duration,
    pub(crate) slept: Duration,
    pub(crate) limit: Option<Duration>,
}

impl Attempt {
    /// The 1-based number of this attempt.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Whether this is the first attempt.
    ///
    /// ```standalone_crate
    /// # extern crate persevere_runtime as persevere;
    /// use std::cell::RefCell;
    /// use persevere::retry;
    ///
    /// // Tell the server which requests are retries.
    /// #[retry(stop = attempts(2), wait = 0s, attempt = this)]
    /// fn send(headers: &RefCell<Vec<&'static str>>) -> Result<(), &'static str> {
    ///     headers.borrow_mut().push(if this.is_first() { "first" } else { "retry" });
    ///     Err("unavailable")
    /// }
    ///
    /// let headers = RefCell::new(Vec::new());
    /// let _ = send(&headers);
    /// assert_eq!(*headers.borrow(), ["first", "retry"]);
    /// ```
    pub fn is_first(&self) -> bool {
        self.number == 1
    }

    /// Time since the call started, as the attempt begins.
    ///
    /// ```standalone_crate
    /// # extern crate persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::retry;
    ///
    /// // After a minute of trying, settle for the cache.
    /// #[retry(stop = attempts(5), wait = fixed(40s), attempt = this)]
    /// fn lookup() -> Result<&'static str, &'static str> {
    ///     if this.elapsed() >= Duration::from_secs(60) {
    ///         return Ok("cached answer");
    ///     }
    ///     Err("primary unavailable")
    /// }
    ///
    /// let _skip = persevere::testing::skip_sleeps(); // the waits count, without being waited
    /// assert_eq!(lookup(), Ok("cached answer")); // the third attempt, 80 s in
    /// ```
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Time slept between earlier attempts.
    ///
    /// ```standalone_crate
    /// # extern crate persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::retry;
    ///
    /// #[retry(stop = attempts(3), wait = fixed(5ms), attempt = this)]
    /// fn poll(slept: &std::cell::Cell<Duration>) -> Result<(), &'static str> {
    ///     slept.set(this.slept());
    ///     Err("not ready")
    /// }
    ///
    /// let slept = std::cell::Cell::new(Duration::ZERO);
    /// let _ = poll(&slept);
    /// assert_eq!(slept.get(), Duration::from_millis(10)); // before the third attempt
    /// ```
    pub fn slept(&self) -> Duration {
        self.slept
    }

    /// This attempt's time limit, when the call has one (`timeout`, `total_timeout`): the shorter
    /// of its own limit and what is left of the call's. Hand it to a client as its own deadline.
    ///
    /// ```standalone_crate
    /// # extern crate persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{retry, Timeout};
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct TimedOut;
    /// impl From<Timeout> for TimedOut {
    ///     fn from(_: Timeout) -> Self { TimedOut }
    /// }
    ///
    /// #[retry(timeout = 2s, attempt = this)]
    /// async fn query() -> Result<Option<Duration>, TimedOut> {
    ///     Ok(this.timeout()) // e.g. a database's statement timeout
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert_eq!(query().await, Ok(Some(Duration::from_secs(2))));
    /// # }
    /// ```
    pub fn timeout(&self) -> Option<Duration> {
        self.limit
    }
}
