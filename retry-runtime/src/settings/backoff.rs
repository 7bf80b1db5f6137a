//! `backoff_strategy`: the delay before each retry, by the SDK's formulas.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::RetryState;
use crate::wait::Wait;

/// How long to wait before a retry (the SDK's `backoff_strategy`), with `n` the retry count
/// (0 before the first retry, 1 before the second, …) and the bounds `min_retry_delay` and
/// `max_retry_delay`:
///
/// | strategy | SDK name | delay |
/// |---|---|---|
/// | [`NoBackoff`](Self::NoBackoff) | `NoBackoffStrategy` | `0` |
/// | [`Exponential`](Self::Exponential) | `ExponentialBackoffStrategy` | `min(min_retry_delay · 2ⁿ, max_retry_delay)` |
/// | [`ExponentialWithRandomJitter`](Self::ExponentialWithRandomJitter) (the default) | `ExponentialWithRandomJitterBackoffStrategy` | `base + U(0, base)`, with `base` the exponential delay |
/// | [`custom`](Self::custom) | a `BackoffStrategy` subclass | what your function returns for the [`BackoffInput`] |
///
/// The jittered delay lies in `[base, 2·base]`, as the SDK's table says: it is not capped again,
/// so at the cap it can reach twice `max_retry_delay`. The draw comes from persevere's jitter
/// generator, so [`testing::seed_jitter`](crate::testing::seed_jitter) makes it repeatable.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::settings::{BackoffInput, BackoffStrategy};
///
/// let ms = Duration::from_millis;
/// let third_retry = BackoffInput::new(2, ms(30), ms(300_000));
/// assert_eq!(BackoffStrategy::Exponential.delay(&third_retry), ms(120));
/// assert_eq!(BackoffStrategy::NoBackoff.delay(&third_retry), Duration::ZERO);
/// let jittered = BackoffStrategy::ExponentialWithRandomJitter.delay(&third_retry);
/// assert!(ms(120) <= jittered && jittered <= ms(240));
///
/// // By the SDK's names, as configuration spells them.
/// assert_eq!(BackoffStrategy::named("ExponentialBackoffStrategy"), Some(BackoffStrategy::Exponential));
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum BackoffStrategy {
    /// No delay: each retry follows at once (`NoBackoffStrategy`).
    NoBackoff,
    /// `min(min_retry_delay · 2ⁿ, max_retry_delay)` (`ExponentialBackoffStrategy`).
    Exponential,
    /// `base + U(0, base)` with `base` the exponential delay
    /// (`ExponentialWithRandomJitterBackoffStrategy`): the default.
    #[default]
    ExponentialWithRandomJitter,
    /// A function of the retry count and the bounds (see [`custom`](Self::custom)).
    Custom(CustomBackoff),
}

/// A custom backoff strategy's function. Made by [`BackoffStrategy::custom`], whose page has an
/// example.
///
/// It is shared, not copied: a clone of the strategy holds the same function and compares equal,
/// while the same closure written twice does not.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::settings::{BackoffInput, BackoffStrategy};
///
/// let doubled = BackoffStrategy::custom(|input: &BackoffInput| input.exponential() * 2);
/// assert!(matches!(doubled, BackoffStrategy::Custom(_)));
/// assert_eq!(doubled.clone(), doubled);
/// assert_ne!(doubled, BackoffStrategy::custom(|input: &BackoffInput| input.exponential() * 2));
/// ```
#[derive(Clone)]
pub struct CustomBackoff(Arc<dyn Fn(&BackoffInput) -> Duration + Send + Sync>);

impl BackoffStrategy {
    /// The SDK's names, in the order of its table.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::BackoffStrategy;
    ///
    /// for name in BackoffStrategy::NAMES {
    ///     assert_eq!(BackoffStrategy::named(name).unwrap().name(), name);
    /// }
    /// ```
    pub const NAMES: [&'static str; 3] = [
        "NoBackoffStrategy",
        "ExponentialBackoffStrategy",
        "ExponentialWithRandomJitterBackoffStrategy",
    ];

    /// A strategy of your own (the SDK's `BackoffStrategy` subclass with its
    /// `compute_delay(retry_count)`): `delay` gets the retry count and the bounds, and may reuse
    /// the built-in formulas through [`BackoffInput::exponential`] and
    /// [`BackoffInput::exponential_with_random_jitter`].
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::{BackoffInput, BackoffStrategy};
    ///
    /// // The exponential delay, plus a flat 10 ms.
    /// let padded = BackoffStrategy::custom(|input: &BackoffInput| {
    ///     input.exponential() + Duration::from_millis(10)
    /// });
    /// let second_retry = BackoffInput::new(1, Duration::from_millis(30), Duration::from_secs(300));
    /// assert_eq!(padded.delay(&second_retry), Duration::from_millis(70));
    /// ```
    pub fn custom<F>(delay: F) -> Self
    where
        F: Fn(&BackoffInput) -> Duration + Send + Sync + 'static,
    {
        BackoffStrategy::Custom(CustomBackoff(Arc::new(delay)))
    }

