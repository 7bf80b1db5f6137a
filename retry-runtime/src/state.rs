//! The view of one retried call that strategies and hooks receive.

use std::cell::Cell;
use std::time::Duration;

use crate::name::{Site, Who};
use crate::{Name, Report};

/// Where a retried call stands: which attempt, how long it has run, how long it has slept, and the
/// latest outcome.
///
/// Stop and wait strategies, conditions and hooks all read this. `T` and `E` are the `Ok` and `Err`
/// types of the retried function.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::RetryState;
///
/// // A stop strategy written as a closure over the state.
/// let stop = |state: &RetryState<'_, (), std::io::Error>| state.attempt() >= 3;
/// # let _ = stop;
/// ```
#[derive(Debug)]
pub struct RetryState<'a, T, E> {
    /// The call's name, and where `log(..)` lines go: the annotated function's own callsites,
    /// so their target is its module; none for a `Policy`, whose lines come from the runtime's.
    /// Made where they are read.
    pub(crate) who: Who,
    pub(crate) attempt: u32,
    pub(crate) elapsed: Duration,
    pub(crate) slept: Duration,
    pub(crate) upcoming_sleep: Option<Duration>,
    pub(crate) previous_sleep: Option<Duration>,
    pub(crate) outcome: Option<&'a Result<T, E>>,
    /// The call's memory for stateful waits, and where this strategy's slots begin in it.
    pub(crate) memory: Option<&'a Memory>,
    pub(crate) slot: usize,
    /// Where a wait strategy ends the call, in the decision after an attempt (see
    /// [`end_call`](Self::end_call)).
    pub(crate) ends: Option<&'a Ends>,
    /// Why the call is ending, in `on_give_up` and `on_finish`.
    pub(crate) ending: Option<Ending>,
    /// What the call went through, in `on_give_up` and `on_finish`.
    pub(crate) report: Option<&'a Report>,
}

/// Why a call ended: read it from a [`Report`](crate::Report), or through
/// [`RetryState::ending`] in `on_give_up` and `on_finish`.
///
/// `on_give_up` sees only the reasons for giving up (everything but [`Succeeded`](Self::Succeeded)
/// and [`NotRetryable`](Self::NotRetryable)).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::{Ending, Policy};
/// use persevere::stop::attempts;
/// use persevere::wait::none;
///
/// let policy = Policy::new().stop(attempts(2)).wait(none());
/// let (_, report) = policy.call_reported(|| Err::<(), _>("down"));
/// match report.ending() {
///     Ending::Succeeded | Ending::NotRetryable => unreachable!(),
///     Ending::Attempts => {} // every allowed attempt failed
///     other => panic!("unexpected: {other}"),
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Ending {
    /// An attempt succeeded (an `Ok` that `retry_if_ok` did not retry).
    Succeeded,
    /// An attempt failed with an error the condition does not retry.
    NotRetryable,
    /// `attempts(n)` or `retries(n)`: the last allowed attempt failed.
    Attempts,
    /// `elapsed(d)`: the call ran out of time.
    Elapsed,
    /// A stop strategy that gives no more specific reason said so (a closure, or your own type).
    Stop,
    /// `deadline(d)`: the next attempt could not start before the deadline (a sleep would end at
    /// or past it), or a sleep ended past it.
    Deadline,
    /// `total_timeout`: the call's total time limit left no time for another attempt.
    Timeout,
    /// A server asked to wait longer than `server_hint()`'s `max`.
    HintAboveCap,
    /// A server asked not to retry at all (a hint of `Duration::MAX`, such as gRPC's negative or
    /// unreadable `grpc-retry-pushback-ms`), and `server_hint()` ended the call.
    ServerRefused,
    /// A wait strategy ended the call through [`RetryState::end_call`].
    Strategy,
    /// The retry budget was empty.
    Budget,
    /// The circuit breaker was open: the call made no attempt, or no further one (see
    /// [`crate::breaker`]).
    BreakerOpen,
    /// A shutdown was signalled (`stop::cancelled`).
    Cancelled,
    /// An error handler from configuration (`config::handler`) matched the outcome with its
    /// `IGNORE` action: the call returns the outcome as it is, through `on_give_up`, which may
    /// make of it what the program makes of a response to ignore.
    Ignored,
    /// An error handler's `SUCCESS` action matched an error: the call returns the error as it
    /// is, through `on_give_up`, never turned into an `Ok` behind the caller's back.
    Accepted,
    /// An error handler's `FAIL` action matched an `Ok` value: the call returns the value as it
    /// is, through `on_give_up`, and this ending says it is not one to use.
    Rejected,
    /// The call was nested in a retrying call and made a single attempt (`nested = once`, see
    /// [`crate::nested`]): the outer call does the retrying.
    Nested,
}

