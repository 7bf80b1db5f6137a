//! A wait chosen by the kind of error: [`when`].

use std::time::Duration;

use crate::RetryState;
use crate::policy::DEFAULT_WAIT;
use crate::wait::{Exponential, Wait};

/// The first case is the head of the list: nothing before it.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::RetryState;
/// use persevere::wait::{CaseList, NoCase};
///
/// // An empty list of cases matches no error and keeps no memory.
/// let state = RetryState::<(), u16>::new(1);
/// assert_eq!(NoCase.matching(&429, &state), None);
/// assert_eq!(CaseList::<(), u16>::memory_slots(&NoCase), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoCase;

/// Waits chosen by the error: the first case whose predicate is true gives the wait. Built by
/// [`when`], whose page has an example, and extended by [`or_when`](Cases::or_when) and
/// [`otherwise`](Cases::otherwise).
///
/// A retried `Ok` value has no error to match, so `otherwise` gives its wait:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{fixed, when, Wait};
///
/// let wait = when(|e: &u16| *e == 429, fixed(Duration::from_secs(5)))
///     .otherwise(fixed(Duration::from_millis(100)));
/// let pending: Result<&str, u16> = Ok("pending");
/// let state = RetryState::new(1).with_outcome(&pending);
/// assert_eq!(wait.next_wait(&state), Duration::from_millis(100));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cases<Before, P, W, Otherwise = Exponential> {
    before: Before,
    predicate: P,
    wait: W,
    otherwise: Otherwise,
}

/// A wait per kind of error, in a line: `when(is_throttled, server_hint())
/// .or_when(is_timeout, fixed(1s)).otherwise(exponential())`.
///
/// The cases are tried in order; the first whose predicate holds for the error gives the wait.
/// When none does, or the outcome being retried is an `Ok` value, `otherwise` gives it (default:
/// the wait of a bare `#[retry]`). Each case's strategy sees the call's own attempt number and
/// keeps its own memory.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::wait::{fixed, when, Wait};
/// use persevere::RetryState;
///
/// #[derive(PartialEq)]
/// enum Failure { Throttled, Timeout, Other }
///
/// let wait = when(|e: &Failure| *e == Failure::Throttled, fixed(Duration::from_secs(5)))
///     .or_when(|e: &Failure| *e == Failure::Timeout, fixed(Duration::from_secs(1)))
///     .otherwise(fixed(Duration::from_millis(100)));
/// let after = |failure| {
///     let outcome: Result<(), Failure> = Err(failure);
///     wait.next_wait(&RetryState::new(1).with_outcome(&outcome))
/// };
/// assert_eq!(after(Failure::Throttled), Duration::from_secs(5));
/// assert_eq!(after(Failure::Timeout), Duration::from_secs(1));
/// assert_eq!(after(Failure::Other), Duration::from_millis(100));
/// ```
pub const fn when<P, W>(predicate: P, wait: W) -> Cases<NoCase, P, W> {
    Cases {
        before: NoCase,
        predicate,
        wait,
        otherwise: DEFAULT_WAIT,
    }
}

impl<Before, P, W, O> Cases<Before, P, W, O> {
    /// Adds a case, tried after the ones before it.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::io::{Error, ErrorKind};
    /// use std::time::Duration;
    /// use persevere::wait::{fixed, when, Wait};
    /// use persevere::RetryState;
    ///
    /// // Both cases match a refused connection: the first one added wins.
    /// let wait = when(|e: &Error| e.kind() == ErrorKind::ConnectionRefused, fixed(Duration::from_secs(2)))
    ///     .or_when(|_: &Error| true, fixed(Duration::from_millis(50)));
    /// let refused: Result<(), Error> = Err(ErrorKind::ConnectionRefused.into());
    /// let reset: Result<(), Error> = Err(ErrorKind::ConnectionReset.into());
    /// assert_eq!(wait.next_wait(&RetryState::new(1).with_outcome(&refused)), Duration::from_secs(2));
    /// assert_eq!(wait.next_wait(&RetryState::new(1).with_outcome(&reset)), Duration::from_millis(50));
    /// ```
    pub fn or_when<P2, W2>(
        self,
        predicate: P2,
        wait: W2,
    ) -> Cases<Cases<Before, P, W, NoCase>, P2, W2, O> {
        Cases {
            before: Cases {
                before: self.before,
                predicate: self.predicate,
                wait: self.wait,
                otherwise: NoCase,
            },
            predicate,
            wait,
            otherwise: self.otherwise,
        }
    }

