//! The per-call retry state and the decision made after each attempt: the engine under both the
//! `#[retry]` attribute and [`Policy::call`](crate::Policy::call). Most code never needs it; it is
//! public for drivers of other shapes (a stream, a callback API) that want the same semantics.
//!
//! Both drive a [`Call`]:
//!
//! ```text
//! let start = start(timed, now);                  // reads the clock only if timed
//! loop {
//!     if let Some(last) = call.resume(kept, &rules, now) { return last; } // a sleep overran the deadline
//!     call.before(&rules, now);
//!     if let Some(last) = call.resume(kept, &rules, now) { return last; } // `before` took time too
//!     call.begin_attempt();
//!     let outcome = attempt();
//!     if outcome.is_ok() { return outcome; }       // the happy path ends here
//!     match call.settle(outcome, &rules, now) {    // condition, `after`, wait, stop, `before_sleep`
//!         Step::Return(outcome) => return outcome,
//!         Step::Sleep(wait, last) => { kept = Some(last); sleep_sync(&sleeper, wait) }
//!     }
//! }
//! ```
//!
//! Time as strategies and hooks see it never runs behind the sleeps: `elapsed` is the larger of
//! the clock's reading and the time the call has asked to sleep, so a sleeper that returns at once
//! (or [`testing::skip_sleeps`]) still ends `elapsed(..)` and `deadline(..)` stops on schedule. A
//! wait that `skip_sleeps` skipped is added to the clock's reading, so attempts that take time keep
//! their planned schedule.

use std::marker::PhantomData;
use std::time::{Duration, Instant};

use crate::breaker::{BreakerOpen, CircuitBreaker};
use crate::hook::Moment;
use crate::nested::{Mark, Nested, Outer};
use crate::outcome::Outcome;
use crate::report::{History, OutcomeKind, Report};
use crate::sleep::{AsyncSleeper, SyncSleeper};
use crate::state::Ending;
use crate::timeout::Limits;
use crate::watch::Watch;
use crate::{Name, Policy, RetryState, metrics, testing};

pub use crate::name::Naming;
pub use crate::state::Memory;

