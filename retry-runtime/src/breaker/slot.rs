//! A policy's budget slot with a circuit breaker beside the budget: both guard the calls that
//! share them, and a policy sets each without losing the other.

use super::{BreakerOpen, CircuitBreaker, FromBreakerOpen, Guard};
use crate::budget::{Budget, NoBudget, RetryBudget};

/// A budget slot (none, or a [`RetryBudget`]) with a [`CircuitBreaker`]: what
/// [`Policy::breaker`](crate::Policy::breaker) makes of a policy's budget.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::breaker::{CircuitBreaker, WithBreaker};
/// use persevere::budget::{Budget, RetryBudget};
///
/// static UPSTREAM: CircuitBreaker = CircuitBreaker::new();
/// static RETRIES: RetryBudget = RetryBudget::new();
///
/// let slot = (&RETRIES).with_breaker(&UPSTREAM);
/// assert!(slot.breaker().is_some());
/// assert!(slot.try_spend()); // spends from the budget
/// assert_eq!(RETRIES.retries_left(), 9);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Guarded<'a, U> {
    budget: U,
    breaker: &'a CircuitBreaker,
}

impl<U: Budget> Budget for Guarded<'_, U> {
    #[inline]
    fn try_spend(&self) -> bool {
        self.budget.try_spend()
    }
    /// Refunds the budget (the call tells the breaker itself).
    #[inline]
    fn refund(&self) {
        self.budget.refund();
    }
    fn refund_after_retry(&self, timed_out: bool) {
        self.budget.refund_after_retry(timed_out);
    }
    fn give_back(&self) {
        self.budget.give_back()
    }
    fn try_spend_after(&self, timed_out: bool) -> bool {
        self.budget.try_spend_after(timed_out)
    }
    fn give_back_after(&self, timed_out: bool) {
        self.budget.give_back_after(timed_out)
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn breaker(&self) -> Option<&CircuitBreaker> {
        Some(self.breaker)
    }
    /// A breaker is consulted before the first attempt, so the slot counts as one that the call
    /// must build its policy for.
    fn is_budget() -> bool {
        true
    }
}

impl<E: FromBreakerOpen, U: Budget> Guard<E> for Guarded<'_, U> {
    fn refusal(open: BreakerOpen) -> Option<E> {
        Some(E::from_breaker_open(open))
    }
}

/// How [`Policy::budget`](crate::Policy::budget) sets the budget of a slot, keeping its breaker:
/// a bound of that method, which programs call rather than this trait
/// (`Policy::new().breaker(&UPSTREAM).budget(&RETRIES)`).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::breaker::{CircuitBreaker, WithBreaker, WithBudget};
/// use persevere::budget::{Budget, NoBudget, RetryBudget};
///
/// static UPSTREAM: CircuitBreaker = CircuitBreaker::new();
/// static RETRIES: RetryBudget = RetryBudget::with_reserve(1, 10);
///
/// let slot = NoBudget.with_breaker(&UPSTREAM).with_budget(&RETRIES);
/// assert!(slot.breaker().is_some()); // the breaker stays
/// assert!(slot.try_spend()); // and the budget is set
/// assert!(!slot.try_spend());
/// ```
pub trait WithBudget<'b> {
    /// The slot with the budget.
    type Output: Budget;
    /// Sets the budget.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::breaker::WithBudget;
    /// use persevere::budget::{Budget, NoBudget, RetryBudget};
    ///
    /// static RETRIES: RetryBudget = RetryBudget::with_reserve(1, 10);
    ///
    /// let slot = NoBudget.with_budget(&RETRIES);
    /// assert!(slot.try_spend());
    /// assert!(!slot.try_spend());
    /// ```
    fn with_budget(&self, budget: &'b RetryBudget) -> Self::Output;
}

/// How [`Policy::breaker`](crate::Policy::breaker) sets the breaker of a slot, keeping its
/// budget: a bound of that method, which programs call rather than this trait
/// (`Policy::new().budget(&RETRIES).breaker(&UPSTREAM)`).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::breaker::{CircuitBreaker, WithBreaker, WithBudget};
/// use persevere::budget::{Budget, NoBudget, RetryBudget};
///
/// static UPSTREAM: CircuitBreaker = CircuitBreaker::new();
/// static RETRIES: RetryBudget = RetryBudget::with_reserve(1, 10);
///
/// let slot = NoBudget.with_budget(&RETRIES).with_breaker(&UPSTREAM);
/// assert!(slot.breaker().is_some());
/// assert!(slot.try_spend()); // the budget stays
/// assert!(!slot.try_spend());
/// ```
pub trait WithBreaker<'c> {
    /// The slot with the breaker.
    type Output: Budget;
    /// Sets the breaker.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::breaker::{CircuitBreaker, WithBreaker};
    /// use persevere::budget::{Budget, NoBudget};
    ///
    /// static UPSTREAM: CircuitBreaker = CircuitBreaker::new();
    ///
    /// assert!(NoBudget.breaker().is_none());
    /// assert!(NoBudget.with_breaker(&UPSTREAM).breaker().is_some());
    /// ```
    fn with_breaker(&self, breaker: &'c CircuitBreaker) -> Self::Output;
}

macro_rules! plain_slot {
    ($($slot:ty),*) => {$(
        impl<'b> WithBudget<'b> for $slot {
            type Output = &'b RetryBudget;
            fn with_budget(&self, budget: &'b RetryBudget) -> &'b RetryBudget {
                budget
            }
        }
        impl<'c> WithBreaker<'c> for $slot {
            type Output = Guarded<'c, Self>;
            fn with_breaker(&self, breaker: &'c CircuitBreaker) -> Self::Output {
                Guarded { budget: *self, breaker }
            }
        }
    )*};
}

plain_slot!(NoBudget, &RetryBudget, Option<&RetryBudget>);

impl<'a, 'b, U> WithBudget<'b> for Guarded<'a, U> {
    type Output = Guarded<'a, &'b RetryBudget>;
    fn with_budget(&self, budget: &'b RetryBudget) -> Self::Output {
        Guarded {
            budget,
            breaker: self.breaker,
        }
    }
}

impl<'c, U: Budget> WithBreaker<'c> for Guarded<'_, U> {
    type Output = Guarded<'c, U>;
    fn with_breaker(&self, breaker: &'c CircuitBreaker) -> Self::Output {
        Guarded {
            budget: self.budget,
            breaker,
        }
    }
}

/// A type-erased policy keeps a budget only ([`DynBudget`](crate::erased::DynBudget)): a policy
/// with a breaker cannot be [`boxed`](crate::Policy::boxed). No slot implements this; the
/// compiler's error names the breaker.
///
/// ```compile_fail,E0277
/// # use persevere_runtime as persevere;
/// use persevere::breaker::{BreakerOpen, CircuitBreaker};
/// use persevere::{DynPolicy, Policy};
///
/// static UPSTREAM: CircuitBreaker = CircuitBreaker::new();
///
/// // A type-erased policy cannot keep a circuit breaker.
/// let policy: DynPolicy<(), BreakerOpen> = Policy::new().breaker(&UPSTREAM).boxed();
/// ```
#[diagnostic::on_unimplemented(
    message = "a type-erased policy cannot keep a circuit breaker",
    label = "this policy has a `breaker`"
)]
pub trait ErasableBreaker {}

impl<U> crate::erased::IntoDynBudget for Guarded<'_, U>
where
    Self: ErasableBreaker,
{
    fn into_dyn_budget(self) -> crate::erased::DynBudget {
        // No slot with a breaker is `ErasableBreaker`, so this is never called.
        None
    }
}
