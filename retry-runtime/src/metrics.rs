//! Metrics of retried calls, through the [`metrics`](https://docs.rs/metrics) facade (feature
//! `metrics`): install any `metrics` recorder (Prometheus, StatsD, …) and these appear.
//!
//! Every metric has the label `function` (the call's [`Name`]). They count calls
//! that failed at least once, or hedged: a first-time success costs nothing and is not counted
//! here, so count calls in your own code if you need a total.
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
//! `ending` is [`Ending::as_str`]: `succeeded`, `not_retryable`, `attempts`, …. Each function's
//! label sets are made at its first retry and kept, so counting allocates nothing after that
//! (the recorder may, as it registers a metric it has not seen). A sleep after which the deadline had passed counts as
//! a retry here, though no attempt followed it.
//!
//! Without the feature the functions here do nothing and the `metrics` crate is not built.
//!
//! The names, as a recorder sees them (here one that keeps the name of each metric registered,
//! in place of an exporter):
//!
//! ```
//! # use persevere_runtime as persevere;
//! # #[cfg(feature = "metrics")] fn main() {
//! # use std::sync::Mutex;
//! # use metrics::{Counter, Gauge, Histogram, Key, KeyName, Metadata, SharedString, Unit};
//! # #[derive(Default)]
//! # struct Names(Mutex<Vec<String>>);
//! # impl metrics::Recorder for Names {
//! #     fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
//! #     fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
//! #     fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
//! #     fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
//! #         self.0.lock().unwrap().push(key.name().to_owned());
//! #         Counter::noop()
//! #     }
//! #     fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
//! #         Gauge::noop()
//! #     }
//! #     fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
//! #         self.0.lock().unwrap().push(key.name().to_owned());
//! #         Histogram::noop()
//! #     }
//! # }
//! use persevere::metrics::{ATTEMPTS, CALLS, GIVE_UPS, RETRIES, SLEEP_SECONDS};
//! use persevere::stop::attempts;
//! use persevere::wait::none;
//! use persevere::Policy;
//!
//! let recorder = Names::default();
//! let policy = Policy::new().named("billing::charge").stop(attempts(2)).wait(none());
//! metrics::with_local_recorder(&recorder, || {
//!     let _ = policy.call(|| Ok::<_, &str>(())); // a first-time success: nothing
//!     let _ = policy.call(|| Err::<(), _>("declined"));
//! });
//! let names = recorder.0.into_inner().unwrap();
//! assert_eq!(names, [RETRIES, SLEEP_SECONDS, ATTEMPTS, CALLS, GIVE_UPS]);
//! # }
//! # #[cfg(not(feature = "metrics"))] fn main() {}
//! ```

use std::time::Duration;

use crate::{Ending, Name};

/// Counts attempts made by calls that failed at least once.
///
/// The [module](crate::metrics)'s example shows a recorder receiving the metrics by these names.
pub const ATTEMPTS: &str = "persevere_attempts_total";
/// Counts retries.
///
/// The [module](crate::metrics)'s example shows a recorder receiving the metrics by these names.
pub const RETRIES: &str = "persevere_retries_total";
/// Counts calls that failed at least once, by how they ended.
///
/// The [module](crate::metrics)'s example shows a recorder receiving the metrics by these names.
pub const CALLS: &str = "persevere_calls_total";
/// Counts calls that gave up, by why.
///
/// The [module](crate::metrics)'s example shows a recorder receiving the metrics by these names.
pub const GIVE_UPS: &str = "persevere_give_ups_total";
/// Counts retries refused by an empty budget.
///
/// The [module](crate::metrics)'s example shows a recorder receiving the metrics by these names.
pub const BUDGET_REFUSALS: &str = "persevere_budget_refusals_total";
/// Counts calls an open circuit breaker refused (before their first attempt or a later one).
///
/// The [module](crate::metrics)'s example shows a recorder receiving the metrics by these names.
pub const BREAKER_REFUSALS: &str = "persevere_breaker_refusals_total";
/// Counts the times a call's outcome opened its circuit breaker.
///
/// The [module](crate::metrics)'s example shows a recorder receiving the metrics by these names.
pub const BREAKER_OPENINGS: &str = "persevere_breaker_openings_total";
/// Counts hedges, also in [`ATTEMPTS`] once the call ends.
///
/// The [module](crate::metrics)'s example shows a recorder receiving the metrics by these names.
pub const HEDGES: &str = "persevere_hedges_total";
/// Records each sleep, in seconds.
///
/// The [module](crate::metrics)'s example shows a recorder receiving the metrics by these names.
pub const SLEEP_SECONDS: &str = "persevere_sleep_seconds";

