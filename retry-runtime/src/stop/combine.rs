use crate::RetryState;
use crate::stop::Stop;

/// Stops when either part says so: `a | b`. The right part is not asked when the left stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopAny<A, B>(pub A, pub B);

/// Stops only when both parts say so: `a & b`. The right part is not asked when the left
/// continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopAll<A, B>(pub A, pub B);

impl<T, E, A: Stop<T, E>, B: Stop<T, E>> Stop<T, E> for StopAny<A, B> {
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        self.0.should_stop(state) || self.1.should_stop(state)
    }
    const NEEDS_CLOCK: bool = A::NEEDS_CLOCK || B::NEEDS_CLOCK;
}

impl<T, E, A: Stop<T, E>, B: Stop<T, E>> Stop<T, E> for StopAll<A, B> {
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        self.0.should_stop(state) && self.1.should_stop(state)
    }
    const NEEDS_CLOCK: bool = A::NEEDS_CLOCK || B::NEEDS_CLOCK;
}
