use std::time::Duration;

use crate::RetryState;
use crate::wait::Wait;

/// The same wait after every attempt. Built by [`fixed`] or [`none`], whose pages have examples.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{fixed, Fixed, Wait};
///
/// const PAUSE: Fixed = fixed(Duration::from_millis(250));
/// let wait = |n| Wait::<(), ()>::next_wait(&PAUSE, &RetryState::new(n));
/// assert_eq!((wait(1), wait(50)), (Duration::from_millis(250), Duration::from_millis(250)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed {
    wait: Duration,
}

/// Waits `wait` after every failed attempt.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{fixed, Wait};
///
/// let wait = fixed(Duration::from_millis(250));
/// assert_eq!(Wait::<(), ()>::next_wait(&wait, &RetryState::new(7)), Duration::from_millis(250));
/// ```
pub const fn fixed(wait: Duration) -> Fixed {
    Fixed { wait }
}

/// Retries at once, with no wait.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{none, Wait};
///
/// assert_eq!(Wait::<(), ()>::next_wait(&none(), &RetryState::new(1)), Duration::ZERO);
/// ```
pub const fn none() -> Fixed {
    Fixed {
        wait: Duration::ZERO,
    }
}

impl<T, E> Wait<T, E> for Fixed {
    #[inline]
    fn next_wait(&self, _: &RetryState<'_, T, E>) -> Duration {
        self.wait
    }
    fn needs_clock() -> bool {
        false
    }
}
