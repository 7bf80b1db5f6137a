//! The view of one retried call that strategies and hooks receive.

use std::cell::Cell;
use std::time::Duration;

use crate::Name;
use crate::hook::LogSite;

/// Where a retried call stands: which attempt, how long it has run, how long it has slept, and the
/// latest outcome.
///
/// Stop and wait strategies, conditions and hooks all read this. `T` and `E` are the `Ok` and `Err`
/// types of the retried function.
///
/// ```
/// use persevere::RetryState;
///
/// // A stop strategy written as a closure over the state.
/// let stop = |state: &RetryState<'_, (), std::io::Error>| state.attempt() >= 3;
/// # let _ = stop;
/// ```
#[derive(Debug)]
pub struct RetryState<'a, T, E> {
    pub(crate) function: Name,
    pub(crate) attempt: u32,
    pub(crate) elapsed: Duration,
    pub(crate) slept: Duration,
    pub(crate) upcoming_sleep: Option<Duration>,
    pub(crate) previous_sleep: Option<Duration>,
    pub(crate) outcome: Option<&'a Result<T, E>>,
    /// The call's memory for stateful waits, and where this strategy's slots begin in it.
    pub(crate) memory: Option<&'a Memory>,
    pub(crate) slot: usize,
    /// Where `log(..)` lines go: the annotated function's own callsites, so their target is its
    /// module; `None` for a `Policy`, whose lines come from the runtime's.
    pub(crate) log: Option<LogSite>,
    /// Why the call is giving up, in `on_give_up`.
    pub(crate) ending: Option<Ending>,
}

/// Why a call gave up instead of retrying, as `on_give_up` sees it through
/// [`RetryState::ending`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Ending {
    /// The stop strategy said so (attempts, elapsed time, …).
    Stop,
    /// The next attempt could not start before the deadline (a `deadline` stop or a total time
    /// limit), or a sleep ended past it.
    Deadline,
    /// A wait strategy ended the call: a server asked for longer than its cap.
    Strategy,
    /// The retry budget was empty.
    Budget,
    /// A shutdown was signalled during the sleep.
    Cancelled,
}

/// A call's memory for wait strategies that need their own history (see
/// [`Wait::memory_slots`](crate::wait::Wait::memory_slots)): a few slots, kept by the call
/// between attempts, so a policy rebuilt for each decision loses nothing.
#[derive(Debug)]
pub struct Memory {
    /// Nanoseconds, `u64::MAX` for empty (a wait that long saturates to one nanosecond less).
    slots: [Cell<u64>; Memory::SLOTS],
    /// Why a wait strategy ended the call, if one did (see [`RetryState::end_call`]).
    ended: Cell<Option<&'static str>>,
}

impl Default for Memory {
    fn default() -> Self {
        Memory {
            slots: [const { Cell::new(EMPTY) }; Memory::SLOTS],
            ended: Cell::new(None),
        }
    }
}

/// An empty memory slot.
const EMPTY: u64 = u64::MAX;

impl Memory {
    /// How many slots a call keeps; strategies past them fall back to `previous_sleep`.
    pub const SLOTS: usize = 4;

    /// Why a strategy ended the call, clearing it.
    pub(crate) fn take_ended(&self) -> Option<&'static str> {
        self.ended.take()
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
    /// use persevere::RetryState;
    /// use persevere::stop::{attempts, Stop};
    ///
    /// let state = RetryState::<(), ()>::new(3);
    /// assert!(Stop::should_stop(&attempts(3), &state));
    /// ```
    pub fn new(attempt: u32) -> Self {
        RetryState {
            function: Name::new("<unnamed>"),
            attempt,
            elapsed: Duration::ZERO,
            slept: Duration::ZERO,
            upcoming_sleep: None,
            previous_sleep: None,
            outcome: None,
            memory: None,
            slot: 0,
            log: None,
            ending: None,
        }
    }

    /// Returns the state with `elapsed` set (for testing your own strategies).
    pub fn with_elapsed(mut self, elapsed: Duration) -> Self {
        self.elapsed = elapsed;
        self
    }

    /// Returns the state with the given latest outcome (for testing your own strategies).
    pub fn with_outcome(mut self, outcome: &'a Result<T, E>) -> Self {
        self.outcome = Some(outcome);
        self
    }

