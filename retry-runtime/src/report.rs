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
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::{Ending, Policy};
/// use persevere::stop::attempts;
/// use persevere::testing::skip_sleeps;
/// use persevere::wait::fixed;
///
/// let _skip = skip_sleeps(); // the waits are recorded, not slept
/// let mut left = 2;
/// let (outcome, report) = Policy::new()
///     .stop(attempts(5))
///     .wait(fixed(Duration::from_millis(1)))
///     .call_reported(|| if left > 0 { left -= 1; Err("busy") } else { Ok(7) });
/// assert_eq!(outcome, Ok(7));
/// assert_eq!(report.attempts(), 3);
/// assert_eq!(report.retries(), 2);
/// assert_eq!(report.ending(), Ending::Succeeded);
/// assert_eq!(report.waits(), Some(vec![Duration::from_millis(1); 2]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub(crate) function: Name,
    pub(crate) attempts: u32,
    /// Attempts started beside a slow one (see [`crate::hedge`]); included in `attempts`.
    pub(crate) hedges: u32,
    /// The retrying call this one was nested in (see [`crate::nested`]).
    pub(crate) nested_in: Option<Name>,
    pub(crate) slept: Duration,
    pub(crate) elapsed: Duration,
    pub(crate) ending: Ending,
    pub(crate) history: History,
    /// The wait a server asked for and `server_hint()` refused as above its `max`.
    pub(crate) refused_wait: Option<Duration>,
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
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::{OutcomeKind, Policy};
/// use persevere::testing::skip_sleeps;
/// use persevere::wait::fixed;
///
/// let _skip = skip_sleeps();
/// let policy = Policy::new().wait(fixed(Duration::from_millis(1)));
/// let (_, report) = policy.call_reported(|| Err::<(), _>("down"));
/// let first = report.history().unwrap()[0];
/// assert_eq!((first.outcome, first.wait), (OutcomeKind::Err, Some(Duration::from_millis(1))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Attempted {
    /// How the attempt ended.
    pub outcome: OutcomeKind,
    /// The sleep that followed it, if the call retried.
    pub wait: Option<Duration>,
}

impl Attempted {
    /// An attempt that ended with `outcome`, followed by `wait` (for building reports in tests).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{Attempted, OutcomeKind};
    ///
    /// let last = Attempted::new(OutcomeKind::TimedOut, None);
    /// assert_eq!(last.outcome, OutcomeKind::TimedOut);
    /// ```
    pub const fn new(outcome: OutcomeKind, wait: Option<Duration>) -> Self {
        Attempted { outcome, wait }
    }
}

/// How an attempt ended, without its value.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::{OutcomeKind, Policy};
/// use persevere::stop::attempts;
/// use persevere::wait::none;
///
/// let mut calls = 0;
/// let (_, report) = Policy::new().stop(attempts(3)).wait(none()).call_reported(|| {
///     calls += 1;
///     if calls < 2 { Err("busy") } else { Ok(()) }
/// });
/// assert_eq!(report.outcomes(), Some(vec![OutcomeKind::Err, OutcomeKind::Ok]));
/// ```
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

    /// `ok`, `err` or `timed_out`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::OutcomeKind;
    ///
    /// assert_eq!(OutcomeKind::TimedOut.as_str(), "timed_out");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Ok => "ok",
            OutcomeKind::Err => "err",
            OutcomeKind::TimedOut => "timed_out",
        }
    }
}

impl Report {
    /// The report of a first-time success.
    pub(crate) fn first_time<T, E>(
        function: Name,
        outcome: &Result<T, E>,
        elapsed: Duration,
    ) -> Self {
        Report {
            function,
            attempts: 1,
            hedges: 0,
            nested_in: None,
            slept: Duration::ZERO,
            elapsed,
            ending: Ending::Succeeded,
            history: History::One(Attempted {
                outcome: OutcomeKind::of(outcome, false),
                wait: None,
            }),
            refused_wait: None,
        }
    }

