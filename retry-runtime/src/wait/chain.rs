use std::fmt;
use std::time::Duration;

use crate::RetryState;
use crate::wait::Wait;

/// One wait strategy per attempt, the last repeating. Built by [`chain`] or [`chain_vec`], whose
/// pages have examples.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{chain, fixed, Chain, Fixed, Wait};
///
/// let wait: Chain<(Fixed, Fixed)> = chain((fixed(Duration::ZERO), fixed(Duration::from_secs(2))));
/// let late = Wait::<(), ()>::next_wait(&wait, &RetryState::new(10));
/// assert_eq!(late, Duration::from_secs(2)); // the last member serves every later attempt
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chain<L> {
    members: L,
}

/// Uses member `n` after attempt `n`; the last member serves every later attempt. Members see the
/// call's own attempt number.
///
/// Takes a tuple of one to twelve strategies; `chain(())` does not compile. For a list built at run
/// time use [`chain_vec`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{chain, fixed, Wait};
///
/// let wait = chain((fixed(Duration::from_secs(1)), fixed(Duration::from_secs(5))));
/// let secs: Vec<u64> = (1..=3)
///     .map(|n| Wait::<(), ()>::next_wait(&wait, &RetryState::new(n)).as_secs())
///     .collect();
/// assert_eq!(secs, [1, 5, 5]);
/// ```
pub fn chain<L: NonEmpty>(members: L) -> Chain<L> {
    Chain { members }
}

/// A list of wait strategies built at run time for [`chain`]. Returns [`EmptyChain`] for an empty
/// list, which has no wait to give.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::wait::{chain_vec, fixed};
///
/// let waits: Vec<_> = [1, 2, 3].map(|s| fixed(Duration::from_secs(s))).into();
/// assert!(chain_vec(waits).is_ok());
/// assert!(chain_vec(Vec::<persevere::wait::Fixed>::new()).is_err());
/// ```
pub fn chain_vec<W>(members: Vec<W>) -> Result<Chain<Vec<W>>, EmptyChain> {
    if members.is_empty() {
        Err(EmptyChain)
    } else {
        Ok(Chain { members })
    }
}

/// The error for a chain with no members.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::wait::{chain_vec, EmptyChain, Fixed};
///
/// let empty = chain_vec(Vec::<Fixed>::new());
/// assert_eq!(empty.unwrap_err(), EmptyChain);
/// assert_eq!(EmptyChain.to_string(), "a wait chain needs at least one strategy");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmptyChain;

impl fmt::Display for EmptyChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a wait chain needs at least one strategy")
    }
}

impl std::error::Error for EmptyChain {}

/// Lists of wait strategies a [`Chain`] can index: tuples of one to twelve strategies, and
/// non-empty `Vec`s.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{fixed, WaitList};
///
/// let members = vec![fixed(Duration::from_secs(1)), fixed(Duration::from_secs(5))];
/// assert_eq!(WaitList::<(), ()>::count(&members), 2);
/// let second = WaitList::<(), ()>::wait_at(&members, 1, &RetryState::new(2));
/// assert_eq!(second, Duration::from_secs(5));
/// ```
pub trait WaitList<T, E> {
    /// How many strategies the list holds.
    fn count(&self) -> usize;
    /// The wait from member `index` (in bounds), which sees its own memory slots.
    fn wait_at(&self, index: usize, state: &RetryState<'_, T, E>) -> Duration;
    /// The memory slots of all members together.
    fn memory_slots(&self) -> usize;
    /// Whether any member reads the clock.
    fn needs_clock() -> bool
    where
        Self: Sized;
}

/// Marks the tuples [`chain`] accepts: at least one member.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{chain, fixed, Wait};
///
/// let wait = chain((fixed(Duration::from_secs(1)),)); // a tuple of one
/// assert_eq!(Wait::<(), ()>::next_wait(&wait, &RetryState::new(3)), Duration::from_secs(1));
/// ```
///
/// The empty tuple is not one:
///
/// ```compile_fail,E0277
/// # use persevere_runtime as persevere;
/// let wait = persevere::wait::chain(());
/// ```
pub trait NonEmpty {}

impl<T, E, W: Wait<T, E>> WaitList<T, E> for Vec<W> {
    fn count(&self) -> usize {
        self.len()
    }
    fn wait_at(&self, index: usize, state: &RetryState<'_, T, E>) -> Duration {
        let offset = self[..index.min(self.len())]
            .iter()
            .map(Wait::memory_slots)
            .fold(0, usize::saturating_add);
        self.get(index)
            .map_or(Duration::ZERO, |w| w.next_wait(&state.part(offset)))
    }
    fn memory_slots(&self) -> usize {
        self.iter()
            .map(Wait::memory_slots)
            .fold(0, usize::saturating_add)
    }
    fn needs_clock() -> bool {
        W::needs_clock()
    }
}

macro_rules! tuple_lists {
    ($( ($($name:ident $index:tt),+) ),+ $(,)?) => {$(
        impl<$($name),+> NonEmpty for ($($name,)+) {}
        impl<T, E, $($name: Wait<T, E>),+> WaitList<T, E> for ($($name,)+) {
            fn count(&self) -> usize {
                [$($index),+].len()
            }
            fn wait_at(&self, index: usize, state: &RetryState<'_, T, E>) -> Duration {
                let slots = [$(self.$index.memory_slots()),+];
                let offset = slots[..index.min(slots.len())]
                    .iter()
                    .fold(0usize, |sum, n| sum.saturating_add(*n));
                let state = state.part(offset);
                match index {
                    $($index => self.$index.next_wait(&state),)+
                    _ => Duration::ZERO,
                }
            }
            fn memory_slots(&self) -> usize {
                [$(self.$index.memory_slots()),+]
                    .iter()
                    .fold(0usize, |sum, n| sum.saturating_add(*n))
            }
            fn needs_clock() -> bool {
                false $(|| $name::needs_clock())+
            }
        }
    )+};
}

tuple_lists!(
    (A 0),
    (A 0, B 1),
    (A 0, B 1, C 2),
    (A 0, B 1, C 2, D 3),
    (A 0, B 1, C 2, D 3, F 4),
    (A 0, B 1, C 2, D 3, F 4, G 5),
    (A 0, B 1, C 2, D 3, F 4, G 5, H 6),
    (A 0, B 1, C 2, D 3, F 4, G 5, H 6, I 7),
    (A 0, B 1, C 2, D 3, F 4, G 5, H 6, I 7, J 8),
    (A 0, B 1, C 2, D 3, F 4, G 5, H 6, I 7, J 8, K 9),
    (A 0, B 1, C 2, D 3, F 4, G 5, H 6, I 7, J 8, K 9, L 10),
    (A 0, B 1, C 2, D 3, F 4, G 5, H 6, I 7, J 8, K 9, L 10, M 11),
);

impl<T, E, L: WaitList<T, E>> Wait<T, E> for Chain<L> {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        let last = self.members.count().saturating_sub(1);
        let index = (state.attempt().max(1) as usize - 1).min(last);
        self.members.wait_at(index, state)
    }
    fn memory_slots(&self) -> usize {
        self.members.memory_slots()
    }
    fn needs_clock() -> bool {
        L::needs_clock()
    }
}
