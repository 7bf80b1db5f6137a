//! A retry policy as a value: the same strategies the attribute takes, for code that cannot carry
//! an attribute or chooses its policy at run time.

use std::future::Future;
use std::time::Duration;

use crate::breaker::{BreakerOpen, CircuitBreaker, Guard, WithBreaker, WithBudget};
use crate::budget::{NoBudget, RetryBudget};
use crate::condition::{AnyError, Condition, NoOk, OnOk};
use crate::engine::{Answers, Call, Memory, Rules, Step, admit, sleep_async, sleep_sync, start};
use crate::hedge::Hedge;
use crate::hook::{GiveUp, Hook, Moment, NoHook, ReturnLast};
use crate::nested::Nested;
use crate::sleep::{AsyncSleeper, DefaultSleeper, SyncSleeper};
use crate::stop::{Attempts, Stop, attempts};
use crate::timeout::{Limits, NoLimits, TimeLimits};
use crate::wait::{Exponential, Wait, exponential};
use crate::{Ending, Name, Report, RetryState};

/// A complete retry policy: when to stop, how long to wait, what to retry, the hooks and the
/// sleeper. Build one with [`Policy::new`] and the setters, then run closures under it with
/// [`call`](Policy::call) or [`call_async`](Policy::call_async).
///
/// The defaults are those of a bare `#[retry]`: at most 3 attempts, waits of 100 ms then 200 ms
/// (exponential, capped at 10 s), every `Err` retried, no `Ok` retried, no hooks.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::Policy;
/// use persevere::stop::attempts;
/// use persevere::wait::fixed;
///
/// let policy = Policy::new()
///     .stop(attempts(5))
///     .wait(fixed(Duration::from_millis(1)))
///     .retry_if(|e: &std::io::Error| e.kind() == std::io::ErrorKind::Interrupted);
///
/// let mut left = 2;
/// let answer = policy.call(|| {
///     if left > 0 {
///         left -= 1;
///         return Err(std::io::ErrorKind::Interrupted.into());
///     }
///     Ok(42)
/// });
/// assert_eq!(answer.unwrap(), 42);
/// ```
#[derive(Debug, Clone, Copy)]
#[must_use = "a policy does nothing until you `call` something with it"]
pub struct Policy<
    S = Attempts,
    W = Exponential,
    C = AnyError,
    O = NoOk,
    B = NoHook,
    A = NoHook,
    Z = NoHook,
    G = ReturnLast,
    L = DefaultSleeper,
    U = NoBudget,
    X = NoLimits,
    N = NoHook,
> {
    pub(crate) function: Name,
    pub(crate) stop: S,
    pub(crate) wait: W,
    pub(crate) retry_if: C,
    pub(crate) retry_if_ok: O,
    pub(crate) before: B,
    pub(crate) after: A,
    pub(crate) before_sleep: Z,
    pub(crate) on_give_up: G,
    pub(crate) sleeper: L,
    pub(crate) budget: U,
    pub(crate) limits: X,
    pub(crate) on_finish: N,
    /// Whether a call that fails opens a tracing span (see [`Policy::span`]).
    pub(crate) traced: bool,
    /// Hedging, for async calls (see [`crate::hedge`]); `None` for none.
    pub(crate) hedge: Option<Hedge>,
    /// What the call does nested in a retrying call; `None` for the process-wide default.
    pub(crate) nested: Option<Nested>,
}

/// The wait of a bare `#[retry]`: 100 ms, doubling, capped at 10 s.
///
/// A starting point for a wait of your own, changed where it needs to be:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::wait::Wait;
/// use persevere::{DEFAULT_WAIT, RetryState};
///
/// let wait = |n| Wait::<(), ()>::next_wait(&DEFAULT_WAIT, &RetryState::new(n));
/// assert_eq!((wait(1), wait(3)), (Duration::from_millis(100), Duration::from_millis(400)));
/// assert_eq!(wait(20), Duration::from_secs(10));
///
/// let patient = DEFAULT_WAIT.max(Duration::from_secs(60));
/// let late = Wait::<(), ()>::next_wait(&patient, &RetryState::new(20));
/// assert_eq!(late, Duration::from_secs(60));
/// ```
pub const DEFAULT_WAIT: Exponential = exponential()
    .multiplier(Duration::from_millis(100))
    .max(Duration::from_secs(10));

/// The stop of a bare `#[retry]`: 3 attempts.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::stop::Stop;
/// use persevere::{DEFAULT_STOP, RetryState};
///
/// assert_eq!(DEFAULT_STOP.max(), 3);
/// assert!(Stop::<(), ()>::should_stop(&DEFAULT_STOP, &RetryState::new(3)));
/// ```
pub const DEFAULT_STOP: Attempts = attempts(3);

