//! Code that runs around attempts: hooks, ready-made log lines, and what to return on giving up.
//!
//! Hooks run in tenacity's order: `before` ahead of every attempt; `after` after every failed
//! attempt that is retried or given up on (not after an error the condition does not retry, which
//! ends the call); `before_sleep` only when a sleep is to follow (a hook that itself takes the
//! call past its deadline ends it there, with no sleep); `on_give_up`
//! once, when the call gives up; `on_finish` once at the end of every call whose first attempt
//! did not succeed, after `on_give_up`.
//!
//! ```
//! # use persevere_runtime as persevere;
//! use persevere::hook::{log, Level};
//! use persevere::Policy;
//!
//! let policy = Policy::new()
//!     .before(log(Level::Debug))
//!     .before_sleep(log(Level::Warn));
//! # let _ = policy;
//! ```

use crate::indirect::{forward_dyn, forward_ref};

mod give_up;
mod log;

pub use give_up::{GiveUp, ReturnLast};
pub(crate) use log::Seconds;
pub use log::{IntoLevel, Level, Log, LogValues, level, log, ordinal};
#[doc(hidden)]
pub use log::{LogEvent, LogSite};

use crate::RetryState;

/// When a hook runs.
///
/// A hook of your own sees the moment it runs at, so one value can serve several slots:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use persevere::hook::{Hook, Moment};
/// use persevere::stop::attempts;
/// use persevere::wait::none;
/// use persevere::{Policy, RetryState};
///
/// /// Counts attempts and sleeps.
/// #[derive(Default)]
/// struct Counts { attempts: AtomicU32, sleeps: AtomicU32 }
///
/// impl<T, E> Hook<T, E> for &Counts {
///     fn call(&self, moment: Moment, _: &RetryState<'_, T, E>) {
///         match moment {
///             Moment::Before => self.attempts.fetch_add(1, Ordering::Relaxed),
///             Moment::BeforeSleep => self.sleeps.fetch_add(1, Ordering::Relaxed),
///             _ => 0,
///         };
///     }
///     fn needs_clock() -> bool {
///         false
///     }
/// }
///
/// let counts = Counts::default();
/// let policy = Policy::new().stop(attempts(3)).wait(none()).before(&counts).before_sleep(&counts);
/// assert_eq!(policy.call(|| Err::<(), _>("down")), Err("down"));
/// assert_eq!(counts.attempts.load(Ordering::Relaxed), 3);
/// assert_eq!(counts.sleeps.load(Ordering::Relaxed), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Moment {
    /// Before each attempt.
    Before,
    /// After each failed attempt that is retried or given up on.
    After,
    /// Before each sleep: when one is to follow.
    BeforeSleep,
    /// Once, when a call ends, unless its first attempt succeeded (`on_finish`).
    Finish,
}

