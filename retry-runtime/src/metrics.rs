//! Metrics of retried calls, through the [`metrics`](https://docs.rs/metrics) facade (feature
//! `metrics`): install any `metrics` recorder (Prometheus, StatsD, …) and these appear.
//!
//! Every metric has the label `function` (the call's [`Name`]). They count calls
//! that failed at least once: a first-time success costs nothing and is not counted here, so
//! count calls in your own code if you need a total.
//!
//! | metric | kind | labels | counts |
//! |---|---|---|---|
//! | `persevere_attempts_total` | counter | `function` | attempts made by calls that failed at least once |
//! | `persevere_retries_total` | counter | `function` | retries (each sleep before another attempt) |
//! | `persevere_calls_total` | counter | `function`, `ending` | such calls, by [`Ending`] (`succeeded`, `attempts`, …) |
//! | `persevere_give_ups_total` | counter | `function`, `ending` | calls that gave up, by reason |
//! | `persevere_budget_refusals_total` | counter | `function` | retries refused by an empty retry budget |
//! | `persevere_breaker_refusals_total` | counter | `function` | calls an open circuit breaker refused (before their first attempt or a later one; those calls end `breaker_open` in `persevere_calls_total`) |
//! | `persevere_breaker_openings_total` | counter | `function` | times a call's failure opened its circuit breaker |
//! | `persevere_hedges_total` | counter | `function` | hedges: attempts started beside a slow one (see [`crate::hedge`]) |
//! | `persevere_sleep_seconds` | histogram | `function` | each sleep between attempts, in seconds |
//!
//! `ending` is [`Ending::as_str`]: `succeeded`, `not_retryable`, `attempts`, …. Each retry and
//! each call's end build their label sets, a few small allocations, with or without a recorder
//! installed (the happy path builds none). A sleep after which the deadline had passed counts as
//! a retry here, though no attempt followed it.
//!
//! Without the feature the functions here do nothing and the `metrics` crate is not built.

use std::time::Duration;

use crate::{Ending, Name};

/// Counts attempts made by calls that failed at least once.
pub const ATTEMPTS: &str = "persevere_attempts_total";
/// Counts retries.
pub const RETRIES: &str = "persevere_retries_total";
/// Counts calls that failed at least once, by how they ended.
pub const CALLS: &str = "persevere_calls_total";
/// Counts calls that gave up, by why.
pub const GIVE_UPS: &str = "persevere_give_ups_total";
/// Counts retries refused by an empty budget.
pub const BUDGET_REFUSALS: &str = "persevere_budget_refusals_total";
/// Counts calls an open circuit breaker refused (before their first attempt or a later one).
pub const BREAKER_REFUSALS: &str = "persevere_breaker_refusals_total";
/// Counts the times a call's outcome opened its circuit breaker.
pub const BREAKER_OPENINGS: &str = "persevere_breaker_openings_total";
/// Counts hedges, also in [`ATTEMPTS`] once the call ends.
pub const HEDGES: &str = "persevere_hedges_total";
/// Records each sleep, in seconds.
pub const SLEEP_SECONDS: &str = "persevere_sleep_seconds";

#[cfg(feature = "metrics")]
fn label(function: Name) -> ::metrics::SharedString {
    match function.as_static() {
        Some(path) => ::metrics::SharedString::const_str(path),
        None => ::metrics::SharedString::from(function.to_string()),
    }
}

/// A retry: the call sleeps `wait` before its next attempt.
#[inline]
pub(crate) fn retried(function: Name, wait: Duration) {
    #[cfg(feature = "metrics")]
    {
        ::metrics::counter!(RETRIES, "function" => label(function)).increment(1);
        ::metrics::histogram!(SLEEP_SECONDS, "function" => label(function))
            .record(wait.as_secs_f64());
    }
    let _ = (function, wait);
}

/// A hedge started beside a slow attempt.
#[inline]
pub(crate) fn hedged(function: Name) {
    #[cfg(feature = "metrics")]
    ::metrics::counter!(HEDGES, "function" => label(function)).increment(1);
    let _ = function;
}

/// An empty budget refused a retry.
#[inline]
pub(crate) fn budget_refused(function: Name) {
    #[cfg(feature = "metrics")]
    ::metrics::counter!(BUDGET_REFUSALS, "function" => label(function)).increment(1);
    let _ = function;
}

/// An open breaker refused an attempt.
#[inline]
pub(crate) fn breaker_refused(function: Name) {
    #[cfg(feature = "metrics")]
    ::metrics::counter!(BREAKER_REFUSALS, "function" => label(function)).increment(1);
    let _ = function;
}

/// A call's failure opened its breaker.
#[inline]
pub(crate) fn breaker_opened(function: Name) {
    #[cfg(feature = "metrics")]
    ::metrics::counter!(BREAKER_OPENINGS, "function" => label(function)).increment(1);
    let _ = function;
}

/// A call that failed at least once ended after `attempts` attempts.
#[inline]
pub(crate) fn finished(function: Name, attempts: u32, ending: Ending) {
    #[cfg(feature = "metrics")]
    {
        ::metrics::counter!(ATTEMPTS, "function" => label(function)).increment(u64::from(attempts));
        ::metrics::counter!(CALLS, "function" => label(function), "ending" => ending.as_str())
            .increment(1);
        if ending.gave_up() {
            ::metrics::counter!(GIVE_UPS, "function" => label(function), "ending" => ending.as_str())
                .increment(1);
        }
    }
    let _ = (function, attempts, ending);
}