/// Everything a call consults between attempts. Implemented by [`Policy`] for the
/// `T` and `E` its parts accept.
///
/// [`Call`] asks these questions in tenacity's order, so a driver rarely calls them itself; they
/// are shown here on a policy for reference:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::engine::Rules;
/// use persevere::stop::attempts;
/// use persevere::{Policy, RetryState};
///
/// let policy = Policy::new().stop(attempts(2)).retry_if(|e: &&str| *e == "busy");
/// let failed: Result<(), &str> = Err("busy");
/// assert!(policy.retries(&failed));
/// assert!(policy.should_stop(&RetryState::new(2).with_outcome(&failed)));
/// ```
pub trait Rules<T, E> {
    /// Whether to retry this outcome (`retry_if` or `retry_if_ok`).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// let policy = Policy::new().retry_if_ok(|rows: &Vec<u32>| rows.is_empty());
    /// assert!(policy.retries(&Ok::<_, &str>(vec![])));
    /// assert!(policy.retries(&Err::<Vec<u32>, _>("down"))); // any error, by default
    /// assert!(!policy.retries(&Ok::<_, &str>(vec![1])));
    /// ```
    fn retries(&self, outcome: &Result<T, E>) -> bool;
    /// The wait after a failed attempt.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::engine::Rules;
    /// use persevere::wait::fixed;
    /// use persevere::{Policy, RetryState};
    ///
    /// let policy = Policy::new().wait(fixed(Duration::from_secs(2)));
    /// let state = RetryState::<(), &str>::new(1);
    /// assert_eq!(policy.next_wait(&state), Duration::from_secs(2));
    /// ```
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration;
    /// Whether to give up instead of waiting.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::stop::attempts;
    /// use persevere::{Policy, RetryState};
    ///
    /// let policy = Policy::new().stop(attempts(3));
    /// assert!(!policy.should_stop(&RetryState::<(), &str>::new(2)));
    /// assert!(policy.should_stop(&RetryState::<(), &str>::new(3)));
    /// ```
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool;
    /// Whether to give up instead of waiting, and why (see
    /// [`Stop::stop_reason`](crate::stop::Stop::stop_reason)); the call asks this, once per
    /// decision, rather than `should_stop`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::stop::retries;
    /// use persevere::{Ending, Policy, RetryState};
    ///
    /// let policy = Policy::new().stop(retries(1));
    /// let state = RetryState::<(), &str>::new(2);
    /// assert_eq!(policy.stop_reason(&state), Some(Ending::Attempts));
    /// ```
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<Ending> {
        self.should_stop(state).then_some(Ending::Stop)
    }
    /// The time after the call's start past which no attempt may begin, if there is one, and
    /// what ending it gives: the stop's deadline ([`Ending::Deadline`]) or the total time limit
    /// ([`Ending::Timeout`]), whichever comes first.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::engine::Rules;
    /// use persevere::stop::deadline;
    /// use persevere::{Ending, Policy, Timeout};
    ///
    /// let secs = Duration::from_secs;
    /// let policy = Policy::new().stop(deadline(secs(30))).total_timeout(secs(10));
    /// // The total time limit comes first (its error type must receive a `Timeout`).
    /// assert_eq!(Rules::<(), Timeout>::deadline(&policy), Some((secs(10), Ending::Timeout)));
    /// ```
    fn deadline(&self) -> Option<(Duration, Ending)>;
    /// Whether a call that fails opens a tracing span. Default: no.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// assert!(!Rules::<(), &str>::traced(&Policy::new()));
    /// assert!(Rules::<(), &str>::traced(&Policy::new().span(true)));
    /// ```
    fn traced(&self) -> bool {
        false
    }
    /// Whether the stop says the call should end before another attempt (a shutdown).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::cancel::Shutdown;
    /// use persevere::engine::Rules;
    /// use persevere::stop::{attempts, cancelled};
    /// use persevere::Policy;
    ///
    /// let shutdown = Shutdown::new();
    /// let policy = Policy::new().stop(attempts(5) | cancelled(&shutdown));
    /// assert!(!Rules::<(), &str>::cancelled(&policy));
    /// shutdown.cancel();
    /// assert!(Rules::<(), &str>::cancelled(&policy));
    /// ```
    fn cancelled(&self) -> bool;
    /// Whether the stop can be cancelled from outside, so the call checks after each sleep.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::cancel::Shutdown;
    /// use persevere::engine::Rules;
    /// use persevere::stop::{attempts, cancelled};
    /// use persevere::Policy;
    ///
    /// fn cancellable<P: Rules<(), &'static str>>(_: &P) -> bool {
    ///     P::cancellable()
    /// }
    ///
    /// let shutdown = Shutdown::new();
    /// assert!(cancellable(&Policy::new().stop(attempts(5) | cancelled(&shutdown))));
    /// assert!(!cancellable(&Policy::new()));
    /// ```
    fn cancellable() -> bool;
    /// Spends a retry from the budget, if there is one; `false` when it is empty.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// static BUDGET: RetryBudget = RetryBudget::with_reserve(1, 10);
    /// let policy = Policy::new().budget(&BUDGET);
    /// assert!(Rules::<(), &str>::spend_retry(&policy));
    /// assert!(!Rules::<(), &str>::spend_retry(&policy));
    /// assert!(Rules::<(), &str>::spend_retry(&Policy::new())); // no budget: always
    /// ```
    fn spend_retry(&self) -> bool;
    /// Refunds a success's share to the budget, if there is one.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// static BUDGET: RetryBudget = RetryBudget::tokens(10, 1, 1, 1);
    /// let policy = Policy::new().budget(&BUDGET);
    /// assert!(Rules::<(), &str>::spend_retry(&policy));
    /// Rules::<(), &str>::refund(&policy);
    /// assert_eq!(BUDGET.tokens_left(), 10);
    /// ```
    fn refund(&self);
    /// Refunds a success that came after retries, whose last retry followed an attempt cut by
    /// its time limit (`timed_out`) or one that failed otherwise (see
    /// [`RetryBudget::refund_after_retry`](crate::budget::RetryBudget::refund_after_retry)).
    /// Default: [`refund`](Rules::refund).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// static BUDGET: RetryBudget = RetryBudget::tokens(20, 2, 5, 1);
    /// let policy = Policy::new().budget(&BUDGET);
    /// assert!(Rules::<(), &str>::spend_retry_after(&policy, true));
    /// Rules::<(), &str>::refund_after_retry(&policy, true);
    /// assert_eq!(BUDGET.tokens_left(), 20);
    /// ```
    fn refund_after_retry(&self, timed_out: bool) {
        let _ = timed_out;
        self.refund()
    }
    /// Gives back a retry spent for a sleep that never happened. Default: nothing.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// static BUDGET: RetryBudget = RetryBudget::with_reserve(2, 10);
    /// let policy = Policy::new().budget(&BUDGET);
    /// assert!(Rules::<(), &str>::spend_retry(&policy));
    /// Rules::<(), &str>::give_back_retry(&policy);
    /// assert_eq!(BUDGET.retries_left(), 2);
    /// ```
    fn give_back_retry(&self) {}
    /// Spends a retry after an attempt its time limit cut (`timed_out`) or that failed
    /// otherwise, at that kind's cost (see
    /// [`RetryBudget::tokens`](crate::budget::RetryBudget::tokens)). Default:
    /// [`spend_retry`](Rules::spend_retry).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// static BUDGET: RetryBudget = RetryBudget::tokens(20, 2, 5, 1);
    /// let policy = Policy::new().budget(&BUDGET);
    /// assert!(Rules::<(), &str>::spend_retry_after(&policy, true));
    /// assert_eq!(BUDGET.tokens_left(), 15); // a timeout's cost
    /// ```
    fn spend_retry_after(&self, timed_out: bool) -> bool {
        let _ = timed_out;
        self.spend_retry()
    }
    /// Gives back what [`spend_retry_after`](Rules::spend_retry_after) took. Default:
    /// [`give_back_retry`](Rules::give_back_retry).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// static BUDGET: RetryBudget = RetryBudget::tokens(20, 2, 5, 1);
    /// let policy = Policy::new().budget(&BUDGET);
    /// assert!(Rules::<(), &str>::spend_retry_after(&policy, true));
    /// Rules::<(), &str>::give_back_retry_after(&policy, true);
    /// assert_eq!(BUDGET.tokens_left(), 20);
    /// ```
    fn give_back_retry_after(&self, timed_out: bool) {
        let _ = timed_out;
        self.give_back_retry()
    }
    /// The circuit breaker the calls consult, if there is one. Default: none.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::breaker::{BreakerOpen, CircuitBreaker};
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// static UPSTREAM: CircuitBreaker = CircuitBreaker::new();
    /// assert!(Rules::<(), BreakerOpen>::breaker(&Policy::new().breaker(&UPSTREAM)).is_some());
    /// assert!(Rules::<(), BreakerOpen>::breaker(&Policy::new()).is_none());
    /// ```
    fn breaker(&self) -> Option<&CircuitBreaker> {
        None
    }
    /// The error a call returns when its breaker refuses it (`None` without a breaker). Default:
    /// none.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::breaker::{BreakerOpen, CircuitBreaker};
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// #[derive(Debug, PartialEq)]
    /// enum Error { Down, Open }
    /// impl From<BreakerOpen> for Error {
    ///     fn from(_: BreakerOpen) -> Self { Error::Open }
    /// }
    ///
    /// static UPSTREAM: CircuitBreaker = CircuitBreaker::new();
    /// let open = BreakerOpen::new(Duration::from_secs(5));
    /// let policy = Policy::new().breaker(&UPSTREAM);
    /// assert_eq!(Rules::<(), Error>::refusal(&policy, open), Some(Error::Open));
    /// assert_eq!(Rules::<(), Error>::refusal(&Policy::new(), open), None);
    /// ```
    fn refusal(&self, open: BreakerOpen) -> Option<E> {
        let _ = open;
        None
    }
    /// Whether the policy has a budget.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::budget::RetryBudget;
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// fn has_budget<P: Rules<(), &'static str>>(_: &P) -> bool {
    ///     P::has_budget()
    /// }
    ///
    /// static BUDGET: RetryBudget = RetryBudget::new();
    /// assert!(has_budget(&Policy::new().budget(&BUDGET)));
    /// assert!(!has_budget(&Policy::new()));
    /// ```
    fn has_budget() -> bool;
    /// What the call does when it is nested in a retrying call (see [`crate::nested`]).
    /// Default: the process-wide default.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::nested::Nested;
    /// use persevere::Policy;
    ///
    /// let policy = Policy::new().nested(Nested::Once);
    /// assert_eq!(Rules::<(), &str>::nested(&policy), Nested::Once);
    /// ```
    fn nested(&self) -> Nested {
        crate::nested::default()
    }
    /// How many memory slots the wait's strategies keep their histories in (see
    /// [`Wait::memory_slots`](crate::wait::Wait::memory_slots)). A call keeps
    /// [`Memory::SLOTS`](crate::engine::Memory::SLOTS) of them, and logs a warning before its
    /// first sleep when the wait needs more. Default: 0.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::wait::{decorrelated_jitter, fixed};
    /// use persevere::Policy;
    ///
    /// let two = Policy::new().wait(decorrelated_jitter() + decorrelated_jitter());
    /// assert_eq!(Rules::<(), &str>::memory_slots(&two), 2);
    /// ```
    fn memory_slots(&self) -> usize {
        0
    }
    /// The most attempts the stop allows, when it is a count (see
    /// [`Stop::attempt_limit`](crate::stop::Stop::attempt_limit)). Default: `None`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::engine::Rules;
    /// use persevere::stop::{attempts, elapsed};
    /// use persevere::Policy;
    ///
    /// assert_eq!(Rules::<(), &str>::attempt_limit(&Policy::new().stop(attempts(4))), Some(4));
    /// let timed = Policy::new().stop(elapsed(Duration::from_secs(30)));
    /// assert_eq!(Rules::<(), &str>::attempt_limit(&timed), None);
    /// ```
    fn attempt_limit(&self) -> Option<u32> {
        None
    }
    /// Runs the hook for `moment`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::cell::Cell;
    /// use persevere::engine::Rules;
    /// use persevere::hook::Moment;
    /// use persevere::{Policy, RetryState};
    ///
    /// let failures = Cell::new(0);
    /// let count = |_: &RetryState<'_, (), &str>| failures.set(failures.get() + 1);
    /// let policy = Policy::new().after(count);
    /// policy.hook(Moment::After, &RetryState::new(1));
    /// policy.hook(Moment::Before, &RetryState::new(1)); // no `before` hook: nothing runs
    /// assert_eq!(failures.get(), 1);
    /// ```
    fn hook(&self, moment: Moment, state: &RetryState<'_, T, E>);
    /// The call's return value on giving up.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::{Policy, RetryState};
    ///
    /// // A fallback value.
    /// let fallback = |last: Result<u32, &str>, _: &RetryState<'_, u32, &str>| last.or(Ok(0));
    /// let policy = Policy::new().on_give_up(fallback);
    /// assert_eq!(policy.give_up(Err("down"), &RetryState::new(3)), Ok(0));
    /// ```
    fn give_up(&self, last: Result<T, E>, state: &RetryState<'_, T, E>) -> Result<T, E>;

    /// Whether giving up returns the last outcome as it is (no `on_give_up`). Default: no.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::{Policy, RetryState};
    ///
    /// fn as_is<P: Rules<u32, &'static str>>(_: &P) -> bool {
    ///     P::gives_up_as_is()
    /// }
    ///
    /// assert!(as_is(&Policy::new()));
    /// let fallback = |_: Result<u32, &str>, _: &RetryState<'_, u32, &str>| Ok(0);
    /// assert!(!as_is(&Policy::new().on_give_up(fallback)));
    /// ```
    fn gives_up_as_is() -> bool {
        false
    }

    /// Whether any part can retry an `Ok` outcome.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::Policy;
    ///
    /// fn retries_ok<P: Rules<u32, &'static str>>(_: &P) -> bool {
    ///     P::retries_ok()
    /// }
    ///
    /// assert!(!retries_ok(&Policy::new())); // a success returns at once
    /// assert!(retries_ok(&Policy::new().retry_if_ok(|n: &u32| *n == 0)));
    /// ```
    fn retries_ok() -> bool;
    /// Whether any part reads the elapsed time.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::engine::Rules;
    /// use persevere::stop::{attempts, elapsed};
    /// use persevere::wait::none;
    /// use persevere::Policy;
    ///
    /// fn needs_clock<P: Rules<(), &'static str>>(_: &P) -> bool {
    ///     P::needs_clock()
    /// }
    ///
    /// assert!(!needs_clock(&Policy::new().stop(attempts(3)).wait(none())));
    /// assert!(needs_clock(&Policy::new().stop(elapsed(Duration::from_secs(30))).wait(none())));
    /// ```
    fn needs_clock() -> bool;
    /// Whether a hook is set for `moment`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::hook::Moment;
    /// use persevere::{Policy, RetryState};
    ///
    /// fn has_hook<P: Rules<(), &'static str>>(_: &P, moment: Moment) -> bool {
    ///     P::has_hook(moment)
    /// }
    ///
    /// let policy = Policy::new().before_sleep(|_: &RetryState<'_, (), &str>| {});
    /// assert!(has_hook(&policy, Moment::BeforeSleep));
    /// assert!(!has_hook(&policy, Moment::Before));
    /// ```
    fn has_hook(moment: Moment) -> bool;

    /// The same answers, asked of this value rather than of its type. The type's answers say
    /// what the policy *may* need; a value can say less. They differ only for parts whose type
    /// hides what they hold (a [type-erased policy](crate::DynPolicy)'s), which keep their
    /// answers beside them; the call asks the value wherever it has one, so such a policy reads
    /// no clock and runs no empty hook that its parts do not need. Default: the type's answers.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    /// use persevere::{DynPolicy, Policy};
    ///
    /// // A boxed policy's type hides its parts; its value still knows they read no clock.
    /// let boxed: DynPolicy<(), &str> = Policy::new().stop(attempts(3)).wait(none()).boxed();
    /// assert!(!boxed.answers().needs_clock);
    /// ```
    fn answers(&self) -> Answers
    where
        Self: Sized,
    {
        Answers::of::<T, E, Self>()
    }
}

/// What a policy needs of a call: a clock, hooks, a budget, a report. See [`Rules::answers`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::engine::Rules;
/// use persevere::stop::attempts;
/// use persevere::wait::none;
/// use persevere::Policy;
///
/// let policy = Policy::new().stop(attempts(3)).wait(none());
/// let answers = Rules::<(), &str>::answers(&policy);
/// assert!(!answers.needs_clock); // counts attempts, waits nothing: no clock to read
/// assert!(!answers.has_budget);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answers {
    /// Whether any part can retry an `Ok` outcome.
    pub retries_ok: bool,
    /// Whether any part reads the elapsed time.
    pub needs_clock: bool,
    /// Whether the stop can be cancelled from outside.
    pub cancellable: bool,
    /// Whether the policy has a budget.
    pub has_budget: bool,
    /// Whether giving up returns the last outcome as it is.
    pub gives_up_as_is: bool,
    /// Whether a `before`, `after`, `before_sleep` and `on_finish` hook is set, in that order.
    pub hooks: [bool; 4],
}

impl Answers {
    /// The answers of the type `P`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::engine::{Answers, Rules};
    /// use persevere::stop::elapsed;
    /// use persevere::Policy;
    ///
    /// fn answers<P: Rules<(), String>>(_: &P) -> Answers {
    ///     Answers::of::<(), String, P>()
    /// }
    ///
    /// assert!(answers(&Policy::new().stop(elapsed(Duration::from_secs(30)))).needs_clock);
    /// ```
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn of<T, E, P: Rules<T, E>>() -> Answers {
        Answers {
            retries_ok: P::retries_ok(),
            needs_clock: P::needs_clock(),
            cancellable: P::cancellable(),
            has_budget: P::has_budget(),
            gives_up_as_is: P::gives_up_as_is(),
            hooks: [
                P::has_hook(Moment::Before),
                P::has_hook(Moment::After),
                P::has_hook(Moment::BeforeSleep),
                P::has_hook(Moment::Finish),
            ],
        }
    }

