//! How long to sleep between attempts: wait strategies.
//!
//! A wait strategy is asked after each failed attempt that will be retried. Add strategies with
//! `+`; pick one per attempt with [`chain`].
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::Duration;
//! use persevere::wait::{exponential, random};
//!
//! // 1, 2, 4, 8 … s capped at 30 s, plus up to 1 s of jitter.
//! let wait = exponential().max(Duration::from_secs(30))
//!     + random(Duration::ZERO, Duration::from_secs(1));
//! # let _ = wait;
//! ```

mod cases;
mod chain;
mod combine;
mod exponential;
mod fixed;
mod from_fn;
mod hinted;
mod incrementing;
mod jittered;

pub use cases::{CaseList, Cases, NoCase, when};
pub use chain::{Chain, EmptyChain, WaitList, chain, chain_vec};
pub use combine::WaitSum;
pub use exponential::{Exponential, exponential};
pub use fixed::{Fixed, fixed, none};
pub use from_fn::{ByError, FromFn, from_error, from_fn};
#[cfg(feature = "http")]
pub use hinted::HeaderOrder;
pub use hinted::{FromError, FromOk, OwnHint, ReadsHint, ServerHintWait, server_hint};
pub use incrementing::{Incrementing, incrementing};
pub use jittered::{
    DecorrelatedJitter, ExponentialJitter, Random, RandomExponential, decorrelated_jitter,
    exponential_jitter, random, random_exponential,
};

use std::time::Duration;

use crate::RetryState;
use crate::indirect::{boxed_operator, forward_dyn, forward_ref};

/// Computes the sleep after a failed attempt.
///
/// Implemented for every closure `Fn(&RetryState<'_, T, E>) -> Duration`, which sees the last
/// error through [`RetryState::error`], so different errors can wait differently.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::Wait;
///
/// // Twice as long after each attempt, starting at 10 ms.
/// let wait = |state: &RetryState<'_, (), ()>| Duration::from_millis(10) * 2u32.pow(state.attempt() - 1);
/// assert_eq!(wait.next_wait(&RetryState::new(3)), Duration::from_millis(40));
/// ```
///
/// Implement it for a strategy of your own. One that reads no clock says so, which lets a call
/// that uses it skip reading the time:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::Wait;
///
/// /// Waits the attempt's number in seconds, up to a minute.
/// struct Linear;
///
/// impl<T, E> Wait<T, E> for Linear {
///     fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
///         Duration::from_secs(u64::from(state.attempt()).min(60))
///     }
///     fn needs_clock() -> bool {
///         false
///     }
/// }
///
/// assert_eq!(Wait::<(), ()>::next_wait(&Linear, &RetryState::new(4)), Duration::from_secs(4));
/// assert_eq!(Wait::<(), ()>::next_wait(&Linear, &RetryState::new(90)), Duration::from_secs(60));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a wait strategy for `Result<{T}, {E}>`",
    label = "not a wait strategy",
    note = "a wait strategy is `fixed(d)`, `exponential(..)`, `random(..)`, `chain(a, b)` (waits in turn; `chain_vec(list)` for a list made at run time), a closure `|state| -> Duration`, or a type implementing `persevere::wait::Wait`",
    note = "a stop (`attempts`, `elapsed`, `deadline`, ..) goes in `stop`, a condition (`on_error`, `error_type`, ..) in `retry_if`"
)]
pub trait Wait<T, E> {
    /// The sleep before the next attempt; `state.attempt()` is the attempt that just failed.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{exponential, Wait};
    ///
    /// let wait = exponential().multiplier(Duration::from_millis(100));
    /// let third = RetryState::<(), ()>::new(3);
    /// assert_eq!(wait.next_wait(&third), Duration::from_millis(400));
    /// ```
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration;

    /// How many slots of the call's memory this strategy keeps between attempts (default 0).
    /// A strategy that needs its own history, as [`decorrelated_jitter`] needs its own previous
    /// wait, reads and writes it with [`RetryState::recall`] and [`RetryState::remember`];
    /// combinators such as `+` and [`chain`] give each part its own slots.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::wait::{decorrelated_jitter, fixed, Wait};
    ///
    /// assert_eq!(Wait::<(), ()>::memory_slots(&fixed(Duration::from_secs(1))), 0);
    /// // It keeps its previous wait.
    /// assert_eq!(Wait::<(), ()>::memory_slots(&decorrelated_jitter()), 1);
    /// ```
    fn memory_slots(&self) -> usize {
        0
    }

