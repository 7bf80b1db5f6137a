//! `retry_condition`: which errors to retry, by default network errors, throttling and the
//! configured codes.

use std::fmt;
use std::sync::Arc;

use crate::condition::{Condition, ErrorCode};
use crate::settings::RetryErrorCodes;

/// What the default retry condition reads from an error: whether the network failed, whether
/// the server throttled the request, and (through [`ErrorCode`]) its code.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{is_network_error, ErrorCode};
/// use persevere::settings::ServiceError;
///
/// #[derive(Debug)]
/// enum ApiError {
///     Network(std::io::Error),
///     Server { status: u16, code: String },
/// }
///
/// impl ErrorCode for ApiError {
///     fn error_code(&self) -> Option<&str> {
///         match self {
///             ApiError::Server { code, .. } => Some(code),
///             ApiError::Network(_) => None,
///         }
///     }
/// }
///
/// impl ServiceError for ApiError {
///     fn is_network_error(&self) -> bool {
///         // Refused, reset, timed out, a failed name lookup…
///         matches!(self, ApiError::Network(error) if is_network_error(error))
///     }
///     fn is_throttled(&self) -> bool {
///         matches!(self, ApiError::Server { status: 429, .. })
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not say whether it is a network error or throttling",
    label = "the SDK's default retry condition reads this error",
    note = "implement `persevere::settings::ServiceError` for `{Self}` (`is_network_error` and `is_throttled`), and `persevere::condition::ErrorCode` for its code"
)]
pub trait ServiceError: ErrorCode {
    /// Whether the request failed in the network: a refused, reset or timed-out connection, a
    /// failed name lookup. [`condition::is_network_error`](crate::condition::is_network_error)
    /// answers for any `std::error::Error`.
    ///
    /// The default retry condition retries a network error, whatever its code:
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::io;
    /// use persevere::condition::{is_network_error, ErrorCode};
    /// use persevere::settings::{RetryCondition, RetryErrorCodes, ServiceError};
    ///
    /// /// A request that failed on its way, before any code came back.
    /// #[derive(Debug)]
    /// struct SendError(io::Error);
    /// impl ErrorCode for SendError {
    ///     fn error_code(&self) -> Option<&str> { None }
    /// }
    /// impl ServiceError for SendError {
    ///     fn is_network_error(&self) -> bool { is_network_error(&self.0) }
    ///     fn is_throttled(&self) -> bool { false }
    /// }
    ///
    /// let default = RetryCondition::<SendError>::Default;
    /// let reset = SendError(io::ErrorKind::ConnectionReset.into());
    /// assert!(reset.is_network_error());
    /// assert!(default.should_retry(&reset, &RetryErrorCodes::none()));
    /// let denied = SendError(io::ErrorKind::PermissionDenied.into());
    /// assert!(!default.should_retry(&denied, &RetryErrorCodes::none()));
    /// ```
    fn is_network_error(&self) -> bool;

    /// Whether the server refused the request to limit its rate (HTTP 429, or a throttling
    /// code of the service's own).
    ///
    /// The default retry condition retries a throttled error, whatever its code:
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::condition::ErrorCode;
    /// use persevere::settings::{RetryCondition, RetryErrorCodes, ServiceError};
    ///
    /// #[derive(Debug)]
    /// struct ApiError { status: u16, code: &'static str }
    /// impl ErrorCode for ApiError {
    ///     fn error_code(&self) -> Option<&str> { Some(self.code) }
    /// }
    /// impl ServiceError for ApiError {
    ///     fn is_network_error(&self) -> bool { false }
    ///     fn is_throttled(&self) -> bool { self.status == 429 || self.code == "SlowDown" }
    /// }
    ///
    /// let default = RetryCondition::<ApiError>::Default;
    /// let none = RetryErrorCodes::none();
    /// assert!(default.should_retry(&ApiError { status: 429, code: "TooManyRequests" }, &none));
    /// assert!(default.should_retry(&ApiError { status: 503, code: "SlowDown" }, &none));
    /// assert!(!default.should_retry(&ApiError { status: 400, code: "InvalidParameter" }, &none));
    /// ```
    fn is_throttled(&self) -> bool;
}