impl Policy {
    /// The default policy (see [`Policy`]).
    ///
    /// Strategies are `const` values, so they can live in constants and be used by both the
    /// attribute and a policy; a whole policy can live in a `static` through `LazyLock`:
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::sync::LazyLock;
    /// use std::time::Duration;
    /// use persevere::Policy;
    /// use persevere::stop::{attempts, Attempts};
    /// use persevere::wait::{exponential, Exponential, Fixed, fixed};
    ///
    /// const BACKOFF: Exponential = exponential().max(Duration::from_secs(10));
    /// static POLICY: LazyLock<Policy<Attempts, Fixed>> =
    ///     LazyLock::new(|| Policy::new().stop(attempts(2)).wait(fixed(Duration::ZERO)));
    ///
    /// assert_eq!(POLICY.call(|| Err::<(), _>("down")), Err("down"));
    /// # let _ = BACKOFF;
    /// ```
    pub const fn new() -> Self {
        Policy {
            function: Name::new("<unnamed>"),
            stop: DEFAULT_STOP,
            wait: DEFAULT_WAIT,
            retry_if: AnyError,
            retry_if_ok: NoOk,
            before: NoHook,
            after: NoHook,
            before_sleep: NoHook,
            on_give_up: ReturnLast,
            sleeper: DefaultSleeper,
            budget: NoBudget,
            limits: NoLimits,
            on_finish: NoHook,
            traced: false,
            hedge: None,
            nested: None,
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::new()
    }
}

/// Writes setters that each replace one part of a policy, and with it that part's type. Each
/// names the parts it keeps; the replaced part is dropped with what is left of `self`.
macro_rules! replace_part {
    ($($(#[$doc:meta])* $vis:vis fn $name:ident<$New:ident>($field:ident; keep $($keep:ident),*) -> $Output:ty;)*) => {$(
        $(#[$doc])*
        $vis fn $name<$New>(self, $field: $New) -> $Output {
            Policy { $field, traced: self.traced, hedge: self.hedge, nested: self.nested, $($keep: self.$keep),* }
        }
    )*};
}

impl<S, W, C, O, B, A, Z, G, L, U, X, N> Policy<S, W, C, O, B, A, Z, G, L, U, X, N> {
    /// The sleeper, for the expansion of `#[retry]`.
    pub(crate) fn sleeper_ref(&self) -> &L {
        &self.sleeper
    }

    /// Hedges each attempt of an async call: when it has not finished after the hedge's delay,
    /// another starts beside it, up to [`max_in_flight`](crate::hedge::Hedge::max_in_flight), and
    /// the first outcome the condition does not retry wins; the others are dropped (cancelled).
    /// See [`hedge`](crate::hedge) for the rules: rounds, budgets, time limits, the report.
    ///
    /// **The operation runs several times at once**: set this only for an operation that is safe
    /// to send twice concurrently (a read, or a write made idempotent by a key). Only
    /// [`call_async`](Self::call_async) hedges; a sync [`call`](Self::call) ignores it, since a
    /// blocking attempt cannot run beside another without a thread.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{Policy, hedge::after};
    ///
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
    /// let policy = Policy::new().hedge(after(Duration::from_millis(10)));
    /// let started = std::cell::Cell::new(0);
    /// let (outcome, report) = policy
    ///     .call_async_reported(|| {
    ///         started.set(started.get() + 1);
    ///         // The first attempt is slow; the hedge started 10 ms later answers at once.
    ///         let slow = started.get() == 1;
    ///         async move {
    ///             if slow {
    ///                 tokio::time::sleep(Duration::from_secs(1)).await;
    ///             }
    ///             Ok::<_, std::io::Error>(started_value(slow))
    ///         }
    ///     })
    ///     .await;
    /// # fn started_value(slow: bool) -> &'static str { if slow { "slow" } else { "hedge" } }
    /// assert_eq!(outcome.unwrap(), "hedge");
    /// assert_eq!((report.attempts(), report.hedges(), report.retries()), (2, 1, 0));
    /// # }
    /// ```
    pub const fn hedge(mut self, hedge: Hedge) -> Self {
        self.hedge = Some(hedge);
        self
    }

    /// What a call of this policy does when it runs inside an attempt of another retried call
    /// that is retrying (see [`nested`](crate::nested)): [`Nested::Once`] makes it a single
    /// attempt. Without this, the process-wide [`nested::set_default`](crate::nested::set_default)
    /// decides.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{Ending, Policy, nested::Nested, stop::attempts, wait::none};
    ///
    /// let client = Policy::new().stop(attempts(3)).wait(none()).nested(Nested::Once);
    /// let service = Policy::new().stop(attempts(3)).wait(none());
    /// let mut sent = 0;
    /// let _ = service.call(|| {
    ///     client.call(|| {
    ///         sent += 1;
    ///         Err::<(), _>("down")
    ///     })
    /// });
    /// // 3 in the service's first attempt, then 1 in each of its 2 retries: not 3 × 3.
    /// assert_eq!(sent, 5);
    /// ```
    pub const fn nested(mut self, nested: Nested) -> Self {
        self.nested = Some(nested);
        self
    }

    /// The policy's hedging, if it has any.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{Policy, hedge::after};
    ///
    /// assert_eq!(Policy::new().hedging(), None);
    /// let hedge = after(Duration::from_millis(50));
    /// assert_eq!(Policy::new().hedge(hedge).hedging(), Some(hedge));
    /// ```
    pub const fn hedging(&self) -> Option<Hedge> {
        self.hedge
    }

    /// Opens a `tracing` span for each call that fails at least once (a first-time success opens
    /// none): target `persevere`, name `retry`, with `code.function.name`, and when the call ends
    /// `retry.attempts`, `retry.slept`, `retry.ending`, `otel.status_code` and `error.type`. The
    /// status follows what the call returns: `OK` for an `Ok` (a success, or a value `on_give_up`
    /// or `retry_if_ok` left), `ERROR` with the error's type for an `Err`.
    ///
    /// Each failed attempt is an event in it (`attempt failed`, with `retry.attempt`,
    /// `retry.outcome` and `error.type`). The span opens at the first failure, so its duration
    /// leaves out the first attempt. With no subscriber listening it costs a check per failing
    /// call, and nothing on a first-time success.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// // A tracing subscriber sees one `retry` span with an event per failed attempt; with none
    /// // listening, the call goes as it would without the span.
    /// let policy = Policy::new().named("fetch_user").stop(attempts(2)).wait(none()).span(true);
    /// assert_eq!(policy.call(|| Err::<(), _>("down")), Err("down"));
    /// ```
    pub const fn span(mut self, on: bool) -> Self {
        self.traced = on;
        self
    }

    /// Names the retried operation for hooks and log lines (`state.function()`).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// let policy = Policy::new().named("fetch_user").stop(attempts(2)).wait(none());
    /// let (_, report) = policy.call_reported(|| Err::<(), _>("down"));
    /// assert_eq!(report.function(), "fetch_user");
    /// ```
    pub const fn named(mut self, function: &'static str) -> Self {
        self.function = Name::new(function);
        self
    }

    replace_part! {
        /// Sets the stop strategy (see [`crate::stop`]).
        ///
        /// ```
        /// # use persevere_runtime as persevere;
        /// use std::time::Duration;
        /// use persevere::Policy;
        /// use persevere::stop::{attempts, elapsed};
        /// use persevere::wait::none;
        ///
        /// let policy = Policy::new()
        ///     .stop(attempts(4) | elapsed(Duration::from_secs(30)))
        ///     .wait(none());
        /// let mut calls = 0;
        /// let _ = policy.call(|| { calls += 1; Err::<(), _>("down") });
        /// assert_eq!(calls, 4);
        /// ```
        pub fn stop<S2>(stop; keep function, wait, retry_if, retry_if_ok, before, after, before_sleep, on_give_up, sleeper, budget, limits, on_finish) -> Policy<S2, W, C, O, B, A, Z, G, L, U, X, N>;
        /// Sets the wait strategy (see [`crate::wait`]).
        ///
        /// ```
        /// # use persevere_runtime as persevere;
        /// use std::time::Duration;
        /// use persevere::Policy;
        /// use persevere::sleep::RecordingSleeper;
        /// use persevere::wait::incrementing;
        ///
        /// let sleeper = RecordingSleeper::new();
        /// let policy = Policy::new()
        ///     .wait(
        ///         incrementing().start(Duration::from_secs(1)).increment(Duration::from_secs(2)),
        ///     )
        ///     .sleeper(sleeper.clone());
        /// let _ = policy.call(|| Err::<(), _>("down"));
        /// assert_eq!(sleeper.sleeps(), [Duration::from_secs(1), Duration::from_secs(3)]);
        /// ```
        pub fn wait<W2>(wait; keep function, stop, retry_if, retry_if_ok, before, after, before_sleep, on_give_up, sleeper, budget, limits, on_finish) -> Policy<S, W2, C, O, B, A, Z, G, L, U, X, N>;
        /// Sets which outcomes to retry (see [`crate::condition`]); a closure `Fn(&E) -> bool`
        /// is a condition on the error. Default: every `Err`.
        ///
        /// ```
        /// # use persevere_runtime as persevere;
        /// use std::io::{Error, ErrorKind};
        /// use persevere::Policy;
        /// use persevere::wait::none;
        ///
        /// let timed_out = |e: &Error| e.kind() == ErrorKind::TimedOut;
        /// let policy = Policy::new().wait(none()).retry_if(timed_out);
        /// let mut calls = 0;
        /// let outcome = policy.call(|| {
        ///     calls += 1;
        ///     Err::<(), _>(Error::from(ErrorKind::NotFound))
        /// });
        /// assert_eq!(outcome.unwrap_err().kind(), ErrorKind::NotFound);
        /// assert_eq!(calls, 1); // not retried
        /// ```
        pub fn retry_if<C2>(retry_if; keep function, stop, wait, retry_if_ok, before, after, before_sleep, on_give_up, sleeper, budget, limits, on_finish) -> Policy<S, W, C2, O, B, A, Z, G, L, U, X, N>;
        /// Sets the hook run before every attempt.
        ///
        /// ```
        /// # use persevere_runtime as persevere;
        /// use std::cell::RefCell;
        /// use persevere::{Policy, RetryState};
        /// use persevere::wait::none;
        ///
        /// let started = RefCell::new(Vec::new());
        /// let note = |s: &RetryState<'_, (), &str>| started.borrow_mut().push(s.attempt());
        /// let policy = Policy::new().wait(none()).before(note);
        /// let _ = policy.call(|| Err("down"));
        /// assert_eq!(*started.borrow(), [1, 2, 3]);
        /// ```
        pub fn before<B2>(before; keep function, stop, wait, retry_if, retry_if_ok, after, before_sleep, on_give_up, sleeper, budget, limits, on_finish) -> Policy<S, W, C, O, B2, A, Z, G, L, U, X, N>;
        /// Sets the hook run after every failed attempt that is retried or given up on, the last
        /// one included (not after an error the condition does not retry).
        ///
        /// ```
        /// # use persevere_runtime as persevere;
        /// use std::cell::RefCell;
        /// use persevere::{Policy, RetryState};
        /// use persevere::stop::attempts;
        /// use persevere::wait::none;
        ///
        /// let errors = RefCell::new(Vec::new());
        /// let keep = |state: &RetryState<'_, (), String>| {
        ///     errors.borrow_mut().extend(state.error().cloned());
        /// };
        /// let policy = Policy::new().stop(attempts(2)).wait(none()).after(keep);
        /// let mut n = 0;
        /// let _ = policy.call(|| { n += 1; Err(format!("failure {n}")) });
        /// assert_eq!(*errors.borrow(), ["failure 1", "failure 2"]);
        /// ```
        pub fn after<A2>(after; keep function, stop, wait, retry_if, retry_if_ok, before, before_sleep, on_give_up, sleeper, budget, limits, on_finish) -> Policy<S, W, C, O, B, A2, Z, G, L, U, X, N>;
        /// Sets the hook run before every sleep.
        ///
        /// ```
        /// # use persevere_runtime as persevere;
        /// use std::cell::RefCell;
        /// use std::time::Duration;
        /// use persevere::{Policy, RetryState};
        /// use persevere::stop::attempts;
        /// use persevere::wait::fixed;
        ///
        /// let planned = RefCell::new(Vec::new());
        /// let note = |state: &RetryState<'_, (), &str>| {
        ///     planned.borrow_mut().push(state.upcoming_sleep());
        /// };
        /// let policy = Policy::new()
        ///     .stop(attempts(3))
        ///     .wait(fixed(Duration::ZERO))
        ///     .before_sleep(note);
        /// let _ = policy.call(|| Err("down"));
        /// assert_eq!(*planned.borrow(), [Some(Duration::ZERO); 2]); // none before giving up
        /// ```
        pub fn before_sleep<Z2>(before_sleep; keep function, stop, wait, retry_if, retry_if_ok, before, after, on_give_up, sleeper, budget, limits, on_finish) -> Policy<S, W, C, O, B, A, Z2, G, L, U, X, N>;
        /// Sets what to return when the stop strategy ends the call (see [`GiveUp`]).
        ///
        /// ```
        /// # use persevere_runtime as persevere;
        /// use persevere::{Policy, RetryState};
        /// use persevere::wait::none;
        ///
        /// // An empty page instead of the error.
        /// let empty_page = |last: Result<Vec<u8>, &str>, _: &RetryState<'_, Vec<u8>, &str>| {
        ///     last.or(Ok(Vec::new()))
        /// };
        /// let policy = Policy::new().wait(none()).on_give_up(empty_page);
        /// assert_eq!(policy.call(|| Err("down")), Ok(Vec::new()));
        /// ```
        pub fn on_give_up<G2>(on_give_up; keep function, stop, wait, retry_if, retry_if_ok, before, after, before_sleep, sleeper, budget, limits, on_finish) -> Policy<S, W, C, O, B, A, Z, G2, L, U, X, N>;
        /// Sets the hook run once when a call ends, unless its first attempt succeeded: after a
        /// success that needed retries, after an error that is not retried, and after giving up
        /// (after `on_give_up`). The state's [`report`](RetryState::report) says what the call
        /// went through, and [`ending`](RetryState::ending) why it ended.
        ///
        /// ```
        /// # use persevere_runtime as persevere;
        /// use std::cell::Cell;
        /// use persevere::{Ending, Policy, RetryState};
        /// use persevere::wait::none;
        ///
        /// let ended = Cell::new(None);
        /// let policy = Policy::new()
        ///     .wait(none())
        ///     .on_finish(|state: &RetryState<'_, u8, &str>| ended.set(state.ending()));
        /// let mut calls = 0;
        /// let _ = policy.call(|| { calls += 1; if calls < 2 { Err("busy") } else { Ok(1) } });
        /// assert_eq!(ended.get(), Some(Ending::Succeeded));
        /// ```
        pub fn on_finish<N2>(on_finish; keep function, stop, wait, retry_if, retry_if_ok, before, after, before_sleep, on_give_up, sleeper, budget, limits) -> Policy<S, W, C, O, B, A, Z, G, L, U, X, N2>;
        /// Sets the sleeper (see [`crate::sleep`]).
        ///
        /// ```
        /// # use persevere_runtime as persevere;
        /// use std::time::Duration;
        /// use persevere::Policy;
        /// use persevere::sleep::RecordingSleeper;
        /// use persevere::wait::fixed;
        ///
        /// let sleeper = RecordingSleeper::new();
        /// let policy = Policy::new().wait(fixed(Duration::from_secs(5))).sleeper(sleeper.clone());
        /// let _ = policy.call(|| Err::<(), _>("down")); // returns at once
        /// assert_eq!(sleeper.total(), Duration::from_secs(10));
        /// ```
        pub fn sleeper<L2>(sleeper; keep function, stop, wait, retry_if, retry_if_ok, before, after, before_sleep, on_give_up, budget, limits, on_finish) -> Policy<S, W, C, O, B, A, Z, G, L2, U, X, N>;
    }

    /// Shares a [`RetryBudget`](crate::budget::RetryBudget) with every call that names it: a
    /// retry spends from it, a success refunds it, and an empty budget ends the call with its last
    /// outcome. A [`breaker`](Self::breaker) set before stays.
    // A policy's type names each of its parts; that is the point of it.
    #[allow(clippy::type_complexity)]
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::Policy;
    /// use persevere::budget::RetryBudget;
    ///
    /// static UPSTREAM: RetryBudget = RetryBudget::with_reserve(1, 10);
    ///
    /// let policy = Policy::new().wait(Duration::ZERO).budget(&UPSTREAM);
    /// let mut calls = 0;
    /// let _ = policy.call(|| { calls += 1; Err::<(), _>("down") });
    /// assert_eq!(calls, 2); // the stop allows 3 attempts, the budget one retry
    /// ```
    pub fn budget<'b>(
        self,
        budget: &'b RetryBudget,
    ) -> Policy<S, W, C, O, B, A, Z, G, L, U::Output, X, N>
    where
        U: WithBudget<'b>,
    {
        let budget = self.budget.with_budget(budget);
        self.replace_budget(budget)
    }

    /// Shares a [`CircuitBreaker`] with every call that names it (see [`crate::breaker`]): an
    /// outcome the condition retries counts as a failure, any other as a success; while the
    /// breaker is open a call makes no attempt, and a call that is retrying makes no further
    /// one, returning a [`BreakerOpen`] converted into its error type, which must implement
    /// `From<BreakerOpen>`. A [`budget`](Self::budget) set before stays.
    ///
    /// A [type-erased policy](crate::DynPolicy) cannot keep a breaker: [`boxed`](Self::boxed)
    /// refuses a policy with one at compile time.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::breaker::{BreakerOpen, CircuitBreaker};
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    ///
    /// static UPSTREAM: CircuitBreaker = CircuitBreaker::new().consecutive_failures(2);
    ///
    /// #[derive(Debug, PartialEq)]
    /// enum Error { Down, Open }
    /// impl From<BreakerOpen> for Error {
    ///     fn from(_: BreakerOpen) -> Self { Error::Open }
    /// }
    ///
    /// let policy = Policy::new().stop(attempts(2)).wait(Duration::ZERO).breaker(&UPSTREAM);
    /// assert_eq!(policy.call(|| Err::<(), _>(Error::Down)), Err(Error::Down)); // opens it
    /// assert_eq!(policy.call(|| Ok::<_, Error>(1)), Err(Error::Open)); // no attempt made
    /// ```
    // A policy's type names each of its parts; that is the point of it.
    #[allow(clippy::type_complexity)]
    pub fn breaker<'c>(
        self,
        breaker: &'c CircuitBreaker,
    ) -> Policy<S, W, C, O, B, A, Z, G, L, U::Output, X, N>
    where
        U: WithBreaker<'c>,
    {
        let budget = self.budget.with_breaker(breaker);
        self.replace_budget(budget)
    }

    /// Cancels each attempt of an async call after `limit`; the attempt then fails with a
    /// [`Timeout`](crate::Timeout) converted into the function's error type (which must implement
    /// `From<Timeout>`), and the condition sees it like any other error. An attempt's limit is
    /// never more than what is left of the [`total_timeout`](Self::total_timeout).
    ///
    /// The [sleeper](Self::sleeper) is also the clock of time limits: the limit is the timer its
    /// [`time_limit`](crate::sleep::AsyncSleeper::time_limit) makes. With the default sleeper it
    /// is tokio's timer (exact on a paused test clock); a
    /// [`RecordingSleeper`](crate::sleep::RecordingSleeper)'s limits never run out and are not
    /// recorded as waits. A closure sleeper whose future completes at once (`|_| async {}`) makes
    /// the limit fire at the attempt's first `.await` that waits: with time limits, use the
    /// default sleeper or a recording one.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::sleep::RecordingSleeper;
    /// use persevere::{Policy, Timeout};
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct TimedOut;
    /// impl From<Timeout> for TimedOut {
    ///     fn from(_: Timeout) -> Self { TimedOut }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let recorder = RecordingSleeper::new();
    /// let outcome: Result<u8, TimedOut> = Policy::new()
    ///     .timeout(Duration::from_secs(10))
    ///     .sleeper(recorder.clone())
    ///     .call_async(|| async {
    ///         tokio::task::yield_now().await;
    ///         Ok(1)
    ///     })
    ///     .await;
    /// assert_eq!(outcome, Ok(1));
    /// assert!(recorder.sleeps().is_empty()); // the limit is no wait
    /// # }
    /// ```
    pub fn timeout(self, limit: Duration) -> Policy<S, W, C, O, B, A, Z, G, L, U, TimeLimits, N>
    where
        X: Into<TimeLimits> + Copy,
    {
        let mut limits: TimeLimits = self.limits.into();
        limits.attempt = Some(limit);
        self.replace_limits(limits)
    }

    /// Bounds a whole async call: the attempt in flight is cancelled when the limit is reached,
    /// so the call returns no later than `limit` (within timer precision), with a timeout outcome.
    /// A wait (or a server hint) that would end at or past it ends the call instead of sleeping,
    /// with the last outcome (the report's ending is [`Ending::Timeout`](crate::Ending::Timeout)
    /// either way).
    ///
    /// Like [`timeout`](Self::timeout), the limit runs on the [sleeper](Self::sleeper)'s clock:
    /// exact with the default sleeper on a paused test clock, never running out with a
    /// [`RecordingSleeper`](crate::sleep::RecordingSleeper) (whose waits still count towards
    /// it, as elapsed time), and firing at once with a closure sleeper that completes at once
    /// (`|_| async {}`), which time limits should not be paired with.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{Policy, Timeout};
    ///
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let started = tokio::time::Instant::now();
    /// let outcome: Result<(), Timeout> = Policy::new()
    ///     .total_timeout(Duration::from_secs(10))
    ///     .call_async(std::future::pending) // an attempt that never answers
    ///     .await;
    /// assert!(outcome.unwrap_err().whole_call());
    /// assert_eq!(started.elapsed(), Duration::from_secs(10));
    /// # }
    /// ```
    pub fn total_timeout(
        self,
        limit: Duration,
    ) -> Policy<S, W, C, O, B, A, Z, G, L, U, TimeLimits, N>
    where
        X: Into<TimeLimits> + Copy,
    {
        let mut limits: TimeLimits = self.limits.into();
        limits.total = Some(limit);
        self.replace_limits(limits)
    }

    /// The limits slot, for the engine.
    pub(crate) fn limits_ref(&self) -> &X {
        &self.limits
    }

    /// The budget slot, for the expansion of `#[retry]`.
    pub(crate) fn budget_ref(&self) -> &U {
        &self.budget
    }

    /// Also retries the `Ok` values for which `predicate` is true.
    // A policy's type names each of its parts; that is the point of it.
    #[allow(clippy::type_complexity)]
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    /// use persevere::wait::none;
    ///
    /// // Polls a job until it is done.
    /// let policy = Policy::new().wait(none()).retry_if_ok(|status: &&str| *status == "running");
    /// let mut polls = 0;
    /// let status = policy.call(|| {
    ///     polls += 1;
    ///     Ok::<_, ()>(if polls < 3 { "running" } else { "done" })
    /// });
    /// assert_eq!(status, Ok("done"));
    /// ```
    pub fn retry_if_ok<F>(self, predicate: F) -> Policy<S, W, C, OnOk<F>, B, A, Z, G, L, U, X, N> {
        self.replace_retry_if_ok(OnOk(predicate))
    }

    replace_part! {
        fn replace_limits<X2>(limits; keep function, stop, wait, retry_if, retry_if_ok, before, after, before_sleep, on_give_up, sleeper, budget, on_finish) -> Policy<S, W, C, O, B, A, Z, G, L, U, X2, N>;
        fn replace_budget<U2>(budget; keep function, stop, wait, retry_if, retry_if_ok, before, after, before_sleep, on_give_up, sleeper, limits, on_finish) -> Policy<S, W, C, O, B, A, Z, G, L, U2, X, N>;
        fn replace_retry_if_ok<O2>(retry_if_ok; keep function, stop, wait, retry_if, before, after, before_sleep, on_give_up, sleeper, budget, limits, on_finish) -> Policy<S, W, C, O2, B, A, Z, G, L, U, X, N>;
    }

    /// The waits this policy would sleep if every attempt failed, one after each of the first
    /// `max_attempts` attempts unless the stop ends the call first (then `stops` is true), and
    /// their total: a dry run with no sleeping, for seeing a schedule before trusting it.
    ///
    /// Time-based stops see the planned sleeps as elapsed time (attempts taking no time);
    /// jittered waits draw from the thread's generator, so seed [`crate::jitter`] for a
    /// repeatable preview.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    /// use persevere::wait::exponential;
    ///
    /// let policy = Policy::new()
    ///     .stop(attempts(4))
    ///     .wait(exponential().min(Duration::from_secs(4)).max(Duration::from_secs(10)));
    /// let schedule = policy.schedule::<(), ()>(100);
    /// assert_eq!(schedule.waits, [Duration::from_secs(4); 3]);
    /// assert_eq!(schedule.total, Duration::from_secs(12));
    /// ```
    pub fn schedule<T, E>(&self, max_attempts: u32) -> Schedule
    where
        S: Stop<T, E>,
        W: Wait<T, E>,
    {
        let mut waits = Vec::new();
        let mut elapsed = Duration::ZERO;
        let memory = Memory::default();
        for attempt in 1..=max_attempts {
            let mut state = RetryState::<T, E>::new(attempt)
                .with_function(self.function)
                .with_elapsed(elapsed);
            state.memory = Some(&memory);
            state.slept = elapsed;
            state.previous_sleep = waits.last().copied();
            let wait = self.wait.next_wait(&state);
            state.upcoming_sleep = Some(wait);
            if self.stop.should_stop(&state) {
                return Schedule {
                    waits,
                    total: elapsed,
                    stops: true,
                };
            }
            waits.push(wait);
            elapsed = elapsed.saturating_add(wait);
        }
        Schedule {
            waits,
            total: elapsed,
            stops: false,
        }
    }
}

/// A policy's planned waits. See [`Policy::schedule`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::Policy;
/// use persevere::stop::attempts;
/// use persevere::wait::fixed;
///
/// let policy = Policy::new().stop(attempts(3)).wait(fixed(Duration::from_secs(2)));
/// let schedule = policy.schedule::<(), ()>(10);
/// assert_eq!(schedule.waits, [Duration::from_secs(2); 2]);
/// assert_eq!(schedule.total, Duration::from_secs(4));
/// assert!(schedule.stops); // the stop ended it before 10 attempts
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The wait after attempt 1, 2, …
    pub waits: Vec<Duration>,
    /// Their sum: the most the call sleeps.
    pub total: Duration,
    /// Whether the stop strategy ended the schedule (false if it was cut at `max_attempts`).
    pub stops: bool,
}