    /// The strategy the SDK calls `name` (see [`NAMES`](Self::NAMES)); `None` for any other.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::BackoffStrategy;
    ///
    /// assert_eq!(BackoffStrategy::named("NoBackoffStrategy"), Some(BackoffStrategy::NoBackoff));
    /// assert_eq!(BackoffStrategy::named("Exponential"), None); // the SDK's full name only
    /// ```
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "NoBackoffStrategy" => Some(BackoffStrategy::NoBackoff),
            "ExponentialBackoffStrategy" => Some(BackoffStrategy::Exponential),
            "ExponentialWithRandomJitterBackoffStrategy" => {
                Some(BackoffStrategy::ExponentialWithRandomJitter)
            }
            _ => None,
        }
    }

    /// The SDK's name for it; `"custom"` for a function of yours.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::BackoffStrategy;
    ///
    /// assert_eq!(BackoffStrategy::default().name(), "ExponentialWithRandomJitterBackoffStrategy");
    /// assert_eq!(BackoffStrategy::custom(|_| Duration::ZERO).name(), "custom");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            BackoffStrategy::NoBackoff => Self::NAMES[0],
            BackoffStrategy::Exponential => Self::NAMES[1],
            BackoffStrategy::ExponentialWithRandomJitter => Self::NAMES[2],
            BackoffStrategy::Custom(_) => "custom",
        }
    }

    /// The delay before the retry `input` describes.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::{BackoffInput, BackoffStrategy};
    ///
    /// let ms = Duration::from_millis;
    /// // Doubling from 30 ms, capped at 100 ms.
    /// let delays: Vec<Duration> = (0..4)
    ///     .map(|n| BackoffStrategy::Exponential.delay(&BackoffInput::new(n, ms(30), ms(100))))
    ///     .collect();
    /// assert_eq!(delays, [ms(30), ms(60), ms(100), ms(100)]);
    /// ```
    pub fn delay(&self, input: &BackoffInput) -> Duration {
        match self {
            BackoffStrategy::NoBackoff => Duration::ZERO,
            BackoffStrategy::Exponential => input.exponential(),
            BackoffStrategy::ExponentialWithRandomJitter => input.exponential_with_random_jitter(),
            BackoffStrategy::Custom(CustomBackoff(delay)) => delay(input),
        }
    }
}

/// Two custom strategies are equal only if they are the same function (one was cloned from the
/// other).
impl PartialEq for BackoffStrategy {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (BackoffStrategy::Custom(a), BackoffStrategy::Custom(b)) => Arc::ptr_eq(&a.0, &b.0),
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }
}

impl fmt::Debug for BackoffStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for CustomBackoff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CustomBackoff")
    }
}

/// What a backoff strategy computes a delay from: the retry count and the bounds.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::settings::{BackoffInput, BackoffStrategy};
///
/// // A custom strategy reads it: a flat delay per retry, within the bounds.
/// let linear = BackoffStrategy::custom(|input: &BackoffInput| {
///     (input.min_retry_delay() * (input.retry_count() + 1)).min(input.max_retry_delay())
/// });
/// let ms = Duration::from_millis;
/// assert_eq!(linear.delay(&BackoffInput::new(2, ms(100), ms(1000))), ms(300));
/// assert_eq!(linear.delay(&BackoffInput::new(20, ms(100), ms(1000))), ms(1000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffInput {
    retry_count: u32,
    min_retry_delay: Duration,
    max_retry_delay: Duration,
}

impl BackoffInput {
    /// The retry with `retry_count` retries before it (0 for the first retry), within
    /// `min_retry_delay` and `max_retry_delay`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::BackoffInput;
    ///
    /// let first_retry = BackoffInput::new(0, Duration::from_millis(30), Duration::from_secs(300));
    /// assert_eq!(first_retry.exponential(), Duration::from_millis(30));
    /// ```
    pub const fn new(
        retry_count: u32,
        min_retry_delay: Duration,
        max_retry_delay: Duration,
    ) -> Self {
        BackoffInput {
            retry_count,
            min_retry_delay,
            max_retry_delay,
        }
    }

