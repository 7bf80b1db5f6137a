//! Retry budgets: a bound on the load retries add across every call that shares one, so that an
//! outage is not made worse by the clients retrying it.

use std::sync::atomic::{AtomicU64, Ordering};

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
}

/// A retry's cost, in thousandths.
const RETRY: u64 = 1000;

impl RetryBudget {
    /// A budget with a reserve of 10 retries and a refund of a tenth of a retry per success.
    pub const fn new() -> RetryBudget {
        RetryBudget::with_reserve(10, 10)
    }

    /// A budget that holds at most `reserve` retries (and starts full), and earns back `percent`
    /// hundredths of a retry for each success: retries stay near `percent` % of successful calls
    /// once the reserve is spent.
    ///
    /// ```
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
        }
    }

    /// Spends one retry, if the budget holds one. Lock-free: a compare-and-swap loop.
    pub fn try_spend(&self) -> bool {
        self.balance
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |balance| {
                balance.checked_sub(RETRY)
            })
            .is_ok()
    }

    /// Earns back a success's share, up to the capacity.
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

    /// Gives back a whole retry spent for a sleep that never happened (the call ended first), up
    /// to the capacity.
    pub fn give_back(&self) {
        let _ = self
            .balance
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |balance| {
                (balance < self.capacity).then(|| balance.saturating_add(RETRY).min(self.capacity))
            });
    }

    /// Whole retries the budget holds now.
    pub fn retries_left(&self) -> u64 {
        self.balance.load(Ordering::Acquire) / RETRY
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget::new()
    }
}

/// A policy's budget slot: [`NoBudget`] (the default), or a `&RetryBudget`.
pub trait Budget: Copy {
    /// Spends one retry; `false` when the budget is empty.
    fn try_spend(&self) -> bool;
    /// Refunds a success's share.
    fn refund(&self);
    /// Gives back a retry spent for a sleep that never happened. Default: nothing.
    fn give_back(&self) {}
    /// Whether this slot holds a budget. Asked of the type, so a policy without one adds nothing
    /// to a call.
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
}

/// No budget: every retry the stop allows is made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoBudget;

impl Budget for NoBudget {
    #[inline(always)]
    fn try_spend(&self) -> bool {
        true
    }
    #[inline(always)]
    fn refund(&self) {}
    fn is_budget() -> bool {
        false
    }
}

impl Budget for &RetryBudget {
    fn try_spend(&self) -> bool {
        RetryBudget::try_spend(self)
    }
    fn refund(&self) {
        RetryBudget::refund(self)
    }
    fn give_back(&self) {
        RetryBudget::give_back(self)
    }
    fn is_budget() -> bool {
        true
    }
}
