use crate::condition::Condition;

/// Retries when either part does: `a | b`. The right part is not asked when the left retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Any<A, B>(pub A, pub B);

/// Retries when both parts do: `a & b`. The right part is not asked when the left declines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct All<A, B>(pub A, pub B);

/// Retries what the inner condition declines, within what it is about: `!c`. The negation of a
/// condition on errors never retries an `Ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Not<C>(pub C);

impl<T, E, A: Condition<T, E>, B: Condition<T, E>> Condition<T, E> for Any<A, B> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        self.0.should_retry(outcome) || self.1.should_retry(outcome)
    }
    fn retries_ok() -> bool {
        A::retries_ok() || B::retries_ok()
    }
}

impl<T, E, A: Condition<T, E>, B: Condition<T, E>> Condition<T, E> for All<A, B> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        self.0.should_retry(outcome) && self.1.should_retry(outcome)
    }
    fn retries_ok() -> bool {
        A::retries_ok() && B::retries_ok()
    }
}

impl<T, E, C: Condition<T, E>> Condition<T, E> for Not<C> {
    /// Negates within what the inner condition is about: `!on_error(is_fatal)` retries the errors
    /// that are not fatal and still no `Ok`; `!on_ok(is_done)` retries the values not done (and,
    /// as `on_ok` declines every error, every error).
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        match outcome {
            Err(_) => !self.0.should_retry(outcome),
            Ok(_) => C::retries_ok() && !self.0.should_retry(outcome),
        }
    }
    fn retries_ok() -> bool {
        C::retries_ok()
    }
}