    /// A report of a call of `function` that ended for `ending` after one attempt, for testing
    /// your own hooks (see [`RetryState::with_report`](crate::RetryState::with_report)); the
    /// setters below fill in the rest.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{Attempted, Ending, OutcomeKind, Report};
    ///
    /// let report = Report::new("billing::charge", Ending::Attempts)
    ///     .with_history(vec![
    ///         Attempted::new(OutcomeKind::Err, Some(Duration::from_secs(1))),
    ///         Attempted::new(OutcomeKind::Err, None),
    ///     ]);
    /// assert_eq!((report.attempts(), report.slept()), (2, Duration::from_secs(1)));
    /// ```
    pub fn new(function: impl Into<Name>, ending: Ending) -> Self {
        Report {
            function: function.into(),
            attempts: 1,
            hedges: 0,
            nested_in: None,
            slept: Duration::ZERO,
            elapsed: Duration::ZERO,
            ending,
            history: History::Unrecorded,
            refused_wait: None,
        }
    }

    /// Returns the report with `history` as its attempts: the attempt count and the time slept
    /// follow from it, and `elapsed` is at least the time slept.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{Attempted, Ending, OutcomeKind, Report};
    ///
    /// let report = Report::new("fetch", Ending::Succeeded).with_history(vec![
    ///     Attempted::new(OutcomeKind::Err, Some(Duration::from_secs(2))),
    ///     Attempted::new(OutcomeKind::Ok, None),
    /// ]);
    /// assert_eq!(report.attempts(), 2);
    /// assert_eq!(report.elapsed(), Duration::from_secs(2)); // at least what it slept
    /// ```
    pub fn with_history(mut self, history: Vec<Attempted>) -> Self {
        self.attempts = u32::try_from(history.len()).unwrap_or(u32::MAX).max(1);
        self.slept = history
            .iter()
            .filter_map(|attempt| attempt.wait)
            .fold(Duration::ZERO, Duration::saturating_add);
        self.elapsed = self.elapsed.max(self.slept);
        self.history = History::Each(history);
        self
    }

    /// Returns the report with `elapsed` as its running time (never less than the time slept).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{Ending, Report};
    ///
    /// let report = Report::new("fetch", Ending::Attempts).with_elapsed(Duration::from_millis(40));
    /// assert_eq!(report.elapsed(), Duration::from_millis(40));
    /// ```
    pub fn with_elapsed(mut self, elapsed: Duration) -> Self {
        self.elapsed = elapsed.max(self.slept);
        self
    }

    /// The retried function's name (see [`Name`]).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{Ending, Report};
    ///
    /// assert_eq!(Report::new("billing::charge", Ending::Succeeded).function(), "billing::charge");
    /// ```
    pub fn function(&self) -> Name {
        self.function
    }

