//! What the body of a retried function may know about itself: `#[retry(attempt = name)]`.

use std::time::Duration;

/// The attempt a retried function's body is running, bound by `#[retry(attempt = name)]`.
///
/// ```
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
    pub fn is_first(&self) -> bool {
        self.number == 1
    }

    /// Time since the call started, as the attempt begins.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Time slept between earlier attempts.
    pub fn slept(&self) -> Duration {
        self.slept
    }

    /// This attempt's time limit, when the call has one (`timeout`, `total_timeout`): the shorter
    /// of its own limit and what is left of the call's. Hand it to a client as its own deadline.
    pub fn timeout(&self) -> Option<Duration> {
        self.limit
    }
}
