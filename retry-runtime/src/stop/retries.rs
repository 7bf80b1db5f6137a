use crate::RetryState;
use crate::stop::Stop;

/// Stops after a number of retries, the first call not counted. Built by [`retries`], whose page
/// has an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::RetryState;
/// use persevere::stop::{retries, Retries, Stop};
///
/// // One call and two retries: it stops once the third attempt has failed.
/// const STOP: Retries = retries(2);
/// assert!(!Stop::<(), ()>::should_stop(&STOP, &RetryState::new(2)));
/// assert!(Stop::<(), ()>::should_stop(&STOP, &RetryState::new(3)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retries {
    max: u32,
}

/// Stops once `n` retries have been made: one call and at most `n` more, so `retries(n)` allows
/// `n + 1` attempts (the SDK style of `num_max_retries`). `retries(0)` is valid and means a
/// single attempt, no retry.
///
/// It ends the call with [`Ending::Attempts`](crate::Ending::Attempts), as [`attempts`] does:
/// both limit the number of attempts, and a report reads "the last allowed attempt failed"
/// either way.
///
/// [`attempts`]: crate::stop::attempts
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::Policy;
/// use persevere::sleep::RecordingSleeper;
/// use persevere::stop::retries;
///
/// let sleeper = RecordingSleeper::new();
/// let mut calls = 0;
/// let outcome = Policy::new()
///     .stop(retries(2))
///     .sleeper(sleeper.clone())
///     .call(|| { calls += 1; Err::<(), _>("down") });
/// assert_eq!(outcome, Err("down"));
/// assert_eq!(calls, 3); // the first call and 2 retries
/// assert_eq!(sleeper.sleeps().len(), 2);
/// ```
pub const fn retries(n: u32) -> Retries {
    Retries { max: n }
}

impl Retries {
    /// The number of retries this allows, after the first call.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::stop::retries;
    ///
    /// assert_eq!(retries(3).max(), 3); // 4 attempts in all
    /// assert_eq!(retries(0).max(), 0); // a single attempt
    /// ```
    pub const fn max(&self) -> u32 {
        self.max
    }
}

impl<T, E> Stop<T, E> for Retries {
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<crate::Ending> {
        self.should_stop(state).then_some(crate::Ending::Attempts)
    }
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        // `attempt()` counts the first call: `n` retries are done once attempt `n + 1` failed.
        state.attempt() > self.max
    }
    fn attempt_limit(&self) -> Option<u32> {
        Some(self.max.saturating_add(1))
    }
    fn needs_clock() -> bool {
        false
    }
}