    /// Whether a hook is set for `moment`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Rules;
    /// use persevere::hook::Moment;
    /// use persevere::{Policy, RetryState};
    ///
    /// let policy = Policy::new().before(|_: &RetryState<'_, (), &str>| {});
    /// let answers = Rules::<(), &str>::answers(&policy);
    /// assert!(answers.has_hook(Moment::Before));
    /// assert!(!answers.has_hook(Moment::After));
    /// ```
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn has_hook(&self, moment: Moment) -> bool {
        self.hooks[match moment {
            Moment::Before => 0,
            Moment::After => 1,
            Moment::BeforeSleep => 2,
            Moment::Finish => 3,
        }]
    }
}

/// What to do after an attempt.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::engine::{Call, Step};
/// use persevere::stop::attempts;
/// use persevere::wait::fixed;
/// use persevere::Policy;
///
/// let policy = Policy::new().stop(attempts(2)).wait(fixed(Duration::from_secs(1)));
/// let now = std::time::Instant::now;
/// let mut call = Call::new("fetch", None);
/// let step = call.settle(Err::<(), _>("busy"), &policy, now);
/// assert_eq!(step, Step::Sleep(Duration::from_secs(1), Err("busy")));
/// let step = call.settle(Err("busy"), &policy, now);
/// assert_eq!(step, Step::Return(Err("busy"))); // the second attempt was the last
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<R> {
    /// The call is over: return this.
    Return(R),
    /// Sleep this long, then make the next attempt. The outcome that is being retried comes back
    /// with it: keep it across the sleep and hand it to [`Call::resume`], which returns it if the
    /// sleep ran past the deadline.
    Sleep(Duration, R),
}

/// How a call ends, as [`Call::verdict`] writes it beside its answer: what [`Call::finish`] is
/// given.
pub(crate) struct End<E> {
    elapsed: Duration,
    upcoming: Option<Duration>,
    ending: Ending,
    /// The error of a breaker's refusal, returned in place of the outcome.
    refusal: Option<E>,
}

/// [`Call`]'s `previous_sleep` before any sleep. A sleep as long (584 years) is kept as a
/// nanosecond less.
const NO_SLEEP: u64 = u64::MAX;

/// A count of nanoseconds kept in a `u64`, which saturates at 584 years: there it stands for
/// more than that, `Duration::MAX`, so that a sum of sleeps past it is never read as less than
/// any limit.
#[inline]
fn beyond(nanos: u64) -> Duration {
    if nanos == u64::MAX {
        Duration::MAX
    } else {
        Duration::from_nanos(nanos)
    }
}

/// One retried call in progress: its attempt count, start time, sleeps and memory.
///
/// The attribute makes one only once an attempt fails, so there a first-time success never builds
/// one; [`Policy::call`](crate::Policy::call) makes one before its first attempt. The clock is
/// passed in where it is needed (`now`), so the call reads whichever clock its sleeper
/// keeps, and only when `start` says the call is timed.
///
/// A driver's loop, as [`Policy::call`](crate::Policy::call) runs it (a breaker's
/// [`admit`] aside):
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::engine::{self, Call, Step};
/// use persevere::sleep::{RecordingSleeper, SyncSleeper};
/// use persevere::stop::attempts;
/// use persevere::wait::fixed;
/// use persevere::Policy;
///
/// let policy = Policy::new().stop(attempts(4)).wait(fixed(Duration::from_secs(1)));
/// let sleeper = RecordingSleeper::new();
/// let now = || SyncSleeper::now(&sleeper);
/// let mut replies = [Err("busy"), Err("busy"), Ok(7)].into_iter();
///
/// let mut call = Call::new("fetch", engine::start(true, now));
/// let mut kept = None;
/// let outcome: Result<u32, &str> = loop {
///     if let Some(last) = call.resume(|| kept.take(), &policy, now) {
///         break last; // a deadline passed during the sleep, or a shutdown
///     }
///     call.before(&policy, now);
///     if let Some(last) = call.resume(|| kept.take(), &policy, now) {
///         break last; // `before` took the call past its deadline
///     }
///     call.begin_attempt();
///     kept = None;
///     match call.settle(replies.next().unwrap(), &policy, now) {
///         Step::Return(outcome) => break outcome,
///         Step::Sleep(wait, last) => {
///             kept = Some(last);
///             engine::sleep_sync(&sleeper, wait);
///         }
///     }
/// };
/// assert_eq!(outcome, Ok(7));
/// assert_eq!(call.attempt(), 3);
/// assert_eq!(sleeper.sleeps(), [Duration::from_secs(1); 2]);
/// ```
pub struct Call<R, N = Name> {
    /// The function, as the call names it (see [`Naming`]), and its layers of retries once it
    /// has failed (see [`crate::nested`]): what the calls inside its attempts see of it, lent to
    /// them by reference.
    mark: Mark<N>,
    start: Option<Instant>,
    attempt: u32,
    /// The time slept, in nanoseconds; `u64::MAX` once it passes 584 years, read as
    /// `Duration::MAX` (see [`beyond`]) so that time-based stops still see every sleep.
    slept: u64,
    /// Of that, the time `testing::skip_sleeps` skipped: the clock did not see it pass, and the
    /// call's time adds it, so that attempts that take time keep their planned schedule.
    skipped: u64,
    /// The last sleep, in nanoseconds (saturating), [`NO_SLEEP`] before the first: half the room
    /// of an `Option<Duration>` in every async call's future.
    previous_sleep: u64,
    /// Whether the sleep under way must be checked when it ends (see [`Call::resume`]): a
    /// deadline was in force, or the stop can be cancelled. The deadline is asked of the policy
    /// again then, rather than kept here, as every async call's future would hold it.
    checks: bool,
    /// Whether the attempt being settled was cancelled by its time limit.
    timed_out: bool,
    /// Whether the last retry followed an attempt cut by its time limit: what it cost a budget
    /// that gives it back on a success ([`Rules::refund_after_retry`]).
    retry_timed_out: bool,
    /// Whether the caller wants the report back ([`Call::reported`]).
    reported: bool,
    /// Attempts started beside a slow one (see [`crate::hedge`]), over the whole call.
    hedges: u32,
    memory: Memory,
    /// The attempt history and span, for a call something watches (boxed: most calls have none).
    watch: Option<Box<Watch>>,
    _outcome: PhantomData<fn() -> R>,
}

impl<R, N: Naming> std::fmt::Debug for Call<R, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("function", &self.mark.who.who().name().to_string())
            .field("attempt", &self.attempt)
            .field("slept", &beyond(self.slept))
            .finish_non_exhaustive()
    }
}

