//! A closure written as an attribute's whole value, typed once where it is written.
//!
//! The expansion hands such a closure to a helper (`stop_fn`, `error_fn`, ...) whose bound types
//! it from the function's `Result`. The helper keeps the closure with the call of it proven
//! there, as a function pointer, so every strategy trait holds for the pair whatever the closure
//! is. A closure of the wrong type is then reported once, at the helper. An `impl Trait` return
//! would carry the closure's bound to each place the policy is used, and rustc reports it again
//! at each one: a wrong parameter type gave two or three errors for one mistake.
//!
//! ```text
//! retry_if = |e: &MyError| e.is_transient()
//!   ==>  error_fn::<Result<T, MyError>, _>(|e: &MyError| e.is_transient())
//!   ==>  Proven { closure, call: |closure, outcome| outcome.as_ref().is_err_and(closure) }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::RetryState;
use crate::condition::{Condition, OnOk};
use crate::hook::{GiveUp, Hook, Moment};
use crate::sleep::{AsyncSleeper, SyncSleeper};
use crate::stop::Stop;
use crate::wait::Wait;

/// A closure and the call of it, proven by the helper that made the pair.
#[doc(hidden)]
pub struct Proven<F, P> {
    closure: F,
    call: P,
}

impl<F, P> Proven<F, P> {
    #[inline(always)]
    pub(crate) fn new(closure: F, call: P) -> Self {
        Proven { closure, call }
    }
}

/// The proven call of a stop closure.
pub type StopCall<F, T, E> = fn(&F, &RetryState<'_, T, E>) -> bool;
/// The proven call of a wait closure.
pub type WaitCall<F, T, E> = fn(&F, &RetryState<'_, T, E>) -> Duration;
/// The proven call of a condition on the error, on the whole outcome.
pub type ConditionCall<F, T, E> = fn(&F, &Result<T, E>) -> bool;
/// The proven call of a predicate on the `Ok` value.
pub type OkCall<F, T> = fn(&F, &T) -> bool;
/// The proven call of a hook closure.
pub type HookCall<F, T, E> = fn(&F, &RetryState<'_, T, E>);
/// The proven call of a blocking sleeper closure.
pub type SleepCall<F> = fn(&F, Duration);
/// The proven call of an async sleeper closure: its future, with the poll of it proven too.
pub type SleepingCall<F, Fut> = fn(&F, Duration) -> ProvenSleep<Fut>;
/// The proven call of an `on_give_up` closure.
pub type GiveUpCall<F, T, E> = fn(&F, Result<T, E>, &RetryState<'_, T, E>) -> Result<T, E>;

// Each impl answers as the closure's own impl does (the traits' defaults, and a condition on the
// error does not retry an `Ok`).

impl<T, E, F> Stop<T, E> for Proven<F, StopCall<F, T, E>> {
    #[inline]
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        (self.call)(&self.closure, state)
    }
}

impl<T, E, F> Wait<T, E> for Proven<F, WaitCall<F, T, E>> {
    #[inline]
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        (self.call)(&self.closure, state)
    }
}

impl<T, E, F> Condition<T, E> for Proven<F, ConditionCall<F, T, E>> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        (self.call)(&self.closure, outcome)
    }
    fn retries_ok() -> bool {
        false
    }
}

impl<T, E, F> Condition<T, E> for OnOk<Proven<F, OkCall<F, T>>> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        let Proven { closure, call } = &self.0;
        outcome.as_ref().is_ok_and(|value| call(closure, value))
    }
}

impl<T, E, F> Hook<T, E> for Proven<F, HookCall<F, T, E>> {
    #[inline]
    fn call(&self, _: Moment, state: &RetryState<'_, T, E>) {
        (self.call)(&self.closure, state)
    }
}

impl<T, E, F> GiveUp<T, E> for Proven<F, GiveUpCall<F, T, E>> {
    #[inline]
    fn give_up(&self, last: Result<T, E>, state: &RetryState<'_, T, E>) -> Result<T, E> {
        (self.call)(&self.closure, last, state)
    }
}

impl<F> SyncSleeper for Proven<F, SleepCall<F>> {
    #[inline]
    fn sleep(&self, duration: Duration) {
        (self.call)(&self.closure, duration)
    }
}

impl<F, Fut> AsyncSleeper for Proven<F, SleepingCall<F, Fut>> {
    type Sleeping = ProvenSleep<Fut>;
    #[inline]
    fn sleep(&self, duration: Duration) -> ProvenSleep<Fut> {
        (self.call)(&self.closure, duration)
    }
    /// The clock of a closure sleeper (see `AsyncSleeper for F`).
    fn now(&self) -> Instant {
        crate::sleep::runtime_now()
    }
}

pin_project_lite::pin_project! {
    /// An async sleeper closure's future, with its poll proven where the closure was written:
    /// a future of another output is reported there, once.
    #[doc(hidden)]
    pub struct ProvenSleep<Fut> {
        #[pin]
        sleep: Fut,
        poll: fn(Pin<&mut Fut>, &mut Context<'_>) -> Poll<()>,
    }
}

impl<Fut: Future<Output = ()>> ProvenSleep<Fut> {
    #[inline(always)]
    pub(crate) fn new(sleep: Fut) -> Self {
        ProvenSleep {
            sleep,
            poll: |sleep, cx| sleep.poll(cx),
        }
    }
}

impl<Fut> Future for ProvenSleep<Fut> {
    type Output = ();
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        (this.poll)(this.sleep, cx)
    }
}