    /// Attempts made (at least 1).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// let policy = Policy::new().stop(attempts(4)).wait(none());
    /// let (_, report) = policy.call_reported(|| Err::<(), _>("down"));
    /// assert_eq!(report.attempts(), 4);
    /// ```
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Hedges started: attempts started beside a slow one while it ran (see
    /// [`hedge`](crate::hedge)). They are counted in [`attempts`](Self::attempts) too, so the
    /// requests a call sent are its `attempts()`, and its retry rounds `attempts() - hedges()`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    ///
    /// // A sync call never hedges; see `Policy::hedge` for an async one that does.
    /// let (_, report) = Policy::new().call_reported(|| Ok::<_, ()>(1));
    /// assert_eq!(report.hedges(), 0);
    /// ```
    pub fn hedges(&self) -> u32 {
        self.hedges
    }

    /// The retrying call this one ran inside, if it was found nested (see
    /// [`nested`](crate::nested)): an inner call that failed while an outer call was retrying.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{Policy, stop::attempts, wait::none};
    ///
    /// let inner = Policy::new().named("client::get").stop(attempts(2)).wait(none());
    /// let outer = Policy::new().named("service::handle").stop(attempts(2)).wait(none());
    /// let mut seen = Vec::new();
    /// let _ = outer.call(|| {
    ///     let (outcome, report) = inner.call_reported(|| Err::<(), _>("down"));
    ///     seen.push(report.nested_in().map(|outer| outer.to_string()));
    ///     outcome
    /// });
    /// // The outer call's first attempt is not a retry; its second is.
    /// assert_eq!(seen, [None, Some("service::handle".to_owned())]);
    /// ```
    pub fn nested_in(&self) -> Option<Name> {
        self.nested_in
    }

    /// Retries made: attempts after the first, hedges left out. A sleep after which the deadline
    /// had passed, so that no attempt followed, counts in [`slept`](Self::slept) and [`waits`](Self::waits) but
    /// is not a retry.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// let policy = Policy::new().stop(attempts(4)).wait(none());
    /// let (_, report) = policy.call_reported(|| Err::<(), _>("down"));
    /// assert_eq!(report.retries(), 3);
    /// ```
    pub fn retries(&self) -> u32 {
        self.attempts.saturating_sub(1).saturating_sub(self.hedges)
    }

    /// Time slept between attempts, as asked (a sleep skipped in a test counts in full).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::Policy;
    /// use persevere::testing::skip_sleeps;
    /// use persevere::wait::fixed;
    ///
    /// let _skip = skip_sleeps();
    /// let policy = Policy::new().wait(fixed(Duration::from_secs(30)));
    /// let (_, report) = policy.call_reported(|| Err::<(), _>("down")); // returns at once
    /// assert_eq!(report.slept(), Duration::from_secs(60));
    /// ```
    pub fn slept(&self) -> Duration {
        self.slept
    }

    /// Time from the call's start to its end, never less than [`slept`](Self::slept). Measured
    /// from the start when the policy reads the clock from the start anyway (a time-based stop,
    /// a `before`, `after` or `before_sleep` hook, a time limit) and for
    /// [`Policy::call_reported`](crate::Policy::call_reported); otherwise the clock starts at the
    /// first failure, so this leaves out the first attempt's time.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::Policy;
    /// use persevere::sleep::RecordingSleeper;
    /// use persevere::wait::fixed;
    ///
    /// let sleeper = RecordingSleeper::new(); // its clock moves by each sleep
    /// let policy = Policy::new().wait(fixed(Duration::from_secs(1))).sleeper(sleeper.clone());
    /// let (_, report) = policy.call_reported(|| {
    ///     sleeper.advance(Duration::from_secs(2)); // each attempt takes 2 s
    ///     Err::<(), _>("slow")
    /// });
    /// assert_eq!(report.elapsed(), Duration::from_secs(8)); // 3 attempts and 2 sleeps
    /// ```
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Why the call ended.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{Ending, Policy};
    ///
    /// let policy = Policy::new().retry_if(|e: &&str| *e == "busy");
    /// let (_, report) = policy.call_reported(|| Err::<(), _>("not found"));
    /// assert_eq!(report.ending(), Ending::NotRetryable);
    /// assert!(!report.ending().gave_up());
    /// ```
    pub fn ending(&self) -> Ending {
        self.ending
    }

    /// The wait a server asked for that `server_hint()` refused as longer than its `max`, when the
    /// call ended for that ([`Ending::HintAboveCap`]): the caller can reschedule the work for
    /// then instead of losing what the server said. `on_give_up` sees it too, as
    /// [`RetryState::upcoming_sleep`](crate::RetryState::upcoming_sleep).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::hint::ServerHint;
    /// use persevere::wait::server_hint;
    /// use persevere::{Ending, Policy};
    ///
    /// #[derive(Debug)]
    /// struct Busy;
    /// impl ServerHint for Busy {
    ///     fn retry_after(&self) -> Option<Duration> { Some(Duration::from_secs(3600)) }
    /// }
    ///
    /// let (outcome, report) = Policy::new()
    ///     .wait(server_hint().max(Duration::from_secs(60)))
    ///     .call_reported(|| Err::<(), _>(Busy));
    /// assert!(outcome.is_err());
    /// assert_eq!(report.ending(), Ending::HintAboveCap);
    /// assert_eq!(report.refused_wait(), Some(Duration::from_secs(3600)));
    /// ```
    pub fn refused_wait(&self) -> Option<Duration> {
        self.refused_wait
    }

    /// Returns the report with `wait` as the refused wait (see [`refused_wait`](Self::refused_wait)).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{Ending, Report};
    ///
    /// let report = Report::new("fetch", Ending::HintAboveCap)
    ///     .with_refused_wait(Duration::from_secs(600));
    /// assert_eq!(report.refused_wait(), Some(Duration::from_secs(600)));
    /// ```
    pub fn with_refused_wait(mut self, wait: Duration) -> Self {
        self.refused_wait = Some(wait);
        self
    }

    /// Each attempt, in order: its outcome's kind and the wait that followed. Recorded when
    /// something will read it: [`Policy::call_reported`](crate::Policy::call_reported), an
    /// `on_finish` hook or a [`testing::record`](crate::testing::record) scope; `None` otherwise
    /// (so a call nobody reports on allocates nothing for it; with the `metrics` feature, the
    /// first failing call of each function allocates its metrics' labels once).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{Attempted, OutcomeKind, Policy};
    /// use persevere::testing::skip_sleeps;
    /// use persevere::wait::fixed;
    ///
    /// let _skip = skip_sleeps();
    /// let policy = Policy::new().wait(fixed(Duration::from_millis(5)));
    /// let (_, report) = policy.call_reported(|| Err::<(), _>("down"));
    /// let wait = Some(Duration::from_millis(5));
    /// let err = |wait| Attempted::new(OutcomeKind::Err, wait);
    /// assert_eq!(report.history(), Some(&[err(wait), err(wait), err(None)][..]));
    /// ```
    pub fn history(&self) -> Option<&[Attempted]> {
        match &self.history {
            History::Unrecorded => None,
            History::One(attempt) => Some(std::slice::from_ref(attempt)),
            History::Each(attempts) => Some(attempts),
        }
    }

    /// Each attempt's outcome kind, in order, where recorded (see [`history`](Self::history)).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{OutcomeKind, Policy};
    /// use persevere::wait::none;
    ///
    /// let (_, report) = Policy::new().wait(none()).call_reported(|| Err::<(), _>("down"));
    /// assert_eq!(report.outcomes(), Some(vec![OutcomeKind::Err; 3]));
    /// ```
    pub fn outcomes(&self) -> Option<Vec<OutcomeKind>> {
        self.history()
            .map(|history| history.iter().map(|attempt| attempt.outcome).collect())
    }

    /// The waits between attempts, in order, where recorded (see [`history`](Self::history)).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::Policy;
    /// use persevere::testing::skip_sleeps;
    /// use persevere::wait::exponential;
    ///
    /// let _skip = skip_sleeps();
    /// let policy = Policy::new().wait(exponential().multiplier(Duration::from_millis(1)));
    /// let (_, report) = policy.call_reported(|| Err::<(), _>("down"));
    /// assert_eq!(report.waits(), Some(vec![Duration::from_millis(1), Duration::from_millis(2)]));
    /// ```
    pub fn waits(&self) -> Option<Vec<Duration>> {
        self.history()
            .map(|history| history.iter().filter_map(|attempt| attempt.wait).collect())
    }
}

impl std::fmt::Display for Report {
    /// `billing::charge: 3 attempts, slept 300ms, ran 312ms, ended: succeeded`, then `, refused a
    /// wait of 3600s` when a server's hint was refused.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} attempt{}, slept {:?}, ran {:?}, ended: {}",
            self.function,
            self.attempts,
            if self.attempts == 1 { "" } else { "s" },
            self.slept,
            self.elapsed,
            self.ending,
        )?;
        if let Some(wait) = self.refused_wait {
            write!(f, ", refused a wait of {wait:?}")?;
        }
        Ok(())
    }
}
