//! Where a call's settings come from, and how a policy takes them.

use std::sync::LazyLock;

use crate::Policy;
use crate::settings::{Backoff, GlobalSettings, RetrySettings, ServiceError, SettingsCondition};
use crate::stop::Retries;

/// Where a call's retry settings come from: a [`GlobalSettings`] (the settings in force when the
/// call reads them), or [`RetrySettings`] of its own (`SDK.overridden_by(&options)`, or settings
/// kept in a `LazyLock`). `#[retry(settings = ...)]` takes any of them, by reference.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not retry settings for errors of type `{E}`",
    label = "expected settings to read",
    note = "`settings = ...` takes a `persevere::settings::GlobalSettings` (`settings = SDK`), or `RetrySettings` (`settings = SDK.overridden_by(options)`)"
)]
pub trait SettingsSource<E> {
    /// The settings, as a call reads them.
    fn read(&self) -> RetrySettings<E>;
}

impl<E> SettingsSource<E> for GlobalSettings<E> {
    fn read(&self) -> RetrySettings<E> {
        self.current()
    }
}

impl<E> SettingsSource<E> for RetrySettings<E> {
    fn read(&self) -> RetrySettings<E> {
        self.clone()
    }
}

impl<E, S: SettingsSource<E> + ?Sized> SettingsSource<E> for &S {
    fn read(&self) -> RetrySettings<E> {
        (**self).read()
    }
}

impl<E, S: SettingsSource<E>, F: FnOnce() -> S> SettingsSource<E> for LazyLock<S, F> {
    fn read(&self) -> RetrySettings<E> {
        (**self).read()
    }
}

/// Retry settings as [`Policy::settings`] takes them: [`RetrySettings`], for errors of type
/// `Error`. (A trait, so that settings the attribute could not read leave the policy's type
/// unknown, and the one mistake is reported once, where it was written.)
pub trait AsRetrySettings: sealed::Sealed {
    /// The error type the settings' condition reads.
    type Error;
    /// The settings.
    fn as_retry_settings(&self) -> &RetrySettings<Self::Error>;
}

impl<E> AsRetrySettings for RetrySettings<E> {
    type Error = E;
    fn as_retry_settings(&self) -> &RetrySettings<E> {
        self
    }
}

mod sealed {
    pub trait Sealed {}
    impl<E> Sealed for crate::settings::RetrySettings<E> {}
}

impl<S, W, C, O, B, A, Z, G, L, U, X, N> Policy<S, W, C, O, B, A, Z, G, L, U, X, N> {
    /// Sets the stop, the wait and the condition from retry settings:
    /// [`retries(num_max_retries)`](crate::stop::retries) (none when `auto_retry` is off), the
    /// backoff strategy, and the retry condition with its error codes. The policy keeps them; a
    /// setter that follows replaces its part, as always.
    ///
    /// To follow a [`GlobalSettings`] that the program may replace, build a policy per call
    /// (it costs a moment's shared lock and no allocation):
    /// `Policy::new().settings(&SDK.current())`, or [`SDK.policy()`](GlobalSettings::policy).
    ///
    /// ```
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
    pub fn settings<R: AsRetrySettings + ?Sized>(
        self,
        settings: &R,
    ) -> Policy<Retries, Backoff, SettingsCondition<R::Error>, O, B, A, Z, G, L, U, X, N>
    where
        R::Error: ServiceError,
    {
        let settings = settings.as_retry_settings();
        Policy {
            function: self.function,
            stop: settings.stop(),
            wait: settings.wait(),
            retry_if: settings.condition(),
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
        }
    }
}
