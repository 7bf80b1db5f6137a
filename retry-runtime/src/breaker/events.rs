//! What a call tells its breaker, and what it logs and counts when the breaker changes or
//! refuses it: the lines follow the runtime's own (`persevere: {function} ...`).

use std::time::Instant;

use super::{BreakerOpen, BreakerState, CircuitBreaker};
use crate::hook::{Seconds, ordinal};
use crate::{Name, metrics};

/// Tells `breaker` how attempt `attempt` of `function` ended: `failed` when the condition
/// retries its outcome (a failure opens the breaker when it crosses a threshold), a success
/// otherwise. The name is made only if it is logged.
pub(crate) fn record(
    breaker: &CircuitBreaker,
    function: impl FnOnce() -> Name,
    attempt: u32,
    failed: bool,
    now: impl FnOnce() -> Instant,
) {
    if failed {
        if let Some(cool_down) = breaker.failed(now) {
            let function = function();
            metrics::breaker_opened(function);
            tracing::warn!(
                function = %function,
                attempt,
                cool_down = ?cool_down,
                "persevere: the circuit breaker of {function} opens after its {} attempt failed; it lets a probe through in {} seconds",
                ordinal(attempt),
                Seconds(cool_down),
            );
        }
    } else {
        succeeded(breaker.succeeded_at(now), function, attempt);
    }
}

/// Tells `breaker` of a first-time success of the attribute's fast path, which makes the name
/// (`site`) only if it is logged, and reads no clock.
pub(crate) fn first_time_success(breaker: &CircuitBreaker, site: impl FnOnce() -> Name) {
    succeeded(breaker.succeeded(), site, 1);
}

/// Logs what a success changed.
fn succeeded(changed: Option<BreakerState>, function: impl FnOnce() -> Name, attempt: u32) {
    match changed {
        Some(BreakerState::Closed) => closed(function()),
        Some(BreakerState::Open) => opened_by_rate(function(), attempt),
        _ => {}
    }
}

/// Logs and counts a breaker that a success opened: the failure rate counts it too.
#[cold]
fn opened_by_rate(function: Name, attempt: u32) {
    metrics::breaker_opened(function);
    tracing::warn!(
        function = %function,
        attempt,
        "persevere: the circuit breaker of {function} opens after its {} attempt succeeded: the failures among its last calls reached its failure rate; it lets a probe through when its cool-down has passed",
        ordinal(attempt),
    );
}

/// Logs a breaker closed by its probes' success.
#[cold]
fn closed(function: Name) {
    tracing::info!(
        function = %function,
        "persevere: the circuit breaker of {function} closes: its probes succeeded",
    );
}

/// Logs and counts a refusal: before the first attempt (`made` is 0) or after `made` attempts.
pub(crate) fn refused(function: Name, made: u32, open: BreakerOpen) {
    metrics::breaker_refused(function);
    let retry_after = open.retry_after();
    if made == 0 {
        tracing::info!(
            function = %function,
            retry_after = ?retry_after,
            "persevere: {function} makes no attempt: its circuit breaker is open for another {} seconds",
            Seconds(retry_after),
        );
    } else {
        tracing::info!(
            function = %function,
            attempt = made,
            retry_after = ?retry_after,
            "persevere: {function} gives up after its {} attempt: its circuit breaker is open for another {} seconds",
            ordinal(made),
            Seconds(retry_after),
        );
    }
}
