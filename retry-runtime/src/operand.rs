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