/// Code run at a [`Moment`] of a retried call.
///
/// Implemented for every closure `Fn(&RetryState<'_, T, E>)`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::cell::Cell;
/// use persevere::hook::{Hook, Moment};
/// use persevere::RetryState;
///
/// let seen = Cell::new(0);
/// let count = |state: &RetryState<'_, (), ()>| seen.set(state.attempt());
/// count.call(Moment::Before, &RetryState::new(2));
/// assert_eq!(seen.get(), 2);
/// ```
///
/// [`Moment`]'s page shows an implementation of the trait.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a hook for `Result<{T}, {E}>`",
    label = "not a hook for this function",
    note = "a hook is a closure or function taking `&RetryState`, or `log(level)`, which needs the error type `{E}` to implement `Display`"
)]
pub trait Hook<T, E> {
    /// Runs the hook.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::cell::Cell;
    /// use persevere::hook::{Hook, Moment};
    /// use persevere::RetryState;
    ///
    /// let last_error = Cell::new(None);
    /// let remember =
    ///     |state: &RetryState<'_, (), &'static str>| last_error.set(state.error().copied());
    /// let failed: Result<(), &'static str> = Err("down");
    /// remember.call(Moment::After, &RetryState::new(1).with_outcome(&failed));
    /// assert_eq!(last_error.get(), Some("down"));
    /// ```
    fn call(&self, moment: Moment, state: &RetryState<'_, T, E>);

    /// Whether this hook reads `state.elapsed()`. Leave the default (`true`) unless you are sure.
    /// Asked of the type, so a boxed hook keeps the default.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::hook::{Hook, NoHook};
    /// use persevere::RetryState;
    ///
    /// fn needs_clock<H: Hook<(), ()>>(_: &H) -> bool {
    ///     H::needs_clock()
    /// }
    ///
    /// assert!(needs_clock(&|state: &RetryState<'_, (), ()>| println!("{:?}", state.elapsed())));
    /// assert!(!needs_clock(&NoHook));
    /// ```
    fn needs_clock() -> bool
    where
        Self: Sized,
    {
        true
    }

    /// True only for [`NoHook`], so that an empty slot builds no state.
    #[doc(hidden)]
    fn is_noop() -> bool
    where
        Self: Sized,
    {
        false
    }

    /// [`needs_clock`](Hook::needs_clock), asked of the value: a type-erased hook keeps the
    /// answer of the type it hides. Leave the default.
    #[doc(hidden)]
    fn value_needs_clock(&self) -> bool
    where
        Self: Sized,
    {
        Self::needs_clock()
    }

    /// [`is_noop`](Hook::is_noop), asked of the value. Leave the default.
    #[doc(hidden)]
    fn value_is_noop(&self) -> bool
    where
        Self: Sized,
    {
        Self::is_noop()
    }
}

forward_dyn!(Hook {
    fn call(&self, moment: Moment, state: &RetryState<'_, T, E>) -> ();
});
forward_ref!(Hook for [] NoHook {
    fn call(&self, moment: Moment, state: &RetryState<'_, T, E>) -> ();
} answers [needs_clock, is_noop]);
forward_ref!(Hook for [] Log {
    fn call(&self, moment: Moment, state: &RetryState<'_, T, E>) -> ();
} answers [needs_clock]);
forward_ref!(Hook for [] LogValues {
    fn call(&self, moment: Moment, state: &RetryState<'_, T, E>) -> ();
} answers [needs_clock]);

// `crate::proven` answers for the attribute's closures as this impl does: keep the two in step.
// Not suggested in errors: the trait's own message says what it takes, closures included.
#[diagnostic::do_not_recommend]
impl<T, E, F> Hook<T, E> for F
where
    F: Fn(&RetryState<'_, T, E>),
{
    fn call(&self, _: Moment, state: &RetryState<'_, T, E>) {
        self(state)
    }
}

/// No hook: the default for every hook slot.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::hook::{Hook, Moment, NoHook};
/// use persevere::RetryState;
///
/// // Does nothing, and reads no clock.
/// Hook::<(), ()>::call(&NoHook, Moment::Before, &RetryState::new(1));
/// assert!(!<NoHook as Hook<(), ()>>::needs_clock());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoHook;

impl<T, E> Hook<T, E> for NoHook {
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn call(&self, _: Moment, _: &RetryState<'_, T, E>) {}
    fn needs_clock() -> bool {
        false
    }
    fn is_noop() -> bool {
        true
    }
}

/// Turns a closure over the retry state into a hook, helping type inference along.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::cell::Cell;
/// use persevere::hook::from_fn;
/// use persevere::stop::attempts;
/// use persevere::wait::none;
/// use persevere::Policy;
///
/// let failed = Cell::new(0);
/// let policy = Policy::new()
///     .stop(attempts(2))
///     .wait(none())
///     .after(from_fn(|state| failed.set(state.attempt())));
/// assert_eq!(policy.call(|| Err::<(), _>("down")), Err("down"));
/// assert_eq!(failed.get(), 2);
/// ```
pub fn from_fn<T, E, F>(f: F) -> F
where
    F: Fn(&RetryState<'_, T, E>),
{
    f
}