impl<T, E, S, W, C, O, B, A, Z, G, L, U, X, N> Rules<T, E>
    for Policy<S, W, C, O, B, A, Z, G, L, U, X, N>
where
    S: Stop<T, E>,
    W: Wait<T, E>,
    C: Condition<T, E>,
    O: Condition<T, E>,
    B: Hook<T, E>,
    A: Hook<T, E>,
    Z: Hook<T, E>,
    G: GiveUp<T, E>,
    U: Guard<E>,
    X: Limits<E>,
    N: Hook<T, E>,
{
    #[inline]
    fn retries(&self, outcome: &Result<T, E>) -> bool {
        self.retry_if.should_retry(outcome) || self.retry_if_ok.should_retry(outcome)
    }
    #[inline]
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        self.wait.next_wait(state)
    }
    #[inline]
    fn memory_slots(&self) -> usize {
        self.wait.memory_slots()
    }
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        self.stop.should_stop(state)
    }
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<Ending> {
        self.stop.stop_reason(state)
    }
    /// The stop's deadline, or the total time limit if that comes first.
    fn deadline(&self) -> Option<(Duration, Ending)> {
        let stop = self.stop.deadline().map(|limit| (limit, Ending::Deadline));
        let total = self.limits.limits().1.map(|limit| (limit, Ending::Timeout));
        match (stop, total) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }
    fn traced(&self) -> bool {
        self.traced
    }
    fn cancelled(&self) -> bool {
        self.stop.cancelled()
    }
    fn cancellable() -> bool {
        S::cancellable()
    }
    fn spend_retry(&self) -> bool {
        self.budget.try_spend()
    }
    fn refund(&self) {
        self.budget.refund()
    }
    fn refund_after_retry(&self, timed_out: bool) {
        self.budget.refund_after_retry(timed_out)
    }
    fn give_back_retry(&self) {
        self.budget.give_back()
    }
    fn spend_retry_after(&self, timed_out: bool) -> bool {
        self.budget.try_spend_after(timed_out)
    }
    fn give_back_retry_after(&self, timed_out: bool) {
        self.budget.give_back_after(timed_out)
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn breaker(&self) -> Option<&CircuitBreaker> {
        self.budget.breaker()
    }
    fn refusal(&self, open: BreakerOpen) -> Option<E> {
        U::refusal(open)
    }
    #[inline]
    fn hook(&self, moment: Moment, state: &RetryState<'_, T, E>) {
        match moment {
            Moment::Before => self.before.call(moment, state),
            Moment::After => self.after.call(moment, state),
            Moment::BeforeSleep => self.before_sleep.call(moment, state),
            Moment::Finish => self.on_finish.call(moment, state),
        }
    }
    fn give_up(&self, last: Result<T, E>, state: &RetryState<'_, T, E>) -> Result<T, E> {
        self.on_give_up.give_up(last, state)
    }

    fn retries_ok() -> bool {
        C::retries_ok() || O::retries_ok()
    }
    fn needs_clock() -> bool {
        S::needs_clock()
            || W::needs_clock()
            || B::needs_clock()
            || A::needs_clock()
            || Z::needs_clock()
            || G::needs_clock()
        // `on_finish` never runs on a first-time success, so it does not start the clock with
        // the call: a call it watches starts it at its first failure.
    }
    fn has_budget() -> bool {
        U::is_budget()
    }
    fn nested(&self) -> Nested {
        self.nested.unwrap_or_else(crate::nested::default)
    }
    fn attempt_limit(&self) -> Option<u32> {
        self.stop.attempt_limit()
    }
    fn gives_up_as_is() -> bool {
        G::returns_last()
    }
    fn has_hook(moment: Moment) -> bool {
        match moment {
            Moment::Before => !B::is_noop(),
            Moment::After => !A::is_noop(),
            Moment::BeforeSleep => !Z::is_noop(),
            Moment::Finish => !N::is_noop(),
        }
    }

    /// Each part's answer, asked of the part: the type's answer for every part but a
    /// type-erased one, which keeps the answer of the part it hides.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn answers(&self) -> Answers {
        Answers {
            retries_ok: Condition::<T, E>::value_retries_ok(&self.retry_if)
                || Condition::<T, E>::value_retries_ok(&self.retry_if_ok),
            needs_clock: Stop::<T, E>::value_needs_clock(&self.stop)
                || Wait::<T, E>::value_needs_clock(&self.wait)
                || Hook::<T, E>::value_needs_clock(&self.before)
                || Hook::<T, E>::value_needs_clock(&self.after)
                || Hook::<T, E>::value_needs_clock(&self.before_sleep)
                || GiveUp::<T, E>::value_needs_clock(&self.on_give_up),
            cancellable: Stop::<T, E>::value_cancellable(&self.stop),
            has_budget: self.budget.value_is_budget(),
            gives_up_as_is: GiveUp::<T, E>::value_returns_last(&self.on_give_up),
            hooks: [
                !Hook::<T, E>::value_is_noop(&self.before),
                !Hook::<T, E>::value_is_noop(&self.after),
                !Hook::<T, E>::value_is_noop(&self.before_sleep),
                !Hook::<T, E>::value_is_noop(&self.on_finish),
            ],
        }
    }
}

