//! Randomised waits. Each stays within its bounds and keeps a spread at its cap, so clients that
//! have all backed off to `max` do not all wake at the same instant.

use std::time::Duration;

use crate::RetryState;
use crate::jitter;
use crate::wait::Wait;
use crate::wait::exponential::{Exponential, exponential};

/// A wait drawn uniformly from a range. Built by [`random`] or [`Random::default`]; see
/// [`random`] for an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{random, Random, Wait};
///
/// // tenacity's `wait_random()`: between 0 and 1 s.
/// let wait = Random::default();
/// assert!(Wait::<(), ()>::next_wait(&wait, &RetryState::new(1)) <= Duration::from_secs(1));
/// // Bounds the wrong way round: `min` wins.
/// let backwards = random(Duration::from_secs(3), Duration::from_secs(1));
/// assert_eq!(Wait::<(), ()>::next_wait(&backwards, &RetryState::new(1)), Duration::from_secs(3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Random {
    min: Duration,
    max: Duration,
}

/// Waits a time drawn uniformly from `[min, max]` after every attempt. If `min > max`, waits `min`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{random, Wait};
///
/// let wait = random(Duration::from_secs(1), Duration::from_secs(2));
/// let slept = Wait::<(), ()>::next_wait(&wait, &RetryState::new(1));
/// assert!(slept >= Duration::from_secs(1) && slept <= Duration::from_secs(2));
/// ```
pub const fn random(min: Duration, max: Duration) -> Random {
    Random { min, max }
}

impl Random {
    /// The shortest wait.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::wait::Random;
    ///
    /// // tenacity's `wait_random(min=1, max=3)`; in the attribute, `random(min = 1s, max = 3s)`.
    /// let wait = Random::default().min(Duration::from_secs(1)).max(Duration::from_secs(3));
    /// # let _ = wait;
    /// ```
    pub const fn min(mut self, min: Duration) -> Self {
        self.min = min;
        self
    }

    /// The longest wait.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{Random, Wait};
    ///
    /// // Between 0 and 200 ms.
    /// let wait = Random::default().max(Duration::from_millis(200));
    /// let slept = Wait::<(), ()>::next_wait(&wait, &RetryState::new(1));
    /// assert!(slept <= Duration::from_millis(200));
    /// ```
    pub const fn max(mut self, max: Duration) -> Self {
        self.max = max;
        self
    }
}

/// tenacity's defaults for `wait_random`: between 0 and 1 s.
impl Default for Random {
    fn default() -> Self {
        random(Duration::ZERO, Duration::from_secs(1))
    }
}

impl<T, E> Wait<T, E> for Random {
    fn next_wait(&self, _: &RetryState<'_, T, E>) -> Duration {
        jitter::between(self.min, self.max)
    }
    fn needs_clock() -> bool {
        false
    }
}

