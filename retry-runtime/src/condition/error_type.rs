use std::error::Error;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::condition::Condition;

/// Retries errors of type `X` found anywhere in the `source()` chain. Built by [`error_type`],
/// whose page has an example.
///
/// `V` says how to reach the chain from the error type ([`Plain`], [`Boxed`] or [`Unsync`]); it is
/// inferred, so write `error_type::<X, _>()`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::error::Error;
/// use std::num::ParseIntError;
/// use persevere::condition::{error_type, Boxed, Condition, ErrorType};
///
/// // Written out, as a field holding it would be: a `ParseIntError`, in a boxed error.
/// let parse: ErrorType<ParseIntError, Boxed> = error_type();
/// let not_a_number = "x".parse::<u8>().unwrap_err();
/// let failed: Result<(), Box<dyn Error + Send + Sync>> = Err(not_a_number.into());
/// assert!(parse.should_retry(&failed));
/// ```
pub struct ErrorType<X, V = Plain>(PhantomData<fn() -> (X, V)>);

impl<X, V> Clone for ErrorType<X, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<X, V> Copy for ErrorType<X, V> {}
impl<X, V> std::fmt::Debug for ErrorType<X, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ErrorType<{}>", std::any::type_name::<X>())
    }
}

/// The error is a concrete type implementing `Error`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use persevere::condition::{error_type, Condition, ErrorType, Plain};
///
/// let timed_out: ErrorType<io::Error, Plain> = error_type();
/// assert!(timed_out.should_retry(&Err::<(), _>(io::Error::from(io::ErrorKind::TimedOut))));
/// ```
#[derive(Debug)]
pub enum Plain {}
/// The error dereferences to `dyn Error + Send + Sync`: `Box<dyn Error + Send + Sync>`,
/// `anyhow::Error` and the like.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::error::Error;
/// use std::io;
/// use persevere::condition::{error_type, Boxed, Condition, ErrorType};
///
/// let io: ErrorType<io::Error, Boxed> = error_type();
/// let failed: Result<(), Box<dyn Error + Send + Sync>> = Err(io::Error::other("reset").into());
/// assert!(io.should_retry(&failed));
/// ```
#[derive(Debug)]
pub enum Boxed {}
/// The error dereferences to `dyn Error`: `Box<dyn Error>`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::error::Error;
/// use std::io;
/// use persevere::condition::{error_type, Condition, ErrorType, Unsync};
///
/// let io: ErrorType<io::Error, Unsync> = error_type();
/// let failed: Result<(), Box<dyn Error>> = Err("not a number".into());
/// assert!(!io.should_retry(&failed));
/// ```
#[derive(Debug)]
pub enum Unsync {}

/// Retries an error if it, or any error in its `source()` chain, is an `X` (tenacity's
/// `retry_if_exception_type`, looking through wrappers). An `io::Error` that holds an error
/// (`io::Error::other(e)`) leads to `e` itself, though its `source()` is `e`'s own.
///
/// Works for concrete error types, `Box<dyn Error + Send + Sync>`, `Box<dyn Error>` and
/// `anyhow::Error`; the second type parameter is inferred from which of these the function
/// returns. Both `X` and the function's error type must be errors (`std::error::Error`): the
/// first is what is looked for ([`SearchedError`]), the second where ([`ErrorChain`]).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use persevere::condition::{error_type, Condition};
///
/// let io = error_type::<io::Error, _>();
/// let boxed: Result<(), Box<dyn std::error::Error + Send + Sync>> =
///     Err(Box::new(io::Error::other("reset")));
/// assert!(io.should_retry(&boxed));
/// let parse: Result<(), Box<dyn std::error::Error + Send + Sync>> =
///     Err("x".parse::<u8>().unwrap_err().into());
/// assert!(!io.should_retry(&parse));
/// ```
pub const fn error_type<X: SearchedError, V>() -> ErrorType<X, V> {
    ErrorType(PhantomData)
}

/// What [`error_type`] looks for: any `'static` type implementing `std::error::Error`.
///
/// Implemented for every such type; it exists so that a type that is not an error is reported
/// in these words.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::SearchedError;
///
/// fn searchable<X: SearchedError>() {}
/// searchable::<std::io::Error>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an error type, so `error_type` cannot look for it",
    label = "`{Self}` does not implement `std::error::Error`",
    note = "`error_type::<X, _>()` looks for an `X` among an error's causes (its `source()` chain), so `X` must implement `std::error::Error`; to retry by another test, write a condition `|e: &MyError| ...`"
)]
pub trait SearchedError: Error + 'static {}

impl<X: Error + 'static> SearchedError for X {}

