//! When to give up: stop strategies.
//!
//! A stop strategy is asked after every failed attempt, once the upcoming wait is known. Combine
//! strategies with `|` (stop when either says so) and `&` (stop only when both do).
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::Duration;
//! use persevere::stop::{attempts, elapsed};
//!
//! // At most 5 attempts, and no retry once an attempt ends past 30 s.
//! let stop = attempts(5) | elapsed(Duration::from_secs(30));
//! # let _ = stop;
//! ```
//!
//! `attempts(n)` counts every call, the first included (tenacity's `stop_after_attempt`);
//! `retries(n)` counts the calls after the first, so `retries(3)` is `attempts(4)`.
//!
//! ```
//! # use persevere_runtime as persevere;
//! use persevere::stop::retries;
//!
//! // One call and at most 3 retries.
//! let stop = retries(3);
//! # let _ = stop;
//! ```

mod attempts;
mod cancelled;
mod combine;
mod from_fn;
mod never;
mod retries;
mod time;

pub use attempts::{Attempts, attempts};
pub use cancelled::{Cancelled, cancelled};
pub use combine::{StopAll, StopAny};
pub use from_fn::{FromFn, from_fn};
pub use never::{Never, never};
pub use retries::{Retries, retries};
pub use time::{Deadline, Elapsed, deadline, elapsed};

use std::time::Duration;

use crate::indirect::{boxed_operator, forward_dyn, forward_ref};
use crate::{Ending, RetryState};

/// Decides, after a failed attempt, whether to give up.
///
/// Implemented for every closure `Fn(&RetryState<'_, T, E>) -> bool`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::RetryState;
/// use persevere::stop::Stop;
///
/// /// Gives up as soon as the server said "quota".
/// struct OnQuota;
///
/// impl<T> Stop<T, String> for OnQuota {
///     fn should_stop(&self, state: &RetryState<'_, T, String>) -> bool {
///         state.error().is_some_and(|e| e.contains("quota"))
///     }
/// }
///
/// let failed: Result<(), String> = Err("quota exceeded".into());
/// assert!(OnQuota.should_stop(&RetryState::new(1).with_outcome(&failed)));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a stop strategy for `Result<{T}, {E}>`",
    label = "not a stop strategy",
    note = "a stop strategy is `attempts(n)`, `retries(n)`, `elapsed(d)` (a duration alone is no stop), `deadline(d)`, `never`, a closure `|state| -> bool`, or a type implementing `persevere::stop::Stop`; several combine with `|` (either) or `&` (both), not in a tuple or a list",
    note = "a wait (`fixed`, `exponential`, `random`, ..) goes in `wait`, a condition (`on_error`, `error_type`, ..) in `retry_if`"
)]
pub trait Stop<T, E> {
    /// True to give up now. `state.attempt()` is the attempt that just failed and
    /// `state.upcoming_sleep()` the wait that would follow.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::RetryState;
    /// use persevere::stop::{attempts, Stop};
    ///
    /// let stop = attempts(3);
    /// assert!(!Stop::<(), ()>::should_stop(&stop, &RetryState::new(2)));
    /// assert!(Stop::<(), ()>::should_stop(&stop, &RetryState::new(3)));
    /// ```
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool;

    /// The most attempts this stop allows, when it is a count (`attempts(n)`: `n`,
    /// `retries(n)`: `n + 1`, and their combinations); `None` when it stops by time or not at
    /// all. Read only to tell how nested retries multiply (see [`crate::nested`]). Default:
    /// `None`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::stop::{Stop, attempts, elapsed, retries};
    ///
    /// assert_eq!(Stop::<(), ()>::attempt_limit(&attempts(4)), Some(4));
    /// assert_eq!(Stop::<(), ()>::attempt_limit(&retries(3)), Some(4));
    /// assert_eq!(Stop::<(), ()>::attempt_limit(&elapsed(Duration::from_secs(5))), None);
    /// ```
    fn attempt_limit(&self) -> Option<u32> {
        None
    }
    /// The time after the call's start past which this strategy lets no attempt begin, if it has
    /// one ([`deadline`] does). The call checks it again after the hooks and after each sleep, so
    /// slow hooks or a sleep that overruns never start an attempt past it.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::stop::{attempts, deadline, Stop};
    ///
    /// let stop = attempts(5) | deadline(Duration::from_secs(10));
    /// assert_eq!(Stop::<(), ()>::deadline(&stop), Some(Duration::from_secs(10)));
    /// assert_eq!(Stop::<(), ()>::deadline(&attempts(5)), None);
    /// ```
    fn deadline(&self) -> Option<Duration> {
        None
    }

