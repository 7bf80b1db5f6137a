//! Help for testing code that retries: skip the sleeps, seed the jitter, record what each call
//! went through.
//!
//! Each switch applies to the test that turns it on: to its thread, and to the tokio runtime it
//! runs in, so every task the test spawns sees it, on whichever worker thread it runs, while a
//! test running in parallel (on its own thread and runtime) does not. Dropping the guard turns the
//! switch off.
//!
//! ```standalone_crate
//! # extern crate persevere_runtime as persevere;
//! use persevere::retry;
//!
//! #[retry(stop = attempts(3), wait = fixed(10s))]
//! fn flaky(calls: &std::cell::Cell<u32>) -> Result<(), &'static str> {
//!     calls.set(calls.get() + 1);
//!     Err("down")
//! }
//!
//! let calls = std::cell::Cell::new(0);
//! let _skip = persevere::testing::skip_sleeps();
//! assert_eq!(flaky(&calls), Err("down")); // returns at once, not after 20 s
//! assert_eq!(calls.get(), 3);
//! ```
//!
//! Turn switches on inside the test (inside `#[tokio::test]`'s body for async tests), not in
//! code shared by tests: a switch turned on outside any runtime reaches only its own thread.
//! Without persevere's `tokio` feature, runtimes cannot be told apart, and every switch reaches
//! only its own thread.

mod record;
mod scope;

use std::sync::Mutex;

use rand::SeedableRng;

pub use record::{Recorder, record};
pub(crate) use record::{deliver, recording};
use scope::{Scoped, Switch};

/// Makes every retry in this test skip its sleeps until the returned guard is dropped. The full
/// schedule still runs: strategies, stops, hooks, log lines and reports see the waits as planned.
///
/// Only the waits between attempts are skipped. Time limits (`timeout`, `total_timeout`) keep
/// running on the sleeper's clock: an attempt is never cut at once because sleeps are skipped,
/// and one that hangs is still cut at its limit (exactly, with the default sleeper on tokio's
/// paused clock; never, with a [`RecordingSleeper`](crate::sleep::RecordingSleeper)). What is
/// left of a `total_timeout` counts the skipped waits as elapsed, as the deadline stops do.
///
/// It applies to this thread and to the tokio runtime this code runs in (every task spawned on
/// it); see the [module](self) for the scope.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, Instant};
/// use persevere::Policy;
/// use persevere::stop::attempts;
/// use persevere::testing::skip_sleeps;
/// use persevere::wait::fixed;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let _skip = skip_sleeps();
/// let policy = Policy::new().stop(attempts(3)).wait(fixed(Duration::from_secs(30)));
/// let started = Instant::now();
/// let (result, report) = policy.call_async_reported(|| async { Err::<(), _>("down") }).await;
/// assert_eq!(result, Err("down"));
/// assert_eq!(report.slept(), Duration::from_secs(60)); // as planned, not as waited
/// assert!(started.elapsed() < Duration::from_secs(5));
/// # }
/// ```
#[must_use = "sleeps are skipped only while the guard is alive"]
pub fn skip_sleeps() -> SkipSleeps {
    SkipSleeps {
        _on: scope::turn_on(Switch::SkipSleeps),
    }
}

/// Runs `f` with sleeps skipped in this test. For sync code: an async function's future is
/// polled after `f` returns, when the guard is gone, so hold a [`skip_sleeps`] guard across its
/// `.await` instead.
///
/// ```
/// # use persevere_runtime as persevere;
/// let answer = persevere::testing::with_sleeps_skipped(|| 42);
/// assert_eq!(answer, 42);
/// ```
pub fn with_sleeps_skipped<R>(f: impl FnOnce() -> R) -> R {
    let _guard = skip_sleeps();
    f()
}

/// Whether sleeps are skipped for code running here now.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::testing::{skip_sleeps, sleeps_skipped};
///
/// assert!(!sleeps_skipped());
/// {
///     let _skip = skip_sleeps();
///     assert!(sleeps_skipped());
/// }
/// assert!(!sleeps_skipped()); // the guard is gone
/// ```
#[inline]
pub fn sleeps_skipped() -> bool {
    scope::find_map(|switch| matches!(switch, Switch::SkipSleeps).then_some(())).is_some()
}

/// Keeps sleeps skipped while alive. Returned by [`skip_sleeps`], whose page has an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::testing::{skip_sleeps, sleeps_skipped, SkipSleeps};
///
/// let guard: SkipSleeps = skip_sleeps();
/// assert!(sleeps_skipped());
/// drop(guard);
/// assert!(!sleeps_skipped());
/// ```
#[derive(Debug)]
pub struct SkipSleeps {
    _on: Scoped,
}

/// Seeds the jitter of every retry in this test (its thread and its tokio runtime) until the
/// returned guard is dropped: the draws that follow are the same for the same seed, in the same
/// order.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::testing::seed_jitter;
/// use persevere::wait::{random, Wait};
/// use persevere::RetryState;
///
/// let wait = random(Duration::ZERO, Duration::from_secs(1));
/// let state = RetryState::<(), ()>::new(1);
/// let first = { let _seed = seed_jitter(7); wait.next_wait(&state) };
/// let again = { let _seed = seed_jitter(7); wait.next_wait(&state) };
/// assert_eq!(first, again);
/// ```
#[must_use = "the jitter is seeded only while the guard is alive"]
pub fn seed_jitter(seed: u64) -> SeededJitter {
    SeededJitter {
        _on: scope::turn_on(Switch::Seed(Mutex::new(
            rand::rngs::SmallRng::seed_from_u64(seed),
        ))),
    }
}

/// Keeps the jitter seeded while alive. Returned by [`seed_jitter`], whose page has an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::testing::{seed_jitter, SeededJitter};
/// use persevere::wait::{random, Wait};
/// use persevere::RetryState;
///
/// let wait = random(Duration::ZERO, Duration::from_secs(1));
/// let state = RetryState::<(), ()>::new(1);
/// let seeded: SeededJitter = seed_jitter(42);
/// let first = wait.next_wait(&state);
/// drop(seeded);
/// let _seeded = seed_jitter(42); // the same seed again: the same draws
/// assert_eq!(wait.next_wait(&state), first);
/// ```
#[derive(Debug)]
pub struct SeededJitter {
    _on: Scoped,
}

/// Draws from the innermost seeded generator in force here, if there is one.
pub(crate) fn seeded_draw<T>(draw: impl FnOnce(&mut rand::rngs::SmallRng) -> T) -> Option<T> {
    let mut draw = Some(draw);
    scope::find_map(|switch| match switch {
        Switch::Seed(generator) => {
            let mut generator = generator
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            draw.take().map(|draw| draw(&mut generator))
        }
        _ => None,
    })
}