impl Ending {
    /// The reason in snake case, for log lines, span fields and metric labels: `succeeded`,
    /// `not_retryable`, `attempts`, `elapsed`, `stop`, `deadline`, `timeout`, `hint_above_cap`,
    /// `server_refused`, `strategy`, `budget`, `breaker_open`, `cancelled`, `ignored`, `accepted`, `rejected`, `nested`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// assert_eq!(persevere::Ending::HintAboveCap.as_str(), "hint_above_cap");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Ending::Succeeded => "succeeded",
            Ending::NotRetryable => "not_retryable",
            Ending::Attempts => "attempts",
            Ending::Elapsed => "elapsed",
            Ending::Stop => "stop",
            Ending::Deadline => "deadline",
            Ending::Timeout => "timeout",
            Ending::HintAboveCap => "hint_above_cap",
            Ending::ServerRefused => "server_refused",
            Ending::Strategy => "strategy",
            Ending::Budget => "budget",
            Ending::BreakerOpen => "breaker_open",
            Ending::Cancelled => "cancelled",
            Ending::Ignored => "ignored",
            Ending::Accepted => "accepted",
            Ending::Rejected => "rejected",
            Ending::Nested => "nested",
        }
    }

    /// Whether the call gave up: every reason but `Succeeded` and `NotRetryable`. An error
    /// handler's `Ignored`, `Accepted` and `Rejected` count, so that `on_give_up` sees them and
    /// can make of the outcome what the program wants.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Ending;
    ///
    /// assert!(Ending::Budget.gave_up());
    /// assert!(!Ending::NotRetryable.gave_up());
    /// ```
    pub const fn gave_up(self) -> bool {
        !matches!(self, Ending::Succeeded | Ending::NotRetryable)
    }
}

impl std::fmt::Display for Ending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A call's memory for wait strategies that need their own history (see
/// [`Wait::memory_slots`](crate::wait::Wait::memory_slots)): a few slots, kept by the call
/// between attempts, so a policy rebuilt for each decision loses nothing.
///
/// Each strategy that keeps a history gets slots of its own, up to [`SLOTS`](Self::SLOTS) in
/// all; the parts past them read the previous sleep instead, and the call logs a warning saying
/// so before its first sleep (see [`Rules::memory_slots`](crate::engine::Rules::memory_slots)):
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::engine::Memory;
/// use persevere::wait::{decorrelated_jitter, Wait};
///
/// let wait = decorrelated_jitter() + decorrelated_jitter();
/// assert!(Wait::<(), ()>::memory_slots(&wait) <= Memory::SLOTS); // each keeps its own
/// ```
#[derive(Debug)]
pub struct Memory {
    /// Nanoseconds, `u64::MAX` for empty (a wait that long saturates to one nanosecond less).
    slots: [Cell<u64>; Memory::SLOTS],
}

/// Why a wait strategy ended the call, if one did (see [`RetryState::end_call`]): the decision's
/// own, read right after the wait is worked out, so the call does not keep it between attempts
/// (an async call's future would hold it across every sleep).
#[derive(Debug, Default)]
pub(crate) struct Ends(Cell<Option<Ended>>);

/// Why a wait strategy ended the call.
#[derive(Debug, Clone, Copy)]
enum Ended {
    /// With this ending, for this reason.
    As(Ending, &'static str),
    /// The server asked for this wait, above the cap of the strategy that read it: handed back
    /// as it was asked, whatever the strategies around it add.
    HintAboveCap(Duration, Capped),
}

/// Which strategy refused a server's wait as above its cap: what the log line says. A byte, so
/// that a refusal and its wait fit beside the other variant's ending.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Capped {
    /// `server_hint()`'s `max`.
    ServerHint,
    /// A configured error handler's `max_waiting_time_in_seconds`.
    #[cfg(all(feature = "serde", feature = "http"))]
    HandlerHeader,
}

impl Capped {
    fn reason(self) -> &'static str {
        match self {
            Capped::ServerHint => "the server asked for a wait longer than the strategy's `max`",
            #[cfg(all(feature = "serde", feature = "http"))]
            Capped::HandlerHeader => {
                "a response header asked for a wait above its backoff strategy's max_waiting_time_in_seconds"
            }
        }
    }
}

