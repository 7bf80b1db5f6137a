//! The per-call retry state and the decision made after each attempt: the engine under both the
//! `#[retry]` attribute and [`Policy::call`](crate::Policy::call). Most code never needs it; it is
//! public for drivers of other shapes (a stream, a callback API) that want the same semantics.
//!
//! Both drive a [`Call`]:
//!
//! ```text
//! let start = start(timed, now);               // reads the clock only if timed
//! loop {
//!     let outcome = attempt();
//!     if outcome.is_ok() { return outcome; }    // the happy path ends here
//!     let call = call.get_or_insert_with(|| Call::new(name, start));
//!     match call.settle(outcome, &rules, now) { // condition, `after`, wait, stop, `before_sleep`
//!         Step::Return(outcome) => return outcome,
//!         Step::Sleep(wait) => sleep_sync(&sleeper, wait),
//!     }
//! }
//! ```

use std::marker::PhantomData;
use std::time::{Duration, Instant};

use crate::RetryState;
use crate::hook::Moment;
use crate::outcome::Outcome;
use crate::sleep::{AsyncSleeper, SyncSleeper};
use crate::testing;

/// Everything a call consults between attempts. Implemented by [`Policy`](crate::Policy) for the
/// `T` and `E` its parts accept.
pub trait Rules<T, E> {
    /// Whether to retry this outcome (`retry_if` or `retry_if_ok`).
    fn retries(&self, outcome: &Result<T, E>) -> bool;
    /// The wait after a failed attempt.
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration;
    /// Whether to give up instead of waiting.
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool;
    /// Runs the hook for `moment`.
    fn hook(&self, moment: Moment, state: &RetryState<'_, T, E>);
    /// The call's return value on giving up.
    fn give_up(&self, last: Result<T, E>, state: &RetryState<'_, T, E>) -> Result<T, E>;

    /// Whether any part can retry an `Ok` outcome.
    const RETRIES_OK: bool;
    /// Whether any part reads the elapsed time.
    const NEEDS_CLOCK: bool;
    /// Whether a `before` hook is set.
    const HAS_BEFORE: bool;
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<R> {
    /// The call is over: return this.
    Return(R),
    /// Sleep this long, then make the next attempt.
    Sleep(Duration),
}

/// One retried call in progress: its attempt count, start time and sleeps.
///
/// A call makes one only once an attempt fails, so a first-time success never builds one. The
/// clock is passed in where it is needed (`now`), so the call reads whichever clock its sleeper
/// keeps, and only when `start` says the call is timed.
pub struct Call<R> {
    function: &'static str,
    start: Option<Instant>,
    attempt: u32,
    slept: Duration,
    previous_sleep: Option<Duration>,
    _outcome: PhantomData<fn() -> R>,
}

impl<R> std::fmt::Debug for Call<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("function", &self.function)
            .field("attempt", &self.attempt)
            .field("slept", &self.slept)
            .finish_non_exhaustive()
    }
}

/// The start of a call: the clock's time if the call is timed, else `None` (and no clock is
/// read).
#[inline]
pub fn start(timed: bool, now: impl FnOnce() -> Instant) -> Option<Instant> {
    if timed { Some(now()) } else { None }
}

/// Sleeps by blocking, unless [`testing::skip_sleeps`] is in force.
pub fn sleep_sync<S: SyncSleeper>(sleeper: &S, wait: Duration) {
    if !testing::sleeps_skipped() {
        sleeper.sleep(wait);
    }
}

/// The sleep to await, unless [`testing::skip_sleeps`] is in force. Returns the sleeper's own
/// future, so the caller holds no borrow of the call across the await.
pub fn sleep_async<S: AsyncSleeper>(sleeper: &S, wait: Duration) -> Option<S::Sleeping> {
    if testing::sleeps_skipped() {
        None
    } else {
        Some(sleeper.sleep(wait))
    }
}

impl<R: Outcome> Call<R> {
    /// A call that started at `start` (`None` when untimed), now on its first attempt.
    #[inline]
    pub fn new(function: &'static str, start: Option<Instant>) -> Self {
        Call {
            function,
            start,
            attempt: 1,
            slept: Duration::ZERO,
            previous_sleep: None,
            _outcome: PhantomData,
        }
    }

    /// The 1-based number of the attempt about to run (or just run).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Time slept so far.
    pub fn slept(&self) -> Duration {
        self.slept
    }

    fn state<'a>(
        &self,
        outcome: Option<&'a Result<R::Ok, R::Err>>,
        now: impl FnOnce() -> Instant,
    ) -> RetryState<'a, R::Ok, R::Err> {
        RetryState {
            function: self.function,
            attempt: self.attempt,
            elapsed: self.start.map_or(Duration::ZERO, |start| {
                now().saturating_duration_since(start)
            }),
            slept: self.slept,
            upcoming_sleep: None,
            previous_sleep: self.previous_sleep,
            outcome,
        }
    }

    /// Runs the `before` hook for the attempt about to start.
    #[inline]
    pub fn before<P: Rules<R::Ok, R::Err>>(&self, rules: &P, now: impl FnOnce() -> Instant) {
        if P::HAS_BEFORE {
            rules.hook(Moment::Before, &self.state(None, now));
        }
    }

    /// Decides what follows an attempt, in tenacity's order: a final outcome returns unchanged;
    /// otherwise `after` runs, the wait is computed, the stop strategy sees it, and the call either
    /// gives up (no `before_sleep`) or runs `before_sleep` and asks for a sleep.
    pub fn settle<P: Rules<R::Ok, R::Err>>(
        &mut self,
        outcome: R,
        rules: &P,
        now: impl FnOnce() -> Instant,
    ) -> Step<R> {
        if !rules.retries(outcome.as_result()) {
            return Step::Return(outcome);
        }
        let mut state = self.state(Some(outcome.as_result()), now);
        rules.hook(Moment::After, &state);
        let wait = rules.next_wait(&state);
        state.upcoming_sleep = Some(wait);
        if rules.should_stop(&state) {
            // The outcome moves into `give_up`, so the state it sees no longer borrows it.
            let state = RetryState {
                function: state.function,
                attempt: state.attempt,
                elapsed: state.elapsed,
                slept: state.slept,
                upcoming_sleep: state.upcoming_sleep,
                previous_sleep: state.previous_sleep,
                outcome: None,
            };
            let returned = rules.give_up(outcome.into_result(), &state);
            return Step::Return(R::from_result(returned));
        }
        rules.hook(Moment::BeforeSleep, &state);
        self.slept = self.slept.saturating_add(wait);
        self.previous_sleep = Some(wait);
        self.attempt = self.attempt.saturating_add(1);
        Step::Sleep(wait)
    }
}
