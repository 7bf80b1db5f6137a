//! The SDK's retry settings, whole: what `Configuration` holds and `set_default` installs.

use std::time::Duration;

use crate::Policy;
use crate::settings::{
    Backoff, BackoffStrategy, RetryCondition, RetryErrorCodes, RetryOptions, ServiceError,
    SettingsCondition,
};
use crate::stop::{Retries, retries};

/// Every retry setting of the SDK's chapter, each with its default:
///
/// | setting | default | meaning |
/// |---|---|---|
/// | `auto_retry` | `true` | retry at all; `false` makes a single attempt |
/// | `num_max_retries` | 3 | retries after the first attempt: `n + 1` attempts in all |
/// | `min_retry_delay` | 30 ms | the backoff's first delay (`min_retry_delay_ms` in configuration) |
/// | `max_retry_delay` | 300 000 ms | the backoff's cap (`max_retry_delay_ms`) |
/// | `backoff_strategy` | [`ExponentialWithRandomJitter`](BackoffStrategy::ExponentialWithRandomJitter) | the delay's formula ([`BackoffStrategy`]) |
/// | `retry_condition` | [`Default`](RetryCondition::Default) | network errors, throttling and `retry_error_codes` |
/// | `retry_error_codes` | none | codes the default condition retries too |
///
/// Set the fields, or chain the methods of the same names. A [`GlobalSettings`] keeps them for
/// the whole process ([`set_default`](crate::settings::GlobalSettings::set_default)), and
/// [`RetryOptions`] override them field by field for one call.
///
/// [`GlobalSettings`]: crate::settings::GlobalSettings
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::settings::{BackoffStrategy, RetrySettings};
///
/// # #[derive(Debug)] struct ApiError;
/// // The SDK's example: configuration.num_max_retries = 4, and so on.
/// let mut settings = RetrySettings::<ApiError>::new();
/// settings.num_max_retries = 4;
/// settings.min_retry_delay = Duration::from_millis(200);
///
/// // The same, chained.
/// let chained = RetrySettings::<ApiError>::new()
///     .num_max_retries(4)
///     .min_retry_delay(Duration::from_millis(200))
///     .max_retry_delay(Duration::from_millis(6000))
///     .backoff_strategy(BackoffStrategy::ExponentialWithRandomJitter)
///     .retry_error_codes(["AccessDenied"]);
/// assert_eq!(chained.num_max_retries, settings.num_max_retries);
/// ```
#[non_exhaustive]
pub struct RetrySettings<E> {
    /// Whether to retry at all (`auto_retry`, default `true`): `false` makes one attempt.
    pub auto_retry: bool,
    /// How many retries may follow the first attempt (`num_max_retries`, default 3).
    pub num_max_retries: u32,
    /// The backoff's first delay (`min_retry_delay_ms`, default 30 ms).
    pub min_retry_delay: Duration,
    /// The backoff's cap (`max_retry_delay_ms`, default 300 000 ms).
    pub max_retry_delay: Duration,
    /// The delay's formula (`backoff_strategy`, default the exponential with random jitter).
    pub backoff_strategy: BackoffStrategy,
    /// Which errors to retry (`retry_condition`, default network errors, throttling and the
    /// codes).
    pub retry_condition: RetryCondition<E>,
    /// Codes the default condition retries too (`retry_error_codes`, default none).
    pub retry_error_codes: RetryErrorCodes,
}

impl<E> RetrySettings<E> {
    /// `auto_retry`'s default: on.
    pub const DEFAULT_AUTO_RETRY: bool = true;
    /// `num_max_retries`'s default: 3 retries, so 4 attempts.
    pub const DEFAULT_NUM_MAX_RETRIES: u32 = 3;
    /// `min_retry_delay_ms`'s default: 30 ms.
    pub const DEFAULT_MIN_RETRY_DELAY: Duration = Duration::from_millis(30);
    /// `max_retry_delay_ms`'s default: 300 000 ms.
    pub const DEFAULT_MAX_RETRY_DELAY: Duration = Duration::from_millis(300_000);

