//! A bare name beside an operator in an attribute value: called there if it is a function of no
//! arguments, as a whole value is (`stop = never`), and kept as it is otherwise.
//!
//! The expansion's; it has nothing to offer other code. Which way a name goes is chosen by
//! method resolution on its type (autoref specialization): `(&operand).__persevere_operand()`
//! finds [`Call`] when the value is a function of no arguments (a `fn` item, a `fn` pointer, a
//! closure), and [`Keep`] for any other value whose type is known there (a strategy, a constant
//! of one, a generic's associated item). A value whose type is only inferred later cannot be
//! told apart and is an error; the operators' own operands have their types by then.
//!
//! ```text
//! stop = attempts(3) | never
//!     ==>  attempts(3) | ({ match Operand(never) { operand => (&operand).__persevere_operand().pick(operand) } })
//!     ==>  attempts(3) | never()
//! ```
//!
//! Among a condition's operands, and under its `!`, a function or closure taking `&E` and
//! returning `bool` is found first by [`Predicate`] and becomes `on_error(f)`, which is what it
//! means as a whole value (`retry_if = is_transient`): `is_transient | is_timeout` and
//! `!is_fatal` are conditions, as README's table promises of "a path taking `&E`".

use std::marker::PhantomData;

use crate::outcome::Outcome;
use crate::proven::{ConditionCall, Proven};

/// The operand, held while its way is chosen.
pub struct Operand<V>(pub V);

/// The operand is called.
pub struct ByCall;
/// The operand is kept as it is.
pub struct AsIs;

/// Found first: the operand is a function of no arguments.
pub trait Call {
    /// [`ByCall`].
    fn __persevere_operand(&self) -> ByCall {
        ByCall
    }
}
impl<F: Fn() -> S, S> Call for Operand<F> {}

/// Found first among a condition's operands: a predicate on the error, which becomes
/// [`on_error`](crate::condition::on_error) of it.
pub trait Predicate<E: ?Sized> {
    /// [`OnErrorOf`].
    fn __persevere_operand(&self) -> OnErrorOf {
        OnErrorOf
    }
}
impl<F: Fn(&E) -> bool, E: ?Sized> Predicate<E> for Operand<F> {}

/// The operand is a predicate on the error: it becomes `on_error(operand)`.
pub struct OnErrorOf;

impl OnErrorOf {
    /// `on_error(operand)`.
    #[inline(always)]
    pub fn pick<F>(self, operand: Operand<F>) -> crate::condition::OnError<F> {
        crate::condition::on_error(operand.0)
    }
}

/// Found first among a wait's operands: a `Duration` (a constant), which becomes
/// [`fixed`](crate::wait::fixed) of it, the wait it is anyway, so that `BASE + random(..)` adds.
pub trait DurationWait {
    /// [`FixedOf`].
    fn __persevere_operand(&self) -> FixedOf {
        FixedOf
    }
}
impl DurationWait for Operand<std::time::Duration> {}

/// The operand is a `Duration`: it becomes `fixed(operand)`.
pub struct FixedOf;

impl FixedOf {
    /// `fixed(operand)`.
    #[inline(always)]
    pub fn pick(self, operand: Operand<std::time::Duration>) -> crate::wait::Fixed {
        crate::wait::fixed(operand.0)
    }
}

/// `!operand`, for a condition's operand under `!` (see the module's page).
#[inline(always)]
pub fn not<C: std::ops::Not>(condition: C) -> C::Output {
    !condition
}

/// The function's outcome type, carried to a closure inside a condition's operators: the
/// closure takes `&E`, which only the return type says, and the return type cannot be written
/// inside the value (its names might mean something else there). The expansion makes one outside
/// the value when a value needs it.
pub struct OutcomeType<R>(PhantomData<fn() -> R>);

impl<R> OutcomeType<R> {
    /// The marker for the outcome `R`.
    #[inline(always)]
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        OutcomeType(PhantomData)
    }
}

/// A closure inside a condition's operators, typed as a predicate on the error of `outcome`:
/// what a closure taking `&E` means as a whole value, kept as the whole value's is (with its
/// call proven where it is written), so that a closure of another type is one error, at the
/// closure.
#[inline(always)]
pub fn on_error_of<R: Outcome, F: crate::__private::v1::ErrorPredicate<R::Err>>(
    _outcome: &OutcomeType<R>,
    closure: F,
) -> Proven<F, ConditionCall<F, R::Ok, R::Err>> {
    crate::__private::v1::error_fn::<R, F>(closure)
}

/// A closure on the error of `outcome`, handed on as it is: written without its parameter's
/// type as `on_error`'s, `from_error`'s or `when`'s argument, it gets the type here.
#[inline(always)]
pub fn taking_error<R: Outcome, F: Fn(&R::Err) -> O, O>(
    _outcome: &OutcomeType<R>,
    closure: F,
) -> F {
    closure
}

/// A closure on the `Ok` value of `outcome`, handed on as it is (`on_ok`'s argument).
#[inline(always)]
pub fn taking_ok<R: Outcome, F: Fn(&R::Ok) -> O, O>(_outcome: &OutcomeType<R>, closure: F) -> F {
    closure
}

/// Found after one more autoref: any other operand.
pub trait Keep {
    /// [`AsIs`].
    fn __persevere_operand(&self) -> AsIs {
        AsIs
    }
}
impl<V> Keep for &Operand<V> {}

impl ByCall {
    /// The function's value.
    #[inline(always)]
    pub fn pick<F: Fn() -> S, S>(self, operand: Operand<F>) -> S {
        (operand.0)()
    }
}

impl AsIs {
    /// The operand itself.
    #[inline(always)]
    pub fn pick<V>(self, operand: Operand<V>) -> V {
        operand.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stop::{Attempts, Never, attempts, never};

    // The expansion's own form, which needs the `match` and the borrow.
    #[allow(clippy::match_single_binding, clippy::needless_borrow)]
    #[test]
    fn a_function_of_no_arguments_is_called_and_a_value_kept() {
        let called = match Operand(never) {
            operand => (&operand).__persevere_operand().pick(operand),
        };
        let _: Never = called;
        const THREE: Attempts = attempts(3);
        let kept = match Operand(THREE) {
            operand => (&operand).__persevere_operand().pick(operand),
        };
        assert_eq!(kept, attempts(3));
    }
}
