//! A type-erased policy's budget slot: a `static` budget, or none.

use crate::budget::{Budget, NoBudget, RetryBudget};

/// The budget of a [`DynPolicy`](crate::DynPolicy): a `static` [`RetryBudget`], or none.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::budget::RetryBudget;
/// use persevere::stop::attempts;
/// use persevere::wait::none;
/// use persevere::{DynPolicy, Policy};
///
/// static UPSTREAM: RetryBudget = RetryBudget::new();
///
/// let policy: DynPolicy<(), &str> = Policy::new().stop(attempts(3)).wait(none()).budget(&UPSTREAM).boxed();
/// let _ = policy.call(|| Err("down"));
/// assert_eq!(UPSTREAM.retries_left(), 8); // the boxed policy spends from the static budget
/// ```
pub type DynBudget = Option<&'static RetryBudget>;

/// Spends from the budget when there is one; without one, every retry the stop allows is made.
impl Budget for Option<&RetryBudget> {
    #[inline]
    fn try_spend(&self) -> bool {
        self.is_none_or(|budget| budget.try_spend())
    }
    #[inline]
    fn refund(&self) {
        if let Some(budget) = self {
            budget.refund();
        }
    }
    fn refund_after_retry(&self, timed_out: bool) {
        if let Some(budget) = self {
            budget.refund_after_retry(timed_out);
        }
    }
    fn give_back(&self) {
        if let Some(budget) = self {
            budget.give_back();
        }
    }
    fn try_spend_after(&self, timed_out: bool) -> bool {
        self.is_none_or(|budget| budget.try_spend_after(timed_out))
    }
    fn give_back_after(&self, timed_out: bool) {
        if let Some(budget) = self {
            budget.give_back_after(timed_out);
        }
    }
    /// The type may hold a budget; the value says whether it does.
    fn is_budget() -> bool {
        true
    }
    fn value_is_budget(&self) -> bool {
        self.is_some()
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// A budget slot a [`DynPolicy`](crate::DynPolicy) can keep: none, or a `static` budget (it
/// keeps the budget for as long as it lives, and may live in a `static` itself).
///
/// A budget that does not live in a `static` is refused, since the boxed policy may outlive it:
///
/// ```compile_fail
/// # use persevere_runtime as persevere;
/// use persevere::budget::RetryBudget;
/// use persevere::{DynPolicy, Policy};
///
/// let local = RetryBudget::new();
/// let policy: DynPolicy<(), &str> = Policy::new().budget(&local).boxed();
/// ```
#[diagnostic::on_unimplemented(
    message = "a type-erased policy cannot keep the budget slot `{Self}`",
    label = "a boxed policy keeps no budget but a `static` one, and no circuit breaker",
    note = "give the policy a budget that lives in a `static`: `static BUDGET: RetryBudget = RetryBudget::new();` then `.budget(&BUDGET)`",
    note = "a policy with a `.breaker(..)` cannot be boxed: keep its own type (a generic parameter), or box it without the breaker"
)]
pub trait IntoDynBudget {
    /// The budget, as a type-erased policy keeps it: `None` for no budget, the `static` itself
    /// for one (so the boxed policy and the rest of the program spend from the same budget).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{NoBudget, RetryBudget};
    /// use persevere::erased::IntoDynBudget;
    ///
    /// static UPSTREAM: RetryBudget = RetryBudget::new();
    ///
    /// assert!(NoBudget.into_dyn_budget().is_none());
    /// let kept = (&UPSTREAM).into_dyn_budget().unwrap();
    /// assert!(std::ptr::eq(kept, &UPSTREAM)); // the budget itself, not a copy
    /// ```
    fn into_dyn_budget(self) -> DynBudget;
}

impl IntoDynBudget for NoBudget {
    fn into_dyn_budget(self) -> DynBudget {
        None
    }
}

impl IntoDynBudget for &'static RetryBudget {
    fn into_dyn_budget(self) -> DynBudget {
        Some(self)
    }
}

impl IntoDynBudget for Option<&'static RetryBudget> {
    fn into_dyn_budget(self) -> DynBudget {
        self
    }
}