/// Writes the four settings of the exponential curve a jittered wait follows, delegated to its
/// `curve` field.
macro_rules! curve_settings {
    ($ctor:literal, $default_max:literal, $noise:literal, $noise_note:literal) => {
        /// The first wait, scaled by `base` after each attempt (default 1 s).
        ///
        #[doc = concat!("```
# use persevere_runtime as persevere;
use std::time::Duration;
use persevere::RetryState;
use persevere::wait::{", $ctor, ", Wait};

// The third wait: at most 100 ms · 2² = 400 ms", $noise_note, ".
let wait = ", $ctor, "().multiplier(Duration::from_millis(100));
let slept = Wait::<(), ()>::next_wait(&wait, &RetryState::new(3));
assert!(slept <= Duration::from_millis(400)", $noise, ");
```")]
        pub const fn multiplier(mut self, multiplier: Duration) -> Self {
            self.curve = self.curve.multiplier(multiplier);
            self
        }

        /// The growth factor (default 2): an integer or a float.
        ///
        #[doc = concat!("```
# use persevere_runtime as persevere;
use std::time::Duration;
use persevere::RetryState;
use persevere::wait::{", $ctor, ", Wait};

// The third wait: at most 1 s · 1.5² = 2.25 s", $noise_note, ".
let wait = ", $ctor, "().base(1.5);
let slept = Wait::<(), ()>::next_wait(&wait, &RetryState::new(3));
assert!(slept <= Duration::from_millis(2250)", $noise, ");
```")]
        pub fn base(mut self, base: impl Into<f64>) -> Self {
            self.curve = self.curve.base(base);
            self
        }

        /// The shortest wait (default 0).
        ///
        #[doc = concat!("```
# use persevere_runtime as persevere;
use std::time::Duration;
use persevere::RetryState;
use persevere::wait::{", $ctor, ", Wait};

let wait = ", $ctor, "().min(Duration::from_millis(500)).max(Duration::from_secs(5));
for n in 1..10 {
    let slept = Wait::<(), ()>::next_wait(&wait, &RetryState::new(n));
    assert!(slept >= Duration::from_millis(500) && slept <= Duration::from_secs(5));
}
```")]
        pub const fn min(mut self, min: Duration) -> Self {
            self.curve = self.curve.min(min);
            self
        }

        #[doc = concat!("The longest wait (default ", $default_max, ").")]
        ///
        #[doc = concat!("```
# use persevere_runtime as persevere;
use std::time::Duration;
use persevere::RetryState;
use persevere::wait::{", $ctor, ", Wait};

let wait = ", $ctor, "().max(Duration::from_secs(2));
let slept = Wait::<(), ()>::next_wait(&wait, &RetryState::new(40));
assert!(slept <= Duration::from_secs(2));
```")]
        pub const fn max(mut self, max: Duration) -> Self {
            self.curve = self.curve.max(max);
            self
        }
    };
}

/// The longest wait of the jittered exponential strategies unless set: a minute.
const DEFAULT_JITTERED_MAX: Duration = Duration::from_secs(60);

/// Full jitter: a wait drawn uniformly between `min` and the exponential wait. Built by
/// [`random_exponential`], whose page has an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{random_exponential, RandomExponential, Wait};
///
/// const WAIT: RandomExponential =
///     random_exponential().min(Duration::from_secs(1)).max(Duration::from_secs(4));
/// for n in [1, 3, 100] {
///     let slept = Wait::<(), ()>::next_wait(&WAIT, &RetryState::new(n));
///     assert!(slept >= Duration::from_secs(1) && slept <= Duration::from_secs(4));
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandomExponential {
    curve: Exponential,
}

/// "Full jitter" (Brooker): after attempt `n`, waits `U(min, clamp(multiplier · base^(n−1), min,
/// max))`. Defaults: multiplier 1 s, base 2, min 0, max 60 s. At the cap the draw is over
/// `[min, max]`, so capped clients stay spread out.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{random_exponential, Wait};
///
/// let wait = random_exponential().max(Duration::from_secs(10));
/// for n in 1..50 {
///     let slept = Wait::<(), ()>::next_wait(&wait, &RetryState::new(n));
///     assert!(slept <= Duration::from_secs(10));
/// }
/// ```
pub const fn random_exponential() -> RandomExponential {
    RandomExponential {
        curve: exponential().max(DEFAULT_JITTERED_MAX),
    }
}

impl RandomExponential {
    curve_settings!("random_exponential", "60 s", "", "");
}

impl<T, E> Wait<T, E> for RandomExponential {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        let (min, max) = self.curve.bounds();
        let high = self.curve.raw(state.attempt()).clamp(min, max);
        jitter::between(min, high)
    }
    fn needs_clock() -> bool {
        false
    }
}

/// Exponential backoff plus a random amount. Built by [`exponential_jitter`], whose page has an
/// example.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{exponential_jitter, ExponentialJitter, Wait};
///
/// // The third wait: 4 s, plus up to 1 s of noise.
/// const WAIT: ExponentialJitter = exponential_jitter();
/// let slept = Wait::<(), ()>::next_wait(&WAIT, &RetryState::new(3));
/// assert!(slept >= Duration::from_secs(4) && slept <= Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExponentialJitter {
    curve: Exponential,
    jitter: Duration,
}

/// Exponential backoff plus up to `jitter` of noise: after attempt `n`, the exponential part
/// `multiplier · base^(n−1)` raised to `min`, plus `U(0, jitter)`, at most `max`. Defaults:
/// multiplier 1 s, base 2, min 0, max 60 s, jitter 1 s.
///
/// Unlike tenacity's `wait_exponential_jitter` (which has no `min`, and clamps the sum):
/// - the noise is added above `min`, so clients raised to the same floor do not all wait it:
///   with `min = 5s` and a 1 s exponential part, waits are spread over `[5 s, 6 s]`;
/// - the noise survives the cap: once the exponential part reaches `max − jitter`, the wait is
///   drawn from `[max − jitter, max]` instead of being exactly `max` for every client. A `jitter`
///   at or above `max` therefore makes every wait `U(min, max)`, from the first attempt on: keep
///   it below `max`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{exponential_jitter, Wait};
///
/// let wait = exponential_jitter().max(Duration::from_secs(10));
/// let capped: Vec<Duration> = (0..20)
///     .map(|_| Wait::<(), ()>::next_wait(&wait, &RetryState::new(30)))
///     .collect();
/// assert!(capped.iter().all(|d| *d >= Duration::from_secs(9) && *d <= Duration::from_secs(10)));
/// assert!(capped.iter().any(|d| *d != capped[0]));
///
/// // Raised to `min`, then the noise on top.
/// let floored = exponential_jitter().min(Duration::from_secs(5));
/// let first = Wait::<(), ()>::next_wait(&floored, &RetryState::new(1));
/// assert!(first >= Duration::from_secs(5) && first <= Duration::from_secs(6));
/// ```
pub const fn exponential_jitter() -> ExponentialJitter {
    ExponentialJitter {
        curve: exponential().max(DEFAULT_JITTERED_MAX),
        jitter: Duration::from_secs(1),
    }
}

impl ExponentialJitter {
    curve_settings!(
        "exponential_jitter",
        "60 s",
        " + Duration::from_secs(1)",
        ", plus up to 1 s of jitter"
    );

    /// The most noise added (default 1 s).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{exponential_jitter, Wait};
    ///
    /// // The second wait: 2 s plus up to 250 ms.
    /// let wait = exponential_jitter().jitter(Duration::from_millis(250));
    /// let slept = Wait::<(), ()>::next_wait(&wait, &RetryState::new(2));
    /// assert!(slept >= Duration::from_secs(2) && slept <= Duration::from_millis(2250));
    /// ```
    pub const fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }
}

impl<T, E> Wait<T, E> for ExponentialJitter {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        let (min, max) = self.curve.bounds();
        // Leave room for the noise below the cap, so capped waits still differ.
        let ceiling = max.saturating_sub(self.jitter).max(min);
        let base = self.curve.raw(state.attempt()).clamp(min, ceiling);
        let span = self.jitter.min(max - base);
        jitter::between(base, base + span)
    }
    fn needs_clock() -> bool {
        false
    }
}