impl Default for Memory {
    fn default() -> Self {
        Memory {
            slots: [const { Cell::new(EMPTY) }; Memory::SLOTS],
        }
    }
}

/// An empty memory slot.
const EMPTY: u64 = u64::MAX;

impl Memory {
    /// How many slots a call keeps; strategies past them fall back to `previous_sleep` (and the
    /// call logs a warning). Two:
    /// the runtime's one strategy with a history (decorrelated jitter) keeps one, and every
    /// async call's future holds the slots across each sleep.
    pub const SLOTS: usize = 2;
}

impl Ends {
    /// Why a strategy ended the call, and the server's wait it refused if that is why.
    #[inline]
    pub(crate) fn take(&self) -> Option<(Ending, &'static str, Option<Duration>)> {
        Some(match self.0.take()? {
            Ended::As(ending, reason) => (ending, reason, None),
            Ended::HintAboveCap(wait, by) => (Ending::HintAboveCap, by.reason(), Some(wait)),
        })
    }
}

// Manual impls: a derive would require `T: Clone` and `E: Clone` for a struct that only holds a
// reference to them.
impl<T, E> Clone for RetryState<'_, T, E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T, E> Copy for RetryState<'_, T, E> {}

impl<'a, T, E> RetryState<'a, T, E> {
    /// A state for attempt `attempt` with nothing recorded yet: useful for testing your own
    /// strategies.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::RetryState;
    /// use persevere::stop::{attempts, Stop};
    ///
    /// let state = RetryState::<(), ()>::new(3);
    /// assert!(Stop::should_stop(&attempts(3), &state));
    /// ```
    pub fn new(attempt: u32) -> Self {
        RetryState {
            who: Who::Site(Site::new(Name::new("<unnamed>"), None)),
            attempt,
            elapsed: Duration::ZERO,
            slept: Duration::ZERO,
            upcoming_sleep: None,
            previous_sleep: None,
            outcome: None,
            memory: None,
            slot: 0,
            ends: None,
            ending: None,
            report: None,
        }
    }

    /// Returns the state with `elapsed` set (for testing your own strategies).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::stop::{elapsed, Stop};
    ///
    /// let state = RetryState::<(), ()>::new(4).with_elapsed(Duration::from_secs(31));
    /// assert!(elapsed(Duration::from_secs(30)).should_stop(&state));
    /// ```
    pub fn with_elapsed(mut self, elapsed: Duration) -> Self {
        self.elapsed = elapsed;
        self
    }

    /// Returns the state with the given latest outcome (for testing your own strategies).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::RetryState;
    ///
    /// let failed: Result<(), &str> = Err("busy");
    /// let state = RetryState::new(1).with_outcome(&failed);
    /// assert_eq!(state.error(), Some(&"busy"));
    /// ```
    pub fn with_outcome(mut self, outcome: &'a Result<T, E>) -> Self {
        self.outcome = Some(outcome);
        self
    }

    /// Returns the state with the given upcoming sleep (for testing your own strategies).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    ///
    /// let state = RetryState::<(), ()>::new(1).with_upcoming_sleep(Duration::from_secs(2));
    /// assert_eq!(state.upcoming_sleep(), Some(Duration::from_secs(2)));
    /// ```
    pub fn with_upcoming_sleep(mut self, sleep: Duration) -> Self {
        self.upcoming_sleep = Some(sleep);
        self
    }

    /// Returns the state with the given previous sleep (for testing your own strategies).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    ///
    /// let state = RetryState::<(), ()>::new(2).with_previous_sleep(Duration::from_millis(500));
    /// assert_eq!(state.previous_sleep(), Some(Duration::from_millis(500)));
    /// ```
    pub fn with_previous_sleep(mut self, sleep: Duration) -> Self {
        self.previous_sleep = Some(sleep);
        self
    }

    /// Returns the state with the given ending, as `on_give_up` and `on_finish` see it (for
    /// testing your own hooks).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{Ending, RetryState};
    ///
    /// let state = RetryState::<(), ()>::new(3).with_ending(Ending::Attempts);
    /// assert_eq!(state.ending(), Some(Ending::Attempts));
    /// ```
    pub fn with_ending(mut self, ending: Ending) -> Self {
        self.ending = Some(ending);
        self
    }

