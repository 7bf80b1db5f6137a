//! The per-call retry state and the decision made after each attempt.
//!
//! Both the `#[retry]` expansion and [`Policy::call`](crate::Policy::call) drive a [`Call`]:
//!
//! ```text
//! loop {
//!     call.before(&rules);                 // `before` hook
//!     let outcome = attempt();
//!     match call.settle(outcome, &rules) { // condition, `after`, wait, stop, `before_sleep`
//!         Step::Return(outcome) => return outcome,
//!         Step::Sleep(wait) => call.sleep(wait),
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
/// Creating one reads no clock unless `timed`, and allocates nothing.
pub struct Call<R, S> {
    function: &'static str,
    sleeper: S,
    clock: fn(&S) -> Instant,
    start: Option<Instant>,
    attempt: u32,
    slept: Duration,
    previous_sleep: Option<Duration>,
    _outcome: PhantomData<fn() -> R>,
}

impl<R, S> std::fmt::Debug for Call<R, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("function", &self.function)
            .field("attempt", &self.attempt)
            .field("slept", &self.slept)
            .finish_non_exhaustive()
    }
}

impl<R: Outcome, S> Call<R, S> {
    fn with_clock(
        function: &'static str,
        sleeper: S,
        clock: fn(&S) -> Instant,
        timed: bool,
    ) -> Self {
        let start = if timed { Some(clock(&sleeper)) } else { None };
        Call {
            function,
            sleeper,
            clock,
            start,
            attempt: 1,
            slept: Duration::ZERO,
            previous_sleep: None,
            _outcome: PhantomData,
        }
    }

    /// Starts a call that sleeps by blocking. Reads `sleeper`'s clock only if `timed`.
    #[inline]
    pub fn new_sync(function: &'static str, sleeper: S, timed: bool) -> Self
    where
        S: SyncSleeper,
    {
        Self::with_clock(function, sleeper, <S as SyncSleeper>::now, timed)
    }

    /// Starts a call that sleeps asynchronously. Reads `sleeper`'s clock only if `timed`.
    #[inline]
    pub fn new_async(function: &'static str, sleeper: S, timed: bool) -> Self
    where
        S: AsyncSleeper,
    {
        Self::with_clock(function, sleeper, <S as AsyncSleeper>::now, timed)
    }

    /// The 1-based number of the attempt about to run (or just run).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    fn elapsed(&self) -> Duration {
        self.start.map_or(Duration::ZERO, |start| {
            (self.clock)(&self.sleeper).saturating_duration_since(start)
        })
    }

    fn state<'a>(
        &self,
        outcome: Option<&'a Result<R::Ok, R::Err>>,
    ) -> RetryState<'a, R::Ok, R::Err> {
        RetryState {
            function: self.function,
            attempt: self.attempt,
            elapsed: self.elapsed(),
            slept: self.slept,
            upcoming_sleep: None,
            previous_sleep: self.previous_sleep,
            outcome,
        }
    }

    /// Runs the `before` hook for the attempt about to start.
    #[inline]
    pub fn before<P: Rules<R::Ok, R::Err>>(&self, rules: &P) {
        if P::HAS_BEFORE {
            rules.hook(Moment::Before, &self.state(None));
        }
    }

    /// Decides what follows an attempt, in tenacity's order: a final outcome returns unchanged;
    /// otherwise `after` runs, the wait is computed, the stop strategy sees it, and the call either
    /// gives up (no `before_sleep`) or runs `before_sleep` and asks for a sleep.
    pub fn settle<P: Rules<R::Ok, R::Err>>(&mut self, outcome: R, rules: &P) -> Step<R> {
        if !rules.retries(outcome.as_result()) {
            return Step::Return(outcome);
        }
        let mut state = self.state(Some(outcome.as_result()));
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

// Sleeping needs nothing of the outcome type.
impl<R, S> Call<R, S> {
    /// Sleeps by blocking, unless [`testing::skip_sleeps`] is in force.
    pub fn sleep(&self, wait: Duration)
    where
        S: SyncSleeper,
    {
        if !testing::sleeps_skipped() {
            self.sleeper.sleep(wait);
        }
    }

    /// The sleep to await, unless [`testing::skip_sleeps`] is in force. Returns the sleeper's future
    /// itself, so the caller's future holds no borrow of this call across the await.
    pub fn sleep_async(&self, wait: Duration) -> Option<S::Sleeping>
    where
        S: AsyncSleeper,
    {
        if testing::sleeps_skipped() {
            None
        } else {
            Some(self.sleeper.sleep(wait))
        }
    }
}