/// Brooker's decorrelated jitter. Built by [`decorrelated_jitter`], whose page has an example.
///
/// In a call, it grows from its own previous wait, which the call keeps between attempts:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::Policy;
/// use persevere::sleep::RecordingSleeper;
/// use persevere::stop::attempts;
/// use persevere::wait::decorrelated_jitter;
///
/// let (low, high) = (Duration::from_millis(100), Duration::from_secs(2));
/// let sleeper = RecordingSleeper::new();
/// let policy = Policy::new()
///     .stop(attempts(6))
///     .wait(decorrelated_jitter().initial(low).max(high))
///     .sleeper(sleeper.clone());
/// let _ = policy.call(|| Err::<(), _>("down"));
/// assert!(sleeper.sleeps().iter().all(|slept| low <= *slept && *slept <= high));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecorrelatedJitter {
    initial: Duration,
    max: Duration,
}

/// Decorrelated jitter (Brooker): each wait is drawn from `[initial, 3 × previous wait]`,
/// starting from `previous = initial`, and never above `max`. Defaults: initial 1 s, max 60 s.
///
/// "Previous wait" is this strategy's own: inside `a + b` or [`chain`](crate::wait::chain) it
/// grows from what it drew itself, kept in the call's memory, not from the combined sleep. A
/// call keeps [`Memory::SLOTS`](crate::engine::Memory::SLOTS) such histories (two): a third
/// strategy with a history in one wait grows from the combined previous sleep, and the call logs
/// a warning saying so before its first sleep.
///
/// Where Brooker's formula clips the draw to `max` (so capped clients all wait exactly `max`), this
/// draws from `[initial, max]` once `3 × previous` passes `max`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::wait::{decorrelated_jitter, Wait};
///
/// let wait = decorrelated_jitter()
///     .initial(Duration::from_millis(100))
///     .max(Duration::from_secs(5));
/// let state = RetryState::<(), ()>::new(4).with_previous_sleep(Duration::from_millis(400));
/// let slept = wait.next_wait(&state);
/// assert!(slept >= Duration::from_millis(100) && slept <= Duration::from_millis(1200));
/// ```
pub const fn decorrelated_jitter() -> DecorrelatedJitter {
    DecorrelatedJitter {
        initial: Duration::from_secs(1),
        max: Duration::from_secs(60),
    }
}

impl DecorrelatedJitter {
    /// The shortest wait, and the "previous wait" before the first (default 1 s).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{decorrelated_jitter, Wait};
    ///
    /// // The first wait is drawn from [200 ms, 600 ms].
    /// let wait = decorrelated_jitter().initial(Duration::from_millis(200));
    /// let slept = Wait::<(), ()>::next_wait(&wait, &RetryState::new(1));
    /// assert!(slept >= Duration::from_millis(200) && slept <= Duration::from_millis(600));
    /// ```
    pub const fn initial(mut self, initial: Duration) -> Self {
        self.initial = initial;
        self
    }
    /// The longest wait (default 60 s).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::wait::{decorrelated_jitter, Wait};
    ///
    /// let wait = decorrelated_jitter().max(Duration::from_secs(10));
    /// let state = RetryState::<(), ()>::new(9).with_previous_sleep(Duration::from_secs(8));
    /// assert!(wait.next_wait(&state) <= Duration::from_secs(10));
    /// ```
    pub const fn max(mut self, max: Duration) -> Self {
        self.max = max;
        self
    }
}

impl<T, E> Wait<T, E> for DecorrelatedJitter {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        let low = self.initial.min(self.max);
        // Its own previous wait, even inside `+` or `chain`; a state made by hand has no memory,
        // so there the previous sleep stands in.
        let previous = if state.has_memory() {
            state.recall()
        } else {
            state.previous_sleep()
        };
        let previous = previous.unwrap_or(self.initial).max(low);
        let high = previous.saturating_mul(3).min(self.max);
        let wait = jitter::between(low, high);
        state.remember(wait);
        wait
    }
    fn memory_slots(&self) -> usize {
        1
    }
    fn needs_clock() -> bool {
        false
    }
}