/// The start of a call: the clock's time if the call is timed, else `None` (and no clock is
/// read).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Instant;
/// use persevere::engine;
///
/// assert!(engine::start(true, Instant::now).is_some());
/// assert_eq!(engine::start(false, || unreachable!("not read")), None);
/// ```
#[inline]
pub fn start(timed: bool, now: impl FnOnce() -> Instant) -> Option<Instant> {
    if timed { Some(now()) } else { None }
}

/// Asks the policy's circuit breaker, if it has one, whether the attempt about to start may go
/// ahead: `Some` with the refusal and the error to return when it is open (hand both to
/// [`Call::refused`]). A policy without a breaker answers at once, reading no clock.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Instant;
/// use persevere::breaker::{BreakerOpen, CircuitBreaker};
/// use persevere::engine;
/// use persevere::Policy;
///
/// static UPSTREAM: CircuitBreaker = CircuitBreaker::new().consecutive_failures(1);
///
/// let policy = Policy::new().breaker(&UPSTREAM);
/// assert!(engine::admit::<(), BreakerOpen, _>(&policy, Instant::now).is_none());
/// UPSTREAM.failed(Instant::now);
/// let (open, error) = engine::admit::<(), BreakerOpen, _>(&policy, Instant::now).unwrap();
/// assert_eq!(open, error); // the error type here is the refusal itself
/// ```
#[inline]
pub fn admit<T, E, P: Rules<T, E>>(
    rules: &P,
    now: impl FnOnce() -> Instant,
) -> Option<(BreakerOpen, E)> {
    let open = rules.breaker()?.admit(now).err()?;
    Some((open, rules.refusal(open)?))
}

/// Sleeps by blocking, unless [`testing::skip_sleeps`] is in force.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::engine;
/// use persevere::sleep::RecordingSleeper;
/// use persevere::testing::skip_sleeps;
///
/// let sleeper = RecordingSleeper::new();
/// engine::sleep_sync(&sleeper, Duration::from_secs(2));
/// {
///     let _skip = skip_sleeps();
///     engine::sleep_sync(&sleeper, Duration::from_secs(5)); // skipped
/// }
/// assert_eq!(sleeper.sleeps(), [Duration::from_secs(2)]);
/// ```
pub fn sleep_sync<S: SyncSleeper>(sleeper: &S, wait: Duration) {
    if !testing::sleeps_skipped() {
        sleeper.sleep(wait);
    }
}

/// The sleep to await, unless [`testing::skip_sleeps`] is in force. Returns the sleeper's own
/// future, so the caller holds no borrow of the call across the await.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::engine;
/// use persevere::sleep::RecordingSleeper;
/// use persevere::testing::skip_sleeps;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let sleeper = RecordingSleeper::new();
/// if let Some(sleep) = engine::sleep_async(&sleeper, Duration::from_secs(2)) {
///     sleep.await;
/// }
/// let _skip = skip_sleeps();
/// assert!(engine::sleep_async(&sleeper, Duration::from_secs(5)).is_none());
/// assert_eq!(sleeper.sleeps(), [Duration::from_secs(2)]);
/// # }
/// ```
pub fn sleep_async<S: AsyncSleeper>(sleeper: &S, wait: Duration) -> Option<S::Sleeping> {
    if testing::sleeps_skipped() {
        None
    } else {
        Some(sleeper.sleep(wait))
    }
}

/// `sleeping`, a sleep between attempts of `call`, ended at what is left of the policy's
/// whole-call limit if it runs past it (a sleeper whose sleeps run long): the call asks for no
/// sleep ending past its limit, and returns at the limit whatever its sleeper does.
#[allow(clippy::type_complexity)]
pub(crate) fn cut_at_limit<R, Who, S, W, C, O, B, A, Z, G, L, U, X, N>(
    policy: &Policy<S, W, C, O, B, A, Z, G, L, U, X, N>,
    sleeping: L::Sleeping,
    call: &Call<R, Who>,
    now: impl FnOnce() -> Instant,
) -> <X as Limits<R::Err>>::Sleep<L::Sleeping>
where
    R: Outcome,
    Who: Naming,
    L: AsyncSleeper,
    X: Limits<R::Err>,
{
    policy.limits.sleep_within(sleeping, |total| {
        // By the clock alone: the call's `elapsed` already counts this sleep as slept.
        let gone = call.measured(now).unwrap_or(Duration::ZERO);
        policy.sleeper_ref().time_limit(total.saturating_sub(gone))
    })
}

impl<R, N> Call<R, N> {
    /// What the calls inside the attempt about to run see of this one: a retrying outer call
    /// from its second attempt on, else nothing (see [`crate::nested`]).
    #[inline]
    pub(crate) fn mark(&self) -> Option<&Mark<N>> {
        // Its layers are counted at its first retryable failure, so from then on every attempt
        // is a retry.
        (self.mark.depth > 0).then_some(&self.mark)
    }
}

impl<R: Outcome> Call<R> {
    /// A call of `function` that started at `start` (`None` when untimed), now on its first
    /// attempt.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::engine::Call;
    ///
    /// let call = Call::<Result<u32, String>>::new("fetch_user", Some(Instant::now()));
    /// assert_eq!(call.attempt(), 1);
    /// assert_eq!(call.slept(), Duration::ZERO);
    /// ```
    #[inline]
    pub fn new(function: impl Into<Name>, start: Option<Instant>) -> Self {
        Call::named(function.into(), start)
    }
}

impl<R: Outcome, N: Naming> Call<R, N> {
    /// [`new`](Call::new), for a call that names itself as `who` does.
    #[inline]
    pub(crate) fn named(who: N, start: Option<Instant>) -> Self {
        Call {
            mark: Mark {
                who,
                worst: 0,
                depth: 0,
            },
            start,
            attempt: 1,
            slept: 0,
            skipped: 0,
            previous_sleep: NO_SLEEP,
            checks: false,
            timed_out: false,
            retry_timed_out: false,
            reported: false,
            hedges: 0,
            memory: Memory::default(),
            watch: None,
            _outcome: PhantomData,
        }
    }

    /// Keeps the call's [`Report`], with each attempt recorded, for
    /// [`take_report`](Self::take_report) once the call has ended.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::{Call, Step};
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    /// use persevere::{Ending, Policy};
    ///
    /// let policy = Policy::new().stop(attempts(2)).wait(none());
    /// let now = std::time::Instant::now;
    /// let mut call = Call::new("fetch", None).reported();
    /// call.settle(Err::<(), _>("down"), &policy, now);
    /// call.settle(Err("down"), &policy, now);
    /// let report = call.take_report().unwrap();
    /// assert_eq!((report.attempts(), report.ending()), (2, Ending::Attempts));
    /// ```
    pub fn reported(mut self) -> Self {
        self.reported = true;
        self
    }

    /// The report of the call, once it has ended after at least one failed attempt, if
    /// [`reported`](Self::reported) asked for it.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Call;
    /// use persevere::Policy;
    ///
    /// let now = std::time::Instant::now;
    /// let mut call = Call::new("fetch", None).reported();
    /// call.settle(Ok::<_, &str>(1), &Policy::new(), now);
    /// assert!(call.take_report().is_none()); // a first-time success builds none
    /// ```
    pub fn take_report(&mut self) -> Option<Report> {
        self.watch.as_mut().and_then(|watch| watch.report.take())
    }

