//! Items only the `#[retry]` expansion uses. Not part of the public API: the version in the path
//! lets a future expansion change them without breaking code compiled against this one.

/// The first version of the expansion's support items.
pub mod v1 {
    use std::future::Future;
    use std::time::Duration;

    use std::time::Instant;

    use crate::engine::{Call, Rules};
    use crate::outcome::Outcome;
    use crate::sleep::{AsyncSleeper, SyncSleeper};
    use crate::{Attempt, RetryState};

    // What the expansion names: the strategy modules (lowered names such as
    // `#rt::stop::attempts`), the policy, the default sleeper, and the steps of the loop.
    pub use crate::engine::{Step, sleep_async, sleep_sync};
    pub use crate::policy::Policy;
    pub use crate::sleep::DefaultSleeper;
    pub use crate::{condition, hook, stop, wait};

    // Every item that needs `R: Outcome` is a free function, and the expansion spans each call at
    // the function's return type: for a return type that is not a `Result`, rustc then reports the
    // one unmet bound once, with `Outcome`'s message, at the return type.

    /// The clock of a sync function's sleeper. Also where a sleeper that cannot block is
    /// reported.
    #[inline(always)]
    pub fn clock_sync<S: SyncSleeper>(sleeper: &S) -> impl Fn() -> Instant + '_ {
        move || sleeper.now()
    }

    /// The clock of an async function's sleeper.
    #[inline(always)]
    pub fn clock_async<S: AsyncSleeper>(sleeper: &S) -> impl Fn() -> Instant + '_ {
        move || sleeper.now()
    }

    /// When the call starts: the clock's time if `timed`, else `None`. Also where an unmet
    /// `Outcome` bound is first reported.
    #[inline(always)]
    pub fn start<R: Outcome>(now: &impl Fn() -> Instant, timed: bool) -> Option<Instant> {
        crate::engine::start(timed, now)
    }

    /// Whether an attempt succeeded. The failure branch is marked cold, so the compiler lays the
    /// retry loop out of the happy path's way.
    #[inline(always)]
    pub fn is_ok<R: Outcome>(outcome: &R) -> bool {
        if outcome.as_result().is_ok() {
            true
        } else {
            failed();
            false
        }
    }

    #[cold]
    #[inline(never)]
    fn failed() {}

    /// The call's state, made when it is first needed.
    #[inline(always)]
    pub fn call<'a, R: Outcome>(
        call: &'a mut Option<Call<R>>,
        function: &'static str,
        start: Option<Instant>,
    ) -> &'a mut Call<R> {
        call.get_or_insert_with(|| Call::new(function, start))
    }

    /// What `attempt = name` binds before an attempt.
    pub fn attempt<R: Outcome>(
        call: &Option<Call<R>>,
        started: Option<Instant>,
        now: &impl Fn() -> Instant,
    ) -> Attempt {
        Attempt {
            number: call.as_ref().map_or(1, Call::attempt),
            elapsed: started.map_or(Duration::ZERO, |start| {
                now().saturating_duration_since(start)
            }),
            slept: call.as_ref().map_or(Duration::ZERO, Call::slept),
        }
    }

    /// Runs the `before` hook.
    #[inline(always)]
    pub fn before<R: Outcome, P: Rules<R::Ok, R::Err>>(
        call: &Call<R>,
        rules: &P,
        now: &impl Fn() -> Instant,
    ) {
        call.before(rules, now)
    }

    /// Decides what follows a failed attempt.
    #[inline(always)]
    pub fn settle<R: Outcome, P: Rules<R::Ok, R::Err>>(
        call: &mut Call<R>,
        outcome: R,
        rules: &P,
        now: &impl Fn() -> Instant,
    ) -> Step<R> {
        call.settle(outcome, rules, now)
    }

    /// Gives a `sleep = |d| ...` closure for a sync function its parameter type.
    #[inline(always)]
    pub fn sync_sleeper<F: Fn(Duration)>(f: F) -> F {
        f
    }

    /// Gives a `sleep = |d| ...` closure for an async function its parameter type.
    #[inline(always)]
    pub fn async_sleeper<F: Fn(Duration) -> Fut, Fut: Future<Output = ()>>(f: F) -> F {
        f
    }

    // Checks for the attribute's other values, spanned at the value, so a value of the wrong kind
    // is reported where it is written. Each returns an opaque type that meets its trait, so the
    // failure is reported once, here, and not again where the policy is used.

    #[inline(always)]
    pub fn stop_value<R: Outcome, S: crate::stop::Stop<R::Ok, R::Err>>(
        s: S,
    ) -> impl crate::stop::Stop<R::Ok, R::Err> {
        s
    }
    #[inline(always)]
    pub fn wait_value<R: Outcome, W: crate::wait::Wait<R::Ok, R::Err>>(
        w: W,
    ) -> impl crate::wait::Wait<R::Ok, R::Err> {
        w
    }
    #[inline(always)]
    pub fn condition_value<R: Outcome, C: crate::condition::Condition<R::Ok, R::Err>>(
        c: C,
    ) -> impl crate::condition::Condition<R::Ok, R::Err> {
        c
    }
    #[inline(always)]
    pub fn hook_value<R: Outcome, H: crate::hook::Hook<R::Ok, R::Err>>(
        h: H,
    ) -> impl crate::hook::Hook<R::Ok, R::Err> {
        h
    }
    #[inline(always)]
    pub fn give_up_value<R: Outcome, G: crate::hook::GiveUp<R::Ok, R::Err>>(
        g: G,
    ) -> impl crate::hook::GiveUp<R::Ok, R::Err> {
        g
    }

    // Closure typing for the attribute's values: each returns its argument, bounded so that a
    // closure written in the attribute gets its parameter types from the function's `Result`.

    #[inline(always)]
    pub fn stop_fn<R: Outcome, F: Fn(&RetryState<'_, R::Ok, R::Err>) -> bool>(f: F) -> F {
        f
    }
    #[inline(always)]
    pub fn wait_fn<R: Outcome, F: Fn(&RetryState<'_, R::Ok, R::Err>) -> Duration>(f: F) -> F {
        f
    }
    #[inline(always)]
    pub fn error_fn<R: Outcome, F: Fn(&R::Err) -> bool>(f: F) -> F {
        f
    }
    #[inline(always)]
    pub fn ok_fn<R: Outcome, F: Fn(&R::Ok) -> bool>(f: F) -> F {
        f
    }
    #[inline(always)]
    pub fn hook_fn<R: Outcome, F: Fn(&RetryState<'_, R::Ok, R::Err>)>(f: F) -> F {
        f
    }
    #[inline(always)]
    pub fn give_up_fn<R: Outcome, F>(f: F) -> F
    where
        F: Fn(Result<R::Ok, R::Err>, &RetryState<'_, R::Ok, R::Err>) -> Result<R::Ok, R::Err>,
    {
        f
    }
}
