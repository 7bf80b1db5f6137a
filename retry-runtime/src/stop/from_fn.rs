use crate::RetryState;

/// Turns a closure over the retry state into a stop strategy, helping type inference along.
///
/// Any `Fn(&RetryState<'_, T, E>) -> bool` is already a [`Stop`](crate::stop::Stop); this function
/// only spares you the parameter's type annotation.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::stop::{from_fn, Stop};
/// use persevere::RetryState;
///
/// let stop = from_fn(|state| state.attempt() >= 2);
/// assert!(Stop::<(), ()>::should_stop(&stop, &RetryState::new(2)));
/// ```
pub fn from_fn<T, E, F>(f: F) -> F
where
    F: Fn(&RetryState<'_, T, E>) -> bool,
{
    f
}
