//! The process-wide default settings: the SDK's `Configuration.set_default`.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use crate::Policy;
use crate::settings::{Backoff, RetryOptions, RetrySettings, ServiceError, SettingsCondition};
use crate::stop::Retries;

/// Retry settings for the whole process, that the program sets and replaces while it runs (the
/// SDK's `Configuration.set_default`). It lives in a `static` (its constructor is `const`) and
/// starts with the SDK's defaults.
///
/// Each call reads it once and keeps what it read until it ends: a call sees the settings that
/// were in force when it first needed them, whole, never some of the old and some of the new,
/// and a replacement reaches every call that reads after it. A call that succeeds first time
/// never reads it. Reading takes a shared lock for a moment and allocates nothing; replacing
/// allocates once.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::condition::ErrorCode;
/// use persevere::settings::{GlobalSettings, RetryOptions, RetrySettings, ServiceError};
///
/// #[derive(Debug, PartialEq)]
/// struct ApiError(&'static str);
/// impl ErrorCode for ApiError {
///     fn error_code(&self) -> Option<&str> { Some(self.0) }
/// }
/// impl ServiceError for ApiError {
///     fn is_network_error(&self) -> bool { false }
///     fn is_throttled(&self) -> bool { self.0 == "Throttling" }
/// }
///
/// static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
///
/// // Configuration.set_default(configuration)
/// SDK.set_default(RetrySettings::new().num_max_retries(1).min_retry_delay(Duration::ZERO));
///
/// let mut calls = 0;
/// let outcome = SDK.policy().call(|| { calls += 1; Err::<(), _>(ApiError("Throttling")) });
/// assert_eq!((outcome, calls), (Err(ApiError("Throttling")), 2)); // 1 retry
///
/// // RuntimeOption(num_max_retries = 2) for one call.
/// let options = RetryOptions::new().num_max_retries(2);
/// let mut calls = 0;
/// let _ = SDK.policy_with(&options).call(|| { calls += 1; Err::<(), _>(ApiError("Throttling")) });
/// assert_eq!(calls, 3);
/// ```
pub struct GlobalSettings<E> {
    /// `None` until set: the SDK's defaults, which need no allocation.
    current: RwLock<Option<Arc<RetrySettings<E>>>>,
}

impl<E> GlobalSettings<E> {
    /// The SDK's defaults, until [`set_default`](Self::set_default) replaces them.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::{GlobalSettings, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
    /// assert_eq!(SDK.current(), RetrySettings::new());
    /// ```
    pub const fn new() -> Self {
        GlobalSettings {
            current: RwLock::new(None),
        }
    }

    /// Makes `settings` the default for every call that reads it from now on. Calls under way
    /// keep the settings they read.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::{GlobalSettings, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
    /// SDK.set_default(RetrySettings::new().num_max_retries(5));
    /// assert_eq!(SDK.current().num_max_retries, 5);
    /// ```
    pub fn set_default(&self, settings: RetrySettings<E>) {
        let settings = Arc::new(settings);
        // A lock poisoned by a panic elsewhere still holds whole settings: each write replaces
        // them in one step.
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(settings);
    }

    /// Goes back to the SDK's defaults.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::{GlobalSettings, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
    /// SDK.set_default(RetrySettings::new().auto_retry(false));
    /// SDK.reset();
    /// assert!(SDK.current().auto_retry);
    /// ```
    pub fn reset(&self) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The settings in force now.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::settings::{GlobalSettings, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
    /// SDK.set_default(RetrySettings::new().min_retry_delay(Duration::from_millis(100)));
    /// let now = SDK.current();
    /// assert_eq!(now.min_retry_delay, Duration::from_millis(100));
    /// assert_eq!(now.num_max_retries, 3); // the rest as the SDK has it
    /// ```
    pub fn current(&self) -> RetrySettings<E> {
        match &*self.current.read().unwrap_or_else(PoisonError::into_inner) {
            Some(settings) => RetrySettings::clone(settings),
            None => RetrySettings::new(),
        }
    }

    /// The settings in force now, with each setting `options` gives in its place (the SDK's
    /// `RuntimeOption`).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::{GlobalSettings, RetryOptions, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
    /// SDK.set_default(RetrySettings::new().num_max_retries(5).retry_error_codes(["AccessDenied"]));
    /// let call = SDK.overridden_by(&RetryOptions::new().num_max_retries(0));
    /// assert_eq!(call.num_max_retries, 0);
    /// assert!(call.retry_error_codes.contains("AccessDenied"));
    /// ```
    pub fn overridden_by(&self, options: &RetryOptions<E>) -> RetrySettings<E> {
        match &*self.current.read().unwrap_or_else(PoisonError::into_inner) {
            Some(settings) => settings.overridden_by(options),
            None => RetrySettings::new().overridden_by(options),
        }
    }

    /// A policy of the settings in force now. It keeps them: take one per call, so that each
    /// call sees the latest (or use `#[retry(settings = SDK)]`, which reads them once per call).
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
    /// use persevere::settings::{GlobalSettings, RetrySettings};
    ///
    /// static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
    /// let before = SDK.policy();
    /// SDK.set_default(RetrySettings::new().auto_retry(false));
    /// let after = SDK.policy();
    ///
    /// let mut calls = 0;
    /// let _ = after.call(|| { calls += 1; Err::<(), _>(ApiError("Throttling")) });
    /// assert_eq!(calls, 1); // the new settings: no retry
    ///
    /// let mut calls = 0;
    /// let quick = before.sleeper(|_| {}); // skip the backoff's sleeps
    /// let _ = quick.call(|| { calls += 1; Err::<(), _>(ApiError("Throttling")) });
    /// assert_eq!(calls, 4); // the policy taken earlier kept the defaults: 3 retries
    /// ```
    pub fn policy(&self) -> Policy<Retries, Backoff, SettingsCondition<E>>
    where
        E: ServiceError,
    {
        Policy::new().settings(self)
    }

    /// A policy of the settings in force now, overridden by `options`, for one call.
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
    /// use persevere::settings::{GlobalSettings, RetryOptions};
    ///
    /// static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
    /// let once = RetryOptions::new().auto_retry(false);
    /// let mut calls = 0;
    /// let _ = SDK.policy_with(&once).call(|| { calls += 1; Err::<(), _>(ApiError("Throttling")) });
    /// assert_eq!(calls, 1);
    /// ```
    pub fn policy_with(
        &self,
        options: &RetryOptions<E>,
    ) -> Policy<Retries, Backoff, SettingsCondition<E>>
    where
        E: ServiceError,
    {
        Policy::new().settings(&self.overridden_by(options))
    }
}

impl<E> Default for GlobalSettings<E> {
    fn default() -> Self {
        GlobalSettings::new()
    }
}

impl<E> fmt::Debug for GlobalSettings<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("GlobalSettings")
            .field(&self.current())
            .finish()
    }
}
