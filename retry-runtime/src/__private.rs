//! Items only the `#[retry]` expansion uses. Not part of the public API: the version in the path
//! lets a future expansion change them without breaking code compiled against this one.

/// The first version of the expansion's support items.
pub mod v1 {
    use std::future::Future;
    use std::time::Duration;

    pub use crate::condition::{OnOk, any_error};
    pub use crate::engine::{Call, Step};
    pub use crate::outcome::Outcome;
    pub use crate::policy::Policy;
    pub use crate::sleep::DefaultSleeper;
    pub use crate::{RetryState, condition, hook, stop, wait};
    pub use core::time::Duration as StdDuration;

    /// Whether an attempt succeeded.
    #[inline(always)]
    pub fn is_ok<R: Outcome>(outcome: &R) -> bool {
        outcome.as_result().is_ok()
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

    /// Closure typing for the attribute's values: each method returns its argument, bounded so
    /// that a closure written in the attribute gets its parameter types from the function's own
    /// `Result` type.
    impl<R: Outcome, S> Call<R, S> {
        #[inline(always)]
        pub fn stop_fn<F: Fn(&RetryState<'_, R::Ok, R::Err>) -> bool>(&self, f: F) -> F {
            f
        }
        #[inline(always)]
        pub fn wait_fn<F: Fn(&RetryState<'_, R::Ok, R::Err>) -> Duration>(&self, f: F) -> F {
            f
        }
        #[inline(always)]
        pub fn error_fn<F: Fn(&R::Err) -> bool>(&self, f: F) -> F {
            f
        }
        #[inline(always)]
        pub fn ok_fn<F: Fn(&R::Ok) -> bool>(&self, f: F) -> F {
            f
        }
        #[inline(always)]
        pub fn hook_fn<F: Fn(&RetryState<'_, R::Ok, R::Err>)>(&self, f: F) -> F {
            f
        }
        #[inline(always)]
        pub fn give_up_fn<F>(&self, f: F) -> F
        where
            F: Fn(Result<R::Ok, R::Err>, &RetryState<'_, R::Ok, R::Err>) -> Result<R::Ok, R::Err>,
        {
            f
        }
    }
}
