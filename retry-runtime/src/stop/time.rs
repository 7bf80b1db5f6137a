use std::time::Duration;

use crate::RetryState;
use crate::stop::Stop;

/// Stops once the call has run for a given time. Built by [`elapsed`], whose page has an example.
///
/// It reads the time already spent only, not the sleep to come (unlike [`Deadline`]):
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::stop::{elapsed, Elapsed, Stop};
///
/// const STOP: Elapsed = elapsed(Duration::from_secs(10));
/// let state = RetryState::<(), ()>::new(3)
///     .with_elapsed(Duration::from_secs(9))
///     .with_upcoming_sleep(Duration::from_secs(5));
/// assert!(!STOP.should_stop(&state)); // one more sleep and attempt, ending past 10 s
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed {
    limit: Duration,
}

/// Stops once `limit` has elapsed since the call started, measured at the end of the latest
/// attempt (tenacity's `stop_after_delay`).
///
/// The call can overrun `limit` by one sleep and one attempt; use [`deadline`] to start no
/// attempt after the limit.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::stop::{elapsed, Stop};
///
/// let stop = elapsed(Duration::from_secs(10));
/// let state = RetryState::<(), ()>::new(2).with_elapsed(Duration::from_secs(10));
/// assert!(stop.should_stop(&state));
/// ```
pub const fn elapsed(limit: Duration) -> Elapsed {
    Elapsed { limit }
}

impl<T, E> Stop<T, E> for Elapsed {
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<crate::Ending> {
        self.should_stop(state).then_some(crate::Ending::Elapsed)
    }
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        state.elapsed() >= self.limit
    }
}

/// Stops before a sleep that would end past a time limit. Built by [`deadline`], whose page has an
/// example.
///
/// The call also reads its limit, to start no attempt past it after slow hooks or a long sleep:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::stop::{deadline, Deadline, Stop};
///
/// const STOP: Deadline = deadline(Duration::from_secs(10));
/// assert_eq!(Stop::<(), ()>::deadline(&STOP), Some(Duration::from_secs(10)));
/// let state = RetryState::<(), ()>::new(2)
///     .with_elapsed(Duration::from_secs(3))
///     .with_upcoming_sleep(Duration::from_secs(4));
/// assert!(!STOP.should_stop(&state)); // 3 s + 4 s ends before 10 s
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    limit: Duration,
}

/// Stops when the upcoming sleep would end at or past `limit` after the call started, so no
/// attempt starts after `limit` (tenacity's `stop_before_delay`).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::stop::{deadline, Stop};
///
/// let stop = deadline(Duration::from_secs(10));
/// let state = RetryState::<(), ()>::new(2)
///     .with_elapsed(Duration::from_secs(7))
///     .with_upcoming_sleep(Duration::from_secs(4));
/// assert!(stop.should_stop(&state)); // 7 s + 4 s would pass 10 s
/// ```
pub const fn deadline(limit: Duration) -> Deadline {
    Deadline { limit }
}

impl<T, E> Stop<T, E> for Deadline {
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<crate::Ending> {
        self.should_stop(state).then_some(crate::Ending::Deadline)
    }
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        let upcoming = state.upcoming_sleep().unwrap_or(Duration::ZERO);
        state.elapsed().saturating_add(upcoming) >= self.limit
    }
    fn deadline(&self) -> Option<Duration> {
        Some(self.limit)
    }
}