    /// Returns the state with the given upcoming sleep (for testing your own strategies).
    pub fn with_upcoming_sleep(mut self, sleep: Duration) -> Self {
        self.upcoming_sleep = Some(sleep);
        self
    }

    /// Returns the state with the given previous sleep (for testing your own strategies).
    pub fn with_previous_sleep(mut self, sleep: Duration) -> Self {
        self.previous_sleep = Some(sleep);
        self
    }

    /// Returns the state with the given function name (for testing your own hooks).
    pub fn with_function(mut self, function: impl Into<Name>) -> Self {
        self.function = function.into();
        self
    }

    /// The retried function's name, such as `my_crate::client::send_message`, or for a method
    /// `my_crate::billing::Gateway::charge` (`<unnamed>` for a policy run without a name).
    pub fn function(&self) -> Name {
        self.function
    }

    /// The 1-based number of the current attempt. In a wait or stop strategy and in `after`, it is
    /// the attempt that just failed.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Time since the call started, up to the end of the latest attempt (sleeps included).
    ///
    /// The clock is read only when something needs it: it is `Duration::ZERO` in a call whose
    /// policy neither stops on time nor has a hook or strategy that could read it.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Total time slept between attempts so far.
    pub fn slept(&self) -> Duration {
        self.slept
    }

    /// The sleep about to happen: set while a stop strategy decides and in `before_sleep`.
    pub fn upcoming_sleep(&self) -> Option<Duration> {
        self.upcoming_sleep
    }

    /// The sleep before the current attempt, if there was one.
    pub fn previous_sleep(&self) -> Option<Duration> {
        self.previous_sleep
    }

    /// The latest attempt's outcome, where there is one (not in `before`).
    pub fn outcome(&self) -> Option<&'a Result<T, E>> {
        self.outcome
    }

    /// What this strategy remembered at the previous attempt (see
    /// [`Wait::memory_slots`](crate::wait::Wait::memory_slots)): `None` before the first
    /// [`remember`](Self::remember), and `None` in a state made by hand, which has no memory
    /// (see [`has_memory`](Self::has_memory)).
    pub fn recall(&self) -> Option<Duration> {
        self.cell()
            .map(Cell::get)
            .filter(|nanos| *nanos != EMPTY)
            .map(Duration::from_nanos)
    }

    /// Keeps `value` for this strategy's next decision in the same call (to the nanosecond,
    /// saturating at about 584 years).
    pub fn remember(&self, value: Duration) {
        if let Some(cell) = self.cell() {
            let nanos = u64::try_from(value.as_nanos()).unwrap_or(EMPTY - 1);
            cell.set(nanos.min(EMPTY - 1));
        }
    }

    /// Ends the call instead of the sleep this wait strategy is computing: the call returns its
    /// last outcome (through `on_give_up`), runs no `before_sleep`, and logs `reason`. For a wait
    /// that cannot be honoured, such as a server asking for longer than the strategy's cap. In a
    /// state made by hand, which belongs to no call, it does nothing.
    pub fn end_call(&self, reason: &'static str) {
        if let Some(memory) = self.memory {
            memory.ended.set(Some(reason));
        }
    }

    /// Whether this state carries the call's memory (and a free slot for this strategy).
    pub fn has_memory(&self) -> bool {
        self.cell().is_some()
    }

    /// The state as the part of a combined strategy whose slots begin `offset` slots after this
    /// one's sees it. `a + b` gives `b` the offset `a.memory_slots()`.
    pub fn part(&self, offset: usize) -> Self {
        RetryState {
            slot: self.slot.saturating_add(offset),
            ..*self
        }
    }

    fn cell(&self) -> Option<&'a Cell<u64>> {
        self.memory.and_then(|memory| memory.slots.get(self.slot))
    }

    /// Why the call is giving up: set in `on_give_up`, `None` elsewhere.
    pub fn ending(&self) -> Option<Ending> {
        self.ending
    }

    /// The latest attempt's error, if it failed with one.
    pub fn error(&self) -> Option<&'a E> {
        self.outcome.and_then(|outcome| outcome.as_ref().err())
    }

    /// The latest attempt's `Ok` value, if it returned one (a value `retry_if_ok` retried).
    pub fn value(&self) -> Option<&'a T> {
        self.outcome.and_then(|outcome| outcome.as_ref().ok())
    }
}