    /// The SDK's defaults (see the table above).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::{BackoffStrategy, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let settings = RetrySettings::<ApiError>::new();
    /// assert!(settings.auto_retry);
    /// assert_eq!(settings.num_max_retries, 3);
    /// assert_eq!(settings.min_retry_delay, Duration::from_millis(30));
    /// assert_eq!(settings.backoff_strategy, BackoffStrategy::ExponentialWithRandomJitter);
    /// ```
    pub const fn new() -> Self {
        RetrySettings {
            auto_retry: Self::DEFAULT_AUTO_RETRY,
            num_max_retries: Self::DEFAULT_NUM_MAX_RETRIES,
            min_retry_delay: Self::DEFAULT_MIN_RETRY_DELAY,
            max_retry_delay: Self::DEFAULT_MAX_RETRY_DELAY,
            backoff_strategy: BackoffStrategy::ExponentialWithRandomJitter,
            retry_condition: RetryCondition::Default,
            retry_error_codes: RetryErrorCodes::none(),
        }
    }

    /// Sets `auto_retry`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::RetrySettings;
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let off = RetrySettings::<ApiError>::new().auto_retry(false);
    /// assert_eq!(off.stop().max(), 0); // a single attempt, whatever `num_max_retries` says
    /// ```
    pub fn auto_retry(mut self, on: bool) -> Self {
        self.auto_retry = on;
        self
    }

    /// Sets `num_max_retries`: the retries after the first attempt.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::RetrySettings;
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let settings = RetrySettings::<ApiError>::new().num_max_retries(5);
    /// assert_eq!(settings.stop().max(), 5); // 6 attempts in all
    /// ```
    pub fn num_max_retries(mut self, retries: u32) -> Self {
        self.num_max_retries = retries;
        self
    }

    /// Sets `min_retry_delay`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::{BackoffStrategy, RetrySettings};
    /// use persevere::wait::Wait;
    /// use persevere::RetryState;
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let settings = RetrySettings::<ApiError>::new()
    ///     .backoff_strategy(BackoffStrategy::Exponential)
    ///     .min_retry_delay(Duration::from_millis(200));
    /// // The first retry waits `min_retry_delay`, the second twice that.
    /// let wait = settings.wait();
    /// assert_eq!(Wait::<(), ApiError>::next_wait(&wait, &RetryState::new(1)), Duration::from_millis(200));
    /// assert_eq!(Wait::<(), ApiError>::next_wait(&wait, &RetryState::new(2)), Duration::from_millis(400));
    /// ```
    pub fn min_retry_delay(mut self, delay: Duration) -> Self {
        self.min_retry_delay = delay;
        self
    }

    /// Sets `max_retry_delay`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::{BackoffStrategy, RetrySettings};
    /// use persevere::wait::Wait;
    /// use persevere::RetryState;
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let settings = RetrySettings::<ApiError>::new()
    ///     .backoff_strategy(BackoffStrategy::Exponential)
    ///     .max_retry_delay(Duration::from_secs(1));
    /// let late = Wait::<(), ApiError>::next_wait(&settings.wait(), &RetryState::new(20));
    /// assert_eq!(late, Duration::from_secs(1));
    /// ```
    pub fn max_retry_delay(mut self, delay: Duration) -> Self {
        self.max_retry_delay = delay;
        self
    }

    /// Sets `backoff_strategy`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::{BackoffStrategy, RetrySettings};
    /// use persevere::wait::Wait;
    /// use persevere::RetryState;
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let settings = RetrySettings::<ApiError>::new().backoff_strategy(BackoffStrategy::NoBackoff);
    /// let wait = settings.wait();
    /// assert_eq!(Wait::<(), ApiError>::next_wait(&wait, &RetryState::new(3)), Duration::ZERO);
    /// ```
    pub fn backoff_strategy(mut self, strategy: BackoffStrategy) -> Self {
        self.backoff_strategy = strategy;
        self
    }

    /// Sets `retry_condition`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use persevere::condition::ErrorCode;
    /// # use persevere::settings::ServiceError;
    /// # #[derive(Debug, PartialEq)]
    /// # struct ApiError(&'static str);
    /// # impl ErrorCode for ApiError {
    /// #     fn error_code(&self) -> Option<&str> { Some(self.0) }
    /// # }
    /// # impl ServiceError for ApiError {
    /// #     fn is_network_error(&self) -> bool { self.0 == "ConnectionReset" }
    /// #     fn is_throttled(&self) -> bool { self.0 == "Throttling" }
    /// # }
    /// use persevere::condition::Condition;
    /// use persevere::settings::{RetryCondition, RetrySettings};
    ///
    /// // Retry throttling only, not the network errors the default retries too.
    /// let settings = RetrySettings::new().retry_condition(RetryCondition::custom(
    ///     |error: &ApiError, _: &_| error.is_throttled(),
    /// ));
    /// let condition = settings.condition();
    /// assert!(condition.should_retry(&Err::<(), _>(ApiError("Throttling"))));
    /// assert!(!condition.should_retry(&Err::<(), _>(ApiError("ConnectionReset"))));
    /// ```
    pub fn retry_condition(mut self, condition: RetryCondition<E>) -> Self {
        self.retry_condition = condition;
        self
    }

