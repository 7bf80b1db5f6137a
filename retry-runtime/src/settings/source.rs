//! Where a call's settings come from, and how a policy takes them.

use std::sync::LazyLock;

use crate::Policy;
use crate::settings::{Backoff, GlobalSettings, RetrySettings, ServiceError, SettingsCondition};
use crate::stop::Retries;

/// Where a call's retry settings come from: a [`GlobalSettings`] (the settings in force when the
/// call reads them), or [`RetrySettings`] of its own (`SDK.overridden_by(&options)`, or settings
/// kept in a `LazyLock`). [`Policy::settings`] and `#[retry(settings = ...)]` take any of them,
/// by reference.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::sync::LazyLock;
/// use persevere::settings::{GlobalSettings, RetrySettings, SettingsSource};
///
/// # #[derive(Debug)] struct ApiError;
/// static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
/// static BATCH: LazyLock<RetrySettings<ApiError>> =
///     LazyLock::new(|| RetrySettings::new().num_max_retries(10));
///
/// SDK.set_default(RetrySettings::new().num_max_retries(1));
/// assert_eq!(SDK.read().num_max_retries, 1);
/// assert_eq!(BATCH.read().num_max_retries, 10);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not retry settings",
    label = "expected settings to read",
    note = "settings are a `persevere::settings::GlobalSettings` (`SDK`), or `RetrySettings` (`SDK.overridden_by(options)`)"
)]
pub trait SettingsSource {
    /// The error type the settings' condition reads.
    type Error;
    /// The settings, as a call reads them.
    fn read(&self) -> RetrySettings<Self::Error>;
}

impl<E> SettingsSource for GlobalSettings<E> {
    type Error = E;
    fn read(&self) -> RetrySettings<E> {
        self.current()
    }
}

impl<E> SettingsSource for RetrySettings<E> {
    type Error = E;
    fn read(&self) -> RetrySettings<E> {
        self.clone()
    }
}

impl<S: SettingsSource + ?Sized> SettingsSource for &S {
    type Error = S::Error;
    fn read(&self) -> RetrySettings<S::Error> {
        (**self).read()
    }
}

impl<S: SettingsSource, F: FnOnce() -> S> SettingsSource for LazyLock<S, F> {
    type Error = S::Error;
    fn read(&self) -> RetrySettings<S::Error> {
        (**self).read()
    }
}

impl<S, W, C, O, B, A, Z, G, L, U, X, N> Policy<S, W, C, O, B, A, Z, G, L, U, X, N> {
    /// Sets the stop, the wait and the condition from retry settings:
    /// [`retries(num_max_retries)`](crate::stop::retries) (none when `auto_retry` is off), the
    /// backoff strategy, and the retry condition with its error codes. The policy keeps them; a
    /// setter that follows replaces its part, as always.
    ///
    /// `settings` is any [`SettingsSource`], read now: `&SETTINGS`, or `&SDK` for the settings a
    /// [`GlobalSettings`] holds at this moment. To follow a default that the program may
    /// replace, build a policy per call (it costs a moment's shared lock and no allocation):
    /// `Policy::new().settings(&SDK)`, or [`SDK.policy()`](GlobalSettings::policy).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::Policy;
    /// use persevere::condition::ErrorCode;
    /// use persevere::settings::{BackoffStrategy, RetrySettings, ServiceError};
    /// use persevere::sleep::RecordingSleeper;
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct ApiError(&'static str);
    /// impl ErrorCode for ApiError {
    ///     fn error_code(&self) -> Option<&str> { Some(self.0) }
    /// }
    /// impl ServiceError for ApiError {
    ///     fn is_network_error(&self) -> bool { false }
    ///     fn is_throttled(&self) -> bool { false }
    /// }
    ///
    /// let settings = RetrySettings::new()
    ///     .backoff_strategy(BackoffStrategy::Exponential)
    ///     .retry_error_codes(["AccessDenied"]);
    /// let sleeper = RecordingSleeper::new();
    /// let outcome = Policy::new()
    ///     .settings(&settings)
    ///     .sleeper(sleeper.clone())
    ///     .call(|| Err::<(), _>(ApiError("AccessDenied")));
    /// assert_eq!(outcome, Err(ApiError("AccessDenied")));
    /// // 3 retries: 30 ms, 60 ms, 120 ms.
    /// assert_eq!(sleeper.sleeps(), [30, 60, 120].map(Duration::from_millis));
    /// ```
    // A policy's type names each of its parts; that is the point of it.
    #[allow(clippy::type_complexity)]
    pub fn settings<R: SettingsSource + ?Sized>(
        self,
        settings: &R,
    ) -> Policy<Retries, Backoff, SettingsCondition<R::Error>, O, B, A, Z, G, L, U, X, N>
    where
        R::Error: ServiceError,
    {
        let (stop, wait, retry_if) = settings.read().into_parts();
        Policy {
            function: self.function,
            stop,
            wait,
            retry_if,
            retry_if_ok: self.retry_if_ok,
            before: self.before,
            after: self.after,
            before_sleep: self.before_sleep,
            on_give_up: self.on_give_up,
            sleeper: self.sleeper,
            budget: self.budget,
            limits: self.limits,
            on_finish: self.on_finish,
            traced: self.traced,
            hedge: self.hedge,
            nested: self.nested,
        }
    }
}
