//! Retrying by error code: [`error_codes`].

use crate::condition::Condition;

/// An error that carries a code, as cloud SDKs' errors do (`"RequestLimitExceeded"`).
///
/// ```
/// use persevere::condition::ErrorCode;
///
/// struct KmsError { code: String }
///
/// impl ErrorCode for KmsError {
///     fn error_code(&self) -> Option<&str> {
///         Some(&self.code)
///     }
/// }
/// ```
pub trait ErrorCode {
    /// The error's code, if it has one.
    fn error_code(&self) -> Option<&str>;
}

impl<C: ErrorCode + ?Sized> ErrorCode for &C {
    fn error_code(&self) -> Option<&str> {
        (**self).error_code()
    }
}

impl<C: ErrorCode + ?Sized> ErrorCode for Box<C> {
    fn error_code(&self) -> Option<&str> {
        (**self).error_code()
    }
}

/// Retries errors whose code is in a set. See [`error_codes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCodes<S> {
    codes: S,
}

/// Retries the errors whose [`ErrorCode`] is one of `codes`, and no other (an SDK's
/// `retry_error_codes`). The set is any list of strings: an array written in place, or a
/// `Vec<String>` read from configuration (borrow it: `error_codes(&config.codes)`).
///
/// ```
/// use persevere::condition::{error_codes, Condition, ErrorCode};
///
/// struct KmsError(&'static str);
/// impl ErrorCode for KmsError {
///     fn error_code(&self) -> Option<&str> { Some(self.0) }
/// }
///
/// let transient = error_codes(["InternalError", "RequestLimitExceeded"]);
/// assert!(transient.should_retry(&Err::<(), _>(KmsError("RequestLimitExceeded"))));
/// assert!(!transient.should_retry(&Err::<(), _>(KmsError("AccessDenied"))));
///
/// let from_config = vec!["InternalError".to_string()];
/// assert!(error_codes(&from_config).should_retry(&Err::<(), _>(KmsError("InternalError"))));
/// ```
pub const fn error_codes<S>(codes: S) -> ErrorCodes<S> {
    ErrorCodes { codes }
}

/// A set of codes [`error_codes`] looks in: arrays, slices and `Vec`s of strings, and references
/// to them.
pub trait CodeSet {
    /// Whether `code` is in the set.
    fn has(&self, code: &str) -> bool;
}

impl<C: AsRef<str>> CodeSet for [C] {
    fn has(&self, code: &str) -> bool {
        self.iter().any(|listed| listed.as_ref() == code)
    }
}

impl<C: AsRef<str>, const N: usize> CodeSet for [C; N] {
    fn has(&self, code: &str) -> bool {
        self[..].has(code)
    }
}

impl<C: AsRef<str>> CodeSet for Vec<C> {
    fn has(&self, code: &str) -> bool {
        self[..].has(code)
    }
}

impl<S: CodeSet + ?Sized> CodeSet for &S {
    fn has(&self, code: &str) -> bool {
        (**self).has(code)
    }
}

impl<T, E: ErrorCode, S: CodeSet> Condition<T, E> for ErrorCodes<S> {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        let Err(error) = outcome else { return false };
        error.error_code().is_some_and(|code| self.codes.has(code))
    }
    fn retries_ok() -> bool {
        false
    }
}
