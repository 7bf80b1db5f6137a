//! An error handler as the runtime's strategies: a [`Condition`] that says which outcomes go on
//! (the filters' actions), a [`Wait`] that waits the deciding handler's backoff (or ends the
//! call for `IGNORE` and `SUCCESS`), and a [`Stop`] that holds the deciding handler's
//! `max_retries` ([`retries`]).

use std::marker::PhantomData;
use std::time::{Duration, SystemTime};

use crate::condition::Condition;
use crate::config::handler::actions::Effect;
use crate::config::handler::backoff::{Waited, first_wait};
use crate::config::handler::model::ErrorHandler;
use crate::config::handler::response::{AsResponse, Seen};
use crate::stop::{Stop, retries};
use crate::wait::Wait;
use crate::{Ending, Policy, RetryState};

/// Which outcomes a handler's strategies read as responses: [`Errors`] or [`Outcomes`]. Sealed.
///
/// Code that takes a handler's strategies whichever outcomes they read is generic over it:
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::Response;
/// use persevere::condition::Condition;
/// use persevere::config::handler::{ErrorHandler, Lens, Strategies};
///
/// type Answer = Response<&'static str>;
///
/// /// Whether the handler retries a 503 that came back as an error.
/// fn retries_busy<L: Lens<Answer, Answer>>(strategies: &Strategies<L>) -> bool {
///     let busy = Response::builder().status(503).body("").unwrap();
///     strategies.condition().should_retry(&Err(busy))
/// }
///
/// let handler = ErrorHandler::default();
/// assert!(retries_busy(&handler.errors()));
/// assert!(retries_busy(&handler.outcomes()));
/// ```
#[diagnostic::on_unimplemented(
    message = "the error handler cannot read `Result<{T}, {E}>` as responses",
    label = "what it reads must implement `AsResponse`",
    note = "`errors()` reads the error type as a response, `outcomes()` both the `Ok` type and the error type: implement `persevere::config::handler::AsResponse` for them"
)]
pub trait Lens<T, E>: sealed::Sealed {
    /// The outcome as a response, if this lens reads it.
    #[doc(hidden)]
    fn seen(outcome: &Result<T, E>) -> Option<Seen<'_>>;
    /// Whether this lens reads `Ok` values.
    #[doc(hidden)]
    fn sees_ok() -> bool;
}

mod sealed {
    /// Only this module's lenses.
    pub trait Sealed {}
}

/// The handler reads errors only: an `Ok` value is a success, never consulted (so the happy
/// path costs nothing). The error type implements [`AsResponse`]. Chosen by
/// [`ErrorHandler::errors`], whose page has an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errors {}

/// The handler reads `Ok` values too, for clients that return `Ok(response)` whatever its
/// status or body (the connector's "200 with a `code` field" retried): both the `Ok` type and
/// the error type implement [`AsResponse`]. Each `Ok` value is then read, and its body decoded
/// when a predicate asks for it. Chosen by [`ErrorHandler::outcomes`], whose page has an
/// example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcomes {}

impl sealed::Sealed for Errors {}
impl sealed::Sealed for Outcomes {}

impl<T, E: AsResponse> Lens<T, E> for Errors {
    fn seen(outcome: &Result<T, E>) -> Option<Seen<'_>> {
        outcome.as_ref().err().map(|error| Seen::new(error, true))
    }
    fn sees_ok() -> bool {
        false
    }
}

impl<T: AsResponse, E: AsResponse> Lens<T, E> for Outcomes {
    fn seen(outcome: &Result<T, E>) -> Option<Seen<'_>> {
        Some(match outcome {
            Ok(value) => Seen::new(value, false),
            Err(error) => Seen::new(error, true),
        })
    }
    fn sees_ok() -> bool {
        true
    }
}

/// A handler's strategies, reading outcomes through the lens `L`: made by
/// [`ErrorHandler::errors`] and [`ErrorHandler::outcomes`].
///
/// The three strategies belong together: an `IGNORE` or a `SUCCESS` on an error passes the
/// [`condition`](Self::condition) (it is not a plain failure) so that the
/// [`wait`](Self::wait) and the [`stop`](Self::stop) can end the call with its ending, each of
/// them on its own; with a wait and a stop of other kinds it would be retried. Use
/// [`policy`](Self::policy), or all three. [`ErrorHandler::errors`] and
/// [`ErrorHandler::outcomes`] have examples.
#[derive(Debug, Clone)]
pub struct Strategies<L> {
    handler: ErrorHandler,
    lens: PhantomData<fn() -> L>,
}