    /// Marks the attempt about to be settled as cancelled by its time limit, for the report.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Call;
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    /// use persevere::{OutcomeKind, Policy};
    ///
    /// let policy = Policy::new().stop(attempts(2)).wait(none());
    /// let now = std::time::Instant::now;
    /// let mut call = Call::new("fetch", None).reported();
    /// call.attempt_timed_out(); // the driver's timer won the race
    /// call.settle(Err::<(), _>("timed out"), &policy, now);
    /// call.settle(Err("refused"), &policy, now);
    /// let outcomes = call.take_report().unwrap().outcomes();
    /// assert_eq!(outcomes, Some(vec![OutcomeKind::TimedOut, OutcomeKind::Err]));
    /// ```
    pub fn attempt_timed_out(&mut self) {
        self.timed_out = true;
    }

    /// When the call started, if it is timed.
    pub(crate) fn started(&self) -> Option<Instant> {
        self.start
    }

    /// The name of the function called: made, under the attribute, each time it is read, which
    /// only the colder paths do.
    pub(crate) fn function(&self) -> Name {
        self.mark.who.who().name()
    }

    /// At the first failure: marks the call for the calls inside its next attempts, and checks
    /// whether it is itself nested in a retrying call; returns the ending if it must not retry.
    #[inline]
    fn nest<P: Rules<R::Ok, R::Err>>(&mut self, rules: &P) -> bool {
        let outer = crate::nested::outer();
        let most = rules.attempt_limit();
        let layers = crate::nested::layers(most, outer);
        (self.mark.worst, self.mark.depth) = (layers.worst, layers.depth);
        match outer {
            None => false,
            Some(outer) => self.nested_in(rules, most, outer),
        }
    }

    /// [`nest`](Self::nest) for a call that is nested in a retrying one: watched, so that its
    /// report can say so, and reported once per pair of functions.
    #[cold]
    #[inline(never)]
    fn nested_in<P: Rules<R::Ok, R::Err>>(
        &mut self,
        rules: &P,
        most: Option<u32>,
        outer: Outer,
    ) -> bool {
        // Kept beside the history: a nested call is watched, so its report can say so.
        self.watch
            .get_or_insert_with(|| Box::new(Watch::new(None, false)))
            .outer = Some(outer);
        let once = rules.nested() == Nested::Once;
        // A call that can make only one attempt does not retry inside the retry.
        if most != Some(1) {
            crate::nested::found(self.function(), most, outer, once);
        }
        once
    }

    /// A hedge started beside the attempt in flight: it counts in the report and the metrics.
    pub(crate) fn hedge_started(&mut self) {
        self.hedges = self.hedges.saturating_add(1);
        metrics::hedged(|| self.function());
    }

    /// An attempt of a hedged round failed, retryably, while another was still in flight: the
    /// report records it, a circuit breaker counts it (it was a request to the upstream), and
    /// the round goes on.
    pub(crate) fn hedge_failed<P: Rules<R::Ok, R::Err>>(
        &mut self,
        kind: OutcomeKind,
        rules: &P,
        now: impl Fn() -> Instant,
    ) {
        if let Some(breaker) = rules.breaker() {
            crate::breaker::events::record(breaker, || self.function(), self.attempt, true, &now);
        }
        if self.watch.is_none() {
            self.watch_from_here(rules, now);
        }
        if let Some(watch) = &mut self.watch {
            watch.attempt_ended::<R::Err>(self.attempt, kind, true);
        }
    }

    /// The 1-based number of the attempt about to run (or just run).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::Call;
    /// use persevere::Policy;
    ///
    /// let mut call = Call::new("fetch", None);
    /// assert_eq!(call.attempt(), 1);
    /// call.settle(Err::<(), _>("down"), &Policy::new(), std::time::Instant::now);
    /// assert_eq!(call.attempt(), 2); // settle asked for a sleep: the next attempt is the second
    /// ```
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The time limit of the attempt about to start: its own `timeout`, or what is left of the
    /// call's `total`, whichever is shorter. `None` without limits.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::engine::Call;
    ///
    /// let start = Instant::now();
    /// let call = Call::<Result<(), ()>>::new("fetch", Some(start));
    /// let secs = Duration::from_secs;
    /// // 8 s into a call with 10 s in all, an attempt gets 2 s, not its own 5.
    /// let limit = call.attempt_limit(Some(secs(5)), Some(secs(10)), || start + secs(8)).unwrap();
    /// assert_eq!((limit.limit(), limit.whole_call()), (secs(2), true));
    /// assert_eq!(call.attempt_limit(None, None, || start), None);
    /// ```
    pub fn attempt_limit(
        &self,
        timeout: Option<Duration>,
        total: Option<Duration>,
        now: impl FnOnce() -> Instant,
    ) -> Option<crate::Timeout> {
        // The clock is read only for a total limit.
        let left = total.map(|total| total.saturating_sub(self.elapsed(now)));
        crate::Timeout::for_attempt(timeout, left)
    }

    /// Whether the next attempt must be checked before it starts (see [`resume`](Self::resume)):
    /// against a deadline, or for a shutdown.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::engine::Call;
    /// use persevere::stop::deadline;
    /// use persevere::wait::none;
    /// use persevere::Policy;
    ///
    /// let policy = Policy::new().stop(deadline(Duration::from_secs(10))).wait(none());
    /// let mut call = Call::new("fetch", Some(Instant::now()));
    /// call.settle(Err::<(), _>("down"), &policy, Instant::now);
    /// assert!(call.checks_before_attempt()); // the deadline may have passed during the sleep
    /// call.begin_attempt();
    /// assert!(!call.checks_before_attempt());
    /// ```
    pub fn checks_before_attempt(&self) -> bool {
        self.checks
    }

    /// Time slept so far (as asked: a sleep that returned early still counts in full;
    /// `Duration::MAX` past 584 years).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::engine::Call;
    /// use persevere::wait::fixed;
    /// use persevere::Policy;
    ///
    /// let policy = Policy::new().wait(fixed(Duration::from_millis(300)));
    /// let mut call = Call::new("fetch", None);
    /// call.settle(Err::<(), _>("down"), &policy, Instant::now);
    /// call.settle(Err("down"), &policy, Instant::now);
    /// assert_eq!(call.slept(), Duration::from_millis(600));
    /// ```
    pub fn slept(&self) -> Duration {
        beyond(self.slept)
    }

    /// Time since the call started: the clock's reading for a timed call, and never less than
    /// the time slept.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::engine::Call;
    ///
    /// let start = Instant::now();
    /// let timed = Call::<Result<(), ()>>::new("fetch", Some(start));
    /// assert_eq!(timed.elapsed(|| start + Duration::from_secs(3)), Duration::from_secs(3));
    /// let untimed = Call::<Result<(), ()>>::new("fetch", None);
    /// assert_eq!(untimed.elapsed(|| unreachable!("not read")), Duration::ZERO);
    /// ```
    pub fn elapsed(&self, now: impl FnOnce() -> Instant) -> Duration {
        self.elapsed_from(self.measured(now))
    }

