use std::time::Duration;

use crate::RetryState;
use crate::wait::Wait;

/// Exponential backoff: `clamp(multiplier · base^(n−1), min, max)`. Built by [`exponential`],
/// whose page has an example, and set by the methods below.
///
/// The constructor and most setters are `const`, so a backoff shared by several calls can live
/// in a `const`:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{exponential, Exponential, Wait};
///
/// const BACKOFF: Exponential = exponential()
///     .multiplier(Duration::from_millis(200))
///     .max(Duration::from_secs(1));
/// let wait = |n| Wait::<(), ()>::next_wait(&BACKOFF, &RetryState::new(n));
/// assert_eq!(wait(2), Duration::from_millis(400));
/// assert_eq!(wait(4), Duration::from_secs(1)); // 1.6 s, capped
/// ```
#[derive(Clone, Copy, PartialEq)]
pub struct Exponential {
    multiplier: Duration,
    base: f64,
    min: Duration,
    max: Duration,
    /// The same settings in nanoseconds, for the usual base 2: made by each setter, so that a
    /// wait, at every retry, is a shift and two comparisons. Made from the fields above, it
    /// changes nothing of what the backoff is (nor of how it compares or prints).
    doubling: Doubling,
}

impl std::fmt::Debug for Exponential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exponential")
            .field("multiplier", &self.multiplier)
            .field("base", &self.base)
            .field("min", &self.min)
            .field("max", &self.max)
            .finish()
    }
}

/// An [`Exponential`]'s settings in nanoseconds, where its waits are `multiplier << (n − 1)`
/// clamped: base 2, and a multiplier and a min below 2^52 ns (about 52 days). `max` is
/// `u64::MAX` at or past 2^52 ns, beyond every such wait.
#[derive(Clone, Copy, PartialEq)]
struct Doubling {
    /// [`NOT_DOUBLING`] when the settings are not of that kind.
    multiplier: u64,
    min: u64,
    max: u64,
}

/// [`Doubling`]'s multiplier when the waits are not shifts: at or past 2^52, so no wait is
/// taken as one.
const NOT_DOUBLING: u64 = u64::MAX;

impl Doubling {
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    const fn of(multiplier: Duration, base: f64, min: Duration, max: Duration) -> Doubling {
        let not = Doubling {
            multiplier: NOT_DOUBLING,
            min: 0,
            max: 0,
        };
        if base != 2.0 {
            return not;
        }
        let (Some(multiplier), Some(min)) = (nanos_below_2_52(multiplier), nanos_below_2_52(min))
        else {
            return not;
        };
        let max = match nanos_below_2_52(max) {
            Some(max) => max,
            None => u64::MAX,
        };
        Doubling {
            multiplier,
            min,
            max,
        }
    }
}

/// Exponential backoff with tenacity's formula: after attempt `n`, wait
/// `clamp(multiplier · base^(n−1), min, max)`. Defaults: multiplier 1 s, base 2, min 0, no max.
///
/// Past `max` it returns `max` without computing the power, so no attempt number overflows or
/// panics. If `min` is greater than `max`, `min` wins. A base that is negative or not a number
/// behaves as 1.
///
/// ```
/// # use persevere_runtime as persevere;
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
#[inline]
pub const fn exponential() -> Exponential {
    Exponential {
        multiplier: Duration::from_secs(1),
        base: 2.0,
        min: Duration::ZERO,
        max: Duration::MAX,
        doubling: Doubling::of(Duration::from_secs(1), 2.0, Duration::ZERO, Duration::MAX),
    }
}

impl Exponential {
    /// The first wait, scaled by `base` after each attempt (default 1 s).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{exponential, Wait};
    ///
    /// // 100 ms, 200 ms, 400 ms …
    /// let wait = exponential().multiplier(Duration::from_millis(100));
    /// let third = Wait::<(), ()>::next_wait(&wait, &RetryState::new(3));
    /// assert_eq!(third, Duration::from_millis(400));
    /// ```
    #[inline]
    pub const fn multiplier(mut self, multiplier: Duration) -> Self {
        self.multiplier = multiplier;
        self.renew()
    }