impl<S, W, C, O, B, A, Z, G, L, U, X, N> Policy<S, W, C, O, B, A, Z, G, L, U, X, N> {
    /// Calls `operation` until it succeeds or the policy gives up, sleeping by blocking between
    /// attempts. Returns the last outcome (or what `on_give_up` makes of it).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// let mut calls = 0;
    /// let outcome: Result<(), &str> = Policy::new().stop(attempts(3)).wait(none()).call(|| {
    ///     calls += 1;
    ///     Err("down")
    /// });
    /// assert_eq!((outcome, calls), (Err("down"), 3));
    /// ```
    pub fn call<T, E, F>(&self, operation: F) -> Result<T, E>
    where
        F: FnMut() -> Result<T, E>,
        L: SyncSleeper,
        X: crate::timeout::SyncLimits,
        Self: Rules<T, E>,
    {
        self.run_sync(operation, false).0
    }

    /// [`call`](Self::call), returning with the outcome a [`Report`] of what the call went
    /// through: attempts, each attempt's outcome and wait, time slept and elapsed, and why it
    /// ended. It reads the clock at the start and end of the call for `elapsed` (and, once an
    /// attempt fails, at each decision, as a timed call does); a call that fails records each
    /// attempt (a box and a growing list).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{Ending, OutcomeKind, Policy};
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// let (outcome, report) = Policy::new()
    ///     .stop(attempts(3))
    ///     .wait(none())
    ///     .call_reported(|| Err::<(), _>("down"));
    /// assert_eq!(outcome, Err("down"));
    /// assert_eq!(report.ending(), Ending::Attempts);
    /// assert_eq!(report.outcomes(), Some(vec![OutcomeKind::Err; 3]));
    /// ```
    pub fn call_reported<T, E, F>(&self, operation: F) -> (Result<T, E>, Report)
    where
        F: FnMut() -> Result<T, E>,
        L: SyncSleeper,
        X: crate::timeout::SyncLimits,
        Self: Rules<T, E>,
    {
        let (outcome, report) = self.run_sync(operation, true);
        let report =
            report.unwrap_or_else(|| Report::first_time(self.function, &outcome, Duration::ZERO));
        (outcome, report)
    }

