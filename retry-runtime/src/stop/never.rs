use crate::RetryState;
use crate::stop::Stop;

/// Never stops. Built by [`never()`], whose page has an example.
///
/// Beside another stop with `|`, it leaves the decision to the other one:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::RetryState;
/// use persevere::stop::{attempts, never, Stop};
///
/// let stop = never() | attempts(5);
/// assert!(!Stop::<(), ()>::should_stop(&stop, &RetryState::new(4)));
/// assert!(Stop::<(), ()>::should_stop(&stop, &RetryState::new(5)));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Never;

/// Never gives up: the call retries until it succeeds or the condition declines an outcome.
///
/// Only use it with a condition that eventually declines, or combined with another stop
/// (`never() & ...` is `never()`; `never() | attempts(5)` is `attempts(5)`).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::RetryState;
/// use persevere::stop::{never, Stop};
///
/// assert!(!Stop::<(), ()>::should_stop(&never(), &RetryState::new(u32::MAX)));
/// ```
pub const fn never() -> Never {
    Never
}

impl<T, E> Stop<T, E> for Never {
    #[inline]
    fn should_stop(&self, _: &RetryState<'_, T, E>) -> bool {
        false
    }
    fn needs_clock() -> bool {
        false
    }
}
