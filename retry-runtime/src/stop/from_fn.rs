use crate::RetryState;
use crate::stop::Stop;

/// Turns a closure over the retry state into a stop strategy that combines with `|` and `&`,
/// helping type inference along.
///
/// Any `Fn(&RetryState<'_, T, E>) -> bool` is already a [`Stop`]; this function spares you the
/// parameter's type annotation, and gives the closure the operators that Rust gives no closure:
/// `from_fn(|state| ..) | attempts(5)`. In the attribute, a closure or a function beside a stop's
/// `|` or `&` goes through it by itself.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::stop::{attempts, from_fn, Stop};
/// use persevere::RetryState;
///
/// let stop = from_fn(|state| state.attempt() >= 2);
/// assert!(Stop::<(), ()>::should_stop(&stop, &RetryState::new(2)));
///
/// let quota = |state: &RetryState<'_, (), String>| state.error().is_some_and(|e| e == "quota");
/// let either = from_fn(quota) | attempts(5);
/// assert!(either.should_stop(&RetryState::new(5)));
/// ```
pub fn from_fn<T, E, F>(f: F) -> FromFn<F>
where
    F: Fn(&RetryState<'_, T, E>) -> bool,
{
    FromFn(f)
}

/// A closure over the retry state as a stop strategy, with `|` and `&`: built by [`from_fn`],
/// whose page has an example. It answers as the closure does.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::stop::{from_fn, Stop};
///
/// let slow = from_fn(|state| state.elapsed() >= Duration::from_secs(30));
/// let state = RetryState::<(), ()>::new(1).with_elapsed(Duration::from_secs(31));
/// assert!(slow.should_stop(&state));
/// ```
#[derive(Clone, Copy)]
pub struct FromFn<F>(F);

impl<F> std::fmt::Debug for FromFn<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FromFn(..)")
    }
}

impl<T, E, F> Stop<T, E> for FromFn<F>
where
    F: Fn(&RetryState<'_, T, E>) -> bool,
{
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        (self.0)(state)
    }
}