    /// What a call returns, with the report when the caller asked for one: the call's own, or,
    /// for a first-time success (which builds none), one made here.
    fn hand_back<T, E>(
        &self,
        call: &mut Call<Result<T, E>>,
        outcome: Result<T, E>,
        reported: bool,
        now: impl Fn() -> std::time::Instant,
    ) -> (Result<T, E>, Option<Report>) {
        let report = call.take_report().or_else(|| {
            reported.then(|| Report::first_time(self.function, &outcome, call.elapsed(now)))
        });
        (outcome, report)
    }

    /// Before each attempt, sync or async: the call ends (`Some`) if a sleep overran the deadline
    /// or the stop was cancelled, or the breaker refuses the attempt; otherwise `before` runs,
    /// and the deadline is checked again, since `before` takes time too. `kept` is the outcome
    /// held across the sleep, handed back if the call ends there.
    fn before_attempt<T, E>(
        &self,
        call: &mut Call<Result<T, E>>,
        kept: &mut Option<Result<T, E>>,
        now: impl Fn() -> std::time::Instant + Copy,
    ) -> Option<Result<T, E>>
    where
        Self: Rules<T, E>,
    {
        if let Some(last) = call.resume(|| kept.take(), self, now) {
            return Some(last);
        }
        if let Some((open, error)) = admit(self, now) {
            return Some(call.refused(open, error, self, now));
        }
        call.before(self, now);
        if let Some(last) = call.resume(|| kept.take(), self, now) {
            return Some(last);
        }
        call.begin_attempt();
        *kept = None;
        None
    }