/// Which errors to retry (the SDK's `retry_condition`): the default, or a function of yours.
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
/// use persevere::settings::{RetryCondition, RetryErrorCodes};
///
/// let codes = RetryErrorCodes::new(["AccessDenied"]);
/// let default = RetryCondition::<ApiError>::Default;
/// assert!(default.should_retry(&ApiError("Throttling"), &codes));
/// assert!(default.should_retry(&ApiError("AccessDenied"), &codes));
/// assert!(!default.should_retry(&ApiError("InvalidParameter"), &codes));
/// ```
#[derive(Default)]
#[non_exhaustive]
pub enum RetryCondition<E> {
    /// The SDK's `DefaultRetryCondition`: network errors, throttling, and the errors whose
    /// code is in `retry_error_codes` (see [`DefaultRetryCondition`]).
    #[default]
    Default,
    /// A function of yours (see [`custom`](Self::custom)).
    Custom(CustomCondition<E>),
}

/// A custom retry condition's function. Made by [`RetryCondition::custom`], whose page has an
/// example.
///
/// It is shared, not copied: a clone of the condition holds the same function and compares
/// equal, while the same closure written twice does not.
///
/// ```
/// # use persevere_runtime as persevere;
/// # use persevere::condition::ErrorCode;
/// # use persevere::settings::ServiceError;
/// # struct ApiError(&'static str);
/// # impl ErrorCode for ApiError {
/// #     fn error_code(&self) -> Option<&str> { Some(self.0) }
/// # }
/// # impl ServiceError for ApiError {
/// #     fn is_network_error(&self) -> bool { false }
/// #     fn is_throttled(&self) -> bool { false }
/// # }
/// use persevere::settings::RetryCondition;
///
/// let busy = RetryCondition::custom(|e: &ApiError, _: &_| e.0 == "ResourceIsBusy");
/// assert!(matches!(busy, RetryCondition::Custom(_)));
/// assert_eq!(busy.clone(), busy);
/// assert_ne!(busy, RetryCondition::custom(|e: &ApiError, _: &_| e.0 == "ResourceIsBusy"));
/// ```
pub struct CustomCondition<E>(Arc<RetriesFn<E>>);

/// What a custom retry condition is: the error and the default condition in, whether to retry
/// out.
type RetriesFn<E> = dyn Fn(&E, &DefaultRetryCondition<'_>) -> bool + Send + Sync;

impl<E> RetryCondition<E> {
    /// A condition of your own (the SDK's `RetryCondition` subclass with its `should_retry`):
    /// `retries` gets the error and the default condition, which it may reuse (the subclass of
    /// `DefaultRetryCondition` calling `super().should_retry`) and which holds the configured
    /// `retry_error_codes`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::condition::ErrorCode;
    /// use persevere::settings::{DefaultRetryCondition, RetryCondition, ServiceError};
    ///
    /// #[derive(Debug)]
    /// struct ApiError(&'static str);
    /// impl ErrorCode for ApiError {
    ///     fn error_code(&self) -> Option<&str> { Some(self.0) }
    /// }
    /// impl ServiceError for ApiError {
    ///     fn is_network_error(&self) -> bool { false }
    ///     fn is_throttled(&self) -> bool { self.0 == "Throttling" }
    /// }
    ///
    /// // The default, and a busy resource too.
    /// let condition = RetryCondition::custom(|error: &ApiError, default: &DefaultRetryCondition<'_>| {
    ///     default.should_retry(error) || error.0 == "ResourceIsBusy"
    /// });
    /// let codes = persevere::settings::RetryErrorCodes::none();
    /// assert!(condition.should_retry(&ApiError("ResourceIsBusy"), &codes));
    /// assert!(condition.should_retry(&ApiError("Throttling"), &codes));
    /// assert!(!condition.should_retry(&ApiError("AccessDenied"), &codes));
    /// ```
    pub fn custom<F>(retries: F) -> Self
    where
        F: Fn(&E, &DefaultRetryCondition<'_>) -> bool + Send + Sync + 'static,
    {
        RetryCondition::Custom(CustomCondition(Arc::new(retries)))
    }

    /// Whether to retry `error`, with `codes` as `retry_error_codes`.
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
    /// use persevere::settings::{RetryCondition, RetryErrorCodes};
    ///
    /// // Everything but a denial.
    /// let condition = RetryCondition::custom(|e: &ApiError, _: &_| e.0 != "AccessDenied");
    /// assert!(condition.should_retry(&ApiError("InvalidParameter"), &RetryErrorCodes::none()));
    /// assert!(!condition.should_retry(&ApiError("AccessDenied"), &RetryErrorCodes::none()));
    /// ```
    pub fn should_retry(&self, error: &E, codes: &RetryErrorCodes) -> bool
    where
        E: ServiceError,
    {
        let default = DefaultRetryCondition { codes };
        match self {
            RetryCondition::Default => default.should_retry(error),
            RetryCondition::Custom(CustomCondition(retries)) => retries(error, &default),
        }
    }
}

impl<E> Clone for RetryCondition<E> {
    fn clone(&self) -> Self {
        match self {
            RetryCondition::Default => RetryCondition::Default,
            RetryCondition::Custom(CustomCondition(retries)) => {
                RetryCondition::Custom(CustomCondition(Arc::clone(retries)))
            }
        }
    }
}

/// Two custom conditions are equal only if they are the same function (one was cloned from the
/// other).
impl<E> PartialEq for RetryCondition<E> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (RetryCondition::Default, RetryCondition::Default) => true,
            (RetryCondition::Custom(a), RetryCondition::Custom(b)) => Arc::ptr_eq(&a.0, &b.0),
            _ => false,
        }
    }
}