    /// Returns the state with the given report, as `on_give_up` and `on_finish` see it (for
    /// testing your own hooks).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{Ending, Report, RetryState};
    ///
    /// let report = Report::new("billing::charge", Ending::Budget);
    /// let state = RetryState::<(), ()>::new(1).with_ending(Ending::Budget).with_report(&report);
    /// assert_eq!(state.report().map(Report::ending), Some(Ending::Budget));
    /// ```
    pub fn with_report(mut self, report: &'a Report) -> Self {
        self.report = Some(report);
        self
    }

    /// Returns the state with the given function name (for testing your own hooks).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::RetryState;
    ///
    /// let state = RetryState::<(), ()>::new(1).with_function("billing::charge");
    /// assert_eq!(state.function(), "billing::charge");
    /// ```
    pub fn with_function(mut self, function: impl Into<Name>) -> Self {
        self.who = Who::Site(Site::new(function.into(), self.who.site().log));
        self
    }

    /// The retried function's name, such as `my_crate::client::send_message`, or for a method
    /// `my_crate::billing::Gateway::charge` (`<unnamed>` for a policy run without a name).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::cell::Cell;
    /// use persevere::{Name, Policy, RetryState};
    /// use persevere::wait::none;
    ///
    /// let seen = Cell::new(None);
    /// let note = |state: &RetryState<'_, (), &str>| seen.set(Some(state.function()));
    /// let policy = Policy::new().named("inventory::reserve").wait(none()).after(note);
    /// let _ = policy.call(|| Err("down"));
    /// assert_eq!(seen.get(), Some(Name::new("inventory::reserve")));
    /// ```
    pub fn function(&self) -> Name {
        self.who.name()
    }

    /// The 1-based number of the current attempt. In a wait or stop strategy and in `after`, it is
    /// the attempt that just failed.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::Wait;
    ///
    /// // A wait of one second per attempt made so far.
    /// let wait = |state: &RetryState<'_, (), ()>| Duration::from_secs(state.attempt().into());
    /// assert_eq!(wait.next_wait(&RetryState::new(3)), Duration::from_secs(3));
    /// ```
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Time since the call started, up to the end of the latest attempt (sleeps included).
    ///
    /// The clock is read only when something needs it: it is `Duration::ZERO` in a call whose
    /// policy neither stops on time nor has a hook or strategy that could read it.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    ///
    /// // Give up once a minute has passed.
    /// let stop = |state: &RetryState<'_, (), ()>| state.elapsed() >= Duration::from_secs(60);
    /// assert!(stop(&RetryState::new(5).with_elapsed(Duration::from_secs(61))));
    /// ```
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Total time slept between attempts so far.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::cell::Cell;
    /// use std::time::Duration;
    /// use persevere::testing::skip_sleeps;
    /// use persevere::wait::fixed;
    /// use persevere::{Policy, RetryState};
    ///
    /// let _skip = skip_sleeps();
    /// let total = Cell::new(Duration::ZERO);
    /// let policy = Policy::new()
    ///     .wait(fixed(Duration::from_secs(1)))
    ///     .after(|state: &RetryState<'_, (), &str>| total.set(state.slept()));
    /// let _ = policy.call(|| Err("down"));
    /// assert_eq!(total.get(), Duration::from_secs(2)); // at the third failure
    /// ```
    pub fn slept(&self) -> Duration {
        self.slept
    }

    /// The sleep about to happen: set while a stop strategy decides and in `before_sleep`. In
    /// `on_give_up`, the sleep the call would have taken had it not ended there (the refused wait
    /// after [`Ending::HintAboveCap`]), where the wait was worked out; `None` in `before`, `after`
    /// and `on_finish`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::stop::Stop;
    ///
    /// // Give up rather than sleep more than 10 s.
    /// let stop = |state: &RetryState<'_, (), ()>| {
    ///     state.upcoming_sleep().is_some_and(|sleep| sleep > Duration::from_secs(10))
    /// };
    /// let state = RetryState::new(2).with_upcoming_sleep(Duration::from_secs(30));
    /// assert!(stop.should_stop(&state));
    /// ```
    pub fn upcoming_sleep(&self) -> Option<Duration> {
        self.upcoming_sleep
    }

