//! Items only the `#[retry]` expansion uses. Not part of the public API: the version in the path
//! lets a future expansion change them without breaking code compiled against this one.

/// The first version of the expansion's support items.
pub mod v1 {
    use std::future::Future;
    use std::time::Duration;

    pub use crate::condition::{OnOk, any_error};
    pub use crate::engine::{Call, Rules, Step};
    pub use crate::outcome::Outcome;
    pub use crate::policy::Policy;
    pub use crate::sleep::DefaultSleeper;
    use crate::sleep::{AsyncSleeper, SyncSleeper};
    pub use crate::{RetryState, condition, hook, stop, wait};
    pub use core::time::Duration as StdDuration;

    // Every item that needs `R: Outcome` is a free function, and the expansion spans each call at
    // the function's return type: for a return type that is not a `Result`, rustc then reports the
    // one unmet bound once, with `Outcome`'s message, at the return type.

    /// Starts a call of a sync function.
    #[inline(always)]
    pub fn start_sync<R: Outcome, S: SyncSleeper>(
        function: &'static str,
        sleeper: S,
        timed: bool,
    ) -> Call<R, S> {
        Call::new_sync(function, sleeper, timed)
    }

    /// Starts a call of an async function.
    #[inline(always)]
    pub fn start_async<R: Outcome, S: AsyncSleeper>(
        function: &'static str,
        sleeper: S,
        timed: bool,
    ) -> Call<R, S> {
        Call::new_async(function, sleeper, timed)
    }

    /// Whether an attempt succeeded.
    #[inline(always)]
    pub fn is_ok<R: Outcome>(outcome: &R) -> bool {
        outcome.as_result().is_ok()
    }

    /// Runs the `before` hook.
    #[inline(always)]
    pub fn before<R: Outcome, S, P: Rules<R::Ok, R::Err>>(call: &Call<R, S>, rules: &P) {
        call.before(rules)
    }

    /// Decides what follows an attempt.
    #[inline(always)]
    pub fn settle<R: Outcome, S, P: Rules<R::Ok, R::Err>>(
        call: &mut Call<R, S>,
        outcome: R,
        rules: &P,
    ) -> Step<R> {
        call.settle(outcome, rules)
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

    // Closure typing for the attribute's values: each returns its argument, bounded so that a
    // closure written in the attribute gets its parameter types from the function's `Result`.

    #[inline(always)]
    pub fn stop_fn<R: Outcome, S, F: Fn(&RetryState<'_, R::Ok, R::Err>) -> bool>(
        _: &Call<R, S>,
        f: F,
    ) -> F {
        f
    }
    #[inline(always)]
    pub fn wait_fn<R: Outcome, S, F: Fn(&RetryState<'_, R::Ok, R::Err>) -> Duration>(
        _: &Call<R, S>,
        f: F,
    ) -> F {
        f
    }
    #[inline(always)]
    pub fn error_fn<R: Outcome, S, F: Fn(&R::Err) -> bool>(_: &Call<R, S>, f: F) -> F {
        f
    }
    #[inline(always)]
    pub fn ok_fn<R: Outcome, S, F: Fn(&R::Ok) -> bool>(_: &Call<R, S>, f: F) -> F {
        f
    }
    #[inline(always)]
    pub fn hook_fn<R: Outcome, S, F: Fn(&RetryState<'_, R::Ok, R::Err>)>(
        _: &Call<R, S>,
        f: F,
    ) -> F {
        f
    }
    #[inline(always)]
    pub fn give_up_fn<R: Outcome, S, F>(_: &Call<R, S>, f: F) -> F
    where
        F: Fn(Result<R::Ok, R::Err>, &RetryState<'_, R::Ok, R::Err>) -> Result<R::Ok, R::Err>,
    {
        f
    }
}