    /// The growth factor (default 2): an integer or a float.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{exponential, Wait};
    ///
    /// // 1 s, 3 s, 9 s …
    /// let wait = exponential().base(3);
    /// let third = Wait::<(), ()>::next_wait(&wait, &RetryState::new(3));
    /// assert_eq!(third, Duration::from_secs(9));
    ///
    /// // 1 s, 1.5 s, 2.25 s …
    /// let gentle = exponential().base(1.5);
    /// let third = Wait::<(), ()>::next_wait(&gentle, &RetryState::new(3));
    /// assert_eq!(third, Duration::from_millis(2250));
    /// ```
    #[inline]
    pub fn base(mut self, base: impl Into<f64>) -> Self {
        self.base = base.into();
        self.renew()
    }

    /// The settings in nanoseconds, made again after a setter.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    const fn renew(mut self) -> Self {
        self.doubling = Doubling::of(self.multiplier, self.base, self.min, self.max);
        self
    }

    /// The shortest wait (default 0).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{exponential, Wait};
    ///
    /// // 1 s, 2 s, 4 s raised to 3 s, 3 s, 4 s.
    /// let wait = exponential().min(Duration::from_secs(3));
    /// let first = Wait::<(), ()>::next_wait(&wait, &RetryState::new(1));
    /// assert_eq!(first, Duration::from_secs(3));
    /// ```
    #[inline]
    pub const fn min(mut self, min: Duration) -> Self {
        self.min = min;
        self.renew()
    }

    /// The longest wait (default: none).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{exponential, Wait};
    ///
    /// let wait = exponential().max(Duration::from_secs(30));
    /// let late = Wait::<(), ()>::next_wait(&wait, &RetryState::new(100));
    /// assert_eq!(late, Duration::from_secs(30));
    /// ```
    #[inline]
    pub const fn max(mut self, max: Duration) -> Self {
        self.max = max;
        self.renew()
    }

    /// `multiplier · base^(n−1)` after attempt `n`, capped at `max` but not raised to `min`.
    pub(crate) fn raw(&self, attempt: u32) -> Duration {
        capped_power(self.multiplier, self.base, attempt, self.bounds().1)
    }

    /// `(min, max)`, with `max` raised to `min` if it was below: min wins.
    pub(crate) const fn bounds(&self) -> (Duration, Duration) {
        let below = self.max.as_secs() < self.min.as_secs()
            || (self.max.as_secs() == self.min.as_secs()
                && self.max.subsec_nanos() < self.min.subsec_nanos());
        let max = if below { self.min } else { self.max };
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
    let doublings = attempt.saturating_sub(1);
    if base == 2.0
        && let Some(nanos) = doubled(multiplier, doublings)
    {
        let wait = Duration::from_nanos(nanos);
        return if wait >= cap { cap } else { wait };
    }
    // A whole exponent: `powi` multiplies, where `powf` would take a logarithm; past `i32::MAX`
    // (attempts under `never()`), `powf`, which takes any exponent.
    let power = match i32::try_from(doublings) {
        Ok(exponent) => base.powi(exponent),
        Err(_) => base.powf(f64::from(doublings)),
    };
    let nanos = nanos_f64(multiplier) * power;
    // Also catches NaN (zero times infinity cannot happen: a zero multiplier returned above).
    if nanos.is_nan() || nanos >= nanos_f64(cap) {
        return cap;
    }
    // Round to the nearest nanosecond (`nanos` is positive). Below the cap, so below
    // `Duration::MAX`.
    let nanos = nanos + 0.5;
    if nanos < u64::MAX as f64 {
        Duration::from_nanos(nanos as u64)
    } else {
        Duration::try_from_secs_f64(nanos / 1e9).unwrap_or(cap)
    }
}

/// `multiplier · 2^doublings` in nanoseconds, when it is below 2^52 (about 52 days): a shift,
/// giving exactly what the `f64` path of [`capped_power`] gives wherever that path rounds
/// exactly; past it, the `f64` path decides. The usual base, and it runs at every retry.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
fn doubled(multiplier: Duration, doublings: u32) -> Option<u64> {
    let nanos = nanos_below_2_52(multiplier)?;
    (doublings < 52 && nanos < (1 << 52) >> doublings).then(|| nanos << doublings)
}