    /// Sets `retry_error_codes`, from any list of strings (see [`RetryErrorCodes::new`]).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use persevere::condition::ErrorCode;
    /// # use persevere::settings::ServiceError;
    /// # #[derive(Debug, PartialEq)]
    /// # struct ApiError(&'static str);
    /// # impl ErrorCode for ApiError {
    /// #     fn error_code(&self) -> Option<&str> { Some(self.0) }
    /// # }
    /// # impl ServiceError for ApiError {
    /// #     fn is_network_error(&self) -> bool { self.0 == "ConnectionReset" }
    /// #     fn is_throttled(&self) -> bool { self.0 == "Throttling" }
    /// # }
    /// use persevere::condition::Condition;
    /// use persevere::settings::RetrySettings;
    ///
    /// let settings = RetrySettings::new().retry_error_codes(["AccessDenied"]);
    /// let condition = settings.condition();
    /// assert!(condition.should_retry(&Err::<(), _>(ApiError("AccessDenied"))));
    /// assert!(!condition.should_retry(&Err::<(), _>(ApiError("InvalidParameter"))));
    /// ```
    pub fn retry_error_codes<I>(mut self, codes: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.retry_error_codes = RetryErrorCodes::new(codes);
        self
    }

    /// These settings with each setting `options` gives in its place, and the others as they
    /// are: the SDK's `RuntimeOption` over its `Configuration`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::{RetryOptions, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let global = RetrySettings::<ApiError>::new().num_max_retries(4).retry_error_codes(["AccessDenied"]);
    /// let call = global.overridden_by(&RetryOptions::new().num_max_retries(1));
    /// assert_eq!(call.num_max_retries, 1);
    /// assert!(call.retry_error_codes.contains("AccessDenied")); // not overridden
    /// ```
    pub fn overridden_by(&self, options: &RetryOptions<E>) -> Self {
        RetrySettings {
            auto_retry: options.auto_retry.unwrap_or(self.auto_retry),
            num_max_retries: options.num_max_retries.unwrap_or(self.num_max_retries),
            min_retry_delay: options.min_retry_delay.unwrap_or(self.min_retry_delay),
            max_retry_delay: options.max_retry_delay.unwrap_or(self.max_retry_delay),
            backoff_strategy: options
                .backoff_strategy
                .as_ref()
                .unwrap_or(&self.backoff_strategy)
                .clone(),
            retry_condition: options
                .retry_condition
                .as_ref()
                .unwrap_or(&self.retry_condition)
                .clone(),
            retry_error_codes: options
                .retry_error_codes
                .as_ref()
                .unwrap_or(&self.retry_error_codes)
                .clone(),
        }
    }

    /// The stop these settings make: `num_max_retries` retries after the first attempt, or
    /// none when `auto_retry` is off.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::RetrySettings;
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// assert_eq!(RetrySettings::<ApiError>::new().stop().max(), 3);
    /// assert_eq!(RetrySettings::<ApiError>::new().auto_retry(false).stop().max(), 0);
    /// ```
    pub fn stop(&self) -> Retries {
        retries(if self.auto_retry {
            self.num_max_retries
        } else {
            0
        })
    }

    /// The wait these settings make: the backoff strategy within its bounds.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::RetrySettings;
    /// use persevere::wait::Wait;
    /// use persevere::RetryState;
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// // The default: 30 ms · 2ⁿ plus up to as much again.
    /// let wait = RetrySettings::<ApiError>::new().wait();
    /// let second = Wait::<(), ApiError>::next_wait(&wait, &RetryState::new(2));
    /// assert!(second >= Duration::from_millis(60) && second <= Duration::from_millis(120));
    /// ```
    pub fn wait(&self) -> Backoff {
        Backoff {
            strategy: self.backoff_strategy.clone(),
            min_retry_delay: self.min_retry_delay,
            max_retry_delay: self.max_retry_delay,
        }
    }

