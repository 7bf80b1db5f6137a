//! A breaker per key: one [`CircuitBreaker`] per host, partition or tenant, in a fixed table.

use std::hash::Hash;

use super::CircuitBreaker;

/// `N` circuit breakers made alike, one chosen per call by a key: `breaker = BREAKERS.key(&host)`
/// opens the breaker of the host that is failing and leaves the others' closed.
///
/// The memory is bounded: `N` breakers, allocated in the `static`, chosen by hashing the key. Two
/// keys can fall in the same slot and then share a breaker (with `k` keys in use, some pair
/// shares with probability about `k² / 2N`); [`slot_of`](Self::slot_of) tells which slot a key
/// uses. Give the table a few times more slots than the keys you expect.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::breaker::{BreakerState, CircuitBreaker, KeyedBreaker};
///
/// static BREAKERS: KeyedBreaker<64> =
///     KeyedBreaker::new(CircuitBreaker::new().consecutive_failures(2));
///
/// let now = std::time::Instant::now();
/// BREAKERS.key("a.example").failed(|| now);
/// BREAKERS.key("a.example").failed(|| now);
/// assert_eq!(BREAKERS.key("a.example").state(), BreakerState::Open);
/// assert_eq!(BREAKERS.key("b.example").state(), BreakerState::Closed);
/// ```
#[derive(Debug)]
pub struct KeyedBreaker<const N: usize> {
    slots: [CircuitBreaker; N],
}

impl<const N: usize> KeyedBreaker<N> {
    /// `N` breakers with the settings of `each`, all closed. `N` must be at least 1, which the
    /// compiler checks:
    ///
    /// ```compile_fail
    /// # use persevere_runtime as persevere;
    /// use persevere::breaker::{KeyedBreaker, CircuitBreaker};
    /// let none = KeyedBreaker::<0>::new(CircuitBreaker::new());
    /// ```
    pub const fn new(each: CircuitBreaker) -> Self {
        // At compile time wherever `new` is used with `N`, in a `static` or not.
        const { assert!(N > 0, "a keyed breaker needs at least one slot") };
        let mut slots = [const { CircuitBreaker::new() }; N];
        let mut slot = 0;
        while slot < N {
            slots[slot] = each.fresh_copy();
            slot += 1;
        }
        KeyedBreaker { slots }
    }

    /// The breaker of `key`.
    pub fn key<K: Hash + ?Sized>(&self, key: &K) -> &CircuitBreaker {
        &self.slots[self.slot_of(key)]
    }

    /// Which of the `N` slots `key` uses: keys with the same slot share a breaker. Stable across
    /// processes and builds.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::breaker::{BreakerState, CircuitBreaker, KeyedBreaker};
    ///
    /// static BREAKERS: KeyedBreaker<4> =
    ///     KeyedBreaker::new(CircuitBreaker::new().consecutive_failures(1));
    ///
    /// let slot = BREAKERS.slot_of("a.example");
    /// assert!(slot < 4);
    /// assert_eq!(BREAKERS.slot_of("a.example"), slot); // the same key, the same slot
    ///
    /// // With 4 slots some other host shares `a.example`'s slot, and so its breaker.
    /// let hosts = (0..).map(|n| format!("host-{n}.example"));
    /// let neighbour = hosts.into_iter().find(|host| BREAKERS.slot_of(host) == slot).unwrap();
    /// BREAKERS.key("a.example").failed(std::time::Instant::now);
    /// assert_eq!(BREAKERS.key(&neighbour).state(), BreakerState::Open);
    /// ```
    pub fn slot_of<K: Hash + ?Sized>(&self, key: &K) -> usize {
        crate::keyed::slot_of(key, N)
    }
}
