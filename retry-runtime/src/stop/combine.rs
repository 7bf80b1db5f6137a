use std::time::Duration;

use crate::stop::Stop;
use crate::{Ending, RetryState};

/// Stops when either part says so: `a | b`. The right part is not asked when the left stops.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::stop::{attempts, elapsed, Stop, StopAny};
/// use persevere::RetryState;
///
/// let stop: StopAny<_, _> = attempts(5) | elapsed(Duration::from_secs(30));
/// let early = RetryState::<(), ()>::new(2).with_elapsed(Duration::from_secs(1));
/// let slow = RetryState::<(), ()>::new(2).with_elapsed(Duration::from_secs(31));
/// assert!(!stop.should_stop(&early));
/// assert!(stop.should_stop(&slow)); // the time is up, though attempts are left
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopAny<A, B>(pub A, pub B);

/// Stops only when both parts say so: `a & b`. The right part is not asked when the left
/// continues.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::stop::{attempts, elapsed, Stop, StopAll};
/// use persevere::RetryState;
///
/// // At least 3 attempts, and then keep going until 10 s have passed.
/// let stop: StopAll<_, _> = attempts(3) & elapsed(Duration::from_secs(10));
/// let quick = RetryState::<(), ()>::new(3).with_elapsed(Duration::from_millis(50));
/// let late = RetryState::<(), ()>::new(3).with_elapsed(Duration::from_secs(10));
/// assert!(!stop.should_stop(&quick));
/// assert!(stop.should_stop(&late));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopAll<A, B>(pub A, pub B);

impl<T, E, A: Stop<T, E>, B: Stop<T, E>> Stop<T, E> for StopAny<A, B> {
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        self.0.should_stop(state) || self.1.should_stop(state)
    }
    /// The reason of the part that stops: the left one's, and the right one is not asked when
    /// the left stops.
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<Ending> {
        self.0
            .stop_reason(state)
            .or_else(|| self.1.stop_reason(state))
    }
    fn cancelled(&self) -> bool {
        self.0.cancelled() || self.1.cancelled()
    }
    /// The smaller of the parts' limits: either may stop the call.
    fn attempt_limit(&self) -> Option<u32> {
        match (self.0.attempt_limit(), self.1.attempt_limit()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
    fn cancellable() -> bool {
        A::cancellable() || B::cancellable()
    }
    /// The earlier of the parts' deadlines: either may stop the call.
    fn deadline(&self) -> Option<Duration> {
        match (self.0.deadline(), self.1.deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
    fn needs_clock() -> bool {
        A::needs_clock() || B::needs_clock()
    }
}

impl<T, E, A: Stop<T, E>, B: Stop<T, E>> Stop<T, E> for StopAll<A, B> {
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        self.0.should_stop(state) && self.1.should_stop(state)
    }
    /// The left part's reason, when both stop; the right one is not asked when the left goes
    /// on.
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<Ending> {
        let reason = self.0.stop_reason(state)?;
        self.1.stop_reason(state).map(|_| reason)
    }
    fn cancelled(&self) -> bool {
        self.0.cancelled() && self.1.cancelled()
    }
    /// The larger of the parts' limits, when both have one.
    fn attempt_limit(&self) -> Option<u32> {
        Some(self.0.attempt_limit()?.max(self.1.attempt_limit()?))
    }
    fn cancellable() -> bool {
        A::cancellable() && B::cancellable()
    }
    /// The later of the parts' deadlines, when both have one: the call stops only when both say so.
    fn deadline(&self) -> Option<Duration> {
        Some(self.0.deadline()?.max(self.1.deadline()?))
    }
    fn needs_clock() -> bool {
        A::needs_clock() || B::needs_clock()
    }
}
