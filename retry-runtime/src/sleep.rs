//! Sleepers: how a retried call waits, and the clock its time-based strategies read.
//!
//! A sleeper also tells the time, so that time-based stops measure the same clock the sleeps
//! advance: tokio's sleeper reads tokio's clock, which `#[tokio::test(start_paused = true)]`
//! pauses and advances instantly.
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::{Duration, Instant};
//! use persevere::Policy;
//! use persevere::sleep::RecordingSleeper;
//! use persevere::stop::elapsed;
//! use persevere::wait::fixed;
//!
//! // A recording sleeper returns at once, and its clock moves by each wait it records: the stop
//! // reads 10 s, 20 s, then 30 s, and ends the call after three waits.
//! let sleeper = RecordingSleeper::new();
//! let policy = Policy::new()
//!     .stop(elapsed(Duration::from_secs(25)))
//!     .wait(fixed(Duration::from_secs(10)))
//!     .sleeper(sleeper.clone());
//! let started = Instant::now();
//! let _ = policy.call(|| Err::<(), _>("down"));
//! assert_eq!(sleeper.sleeps().len(), 3);
//! assert!(started.elapsed() < Duration::from_secs(5));
//! ```
//!
//! An async sleeper is also the clock of time limits (`timeout`, `total_timeout`): each attempt's
//! limit is a timer the sleeper makes ([`AsyncSleeper::time_limit`]). With time limits, use the
//! default sleeper (tokio's timer, exact on a paused test clock) or a [`RecordingSleeper`], whose
//! limits never run out. A closure sleeper whose future completes at once (`|_| async {}`) is a
//! clock on which every limit has already run out: it cuts each attempt at its first `.await`
//! that waits.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Blocks the current thread for a wait. Implemented for every closure `Fn(Duration)`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::sleep::SyncSleeper;
///
/// let skip = |_: Duration| {};
/// skip.sleep(Duration::from_secs(60)); // returns at once
/// ```
///
/// Implement it for a sleeper of your own, here one that shortens every wait in a development
/// build:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::Policy;
/// use persevere::sleep::SyncSleeper;
/// use persevere::stop::attempts;
/// use persevere::wait::fixed;
///
/// /// Sleeps a thousandth of each wait.
/// struct Hurried;
///
/// impl SyncSleeper for Hurried {
///     fn sleep(&self, duration: Duration) {
///         std::thread::sleep(duration / 1000);
///     }
/// }
///
/// let policy = Policy::new().stop(attempts(3)).wait(fixed(Duration::from_secs(2))).sleeper(Hurried);
/// let (result, report) = policy.call_reported(|| Err::<(), _>("down"));
/// assert_eq!(result, Err("down"));
/// assert_eq!(report.slept(), Duration::from_secs(4)); // the waits as planned
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot sleep in a sync function",
    label = "not a blocking sleeper",
    note = "a sync function's sleeper is a closure `|d: Duration| ...` returning `()`, or a type implementing `persevere::sleep::SyncSleeper`; a sleeper that returns a future, such as `tokio::time::sleep`, needs an `async fn`"
)]
pub trait SyncSleeper {
    /// Sleeps for `duration`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::sleep::{RecordingSleeper, SyncSleeper};
    ///
    /// let sleeper = RecordingSleeper::new();
    /// sleeper.sleep(Duration::from_secs(3));
    /// assert_eq!(sleeper.sleeps(), [Duration::from_secs(3)]);
    /// ```
    fn sleep(&self, duration: Duration);

    /// The current time on this sleeper's clock (default: the system's monotonic clock).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::sleep::{RecordingSleeper, SyncSleeper};
    ///
    /// // A recording sleeper's clock moves by the sleeps it records.
    /// let sleeper = RecordingSleeper::new();
    /// let before = SyncSleeper::now(&sleeper);
    /// SyncSleeper::sleep(&sleeper, Duration::from_secs(30));
    /// assert_eq!(SyncSleeper::now(&sleeper) - before, Duration::from_secs(30));
    /// ```
    fn now(&self) -> Instant {
        Instant::now()
    }
}