/// The whole policy of a handler: [`Strategies::policy`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::handler::{Errors, ErrorHandler, HandlerPolicy};
///
/// /// A connector's stream, its retries read from its manifest.
/// struct Stream {
///     retries: HandlerPolicy<Errors>,
/// }
///
/// let stream = Stream { retries: ErrorHandler::default().errors().policy() };
/// # let _ = stream.retries;
/// ```
pub type HandlerPolicy<L> = Policy<HandlerStop<L>, HandlerWait<L>, HandlerCondition<L>>;

impl ErrorHandler {
    /// The handler's strategies reading errors only (see [`Errors`]): for clients whose error
    /// carries the response, as `persevere::reqwest::HttpError` does.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use http::Response;
    /// use persevere::Ending;
    /// use persevere::config::handler::ErrorHandler;
    /// use persevere::sleep::RecordingSleeper;
    ///
    /// let handler: ErrorHandler = serde_norway::from_str("
    /// response_filters:
    ///   - http_codes: [404]
    ///     action: IGNORE
    /// max_retries: 2
    /// backoff_strategies:
    ///   - type: ConstantBackoff
    ///     backoff_time_in_seconds: 1.5
    /// ")?;
    /// let policy = handler.errors().policy().sleeper(RecordingSleeper::new());
    ///
    /// // 503 is the default's: retried, with this handler's backoff, until its max_retries.
    /// let fail = |status| Err::<(), _>(Response::builder().status(status).body("").unwrap());
    /// let (outcome, report) = policy.call_reported(|| fail(503));
    /// assert_eq!(outcome.unwrap_err().status(), 503);
    /// assert_eq!((report.attempts(), report.ending()), (3, Ending::Attempts));
    /// assert_eq!(report.waits(), Some(vec![Duration::from_millis(1500); 2]));
    ///
    /// // 404 is ignored: not retried, and the report says so; the error is still the error.
    /// let (outcome, report) = policy.call_reported(|| fail(404));
    /// assert_eq!(outcome.unwrap_err().status(), 404);
    /// assert_eq!((report.attempts(), report.ending()), (1, Ending::Ignored));
    /// # Ok::<(), serde_norway::Error>(())
    /// ```
    pub fn errors(&self) -> Strategies<Errors> {
        Strategies {
            handler: self.clone(),
            lens: PhantomData,
        }
    }

    /// The handler's strategies reading `Ok` values as well as errors (see [`Outcomes`]).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::config::handler::ErrorHandler;
    /// use persevere::sleep::RecordingSleeper;
    ///
    /// // The connector's "200 with a `code` field": an answer that is an error in disguise.
    /// let handler: ErrorHandler = serde_norway::from_str(r#"
    /// response_filters:
    ///   - predicate: "{{ 'code' in response }}"
    ///     action: RETRY
    /// max_retries: 1
    /// backoff_strategies:
    ///   - type: ConstantBackoff
    ///     backoff_time_in_seconds: 1
    /// "#)?;
    /// let policy = handler.outcomes().policy().sleeper(RecordingSleeper::new());
    /// let mut bodies = [r#"{"code": "RATE_LIMITED"}"#, r#"{"rows": []}"#].into_iter();
    /// let (outcome, report) = policy.call_reported(|| {
    ///     Ok::<_, Response<&str>>(Response::builder().status(200).body(bodies.next().unwrap()).unwrap())
    /// });
    /// assert_eq!(outcome.unwrap().into_body(), r#"{"rows": []}"#);
    /// assert_eq!(report.attempts(), 2);
    /// # Ok::<(), serde_norway::Error>(())
    /// ```
    pub fn outcomes(&self) -> Strategies<Outcomes> {
        Strategies {
            handler: self.clone(),
            lens: PhantomData,
        }
    }
}

impl<L> Strategies<L> {
    /// Which outcomes go on to the wait and the stop: `RETRY`, and the actions that end the
    /// call with an ending of their own (`IGNORE`; `SUCCESS` on an error; `FAIL` on a value).
    /// A `FAIL` on an error ends the call at once ([`Ending::NotRetryable`]), and a value
    /// that is a success is one.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::condition::Condition;
    /// use persevere::config::handler::ErrorHandler;
    ///
    /// let handler: ErrorHandler = serde_norway::from_str("
    /// response_filters:
    ///   - error_message_contains: invalid token
    ///     action: FAIL
    /// ")?;
    /// let condition = handler.errors().condition();
    /// let failed = |status, body| Err::<(), _>(Response::builder().status(status).body(body).unwrap());
    /// assert!(condition.should_retry(&failed(500, "database busy")));
    /// assert!(!condition.should_retry(&failed(500, "invalid token"))); // FAIL, whatever the status
    /// assert!(!condition.should_retry(&failed(400, "bad request"))); // the default: other errors fail
    /// # Ok::<(), serde_norway::Error>(())
    /// ```
    pub fn condition(&self) -> HandlerCondition<L> {
        HandlerCondition {
            handler: self.handler.clone(),
            lens: PhantomData,
        }
    }

