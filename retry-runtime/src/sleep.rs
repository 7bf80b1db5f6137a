//! Sleepers: how a retried call waits, and the clock its time-based strategies read.
//!
//! A sleeper also tells the time, so that time-based stops measure the same clock the sleeps
//! advance: tokio's sleeper reads tokio's clock, which `#[tokio::test(start_paused = true)]`
//! pauses and advances instantly.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Blocks the current thread for a wait. Implemented for every closure `Fn(Duration)`.
///
/// ```
/// use std::time::Duration;
/// use persevere::sleep::SyncSleeper;
///
/// let skip = |_: Duration| {};
/// skip.sleep(Duration::from_secs(60)); // returns at once
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot sleep in a sync function",
    label = "not a blocking sleeper",
    note = "a sync function's sleeper is a closure `|d: Duration| ...` returning `()`, or a type implementing `persevere::sleep::SyncSleeper`; a sleeper that returns a future, such as `tokio::time::sleep`, needs an `async fn`"
)]
pub trait SyncSleeper {
    /// Sleeps for `duration`.
    fn sleep(&self, duration: Duration);

    /// The current time on this sleeper's clock (default: the system's monotonic clock).
    fn now(&self) -> Instant {
        Instant::now()
    }
}

impl<F: Fn(Duration) -> O, O: Blocked> SyncSleeper for F {
    fn sleep(&self, duration: Duration) {
        self(duration);
    }
}

/// What a blocking sleeper closure returns: `()`. Anything else, a future above all, means the
/// sleeper is an async one.
#[diagnostic::on_unimplemented(
    message = "a sleeper that returns `{Self}` cannot sleep in a sync function",
    label = "this sleeper returns `{Self}`, not `()`",
    note = "a sleeper that returns a future, such as `tokio::time::sleep`, needs an `async fn`; a sync function's sleeper is `|d: Duration| ...` returning `()`"
)]
pub trait Blocked {}

impl Blocked for () {}

/// Waits asynchronously. Implemented for every closure `Fn(Duration) -> impl Future<Output = ()>`.
///
/// ```
/// use std::time::Duration;
/// use persevere::sleep::AsyncSleeper;
///
/// // Any runtime's timer fits; this one only records the request.
/// let asked = std::cell::Cell::new(Duration::ZERO);
/// let sleeper = |d: Duration| {
///     asked.set(d);
///     std::future::ready(())
/// };
/// let _sleeping = sleeper.sleep(Duration::from_secs(2));
/// assert_eq!(asked.get(), Duration::from_secs(2));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot sleep in an async function",
    label = "not an async sleeper",
    note = "enable persevere's `tokio` feature for the default sleeper, or write `sleep = |d| my_runtime::sleep(d)` returning a future"
)]
pub trait AsyncSleeper {
    /// The future [`sleep`](AsyncSleeper::sleep) returns.
    type Sleeping: Future<Output = ()>;

    /// Starts a sleep of `duration`.
    fn sleep(&self, duration: Duration) -> Self::Sleeping;

    /// The current time on this sleeper's clock (default: the system's monotonic clock).
    fn now(&self) -> Instant {
        Instant::now()
    }
}

// Not recommended in errors: a type that is no sleeper (the default sleeper without the `tokio`
// feature) is told so by `AsyncSleeper`'s own message, not asked to be a closure.
#[diagnostic::do_not_recommend]
impl<F, Fut> AsyncSleeper for F
where
    F: Fn(Duration) -> Fut,
    Fut: Future<Output = ()>,
{
    type Sleeping = Fut;
    fn sleep(&self, duration: Duration) -> Fut {
        self(duration)
    }

    /// Tokio's clock with the `tokio` feature, like the default sleeper, so a closure sleeping on
    /// tokio's timer is measured by the clock that timer keeps (paused in tests).
    fn now(&self) -> Instant {
        runtime_now()
    }
}

/// The async default clock: tokio's with the `tokio` feature, the system's without it.
fn runtime_now() -> Instant {
    #[cfg(feature = "tokio")]
    {
        tokio::time::Instant::now().into_std()
    }
    #[cfg(not(feature = "tokio"))]
    {
        Instant::now()
    }
}