// `crate::proven` answers for the attribute's closures as this impl does: keep the two in step.
impl<F: Fn(Duration) -> O, O: Blocked> SyncSleeper for F {
    fn sleep(&self, duration: Duration) {
        self(duration);
    }
}

/// What a blocking sleeper closure returns: `()`. Anything else, a future above all, means the
/// sleeper is an async one.
///
/// ```compile_fail
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::sleep::SyncSleeper;
///
/// // A closure returning a future is an async sleeper, not a blocking one.
/// let sleeper = |_: Duration| std::future::ready(());
/// sleeper.sleep(Duration::from_secs(1));
/// ```
#[diagnostic::on_unimplemented(
    message = "a sleeper that returns `{Self}` cannot sleep in a sync function",
    label = "this sleeper returns `{Self}`, not `()`",
    note = "a sleeper that returns a future, such as `tokio::time::sleep`, needs an `async fn`; a sync function's sleeper is `|d: Duration| ...` returning `()`"
)]
pub trait Blocked {}

impl Blocked for () {}

/// A sleeper that never returns (`|_| panic!("no sleeping here")`, a `fn(Duration) -> !`)
/// returns `!`, which stable Rust names only as a function pointer's return type.
#[diagnostic::do_not_recommend]
impl Blocked for <fn() -> ! as Returns>::Output {}

/// What a function pointer returns: how [`Blocked`] names `!`.
#[doc(hidden)]
pub trait Returns {
    /// The return type.
    type Output;
}

impl<R> Returns for fn() -> R {
    type Output = R;
}

/// Waits asynchronously. Implemented for every closure `Fn(Duration) -> impl Future<Output = ()>`.
///
/// A sleeper is also the clock of time limits: an async call's `timeout` and `total_timeout`
/// race each attempt against [`time_limit`](AsyncSleeper::time_limit), which is a
/// [`sleep`](AsyncSleeper::sleep) of the limit unless the sleeper says otherwise. So a sleeper
/// whose future completes at once, such as `|_| async {}`, makes every time limit fire at the
/// attempt's first `.await` that waits. With time limits, use the default sleeper (tokio's timer,
/// which a paused test clock advances exactly) or a [`RecordingSleeper`] (whose limits never run
/// out), or implement `time_limit` for a sleeper of your own.
///
/// ```
/// # use persevere_runtime as persevere;
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
///
/// Implement it for a sleeper of your own. Give it the clock it sleeps on, so that time-based
/// stops measure the same time the sleeps advance:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, Instant};
/// use persevere::sleep::AsyncSleeper;
///
/// /// Tokio's timer, never sleeping more than 5 s whatever the strategy asks.
/// struct Capped;
///
/// impl AsyncSleeper for Capped {
///     type Sleeping = tokio::time::Sleep;
///     fn sleep(&self, duration: Duration) -> tokio::time::Sleep {
///         tokio::time::sleep(duration.min(Duration::from_secs(5)))
///     }
///     fn now(&self) -> Instant {
///         tokio::time::Instant::now().into_std()
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() {
/// let started = Capped.now();
/// Capped.sleep(Duration::from_secs(60)).await;
/// assert_eq!(Capped.now() - started, Duration::from_secs(5));
/// # }
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
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::sleep::{AsyncSleeper, RecordingSleeper};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sleeper = RecordingSleeper::new();
    /// AsyncSleeper::sleep(&sleeper, Duration::from_millis(250)).await;
    /// assert_eq!(sleeper.total(), Duration::from_millis(250));
    /// # }
    /// ```
    fn sleep(&self, duration: Duration) -> Self::Sleeping;

    /// The current time on this sleeper's clock (default: the system's monotonic clock).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::sleep::{AsyncSleeper, RecordingSleeper};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sleeper = RecordingSleeper::new();
    /// let before = AsyncSleeper::now(&sleeper);
    /// AsyncSleeper::sleep(&sleeper, Duration::from_secs(30)).await;
    /// assert_eq!(AsyncSleeper::now(&sleeper) - before, Duration::from_secs(30));
    /// # }
    /// ```
    fn now(&self) -> Instant {
        Instant::now()
    }

    /// Starts the timer of a time limit (`timeout`, or what is left of `total_timeout`): the
    /// attempt it races is cancelled when this future completes first. It is not a wait between
    /// attempts: nothing counts it as slept, and [`testing::skip_sleeps`](crate::testing::skip_sleeps)
    /// does not skip it.
    ///
    /// Default: a [`sleep`](AsyncSleeper::sleep) of `limit`. A sleeper whose clock does not run
    /// while an attempt does (a virtual one) returns a future that never completes, as
    /// [`RecordingSleeper`] does.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::sleep::AsyncSleeper;
    ///
    /// // A closure's time limit is a sleep of the limit.
    /// let asked = std::cell::Cell::new(Duration::ZERO);
    /// let sleeper = |d: Duration| {
    ///     asked.set(d);
    ///     std::future::ready(())
    /// };
    /// let _timer = sleeper.time_limit(Duration::from_secs(10));
    /// assert_eq!(asked.get(), Duration::from_secs(10));
    /// ```
    fn time_limit(&self, limit: Duration) -> Self::Sleeping {
        self.sleep(limit)
    }
}

