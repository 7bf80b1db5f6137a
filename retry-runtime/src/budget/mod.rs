//! Retry budgets: a bound on the load retries add across every call that shares one, so that an
//! outage is not made worse by the clients retrying it.
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::Duration;
//! use persevere::budget::RetryBudget;
//! use persevere::stop::attempts;
//! use persevere::{Ending, Policy};
//!
//! // A reserve of two retries, shared by every call that names it.
//! static ORDERS: RetryBudget = RetryBudget::with_reserve(2, 10);
//!
//! let policy = Policy::new().stop(attempts(3)).wait(Duration::ZERO).budget(&ORDERS);
//! let (_, first) = policy.call_reported(|| Err::<(), _>("down"));
//! assert_eq!(first.attempts(), 3); // its two retries spent the reserve
//! // The outage goes on: the next call makes its one attempt and gives up.
//! let (_, second) = policy.call_reported(|| Err::<(), _>("down"));
//! assert_eq!((second.attempts(), second.ending()), (1, Ending::Budget));
//! ```

use std::sync::atomic::{AtomicU64, Ordering};

use crate::breaker::CircuitBreaker;

mod keyed;

pub use keyed::KeyedBudget;

/// A budget of retries shared by the calls that name it, in the manner of gRPC's retry throttling
/// and the SRE book's "retries under 10 % of requests": first attempts are free, each retry spends
/// a token, each success refunds a fraction of one, and a call whose budget is empty returns its
/// last outcome at once instead of retrying (the reason is logged).
///
/// The defaults ([`RetryBudget::new`]) keep retries to about 10 % of successful calls beyond a
/// reserve of 10 retries, so a client with little traffic still retries, and a client facing an
/// outage sends about one request per call once the reserve is spent.
///
/// It lives in a `static`: the constructor is `const`, and the accounting is lock-free.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::budget::RetryBudget;
/// use persevere::stop::attempts;
/// use persevere::Policy;
///
/// static UPSTREAM: RetryBudget = RetryBudget::new();
///
/// let policy = Policy::new().stop(attempts(3)).wait(std::time::Duration::ZERO).budget(&UPSTREAM);
/// let _ = policy.call(|| Err::<(), _>("down"));
/// assert_eq!(UPSTREAM.retries_left(), 8); // the call spent two retries of its reserve of 10
/// ```
#[derive(Debug)]
pub struct RetryBudget {
    /// The balance, in thousandths of a retry.
    balance: AtomicU64,
    capacity: u64,
    refund: u64,
    /// What a retry costs, in the same thousandths.
    cost: u64,
    /// What a retry after an attempt cut by its time limit costs.
    timeout_cost: u64,
    /// Whether a success after retries gives back what its last retry cost, rather than the
    /// success's share (the AWS SDKs' rule, for [`tokens`](Self::tokens)).
    returns_last_retry: bool,
}

/// A retry's cost, in thousandths: the unit of [`RetryBudget::with_reserve`]'s budgets, and a
/// token's in [`RetryBudget::tokens`]'s.
const RETRY: u64 = 1000;

impl RetryBudget {
    /// A budget with a reserve of 10 retries and a refund of a tenth of a retry per success.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    ///
    /// static UPSTREAM: RetryBudget = RetryBudget::new();
    /// assert_eq!(UPSTREAM.retries_left(), 10);
    /// ```
    pub const fn new() -> RetryBudget {
        RetryBudget::with_reserve(10, 10)
    }

    /// A budget that holds at most `reserve` retries (and starts full), and earns back `percent`
    /// hundredths of a retry for each success: retries stay near `percent` % of successful calls
    /// once the reserve is spent.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    ///
    /// static STRICT: RetryBudget = RetryBudget::with_reserve(3, 5);
    /// assert_eq!(STRICT.retries_left(), 3);
    /// ```
    pub const fn with_reserve(reserve: u32, percent: u32) -> RetryBudget {
        let capacity = reserve as u64 * RETRY;
        RetryBudget {
            balance: AtomicU64::new(capacity),
            capacity,
            refund: percent as u64 * RETRY / 100,
            cost: RETRY,
            timeout_cost: RETRY,
            returns_last_retry: false,
        }
    }

