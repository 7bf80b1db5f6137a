//! How long to sleep between attempts: wait strategies.
//!
//! A wait strategy is asked after each failed attempt that will be retried. Add strategies with
//! `+`; pick one per attempt with [`chain`].
//!
//! ```
//! use std::time::Duration;
//! use persevere::wait::{exponential, random};
//!
//! // 1, 2, 4, 8 … s capped at 30 s, plus up to 1 s of jitter.
//! let wait = exponential().max(Duration::from_secs(30))
//!     + random(Duration::ZERO, Duration::from_secs(1));
//! # let _ = wait;
//! ```

mod chain;
mod combine;
mod exponential;
mod fixed;
mod from_fn;
mod incrementing;
mod jittered;

pub use chain::{Chain, EmptyChain, WaitList, chain, chain_vec};
pub use combine::WaitSum;
pub use exponential::{Exponential, exponential};
pub use fixed::{Fixed, fixed, none};
pub use from_fn::{from_error, from_fn};
pub use incrementing::{Incrementing, incrementing};
pub use jittered::{
    DecorrelatedJitter, ExponentialJitter, Random, RandomExponential, decorrelated_jitter,
    exponential_jitter, random, random_exponential,
};

use std::time::Duration;

use crate::RetryState;

/// Computes the sleep after a failed attempt.
///
/// Implemented for every closure `Fn(&RetryState<'_, T, E>) -> Duration`, which sees the last
/// error through [`RetryState::error`], so different errors can wait differently.
///
/// ```
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::Wait;
///
/// // Twice as long after each attempt, starting at 10 ms.
/// let wait = |state: &RetryState<'_, (), ()>| Duration::from_millis(10) * 2u32.pow(state.attempt() - 1);
/// assert_eq!(wait.next_wait(&RetryState::new(3)), Duration::from_millis(40));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a wait strategy for `Result<{T}, {E}>`",
    label = "not a wait strategy",
    note = "a wait strategy is `fixed(d)`, `exponential(..)`, `random(..)`, `chain(..)`, a closure `|state| -> Duration`, or a type implementing `persevere::wait::Wait`"
)]
pub trait Wait<T, E> {
    /// The sleep before the next attempt; `state.attempt()` is the attempt that just failed.
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration;

    /// Whether this strategy reads `state.elapsed()`. When no part of a policy does, the call
    /// never reads the clock. Leave the default (`true`) unless you are sure.
    const NEEDS_CLOCK: bool = true;
}

impl<T, E, F> Wait<T, E> for F
where
    F: Fn(&RetryState<'_, T, E>) -> Duration,
{
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        self(state)
    }
}

/// Implements `+` for wait strategy types.
macro_rules! wait_operators {
    ($($ty:ident $(<$($param:ident),*>)?),* $(,)?) => {$(
        impl<$($($param,)*)? Rhs> core::ops::Add<Rhs> for $ty $(<$($param),*>)? {
            type Output = WaitSum<Self, Rhs>;
            fn add(self, rhs: Rhs) -> Self::Output {
                WaitSum(self, rhs)
            }
        }
    )*};
}
wait_operators!(
    Fixed,
    Exponential,
    Incrementing,
    Random,
    RandomExponential,
    ExponentialJitter,
    DecorrelatedJitter,
    WaitSum<A, B>,
    Chain<L>,
);