    /// The sleep before the current attempt, if there was one.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::Wait;
    ///
    /// // Half again the previous sleep, from 100 ms.
    /// let wait = |state: &RetryState<'_, (), ()>| {
    ///     state.previous_sleep().map_or(Duration::from_millis(100), |last| last * 3 / 2)
    /// };
    /// let state = RetryState::new(2).with_previous_sleep(Duration::from_millis(100));
    /// assert_eq!(wait.next_wait(&state), Duration::from_millis(150));
    /// ```
    pub fn previous_sleep(&self) -> Option<Duration> {
        self.previous_sleep
    }

    /// The latest attempt's outcome, where there is one: not in `before`, nor in `on_give_up`,
    /// which is handed the outcome itself.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::RetryState;
    ///
    /// let done: Result<u8, ()> = Ok(7);
    /// assert_eq!(RetryState::new(1).with_outcome(&done).outcome(), Some(&Ok(7)));
    /// assert_eq!(RetryState::<u8, ()>::new(1).outcome(), None);
    /// ```
    pub fn outcome(&self) -> Option<&'a Result<T, E>> {
        self.outcome
    }

    /// What this strategy remembered at the previous attempt (see
    /// [`Wait::memory_slots`](crate::wait::Wait::memory_slots)): `None` before the first
    /// [`remember`](Self::remember), and `None` in a state made by hand, which has no memory
    /// (see [`has_memory`](Self::has_memory)).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::sleep::RecordingSleeper;
    /// use persevere::stop::attempts;
    /// use persevere::wait::Wait;
    /// use persevere::{Policy, RetryState};
    ///
    /// /// Doubles its own previous wait, from 100 ms.
    /// struct Doubling;
    ///
    /// impl<T, E> Wait<T, E> for Doubling {
    ///     fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
    ///         let wait = state.recall().map_or(Duration::from_millis(100), |last| last * 2);
    ///         state.remember(wait);
    ///         wait
    ///     }
    ///     fn memory_slots(&self) -> usize {
    ///         1
    ///     }
    /// }
    ///
    /// let sleeper = RecordingSleeper::new();
    /// let policy = Policy::new().stop(attempts(4)).wait(Doubling).sleeper(sleeper.clone());
    /// let _ = policy.call(|| Err::<(), _>("down"));
    /// assert_eq!(sleeper.sleeps(), [100, 200, 400].map(Duration::from_millis));
    /// ```
    pub fn recall(&self) -> Option<Duration> {
        self.cell()
            .map(Cell::get)
            .filter(|nanos| *nanos != EMPTY)
            .map(Duration::from_nanos)
    }

    /// Keeps `value` for this strategy's next decision in the same call (to the nanosecond,
    /// saturating at about 584 years).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    ///
    /// // A state made by hand belongs to no call: it remembers nothing.
    /// let state = RetryState::<(), ()>::new(1);
    /// state.remember(Duration::from_secs(1));
    /// assert_eq!(state.recall(), None);
    /// ```
    pub fn remember(&self, value: Duration) {
        if let Some(cell) = self.cell() {
            let nanos = u64::try_from(value.as_nanos()).unwrap_or(EMPTY - 1);
            cell.set(nanos.min(EMPTY - 1));
        }
    }

    /// Ends the call instead of the sleep this wait strategy is computing: the call returns its
    /// last outcome (through `on_give_up`), runs no `before_sleep`, and logs `reason`. For a wait
    /// that cannot be honoured, such as a server asking for longer than the strategy's cap. In a
    /// state made by hand, which belongs to no call, and in those of `before`, `on_give_up` and
    /// `on_finish`, which no wait follows, it does nothing.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{Ending, Policy, RetryState};
    ///
    /// let wait = |state: &RetryState<'_, (), &str>| {
    ///     if state.error() == Some(&"quota exceeded") {
    ///         state.end_call("the quota resets at midnight");
    ///     }
    ///     Duration::ZERO
    /// };
    /// let (_, report) = Policy::new().wait(wait).call_reported(|| Err("quota exceeded"));
    /// assert_eq!((report.attempts(), report.ending()), (1, Ending::Strategy));
    /// ```
    pub fn end_call(&self, reason: &'static str) {
        self.end_call_as(Ending::Strategy, reason);
    }

    /// [`end_call`](Self::end_call), reporting the call's ending as `ending`.
    pub(crate) fn end_call_as(&self, ending: Ending, reason: &'static str) {
        if let Some(ends) = self.ends {
            ends.0.set(Some(Ended::As(ending, reason)));
        }
    }

    /// Ends the call as [`Ending::HintAboveCap`]: the server asked for `hint`, above the
    /// strategy's cap. The report and `on_give_up` are handed `hint` itself, not the wait of the
    /// strategies it is combined with.
    pub(crate) fn refuse_hint(&self, hint: Duration, by: Capped) {
        if let Some(ends) = self.ends {
            ends.0.set(Some(Ended::HintAboveCap(hint, by)));
        }
    }

    /// Whether this state carries the call's memory (and a free slot for this strategy).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::RetryState;
    ///
    /// assert!(!RetryState::<(), ()>::new(1).has_memory()); // made by hand
    /// ```
    pub fn has_memory(&self) -> bool {
        self.cell().is_some()
    }

    /// The state as the part of a combined strategy whose slots begin `offset` slots after this
    /// one's sees it. `a + b` gives `b` the offset `a.memory_slots()`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{fixed, Wait};
    ///
    /// /// The longer of two waits, each with its own memory slots.
    /// struct Longer<A, B>(A, B);
    ///
    /// impl<T, E, A: Wait<T, E>, B: Wait<T, E>> Wait<T, E> for Longer<A, B> {
    ///     fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
    ///         let second = self.1.next_wait(&state.part(self.0.memory_slots()));
    ///         self.0.next_wait(state).max(second)
    ///     }
    ///     fn memory_slots(&self) -> usize {
    ///         self.0.memory_slots() + self.1.memory_slots()
    ///     }
    /// }
    ///
    /// let wait = Longer(fixed(Duration::from_secs(1)), fixed(Duration::from_secs(3)));
    /// assert_eq!(Wait::<(), ()>::next_wait(&wait, &RetryState::new(1)), Duration::from_secs(3));
    /// ```
    pub fn part(&self, offset: usize) -> Self {
        RetryState {
            slot: self.slot.saturating_add(offset),
            ..*self
        }
    }

    fn cell(&self) -> Option<&'a Cell<u64>> {
        self.memory.and_then(|memory| memory.slots.get(self.slot))
    }

    /// Why the call is ending: set in `on_give_up` and `on_finish`, `None` elsewhere.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{Ending, Policy, RetryState};
    /// use persevere::wait::none;
    ///
    /// let policy = Policy::new().wait(none()).on_give_up(
    ///     |last: Result<(), String>, state: &RetryState<'_, (), String>| {
    ///         last.map_err(|e| format!("{e} ({})", state.ending().map_or("", Ending::as_str)))
    ///     },
    /// );
    /// assert_eq!(policy.call(|| Err("down".to_string())), Err("down (attempts)".to_string()));
    /// ```
    pub fn ending(&self) -> Option<Ending> {
        self.ending
    }

    /// What the call went through, in `on_give_up` and `on_finish` (`None` elsewhere): attempts,
    /// time slept and elapsed, why it ended, and, where recorded, each attempt (see
    /// [`Report::history`]).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{Ending, Policy};
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// let ended = std::cell::Cell::new(None);
    /// let policy = Policy::new().stop(attempts(2)).wait(none()).on_finish(
    ///     |state: &persevere::RetryState<'_, (), &str>| {
    ///         ended.set(state.report().map(|report| (report.attempts(), report.ending())));
    ///     },
    /// );
    /// assert_eq!(policy.call(|| Err("down")), Err("down"));
    /// assert_eq!(ended.get(), Some((2, Ending::Attempts)));
    /// ```
    pub fn report(&self) -> Option<&'a Report> {
        self.report
    }

    /// The latest attempt's error, if it failed with one.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::RetryState;
    /// use persevere::stop::Stop;
    ///
    /// // Give up at once on an authentication error.
    /// let stop = |state: &RetryState<'_, (), u16>| state.error() == Some(&401);
    /// let denied: Result<(), u16> = Err(401);
    /// assert!(stop.should_stop(&RetryState::new(1).with_outcome(&denied)));
    /// ```
    pub fn error(&self) -> Option<&'a E> {
        self.outcome.and_then(|outcome| outcome.as_ref().err())
    }

    /// The latest attempt's `Ok` value, if it returned one (a value `retry_if_ok` retried).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::RetryState;
    ///
    /// let pending: Result<&str, ()> = Ok("pending");
    /// let state = RetryState::new(2).with_outcome(&pending);
    /// assert_eq!(state.value(), Some(&"pending"));
    /// assert_eq!(state.error(), None);
    /// ```
    pub fn value(&self) -> Option<&'a T> {
        self.outcome.and_then(|outcome| outcome.as_ref().ok())
    }
}