    /// The wait when no case matches (default: the wait of a bare `#[retry]`).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::wait::{fixed, when, Wait};
    /// use persevere::RetryState;
    ///
    /// let wait = when(|e: &u16| *e == 429, fixed(Duration::from_secs(5)))
    ///     .otherwise(fixed(Duration::from_millis(200)));
    /// let unavailable: Result<(), u16> = Err(503);
    /// let state = RetryState::new(1).with_outcome(&unavailable);
    /// assert_eq!(wait.next_wait(&state), Duration::from_millis(200));
    /// ```
    pub fn otherwise<O2>(self, otherwise: O2) -> Cases<Before, P, W, O2> {
        Cases {
            before: self.before,
            predicate: self.predicate,
            wait: self.wait,
            otherwise,
        }
    }
}

/// The cases of a [`Cases`] list, tried in order.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{fixed, when, CaseList};
///
/// let cases = when(|e: &u16| *e == 429, fixed(Duration::from_secs(5)));
/// let state = RetryState::<(), u16>::new(1);
/// assert_eq!(cases.matching(&429, &state), Some(Duration::from_secs(5)));
/// assert_eq!(cases.matching(&503, &state), None); // left to `otherwise`
/// ```
pub trait CaseList<T, E> {
    /// The wait from the first matching case, if one matches.
    fn matching(&self, error: &E, state: &RetryState<'_, T, E>) -> Option<Duration>;
    /// The memory slots of all cases.
    fn memory_slots(&self) -> usize;
    /// Whether any case reads the clock.
    fn needs_clock() -> bool
    where
        Self: Sized;
}

impl<T, E> CaseList<T, E> for NoCase {
    fn matching(&self, _: &E, _: &RetryState<'_, T, E>) -> Option<Duration> {
        None
    }
    fn memory_slots(&self) -> usize {
        0
    }
    fn needs_clock() -> bool {
        false
    }
}

impl<T, E, Before, P, W, O> CaseList<T, E> for Cases<Before, P, W, O>
where
    Before: CaseList<T, E>,
    P: Fn(&E) -> bool,
    W: Wait<T, E>,
{
    fn matching(&self, error: &E, state: &RetryState<'_, T, E>) -> Option<Duration> {
        if let Some(wait) = self.before.matching(error, state) {
            return Some(wait);
        }
        (self.predicate)(error)
            .then(|| self.wait.next_wait(&state.part(self.before.memory_slots())))
    }
    fn memory_slots(&self) -> usize {
        self.before
            .memory_slots()
            .saturating_add(self.wait.memory_slots())
    }
    fn needs_clock() -> bool {
        Before::needs_clock() || W::needs_clock()
    }
}

impl<T, E, Before, P, W, O> Wait<T, E> for Cases<Before, P, W, O>
where
    Before: CaseList<T, E>,
    P: Fn(&E) -> bool,
    W: Wait<T, E>,
    O: Wait<T, E>,
{
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        state
            .error()
            .and_then(|error| self.matching(error, state))
            .unwrap_or_else(|| {
                self.otherwise
                    .next_wait(&state.part(CaseList::memory_slots(self)))
            })
    }
    fn memory_slots(&self) -> usize {
        CaseList::memory_slots(self).saturating_add(self.otherwise.memory_slots())
    }
    fn needs_clock() -> bool {
        <Self as CaseList<T, E>>::needs_clock() || O::needs_clock()
    }
}