    /// Whether to give up now, and why: `None` to go on, `Some(reason)` to stop. The call asks
    /// this once per decision (not [`should_stop`](Stop::should_stop) too), so it must agree with
    /// `should_stop`. Default: [`Ending::Stop`] when `should_stop` says so. The runtime's
    /// strategies give their own reason ([`Ending::Attempts`], [`Ending::Elapsed`], …), and
    /// `a | b` the reason of the part that stops, asking each part once.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::stop::{attempts, elapsed, Stop};
    /// use persevere::{Ending, RetryState};
    ///
    /// let stop = attempts(3) | elapsed(Duration::from_secs(60));
    /// let state = RetryState::<(), ()>::new;
    /// assert_eq!(stop.stop_reason(&state(2)), None);
    /// assert_eq!(stop.stop_reason(&state(3)), Some(Ending::Attempts));
    ///
    /// // A closure gives the generic reason.
    /// let late = |state: &RetryState<'_, (), ()>| state.attempt() > 1;
    /// assert_eq!(late.stop_reason(&RetryState::new(2)), Some(Ending::Stop));
    /// ```
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<Ending> {
        self.should_stop(state).then_some(Ending::Stop)
    }

    /// Whether the call should end now, before another attempt: checked when a sleep ends, for
    /// strategies that can be cancelled from outside ([`cancelled`]). Default: `false`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::cancel::Shutdown;
    /// use persevere::stop::{attempts, cancelled, Stop};
    ///
    /// let shutdown = Shutdown::new();
    /// let stop = attempts(5) | cancelled(&shutdown);
    /// assert!(!Stop::<(), ()>::cancelled(&stop));
    /// shutdown.cancel();
    /// assert!(Stop::<(), ()>::cancelled(&stop));
    /// ```
    fn cancelled(&self) -> bool {
        false
    }

    /// Whether [`cancelled`](Stop::cancelled) can ever be true, so the call checks it after each
    /// sleep. Asked of the type. Default: `false`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::cancel::Shutdown;
    /// use persevere::stop::{attempts, cancelled, Stop};
    ///
    /// fn cancellable<S: Stop<(), ()>>(_: &S) -> bool {
    ///     S::cancellable()
    /// }
    ///
    /// let shutdown = Shutdown::new();
    /// assert!(cancellable(&(attempts(5) | cancelled(&shutdown))));
    /// assert!(!cancellable(&attempts(5)));
    /// ```
    fn cancellable() -> bool
    where
        Self: Sized,
    {
        false
    }

    /// Whether this strategy reads `state.elapsed()`. When no part of a policy does, a call
    /// reads no clock. Leave the default (`true`) unless you are sure. Asked of the type, so a
    /// boxed strategy keeps the default.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::stop::{attempts, elapsed, Stop};
    ///
    /// fn needs_clock<S: Stop<(), ()>>(_: &S) -> bool {
    ///     S::needs_clock()
    /// }
    ///
    /// assert!(!needs_clock(&attempts(3))); // counts, never reads the time
    /// assert!(needs_clock(&(attempts(3) | elapsed(Duration::from_secs(30)))));
    /// ```
    fn needs_clock() -> bool
    where
        Self: Sized,
    {
        true
    }

    /// [`needs_clock`](Stop::needs_clock), asked of the value: a type-erased stop keeps the
    /// answer of the type it hides. Leave the default.
    #[doc(hidden)]
    fn value_needs_clock(&self) -> bool
    where
        Self: Sized,
    {
        Self::needs_clock()
    }

    /// [`cancellable`](Stop::cancellable), asked of the value (see
    /// [`value_needs_clock`](Stop::value_needs_clock)). Leave the default.
    #[doc(hidden)]
    fn value_cancellable(&self) -> bool
    where
        Self: Sized,
    {
        Self::cancellable()
    }
}

// `crate::proven` answers for the attribute's closures as this impl does: keep the two in step.
// Not suggested in errors: the trait's own message says what it takes, closures included.
#[diagnostic::do_not_recommend]
impl<T, E, F> Stop<T, E> for F
where
    F: Fn(&RetryState<'_, T, E>) -> bool,
{
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        self(state)
    }
}