/// Nanoseconds as a `u64`, when they are below 2^52 (about 52 days).
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
const fn nanos_below_2_52(duration: Duration) -> Option<u64> {
    const SECONDS: u64 = (1 << 52) / 1_000_000_000;
    if duration.as_secs() > SECONDS {
        return None;
    }
    // At most (2^52 / 10^9 + 1) · 10^9: no overflow.
    let nanos = duration.as_secs() * 1_000_000_000 + duration.subsec_nanos() as u64;
    if nanos < 1 << 52 { Some(nanos) } else { None }
}

/// Nanoseconds as a float, without the slow `u128` conversion of `as_nanos() as f64`.
fn nanos_f64(duration: Duration) -> f64 {
    duration.as_secs() as f64 * 1e9 + f64::from(duration.subsec_nanos())
}

impl<T, E> Wait<T, E> for Exponential {
    // Inlined where the call decides (it runs at every retry), where the settings are at hand.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        // The usual base, 2, inline and in nanoseconds: the shift `capped_power` takes, then
        // `max` and `min` (which wins), each below 2^52 ns or past every shifted wait. The
        // setters converted them ([`Doubling`]).
        let Doubling {
            multiplier,
            min,
            max,
        } = self.doubling;
        let doublings = state.attempt().saturating_sub(1);
        // `NOT_DOUBLING` is past 2^52 ns, so it never passes the second test.
        if doublings < 52 && multiplier < (1 << 52) >> doublings {
            return Duration::from_nanos((multiplier << doublings).min(max).max(min));
        }
        let (min, max) = self.bounds();
        self.raw(state.attempt()).clamp(min, max)
    }
    fn needs_clock() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inline base-2 path gives what the general path gives, over every kind of setting.
    #[test]
    fn the_inline_path_agrees_with_the_general_one() {
        let durations = [
            Duration::ZERO,
            Duration::from_nanos(1),
            Duration::from_millis(100),
            Duration::from_secs(1),
            Duration::from_secs(10),
            Duration::from_secs(1 << 40),
            Duration::MAX,
        ];
        for base in [2.0, 3.0, 1.5, -2.0, f64::NAN] {
            for multiplier in durations {
                for min in durations {
                    for max in durations {
                        let wait = exponential()
                            .base(base)
                            .multiplier(multiplier)
                            .min(min)
                            .max(max);
                        for attempt in 0..70 {
                            let (low, high) = wait.bounds();
                            let general = wait.raw(attempt).clamp(low, high);
                            let state = RetryState::<(), ()>::new(attempt);
                            assert_eq!(
                                Wait::next_wait(&wait, &state),
                                general,
                                "{wait:?} after attempt {attempt}"
                            );
                        }
                    }
                }
            }
        }
    }

    /// The shift for base 2 gives what the general `f64` path gives, wherever that path is exact.
    #[test]
    fn base_two_shifts_as_the_general_path_multiplies() {
        let multipliers = [
            1,
            7,
            999,
            100_000_000,
            1_000_000_007,
            (1 << 52) + 3,
            u64::MAX,
        ];
        let caps = [
            Duration::from_millis(1),
            Duration::from_secs(10),
            Duration::MAX,
        ];
        for nanos in multipliers {
            let multiplier = Duration::from_nanos(nanos);
            for cap in caps {
                for attempt in 0..70u32 {
                    let general = {
                        let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
                        let product = nanos_f64(multiplier) * 2f64.powi(exponent);
                        if product >= nanos_f64(cap) {
                            cap
                        } else {
                            Duration::from_nanos((product + 0.5) as u64)
                        }
                    };
                    // Where the product passes 2^64 ns, the general path leaves `u64`.
                    assert!(capped_power(Duration::MAX, 2.0, attempt, cap) == cap);
                    if nanos_f64(general) < 1.8e19 {
                        assert_eq!(
                            capped_power(multiplier, 2.0, attempt, cap),
                            general,
                            "{multiplier:?} at attempt {attempt} under {cap:?}"
                        );
                    }
                }
            }
        }
    }
}
