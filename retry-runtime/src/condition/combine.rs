use crate::condition::Condition;

/// Retries when either part does: `a | b`. The right part is not asked when the left retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Any<A, B>(pub A, pub B);

/// Retries when both parts do: `a & b`. The right part is not asked when the left declines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct All<A, B>(pub A, pub B);

/// Retries what the inner condition declines: `!c`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Not<C>(pub C);

impl<T, E, A: Condition<T, E>, B: Condition<T, E>> Condition<T, E> for Any<A, B> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        self.0.should_retry(outcome) || self.1.should_retry(outcome)
    }
    const RETRIES_OK: bool = A::RETRIES_OK || B::RETRIES_OK;
}

impl<T, E, A: Condition<T, E>, B: Condition<T, E>> Condition<T, E> for All<A, B> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        self.0.should_retry(outcome) && self.1.should_retry(outcome)
    }
    const RETRIES_OK: bool = A::RETRIES_OK && B::RETRIES_OK;
}

impl<T, E, C: Condition<T, E>> Condition<T, E> for Not<C> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        !self.0.should_retry(outcome)
    }
    // `!` of a condition that never retries an `Ok` retries every `Ok`.
    const RETRIES_OK: bool = true;
}
