use std::error::Error;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::condition::Condition;

/// Retries errors of type `X` found anywhere in the `source()` chain. See [`error_type`].
///
/// `V` says how to reach the chain from the error type ([`Plain`], [`Boxed`] or [`Unsync`]); it is
/// inferred, so write `error_type::<X, _>()`.
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
#[derive(Debug)]
pub enum Plain {}
/// The error dereferences to `dyn Error + Send + Sync`: `Box<dyn Error + Send + Sync>`,
/// `anyhow::Error` and the like.
#[derive(Debug)]
pub enum Boxed {}
/// The error dereferences to `dyn Error`: `Box<dyn Error>`.
#[derive(Debug)]
pub enum Unsync {}

/// Retries an error if it, or any error in its `source()` chain, is an `X` (tenacity's
/// `retry_if_exception_type`, looking through wrappers).
///
/// Works for concrete error types, `Box<dyn Error + Send + Sync>`, `Box<dyn Error>` and
/// `anyhow::Error`; the second type parameter is inferred from which of these the function
/// returns.
///
/// ```
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
pub const fn error_type<X: Error + 'static, V>() -> ErrorType<X, V> {
    ErrorType(PhantomData)
}

fn chain_has<X: Error + 'static>(error: &(dyn Error + 'static)) -> bool {
    let mut cursor = Some(error);
    while let Some(error) = cursor {
        if error.is::<X>() {
            return true;
        }
        cursor = error.source();
    }
    false
}

impl<T, E: Error + 'static, X: Error + 'static> Condition<T, E> for ErrorType<X, Plain> {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.as_ref().is_err_and(|e| chain_has::<X>(e))
    }
    fn retries_ok() -> bool {
        false
    }
}

impl<T, E, X> Condition<T, E> for ErrorType<X, Boxed>
where
    E: Deref<Target = dyn Error + Send + Sync + 'static>,
    X: Error + 'static,
{
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.as_ref().is_err_and(|e| chain_has::<X>(&**e))
    }
    fn retries_ok() -> bool {
        false
    }
}

impl<T, E, X> Condition<T, E> for ErrorType<X, Unsync>
where
    E: Deref<Target = dyn Error + 'static>,
    X: Error + 'static,
{
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.as_ref().is_err_and(|e| chain_has::<X>(&**e))
    }
    fn retries_ok() -> bool {
        false
    }
}
