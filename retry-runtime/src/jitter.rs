//! The random numbers behind jittered waits: a fast per-thread generator that can be seeded.
//!
//! Each thread draws from its own small generator, seeded from the operating system's randomness
//! (through std's `RandomState`) the first time it is needed (never on a call that succeeds first
//! time). Seed it to make a schedule
//! reproducible on this thread, or use [`testing::seed_jitter`](crate::testing::seed_jitter) to
//! seed a whole test, the tasks it spawns included:
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::Duration;
//! use persevere::jitter;
//! use persevere::wait::{random, Wait};
//! use persevere::RetryState;
//!
//! let wait = random(Duration::ZERO, Duration::from_secs(1));
//! let state = RetryState::<(), ()>::new(1);
//! jitter::seed(7);
//! let first = wait.next_wait(&state);
//! jitter::seed(7);
//! assert_eq!(wait.next_wait(&state), first);
//! ```

use std::cell::RefCell;
use std::time::Duration;

use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

thread_local! {
    static GENERATOR: RefCell<Option<SmallRng>> = const { RefCell::new(None) };
}

/// Seeds this thread's jitter generator: the draws that follow are the same for the same seed.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::jitter;
///
/// let draw = || jitter::between(Duration::ZERO, Duration::from_secs(1));
/// jitter::seed(42);
/// let first = [draw(), draw()];
/// jitter::seed(42);
/// assert_eq!([draw(), draw()], first);
/// # jitter::unseed();
/// ```
pub fn seed(seed: u64) {
    // During thread teardown there is no generator left to seed; there is nothing to draw either.
    let _ = GENERATOR
        .try_with(|generator| *generator.borrow_mut() = Some(SmallRng::seed_from_u64(seed)));
}

/// Forgets a seed set with [`seed`]: the next draw reseeds from the operating system.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::jitter;
///
/// jitter::seed(42);
/// // … a reproducible schedule …
/// jitter::unseed();
/// let high = Duration::from_secs(1);
/// assert!(jitter::between(Duration::ZERO, high) <= high); // drawn from a fresh generator
/// ```
pub fn unseed() {
    let _ = GENERATOR.try_with(|generator| *generator.borrow_mut() = None);
}

fn fresh_generator() -> SmallRng {
    // Seeded through std's `RandomState`, whose keys std draws from the operating system once per
    // thread (and which cannot fail, where a direct request to the OS can): jitter needs a seed
    // that differs between threads and processes, not a secret, and this keeps the `getrandom`
    // and `libc` crates out of the build. The clock tells two generators of one thread apart.
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    SmallRng::seed_from_u64(hasher.finish())
}

/// A duration drawn uniformly from `[low, high]` (inclusive, to the nanosecond). Returns `low`
/// when `high <= low`.
///
/// For a wait strategy of your own that needs jitter: it follows [`seed`] and
/// [`testing::seed_jitter`](crate::testing::seed_jitter) as the built-in strategies do.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::jitter;
///
/// let (low, high) = (Duration::from_millis(100), Duration::from_millis(300));
/// let drawn = jitter::between(low, high);
/// assert!(drawn >= low && drawn <= high);
/// assert_eq!(jitter::between(high, low), high); // an empty range gives `low`
/// ```
pub fn between(low: Duration, high: Duration) -> Duration {
    if high <= low {
        return low;
    }
    // Within 2^64 ns (584 years), a draw of a `u64`; past it, of a `u128`, so that the draw is
    // uniform over any range.
    let span = (high - low).as_nanos();
    let offset = match u64::try_from(span) {
        Ok(span) => u128::from(draw(|generator| generator.random_range(0..=span))),
        Err(_) => draw(|generator| generator.random_range(0..=span)),
    };
    // At most `high - low`, so the seconds fit.
    let whole = Duration::new(
        (offset / 1_000_000_000) as u64,
        (offset % 1_000_000_000) as u32,
    );
    low.saturating_add(whole)
}

/// A draw from a test's seed (`testing::seed_jitter`) if one is in force, else from this
/// thread's generator.
fn draw<T>(from: impl Fn(&mut SmallRng) -> T) -> T {
    crate::testing::seeded_draw(&from).unwrap_or_else(|| {
        GENERATOR
            .try_with(|generator| {
                let mut generator = generator.borrow_mut();
                from(generator.get_or_insert_with(fresh_generator))
            })
            // A retry running while its thread is torn down still gets jitter, from a one-off
            // generator.
            .unwrap_or_else(|_| from(&mut fresh_generator()))
    })
}

/// Whole nanoseconds in `d`, saturating at `u64::MAX` (about 584 years).
pub(crate) fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unseeded generators differ between threads and between two made on one thread: clients
    /// that fail together must not back off in step.
    #[test]
    fn fresh_generators_draw_apart() {
        let draws = |generator: &mut SmallRng| -> Vec<u64> {
            (0..4).map(|_| generator.random::<u64>()).collect()
        };
        let here = draws(&mut fresh_generator());
        let again = draws(&mut fresh_generator());
        let there = std::thread::spawn(move || draws(&mut fresh_generator()))
            .join()
            .unwrap();
        assert_ne!(here, again);
        assert_ne!(here, there);
    }
}