    /// The condition these settings make: the retry condition, reading the error codes.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use persevere::condition::ErrorCode;
    /// # use persevere::settings::ServiceError;
    /// # #[derive(Debug, PartialEq)]
    /// # struct ApiError(&'static str);
    /// # impl ErrorCode for ApiError {
    /// #     fn error_code(&self) -> Option<&str> { Some(self.0) }
    /// # }
    /// # impl ServiceError for ApiError {
    /// #     fn is_network_error(&self) -> bool { self.0 == "ConnectionReset" }
    /// #     fn is_throttled(&self) -> bool { self.0 == "Throttling" }
    /// # }
    /// use persevere::condition::Condition;
    /// use persevere::settings::RetrySettings;
    ///
    /// let condition = RetrySettings::new().condition();
    /// assert!(condition.should_retry(&Err::<(), _>(ApiError("ConnectionReset"))));
    /// assert!(condition.should_retry(&Err::<(), _>(ApiError("Throttling"))));
    /// assert!(!condition.should_retry(&Err::<(), _>(ApiError("AccessDenied"))));
    /// ```
    pub fn condition(&self) -> SettingsCondition<E>
    where
        E: ServiceError,
    {
        SettingsCondition::new(self.retry_condition.clone(), self.retry_error_codes.clone())
    }

    /// The stop, the wait and the condition these settings make, taking them apart.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use persevere::condition::ErrorCode;
    /// # use persevere::settings::ServiceError;
    /// # #[derive(Debug, PartialEq)]
    /// # struct ApiError(&'static str);
    /// # impl ErrorCode for ApiError {
    /// #     fn error_code(&self) -> Option<&str> { Some(self.0) }
    /// # }
    /// # impl ServiceError for ApiError {
    /// #     fn is_network_error(&self) -> bool { self.0 == "ConnectionReset" }
    /// #     fn is_throttled(&self) -> bool { self.0 == "Throttling" }
    /// # }
    /// use persevere::Policy;
    /// use persevere::settings::RetrySettings;
    ///
    /// // A policy of the settings' parts, with a stop of its own.
    /// let (_stop, wait, condition) = RetrySettings::<ApiError>::new().into_parts();
    /// let policy = Policy::new().stop(persevere::stop::attempts(2)).wait(wait).retry_if(condition);
    /// # let policy = policy.sleeper(|_| {});
    /// let mut calls = 0;
    /// let _ = policy.call(|| { calls += 1; Err::<(), _>(ApiError("Throttling")) });
    /// assert_eq!(calls, 2);
    /// ```
    pub fn into_parts(self) -> (Retries, Backoff, SettingsCondition<E>)
    where
        E: ServiceError,
    {
        (
            self.stop(),
            Backoff {
                strategy: self.backoff_strategy,
                min_retry_delay: self.min_retry_delay,
                max_retry_delay: self.max_retry_delay,
            },
            SettingsCondition::new(self.retry_condition, self.retry_error_codes),
        )
    }

    /// A policy of these settings, otherwise the default one (see [`Policy::settings`]).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use persevere::condition::ErrorCode;
    /// # use persevere::settings::ServiceError;
    /// # #[derive(Debug, PartialEq)]
    /// # struct ApiError(&'static str);
    /// # impl ErrorCode for ApiError {
    /// #     fn error_code(&self) -> Option<&str> { Some(self.0) }
    /// # }
    /// # impl ServiceError for ApiError {
    /// #     fn is_network_error(&self) -> bool { self.0 == "ConnectionReset" }
    /// #     fn is_throttled(&self) -> bool { self.0 == "Throttling" }
    /// # }
    /// use std::time::Duration;
    /// use persevere::settings::RetrySettings;
    ///
    /// let settings = RetrySettings::new().num_max_retries(2).min_retry_delay(Duration::from_millis(1));
    /// let mut calls = 0;
    /// let outcome = settings.policy().call(|| { calls += 1; Err::<(), _>(ApiError("ConnectionReset")) });
    /// assert_eq!(outcome, Err(ApiError("ConnectionReset")));
    /// assert_eq!(calls, 3);
    /// ```
    pub fn policy(&self) -> Policy<Retries, Backoff, SettingsCondition<E>>
    where
        E: ServiceError,
    {
        Policy::new().settings(self)
    }
}

impl<E> Default for RetrySettings<E> {
    fn default() -> Self {
        RetrySettings::new()
    }
}

same_fields!(RetrySettings);
