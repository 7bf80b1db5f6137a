use crate::RetryState;
use crate::cancel::Shutdown;
use crate::stop::Stop;

/// Stops once a [`Shutdown`] is given. Built by [`cancelled`], whose page has an example.
///
/// The call asks it again when a sleep ends, through [`Stop::cancelled`]:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::cancel::Shutdown;
/// use persevere::stop::{cancelled, Cancelled, Stop};
///
/// static SHUTDOWN: Shutdown = Shutdown::new();
///
/// let stop: Cancelled<'static> = cancelled(&SHUTDOWN);
/// assert!(!Stop::<(), ()>::cancelled(&stop));
/// SHUTDOWN.cancel();
/// assert!(Stop::<(), ()>::cancelled(&stop));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Cancelled<'a> {
    shutdown: &'a Shutdown,
}

/// Stops once `shutdown` is given, and is checked again when a sleep ends, so a call woken by
/// [`Shutdown::cancel`] returns its last outcome instead of starting another attempt. Pair it with
/// `sleep = SHUTDOWN.sleeper()` so the sleep itself ends at once (see [`Shutdown`]).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::cancel::Shutdown;
/// use persevere::stop::{cancelled, Stop};
/// use persevere::RetryState;
///
/// let shutdown = Shutdown::new();
/// let stop = cancelled(&shutdown);
/// assert!(!Stop::<(), ()>::should_stop(&stop, &RetryState::new(1)));
/// shutdown.cancel();
/// assert!(Stop::<(), ()>::should_stop(&stop, &RetryState::new(1)));
/// ```
pub const fn cancelled(shutdown: &Shutdown) -> Cancelled<'_> {
    Cancelled { shutdown }
}

impl<T, E> Stop<T, E> for Cancelled<'_> {
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<crate::Ending> {
        self.should_stop(state).then_some(crate::Ending::Cancelled)
    }
    fn should_stop(&self, _: &RetryState<'_, T, E>) -> bool {
        self.shutdown.is_cancelled()
    }
    fn cancelled(&self) -> bool {
        self.shutdown.is_cancelled()
    }
    fn cancellable() -> bool {
        true
    }
    fn needs_clock() -> bool {
        false
    }
}
