//! Which outcomes to retry: conditions.
//!
//! A condition looks at an attempt's outcome and says whether to retry it. Closures and functions
//! taking `&E` are conditions on the error; [`on_ok`] builds one on the `Ok` value. Combine them with
//! `|` (any, short-circuiting), `&` (all, short-circuiting) and `!` (not).
//!
//! ```
//! # use persevere_runtime as persevere;
//! use persevere::condition::{message_contains, on_error, Condition};
//!
//! let transient = on_error(|e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut)
//!     | message_contains("try again");
//! let outcome: Result<(), std::io::Error> = Err(std::io::Error::other("busy, try again later"));
//! assert!(transient.should_retry(&outcome));
//! ```

use crate::indirect::{boxed_operator, forward_dyn, forward_ref};

mod basic;
pub(crate) mod causes;
mod code;
mod combine;
mod error_type;
mod message;
mod network;

pub use basic::{Always, AnyError, NoOk, OnError, OnOk, always, any_error, never, on_error, on_ok};
pub use code::{CodeSet, ErrorCode, ErrorCodes, error_codes};
pub use combine::{All, Any, Not};
pub use error_type::{
    Boxed, CauseType, ErrorChain, ErrorType, Plain, SearchedError, Unsync, error_type,
};
#[cfg(feature = "regex")]
pub use message::message_matches;
pub use message::{MessageContains, MessageIs, MessageMatches, message_contains, message_is};
pub use network::{Network, is_connect_error, is_network_error, network};

/// Decides whether an attempt's outcome should be retried.
///
/// Implemented for every closure `Fn(&E) -> bool` (a condition on the error: false for an `Ok`).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::Condition;
///
/// let is_busy = |code: &u16| *code == 503;
/// assert!(is_busy.should_retry(&Err::<(), u16>(503)));
/// assert!(!is_busy.should_retry(&Err::<(), u16>(404)));
/// assert!(!is_busy.should_retry(&Ok::<(), u16>(())));
/// ```
///
/// Implement it for a condition of your own, here one that also retries an `Ok` value:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::Condition;
///
/// /// Retries a failed job, and one that finished but reported itself incomplete.
/// struct Unfinished;
///
/// struct Job { complete: bool }
///
/// impl<E> Condition<Job, E> for Unfinished {
///     fn should_retry(&self, outcome: &Result<Job, E>) -> bool {
///         outcome.as_ref().map_or(true, |job| !job.complete)
///     }
/// }
///
/// assert!(Unfinished.should_retry(&Ok::<_, ()>(Job { complete: false })));
/// assert!(Unfinished.should_retry(&Err::<Job, _>("timed out")));
/// assert!(!Unfinished.should_retry(&Ok::<_, ()>(Job { complete: true })));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a retry condition for `Result<{T}, {E}>`",
    label = "not a condition on this function's outcome",
    note = "a condition is a closure or function taking `&{E}` and returning `bool`, or `on_error(..)`, `error_type::<T>()`, `message_contains(..)` (which needs `{E}: Display`), combined with `|`, `&`, `!`; one variant of an error is `|e| matches!(e, Error::Busy)`, a method of `self` `|e| self.is_transient(e)`",
    note = "a stop (`attempts`, `elapsed`, `deadline`, ..) goes in `stop`, a wait (`fixed`, `exponential`, ..) in `wait`"
)]
pub trait Condition<T, E> {
    /// True to retry this outcome.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::condition::{Condition, on_ok};
    ///
    /// let timed_out = |e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut;
    /// let outcome: Result<(), _> = Err(std::io::Error::from(std::io::ErrorKind::TimedOut));
    /// assert!(timed_out.should_retry(&outcome));
    ///
    /// let empty = on_ok(|rows: &Vec<u32>| rows.is_empty());
    /// assert!(empty.should_retry(&Ok::<_, ()>(vec![])));
    /// assert!(!empty.should_retry(&Ok::<_, ()>(vec![7])));
    /// ```
    fn should_retry(&self, outcome: &Result<T, E>) -> bool;

