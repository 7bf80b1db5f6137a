use crate::RetryState;

/// What a call returns when the stop strategy ends it.
///
/// Implemented for every closure `Fn(Result<T, E>, &RetryState<'_, T, E>) -> Result<T, E>`, which
/// receives the last outcome by value (tenacity's `retry_error_callback`).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::hook::GiveUp;
/// use persevere::RetryState;
///
/// let explain = |last: Result<u8, String>, state: &RetryState<'_, u8, String>| {
///     last.map_err(|e| format!("gave up after {} attempts: {e}", state.attempt()))
/// };
/// let returned = explain.give_up(Err("timeout".into()), &RetryState::new(3));
/// assert_eq!(returned, Err("gave up after 3 attempts: timeout".to_string()));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot decide what `Result<{T}, {E}>` to return on giving up",
    label = "not a give-up handler",
    note = "write a closure `|last, state| ...` that takes the last `Result<{T}, {E}>` and returns one"
)]
pub trait GiveUp<T, E> {
    /// The call's return value, from its last outcome. `state.outcome()` is `None` here: the
    /// outcome is passed by value instead.
    fn give_up(&self, last: Result<T, E>, state: &RetryState<'_, T, E>) -> Result<T, E>;

    /// Whether this reads `state.elapsed()`. Leave the default (`true`) unless you are sure.
    /// Asked of the type, so a closure keeps the default.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::hook::{GiveUp, ReturnLast};
    /// use persevere::RetryState;
    ///
    /// /// Gives up with a count of zero: reads no time, so says so.
    /// struct Zero;
    /// impl GiveUp<u32, String> for Zero {
    ///     fn give_up(&self, last: Result<u32, String>, _: &RetryState<'_, u32, String>) -> Result<u32, String> {
    ///         last.or(Ok(0))
    ///     }
    ///     fn needs_clock() -> bool {
    ///         false
    ///     }
    /// }
    ///
    /// fn needs_clock<G: GiveUp<u32, String>>(_: &G) -> bool {
    ///     G::needs_clock()
    /// }
    ///
    /// assert!(!needs_clock(&Zero));
    /// assert!(!needs_clock(&ReturnLast));
    /// assert!(needs_clock(&|last: Result<u32, String>, _: &RetryState<'_, u32, String>| last));
    /// ```
    fn needs_clock() -> bool
    where
        Self: Sized,
    {
        true
    }

    /// True only for [`ReturnLast`], so that a call that gives up as it is needs no state.
    #[doc(hidden)]
    fn returns_last() -> bool
    where
        Self: Sized,
    {
        false
    }

    /// [`needs_clock`](GiveUp::needs_clock), asked of the value: a type-erased handler keeps the
    /// answer of the type it hides. Leave the default.
    #[doc(hidden)]
    fn value_needs_clock(&self) -> bool
    where
        Self: Sized,
    {
        Self::needs_clock()
    }

    /// [`returns_last`](GiveUp::returns_last), asked of the value. Leave the default.
    #[doc(hidden)]
    fn value_returns_last(&self) -> bool
    where
        Self: Sized,
    {
        Self::returns_last()
    }
}

// `crate::proven` answers for the attribute's closures as this impl does: keep the two in step.
// Not suggested in errors: the trait's own message says what it takes, closures included.
#[diagnostic::do_not_recommend]
impl<T, E, F> GiveUp<T, E> for F
where
    F: Fn(Result<T, E>, &RetryState<'_, T, E>) -> Result<T, E>,
{
    fn give_up(&self, last: Result<T, E>, state: &RetryState<'_, T, E>) -> Result<T, E> {
        self(last, state)
    }
}

/// Returns the last outcome unchanged: the default.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::hook::{GiveUp, ReturnLast};
/// use persevere::RetryState;
///
/// let last: Result<(), &str> = Err("down");
/// assert_eq!(ReturnLast.give_up(last, &RetryState::new(3)), Err("down"));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReturnLast;

// A policy borrowed whole (`policy = &POLICY`, `Policy::borrowed`) holds `&ReturnLast`.
crate::indirect::forward_ref!(GiveUp for [] ReturnLast {
    fn give_up(&self, last: Result<T, E>, state: &RetryState<'_, T, E>) -> Result<T, E>;
} answers [needs_clock, returns_last]);

impl<T, E> GiveUp<T, E> for ReturnLast {
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn give_up(&self, last: Result<T, E>, _: &RetryState<'_, T, E>) -> Result<T, E> {
        last
    }
    fn needs_clock() -> bool {
        false
    }
    fn returns_last() -> bool {
        true
    }
}
