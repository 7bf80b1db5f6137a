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
//!   ==>  error_fn(parts::<Result<T, MyError>>(), |e: &MyError| e.is_transient())
//!   ==>  Proven { closure, call: |closure, outcome| outcome.as_ref().is_err_and(closure) }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::RetryState;
use crate::condition::{Condition, OnError, OnOk};
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
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
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
/// The proven call of a predicate on the error.
pub type ErrorCall<F, E> = fn(&F, &E) -> bool;
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

impl<T, E, F> Condition<T, E> for OnError<Proven<F, ErrorCall<F, E>>> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        let Proven { closure, call } = &self.0;
        outcome.as_ref().is_err_and(|error| call(closure, error))
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
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
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

#[cfg(test)]
mod tests {
    //! A proven closure answers every question of its traits as the closure itself does.

    use super::*;
    use crate::__private::v1::{
        async_sleeper, error_fn, give_up_fn, hook_fn, ok_fn, parts, stop_fn, sync_sleeper, wait_fn,
    };

    type Outcome = Result<u32, &'static str>;
    type State<'a> = RetryState<'a, u32, &'static str>;

    fn stop<S: Stop<u32, &'static str>>(
        s: &S,
    ) -> (bool, Option<u32>, Option<Duration>, bool, bool, bool) {
        let state = State::new(3);
        (
            s.should_stop(&state),
            s.attempt_limit(),
            s.deadline(),
            s.cancelled(),
            S::cancellable(),
            S::needs_clock(),
        )
    }

    fn wait<W: Wait<u32, &'static str>>(w: &W) -> (Duration, usize, bool) {
        (
            w.next_wait(&State::new(2)),
            w.memory_slots(),
            W::needs_clock(),
        )
    }

    fn condition<C: Condition<u32, &'static str>>(c: &C) -> (bool, bool, bool) {
        (
            c.should_retry(&Err("busy")),
            c.should_retry(&Ok(7)),
            C::retries_ok(),
        )
    }

    fn hook<H: Hook<u32, &'static str>>(_: &H) -> (bool, bool) {
        (H::needs_clock(), H::is_noop())
    }

    fn give_up<G: GiveUp<u32, &'static str>>(g: &G) -> (Outcome, bool, bool) {
        (
            g.give_up(Err("down"), &State::new(3)),
            G::needs_clock(),
            G::returns_last(),
        )
    }

    #[test]
    fn strategies_and_hooks_answer_as_their_closures() {
        let s = |state: &State<'_>| state.attempt() >= 3;
        assert_eq!(stop(&s), stop(&stop_fn(parts::<Outcome>(), s)));
        let w = |state: &State<'_>| Duration::from_secs(u64::from(state.attempt()));
        assert_eq!(wait(&w), wait(&wait_fn(parts::<Outcome>(), w)));
        let c = |error: &&'static str| *error == "busy";
        assert_eq!(condition(&c), condition(&error_fn(parts::<Outcome>(), c)));
        assert_eq!(
            condition(&crate::condition::on_error(c)),
            condition(&crate::outcome_type::on_error_of(
                &crate::outcome_type::OutcomeType::<Outcome>::new(),
                c
            ))
        );
        let o = |value: &u32| *value == 7;
        assert_eq!(
            condition(&crate::condition::on_ok(o)),
            condition(&OnOk(ok_fn(parts::<Outcome>(), o)))
        );
        let h = |_: &State<'_>| {};
        assert_eq!(hook(&h), hook(&hook_fn(parts::<Outcome>(), h)));
        let g = |last: Outcome, _: &State<'_>| last.or(Ok(0));
        assert_eq!(give_up(&g), give_up(&give_up_fn(parts::<Outcome>(), g)));
    }

    #[test]
    fn sleepers_answer_as_their_closures() {
        let slept = std::cell::Cell::new(Duration::ZERO);
        let blocking = |duration: Duration| slept.set(duration);
        let proven = sync_sleeper(blocking);
        proven.sleep(Duration::from_millis(5));
        assert_eq!(slept.get(), Duration::from_millis(5));
        // The clocks are the closures' own: the system's, and the runtime's for an async one.
        let before = Instant::now();
        assert!(proven.now() >= before && blocking.now() >= before);
        let sleeping = |_: Duration| std::future::ready(());
        let proven = async_sleeper(sleeping);
        let mut context = Context::from_waker(std::task::Waker::noop());
        let mut sleep = std::pin::pin!(proven.time_limit(Duration::from_millis(5)));
        assert_eq!(sleep.as_mut().poll(&mut context), Poll::Ready(()));
        let (mine, theirs) = (AsyncSleeper::now(&proven), AsyncSleeper::now(&sleeping));
        assert!(mine <= theirs);
    }
}
