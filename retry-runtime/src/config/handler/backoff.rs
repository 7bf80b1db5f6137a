//! How long a handler waits before a retry: its backoff strategies, tried in order, each built
//! on the runtime's own ([`exponential`], [`fixed`], [`HeaderHint`]).

use std::time::{Duration, SystemTime};

use crate::RetryState;
use crate::config::handler::response::Seen;
use crate::http::HeaderHint;
use crate::wait::{Wait, exponential, fixed};

/// One of a handler's `backoff_strategies`. A handler tries them in order and waits what the
/// first that can say gives: the header strategies cannot say when the response lacks their
/// header (or its value is unusable), and the next is tried. When none can, or none is given,
/// the handler waits as `ExponentialBackoffStrategy` with its default `factor` of 5.
///
/// | `type` | settings | wait after attempt `n` |
/// |---|---|---|
/// | `ExponentialBackoffStrategy` | `factor` (seconds, default 5) | `factor · 2ⁿ` s: 10, 20, 40 … with the default, as the connector computes it |
/// | `ConstantBackoffStrategy` (or `ConstantBackoff`) | `backoff_time_in_seconds` (required) | that |
/// | `WaitTimeFromHeader` | `header` (required), `regex`, `max_waiting_time_in_seconds` | the header's number of seconds |
/// | `WaitUntilTimeFromHeader` | `header` (required), `regex`, `min_wait`, `max_waiting_time_in_seconds` | until the header's Unix time, at least `min_wait` s |
///
/// A header's wait is the server's word, waited exactly (no jitter, no floor beyond
/// `min_wait`), but never past `max_waiting_time_in_seconds` (300 s when not given, as
/// [`server_hint`](crate::wait::server_hint)'s `max`): a longer one ends the call with
/// [`Ending::HintAboveCap`](crate::Ending::HintAboveCap), and the wait refused is in the report
/// ([`Report::refused_wait`](crate::Report::refused_wait)). A `regex` (the `regex` feature)
/// extracts the number from the value: its first group, else its match.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use http::Response;
/// use persevere::config::handler::{Backoff, ErrorHandler};
/// use persevere::sleep::RecordingSleeper;
///
/// let handler: ErrorHandler = serde_norway::from_str("
/// max_retries: 3
/// backoff_strategies:
///   - type: WaitTimeFromHeader
///     header: wait_time
///   - type: ExponentialBackoffStrategy
///     factor: 1
/// ")?;
/// assert!(matches!(handler.handlers()[0].backoff_strategies()[1], Backoff::Exponential { .. }));
///
/// // A 503 without the header: the exponential, 1 s · 2ⁿ after attempt n.
/// let sleeper = RecordingSleeper::new();
/// let policy = handler.errors().policy().sleeper(sleeper.clone());
/// let _ = policy.call(|| Err::<(), _>(Response::builder().status(503).body("").unwrap()));
/// assert_eq!(sleeper.sleeps(), [2, 4, 8].map(Duration::from_secs));
///
/// // With it, the server's word.
/// let sleeper = RecordingSleeper::new();
/// let policy = handler.errors().policy().sleeper(sleeper.clone());
/// let _ = policy.call(|| {
///     Err::<(), _>(Response::builder().status(503).header("wait_time", "7").body("").unwrap())
/// });
/// assert_eq!(sleeper.sleeps(), [Duration::from_secs(7); 3]);
/// # Ok::<(), serde_norway::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Backoff {
    /// `ExponentialBackoffStrategy`: `factor · 2ⁿ` seconds after attempt `n`.
    #[non_exhaustive]
    Exponential {
        /// `factor`, in seconds.
        factor: f64,
    },
    /// `ConstantBackoffStrategy` (or `ConstantBackoff`): the same wait after every attempt.
    #[non_exhaustive]
    Constant {
        /// `backoff_time_in_seconds`.
        wait: Duration,
    },
    /// `WaitTimeFromHeader`: a header holding the wait in seconds.
    #[non_exhaustive]
    WaitTimeFromHeader {
        /// The header, and its `regex`.
        hint: HeaderHint,
        /// `max_waiting_time_in_seconds`.
        max: Duration,
    },
    /// `WaitUntilTimeFromHeader`: a header holding the Unix time to wait until.
    #[non_exhaustive]
    WaitUntilTimeFromHeader {
        /// The header, its `regex` and its `min_wait`.
        hint: HeaderHint,
        /// `max_waiting_time_in_seconds`.
        max: Duration,
    },
}

/// The connector's default `factor`.
pub(crate) const DEFAULT_FACTOR: f64 = 5.0;

/// The longest wait a header may ask for when `max_waiting_time_in_seconds` is not given.
pub(crate) const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(300);

/// The strategy used when none is given, or none can say.
pub(crate) const DEFAULT_BACKOFF: Backoff = Backoff::Exponential {
    factor: DEFAULT_FACTOR,
};

/// What a strategy makes of one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Waited {
    /// Wait this long.
    For(Duration),
    /// A header asked for this, above the strategy's cap: the call ends.
    AboveCap(Duration),
    /// The strategy cannot say: try the next.
    Unknown,
}

