//! Per-call overrides of the retry settings: the SDK's `RuntimeOption`.

use std::time::Duration;

use crate::settings::{BackoffStrategy, RetryCondition, RetryErrorCodes};

/// The retry settings one call gives in place of the process-wide ones (the SDK's
/// `RuntimeOption`): each setting given overrides its counterpart, field by field, and each left
/// out (`None`) keeps the process-wide value. See
/// [`RetrySettings::overridden_by`](crate::settings::RetrySettings::overridden_by).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::settings::{BackoffStrategy, RetryOptions};
///
/// # #[derive(Debug)] struct ApiError;
/// // This call: one retry, no backoff; every other setting as the process has it.
/// let options = RetryOptions::<ApiError>::new()
///     .num_max_retries(1)
///     .backoff_strategy(BackoffStrategy::NoBackoff);
/// assert_eq!(options.num_max_retries, Some(1));
/// assert_eq!(options.min_retry_delay, None);
/// ```
#[non_exhaustive]
pub struct RetryOptions<E> {
    /// `auto_retry` for this call.
    pub auto_retry: Option<bool>,
    /// `num_max_retries` for this call.
    pub num_max_retries: Option<u32>,
    /// `min_retry_delay` for this call.
    pub min_retry_delay: Option<Duration>,
    /// `max_retry_delay` for this call.
    pub max_retry_delay: Option<Duration>,
    /// `backoff_strategy` for this call.
    pub backoff_strategy: Option<BackoffStrategy>,
    /// `retry_condition` for this call.
    pub retry_condition: Option<RetryCondition<E>>,
    /// `retry_error_codes` for this call (an empty set overrides too: no codes for this call).
    pub retry_error_codes: Option<RetryErrorCodes>,
}

impl<E> RetryOptions<E> {
    /// No overrides: the call keeps every process-wide setting.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::{RetryOptions, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let global = RetrySettings::<ApiError>::new().num_max_retries(7);
    /// assert_eq!(global.overridden_by(&RetryOptions::new()), global);
    /// ```
    pub const fn new() -> Self {
        RetryOptions {
            auto_retry: None,
            num_max_retries: None,
            min_retry_delay: None,
            max_retry_delay: None,
            backoff_strategy: None,
            retry_condition: None,
            retry_error_codes: None,
        }
    }

    /// Overrides `auto_retry`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::{RetryOptions, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let global = RetrySettings::<ApiError>::new();
    /// let call = global.overridden_by(&RetryOptions::new().auto_retry(false));
    /// assert_eq!(call.stop().max(), 0); // this call makes a single attempt
    /// ```
    pub fn auto_retry(mut self, on: bool) -> Self {
        self.auto_retry = Some(on);
        self
    }

    /// Overrides `num_max_retries`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::{RetryOptions, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let global = RetrySettings::<ApiError>::new();
    /// let call = global.overridden_by(&RetryOptions::new().num_max_retries(1));
    /// assert_eq!(call.num_max_retries, 1);
    /// assert_eq!(call.min_retry_delay, global.min_retry_delay); // kept
    /// ```
    pub fn num_max_retries(mut self, retries: u32) -> Self {
        self.num_max_retries = Some(retries);
        self
    }

    /// Overrides `min_retry_delay`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::{RetryOptions, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let global = RetrySettings::<ApiError>::new();
    /// let call = global.overridden_by(&RetryOptions::new().min_retry_delay(Duration::from_millis(500)));
    /// assert_eq!(call.min_retry_delay, Duration::from_millis(500));
    /// ```
    pub fn min_retry_delay(mut self, delay: Duration) -> Self {
        self.min_retry_delay = Some(delay);
        self
    }

    /// Overrides `max_retry_delay`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::{RetryOptions, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let global = RetrySettings::<ApiError>::new();
    /// let call = global.overridden_by(&RetryOptions::new().max_retry_delay(Duration::from_secs(2)));
    /// assert_eq!(call.max_retry_delay, Duration::from_secs(2));
    /// ```
    pub fn max_retry_delay(mut self, delay: Duration) -> Self {
        self.max_retry_delay = Some(delay);
        self
    }

    /// Overrides `backoff_strategy`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::{BackoffStrategy, RetryOptions, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let global = RetrySettings::<ApiError>::new();
    /// let call = global.overridden_by(&RetryOptions::new().backoff_strategy(BackoffStrategy::NoBackoff));
    /// assert_eq!(call.backoff_strategy, BackoffStrategy::NoBackoff);
    /// ```
    pub fn backoff_strategy(mut self, strategy: BackoffStrategy) -> Self {
        self.backoff_strategy = Some(strategy);
        self
    }

    /// Overrides `retry_condition`.
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
    /// use persevere::settings::{RetryCondition, RetryOptions, RetrySettings};
    ///
    /// // This call retries nothing but throttling.
    /// let options = RetryOptions::new()
    ///     .retry_condition(RetryCondition::custom(|e: &ApiError, _: &_| e.is_throttled()));
    /// let call = RetrySettings::new().overridden_by(&options);
    /// assert!(!call.condition().should_retry(&Err::<(), _>(ApiError("ConnectionReset"))));
    /// ```
    pub fn retry_condition(mut self, condition: RetryCondition<E>) -> Self {
        self.retry_condition = Some(condition);
        self
    }

    /// Overrides `retry_error_codes`, from any list of strings (see [`RetryErrorCodes::new`]).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::{RetryOptions, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let global = RetrySettings::<ApiError>::new().retry_error_codes(["AccessDenied"]);
    /// // An empty list overrides too: no codes for this call.
    /// let call = global.overridden_by(&RetryOptions::new().retry_error_codes(Vec::<String>::new()));
    /// assert!(call.retry_error_codes.is_empty());
    /// ```
    pub fn retry_error_codes<I>(mut self, codes: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.retry_error_codes = Some(RetryErrorCodes::new(codes));
        self
    }

    /// Whether it overrides nothing.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::RetryOptions;
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// assert!(RetryOptions::<ApiError>::new().is_empty());
    /// assert!(!RetryOptions::<ApiError>::new().num_max_retries(0).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self == &RetryOptions::new()
    }
}

impl<E> Default for RetryOptions<E> {
    fn default() -> Self {
        RetryOptions::new()
    }
}

same_fields!(RetryOptions);
