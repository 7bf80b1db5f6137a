use std::time::Duration;

use crate::RetryState;
use crate::wait::Wait;

/// Exponential backoff: `clamp(multiplier · base^(n−1), min, max)`. See [`exponential`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exponential {
    multiplier: Duration,
    base: f64,
    min: Duration,
    max: Duration,
}

/// Exponential backoff with tenacity's formula: after attempt `n`, wait
/// `clamp(multiplier · base^(n−1), min, max)`. Defaults: multiplier 1 s, base 2, min 0, no max.
///
/// Past `max` it returns `max` without computing the power, so no attempt number overflows or
/// panics. If `min` is greater than `max`, `min` wins. A base that is negative or not a number
/// behaves as 1.
///
/// ```
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{exponential, Wait};
///
/// let wait = exponential().min(Duration::from_secs(4)).max(Duration::from_secs(10));
/// let secs: Vec<u64> = (1..=6)
///     .map(|n| Wait::<(), ()>::next_wait(&wait, &RetryState::new(n)).as_secs())
///     .collect();
/// assert_eq!(secs, [4, 4, 4, 8, 10, 10]);
/// ```
pub const fn exponential() -> Exponential {
    Exponential {
        multiplier: Duration::from_secs(1),
        base: 2.0,
        min: Duration::ZERO,
        max: Duration::MAX,
    }
}

impl Exponential {
    /// The first wait, scaled by `base` after each attempt (default 1 s).
    pub const fn multiplier(mut self, multiplier: Duration) -> Self {
        self.multiplier = multiplier;
        self
    }

    /// The growth factor (default 2).
    pub const fn base(mut self, base: f64) -> Self {
        self.base = base;
        self
    }

    /// The shortest wait (default 0).
    pub const fn min(mut self, min: Duration) -> Self {
        self.min = min;
        self
    }

    /// The longest wait (default: none).
    pub const fn max(mut self, max: Duration) -> Self {
        self.max = max;
        self
    }

    /// `multiplier · base^(n−1)` after attempt `n`, capped at `max` but not raised to `min`.
    pub(crate) fn raw(&self, attempt: u32) -> Duration {
        capped_power(self.multiplier, self.base, attempt, self.bounds().1)
    }

    /// `(min, max)`, with `max` raised to `min` if it was below: min wins.
    pub(crate) const fn bounds(&self) -> (Duration, Duration) {
        let max = if self.max.as_nanos() < self.min.as_nanos() {
            self.min
        } else {
            self.max
        };
        (self.min, max)
    }
}

/// `multiplier · base^(n−1)`, or `cap` once that reaches `cap`. Never overflows or panics: the
/// power is taken in floating point, where a huge attempt number saturates to infinity.
fn capped_power(multiplier: Duration, base: f64, attempt: u32, cap: Duration) -> Duration {
    if multiplier.is_zero() {
        return Duration::ZERO.min(cap);
    }
    let base = if base.is_nan() || base < 0.0 {
        1.0
    } else {
        base
    };
    let factor = base.powf(f64::from(attempt.saturating_sub(1)));
    let nanos = (multiplier.as_nanos() as f64 * factor).round();
    // Also catches NaN (zero times infinity cannot happen: a zero multiplier returned above).
    if nanos.is_nan() || nanos >= cap.as_nanos() as f64 {
        return cap;
    }
    // Below the cap, so below `Duration::MAX`: the casts cannot truncate.
    Duration::new((nanos / 1e9).floor() as u64, (nanos % 1e9) as u32)
}

impl<T, E> Wait<T, E> for Exponential {
    #[inline]
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        let (min, max) = self.bounds();
        self.raw(state.attempt()).clamp(min, max)
    }
    const NEEDS_CLOCK: bool = false;
}
