use std::marker::PhantomData;
use std::time::Duration;

use crate::RetryState;
use crate::wait::Wait;

/// Turns a closure over the retry state into a wait strategy that adds with `+`, helping type
/// inference along.
///
/// Any `Fn(&RetryState<'_, T, E>) -> Duration` is already a [`Wait`]; this function spares you
/// the parameter's type annotation, and gives the closure the `+` that Rust gives no closure:
/// `from_fn(|state| ..) + random(..)`. In the attribute, a closure or a function beside a wait's
/// `+` goes through it by itself.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{fixed, from_fn, Wait};
///
/// let wait = from_fn(|state| Duration::from_millis(u64::from(state.attempt()) * 100));
/// assert_eq!(Wait::<(), ()>::next_wait(&wait, &RetryState::new(3)), Duration::from_millis(300));
///
/// let padded = wait + fixed(Duration::from_secs(1));
/// assert_eq!(Wait::<(), ()>::next_wait(&padded, &RetryState::new(3)), Duration::from_millis(1300));
/// ```
pub fn from_fn<T, E, F>(f: F) -> FromFn<F>
where
    F: Fn(&RetryState<'_, T, E>) -> Duration,
{
    FromFn(f)
}

/// A closure over the retry state as a wait strategy, with `+`: built by [`from_fn`], whose
/// page has an example. It answers as the closure does.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{from_fn, Wait};
///
/// let wait = from_fn(|state| Duration::from_millis(10) * state.attempt());
/// assert_eq!(Wait::<(), ()>::next_wait(&wait, &RetryState::new(4)), Duration::from_millis(40));
/// ```
#[derive(Clone, Copy)]
pub struct FromFn<F>(F);

impl<F> std::fmt::Debug for FromFn<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FromFn(..)")
    }
}

impl<T, E, F> Wait<T, E> for FromFn<F>
where
    F: Fn(&RetryState<'_, T, E>) -> Duration,
{
    #[inline]
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        (self.0)(state)
    }
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
///
/// It adds as every wait does: `from_error(f, 1s) + fixed(100ms)`.
pub fn from_error<E, F>(f: F, otherwise: Duration) -> ByError<F, E>
where
    F: Fn(&E) -> Duration,
{
    ByError {
        f,
        otherwise,
        error: PhantomData,
    }
}

/// A wait chosen from the last error: built by [`from_error`], whose page has an example.
///
/// A retried `Ok` value has no error, so it waits `otherwise`:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{from_error, Wait};
///
/// let wait = from_error(|_: &u16| Duration::from_secs(5), Duration::from_millis(50));
/// let pending: Result<&str, u16> = Ok("pending");
/// let state = RetryState::new(1).with_outcome(&pending);
/// assert_eq!(wait.next_wait(&state), Duration::from_millis(50));
/// ```
pub struct ByError<F, E> {
    f: F,
    otherwise: Duration,
    error: PhantomData<fn(&E)>,
}

impl<F: Clone, E> Clone for ByError<F, E> {
    fn clone(&self) -> Self {
        ByError {
            f: self.f.clone(),
            otherwise: self.otherwise,
            error: PhantomData,
        }
    }
}

impl<F, E> std::fmt::Debug for ByError<F, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByError")
            .field("otherwise", &self.otherwise)
            .finish_non_exhaustive()
    }
}

impl<T, E, F: Fn(&E) -> Duration> Wait<T, E> for ByError<F, E> {
    #[inline]
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        state.error().map_or(self.otherwise, &self.f)
    }
    fn needs_clock() -> bool {
        false
    }
}