    /// Whether this condition can ever retry an `Ok` outcome. When it cannot, a successful attempt
    /// returns without consulting it. Asked of the type (the default, `true`, is always safe), so a
    /// boxed condition is asked about every `Ok`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::condition::{Condition, on_ok};
    ///
    /// fn retries_ok<C: Condition<u32, String>>(_: &C) -> bool {
    ///     C::retries_ok()
    /// }
    ///
    /// assert!(!retries_ok(&|e: &String| e.contains("busy"))); // on the error only
    /// assert!(retries_ok(&on_ok(|n: &u32| *n == 0)));
    /// ```
    fn retries_ok() -> bool
    where
        Self: Sized,
    {
        true
    }

    /// [`retries_ok`](Condition::retries_ok), asked of the value: a type-erased condition keeps
    /// the answer of the type it hides. Leave the default.
    #[doc(hidden)]
    fn value_retries_ok(&self) -> bool
    where
        Self: Sized,
    {
        Self::retries_ok()
    }
}

forward_dyn!(Condition {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool;
});
boxed_operator!(Condition, BitOr, bitor, Any);
boxed_operator!(Condition, BitAnd, bitand, All);

// `crate::proven` answers for the attribute's closures as this impl does: keep the two in step.
// Not suggested in errors: the trait's own message says what it takes, closures included.
#[diagnostic::do_not_recommend]
impl<T, E, F> Condition<T, E> for F
where
    F: Fn(&E) -> bool,
{
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.as_ref().is_err_and(self)
    }
    fn retries_ok() -> bool {
        false
    }
}

/// Implements `|`, `&` and `!` for condition types, and `Condition` for references to them.
macro_rules! condition_operators {
    ($($ty:ident $(<$($param:ident),*>)?),* $(,)?) => {$(
        forward_ref!(Condition for [$($($param),*)?] $ty $(<$($param),*>)? {
            fn should_retry(&self, outcome: &Result<T, E>) -> bool;
        } answers [retries_ok]);
        impl<$($($param,)*)? Rhs> core::ops::BitOr<Rhs> for $ty $(<$($param),*>)? {
            type Output = Any<Self, Rhs>;
            fn bitor(self, rhs: Rhs) -> Self::Output {
                Any(self, rhs)
            }
        }
        impl<$($($param,)*)? Rhs> core::ops::BitAnd<Rhs> for $ty $(<$($param),*>)? {
            type Output = All<Self, Rhs>;
            fn bitand(self, rhs: Rhs) -> Self::Output {
                All(self, rhs)
            }
        }
        impl$(<$($param),*>)? core::ops::Not for $ty $(<$($param),*>)? {
            type Output = Not<Self>;
            fn not(self) -> Self::Output {
                Not(self)
            }
        }
        // `any_error() + on_ok(..)`: told what to write, where rustc would only say it cannot
        // add them.
        impl<$($($param,)*)? Rhs: crate::condition::ConditionsDoNotAdd> core::ops::Add<Rhs>
            for $ty $(<$($param),*>)?
        {
            type Output = Any<Self, Rhs>;
            fn add(self, rhs: Rhs) -> Self::Output {
                Any(self, rhs)
            }
        }
    )*};
}

/// Conditions do not add up: implemented by no type, so `any_error() + on_ok(..)` is told to
/// write `|` or `&` instead.
///
/// ```compile_fail
/// # use persevere_runtime as persevere;
/// use persevere::condition::{any_error, on_ok};
///
/// let condition = any_error() + on_ok(|n: &u32| *n == 0); // write `|`
/// ```
#[diagnostic::on_unimplemented(
    message = "conditions do not add up: combine them with `|` (either) or `&` (both)",
    label = "`+` adds waits",
    note = "write `any_error() | on_ok(|n| *n == 0)` to retry when either says so"
)]
pub trait ConditionsDoNotAdd: crate::operators::Unimplemented {}

#[cfg_attr(not(feature = "http"), allow(unused_imports))] // for `crate::http`
pub(crate) use condition_operators;
condition_operators!(
    Always,
    AnyError,
    NoOk,
    OnError<F>,
    OnOk<F>,
    ErrorType<X, V>,
    CauseType<X, V>,
    MessageContains,
    MessageIs,
    MessageMatches,
    Any<A, B>,
    All<A, B>,
    Not<C>,
    ErrorCodes<S>,
    Network<V>,
);