// Not recommended in errors: a type that is no sleeper (the default sleeper without the `tokio`
// feature) is told so by `AsyncSleeper`'s own message, not asked to be a closure.
#[diagnostic::do_not_recommend]
// `crate::proven` answers for the attribute's closures as this impl does: keep the two in step.
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
pub(crate) fn runtime_now() -> Instant {
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
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, Instant};
/// use persevere::sleep::{DefaultSleeper, SyncSleeper};
///
/// let started = Instant::now();
/// DefaultSleeper.sleep(Duration::from_millis(5));
/// assert!(started.elapsed() >= Duration::from_millis(5));
/// ```
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
/// It is also the clock of an async call's time limits (`timeout`, `total_timeout`), and on its
/// virtual clock an attempt takes no time: a time limit never runs out, so it never cuts an
/// attempt, and it is not a wait, so it is not recorded. [`advance`](Self::advance) moves the
/// clock without firing a time limit either. To test an attempt that hangs past its limit, use
/// the default sleeper on tokio's paused clock (`#[tokio::test(start_paused = true)]`), which
/// cuts it at exactly the limit.
///
/// ```
/// # use persevere_runtime as persevere;
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
    /// The sum of `sleeps` (saturating): what the clock moved by waits alone.
    slept: Duration,
}

impl Record {
    fn advance(&mut self, by: Duration) {
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
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::sleep::RecordingSleeper;
    ///
    /// let sleeper = RecordingSleeper::new();
    /// assert!(sleeper.sleeps().is_empty());
    /// ```
    pub fn new() -> Self {
        RecordingSleeper {
            shared: Arc::new(Mutex::new(Record {
                clock: Instant::now(),
                sleeps: Vec::new(),
                slept: Duration::ZERO,
            })),
        }
    }

    fn record(&self) -> std::sync::MutexGuard<'_, Record> {
        // A panic elsewhere while holding the lock leaves the record intact: keep using it.
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every wait recorded so far, in order.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::Policy;
    /// use persevere::sleep::RecordingSleeper;
    /// use persevere::stop::attempts;
    /// use persevere::wait::exponential;
    ///
    /// let sleeper = RecordingSleeper::new();
    /// let policy = Policy::new()
    ///     .stop(attempts(4))
    ///     .wait(exponential().multiplier(Duration::from_millis(100)))
    ///     .sleeper(sleeper.clone());
    /// assert_eq!(policy.call(|| Err::<(), _>("down")), Err("down"));
    /// assert_eq!(sleeper.sleeps(), [100, 200, 400].map(Duration::from_millis));
    /// ```
    pub fn sleeps(&self) -> Vec<Duration> {
        self.record().sleeps.clone()
    }

    /// The sum of the recorded waits (saturating), without the time [`advance`](Self::advance)
    /// added to the clock.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::sleep::{RecordingSleeper, SyncSleeper};
    ///
    /// let sleeper = RecordingSleeper::new();
    /// sleeper.sleep(Duration::from_secs(1));
    /// sleeper.advance(Duration::from_secs(10)); // an attempt that took 10 s: not a wait
    /// sleeper.sleep(Duration::from_secs(2));
    /// assert_eq!(sleeper.total(), Duration::from_secs(3));
    /// ```
    pub fn total(&self) -> Duration {
        self.record().slept
    }

    /// Moves the virtual clock forward without recording a wait, as if an attempt took `by`.
    ///
    /// Time-based stops and hooks see it; a time limit does not fire (it never does on this
    /// sleeper's clock: see the [type](RecordingSleeper)).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::Policy;
    /// use persevere::sleep::RecordingSleeper;
    /// use persevere::stop::elapsed;
    /// use persevere::wait::fixed;
    ///
    /// let sleeper = RecordingSleeper::new();
    /// let policy = Policy::new()
    ///     .stop(elapsed(Duration::from_secs(10)))
    ///     .wait(fixed(Duration::from_secs(1)))
    ///     .sleeper(sleeper.clone());
    /// let mut calls = 0;
    /// let _ = policy.call(|| {
    ///     calls += 1;
    ///     sleeper.advance(Duration::from_secs(4)); // each attempt takes 4 s
    ///     Err::<(), _>("slow")
    /// });
    /// // 4 s, then 1 + 4 = 9 s, then 14 s: past the limit after the third attempt.
    /// assert_eq!(calls, 3);
    /// ```
    pub fn advance(&self, by: Duration) {
        self.record().advance(by);
    }

    fn push(&self, duration: Duration) {
        let mut record = self.record();
        record.sleeps.push(duration);
        record.slept = record.slept.saturating_add(duration);
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
    type Sleeping = RecordedSleep;
    /// Records the wait, moves the virtual clock, and returns a future that is ready at once.
    fn sleep(&self, duration: Duration) -> RecordedSleep {
        self.push(duration);
        RecordedSleep { ends: true }
    }
    fn now(&self) -> Instant {
        self.virtual_now()
    }
    /// Records nothing and returns a future that never completes: on the virtual clock an
    /// attempt takes no time, so its limit never runs out.
    fn time_limit(&self, _: Duration) -> RecordedSleep {
        RecordedSleep { ends: false }
    }
}

/// What an async [`RecordingSleeper`] returns: for a wait between attempts, a future that is
/// ready at once (the wait is already recorded); for a time limit, one that never completes.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::future::Future;
/// use std::pin::pin;
/// use std::task::{Context, Poll, Waker};
/// use std::time::Duration;
/// use persevere::sleep::{AsyncSleeper, RecordingSleeper};
///
/// let sleeper = RecordingSleeper::new();
/// let mut cx = Context::from_waker(Waker::noop());
///
/// let mut wait = pin!(sleeper.sleep(Duration::from_secs(1)));
/// assert_eq!(wait.as_mut().poll(&mut cx), Poll::Ready(()));
///
/// let mut limit = pin!(sleeper.time_limit(Duration::from_millis(1)));
/// sleeper.advance(Duration::from_secs(60));
/// assert_eq!(limit.as_mut().poll(&mut cx), Poll::Pending); // never fires
/// assert_eq!(sleeper.sleeps(), [Duration::from_secs(1)]); // and is not a wait
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct RecordedSleep {
    ends: bool,
}

impl Future for RecordedSleep {
    type Output = ();
    fn poll(self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        if self.ends {
            std::task::Poll::Ready(())
        } else {
            // Nothing will wake it: the attempt it races wakes the task, and ends the race.
            std::task::Poll::Pending
        }
    }
}
