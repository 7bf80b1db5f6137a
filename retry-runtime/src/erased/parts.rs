//! One part of a policy behind a pointer, with the answers its type gave: [`DynStop`],
//! [`DynWait`], [`DynCondition`], [`DynHook`] and [`DynGiveUp`] (see [`erased`](crate::erased)
//! for why they keep them).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::condition::Condition;
use crate::hook::{GiveUp, Hook, Moment};
use crate::stop::Stop;
use crate::wait::Wait;
use crate::{Ending, RetryState};

/// A stop strategy of any type. See [`erased`](crate::erased).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::erased::DynStop;
/// use persevere::stop::{attempts, Stop};
/// use persevere::RetryState;
///
/// let stop: DynStop<(), ()> = DynStop::new(attempts(2));
/// assert!(stop.should_stop(&RetryState::new(2)));
/// ```
pub struct DynStop<T, E> {
    stop: Arc<dyn Stop<T, E> + Send + Sync>,
    needs_clock: bool,
    cancellable: bool,
}

impl<T, E> DynStop<T, E> {
    /// Erases `stop`'s type, keeping its answers.
    pub fn new<S: Stop<T, E> + Send + Sync + 'static>(stop: S) -> Self {
        DynStop {
            needs_clock: stop.value_needs_clock(),
            cancellable: stop.value_cancellable(),
            stop: Arc::new(stop),
        }
    }
}

/// A wait strategy of any type. See [`erased`](crate::erased).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::erased::DynWait;
/// use persevere::wait::{fixed, Wait};
/// use persevere::RetryState;
///
/// let wait: DynWait<(), ()> = DynWait::new(fixed(Duration::from_millis(5)));
/// assert_eq!(wait.next_wait(&RetryState::new(1)), Duration::from_millis(5));
/// ```
pub struct DynWait<T, E> {
    wait: Arc<dyn Wait<T, E> + Send + Sync>,
    needs_clock: bool,
}

impl<T, E> DynWait<T, E> {
    /// Erases `wait`'s type, keeping its answers.
    pub fn new<W: Wait<T, E> + Send + Sync + 'static>(wait: W) -> Self {
        DynWait {
            needs_clock: wait.value_needs_clock(),
            wait: Arc::new(wait),
        }
    }
}

/// A condition of any type. See [`erased`](crate::erased).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::erased::DynCondition;
/// use persevere::condition::Condition;
///
/// let busy: DynCondition<(), u16> = DynCondition::new(|status: &u16| *status == 503);
/// assert!(busy.should_retry(&Err(503)));
/// assert!(!busy.should_retry(&Ok(())));
/// ```
pub struct DynCondition<T, E> {
    condition: Arc<dyn Condition<T, E> + Send + Sync>,
    retries_ok: bool,
}

impl<T, E> DynCondition<T, E> {
    /// Erases `condition`'s type, keeping its answers.
    pub fn new<C: Condition<T, E> + Send + Sync + 'static>(condition: C) -> Self {
        DynCondition {
            retries_ok: condition.value_retries_ok(),
            condition: Arc::new(condition),
        }
    }
}

/// A hook of any type, or none. See [`erased`](crate::erased).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::erased::DynHook;
/// use persevere::hook::{Hook, Moment, NoHook};
/// use persevere::RetryState;
///
/// let none: DynHook<(), ()> = DynHook::new(NoHook);
/// none.call(Moment::Before, &RetryState::new(1)); // does nothing, and holds nothing
/// ```
pub struct DynHook<T, E> {
    /// `None` for [`NoHook`](crate::hook::NoHook): an empty slot stays empty.
    hook: Option<Arc<dyn Hook<T, E> + Send + Sync>>,
    needs_clock: bool,
}

impl<T, E> DynHook<T, E> {
    /// Erases `hook`'s type, keeping its answers.
    pub fn new<H: Hook<T, E> + Send + Sync + 'static>(hook: H) -> Self {
        DynHook {
            needs_clock: hook.value_needs_clock(),
            hook: (!hook.value_is_noop()).then(|| Arc::new(hook) as Arc<_>),
        }
    }
}

/// What to return on giving up, of any type. See [`erased`](crate::erased).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::erased::DynGiveUp;
/// use persevere::hook::{GiveUp, ReturnLast};
/// use persevere::RetryState;
///
/// let last: DynGiveUp<(), &str> = DynGiveUp::new(ReturnLast);
/// assert_eq!(last.give_up(Err("down"), &RetryState::new(3)), Err("down"));
/// ```
pub struct DynGiveUp<T, E> {
    /// `None` for [`ReturnLast`](crate::hook::ReturnLast): the last outcome, as it is.
    give_up: Option<Arc<dyn GiveUp<T, E> + Send + Sync>>,
    needs_clock: bool,
}