impl<E> fmt::Debug for RetryCondition<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryCondition::Default => f.write_str("DefaultRetryCondition"),
            RetryCondition::Custom(_) => f.write_str("CustomRetryCondition"),
        }
    }
}

impl<E> fmt::Debug for CustomCondition<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CustomCondition")
    }
}

/// The SDK's default retry condition, as a custom condition sees it: network errors, throttling,
/// and the errors whose code is one of the configured `retry_error_codes`.
///
/// Built by [`new`](Self::new), or handed to a [custom condition](RetryCondition::custom); see
/// [`should_retry`](Self::should_retry) for an example.
///
/// ```
/// # use persevere_runtime as persevere;
/// # use persevere::condition::ErrorCode;
/// # use persevere::settings::ServiceError;
/// # struct ApiError(&'static str);
/// # impl ErrorCode for ApiError {
/// #     fn error_code(&self) -> Option<&str> { Some(self.0) }
/// # }
/// # impl ServiceError for ApiError {
/// #     fn is_network_error(&self) -> bool { self.0 == "ConnectionReset" }
/// #     fn is_throttled(&self) -> bool { self.0 == "Throttling" }
/// # }
/// use persevere::settings::{DefaultRetryCondition, RetryErrorCodes};
///
/// // Without configured codes: network errors and throttling only.
/// let codes = RetryErrorCodes::none();
/// let default = DefaultRetryCondition::new(&codes);
/// assert!(default.should_retry(&ApiError("Throttling")));
/// assert!(!default.should_retry(&ApiError("AccessDenied")));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DefaultRetryCondition<'a> {
    codes: &'a RetryErrorCodes,
}

impl<'a> DefaultRetryCondition<'a> {
    /// The default condition with `codes` as `retry_error_codes`.
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
    /// use persevere::settings::{DefaultRetryCondition, RetryErrorCodes};
    ///
    /// let codes = RetryErrorCodes::new(["QuotaExceeded"]);
    /// assert!(DefaultRetryCondition::new(&codes).should_retry(&ApiError("QuotaExceeded")));
    /// ```
    pub const fn new(codes: &'a RetryErrorCodes) -> Self {
        DefaultRetryCondition { codes }
    }