    /// Whether this strategy reads `state.elapsed()`. When no part of a policy does, a call
    /// reads no clock. Leave the default (`true`) unless you are sure. Asked of the type, so a
    /// boxed strategy keeps the default.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{fixed, Wait};
    ///
    /// fn needs_clock<W: Wait<(), ()>>(_: &W) -> bool {
    ///     W::needs_clock()
    /// }
    ///
    /// assert!(!needs_clock(&fixed(Duration::from_secs(1))));
    /// // A closure might read the time, so it is asked for.
    /// assert!(needs_clock(&|_: &RetryState<'_, (), ()>| Duration::from_secs(1)));
    /// ```
    fn needs_clock() -> bool
    where
        Self: Sized,
    {
        true
    }

    /// [`needs_clock`](Wait::needs_clock), asked of the value: a type-erased wait keeps the
    /// answer of the type it hides. Leave the default.
    #[doc(hidden)]
    fn value_needs_clock(&self) -> bool
    where
        Self: Sized,
    {
        Self::needs_clock()
    }
}

// `crate::proven` answers for the attribute's closures as this impl does: keep the two in step.
// Not suggested in errors: the trait's own message says what it takes, closures included.
#[diagnostic::do_not_recommend]
impl<T, E, F> Wait<T, E> for F
where
    F: Fn(&RetryState<'_, T, E>) -> Duration,
{
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        self(state)
    }
}

/// A plain `Duration` waits that long after every attempt, like [`fixed`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::Wait;
///
/// let wait = Duration::from_millis(250);
/// assert_eq!(Wait::<(), ()>::next_wait(&wait, &RetryState::new(3)), wait);
/// ```
impl<T, E> Wait<T, E> for Duration {
    #[inline]
    fn next_wait(&self, _: &RetryState<'_, T, E>) -> Duration {
        *self
    }
    fn needs_clock() -> bool {
        false
    }
}

forward_dyn!(Wait {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration;
    fn memory_slots(&self) -> usize;
});
boxed_operator!(Wait, Add, add, WaitSum);
forward_ref!(Wait for [] Duration {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration;
} answers [needs_clock]);

/// Implements `+` for wait strategy types, and `Wait` for references to them.
macro_rules! wait_operators {
    ($($ty:ident $(<$($param:ident),*>)?),* $(,)?) => {$(
        forward_ref!(Wait for [$($($param),*)?] $ty $(<$($param),*>)? {
            fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration;
            fn memory_slots(&self) -> usize;
        } answers [needs_clock]);
        impl<$($($param,)*)? Rhs> core::ops::Add<Rhs> for $ty $(<$($param),*>)? {
            type Output = WaitSum<Self, Rhs>;
            fn add(self, rhs: Rhs) -> Self::Output {
                WaitSum(self, rhs)
            }
        }
        // `fixed(1s) | exponential()`: told what to write, where rustc would only say it
        // cannot combine them.
        impl<$($($param,)*)? Rhs: crate::wait::WaitsDoNotCombine> core::ops::BitOr<Rhs>
            for $ty $(<$($param),*>)?
        {
            type Output = WaitSum<Self, Rhs>;
            fn bitor(self, rhs: Rhs) -> Self::Output {
                WaitSum(self, rhs)
            }
        }
        impl<$($($param,)*)? Rhs: crate::wait::WaitsDoNotCombine> core::ops::BitAnd<Rhs>
            for $ty $(<$($param),*>)?
        {
            type Output = WaitSum<Self, Rhs>;
            fn bitand(self, rhs: Rhs) -> Self::Output {
                WaitSum(self, rhs)
            }
        }
    )*};
}

/// Waits do not combine with `|` or `&`: implemented by no type, so `fixed(1s) | exponential()`
/// is told to add them with `+`, or to choose one by the outcome with `when(..)`.
///
/// ```compile_fail
/// # use persevere_runtime as persevere;
/// use persevere::wait::{exponential, fixed};
///
/// let wait = fixed(std::time::Duration::from_secs(1)) | exponential(); // write `+`
/// ```
#[diagnostic::on_unimplemented(
    message = "waits do not combine with `|` or `&`: add them with `+`, or choose one by the outcome with `when(..)`",
    label = "`|` and `&` combine stops and conditions",
    note = "write `fixed(1s) + random(0s, 1s)` to wait the sum, or `when(is_throttled, fixed(5s)).otherwise(exponential())` to choose"
)]
pub trait WaitsDoNotCombine: crate::operators::Unimplemented {}

// For `crate::config::handler`, whose strategies combine as the runtime's own.
#[cfg_attr(not(all(feature = "serde", feature = "http")), allow(unused_imports))]
pub(crate) use wait_operators;
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
    ServerHintWait<W, S, R>,
    Cases<Before, P, W, O>,
    ByError<F, X>,
    FromFn<F>,
);