impl Backoff {
    /// The strategy's `type`, as a file spells it.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::handler::ErrorHandler;
    ///
    /// let handler: ErrorHandler = serde_norway::from_str("
    /// backoff_strategies:
    ///   - type: ConstantBackoff
    ///     backoff_time_in_seconds: 2
    /// ")?;
    /// // Either spelling reads as the one strategy.
    /// assert_eq!(handler.handlers()[0].backoff_strategies()[0].type_name(), "ConstantBackoffStrategy");
    /// # Ok::<(), serde_norway::Error>(())
    /// ```
    pub fn type_name(&self) -> &'static str {
        match self {
            Backoff::Exponential { .. } => "ExponentialBackoffStrategy",
            Backoff::Constant { .. } => "ConstantBackoffStrategy",
            Backoff::WaitTimeFromHeader { .. } => "WaitTimeFromHeader",
            Backoff::WaitUntilTimeFromHeader { .. } => "WaitUntilTimeFromHeader",
        }
    }

    /// The wait after the attempt `state` describes, for the response `seen` (none for an
    /// outcome the handler cannot read).
    pub(crate) fn wait<T, E>(
        &self,
        seen: Option<&Seen<'_>>,
        state: &RetryState<'_, T, E>,
        now: SystemTime,
    ) -> Waited {
        match self {
            // `factor · 2ⁿ` is the runtime's exponential with a multiplier of `2 · factor`
            // (`multiplier · 2ⁿ⁻¹`), which saturates instead of overflowing.
            Backoff::Exponential { factor } => {
                let multiplier = Duration::try_from_secs_f64(2.0 * factor).unwrap_or(Duration::MAX);
                Waited::For(exponential().multiplier(multiplier).next_wait(state))
            }
            Backoff::Constant { wait } => Waited::For(fixed(*wait).next_wait(state)),
            Backoff::WaitTimeFromHeader { hint, max }
            | Backoff::WaitUntilTimeFromHeader { hint, max } => {
                match seen.and_then(Seen::headers).and_then(|h| hint.read(h, now)) {
                    Some(wait) if wait > *max => Waited::AboveCap(wait),
                    Some(wait) => Waited::For(wait),
                    None => Waited::Unknown,
                }
            }
        }
    }
}

/// The wait `strategies` give, the first that can say winning; the default exponential when
/// none can.
pub(crate) fn first_wait<T, E>(
    strategies: &[Backoff],
    seen: Option<&Seen<'_>>,
    state: &RetryState<'_, T, E>,
    now: SystemTime,
) -> Waited {
    strategies
        .iter()
        .map(|strategy| strategy.wait(seen, state, now))
        .find(|waited| *waited != Waited::Unknown)
        .unwrap_or_else(|| DEFAULT_BACKOFF.wait(seen, state, now))
}

#[cfg(test)]
mod tests {
    use ::http::HeaderName;

    use super::*;

    fn after(attempt: u32, strategies: &[Backoff], response: &::http::Response<&str>) -> Waited {
        let seen = Seen::new(response, true);
        first_wait(
            strategies,
            Some(&seen),
            &RetryState::<(), ()>::new(attempt),
            SystemTime::UNIX_EPOCH,
        )
    }

    fn response(header: Option<(&'static str, &'static str)>) -> ::http::Response<&'static str> {
        let mut builder = ::http::Response::builder().status(429);
        if let Some((name, value)) = header {
            builder = builder.header(name, value);
        }
        builder.body("").unwrap()
    }

    #[test]
    fn the_exponential_doubles_from_twice_the_factor() {
        let none = response(None);
        let waits: Vec<Waited> = (1..=4).map(|n| after(n, &[], &none)).collect();
        let secs = |s| Waited::For(Duration::from_secs(s));
        assert_eq!(waits, [secs(10), secs(20), secs(40), secs(80)]);
        let half = [Backoff::Exponential { factor: 0.5 }];
        assert_eq!(after(1, &half, &none), secs(1));
        assert_eq!(after(3, &half, &none), secs(4));
        let huge = [Backoff::Exponential { factor: 1e300 }];
        assert!(matches!(after(60, &huge, &none), Waited::For(_)));
    }

    #[test]
    fn a_header_falls_back_to_the_next_strategy() {
        let strategies = [
            Backoff::WaitTimeFromHeader {
                hint: HeaderHint::wait_time(HeaderName::from_static("wait_time")),
                max: DEFAULT_MAX_WAIT,
            },
            Backoff::Constant {
                wait: Duration::from_secs(5),
            },
        ];
        let told = response(Some(("wait_time", "2")));
        assert_eq!(
            after(1, &strategies, &told),
            Waited::For(Duration::from_secs(2))
        );
        let silent = response(None);
        assert_eq!(
            after(1, &strategies, &silent),
            Waited::For(Duration::from_secs(5))
        );
        let hostile = response(Some(("wait_time", "86400")));
        assert_eq!(
            after(1, &strategies, &hostile),
            Waited::AboveCap(Duration::from_secs(86400))
        );
    }
}
