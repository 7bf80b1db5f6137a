//! Watching a call that failed at least once: its attempt history, its tracing span, its metrics.
//!
//! A call gets a [`Watch`] at its first failure, and only when something will read it: an
//! `on_finish` hook, a reported call, a test recorder, or a traced policy. A first-time success
//! never reaches this module, and a call nobody watches allocates nothing here.

use std::time::Duration;

use crate::Name;
use crate::nested::Outer;
use crate::report::{Attempted, OutcomeKind, Report};

/// The span's and events' target: filter them with `persevere=info`.
pub const TARGET: &str = "persevere";

/// What a watched call keeps beyond the engine's own state.
#[derive(Debug)]
pub(crate) struct Watch {
    /// Each attempt, when something reads the report (not for a span alone).
    pub(crate) history: Vec<Attempted>,
    detailed: bool,
    span: Option<tracing::Span>,
    /// The finished report, for [`Policy::call_reported`](crate::Policy::call_reported).
    pub(crate) report: Option<Report>,
    /// The retrying call this one was found nested in (see [`crate::nested`]): kept here, off
    /// the engine's own state, since few calls are. A sync call puts it back as the thread's
    /// mark when it ends.
    pub(crate) outer: Option<Outer>,
}

impl Watch {
    /// A watch, with the call's span if it has one, recording each attempt if `detailed`.
    pub(crate) fn new(span: Option<tracing::Span>, detailed: bool) -> Self {
        Watch {
            history: Vec::new(),
            detailed,
            span,
            report: None,
            outer: None,
        }
    }

    /// The span of a traced call of `function`: `None` when no subscriber wants it.
    pub(crate) fn span(function: Name) -> Option<tracing::Span> {
        let span = tracing::info_span!(
            target: TARGET,
            "retry",
            code.function.name = %function,
            retry.attempts = tracing::field::Empty,
            retry.slept = tracing::field::Empty,
            retry.ending = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            error.type = tracing::field::Empty,
        );
        // A callsite once enabled stays enabled after its subscriber has gone, so ask the
        // current subscriber too: with none, the span would go nowhere.
        let listened = span.metadata().is_some_and(|meta| {
            tracing::dispatcher::get_default(|dispatch| dispatch.enabled(meta))
        });
        (!span.is_disabled() && listened).then_some(span)
    }

    /// An attempt ended: recorded, and if it `failed` (an error, or an `Ok` that is retried)
    /// an event in the span.
    pub(crate) fn attempt_ended<E>(&mut self, attempt: u32, outcome: OutcomeKind, failed: bool) {
        if self.detailed {
            self.history.push(Attempted::new(outcome, None));
        }
        if let Some(span) = self.span.as_ref().filter(|_| failed) {
            let error_type = (outcome != OutcomeKind::Ok).then(std::any::type_name::<E>);
            tracing::event!(
                target: TARGET,
                parent: span,
                tracing::Level::INFO,
                retry.attempt = attempt,
                retry.outcome = outcome.as_str(),
                error.type = error_type,
                "attempt failed",
            );
        }
    }

    /// Whether each attempt is recorded.
    pub(crate) fn detailed(&self) -> bool {
        self.detailed
    }

    /// The call sleeps `wait` before its next attempt.
    pub(crate) fn sleeps(&mut self, wait: Duration) {
        if let Some(last) = self.history.last_mut() {
            last.wait = Some(wait);
        }
    }

    /// The call ended: the span gets its final fields and closes.
    pub(crate) fn finished<E>(&mut self, report: &Report, succeeded: bool) {
        if let Some(span) = self.span.take() {
            span.record("retry.attempts", report.attempts());
            span.record("retry.slept", tracing::field::debug(report.slept()));
            span.record("retry.ending", report.ending().as_str());
            span.record("otel.status_code", if succeeded { "OK" } else { "ERROR" });
            if !succeeded {
                span.record("error.type", std::any::type_name::<E>());
            }
        }
    }
}