    fn run_sync<T, E, F>(&self, mut operation: F, reported: bool) -> (Result<T, E>, Option<Report>)
    where
        F: FnMut() -> Result<T, E>,
        L: SyncSleeper,
        X: crate::timeout::SyncLimits,
        Self: Rules<T, E>,
    {
        if self.hedge.is_some() {
            crate::hedge::not_in_sync_calls(self.function);
        }
        let now = || SyncSleeper::now(&self.sleeper);
        let started = start(Rules::<T, E>::answers(self).needs_clock || reported, now);
        let mut call = Call::<Result<T, E>>::new(self.function, started);
        if reported {
            call = call.reported();
        }
        let mut kept = None;
        loop {
            if let Some(last) = self.before_attempt(&mut call, &mut kept, now) {
                return self.hand_back(&mut call, last, reported, now);
            }
            let outcome = crate::nested::during(call.mark(), &mut operation);
            match call.settle(outcome, self, now) {
                Step::Return(outcome) => return self.hand_back(&mut call, outcome, reported, now),
                Step::Sleep(wait, last) => {
                    kept = Some(last);
                    sleep_sync(&self.sleeper, wait);
                }
            }
        }
    }

    /// Calls `operation` and awaits its future until it succeeds or the policy gives up, sleeping
    /// asynchronously between attempts (tokio's timer by default).
    ///
    /// The outcome being retried is kept across each sleep, so that a sleep overrunning a
    /// `deadline` returns it instead of starting a late attempt; the returned future is therefore
    /// `Send` only when `Result<T, E>` is.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    ///
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let outcome: Result<u8, &str> = Policy::new()
    ///     .stop(attempts(2))
    ///     .call_async(|| async { Err("down") })
    ///     .await;
    /// assert_eq!(outcome, Err("down"));
    /// # }
    /// ```
    pub async fn call_async<T, E, F, Fut>(&self, operation: F) -> Result<T, E>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        L: AsyncSleeper,
        X: Limits<E>,
        Self: Rules<T, E>,
    {
        self.run_async(operation, false).await.0
    }