    /// Whether the default condition retries `error`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::condition::ErrorCode;
    /// use persevere::settings::{DefaultRetryCondition, RetryErrorCodes, ServiceError};
    ///
    /// struct ApiError(&'static str);
    /// impl ErrorCode for ApiError {
    ///     fn error_code(&self) -> Option<&str> { Some(self.0) }
    /// }
    /// impl ServiceError for ApiError {
    ///     fn is_network_error(&self) -> bool { self.0 == "ConnectionReset" }
    ///     fn is_throttled(&self) -> bool { self.0 == "Throttling" }
    /// }
    ///
    /// let codes = RetryErrorCodes::new(["AccessDenied"]);
    /// let default = DefaultRetryCondition::new(&codes);
    /// assert!(default.should_retry(&ApiError("ConnectionReset")));
    /// assert!(default.should_retry(&ApiError("Throttling")));
    /// assert!(default.should_retry(&ApiError("AccessDenied")));
    /// assert!(!default.should_retry(&ApiError("InvalidParameter")));
    /// ```
    pub fn should_retry<E: ServiceError + ?Sized>(&self, error: &E) -> bool {
        error.is_network_error()
            || error.is_throttled()
            || error
                .error_code()
                .is_some_and(|code| self.codes.contains(code))
    }

    /// The configured `retry_error_codes`.
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
    /// use persevere::settings::{DefaultRetryCondition, RetryCondition, RetryErrorCodes};
    ///
    /// // A custom condition that retries the configured codes only.
    /// let codes_only = RetryCondition::custom(|e: &ApiError, default: &DefaultRetryCondition<'_>| {
    ///     e.error_code().is_some_and(|code| default.retry_error_codes().contains(code))
    /// });
    /// let codes = RetryErrorCodes::new(["AccessDenied"]);
    /// assert!(codes_only.should_retry(&ApiError("AccessDenied"), &codes));
    /// assert!(!codes_only.should_retry(&ApiError("Throttling"), &codes));
    /// ```
    pub const fn retry_error_codes(&self) -> &'a RetryErrorCodes {
        self.codes
    }
}

/// A call's condition under retry settings: the retry condition, with the error codes it reads.
/// Made by [`RetrySettings::condition`](crate::settings::RetrySettings::condition). It retries
/// errors only.
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
/// use persevere::settings::{RetrySettings, SettingsCondition};
///
/// let condition: SettingsCondition<ApiError> = RetrySettings::new().condition();
/// assert!(condition.should_retry(&Err::<(), _>(ApiError("ConnectionReset"))));
/// assert!(!condition.should_retry(&Ok::<(), _>(()))); // never an `Ok`
/// ```
pub struct SettingsCondition<E> {
    condition: RetryCondition<E>,
    codes: RetryErrorCodes,
    /// The default condition, for this error type: checked to be a [`ServiceError`] where the
    /// condition is made, so a mistake is reported there, once.
    default: fn(&E, &RetryErrorCodes) -> bool,
}

impl<E: ServiceError> SettingsCondition<E> {
    /// `condition`, reading `codes`.
    pub(crate) fn new(condition: RetryCondition<E>, codes: RetryErrorCodes) -> Self {
        SettingsCondition {
            condition,
            codes,
            default: |error, codes| DefaultRetryCondition::new(codes).should_retry(error),
        }
    }
}

impl<E> SettingsCondition<E> {
    fn retries(&self, error: &E) -> bool {
        match &self.condition {
            RetryCondition::Default => (self.default)(error, &self.codes),
            RetryCondition::Custom(CustomCondition(retries)) => {
                retries(error, &DefaultRetryCondition::new(&self.codes))
            }
        }
    }
}

impl<E> Clone for SettingsCondition<E> {
    fn clone(&self) -> Self {
        SettingsCondition {
            condition: self.condition.clone(),
            codes: self.codes.clone(),
            default: self.default,
        }
    }
}

impl<E> fmt::Debug for SettingsCondition<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SettingsCondition")
            .field("condition", &self.condition)
            .field("codes", &self.codes)
            .finish()
    }
}

impl<T, E> Condition<T, E> for SettingsCondition<E> {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.as_ref().is_err_and(|error| self.retries(error))
    }
    fn retries_ok() -> bool {
        false
    }
}

impl<T, E> Condition<T, E> for &SettingsCondition<E> {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.as_ref().is_err_and(|error| self.retries(error))
    }
    fn retries_ok() -> bool {
        false
    }
}
