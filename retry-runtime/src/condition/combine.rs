use crate::condition::Condition;

/// Retries when either part does: `a | b`. The right part is not asked when the left retries.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{on_error, on_ok, Any, Condition};
///
/// // A 503 error, or an `Ok` that says "pending".
/// let retry: Any<_, _> = on_error(|code: &u16| *code == 503) | on_ok(|s: &&str| *s == "pending");
/// assert!(retry.should_retry(&Err(503)));
/// assert!(retry.should_retry(&Ok("pending")));
/// assert!(!retry.should_retry(&Ok("done")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Any<A, B>(pub A, pub B);

/// Retries when both parts do: `a & b`. The right part is not asked when the left declines.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{message_contains, on_error, All, Condition};
///
/// // Server errors, but not the ones that say the quota is spent.
/// let retry: All<_, _> = on_error(|e: &String| e.starts_with('5')) & !message_contains("quota");
/// assert!(retry.should_retry(&Err::<(), _>("503 busy".to_string())));
/// assert!(!retry.should_retry(&Err::<(), _>("503 quota exhausted".to_string())));
/// assert!(!retry.should_retry(&Err::<(), _>("404 not found".to_string())));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct All<A, B>(pub A, pub B);

/// Retries what the inner condition declines, within what it is about: `!c`. The negation of a
/// condition on errors never retries an `Ok`. A `Box<dyn Condition>` hides what it is about, so
/// it counts as one that can retry values: box it as an
/// [`erased::DynCondition`](crate::erased::DynCondition), which keeps its type's answer.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{on_error, Condition, Not};
///
/// let fatal = on_error(|code: &u16| *code == 401);
/// let retry: Not<_> = !fatal;
/// assert!(retry.should_retry(&Err::<(), _>(503)));
/// assert!(!retry.should_retry(&Err::<(), _>(401)));
/// assert!(!retry.should_retry(&Ok::<(), u16>(()))); // still about errors only
/// ```
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
            Ok(_) => self.0.value_retries_ok() && !self.0.should_retry(outcome),
        }
    }
    fn retries_ok() -> bool {
        C::retries_ok()
    }
    fn value_retries_ok(&self) -> bool {
        self.0.value_retries_ok()
    }
}
