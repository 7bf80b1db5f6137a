//! Graceful shutdown for sync retries: a handle the caller owns wakes a retried call from its
//! sleep, and the call then returns its last outcome at once.
//!
//! Async retries need none of this: dropping the future cancels the call, and no further attempt
//! or hook runs.
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::{Duration, Instant};
//! use persevere::Policy;
//! use persevere::cancel::Shutdown;
//! use persevere::stop::{attempts, cancelled};
//!
//! let shutdown = Shutdown::new();
//! let policy = Policy::new()
//!     .stop(attempts(5) | cancelled(&shutdown))
//!     .wait(Duration::from_secs(60))
//!     .sleeper(shutdown.sleeper());
//! let started = Instant::now();
//! let outcome = std::thread::scope(|scope| {
//!     scope.spawn(|| {
//!         std::thread::sleep(Duration::from_millis(20));
//!         shutdown.cancel(); // say, on SIGTERM
//!     });
//!     policy.call(|| Err::<(), _>("down"))
//! });
//! assert_eq!(outcome, Err("down")); // woken from its first 60 s sleep
//! assert!(started.elapsed() < Duration::from_secs(5));
//! ```

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use crate::sleep::SyncSleeper;

/// A shutdown signal for sync retries. It lives in a `static` (its constructor is `const`) or
/// anywhere the retried calls can borrow it.
///
/// ```standalone_crate
/// # extern crate persevere_runtime as persevere;
/// use std::time::{Duration, Instant};
/// use persevere::cancel::Shutdown;
/// use persevere::retry;
///
/// static SHUTDOWN: Shutdown = Shutdown::new();
///
/// #[retry(stop = attempts(5) | cancelled(&SHUTDOWN), wait = fixed(60s), sleep = SHUTDOWN.sleeper())]
/// fn sync_orders() -> Result<(), String> {
///     Err("the warehouse is down".into())
/// }
///
/// let started = Instant::now();
/// let worker = std::thread::spawn(sync_orders);
/// std::thread::sleep(Duration::from_millis(20));
/// SHUTDOWN.cancel(); // wakes the worker from its 60 s sleep
/// assert_eq!(worker.join().unwrap(), Err("the warehouse is down".to_string()));
/// assert!(started.elapsed() < Duration::from_secs(5));
/// ```
#[derive(Debug, Default)]
pub struct Shutdown {
    cancelled: Mutex<bool>,
    woken: Condvar,
}

impl Shutdown {
    /// A signal not yet given.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::cancel::Shutdown;
    ///
    /// static SHUTDOWN: Shutdown = Shutdown::new();
    /// assert!(!SHUTDOWN.is_cancelled());
    /// ```
    pub const fn new() -> Shutdown {
        Shutdown {
            cancelled: Mutex::new(false),
            woken: Condvar::new(),
        }
    }

    /// Gives the signal: every sleep on [`sleeper`](Self::sleeper) ends now, and every call
    /// whose stop includes [`cancelled`](crate::stop::cancelled) ends after its sleep.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::cancel::Shutdown;
    /// use persevere::stop::{attempts, cancelled};
    /// use persevere::{Ending, Policy};
    ///
    /// let shutdown = Shutdown::new();
    /// let policy = Policy::new()
    ///     .stop(attempts(10) | cancelled(&shutdown))
    ///     .sleeper(shutdown.sleeper());
    /// let mut calls = 0;
    /// let (result, report) = policy.call_reported(|| {
    ///     calls += 1;
    ///     shutdown.cancel(); // say, a signal handler ran during the first attempt
    ///     Err::<(), _>("unavailable")
    /// });
    /// assert_eq!(result, Err("unavailable"));
    /// assert_eq!(calls, 1);
    /// assert_eq!(report.ending(), Ending::Cancelled);
    /// ```
    pub fn cancel(&self) {
        *self.lock() = true;
        self.woken.notify_all();
    }

    /// Whether the signal was given.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::cancel::Shutdown;
    ///
    /// let shutdown = Shutdown::new();
    /// shutdown.cancel();
    /// assert!(shutdown.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        *self.lock()
    }

    /// A sync sleeper that sleeps as `std::thread::sleep` does, but wakes at once on
    /// [`cancel`](Self::cancel).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::cancel::Shutdown;
    /// use persevere::sleep::SyncSleeper;
    ///
    /// let shutdown = Shutdown::new();
    /// shutdown.cancel();
    /// let started = Instant::now();
    /// shutdown.sleeper().sleep(Duration::from_secs(60)); // already given: returns at once
    /// assert!(started.elapsed() < Duration::from_secs(5));
    /// ```
    pub fn sleeper(&self) -> ShutdownSleeper<'_> {
        ShutdownSleeper { shutdown: self }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, bool> {
        // The flag is a plain bool: a panic elsewhere cannot leave it half-written.
        self.cancelled
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Sleeps until the time is up or the [`Shutdown`] is given. Built by [`Shutdown::sleeper`]; see
/// [`Shutdown`] for an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, Instant};
/// use persevere::cancel::Shutdown;
/// use persevere::sleep::SyncSleeper;
///
/// let shutdown = Shutdown::new();
/// let sleeper = shutdown.sleeper();
/// let started = Instant::now();
/// std::thread::scope(|scope| {
///     scope.spawn(|| shutdown.cancel());
///     sleeper.sleep(Duration::from_secs(60)); // ends when the signal is given
/// });
/// assert!(started.elapsed() < Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ShutdownSleeper<'a> {
    shutdown: &'a Shutdown,
}

impl SyncSleeper for ShutdownSleeper<'_> {
    fn sleep(&self, duration: Duration) {
        let guard = self.shutdown.lock();
        let _ = self
            .shutdown
            .woken
            .wait_timeout_while(guard, duration, |cancelled| !*cancelled);
    }
}