    /// The wait of the handler deciding the outcome (its backoff strategies, the first that
    /// can say winning); for an outcome whose action ends the call, no wait: the call ends,
    /// with that action's ending, and its reason is logged.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use http::Response;
    /// use persevere::RetryState;
    /// use persevere::config::handler::ErrorHandler;
    /// use persevere::wait::Wait;
    ///
    /// // Each handler its own backoff.
    /// let handler: ErrorHandler = serde_norway::from_str("
    /// type: CompositeErrorHandler
    /// error_handlers:
    ///   - response_filters:
    ///       - http_codes: [429]
    ///         action: RETRY
    ///     backoff_strategies:
    ///       - type: ConstantBackoff
    ///         backoff_time_in_seconds: 30
    ///   - backoff_strategies:
    ///       - type: ConstantBackoff
    ///         backoff_time_in_seconds: 2
    /// ")?;
    /// let wait = handler.errors().wait();
    /// let after = |status| {
    ///     let outcome = Err::<(), _>(Response::builder().status(status).body("").unwrap());
    ///     wait.next_wait(&RetryState::new(1).with_outcome(&outcome))
    /// };
    /// assert_eq!(after(429), Duration::from_secs(30));
    /// // No filter matches a 503: the default retries it, with the first handler's settings.
    /// assert_eq!(after(503), Duration::from_secs(30));
    /// # Ok::<(), serde_norway::Error>(())
    /// ```
    pub fn wait(&self) -> HandlerWait<L> {
        HandlerWait {
            handler: self.handler.clone(),
            lens: PhantomData,
        }
    }

    /// The stop: the call gives up once it has made as many retries as the `max_retries` of
    /// the handler deciding its latest outcome ([`Ending::Attempts`]); an outcome whose action
    /// ends the call ends it with that action's ending.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::RetryState;
    /// use persevere::config::handler::ErrorHandler;
    /// use persevere::stop::Stop;
    ///
    /// let handler: ErrorHandler = serde_norway::from_str("max_retries: 2")?;
    /// let stop = handler.errors().stop();
    /// let outcome = Err::<(), _>(Response::builder().status(503).body("").unwrap());
    /// assert!(!stop.should_stop(&RetryState::new(2).with_outcome(&outcome))); // 1 retry made
    /// assert!(stop.should_stop(&RetryState::new(3).with_outcome(&outcome))); // 2 made: done
    /// # Ok::<(), serde_norway::Error>(())
    /// ```
    pub fn stop(&self) -> HandlerStop<L> {
        HandlerStop {
            handler: self.handler.clone(),
            lens: PhantomData,
        }
    }

    /// The whole policy: `Policy::new().stop(self.stop()).wait(self.wait()).retry_if(self.condition())`,
    /// with the default sleeper and no hooks (set them with `Policy`'s setters, or adjust it
    /// in the attribute: `#[retry(policy = HANDLER.errors().policy(), before_sleep = log(warn))]`).
    /// [`ErrorHandler::errors`] and [`ErrorHandler::outcomes`] have examples.
    pub fn policy(&self) -> HandlerPolicy<L> {
        Policy::new()
            .stop(self.stop())
            .wait(self.wait())
            .retry_if(self.condition())
    }
}

/// A handler's condition: [`Strategies::condition`], whose page has an example.
#[derive(Debug, Clone)]
pub struct HandlerCondition<L> {
    handler: ErrorHandler,
    lens: PhantomData<fn() -> L>,
}

/// A handler's wait: [`Strategies::wait`], whose page has an example.
#[derive(Debug, Clone)]
pub struct HandlerWait<L> {
    handler: ErrorHandler,
    lens: PhantomData<fn() -> L>,
}

/// A handler's stop: [`Strategies::stop`], whose page has an example.
#[derive(Debug, Clone)]
pub struct HandlerStop<L> {
    handler: ErrorHandler,
    lens: PhantomData<fn() -> L>,
}

