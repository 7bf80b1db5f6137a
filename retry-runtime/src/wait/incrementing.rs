use std::time::Duration;

use crate::RetryState;
use crate::wait::Wait;

/// A wait that grows by a fixed step. Built by [`incrementing`], whose page has an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{incrementing, Incrementing, Wait};
///
/// // 1 s, 1.5 s, 2 s …
/// const STEPS: Incrementing = incrementing()
///     .start(Duration::from_secs(1))
///     .increment(Duration::from_millis(500));
/// let third = Wait::<(), ()>::next_wait(&STEPS, &RetryState::new(3));
/// assert_eq!(third, Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incrementing {
    start: Duration,
    increment: Duration,
    max: Duration,
}

/// Waits `start + increment · (n−1)` after attempt `n`, capped at `max` (defaults: start 0,
/// increment 100 ms, no max). Saturates instead of overflowing.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{incrementing, Wait};
///
/// let wait = incrementing()
///     .start(Duration::from_secs(1))
///     .increment(Duration::from_secs(2))
///     .max(Duration::from_secs(6));
/// let secs: Vec<u64> = (1..=5)
///     .map(|n| Wait::<(), ()>::next_wait(&wait, &RetryState::new(n)).as_secs())
///     .collect();
/// assert_eq!(secs, [1, 3, 5, 6, 6]);
/// ```
pub const fn incrementing() -> Incrementing {
    Incrementing {
        start: Duration::ZERO,
        increment: Duration::from_millis(100),
        max: Duration::MAX,
    }
}

impl Incrementing {
    /// The first wait (default 0).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{incrementing, Wait};
    ///
    /// // 500 ms, 600 ms, 700 ms …
    /// let wait = incrementing().start(Duration::from_millis(500));
    /// let second = Wait::<(), ()>::next_wait(&wait, &RetryState::new(2));
    /// assert_eq!(second, Duration::from_millis(600));
    /// ```
    pub const fn start(mut self, start: Duration) -> Self {
        self.start = start;
        self
    }

    /// Added after each attempt (default 100 ms).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{incrementing, Wait};
    ///
    /// // 0 s, 1 s, 2 s …
    /// let wait = incrementing().increment(Duration::from_secs(1));
    /// let third = Wait::<(), ()>::next_wait(&wait, &RetryState::new(3));
    /// assert_eq!(third, Duration::from_secs(2));
    /// ```
    pub const fn increment(mut self, increment: Duration) -> Self {
        self.increment = increment;
        self
    }

    /// The longest wait (default: none).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{incrementing, Wait};
    ///
    /// let wait = incrementing().max(Duration::from_millis(250));
    /// let late = Wait::<(), ()>::next_wait(&wait, &RetryState::new(10));
    /// assert_eq!(late, Duration::from_millis(250));
    /// ```
    pub const fn max(mut self, max: Duration) -> Self {
        self.max = max;
        self
    }
}

impl<T, E> Wait<T, E> for Incrementing {
    #[inline]
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        let steps = state.attempt().saturating_sub(1);
        self.start
            .saturating_add(self.increment.saturating_mul(steps))
            .min(self.max)
    }
    fn needs_clock() -> bool {
        false
    }
}