    /// A bucket of `capacity` tokens (starting full) where a retry costs `retry` tokens, a retry
    /// after an attempt cut by its time limit (`timeout`, `total_timeout`) costs `timeout`
    /// tokens, a success at the first attempt earns back `success` tokens, and a success after
    /// retries gives back what its last retry cost. The AWS SDKs' standard mode is
    /// `RetryBudget::tokens(500, 5, 10, 1)`, so that timeouts, the costliest failures for a
    /// struggling server, use the budget up twice as fast as other errors, and a call that
    /// retried its way to a success costs the bucket only its earlier retries.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::budget::RetryBudget;
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    ///
    /// static AWS: RetryBudget = RetryBudget::tokens(500, 5, 10, 1);
    /// assert_eq!(AWS.tokens_left(), 500);
    ///
    /// let policy = Policy::new().stop(attempts(3)).wait(Duration::ZERO).budget(&AWS);
    /// let _ = policy.call(|| Err::<(), _>("503"));
    /// assert_eq!(AWS.tokens_left(), 490); // two retries of 5 tokens
    ///
    /// // Two failures, then a success: the last retry's 5 come back.
    /// let failures = std::cell::Cell::new(0);
    /// let _ = policy.call(|| {
    ///     failures.set(failures.get() + 1);
    ///     if failures.get() <= 2 { Err("503") } else { Ok(()) }
    /// });
    /// assert_eq!(AWS.tokens_left(), 485);
    /// ```
    pub const fn tokens(capacity: u32, retry: u32, timeout: u32, success: u32) -> RetryBudget {
        let capacity = capacity as u64 * RETRY;
        RetryBudget {
            balance: AtomicU64::new(capacity),
            capacity,
            refund: success as u64 * RETRY,
            cost: retry as u64 * RETRY,
            timeout_cost: timeout as u64 * RETRY,
            returns_last_retry: true,
        }
    }

    /// A budget like this one, full: for tables of budgets made from one template.
    pub(crate) const fn fresh_copy(&self) -> RetryBudget {
        RetryBudget {
            balance: AtomicU64::new(self.capacity),
            capacity: self.capacity,
            refund: self.refund,
            cost: self.cost,
            timeout_cost: self.timeout_cost,
            returns_last_retry: self.returns_last_retry,
        }
    }

    /// Spends one retry, if the budget holds one. Lock-free: a compare-and-swap loop.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    ///
    /// let budget = RetryBudget::with_reserve(2, 10);
    /// assert!(budget.try_spend());
    /// assert!(budget.try_spend());
    /// assert!(!budget.try_spend()); // empty: no retry
    /// ```
    pub fn try_spend(&self) -> bool {
        self.try_spend_after(false)
    }