impl<T, E, L: Lens<T, E>> Condition<T, E> for HandlerCondition<L> {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        let Some(seen) = L::seen(outcome) else {
            return false;
        };
        let decision = self.handler.decide(&seen);
        decision.action.effect(seen.is_error()) != Effect::Return
    }
    fn retries_ok() -> bool {
        L::sees_ok()
    }
}

impl<T, E, L: Lens<T, E>> Wait<T, E> for HandlerWait<L> {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        let seen = state.outcome().and_then(L::seen);
        let decision = seen.as_ref().map(|seen| self.handler.decide(seen));
        let effect = match (&seen, decision) {
            (Some(seen), Some(decision)) => decision.action.effect(seen.is_error()),
            // An outcome this lens does not read (a value another condition retried): the
            // first handler's backoff.
            _ => Effect::Retry,
        };
        let settings = match &decision {
            Some(decision) => self.handler.settings(decision),
            None => self.handler.settings(&FIRST),
        };
        match effect {
            Effect::Retry => {
                match first_wait(&settings.backoff, seen.as_ref(), state, SystemTime::now()) {
                    Waited::For(wait) => wait,
                    Waited::AboveCap(wait) => {
                        state.refuse_hint(wait, crate::state::Capped::HandlerHeader);
                        wait
                    }
                    // `first_wait` falls back to a strategy that always says.
                    Waited::Unknown => Duration::ZERO,
                }
            }
            Effect::End(ending, reason) => {
                state.end_call_as(ending, reason);
                Duration::ZERO
            }
            // Only with a condition of another kind, which retried what this handler does
            // not: end the call as this condition would have.
            Effect::Return => {
                let ending = final_ending(seen.as_ref());
                state.end_call_as(ending, "the error handler does not retry its outcome");
                Duration::ZERO
            }
        }
    }
    fn needs_clock() -> bool {
        false
    }
}

impl<T, E, L: Lens<T, E>> Stop<T, E> for HandlerStop<L> {
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        self.stop_reason(state).is_some()
    }
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<Ending> {
        let seen = state.outcome().and_then(L::seen);
        let Some(seen) = seen else {
            // An outcome this lens does not read: the first handler's `max_retries`.
            let first = self.handler.settings(&FIRST);
            return retries(first.max_retries).stop_reason(state);
        };
        let decision = self.handler.decide(&seen);
        match decision.action.effect(seen.is_error()) {
            Effect::Retry => {
                retries(self.handler.settings(&decision).max_retries).stop_reason(state)
            }
            Effect::End(ending, _) => Some(ending),
            Effect::Return => Some(final_ending(Some(&seen))),
        }
    }
    /// The most any handler allows: each outcome meets the `max_retries` of the handler that
    /// decides it, so the worst case is the largest.
    fn attempt_limit(&self) -> Option<u32> {
        let first = self.handler.settings(&FIRST).max_retries();
        let most = self
            .handler
            .handlers()
            .iter()
            .map(|handler| handler.max_retries())
            .fold(first, u32::max);
        Some(most.saturating_add(1))
    }
    fn needs_clock() -> bool {
        false
    }
}

/// The decision whose settings are the first handler's.
const FIRST: crate::config::handler::Decision = crate::config::handler::Decision {
    action: crate::config::handler::Action::Retry,
    handler: 0,
    filter: None,
};

/// How a call ends on an outcome the handler does not retry: an error, not retryable; a
/// value, a success.
fn final_ending(seen: Option<&Seen<'_>>) -> Ending {
    match seen {
        Some(seen) if !seen.is_error() => Ending::Succeeded,
        _ => Ending::NotRetryable,
    }
}

/// `|`, `&` and `!`, and references, as for the runtime's own conditions.
mod condition_operators {
    use super::HandlerCondition;
    use crate::condition::{All, Any, Condition, Not, condition_operators};
    use crate::indirect::forward_ref;

    condition_operators!(HandlerCondition<L>);
}

/// `|` and `&`, and references, as for the runtime's own stops.
mod stop_operators {
    use std::time::Duration;

    use super::HandlerStop;
    use crate::indirect::forward_ref;
    use crate::stop::{Stop, StopAll, StopAny, StopsDoNotAdd, stop_operators};
    use crate::{Ending, RetryState};

    stop_operators!(HandlerStop<L>);
}

/// `+`, and references, as for the runtime's own waits.
mod wait_operators {
    use std::time::Duration;

    use super::HandlerWait;
    use crate::RetryState;
    use crate::indirect::forward_ref;
    use crate::wait::{Wait, WaitSum, wait_operators};

    wait_operators!(HandlerWait<L>);
}
