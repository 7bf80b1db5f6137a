//! Help for testing code that retries: skip the sleeps, keep the schedule.
//!
//! ```
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

use std::cell::Cell;
use std::marker::PhantomData;

thread_local! {
    static SKIPPING: Cell<u32> = const { Cell::new(0) };
}

/// Makes every retry on this thread skip its sleeps until the returned guard is dropped. The
/// full schedule still runs: strategies, stops, hooks and log lines see the waits as planned.
///
/// Async code sees it when its task runs on this thread, as under `#[tokio::test]`'s
/// current-thread runtime.
#[must_use = "sleeps are skipped only while the guard is alive"]
pub fn skip_sleeps() -> SkipSleeps {
    let _ = SKIPPING.try_with(|skipping| skipping.set(skipping.get().saturating_add(1)));
    SkipSleeps {
        _not_send: PhantomData,
    }
}

/// Runs `f` with sleeps skipped on this thread.
///
/// ```
/// let answer = persevere::testing::with_sleeps_skipped(|| 42);
/// assert_eq!(answer, 42);
/// ```
pub fn with_sleeps_skipped<R>(f: impl FnOnce() -> R) -> R {
    let _guard = skip_sleeps();
    f()
}

/// Whether sleeps are skipped on this thread now.
pub fn sleeps_skipped() -> bool {
    // During thread teardown the switch is gone: sleep as planned.
    SKIPPING.try_with(Cell::get).is_ok_and(|count| count > 0)
}

/// Keeps sleeps skipped on this thread while alive. See [`skip_sleeps`].
#[derive(Debug)]
pub struct SkipSleeps {
    // The count is per thread: the guard must be dropped where it was made.
    _not_send: PhantomData<*const ()>,
}

impl Drop for SkipSleeps {
    fn drop(&mut self) {
        let _ = SKIPPING.try_with(|skipping| skipping.set(skipping.get().saturating_sub(1)));
    }
}
