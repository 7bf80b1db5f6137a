//! A hedged call: the retry loop of [`Policy::call_async`](crate::Policy::call_async), with a
//! round of racing attempts where a plain call makes one.

use std::future::Future;

use super::Hedge;
use super::round::{Clock, Setting, round};
use crate::__private::v1::Keeper;
use crate::engine::{Call, Naming, Rules, Step, sleep_async, start};
use crate::nested::Marked;
use crate::sleep::AsyncSleeper;
use crate::timeout::Limits;
use crate::{Policy, Report};

/// Runs `operation` under `policy`, hedged; returns the outcome and, if `reported`, the report.
/// `who` names the call, and says where `log(..)` hooks send their lines (the attribute's call
/// site).
///
/// The future holds the policy by reference only, as the unhedged loop does, and the last
/// outcome across a sleep in `kept` (which the attribute makes keep nothing of an outcome that is
/// not `Send`), so it is `Send` wherever that one is.
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
pub(crate) async fn run<T, E, F, Fut, K, S, W, C, O, B, A, Z, G, L, U, X, N, Who>(
    policy: &Policy<S, W, C, O, B, A, Z, G, L, U, X, N>,
    who: Who,
    hedge: Hedge,
    mut operation: F,
    reported: bool,
    mut kept: K,
) -> (Result<T, E>, Option<Report>)
where
    Who: Naming,
    K: Keeper<Result<T, E>>,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    L: AsyncSleeper,
    X: Limits<E>,
    Policy<S, W, C, O, B, A, Z, G, L, U, X, N>: Rules<T, E>,
{
    let rules = policy;
    let now = || Clock::now(policy);
    // A hedged call sets timers anyway: the clock costs little beside them.
    let mut call = Call::<Result<T, E>, Who>::named(who, start(true, now));
    if reported {
        call = call.reported();
    }
    let setting = Setting {
        rules,
        hedge,
        limits: policy.limits.limits(),
        convert: X::convert,
    };
    let hand_back = |call: &mut Call<Result<T, E>, Who>, outcome: Result<T, E>| {
        let report = call.take_report().or_else(|| {
            reported.then(|| Report::first_time(call.function(), &outcome, call.elapsed(now)))
        });
        (outcome, report)
    };
    loop {
        if let Some(last) = call.resume(|| kept.take(), rules, now) {
            return hand_back(&mut call, last);
        }
        // An open breaker refuses the round before any of its attempts starts.
        if let Some((open, error)) = crate::engine::admit(rules, now) {
            let refused = call.refused(open, error, rules, now);
            return hand_back(&mut call, refused);
        }
        call.before(rules, now);
        // Time spent in `before` counts against the deadline too.
        if let Some(last) = call.resume(|| kept.take(), rules, now) {
            return hand_back(&mut call, last);
        }
        call.begin_attempt();
        let _ = kept.take();
        // A copy: the round borrows the call mutably.
        let mark = call.mark().copied();
        let (outcome, timed_out) =
            Marked::new(mark.as_ref(), round(&mut call, &mut operation, &setting)).await;
        if timed_out {
            call.attempt_timed_out();
        }
        let wait = match call.settle(outcome, rules, now) {
            Step::Return(outcome) => return hand_back(&mut call, outcome),
            Step::Sleep(wait, last) => {
                // Kept across the sleep, to return if the sleep overruns a deadline.
                kept.put(last);
                wait
            }
        };
        // Out of the `match`, whose scrutinee would be held across the await.
        if let Some(sleeping) = sleep_async(policy.sleeper_ref(), wait) {
            crate::engine::cut_at_limit(policy, sleeping, &call, now).await;
        }
    }
}

impl<S, W, C, O, B, A, Z, G, L: AsyncSleeper, U, X, N> Clock
    for Policy<S, W, C, O, B, A, Z, G, L, U, X, N>
{
    type Timer = L::Sleeping;
    fn now(&self) -> std::time::Instant {
        AsyncSleeper::now(self.sleeper_ref())
    }
    fn timer(&self, limit: std::time::Duration) -> L::Sleeping {
        self.sleeper_ref().time_limit(limit)
    }
}