    /// [`call_async`](Self::call_async), returning with the outcome a [`Report`] of what the call
    /// went through (see [`call_reported`](Self::call_reported)).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::{Ending, Policy};
    /// use persevere::stop::attempts;
    /// use persevere::wait::fixed;
    ///
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let (outcome, report) = Policy::new()
    ///     .stop(attempts(3))
    ///     .wait(fixed(Duration::from_secs(1)))
    ///     .call_async_reported(|| async { Err::<(), _>("down") })
    ///     .await;
    /// assert_eq!(outcome, Err("down"));
    /// assert_eq!(report.ending(), Ending::Attempts);
    /// assert_eq!(report.elapsed(), Duration::from_secs(2));
    /// # }
    /// ```
    pub async fn call_async_reported<T, E, F, Fut>(&self, operation: F) -> (Result<T, E>, Report)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        L: AsyncSleeper,
        X: Limits<E>,
        Self: Rules<T, E>,
    {
        let (outcome, report) = self.run_async(operation, true).await;
        let report =
            report.unwrap_or_else(|| Report::first_time(self.function, &outcome, Duration::ZERO));
        (outcome, report)
    }

    async fn run_async<T, E, F, Fut>(
        &self,
        mut operation: F,
        reported: bool,
    ) -> (Result<T, E>, Option<Report>)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        L: AsyncSleeper,
        X: Limits<E>,
        Self: Rules<T, E>,
    {
        if let Some(hedge) = self.hedge.filter(|hedge| hedge.most_in_flight() > 1) {
            // Boxed: a call without hedging keeps its future as small as it was.
            return Box::pin(crate::hedge::run(
                self,
                self.function,
                hedge,
                operation,
                reported,
                None::<Result<T, E>>,
            ))
            .await;
        }
        let now = || AsyncSleeper::now(&self.sleeper);
        let (attempt_limit, total_limit) = self.limits.limits();
        // A time limit sets a timer anyway: the clock costs little beside it.
        let timed = Rules::<T, E>::answers(self).needs_clock
            || total_limit.is_some()
            || attempt_limit.is_some()
            || reported;
        let started = start(timed, now);
        let mut call = Call::<Result<T, E>>::new(self.function, started);
        if reported {
            call = call.reported();
        }
        let mut kept = None;
        loop {
            if let Some(last) = self.before_attempt(&mut call, &mut kept, now) {
                return self.hand_back(&mut call, last, reported, now);
            }
            let timer = call
                .attempt_limit(attempt_limit, total_limit, now)
                .map(|timeout| (self.sleeper.time_limit(timeout.limit()), timeout));
            let (outcome, timed_out) = crate::timeout::within(
                // The closure's own work before it returns the future is marked too.
                crate::nested::Marked::new(
                    call.mark(),
                    crate::nested::during(call.mark(), &mut operation),
                ),
                timer,
                X::convert,
            )
            .await;
            if timed_out {
                call.attempt_timed_out();
            }
            match call.settle(outcome, self, now) {
                Step::Return(outcome) => return self.hand_back(&mut call, outcome, reported, now),
                Step::Sleep(wait, last) => {
                    // Kept across the sleep, to return if the sleep overruns a deadline.
                    kept = Some(last);
                    if let Some(sleeping) = sleep_async(&self.sleeper, wait) {
                        crate::engine::cut_at_limit(self, sleeping, &call, now).await;
                    }
                }
            }
        }
    }
}
