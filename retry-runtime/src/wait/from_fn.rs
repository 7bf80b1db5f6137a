use std::time::Duration;

use crate::RetryState;

/// Turns a closure over the retry state into a wait strategy, helping type inference along.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{from_fn, Wait};
///
/// let wait = from_fn(|state| Duration::from_millis(u64::from(state.attempt()) * 100));
/// assert_eq!(Wait::<(), ()>::next_wait(&wait, &RetryState::new(3)), Duration::from_millis(300));
/// ```
pub fn from_fn<T, E, F>(f: F) -> F
where
    F: Fn(&RetryState<'_, T, E>) -> Duration,
{
    f
}

/// A wait chosen from the last error, so that different errors wait differently; `otherwise` is
/// used when the outcome being retried is an `Ok` value.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{from_error, Wait};
///
/// let wait = from_error(
///     |e: &u16| if *e == 429 { Duration::from_secs(5) } else { Duration::from_millis(100) },
///     Duration::ZERO,
/// );
/// let throttled: Result<(), u16> = Err(429);
/// let state = RetryState::new(1).with_outcome(&throttled);
/// assert_eq!(wait.next_wait(&state), Duration::from_secs(5));
/// ```
pub fn from_error<T, E, F>(f: F, otherwise: Duration) -> impl Fn(&RetryState<'_, T, E>) -> Duration
where
    F: Fn(&E) -> Duration,
{
    move |state: &RetryState<'_, T, E>| state.error().map_or(otherwise, &f)
}