    /// The clock's part of [`elapsed`](Self::elapsed): the time since the start (with the
    /// sleeps [`testing::skip_sleeps`] skipped) for a timed call, `None` for an untimed one.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn measured(&self, now: impl FnOnce() -> Instant) -> Option<Duration> {
        self.start.map(|start| {
            now()
                .saturating_duration_since(start)
                .saturating_add(beyond(self.skipped))
        })
    }

    /// [`elapsed`](Self::elapsed), from what the clock `measured`: never less than the time
    /// slept, which is all an untimed call's time is.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn elapsed_from(&self, measured: Option<Duration>) -> Duration {
        let slept = self.slept();
        match measured {
            None => slept,
            Some(measured) => measured.max(slept),
        }
    }

    fn state<'a>(
        &'a self,
        outcome: Option<&'a Result<R::Ok, R::Err>>,
        elapsed: Duration,
    ) -> RetryState<'a, R::Ok, R::Err> {
        RetryState {
            who: self.mark.who.who(),
            attempt: self.attempt,
            elapsed,
            slept: self.slept(),
            upcoming_sleep: None,
            previous_sleep: (self.previous_sleep != NO_SLEEP)
                .then(|| Duration::from_nanos(self.previous_sleep)),
            outcome,
            memory: Some(&self.memory),
            slot: 0,
            ends: None,
            ending: None,
            report: None,
        }
    }

    /// At the first failure: watches the call if something will read its history or span.
    fn watch_if_wanted<P: Rules<R::Ok, R::Err>>(&mut self, rules: &P) {
        let span = rules
            .traced()
            .then(|| Watch::span(self.function()))
            .flatten();
        let detailed =
            self.reported || rules.answers().has_hook(Moment::Finish) || testing::recording();
        if span.is_some() || detailed {
            self.watch = Some(Box::new(Watch::new(span, detailed)));
        }
    }

    /// At the first failure: watches the call if something will read it, and times it from
    /// here if nothing timed it from its start (its report's `elapsed` then leaves out the first
    /// attempt).
    fn watch_from_here<P: Rules<R::Ok, R::Err>>(&mut self, rules: &P, now: impl Fn() -> Instant) {
        self.watch_if_wanted(rules);
        if self.watch.is_some() && self.start.is_none() {
            self.start = Some(now());
        }
    }

    /// Runs the `before` hook for the attempt about to start.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::cell::Cell;
    /// use persevere::engine::Call;
    /// use persevere::{Policy, RetryState};
    ///
    /// let announced = Cell::new(0);
    /// let announce = |state: &RetryState<'_, (), &str>| announced.set(state.attempt());
    /// let policy = Policy::new().before(announce);
    /// let call = Call::<Result<(), &str>>::new("fetch", None);
    /// call.before(&policy, std::time::Instant::now);
    /// assert_eq!(announced.get(), 1);
    /// ```
    #[inline]
    pub fn before<P: Rules<R::Ok, R::Err>>(&self, rules: &P, now: impl FnOnce() -> Instant) {
        if rules.answers().has_hook(Moment::Before) {
            rules.hook(Moment::Before, &self.state(None, self.elapsed(now)));
        }
    }

    /// Decides what follows an attempt, in tenacity's order: a final outcome returns unchanged;
    /// otherwise `after` runs, the wait is computed, the stop strategy sees it, and the call either
    /// gives up (no `before_sleep`) or runs `before_sleep` and asks for a sleep.
    ///
    /// The stop sees the time the `after` hook took, and a deadline is checked once more after
    /// `before_sleep`: a sleep that would end at or past it ends the call instead.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::engine::{Call, Step};
    /// use persevere::{Ending, Policy};
    ///
    /// // An error the condition does not retry ends the call at once.
    /// let policy = Policy::new().retry_if(|e: &&str| *e == "busy");
    /// let mut call = Call::new("fetch", None).reported();
    /// let step = call.settle(Err::<(), _>("not found"), &policy, std::time::Instant::now);
    /// assert_eq!(step, Step::Return(Err("not found")));
    /// assert_eq!(call.take_report().unwrap().ending(), Ending::NotRetryable);
    /// ```
    pub fn settle<P: Rules<R::Ok, R::Err>>(
        &mut self,
        outcome: R,
        rules: &P,
        now: impl Fn() -> Instant,
    ) -> Step<R> {
        let mut end = None;
        let verdict = self.verdict(&outcome, rules, now, &mut end);
        self.conclude(verdict, &mut end, outcome, rules)
    }

    /// What follows the attempt whose outcome this is ([`settle`](Self::settle)'s decision):
    /// the sleep before the next attempt, or `None` when the call ends, and then how in `end`
    /// for [`end`](Self::end). `end` is left empty where the outcome is returned as it is: a
    /// first-time success, or the ending of a plain call, which is finished here (see
    /// [`ends`](Self::ends)).
    ///
    /// The outcome is read by reference, and moves only once the decision is made, in
    /// [`conclude`](Self::conclude): a driver that keeps it where its attempt wrote it reads it
    /// here before it moves, rather than copying it whole while its fields are still being
    /// stored. The answer is small enough to come back in registers: one read back from memory,
    /// written field by field just before, would stall the same way.
    pub(crate) fn verdict<P: Rules<R::Ok, R::Err>>(
        &mut self,
        outcome: &R,
        rules: &P,
        now: impl Fn() -> Instant,
        end: &mut Option<End<R::Err>>,
    ) -> Option<Duration> {
        self.decide(outcome, rules, now, end, false)
    }

    /// Whether [`verdict_steady`](Self::verdict_steady) may decide for this call: one retrying
    /// past its first attempt, unwatched, whose attempt its time limit did not cut, under a
    /// policy with no `after` or `before_sleep` hook, no circuit breaker and no deadline (the
    /// policy's part of it is known where its type is).
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn steady<P: Rules<R::Ok, R::Err>>(&self, rules: &P) -> bool {
        let answers = rules.answers();
        !answers.has_hook(Moment::After)
            && !answers.has_hook(Moment::BeforeSleep)
            && rules.breaker().is_none()
            && rules.deadline().is_none()
            && self.attempt > 1
            && self.watch.is_none()
            && !self.timed_out
    }

    /// [`verdict`](Self::verdict) for a [`steady`](Self::steady) call, out of line and cold as
    /// [`verdict_cold`](Self::verdict_cold) is: the same decision, with what cannot apply to
    /// such a call (each part left out does nothing for it) left out, so it is a smaller
    /// function to run at every retry.
    #[cold]
    #[inline(never)]
    pub(crate) fn verdict_steady<P: Rules<R::Ok, R::Err>>(
        &mut self,
        outcome: &R,
        rules: &P,
        now: impl Fn() -> Instant,
        end: &mut Option<End<R::Err>>,
    ) -> Option<Duration> {
        debug_assert!(self.steady(rules));
        self.decide(outcome, rules, now, end, true)
    }

    /// The decision of [`verdict`](Self::verdict), and of
    /// [`verdict_steady`](Self::verdict_steady) where `steady` says the call is
    /// [`steady`](Self::steady): one body, which then leaves out what does nothing.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn decide<P: Rules<R::Ok, R::Err>>(
        &mut self,
        outcome: &R,
        rules: &P,
        now: impl Fn() -> Instant,
        end: &mut Option<End<R::Err>>,
        steady: bool,
    ) -> Option<Duration> {
        // Whether the attempt's time limit cut it (its kind is `TimedOut`); a steady call's was
        // not, and its flag is clear.
        let timed_out = !steady && std::mem::take(&mut self.timed_out);
        let retried = rules.retries(outcome.as_result());
        if !steady && let Some(breaker) = rules.breaker() {
            crate::breaker::events::record(
                breaker,
                || self.function(),
                self.attempt,
                retried,
                &now,
            );
        }
        if !steady && self.attempt == 1 {
            if !retried && outcome.as_result().is_ok() && self.hedges == 0 {
                // A first-time success (of a policy that could retry an `Ok`) ends here, as it
                // does without one: nothing watches it, and `on_finish` does not run.
                rules.refund();
                return None;
            }
            if self.watch.is_none() {
                self.watch_from_here(rules, &now);
            }
        }
        if !steady && let Some(watch) = &mut self.watch {
            let failed = retried || outcome.as_result().is_err();
            let kind = OutcomeKind::of(outcome.as_result(), timed_out);
            watch.attempt_ended::<R::Err>(self.attempt, kind, failed);
        }
        // The call's time is read from the clock (`measured`, a timed call's only) where the
        // decision reads it, and made up with the time slept (`elapsed_from`) where it is used:
        // nothing sleeps in between, so it is the same, and a decision that neither ends the
        // call nor has a part that reads it does not work it out.
        if !retried {
            let ending = if outcome.as_result().is_ok() {
                if self.attempt > 1 {
                    rules.refund_after_retry(self.retry_timed_out);
                } else {
                    rules.refund();
                }
                Ending::Succeeded
            } else if timed_out
                && let Some(ending) = cut_at_the_deadline(rules.deadline(), self.elapsed(&now))
            {
                ending
            } else {
                Ending::NotRetryable
            };
            let measured = self.measured(&now);
            return self.ends(rules, end, self.elapsed_from(measured), None, ending);
        }
        // Nested in a retrying call with `nested = once`: the call ends where it would otherwise
        // sleep and retry, and nowhere else, so its hooks, its wait's own endings and its stop
        // still run as they would.
        let once = !steady && self.attempt == 1 && self.mark.depth == 0 && self.nest(rules);
        // The clock is read again only after a hook that may have taken time.
        let mut measured = self.measured(&now);
        let ends = crate::state::Ends::default();
        let (wait, stops, ending, deadline, refused) = {
            let mut state = self.state(Some(outcome.as_result()), self.elapsed_from(measured));
            state.ends = Some(&ends);
            if !steady && rules.answers().has_hook(Moment::After) {
                rules.hook(Moment::After, &state);
                measured = self.measured(&now);
                state.elapsed = self.elapsed_from(measured);
            }
            let wait = rules.next_wait(&state);
            if let Some((ending, reason, refused)) = ends.take() {
                log_ended(self.function(), self.attempt, ending, reason);
                // A refused hint is handed back as the server asked it: `on_give_up` and the
                // report can read it.
                return self.ends(rules, end, self.elapsed_from(measured), refused, ending);
            }
            state.upcoming_sleep = Some(wait);
            let deadline = if steady { None } else { rules.deadline() };
            let overruns = |elapsed: Duration| {
                deadline.is_some_and(|(limit, _)| elapsed.saturating_add(wait) >= limit)
            };
            let reason = rules.stop_reason(&state);
            let mut stops = reason.is_some();
            let mut ending = reason.unwrap_or(Ending::Stop);
            // A sleep that would end past the deadline (the stop's, or a total time limit) ends
            // the call before any retry is spent or announced; a stop that said so gives the
            // reason. An attempt the deadline cut ends it with the deadline's ending, whatever
            // else would have ended the call here.
            let cut = |limit: Duration| timed_out && self.elapsed_from(measured) >= limit;
            if let Some((_, deadline_ending)) = deadline.filter(|(limit, _)| {
                (!stops && overruns(self.elapsed_from(measured))) || cut(*limit)
            }) {
                stops = true;
                ending = deadline_ending;
            }
            if once && !stops {
                stops = true;
                ending = Ending::Nested;
            }
            // A breaker this failure (or another call's) opened would refuse the next attempt:
            // the call ends now rather than sleep towards it. A wait that outlasts the refusal
            // sleeps, and its attempt goes through as a probe.
            let refused = rules
                .breaker()
                .filter(|_| !steady && !stops)
                .and_then(|breaker| breaker.refusing(&now))
                .filter(|open| open.retry_after() > wait);
            if refused.is_some() {
                stops = true;
                ending = Ending::BreakerOpen;
            }
            if !stops && !rules.spend_retry_after(timed_out) {
                ending = Ending::Budget;
                log_budget_refused(self.function(), self.attempt);
                stops = true;
            }
            if !steady && !stops && rules.answers().has_hook(Moment::BeforeSleep) {
                rules.hook(Moment::BeforeSleep, &state);
                measured = self.measured(&now);
                // Time spent in `before_sleep` counts too; the retry it spent is given back.
                if let Some((_, deadline_ending)) =
                    deadline.filter(|_| overruns(self.elapsed_from(measured)))
                {
                    stops = true;
                    ending = deadline_ending;
                    rules.give_back_retry_after(timed_out);
                }
            }
            (wait, stops, ending, deadline, refused)
        };
        if let Some(error) = refused.and_then(|open| rules.refusal(open)) {
            if let Some(open) = refused {
                crate::breaker::events::refused(self.function(), self.attempt, open);
            }
            *end = Some(End {
                elapsed: self.elapsed_from(measured),
                upcoming: None,
                ending,
                refusal: Some(error),
            });
            return None;
        }
        if stops {
            return self.ends(rules, end, self.elapsed_from(measured), Some(wait), ending);
        }
        // Said once, before the call's first sleep: a call that never sleeps reads no history.
        if self.attempt == 1 {
            let slots = rules.memory_slots();
            if slots > Memory::SLOTS {
                log_memory_short(self.function(), slots);
            }
        }
        let nanos = u64::try_from(wait.as_nanos()).unwrap_or(u64::MAX);
        self.slept = self.slept.saturating_add(nanos);
        // `sleep_sync` and `sleep_async` ask the same, right after this step.
        if testing::sleeps_skipped() {
            self.skipped = self.skipped.saturating_add(nanos);
        }
        self.previous_sleep = nanos.min(NO_SLEEP - 1);
        self.attempt = self.attempt.saturating_add(1);
        self.checks = deadline.is_some() || rules.answers().cancellable;
        self.retry_timed_out = timed_out;
        if !steady && let Some(watch) = &mut self.watch {
            watch.sleeps(wait);
        }
        metrics::retried(|| self.function(), wait);
        Some(wait)
    }

    /// A [`verdict`](Self::verdict) that ends the call: how, in `end`, for
    /// [`finish`](Self::finish). A plain call, which builds no report, is finished here: it
    /// returns its outcome as it is, and `end` stays empty.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn ends<P: Rules<R::Ok, R::Err>>(
        &self,
        rules: &P,
        end: &mut Option<End<R::Err>>,
        elapsed: Duration,
        upcoming: Option<Duration>,
        ending: Ending,
    ) -> Option<Duration> {
        if self.wants_report(rules) {
            *end = Some(End {
                elapsed,
                upcoming,
                ending,
                refusal: None,
            });
        } else {
            self.finished(ending);
        }
        None
    }

    /// Whether something reads the call's report: a plain call that gives up builds none.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn wants_report<P: Rules<R::Ok, R::Err>>(&self, rules: &P) -> bool {
        let answers = rules.answers();
        !answers.gives_up_as_is || answers.has_hook(Moment::Finish) || self.watch.is_some()
    }

    /// What [`finish`](Self::finish) does for a call that builds no report: count it.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn finished(&self, ending: Ending) {
        // Hedges are attempts too: the metrics count every attempt started.
        let attempts = self.attempt.saturating_add(self.hedges);
        metrics::finished(|| self.function(), attempts, ending);
    }

    /// Carries out a [`verdict`](Self::verdict) on the outcome it was made on: ends the call
    /// with it (through `on_give_up` and `on_finish`), or hands it back with the sleep.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn conclude<P: Rules<R::Ok, R::Err>>(
        &mut self,
        verdict: Option<Duration>,
        end: &mut Option<End<R::Err>>,
        outcome: R,
        rules: &P,
    ) -> Step<R> {
        match verdict {
            Some(wait) => Step::Sleep(wait, outcome),
            None => Step::Return(self.end(end, outcome, rules)),
        }
    }

    /// [`verdict`](Self::verdict) out of line and cold: what the `#[retry]` expansion of a sync
    /// function calls after a failure, which also tells the compiler that a failure is the
    /// unlikely branch.
    /// A call retrying with nothing around it ([`steady`](Self::steady)) decides in a smaller
    /// function of its own.
    #[cold]
    #[inline(never)]
    pub(crate) fn verdict_cold<P: Rules<R::Ok, R::Err>>(
        &mut self,
        outcome: &R,
        rules: &P,
        now: impl Fn() -> Instant,
        end: &mut Option<End<R::Err>>,
    ) -> Option<Duration> {
        if self.steady(rules) {
            self.verdict_steady(outcome, rules, now, end)
        } else {
            self.verdict_full(outcome, rules, now, end)
        }
    }

    /// [`verdict`](Self::verdict), out of line: for [`verdict_cold`](Self::verdict_cold).
    #[cold]
    #[inline(never)]
    fn verdict_full<P: Rules<R::Ok, R::Err>>(
        &mut self,
        outcome: &R,
        rules: &P,
        now: impl Fn() -> Instant,
        end: &mut Option<End<R::Err>>,
    ) -> Option<Duration> {
        self.decide(outcome, rules, now, end, false)
    }

    /// [`end`](Self::end) out of line: it runs once a call, and a caller's loop that makes
    /// the decision in line stays small.
    #[inline(never)]
    pub(crate) fn end_out_of_line<P: Rules<R::Ok, R::Err>>(
        &mut self,
        end: &mut Option<End<R::Err>>,
        outcome: R,
        rules: &P,
    ) -> R {
        self.end(end, outcome, rules)
    }

    /// What a call that [`verdict`](Self::verdict) ended returns: the outcome as it is where
    /// the verdict wrote no [`End`], or what [`finish`](Self::finish) makes of it.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn end<P: Rules<R::Ok, R::Err>>(
        &mut self,
        end: &mut Option<End<R::Err>>,
        outcome: R,
        rules: &P,
    ) -> R {
        let Some(end) = end.take() else {
            return outcome;
        };
        match end.refusal {
            None => self.finish(outcome, rules, end.elapsed, end.upcoming, end.ending),
            Some(error) => {
                let refusal = R::from_result(Err(error));
                let last = self.finish(refusal, rules, end.elapsed, end.upcoming, end.ending);
                // The outcome the breaker's refusal replaces is dropped after it, as it was.
                drop(outcome);
                last
            }
        }
    }

    /// Before the next attempt (after its sleep, and again after the `before` hook): if the
    /// deadline has passed, or the stop was cancelled (a shutdown), the call is over and returns
    /// what giving up on the kept outcome makes. `kept` is asked for it only then. Without one (an
    /// async call whose outcome cannot be held across an await) the overrun is logged and the
    /// next attempt goes ahead. Call [`begin_attempt`](Self::begin_attempt) once the attempt
    /// starts.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::engine::{Call, Step};
    /// use persevere::stop::deadline;
    /// use persevere::wait::fixed;
    /// use persevere::Policy;
    ///
    /// let secs = Duration::from_secs;
    /// let policy = Policy::new().stop(deadline(secs(10))).wait(fixed(secs(1)));
    /// let start = Instant::now();
    /// let mut call = Call::new("fetch", Some(start));
    /// let Step::Sleep(_, last) = call.settle(Err::<(), _>("down"), &policy, || start) else {
    ///     unreachable!()
    /// };
    /// // The 1 s sleep overran to 12 s: no attempt starts past the deadline.
    /// assert_eq!(call.resume(|| Some(last), &policy, || start + secs(12)), Some(Err("down")));
    /// ```
    pub fn resume<P: Rules<R::Ok, R::Err>>(
        &mut self,
        kept: impl FnOnce() -> Option<R>,
        rules: &P,
        now: impl Fn() -> Instant,
    ) -> Option<R> {
        if !self.checks {
            return None;
        }
        let deadline = rules.deadline();
        let elapsed = self.elapsed(&now);
        let overran = deadline.filter(|(limit, _)| elapsed >= *limit);
        let ends = overran.is_some() || (rules.answers().cancellable && rules.cancelled());
        if !ends {
            return None;
        }
        match kept() {
            Some(last) => {
                // The attempt that would follow never ran: the state is the one given up on, and
                // the retry spent for it goes back to the budget.
                self.attempt = self.attempt.saturating_sub(1).max(1);
                rules.give_back_retry_after(self.retry_timed_out);
                let ending = overran.map_or(Ending::Cancelled, |(_, ending)| ending);
                Some(self.finish(last, rules, elapsed, None, ending))
            }
            None => {
                log_unkept(self.function(), elapsed, deadline.map(|(limit, _)| limit));
                self.begin_attempt();
                None
            }
        }
    }

    /// Ends the call before the attempt about to start, which its open circuit breaker refused:
    /// the call returns the refusal converted into its error type (through `on_give_up`, with
    /// [`Ending::BreakerOpen`]), having made the attempts before it. See [`admit`].
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Instant;
    /// use persevere::breaker::{BreakerOpen, CircuitBreaker};
    /// use persevere::engine::{self, Call};
    /// use persevere::Policy;
    ///
    /// static UPSTREAM: CircuitBreaker = CircuitBreaker::new().consecutive_failures(1);
    /// UPSTREAM.failed(Instant::now);
    ///
    /// let policy = Policy::new().breaker(&UPSTREAM);
    /// let mut call = Call::<Result<(), BreakerOpen>>::new("fetch", None);
    /// let (open, error) = engine::admit::<(), BreakerOpen, _>(&policy, Instant::now).unwrap();
    /// let outcome = call.refused(open, error, &policy, Instant::now);
    /// assert_eq!(outcome, Err(open));
    /// ```
    pub fn refused<P: Rules<R::Ok, R::Err>>(
        &mut self,
        open: BreakerOpen,
        error: R::Err,
        rules: &P,
        now: impl Fn() -> Instant,
    ) -> R {
        // The attempt it stands at never ran.
        self.attempt = self.attempt.saturating_sub(1);
        crate::breaker::events::refused(self.function(), self.attempt, open);
        if self.watch.is_none() {
            self.watch_if_wanted(rules);
        }
        let elapsed = self.elapsed(&now);
        self.finish(
            R::from_result(Err(error)),
            rules,
            elapsed,
            None,
            Ending::BreakerOpen,
        )
    }

    /// The next attempt starts: the checks of [`resume`](Self::resume) are done with.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::engine::Call;
    /// use persevere::stop::deadline;
    /// use persevere::Policy;
    ///
    /// let policy = Policy::new().stop(deadline(Duration::from_secs(60)));
    /// let mut call = Call::new("fetch", Some(Instant::now()));
    /// call.settle(Err::<(), _>("down"), &policy, Instant::now);
    /// assert_eq!(call.resume(|| None, &policy, Instant::now), None); // in time: go on
    /// call.begin_attempt();
    /// assert!(!call.checks_before_attempt());
    /// ```
    pub fn begin_attempt(&mut self) {
        self.checks = false;
    }

    /// Ends the call: `on_give_up` makes the return value if it gave up, then `on_finish` runs,
    /// and the report reaches the span, metrics and any test recorder.
    ///
    /// In line as far as a plain call goes (one that gives up as it is, with no `on_finish` and
    /// nothing watching it, builds no report), so that its outcome is handed back where it is.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn finish<P: Rules<R::Ok, R::Err>>(
        &mut self,
        last: R,
        rules: &P,
        elapsed: Duration,
        upcoming: Option<Duration>,
        ending: Ending,
    ) -> R {
        // Only a hook or a watch reads the report: a plain call that gives up builds none.
        if !self.wants_report(rules) {
            self.finished(ending);
            return last;
        }
        self.finish_reported(last, rules, elapsed, upcoming, ending)
    }

    /// [`finish`](Self::finish) for a call whose report something reads.
    #[inline(never)]
    fn finish_reported<P: Rules<R::Ok, R::Err>>(
        &mut self,
        last: R,
        rules: &P,
        elapsed: Duration,
        upcoming: Option<Duration>,
        ending: Ending,
    ) -> R {
        let answers = rules.answers();
        // Hedges are attempts too: the report and the metrics count every attempt started.
        let attempts = self.attempt.saturating_add(self.hedges);
        let report = Report {
            function: self.function(),
            attempts,
            hedges: self.hedges,
            nested_in: self
                .watch
                .as_ref()
                .and_then(|watch| Some(watch.outer?.function)),
            slept: self.slept(),
            elapsed,
            ending,
            refused_wait: upcoming.filter(|_| ending == Ending::HintAboveCap),
            history: match &mut self.watch {
                Some(watch) if watch.detailed() => {
                    History::Each(std::mem::take(&mut watch.history))
                }
                _ => History::Unrecorded,
            },
        };
        let outcome = if ending.gave_up() {
            // The outcome moves into `give_up`, so the state it sees does not borrow it.
            let mut state = self.state(None, elapsed);
            state.upcoming_sleep = upcoming;
            state.ending = Some(ending);
            state.report = Some(&report);
            R::from_result(rules.give_up(last.into_result(), &state))
        } else {
            last
        };
        metrics::finished(|| self.function(), attempts, ending);
        if answers.has_hook(Moment::Finish) {
            let mut state = self.state(Some(outcome.as_result()), elapsed);
            state.ending = Some(ending);
            state.report = Some(&report);
            rules.hook(Moment::Finish, &state);
        }
        if let Some(watch) = &mut self.watch {
            watch.finished::<R::Err>(&report, outcome.as_result().is_ok());
            testing::deliver(&report);
            if self.reported {
                watch.report = Some(report);
            }
        }
        outcome
    }
}

