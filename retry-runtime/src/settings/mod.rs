//! An SDK's retry settings: a process-wide default the program sets and replaces while it runs,
//! and per-call options that override it field by field.
//!
//! Cloud SDKs configure retries this way: a global `Configuration` installed with
//! `set_default`, and a `RuntimeOption` per call. This module has the same settings, with the
//! same names, defaults and formulas:
//!
//! | SDK | here |
//! |---|---|
//! | `Configuration` (its retry settings) | [`RetrySettings`] |
//! | `Configuration.set_default(configuration)` | [`GlobalSettings::set_default`] on a `static` |
//! | `RuntimeOption(...)` | [`RetryOptions`] |
//! | `auto_retry`, `num_max_retries`, `min_retry_delay_ms`, `max_retry_delay_ms` | the fields of those names (delays as `Duration`s) |
//! | `NoBackoffStrategy`, `ExponentialBackoffStrategy`, `ExponentialWithRandomJitterBackoffStrategy` | [`BackoffStrategy`] |
//! | a `BackoffStrategy` subclass (`compute_delay(retry_count)`) | [`BackoffStrategy::custom`] |
//! | `DefaultRetryCondition` | [`RetryCondition::Default`], [`DefaultRetryCondition`] |
//! | a `RetryCondition` subclass (`should_retry`) | [`RetryCondition::custom`] |
//! | `retry_error_codes = {"AccessDenied"}` | [`RetryErrorCodes`] |
//! | network errors, throttling, error codes | [`ServiceError`] and [`ErrorCode`](crate::condition::ErrorCode), implemented by your error type |
//!
//! Settings become a policy's stop, wait and condition ([`Policy::settings`](crate::Policy::settings)),
//! so they run under `Policy::call`, `call_async` and the attribute alike, and any other part of
//! a policy (hooks, a budget, a name) goes with them:
//!
//! ```standalone_crate
//! # extern crate persevere_runtime as persevere;
//! use std::time::Duration;
//! use persevere::condition::ErrorCode;
//! use persevere::retry;
//! use persevere::settings::{GlobalSettings, RetryOptions, RetrySettings, ServiceError};
//!
//! #[derive(Debug, PartialEq)]
//! struct ApiError(&'static str);
//! impl ErrorCode for ApiError {
//!     fn error_code(&self) -> Option<&str> { Some(self.0) }
//! }
//! impl ServiceError for ApiError {
//!     fn is_network_error(&self) -> bool { self.0 == "ConnectionReset" }
//!     fn is_throttled(&self) -> bool { self.0 == "Throttling" }
//! }
//!
//! static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
//!
//! #[retry(settings = SDK.overridden_by(options), sleep = |_| {})]
//! fn create_command(calls: &std::cell::Cell<u32>, options: &RetryOptions<ApiError>) -> Result<(), ApiError> {
//!     calls.set(calls.get() + 1);
//!     Err(ApiError("Throttling"))
//! }
//!
//! SDK.set_default(RetrySettings::new().num_max_retries(4));
//! let calls = std::cell::Cell::new(0);
//! let _ = create_command(&calls, &RetryOptions::new());
//! assert_eq!(calls.get(), 5); // the global 4 retries
//!
//! let calls = std::cell::Cell::new(0);
//! let _ = create_command(&calls, &RetryOptions::new().num_max_retries(1));
//! assert_eq!(calls.get(), 2); // this call's 1 retry
//! ```
//!
//! **Counting.** `num_max_retries` counts retries, so `n` allows `n + 1` attempts
//! ([`retries(n)`](crate::stop::retries)), and `auto_retry = false` a single one. The backoff's
//! `n` is the retry count: 0 before the first retry, so the first delay is `min_retry_delay`.
//!
//! **Once per call.** A call reads its settings when it first needs them (its first failure) and
//! keeps them to its end, so a replacement of the default never splits a call between two
//! settings (see [`GlobalSettings`]).
//!
//! **From configuration** (feature `serde`): `persevere::config::SettingsConfig` reads the same
//! settings, with the SDK's names (`min_retry_delay_ms = 200`,
//! `backoff_strategy = "ExponentialBackoffStrategy"`), as the global default or as one call's
//! options.

/// `Clone`, `PartialEq` and `Debug` for the settings and the options, which share their fields:
/// written out rather than derived, so that they ask nothing of the error type `E`.
macro_rules! same_fields {
    ($name:ident) => {
        impl<E> Clone for $name<E> {
            fn clone(&self) -> Self {
                $name {
                    auto_retry: self.auto_retry,
                    num_max_retries: self.num_max_retries,
                    min_retry_delay: self.min_retry_delay,
                    max_retry_delay: self.max_retry_delay,
                    backoff_strategy: self.backoff_strategy.clone(),
                    retry_condition: self.retry_condition.clone(),
                    retry_error_codes: self.retry_error_codes.clone(),
                }
            }
        }

        impl<E> PartialEq for $name<E> {
            fn eq(&self, other: &Self) -> bool {
                self.auto_retry == other.auto_retry
                    && self.num_max_retries == other.num_max_retries
                    && self.min_retry_delay == other.min_retry_delay
                    && self.max_retry_delay == other.max_retry_delay
                    && self.backoff_strategy == other.backoff_strategy
                    && self.retry_condition == other.retry_condition
                    && self.retry_error_codes == other.retry_error_codes
            }
        }

        impl<E> std::fmt::Debug for $name<E> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("auto_retry", &self.auto_retry)
                    .field("num_max_retries", &self.num_max_retries)
                    .field("min_retry_delay", &self.min_retry_delay)
                    .field("max_retry_delay", &self.max_retry_delay)
                    .field("backoff_strategy", &self.backoff_strategy)
                    .field("retry_condition", &self.retry_condition)
                    .field("retry_error_codes", &self.retry_error_codes)
                    .finish()
            }
        }
    };
}

mod backoff;
mod codes;
mod condition;
mod global;
mod options;
mod retry_settings;
mod source;

pub use backoff::{Backoff, BackoffInput, BackoffStrategy, CustomBackoff};
pub use codes::RetryErrorCodes;
pub use condition::{
    CustomCondition, DefaultRetryCondition, RetryCondition, ServiceError, SettingsCondition,
};
pub use global::GlobalSettings;
pub use options::RetryOptions;
pub use retry_settings::RetrySettings;
pub use source::SettingsSource;