/// Label sets, made once per function (and ending) and kept for the life of the process, so
/// counting allocates nothing after a function's first retry. They are bounded: names are
/// `&'static str`s, so there are as many sets as functions in the program times endings.
#[cfg(feature = "metrics")]
mod labels {
    use std::collections::HashMap;
    use std::sync::{PoisonError, RwLock};

    use ::metrics::{Counter, Histogram, Key, Label, Level, Metadata};

    use crate::{Ending, Name};

    type Labels = &'static [Label];
    /// Each function's label sets, by ending.
    type Made = HashMap<(Name, Option<Ending>), Labels>;

    /// What `metrics::counter!` here would say: this module as the target, at INFO.
    static METADATA: Metadata<'static> =
        Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

    /// The `function` label, and `ending` when given.
    fn labels(function: Name, ending: Option<Ending>) -> Labels {
        static MADE: RwLock<Option<Made>> = RwLock::new(None);
        let key = (function, ending);
        // Made once per key: after that, a shared read that calls do not wait on each other for.
        if let Some(made) = MADE.read().unwrap_or_else(PoisonError::into_inner).as_ref()
            && let Some(labels) = made.get(&key)
        {
            return labels;
        }
        let mut made = MADE.write().unwrap_or_else(PoisonError::into_inner);
        made.get_or_insert_with(HashMap::new)
            .entry(key)
            .or_insert_with(|| {
                let function = match function.as_static() {
                    Some(path) => Label::from_static_parts("function", path),
                    None => Label::new("function", function.to_string()),
                };
                let labels = match ending {
                    Some(ending) => {
                        vec![
                            function,
                            Label::from_static_parts("ending", ending.as_str()),
                        ]
                    }
                    None => vec![function],
                };
                Box::leak(labels.into_boxed_slice())
            })
    }

    pub(super) fn counter(name: &'static str, function: Name, ending: Option<Ending>) -> Counter {
        let key = Key::from_static_parts(name, labels(function, ending));
        ::metrics::with_recorder(|recorder| recorder.register_counter(&key, &METADATA))
    }

    pub(super) fn histogram(name: &'static str, function: Name) -> Histogram {
        let key = Key::from_static_parts(name, labels(function, None));
        ::metrics::with_recorder(|recorder| recorder.register_histogram(&key, &METADATA))
    }
}

/// A retry: the call sleeps `wait` before its next attempt. The name is made only where metrics
/// are compiled in (as for [`hedged`] and [`finished`]): every retry passes here.
#[inline]
pub(crate) fn retried(function: impl FnOnce() -> Name, wait: Duration) {
    #[cfg(feature = "metrics")]
    {
        let function = function();
        labels::counter(RETRIES, function, None).increment(1);
        labels::histogram(SLEEP_SECONDS, function).record(wait.as_secs_f64());
    }
    #[cfg(not(feature = "metrics"))]
    let _ = (function, wait);
}

/// A hedge started beside a slow attempt.
#[inline]
pub(crate) fn hedged(function: impl FnOnce() -> Name) {
    #[cfg(feature = "metrics")]
    labels::counter(HEDGES, function(), None).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = function;
}

/// An empty budget refused a retry.
#[inline]
pub(crate) fn budget_refused(function: Name) {
    #[cfg(feature = "metrics")]
    labels::counter(BUDGET_REFUSALS, function, None).increment(1);
    let _ = function;
}

/// An open breaker refused an attempt.
#[inline]
pub(crate) fn breaker_refused(function: Name) {
    #[cfg(feature = "metrics")]
    labels::counter(BREAKER_REFUSALS, function, None).increment(1);
    let _ = function;
}

/// A call's failure opened its breaker.
#[inline]
pub(crate) fn breaker_opened(function: Name) {
    #[cfg(feature = "metrics")]
    labels::counter(BREAKER_OPENINGS, function, None).increment(1);
    let _ = function;
}

/// A call that failed at least once ended after `attempts` attempts.
#[inline]
pub(crate) fn finished(function: impl FnOnce() -> Name, attempts: u32, ending: Ending) {
    #[cfg(feature = "metrics")]
    {
        let function = function();
        labels::counter(ATTEMPTS, function, None).increment(u64::from(attempts));
        labels::counter(CALLS, function, Some(ending)).increment(1);
        if ending.gave_up() {
            labels::counter(GIVE_UPS, function, Some(ending)).increment(1);
        }
    }
    #[cfg(not(feature = "metrics"))]
    let _ = (function, attempts, ending);
}