/// Where [`error_type`] looks: the `source()` chain of a function's error type, reached as `V`
/// says ([`Plain`] for a type implementing `std::error::Error`, [`Boxed`] for one dereferencing
/// to `dyn Error + Send + Sync`, [`Unsync`] for one dereferencing to `dyn Error`).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{ErrorChain, Plain};
///
/// let error = std::io::Error::other("reset");
/// assert_eq!(ErrorChain::<Plain>::chain(&error).to_string(), "reset");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an error type, so `error_type` cannot look through its causes",
    label = "`{Self}` does not implement `std::error::Error`",
    note = "`error_type::<X, _>()` walks the `source()` chain of the function's error type, which must implement `std::error::Error`, or be a `Box<dyn Error + Send + Sync>`, a `Box<dyn Error>` or an `anyhow::Error`; to retry by another test, write a condition `|e: &{Self}| ...`"
)]
pub trait ErrorChain<V> {
    /// The error, as the first link of its chain.
    fn chain(&self) -> &(dyn Error + 'static);
}

impl<E: Error + 'static> ErrorChain<Plain> for E {
    fn chain(&self) -> &(dyn Error + 'static) {
        self
    }
}

impl<E: Deref<Target = dyn Error + Send + Sync + 'static>> ErrorChain<Boxed> for E {
    fn chain(&self) -> &(dyn Error + 'static) {
        &**self
    }
}

impl<E: Deref<Target = dyn Error + 'static>> ErrorChain<Unsync> for E {
    fn chain(&self) -> &(dyn Error + 'static) {
        &**self
    }
}

fn chain_has<X: Error + 'static>(error: &(dyn Error + 'static)) -> bool {
    super::causes::causes(error).any(|cause| cause.is::<X>())
}

impl<T, E: ErrorChain<V>, X: Error + 'static, V> Condition<T, E> for ErrorType<X, V> {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.as_ref().is_err_and(|e| chain_has::<X>(e.chain()))
    }
    fn retries_ok() -> bool {
        false
    }
}

impl<X, V> ErrorType<X, V> {
    /// Looks for an `X` among the error's causes only, not the error itself (tenacity's
    /// `retry_if_exception_cause_type`).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::io;
    /// use persevere::condition::{error_type, Condition};
    ///
    /// let caused_by_io = error_type::<io::Error, _>().in_causes();
    /// let bare: Result<(), io::Error> = Err(io::Error::other("reset"));
    /// assert!(!caused_by_io.should_retry(&bare)); // an `io::Error` itself, caused by none
    /// let wrapped: Result<(), io::Error> = Err(io::Error::other(io::Error::other("reset")));
    /// assert!(caused_by_io.should_retry(&wrapped));
    /// ```
    pub const fn in_causes(self) -> CauseType<X, V> {
        CauseType(PhantomData)
    }
}

/// Retries errors caused by an `X`: one found in the `source()` chain below the error itself.
/// Built by [`ErrorType::in_causes`], whose page has an example of it as a value.
///
/// In the attribute, an error of the function's own type is retried when an I/O error caused it:
///
/// ```standalone_crate
/// # extern crate persevere_runtime as persevere;
/// use std::cell::Cell;
/// use std::{error::Error, fmt, io};
/// use persevere::retry;
///
/// /// A failed query, and the I/O error behind it when there was one.
/// #[derive(Debug)]
/// struct QueryError(Option<io::Error>);
/// impl fmt::Display for QueryError {
///     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
///         f.write_str("the query failed")
///     }
/// }
/// impl Error for QueryError {
///     fn source(&self) -> Option<&(dyn Error + 'static)> {
///         self.0.as_ref().map(|cause| cause as _)
///     }
/// }
///
/// #[retry(stop = attempts(3), wait = 0s, retry_if = error_type::<io::Error>().in_causes())]
/// fn query(calls: &Cell<u32>, io_failed: bool) -> Result<(), QueryError> {
///     calls.set(calls.get() + 1);
///     Err(QueryError(io_failed.then(|| io::Error::other("connection reset"))))
/// }
///
/// let calls = Cell::new(0);
/// assert!(query(&calls, true).is_err());
/// assert_eq!(calls.get(), 3); // caused by an I/O error: retried
/// calls.set(0);
/// assert!(query(&calls, false).is_err());
/// assert_eq!(calls.get(), 1); // a failure of the query's own: not retried
/// ```
pub struct CauseType<X, V = Plain>(PhantomData<fn() -> (X, V)>);

impl<X, V> Clone for CauseType<X, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<X, V> Copy for CauseType<X, V> {}
impl<X, V> std::fmt::Debug for CauseType<X, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CauseType<{}>", std::any::type_name::<X>())
    }
}

impl<T, E: ErrorChain<V>, X: Error + 'static, V> Condition<T, E> for CauseType<X, V> {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.as_ref().is_err_and(|e| {
            super::causes::causes(e.chain())
                .skip(1)
                .any(|cause| cause.is::<X>())
        })
    }
    fn retries_ok() -> bool {
        false
    }
}