impl<T, E> DynGiveUp<T, E> {
    /// Erases `give_up`'s type, keeping its answers.
    pub fn new<G: GiveUp<T, E> + Send + Sync + 'static>(give_up: G) -> Self {
        DynGiveUp {
            needs_clock: give_up.value_needs_clock(),
            give_up: (!give_up.value_returns_last()).then(|| Arc::new(give_up) as Arc<_>),
        }
    }
}

/// `Clone` (a shared pointer) and `Debug` (the part's name) for each, whatever `T` and `E`.
macro_rules! shared_part {
    ($($Part:ident),*) => {$(
        impl<T, E> Clone for $Part<T, E> {
            fn clone(&self) -> Self {
                self.shallow()
            }
        }
        impl<T, E> fmt::Debug for $Part<T, E> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($Part)).finish_non_exhaustive()
            }
        }
    )*};
}
shared_part!(DynStop, DynWait, DynCondition, DynHook, DynGiveUp);

impl<T, E> DynStop<T, E> {
    fn shallow(&self) -> Self {
        DynStop {
            stop: Arc::clone(&self.stop),
            ..*self
        }
    }
}
impl<T, E> DynWait<T, E> {
    fn shallow(&self) -> Self {
        DynWait {
            wait: Arc::clone(&self.wait),
            ..*self
        }
    }
}
impl<T, E> DynCondition<T, E> {
    fn shallow(&self) -> Self {
        DynCondition {
            condition: Arc::clone(&self.condition),
            ..*self
        }
    }
}
impl<T, E> DynHook<T, E> {
    fn shallow(&self) -> Self {
        DynHook {
            hook: self.hook.clone(),
            ..*self
        }
    }
}
impl<T, E> DynGiveUp<T, E> {
    fn shallow(&self) -> Self {
        DynGiveUp {
            give_up: self.give_up.clone(),
            ..*self
        }
    }
}

// Each part is its family's strategy, by value and by reference, with the hidden type's answers.
// The type-level answers are the cautious ones: the type knows nothing of what it holds.

macro_rules! by_value_and_reference {
    ($Part:ident: $Trait:ident { $($body:tt)* }) => {
        impl<T, E> $Trait<T, E> for $Part<T, E> {
            $($body)*
        }
        impl<T, E> $Trait<T, E> for &$Part<T, E> {
            $($body)*
        }
    };
}

by_value_and_reference!(DynStop: Stop {
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        self.stop.should_stop(state)
    }
    #[inline]
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<Ending> {
        self.stop.stop_reason(state)
    }
    fn deadline(&self) -> Option<Duration> {
        self.stop.deadline()
    }
    fn cancelled(&self) -> bool {
        self.stop.cancelled()
    }
    fn attempt_limit(&self) -> Option<u32> {
        self.stop.attempt_limit()
    }
    fn cancellable() -> bool {
        true
    }
    fn value_needs_clock(&self) -> bool {
        self.needs_clock
    }
    fn value_cancellable(&self) -> bool {
        self.cancellable
    }
});

by_value_and_reference!(DynWait: Wait {
    #[inline]
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        self.wait.next_wait(state)
    }
    fn memory_slots(&self) -> usize {
        self.wait.memory_slots()
    }
    fn value_needs_clock(&self) -> bool {
        self.needs_clock
    }
});

by_value_and_reference!(DynCondition: Condition {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        self.condition.should_retry(outcome)
    }
    fn value_retries_ok(&self) -> bool {
        self.retries_ok
    }
});

by_value_and_reference!(DynHook: Hook {
    #[inline]
    fn call(&self, moment: Moment, state: &RetryState<'_, T, E>) {
        if let Some(hook) = &self.hook {
            hook.call(moment, state);
        }
    }
    fn value_needs_clock(&self) -> bool {
        self.needs_clock
    }
    fn value_is_noop(&self) -> bool {
        self.hook.is_none()
    }
});

by_value_and_reference!(DynGiveUp: GiveUp {
    #[inline]
    fn give_up(&self, last: Result<T, E>, state: &RetryState<'_, T, E>) -> Result<T, E> {
        match &self.give_up {
            Some(give_up) => give_up.give_up(last, state),
            None => last,
        }
    }
    fn value_needs_clock(&self) -> bool {
        self.needs_clock
    }
    fn value_returns_last(&self) -> bool {
        self.give_up.is_none()
    }
});
