//! A budget per key: one [`RetryBudget`] per host, partition or tenant, in a fixed table.

use std::hash::Hash;

use super::RetryBudget;

/// `N` retry budgets made alike, one chosen per call by a key: `budget = UPSTREAMS.key(&host)`
/// gives each host its own budget, so an outage of one host spends only that host's retries and
/// calls to the others keep theirs.
///
/// The memory is bounded: `N` budgets, allocated in the `static`, chosen by hashing the key. Two
/// keys can fall in the same slot and then share a budget (with `k` keys in use, some pair shares
/// with probability about `k² / 2N`); [`slot_of`](Self::slot_of) tells which slot a key uses.
/// Give the table a few times more slots than the keys you expect.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::budget::{KeyedBudget, RetryBudget};
/// use persevere::Policy;
/// use persevere::stop::attempts;
///
/// static UPSTREAMS: KeyedBudget<64> = KeyedBudget::new(RetryBudget::with_reserve(2, 10));
///
/// let fetch = |host: &str| {
///     Policy::new()
///         .stop(attempts(5))
///         .wait(Duration::ZERO)
///         .budget(UPSTREAMS.key(host))
///         .call(|| Err::<(), _>("down"))
/// };
/// let _ = fetch("a.example");
/// assert_eq!(UPSTREAMS.key("a.example").retries_left(), 0); // its reserve of 2 is spent
/// assert_eq!(UPSTREAMS.key("b.example").retries_left(), 2); // another host's is whole
/// ```
#[derive(Debug)]
pub struct KeyedBudget<const N: usize> {
    slots: [RetryBudget; N],
}

impl<const N: usize> KeyedBudget<N> {
    /// `N` budgets, each a full copy of `each`. `N` must be at least 1, which the compiler
    /// checks:
    ///
    /// ```compile_fail
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{KeyedBudget, RetryBudget};
    /// let none = KeyedBudget::<0>::new(RetryBudget::new());
    /// ```
    pub const fn new(each: RetryBudget) -> Self {
        // At compile time wherever `new` is used with `N`, in a `static` or not.
        const { assert!(N > 0, "a keyed budget needs at least one slot") };
        let mut slots = [const { RetryBudget::with_reserve(0, 0) }; N];
        let mut slot = 0;
        while slot < N {
            slots[slot] = each.fresh_copy();
            slot += 1;
        }
        KeyedBudget { slots }
    }

    /// The budget of `key`.
    pub fn key<K: Hash + ?Sized>(&self, key: &K) -> &RetryBudget {
        &self.slots[self.slot_of(key)]
    }

    /// Which of the `N` slots `key` uses: keys with the same slot share a budget. Stable across
    /// processes and builds.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::{KeyedBudget, RetryBudget};
    ///
    /// static BUDGETS: KeyedBudget<4> = KeyedBudget::new(RetryBudget::with_reserve(1, 0));
    ///
    /// let slot = BUDGETS.slot_of("tenant-a");
    /// assert!(slot < 4);
    /// assert_eq!(BUDGETS.slot_of("tenant-a"), slot); // the same key, the same slot
    ///
    /// // With 4 slots some other tenant shares `tenant-a`'s slot, and so its budget.
    /// let tenants = (0..).map(|n| format!("tenant-{n}"));
    /// let neighbour = tenants.into_iter().find(|t| BUDGETS.slot_of(t) == slot).unwrap();
    /// assert!(BUDGETS.key("tenant-a").try_spend()); // the one retry in reserve
    /// assert!(!BUDGETS.key(&neighbour).try_spend()); // already spent
    /// ```
    pub fn slot_of<K: Hash + ?Sized>(&self, key: &K) -> usize {
        crate::keyed::slot_of(key, N)
    }
}
