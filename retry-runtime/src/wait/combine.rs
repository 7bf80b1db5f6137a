use std::time::Duration;

use crate::RetryState;
use crate::wait::Wait;

/// The sum of two waits: `a + b`. Saturates instead of overflowing.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::wait::{fixed, incrementing, Wait, WaitSum};
/// use persevere::RetryState;
///
/// let wait: WaitSum<_, _> = fixed(Duration::from_secs(1)) + incrementing();
/// let third = Wait::<(), ()>::next_wait(&wait, &RetryState::new(3));
/// assert_eq!(third, Duration::from_millis(1200));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitSum<A, B>(pub A, pub B);

impl<T, E, A: Wait<T, E>, B: Wait<T, E>> Wait<T, E> for WaitSum<A, B> {
    #[inline]
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        let second = state.part(self.0.memory_slots());
        self.0
            .next_wait(state)
            .saturating_add(self.1.next_wait(&second))
    }
    fn memory_slots(&self) -> usize {
        self.0.memory_slots().saturating_add(self.1.memory_slots())
    }
    fn needs_clock() -> bool {
        A::needs_clock() || B::needs_clock()
    }
}