    /// Spends one retry after an attempt that its time limit cut (`timed_out`) or that failed
    /// otherwise, at that kind's cost, if the budget holds it.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    ///
    /// // 10 tokens; a retry costs 2, or 5 after a timeout.
    /// let budget = RetryBudget::tokens(10, 2, 5, 1);
    /// assert!(budget.try_spend_after(true));
    /// assert!(budget.try_spend_after(false));
    /// assert_eq!(budget.tokens_left(), 3);
    /// assert!(!budget.try_spend_after(true)); // a timeout's 5 are no longer there
    /// ```
    pub fn try_spend_after(&self, timed_out: bool) -> bool {
        let cost = self.cost_after(timed_out);
        self.balance
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |balance| {
                balance.checked_sub(cost)
            })
            .is_ok()
    }

    fn cost_after(&self, timed_out: bool) -> u64 {
        if timed_out {
            self.timeout_cost
        } else {
            self.cost
        }
    }

    /// Earns back a success's share, up to the capacity.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    ///
    /// // Two successes earn back one retry.
    /// let budget = RetryBudget::with_reserve(1, 50);
    /// assert!(budget.try_spend());
    /// budget.refund();
    /// assert_eq!(budget.retries_left(), 0);
    /// budget.refund();
    /// assert_eq!(budget.retries_left(), 1);
    /// budget.refund(); // already full
    /// assert_eq!(budget.retries_left(), 1);
    /// ```
    pub fn refund(&self) {
        if self.refund == 0 {
            return;
        }
        let _ = self
            .balance
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |balance| {
                (balance < self.capacity)
                    .then(|| balance.saturating_add(self.refund).min(self.capacity))
            });
    }

    /// Earns back a success that came after retries, whose last retry followed an attempt cut by
    /// its time limit (`timed_out`) or one that failed otherwise: a [`tokens`](Self::tokens)
    /// bucket gets that retry's cost back, as the AWS SDKs' standard mode does; any other budget
    /// a success's share, as [`refund`](Self::refund).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    ///
    /// let aws = RetryBudget::tokens(500, 5, 10, 1);
    /// assert!(aws.try_spend_after(true));
    /// aws.refund_after_retry(true);
    /// assert_eq!(aws.tokens_left(), 500);
    ///
    /// let reserve = RetryBudget::with_reserve(10, 10);
    /// assert!(reserve.try_spend());
    /// reserve.refund_after_retry(false);
    /// assert_eq!(reserve.tokens_left(), 9); // a tenth of a retry back, rounded down
    /// ```
    pub fn refund_after_retry(&self, timed_out: bool) {
        if self.returns_last_retry {
            self.give_back_after(timed_out);
        } else {
            self.refund();
        }
    }

    /// Gives back a whole retry spent for a sleep that never happened (the call ended first), up
    /// to the capacity.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    ///
    /// let budget = RetryBudget::with_reserve(3, 10);
    /// assert!(budget.try_spend());
    /// budget.give_back();
    /// assert_eq!(budget.retries_left(), 3);
    /// ```
    pub fn give_back(&self) {
        self.give_back_after(false)
    }

    /// Gives back what [`try_spend_after`](Self::try_spend_after) took for the same kind of
    /// failure, up to the capacity.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    ///
    /// let budget = RetryBudget::tokens(20, 2, 5, 1);
    /// assert!(budget.try_spend_after(true));
    /// assert_eq!(budget.tokens_left(), 15);
    /// budget.give_back_after(true);
    /// assert_eq!(budget.tokens_left(), 20);
    /// ```
    pub fn give_back_after(&self, timed_out: bool) {
        let cost = self.cost_after(timed_out);
        let _ = self
            .balance
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |balance| {
                (balance < self.capacity).then(|| balance.saturating_add(cost).min(self.capacity))
            });
    }

    /// Whole retries (of the ordinary cost) the budget holds now.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    ///
    /// // 10 tokens at 4 a retry: two whole retries.
    /// let budget = RetryBudget::tokens(10, 4, 4, 1);
    /// assert_eq!(budget.retries_left(), 2);
    /// ```
    pub fn retries_left(&self) -> u64 {
        self.balance.load(Ordering::Acquire) / self.cost.max(1)
    }

    /// Whole tokens the budget holds now (for [`tokens`](Self::tokens) budgets; for
    /// [`with_reserve`](Self::with_reserve) ones, a token is a retry).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    ///
    /// let budget = RetryBudget::tokens(500, 5, 10, 1);
    /// assert!(budget.try_spend());
    /// assert_eq!(budget.tokens_left(), 495);
    ///
    /// let reserve = RetryBudget::with_reserve(4, 10);
    /// assert_eq!(reserve.tokens_left(), 4);
    /// ```
    pub fn tokens_left(&self) -> u64 {
        self.balance.load(Ordering::Acquire) / RETRY
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget::new()
    }
}

