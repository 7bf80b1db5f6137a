//! Closures in an attribute value typed by the function's outcome, which only its return type
//! names. The return type cannot be written inside a value (the value's scopes may give its
//! names another meaning), so the expansion makes one zero-sized [`OutcomeType`] outside them,
//! first in the body, and a closure that needs its parameter's type goes through a helper that
//! reads it from there.
//!
//! The expansion's; it has nothing to offer other code.
//!
//! ```text
//! retry_if = never() | |e| e.is_transient()
//!     ==>  let __outcome_type = OutcomeType::<R>::new();   // first in the body
//!          never() | on_error_of(&__outcome_type, |e| e.is_transient())
//! retry_if = on_ok(|job| !job.done)
//!     ==>  on_ok(taking_ok(&__outcome_type, |job| !job.done))
//! ```

use std::marker::PhantomData;

use crate::condition::{OnError, on_error};
use crate::outcome::Outcome;
use crate::proven::{ErrorCall, Proven};

/// The function's outcome type, carried to a closure inside a condition's operators: the
/// closure takes `&E`, which only the return type says, and the return type cannot be written
/// inside the value (its names might mean something else there). The expansion makes one outside
/// the value when a value needs it.
pub struct OutcomeType<R>(PhantomData<fn() -> R>);

impl<R> OutcomeType<R> {
    /// The marker for the outcome `R`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        OutcomeType(PhantomData)
    }
}

/// A closure inside a condition's operators, typed as a predicate on the error of `outcome`:
/// `on_error` of it, which is what a closure taking `&E` means as a whole value, and which has
/// every condition's operators. Its call is proven where it is written (see `proven.rs`), so
/// that a closure of another type is one error, at the closure.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub fn on_error_of<R: Outcome, F: crate::__private::v1::ErrorPredicate<R::Err>>(
    _outcome: &OutcomeType<R>,
    closure: F,
) -> OnError<Proven<F, ErrorCall<F, R::Err>>> {
    on_error(Proven::new(closure, |f, error| f(error)))
}

/// A closure on the error of `outcome`, handed on as it is: written without its parameter's
/// type as `on_error`'s, `from_error`'s or `when`'s argument, it gets the type here.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub fn taking_error<R: Outcome, F: Fn(&R::Err) -> O, O>(
    _outcome: &OutcomeType<R>,
    closure: F,
) -> F {
    closure
}

/// A closure on the `Ok` value of `outcome`, handed on as it is (`on_ok`'s argument).
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub fn taking_ok<R: Outcome, F: Fn(&R::Ok) -> O, O>(_outcome: &OutcomeType<R>, closure: F) -> F {
    closure
}