/// The deadline's ending, if an attempt that timed out did so at or past it: the call's total
/// limit (or the stop's deadline) is what cut it. Out of line: a time limit's path only.
#[cold]
#[inline(never)]
fn cut_at_the_deadline(deadline: Option<(Duration, Ending)>, elapsed: Duration) -> Option<Ending> {
    deadline
        .filter(|(limit, _)| elapsed >= *limit)
        .map(|(_, ending)| ending)
}

// The log lines of the rarer endings, out of line and not generic: compiled once, and kept out of
// the registers and stack of `settle` and `resume`, which every retry runs.

/// A call ended by its wait (an error handler's IGNORE or SUCCESS, a hint above the cap).
#[cold]
#[inline(never)]
fn log_ended(function: Name, attempt: u32, ending: Ending, reason: &'static str) {
    // An error handler's IGNORE or SUCCESS ends the call as it was told to: no giving up in that.
    let ends = match ending {
        Ending::Ignored | Ending::Accepted | Ending::Rejected => "ends",
        _ => "gives up",
    };
    tracing::info!(
        function = %function,
        attempt,
        reason,
        "persevere: {function} {ends} after its {} attempt: {reason}",
        crate::hook::ordinal(attempt),
    );
}

/// A call whose budget refused its retry.
#[cold]
#[inline(never)]
fn log_budget_refused(function: Name, attempt: u32) {
    metrics::budget_refused(function);
    tracing::info!(
        function = %function,
        attempt,
        "persevere: {function} gives up after its {} attempt: its retry budget is empty",
        crate::hook::ordinal(attempt),
    );
}

/// A call whose wait keeps more histories than the call has memory slots for.
#[cold]
#[inline(never)]
fn log_memory_short(function: Name, slots: usize) {
    tracing::warn!(
        function = %function,
        slots,
        "persevere: {function}'s wait needs {slots} memory slots for the strategies that keep their own history (such as `decorrelated_jitter`), and a call keeps {}: the strategies past them grow from the call's previous sleep instead",
        Memory::SLOTS,
    );
}

/// A call that should end before its next attempt but cannot give back its last outcome.
#[cold]
#[inline(never)]
fn log_unkept(function: Name, elapsed: Duration, deadline: Option<Duration>) {
    tracing::warn!(
        function = %function,
        elapsed = ?elapsed,
        deadline = ?deadline,
        "persevere: the call should end before this attempt (a deadline passed, or a shutdown), but the last outcome could not be kept (it is not `Send`), so the attempt goes ahead",
    );
}