/// A policy's budget slot: [`NoBudget`] (the default), a `&RetryBudget`, an
/// `Option<&RetryBudget>` (a type-erased policy's), or a budget guarded by a circuit breaker
/// ([`Guarded`](crate::breaker::Guarded)).
///
/// Programs set the slot with [`Policy::budget`](crate::Policy::budget) and
/// [`Policy::breaker`](crate::Policy::breaker) and rarely name this trait; code generic over a
/// policy's slot (a driver of its own) reads the slot through it:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::budget::{Budget, NoBudget, RetryBudget};
///
/// fn retry_allowed(slot: impl Budget) -> bool {
///     slot.try_spend()
/// }
///
/// static EMPTY: RetryBudget = RetryBudget::with_reserve(0, 10);
/// assert!(retry_allowed(NoBudget));
/// assert!(!retry_allowed(&EMPTY));
/// ```
pub trait Budget: Copy {
    /// Spends one retry; `false` when the budget is empty.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{Budget, NoBudget, RetryBudget};
    ///
    /// let budget = RetryBudget::with_reserve(1, 10);
    /// let slot = &budget;
    /// assert!(Budget::try_spend(&slot));
    /// assert!(!Budget::try_spend(&slot));
    /// assert!(NoBudget.try_spend()); // no budget never runs out
    /// ```
    fn try_spend(&self) -> bool;
    /// Refunds a success's share.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{Budget, RetryBudget};
    ///
    /// let budget = RetryBudget::tokens(10, 1, 1, 1);
    /// let slot = &budget;
    /// assert!(Budget::try_spend(&slot));
    /// Budget::refund(&slot);
    /// assert_eq!(budget.tokens_left(), 10);
    /// ```
    fn refund(&self);
    /// Refunds a success that came after retries, whose last retry followed an attempt cut by
    /// its time limit (`timed_out`) or one that failed otherwise (see
    /// [`RetryBudget::refund_after_retry`]). Default: [`refund`](Budget::refund).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{Budget, RetryBudget};
    ///
    /// let budget = RetryBudget::tokens(20, 2, 5, 1);
    /// let slot = &budget;
    /// assert!(Budget::try_spend_after(&slot, false));
    /// Budget::refund_after_retry(&slot, false);
    /// assert_eq!(budget.tokens_left(), 20);
    /// ```
    fn refund_after_retry(&self, timed_out: bool) {
        let _ = timed_out;
        self.refund()
    }
    /// Gives back a retry spent for a sleep that never happened. Default: nothing.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{Budget, RetryBudget};
    ///
    /// let budget = RetryBudget::with_reserve(2, 10);
    /// let slot = &budget;
    /// assert!(Budget::try_spend(&slot));
    /// Budget::give_back(&slot);
    /// assert_eq!(budget.retries_left(), 2);
    /// ```
    fn give_back(&self) {}
    /// Spends one retry after an attempt its time limit cut (`timed_out`) or that failed
    /// otherwise (see [`RetryBudget::tokens`]). Default: [`try_spend`](Budget::try_spend).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{Budget, RetryBudget};
    ///
    /// let budget = RetryBudget::tokens(10, 1, 4, 1);
    /// let slot = &budget;
    /// assert!(Budget::try_spend_after(&slot, true));
    /// assert_eq!(budget.tokens_left(), 6);
    /// ```
    fn try_spend_after(&self, timed_out: bool) -> bool {
        let _ = timed_out;
        self.try_spend()
    }
    /// Gives back what [`try_spend_after`](Budget::try_spend_after) took. Default:
    /// [`give_back`](Budget::give_back).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{Budget, RetryBudget};
    ///
    /// let budget = RetryBudget::tokens(10, 1, 4, 1);
    /// let slot = &budget;
    /// assert!(Budget::try_spend_after(&slot, true));
    /// Budget::give_back_after(&slot, true);
    /// assert_eq!(budget.tokens_left(), 10);
    /// ```
    fn give_back_after(&self, timed_out: bool) {
        let _ = timed_out;
        self.give_back()
    }
    /// The circuit breaker this slot holds beside its budget, if any (see
    /// [`Policy::breaker`](crate::Policy::breaker)). Default: none.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{Budget, NoBudget, RetryBudget};
    ///
    /// static UPSTREAM: RetryBudget = RetryBudget::new();
    /// assert!(NoBudget.breaker().is_none());
    /// assert!((&UPSTREAM).breaker().is_none()); // a budget alone holds no breaker
    /// ```
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn breaker(&self) -> Option<&CircuitBreaker> {
        None
    }
    /// Whether this slot holds a budget. Asked of the type, so a policy without one adds nothing
    /// to a call.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{Budget, NoBudget, RetryBudget};
    ///
    /// assert!(!NoBudget::is_budget());
    /// assert!(<&RetryBudget as Budget>::is_budget());
    /// ```
    fn is_budget() -> bool
    where
        Self: Sized;

    /// [`is_budget`](Budget::is_budget), asked of the value: an optional budget says whether it
    /// holds one. Leave the default.
    #[doc(hidden)]
    fn value_is_budget(&self) -> bool
    where
        Self: Sized,
    {
        Self::is_budget()
    }

    /// The slot with no budget in it, for the types that have one made without a policy at
    /// hand (the attribute's first attempt of a policy without a budget). Leave the default.
    #[doc(hidden)]
    fn absent() -> Option<Self>
    where
        Self: Sized,
    {
        None
    }
}

/// No budget: every retry the stop allows is made.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::budget::{Budget, NoBudget};
///
/// assert!(NoBudget.try_spend());
/// assert!(!NoBudget::is_budget());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoBudget;

impl Budget for NoBudget {
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn try_spend(&self) -> bool {
        true
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn refund(&self) {}
    fn is_budget() -> bool {
        false
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn absent() -> Option<Self> {
        Some(NoBudget)
    }
}

impl Budget for &RetryBudget {
    fn try_spend(&self) -> bool {
        RetryBudget::try_spend(self)
    }
    fn refund(&self) {
        RetryBudget::refund(self)
    }
    fn refund_after_retry(&self, timed_out: bool) {
        RetryBudget::refund_after_retry(self, timed_out)
    }
    fn give_back(&self) {
        RetryBudget::give_back(self)
    }
    fn try_spend_after(&self, timed_out: bool) -> bool {
        RetryBudget::try_spend_after(self, timed_out)
    }
    fn give_back_after(&self, timed_out: bool) {
        RetryBudget::give_back_after(self, timed_out)
    }
    fn is_budget() -> bool {
        true
    }
}
