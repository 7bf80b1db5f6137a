use crate::RetryState;
use crate::stop::Stop;

/// Stops after a number of attempts, the first call included. Built by [`attempts`], whose page
/// has an example.
///
/// Its constructor is `const`, so a stop shared by several calls can live in a `const`:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::RetryState;
/// use persevere::stop::{attempts, Attempts, Stop};
///
/// const STOP: Attempts = attempts(5);
/// assert!(!Stop::<(), ()>::should_stop(&STOP, &RetryState::new(4)));
/// assert!(Stop::<(), ()>::should_stop(&STOP, &RetryState::new(5)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts {
    max: u32,
}

/// Stops once `n` attempts have been made, the first call included: `attempts(4)` means one call
/// and at most three retries.
///
/// `attempts(0)` cannot be honoured (the first call always happens) and behaves as `attempts(1)`;
/// the `#[retry]` attribute rejects `attempts(0)` written so, by that name, at compile time.
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
pub const fn attempts(n: u32) -> Attempts {
    Attempts { max: n }
}

impl Attempts {
    /// The number of attempts this allows.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::stop::attempts;
    ///
    /// assert_eq!(attempts(4).max(), 4);
    /// assert_eq!(attempts(0).max(), 1); // the first call always happens
    /// ```
    pub const fn max(&self) -> u32 {
        if self.max == 0 { 1 } else { self.max }
    }
}

impl<T, E> Stop<T, E> for Attempts {
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<crate::Ending> {
        self.should_stop(state).then_some(crate::Ending::Attempts)
    }
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        state.attempt() >= self.max()
    }
    fn attempt_limit(&self) -> Option<u32> {
        Some(self.max())
    }
    fn needs_clock() -> bool {
        false
    }
}
