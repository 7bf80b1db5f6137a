//! Choosing one of a fixed number of slots by key: how a keyed budget or breaker keeps one per
//! host, partition or tenant in memory that never grows.

use std::hash::{Hash, Hasher};

/// The slot among `slots` that `key` falls in: the same slot for the same key in every process
/// and every build, so a test (or an operator) can tell which keys share one.
///
/// Two keys may fall in the same slot; they then share its budget or breaker. With `N` slots and
/// `k` keys in use, some pair shares with probability about `k² / 2N`: give the table a few
/// times more slots than the keys you expect, or check with `slot_of`.
pub(crate) fn slot_of<K: Hash + ?Sized>(key: &K, slots: usize) -> usize {
    let mut hasher = Fnv::default();
    key.hash(&mut hasher);
    // `slots` is at least 1 (checked where the table is made).
    (hasher.finish() % slots.max(1) as u64) as usize
}

/// FNV-1a, 64 bits: stable across Rust releases (unlike `std`'s default hasher, whose algorithm
/// may change), and cheap for the short keys hosts and tenants are.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        // FNV's low bits mix poorly for short keys; fold the high half in before the modulo.
        self.0 ^ (self.0 >> 32)
    }
}

#[cfg(test)]
mod tests {
    use super::slot_of;

    #[test]
    fn a_key_always_falls_in_the_same_slot() {
        assert_eq!(slot_of("a.example", 64), slot_of("a.example", 64));
        assert!(slot_of("a.example", 64) < 64);
        assert_eq!(slot_of("anything", 1), 0);
    }
}
