//! Capturing the report of every retried call in a test.

use std::sync::{Arc, Mutex, PoisonError};

use super::scope::{self, Scoped, Switch};
use crate::Report;

/// Captures the [`Report`] of every call in this test (its thread and its tokio runtime) that
/// fails at least once, until the returned recorder is dropped. A first-time success is not
/// captured: it never reaches the retry machinery.
///
/// Recorded calls also record each attempt's outcome and wait, so a test can assert the schedule
/// without injecting a sleeper:
///
/// ```standalone_crate
/// # extern crate persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::retry;
/// use persevere::testing::{record, skip_sleeps};
///
/// #[retry(stop = attempts(5), wait = exponential(multiplier = 100ms))]
/// fn flaky(left: &std::cell::Cell<u32>) -> Result<u32, &'static str> {
///     if left.get() == 0 { return Ok(1) }
///     left.set(left.get() - 1);
///     Err("busy")
/// }
///
/// let _skip = skip_sleeps();
/// let recorder = record();
/// assert_eq!(flaky(&std::cell::Cell::new(2)), Ok(1));
/// let reports = recorder.reports();
/// assert_eq!(reports.len(), 1);
/// assert_eq!(reports[0].retries(), 2);
/// assert_eq!(
///     reports[0].waits(),
///     Some(vec![Duration::from_millis(100), Duration::from_millis(200)]),
/// );
/// ```
#[must_use = "calls are recorded only while the recorder is alive"]
pub fn record() -> Recorder {
    let reports = Arc::new(Mutex::new(Vec::new()));
    Recorder {
        _on: scope::turn_on(Switch::Record(Arc::clone(&reports))),
        reports,
    }
}

/// The reports captured since [`record`], whose page has an example. Dropping it stops the
/// recording.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::testing::{record, skip_sleeps};
/// use persevere::stop::attempts;
/// use persevere::{Ending, Policy};
///
/// let _skip = skip_sleeps();
/// let recorder = record();
/// let _ = Policy::new().stop(attempts(2)).call(|| Err::<(), _>("down"));
/// let reports = recorder.take();
/// assert_eq!((reports.len(), reports[0].ending()), (1, Ending::Attempts));
/// ```
#[derive(Debug)]
pub struct Recorder {
    _on: Scoped,
    reports: Arc<Mutex<Vec<Report>>>,
}

impl Recorder {
    /// The reports captured so far, in the order the calls ended.
    ///
    /// ```standalone_crate
    /// # extern crate persevere_runtime as persevere;
    /// use persevere::retry;
    /// use persevere::testing::{record, skip_sleeps};
    ///
    /// #[retry(stop = attempts(2))]
    /// fn fetch(name: &str) -> Result<(), String> {
    ///     Err(format!("{name}: not found"))
    /// }
    ///
    /// let _skip = skip_sleeps();
    /// let recorder = record();
    /// let _ = fetch("a");
    /// let _ = fetch("b");
    /// let reports = recorder.reports();
    /// assert_eq!(reports.len(), 2);
    /// assert!(reports.iter().all(|report| report.attempts() == 2));
    /// assert!(reports[0].function().to_string().ends_with("fetch"));
    /// ```
    pub fn reports(&self) -> Vec<Report> {
        self.reports
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The reports captured so far, leaving none.
    ///
    /// ```standalone_crate
    /// # extern crate persevere_runtime as persevere;
    /// use persevere::retry;
    /// use persevere::testing::{record, skip_sleeps};
    ///
    /// #[retry(stop = attempts(3))]
    /// fn flush() -> Result<(), &'static str> {
    ///     Err("disk full")
    /// }
    ///
    /// let _skip = skip_sleeps();
    /// let recorder = record();
    /// let _ = flush();
    /// assert_eq!(recorder.take()[0].retries(), 2);
    /// assert!(recorder.take().is_empty());
    /// ```
    pub fn take(&self) -> Vec<Report> {
        std::mem::take(&mut *self.reports.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Whether a recorder is in force here: a call that fails checks once, to record its detail.
#[inline]
pub(crate) fn recording() -> bool {
    scope::find_map(|switch| matches!(switch, Switch::Record(_)).then_some(())).is_some()
}

/// Hands a finished call's report to every recorder in force here.
pub(crate) fn deliver(report: &Report) {
    scope::find_map(|switch| {
        if let Switch::Record(reports) = switch {
            reports
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(report.clone());
        }
        None::<()>
    });
}