forward_dyn!(Stop {
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool;
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<Ending>;
    fn deadline(&self) -> Option<Duration>;
    fn cancelled(&self) -> bool;
    fn attempt_limit(&self) -> Option<u32>;
} assumes {
    // The type hides whether the stop it holds can be cancelled, so a call asks it when each
    // sleep ends (a virtual call that answers `false` unless it holds `cancelled(..)`).
    fn cancellable() -> bool {
        true
    }
});
boxed_operator!(Stop, BitOr, bitor, StopAny);
boxed_operator!(Stop, BitAnd, bitand, StopAll);

/// Implements `|` and `&` for stop strategy types, and `Stop` for references to them.
macro_rules! stop_operators {
    ($($ty:ident $(<$($param:ident),*>)?),* $(,)?) => {$(
        forward_ref!(Stop for [$($($param),*)?] $ty $(<$($param),*>)? {
            fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool;
            fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<Ending>;
            fn deadline(&self) -> Option<Duration>;
            fn cancelled(&self) -> bool;
            fn attempt_limit(&self) -> Option<u32>;
        } answers [needs_clock, cancellable]);
        impl<$($($param,)*)? Rhs> core::ops::BitOr<Rhs> for $ty $(<$($param),*>)? {
            type Output = StopAny<Self, Rhs>;
            fn bitor(self, rhs: Rhs) -> Self::Output {
                StopAny(self, rhs)
            }
        }
        impl<$($($param,)*)? Rhs> core::ops::BitAnd<Rhs> for $ty $(<$($param),*>)? {
            type Output = StopAll<Self, Rhs>;
            fn bitand(self, rhs: Rhs) -> Self::Output {
                StopAll(self, rhs)
            }
        }
        // `attempts(3) + elapsed(10s)`: told what to write, where rustc would only say it
        // cannot add them.
        impl<$($($param,)*)? Rhs: StopsDoNotAdd> core::ops::Add<Rhs> for $ty $(<$($param),*>)? {
            type Output = StopAny<Self, Rhs>;
            fn add(self, rhs: Rhs) -> Self::Output {
                StopAny(self, rhs)
            }
        }
    )*};
}

/// Stops do not add up: implemented by no type, so `attempts(3) + elapsed(10s)` is told to
/// write `|` or `&` instead.
///
/// ```compile_fail
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::stop::{attempts, elapsed};
///
/// let stop = attempts(3) + elapsed(Duration::from_secs(10)); // write `|` or `&`
/// ```
#[diagnostic::on_unimplemented(
    message = "stops do not add up: combine them with `|` (either) or `&` (both)",
    label = "`+` adds waits",
    note = "write `attempts(3) | elapsed(10s)` to stop when either says so"
)]
pub trait StopsDoNotAdd: crate::operators::Unimplemented {}

// For `crate::config::handler`, whose strategies combine as the runtime's own.
#[cfg_attr(not(all(feature = "serde", feature = "http")), allow(unused_imports))]
pub(crate) use stop_operators;
stop_operators!(
    Attempts,
    Retries,
    Never,
    Elapsed,
    Deadline,
    StopAny<A, B>,
    StopAll<A, B>,
    FromFn<F>,
);

// `Cancelled` borrows its `Shutdown`, so its impls name the lifetime.
impl<'s, Rhs> core::ops::BitOr<Rhs> for Cancelled<'s> {
    type Output = StopAny<Self, Rhs>;
    fn bitor(self, rhs: Rhs) -> Self::Output {
        StopAny(self, rhs)
    }
}
impl<'s, Rhs> core::ops::BitAnd<Rhs> for Cancelled<'s> {
    type Output = StopAll<Self, Rhs>;
    fn bitand(self, rhs: Rhs) -> Self::Output {
        StopAll(self, rhs)
    }
}
// A policy borrowed whole (`policy = &POLICY`) holds `&Cancelled`.
impl<T, E> Stop<T, E> for &Cancelled<'_> {
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        (**self).should_stop(state)
    }
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<Ending> {
        (**self).stop_reason(state)
    }
    fn cancelled(&self) -> bool {
        Stop::<T, E>::cancelled(*self)
    }
    fn cancellable() -> bool {
        <Cancelled<'_> as Stop<T, E>>::cancellable()
    }
    fn needs_clock() -> bool {
        <Cancelled<'_> as Stop<T, E>>::needs_clock()
    }
}