    /// How many retries came before this one: 0 before the first retry.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::BackoffInput;
    ///
    /// let input = BackoffInput::new(4, Duration::from_millis(30), Duration::from_secs(300));
    /// assert_eq!(input.retry_count(), 4);
    /// ```
    pub const fn retry_count(&self) -> u32 {
        self.retry_count
    }

    /// The `min_retry_delay` setting.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::BackoffInput;
    ///
    /// let input = BackoffInput::new(0, Duration::from_millis(30), Duration::from_secs(300));
    /// assert_eq!(input.min_retry_delay(), Duration::from_millis(30));
    /// ```
    pub const fn min_retry_delay(&self) -> Duration {
        self.min_retry_delay
    }

    /// The `max_retry_delay` setting.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::BackoffInput;
    ///
    /// let input = BackoffInput::new(0, Duration::from_millis(30), Duration::from_secs(300));
    /// assert_eq!(input.max_retry_delay(), Duration::from_secs(300));
    /// ```
    pub const fn max_retry_delay(&self) -> Duration {
        self.max_retry_delay
    }

    /// `min(min_retry_delay · 2ⁿ, max_retry_delay)`, the `ExponentialBackoffStrategy`'s delay.
    /// It saturates at `max_retry_delay`, however large `n`, and never overflows.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::BackoffInput;
    ///
    /// let ms = Duration::from_millis;
    /// assert_eq!(BackoffInput::new(3, ms(30), ms(300_000)).exponential(), ms(240));
    /// assert_eq!(BackoffInput::new(u32::MAX, ms(30), ms(300_000)).exponential(), ms(300_000));
    /// ```
    pub fn exponential(&self) -> Duration {
        let min = self.min_retry_delay.as_nanos();
        let max = self.max_retry_delay.as_nanos();
        // Zero doubled is zero, however often; anything else past 2^128 is past any cap.
        let grown = match min {
            0 => 0,
            _ => 1u128
                .checked_shl(self.retry_count)
                .and_then(|factor| min.checked_mul(factor))
                .unwrap_or(u128::MAX),
        };
        // The smaller is at most `max`, which came from a `Duration`: it fits in one.
        let nanos = grown.min(max);
        Duration::new(
            (nanos / 1_000_000_000) as u64,
            (nanos % 1_000_000_000) as u32,
        )
    }

    /// `base + U(0, base)` with `base` the [`exponential`](Self::exponential) delay, the
    /// `ExponentialWithRandomJitterBackoffStrategy`'s delay: within `[base, 2·base]`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::BackoffInput;
    ///
    /// let ms = Duration::from_millis;
    /// let delay = BackoffInput::new(3, ms(30), ms(300_000)).exponential_with_random_jitter();
    /// assert!(delay >= ms(240) && delay <= ms(480));
    /// ```
    pub fn exponential_with_random_jitter(&self) -> Duration {
        let base = self.exponential();
        base.saturating_add(crate::jitter::between(Duration::ZERO, base))
    }
}

/// A call's wait under retry settings: the backoff strategy within its bounds, before each retry.
/// Made by [`RetrySettings::wait`](crate::settings::RetrySettings::wait).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::settings::{Backoff, BackoffStrategy, RetrySettings};
/// use persevere::wait::Wait;
/// use persevere::RetryState;
///
/// # #[derive(Debug)] struct ApiError;
/// let settings = RetrySettings::<ApiError>::new().backoff_strategy(BackoffStrategy::Exponential);
/// let wait: Backoff = settings.wait();
/// // After the first attempt comes retry 0: `min_retry_delay`.
/// assert_eq!(Wait::<(), ApiError>::next_wait(&wait, &RetryState::new(1)), Duration::from_millis(30));
/// assert_eq!(Wait::<(), ApiError>::next_wait(&wait, &RetryState::new(3)), Duration::from_millis(120));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Backoff {
    pub(crate) strategy: BackoffStrategy,
    pub(crate) min_retry_delay: Duration,
    pub(crate) max_retry_delay: Duration,
}

impl Backoff {
    /// What the strategy sees before the retry that follows `attempt` (1-based).
    fn input(&self, attempt: u32) -> BackoffInput {
        BackoffInput::new(
            attempt.saturating_sub(1),
            self.min_retry_delay,
            self.max_retry_delay,
        )
    }
}

impl<T, E> Wait<T, E> for Backoff {
    /// After attempt `n` (1-based) comes retry `n − 1`, counted from 0.
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        self.strategy.delay(&self.input(state.attempt()))
    }
    fn needs_clock() -> bool {
        false
    }
}

impl<T, E> Wait<T, E> for &Backoff {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        Wait::<T, E>::next_wait(*self, state)
    }
    fn needs_clock() -> bool {
        false
    }
}
