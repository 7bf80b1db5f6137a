//! What one retried call went through: its attempts, sleeps and time, and why it ended.

use std::time::Duration;

use crate::{Ending, Name};

/// What one retried call went through: how many attempts it made, how long it slept and ran, why
/// it ended, and, where recorded, each attempt's outcome and the wait that followed it.
///
/// Get one from [`Policy::call_reported`](crate::Policy::call_reported) (or
/// [`call_async_reported`](crate::Policy::call_async_reported)), from
/// [`RetryState::report`](crate::RetryState::report) in an `on_finish` or `on_give_up` hook, or
/// from a [`testing::record`](crate::testing::record) scope in a test.
///
/// ```
/// use std::time::Duration;
/// use persevere::{Ending, Policy};
/// use persevere::stop::attempts;
/// use persevere::wait::fixed;
///
/// let mut left = 2;
/// let (outcome, report) = Policy::new()
///     .stop(attempts(5))
///     .wait(fixed(Duration::from_millis(1)))
///     .call_reported(|| if left > 0 { left -= 1; Err("busy") } else { Ok(7) });
/// assert_eq!(outcome, Ok(7));
/// assert_eq!(report.attempts(), 3);
/// assert_eq!(report.retries(), 2);
/// assert_eq!(report.ending(), Some(Ending::Succeeded));
/// assert_eq!(report.waits(), Some(vec![Duration::from_millis(1); 2]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub(crate) function: Name,
    pub(crate) attempts: u32,
    pub(crate) slept: Duration,
    pub(crate) elapsed: Duration,
    pub(crate) ending: Option<Ending>,
    /// `None` unless something asked for the detail before the call's first failure.
    pub(crate) history: History,
}

/// A report's attempts: not recorded, the one attempt of a first-time success (kept inline, so
/// reporting it allocates nothing), or each attempt of a call that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum History {
    Unrecorded,
    One(Attempted),
    Each(Vec<Attempted>),
}

/// One attempt, as a [`Report`] records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Attempted {
    /// How the attempt ended.
    pub outcome: OutcomeKind,
    /// The sleep that followed it, if the call retried.
    pub wait: Option<Duration>,
}

/// How an attempt ended, without its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutcomeKind {
    /// It returned `Ok`.
    Ok,
    /// It returned `Err`.
    Err,
    /// Its time limit (`timeout` or `total_timeout`) cancelled it; the call saw an `Err`.
    TimedOut,
}

impl OutcomeKind {
    /// The kind of `outcome`, given whether the attempt's time limit cancelled it.
    pub(crate) fn of<T, E>(outcome: &Result<T, E>, timed_out: bool) -> Self {
        match (outcome, timed_out) {
            (_, true) => OutcomeKind::TimedOut,
            (Ok(_), false) => OutcomeKind::Ok,
            (Err(_), false) => OutcomeKind::Err,
        }
    }

    /// `ok`, `err` or `timed out`.
    pub const fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Ok => "ok",
            OutcomeKind::Err => "err",
            OutcomeKind::TimedOut => "timed out",
        }
    }
}

impl Report {
    /// A report of a call whose first attempt ended it (no retry, nothing recorded but the
    /// outcome).
    pub(crate) fn first_time<T, E>(
        function: Name,
        outcome: &Result<T, E>,
        ending: Ending,
        elapsed: Duration,
    ) -> Self {
        Report {
            function,
            attempts: 1,
            slept: Duration::ZERO,
            elapsed,
            ending: Some(ending),
            history: History::One(Attempted {
                outcome: OutcomeKind::of(outcome, false),
                wait: None,
            }),
        }
    }

    /// The retried function's name (see [`Name`]).
    pub fn function(&self) -> Name {
        self.function
    }

    /// Attempts made (at least 1).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Retries made: attempts after the first.
    pub fn retries(&self) -> u32 {
        self.attempts.saturating_sub(1)
    }

    /// Time slept between attempts, as asked (a sleep skipped in a test counts in full).
    pub fn slept(&self) -> Duration {
        self.slept
    }

    /// Time from the call's start to its end. Never less than [`slept`](Self::slept). The
    /// clock is read only when the policy reads it (a time-based stop, a hook, a time limit) or
    /// for [`Policy::call_reported`](crate::Policy::call_reported); otherwise this is the time
    /// slept, a lower bound.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Why the call ended; `None` while it is still running (in a hook before its end).
    pub fn ending(&self) -> Option<Ending> {
        self.ending
    }

    /// Each attempt so far, in order: its outcome's kind and the wait that followed. Recorded
    /// when something will read it: [`Policy::call_reported`](crate::Policy::call_reported), an
    /// `on_finish` hook, a [`testing::record`](crate::testing::record) scope, or a traced call
    /// whose span a subscriber listens to;
    /// `None` otherwise (so a call nobody reports on allocates nothing).
    pub fn history(&self) -> Option<&[Attempted]> {
        match &self.history {
            History::Unrecorded => None,
            History::One(attempt) => Some(std::slice::from_ref(attempt)),
            History::Each(attempts) => Some(attempts),
        }
    }

    /// Each attempt's outcome kind, in order, where recorded (see [`history`](Self::history)).
    pub fn outcomes(&self) -> Option<Vec<OutcomeKind>> {
        self.history()
            .map(|history| history.iter().map(|attempt| attempt.outcome).collect())
    }

    /// The waits between attempts, in order, where recorded (see [`history`](Self::history)).
    pub fn waits(&self) -> Option<Vec<Duration>> {
        self.history()
            .map(|history| history.iter().filter_map(|attempt| attempt.wait).collect())
    }
}

impl std::fmt::Display for Report {
    /// `billing::charge: 3 attempts, slept 300ms, ran 312ms, ended: succeeded`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} attempt{}, slept {:?}, ran {:?}, ended: {}",
            self.function,
            self.attempts,
            if self.attempts == 1 { "" } else { "s" },
            self.slept,
            self.elapsed,
            self.ending.map_or("running", Ending::as_str),
        )
    }
}
