//! One retry round of a hedged call: its attempts racing each other in the calling task.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use super::Hedge;
use crate::engine::{Call, Naming, Rules};
use crate::metrics;
use crate::report::OutcomeKind;
use crate::timeout::{Timeout, Within, within};

/// An attempt in flight, racing its own time limit. Boxed: the round holds a varying number of
/// them, and polls each where it lies.
type Racing<Fut, P, E> = Pin<Box<Within<Fut, <P as Clock>::Timer, E>>>;

/// The policy's clock and timers, read through the policy itself: a round holds the policy by
/// reference only, so its future is `Send` wherever the policy is `Sync`.
pub(crate) trait Clock {
    /// A timer on the clock.
    type Timer: Future<Output = ()>;
    /// The time now.
    fn now(&self) -> std::time::Instant;
    /// A timer that ends after `limit` (a time limit's, never a sleep: see
    /// [`AsyncSleeper::time_limit`](crate::sleep::AsyncSleeper::time_limit)).
    fn timer(&self, limit: Duration) -> Self::Timer;
}

/// What a round needs beside the call: the policy (its rules, clock and timers), its limits.
pub(super) struct Setting<'a, P, E> {
    pub(super) rules: &'a P,
    pub(super) hedge: Hedge,
    /// The attempt's own time limit and the call's total, as the policy has them.
    pub(super) limits: (Option<Duration>, Option<Duration>),
    /// How the function's error type receives a [`Timeout`].
    pub(super) convert: fn(Timeout) -> Option<E>,
}

/// Runs one round: an attempt, and a hedge beside it each time the delay passes without an
/// outcome, up to the most in flight. Returns the first outcome the condition does not retry,
/// or the last failure once every attempt of the round has failed; with it, whether a time
/// limit cancelled that attempt. The attempts still running are dropped before it returns.
pub(super) async fn round<T, E, F, Fut, P, Who: Naming>(
    call: &mut Call<Result<T, E>, Who>,
    operation: &mut F,
    setting: &Setting<'_, P, E>,
) -> (Result<T, E>, bool)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    P: Rules<T, E> + Clock,
{
    let most = usize::from(setting.hedge.most_in_flight());
    let mut racing: Vec<Racing<Fut, P, E>> = Vec::with_capacity(most);
    racing.push(start(call, operation, setting));
    let mut started = 1;
    let mut next_hedge = (started < most).then(|| hedge_timer(setting));
    poll_fn(|cx| {
        loop {
            let mut index = 0;
            while index < racing.len() {
                let Poll::Ready((outcome, timed_out)) = racing[index].as_mut().poll(cx) else {
                    index += 1;
                    continue;
                };
                drop(racing.swap_remove(index));
                if !setting.rules.retries(&outcome) || racing.is_empty() {
                    // The winner, or the round's last failure: the others are cancelled now.
                    racing.clear();
                    return Poll::Ready((outcome, timed_out));
                }
                // Another attempt is still in flight: this failure does not end the round.
                call.hedge_failed(OutcomeKind::of(&outcome, timed_out), setting.rules, || {
                    setting.rules.now()
                });
            }
            let Some(timer) = next_hedge.as_mut() else {
                return Poll::Pending;
            };
            if timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            next_hedge = None;
            if may_hedge(call, setting) {
                racing.push(start(call, operation, setting));
                started += 1;
                if started < most {
                    next_hedge = Some(hedge_timer(setting));
                }
            }
            // Around again: the new attempt and timer are polled once, so they can wake the task.
        }
    })
    .await
}

/// Starts an attempt within its time limit: its own `timeout`, or what is left of the total.
fn start<T, E, F, Fut, P: Clock, Who: Naming>(
    call: &Call<Result<T, E>, Who>,
    operation: &mut F,
    setting: &Setting<'_, P, E>,
) -> Racing<Fut, P, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let (attempt_limit, total_limit) = setting.limits;
    let timer = call
        .attempt_limit(attempt_limit, total_limit, || setting.rules.now())
        .map(|timeout| (setting.rules.timer(timeout.limit()), timeout));
    Box::pin(within::<Result<T, E>, _, _>(
        operation(),
        timer,
        setting.convert,
    ))
}

/// The delay before the next hedge, as a timer on the sleeper's clock.
fn hedge_timer<P: Clock, E>(setting: &Setting<'_, P, E>) -> Pin<Box<P::Timer>> {
    Box::pin(setting.rules.timer(setting.hedge.delay()))
}

/// Whether a hedge may start now: not past the call's deadline, paid for by the budget when
/// there is one, and let through by the circuit breaker when there is one (a hedge is a request
/// to the upstream: an open breaker refuses it, and a half-open one counts it as a probe).
/// Counts it in the call when it may.
fn may_hedge<T, E, P, Who: Naming>(
    call: &mut Call<Result<T, E>, Who>,
    setting: &Setting<'_, P, E>,
) -> bool
where
    P: Rules<T, E> + Clock,
{
    if let Some((limit, _)) = setting.rules.deadline()
        && call.elapsed(|| setting.rules.now()) >= limit
    {
        return false;
    }
    if setting.rules.answers().has_budget && !setting.rules.spend_retry() {
        metrics::budget_refused(call.function());
        tracing::debug!(
            function = %call.function(),
            "persevere: {} starts no hedge: its retry budget is empty",
            call.function(),
        );
        return false;
    }
    if let Some(breaker) = setting.rules.breaker()
        && breaker.admit(|| setting.rules.now()).is_err()
    {
        // The retry it was paid with is not spent.
        setting.rules.give_back_retry();
        tracing::debug!(
            function = %call.function(),
            "persevere: {} starts no hedge: its circuit breaker is open",
            call.function(),
        );
        return false;
    }
    call.hedge_started();
    true
}
