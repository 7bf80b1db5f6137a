//! Retrying by error code: [`error_codes`].

use std::borrow::Borrow;
use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, Hash};
use std::rc::Rc;
use std::sync::{Arc, LazyLock};

use crate::condition::Condition;

/// An error that carries a code, as cloud SDKs' errors do (`"RequestLimitExceeded"`).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::ErrorCode;
///
/// struct KmsError { code: String }
///
/// impl ErrorCode for KmsError {
///     fn error_code(&self) -> Option<&str> {
///         Some(&self.code)
///     }
/// }
///
/// let throttled = KmsError { code: "ThrottlingException".into() };
/// assert_eq!(throttled.error_code(), Some("ThrottlingException"));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no error code",
    label = "this type carries no error code",
    note = "implement `persevere::condition::ErrorCode` for `{Self}` (its `error_code()`) to use `error_codes(..)`"
)]
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

/// Retries errors whose code is in a set. Built by [`error_codes`], whose page has examples.
///
/// Its constructor is `const`, and an error without a code is never retried:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{error_codes, Condition, ErrorCode, ErrorCodes};
///
/// struct ApiError(Option<&'static str>);
/// impl ErrorCode for ApiError {
///     fn error_code(&self) -> Option<&str> { self.0 }
/// }
///
/// const TRANSIENT: ErrorCodes<[&str; 2]> = error_codes(["InternalError", "Throttling"]);
/// assert!(TRANSIENT.should_retry(&Err::<(), _>(ApiError(Some("Throttling")))));
/// assert!(!TRANSIENT.should_retry(&Err::<(), _>(ApiError(None))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCodes<S> {
    codes: S,
}

/// Retries the errors whose [`ErrorCode`] is one of `codes`, and no other (an SDK's
/// `retry_error_codes`). An error without a code is not retried.
///
/// The set is any collection of strings ([`CodeSet`]), by value or by reference: an array
/// written in place, a slice, a `Vec`, a `HashSet` or a `BTreeSet`, of `&str` or `String`, and
/// a `static` `LazyLock` of one of them. Sets look a code up by `&str`, without allocating.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::collections::{BTreeSet, HashSet};
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
/// // From configuration: a `Vec<String>` or a set of `String`s, borrowed or owned.
/// let from_config = vec!["InternalError".to_string()];
/// assert!(error_codes(&from_config).should_retry(&Err::<(), _>(KmsError("InternalError"))));
/// let set: HashSet<String> = from_config.iter().cloned().collect();
/// assert!(error_codes(&set).should_retry(&Err::<(), _>(KmsError("InternalError"))));
/// let sorted: BTreeSet<&str> = ["InternalError"].into();
/// assert!(!error_codes(sorted).should_retry(&Err::<(), _>(KmsError("AccessDenied"))));
/// ```
///
/// In the attribute, a set that lives in a `static` is borrowed; one that comes in as an
/// argument is borrowed or cloned:
///
/// ```standalone_crate
/// # extern crate persevere_runtime as persevere;
/// use std::collections::HashSet;
/// use std::sync::LazyLock;
/// use persevere::condition::ErrorCode;
/// use persevere::retry;
///
/// static TRANSIENT: LazyLock<HashSet<String>> =
///     LazyLock::new(|| ["InternalError".to_string()].into());
///
/// #[derive(Debug, PartialEq)]
/// struct KmsError(&'static str);
/// impl ErrorCode for KmsError {
///     fn error_code(&self) -> Option<&str> { Some(self.0) }
/// }
///
/// #[retry(stop = attempts(3), wait = 0s, retry_if = error_codes(&TRANSIENT))]
/// fn decrypt(calls: &std::cell::Cell<u32>) -> Result<(), KmsError> {
///     calls.set(calls.get() + 1);
///     Err(KmsError("InternalError"))
/// }
///
/// let calls = std::cell::Cell::new(0);
/// assert_eq!(decrypt(&calls), Err(KmsError("InternalError")));
/// assert_eq!(calls.get(), 3);
/// ```
pub const fn error_codes<S>(codes: S) -> ErrorCodes<S> {
    ErrorCodes { codes }
}

/// A set of codes [`error_codes`] looks in: arrays, slices and `Vec`s of strings (`&str`,
/// `String`, anything `AsRef<str>`), `HashSet`s and `BTreeSet`s of them (anything
/// `Borrow<str>`, looked up by `&str` without allocating), a `LazyLock`, `Box`, `Rc` or `Arc`
/// of any of these, and references to them all.
///
/// Implement it for a set of your own:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::CodeSet;
///
/// /// Every code of the throttling family.
/// struct Throttling;
/// impl CodeSet for Throttling {
///     fn has(&self, code: &str) -> bool {
///         code.starts_with("Throttl")
///     }
/// }
///
/// assert!(Throttling.has("ThrottlingException"));
/// assert!(!Throttling.has("AccessDenied"));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set of error codes",
    label = "expected codes to look in",
    note = "`error_codes(..)` takes an array, a slice, a `Vec`, a `HashSet` or a `BTreeSet` of `&str` or `String` (by value or by reference), or a type implementing `persevere::condition::CodeSet`"
)]
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

impl<C: Borrow<str> + Hash + Eq, S: BuildHasher> CodeSet for HashSet<C, S> {
    fn has(&self, code: &str) -> bool {
        self.contains(code)
    }
}

impl<C: Borrow<str> + Ord> CodeSet for BTreeSet<C> {
    fn has(&self, code: &str) -> bool {
        self.contains(code)
    }
}

impl<S: CodeSet + ?Sized> CodeSet for &S {
    fn has(&self, code: &str) -> bool {
        (**self).has(code)
    }
}

impl<S: CodeSet + ?Sized> CodeSet for Box<S> {
    fn has(&self, code: &str) -> bool {
        (**self).has(code)
    }
}

impl<S: CodeSet + ?Sized> CodeSet for Rc<S> {
    fn has(&self, code: &str) -> bool {
        (**self).has(code)
    }
}

impl<S: CodeSet + ?Sized> CodeSet for Arc<S> {
    fn has(&self, code: &str) -> bool {
        (**self).has(code)
    }
}

/// A set in a `static`: `error_codes(&CODES)`.
impl<S: CodeSet, F: FnOnce() -> S> CodeSet for LazyLock<S, F> {
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