/// The default sleeper: `std::thread::sleep` for sync functions, tokio's timer for async ones
/// (with the `tokio` feature). Each reads the clock it sleeps on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DefaultSleeper;

impl SyncSleeper for DefaultSleeper {
    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration)
    }
}

#[cfg(feature = "tokio")]
impl AsyncSleeper for DefaultSleeper {
    type Sleeping = tokio::time::Sleep;

    fn sleep(&self, duration: Duration) -> tokio::time::Sleep {
        tokio::time::sleep(duration)
    }

    fn now(&self) -> Instant {
        runtime_now()
    }
}

/// A sleeper for tests: records every wait instead of sleeping, and keeps a virtual clock that
/// each recorded wait moves forward, so time-based stops behave as if the waits happened.
///
/// Clones share one record.
///
/// ```
/// use std::time::Duration;
/// use persevere::sleep::{RecordingSleeper, SyncSleeper};
///
/// let sleeper = RecordingSleeper::new();
/// let start = sleeper.now();
/// sleeper.sleep(Duration::from_secs(4));
/// assert_eq!(sleeper.sleeps(), [Duration::from_secs(4)]);
/// assert_eq!(sleeper.now() - start, Duration::from_secs(4));
/// ```
#[derive(Debug, Clone)]
pub struct RecordingSleeper {
    shared: Arc<Mutex<Record>>,
}

#[derive(Debug)]
struct Record {
    /// The virtual clock: moved forward by each wait, saturating at the latest `Instant` the
    /// platform can represent.
    clock: Instant,
    sleeps: Vec<Duration>,
    advanced: Duration,
}

impl Record {
    fn advance(&mut self, by: Duration) {
        self.advanced = self.advanced.saturating_add(by);
        self.clock = saturating_add(self.clock, by);
    }
}

/// `instant + by`, or the latest instant reachable from `instant` when that overflows.
fn saturating_add(instant: Instant, by: Duration) -> Instant {
    if let Some(later) = instant.checked_add(by) {
        return later;
    }
    // Add as much as fits: halve the step on each overflow, so this ends in about 128 tries.
    let mut reached = instant;
    let mut step = by;
    while !step.is_zero() {
        match reached.checked_add(step) {
            Some(later) => reached = later,
            None => step /= 2,
        }
    }
    reached
}

impl Default for RecordingSleeper {
    fn default() -> Self {
        Self::new()
    }
}

impl RecordingSleeper {
    /// A sleeper with nothing recorded, its clock at the current instant.
    pub fn new() -> Self {
        RecordingSleeper {
            shared: Arc::new(Mutex::new(Record {
                clock: Instant::now(),
                sleeps: Vec::new(),
                advanced: Duration::ZERO,
            })),
        }
    }

    fn record(&self) -> std::sync::MutexGuard<'_, Record> {
        // A panic elsewhere while holding the lock leaves the record intact: keep using it.
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every wait recorded so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.record().sleeps.clone()
    }

    /// The sum of the recorded waits.
    pub fn total(&self) -> Duration {
        self.record().advanced
    }

    /// Moves the virtual clock forward without recording a wait, as if an attempt took `by`.
    pub fn advance(&self, by: Duration) {
        self.record().advance(by);
    }

    fn push(&self, duration: Duration) {
        let mut record = self.record();
        record.sleeps.push(duration);
        record.advance(duration);
    }

    fn virtual_now(&self) -> Instant {
        self.record().clock
    }
}

impl SyncSleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) {
        self.push(duration)
    }
    fn now(&self) -> Instant {
        self.virtual_now()
    }
}

impl AsyncSleeper for RecordingSleeper {
    type Sleeping = std::future::Ready<()>;
    fn sleep(&self, duration: Duration) -> Self::Sleeping {
        self.push(duration);
        std::future::ready(())
    }
    fn now(&self) -> Instant {
        self.virtual_now()
    }
}
