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
//! Among a condition's operands, and under its `!`, a function taking `&E` and returning `bool`
//! is found first by [`Predicate`] and becomes `on_error(f)`, which is what it means as a whole
//! value (`retry_if = is_transient`): `is_transient | is_timeout` and `!is_fatal` are
//! conditions, as README's table promises of "a path taking `&E`". Among a wait's operands, a
//! `Duration` is found first by [`DurationWait`] and becomes `fixed(d)`, so that a sum may start
//! with one (`BASE + random(..)`). A function of the retry state, a stop's (`-> bool`, found by
//! [`StateStop`]) or a wait's (`-> Duration`, by [`StateWait`]), becomes the family's `from_fn`
//! of it, which has the family's operators: Rust gives a function none, so without it
//! `is_quota | attempts(5)` would not combine where `attempts(5) | is_quota` does.

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
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
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
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn pick(self, operand: Operand<std::time::Duration>) -> crate::wait::Fixed {
        crate::wait::fixed(operand.0)
    }
}

/// Found first among a stop's operands: a function of the retry state returning `bool`, which
/// becomes [`stop::from_fn`](crate::stop::from_fn) of it, the stop it is anyway, so that it has
/// `|` and `&` on the left too (`is_quota | attempts(5)`).
pub trait StateStop<T, E> {
    /// [`StopOf`].
    fn __persevere_operand(&self) -> StopOf {
        StopOf
    }
}
impl<F: Fn(&crate::RetryState<'_, T, E>) -> bool, T, E> StateStop<T, E> for Operand<F> {}

/// The operand is a stop's function of the retry state: it becomes `stop::from_fn(operand)`.
pub struct StopOf;

impl StopOf {
    /// `stop::from_fn(operand)`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn pick<F, T, E>(self, operand: Operand<F>) -> crate::stop::FromFn<F>
    where
        F: Fn(&crate::RetryState<'_, T, E>) -> bool,
    {
        crate::stop::from_fn(operand.0)
    }
}

/// Found first among a wait's operands, beside [`DurationWait`]: a function of the retry state
/// returning a `Duration`, which becomes [`wait::from_fn`](crate::wait::from_fn) of it, the wait
/// it is anyway, so that it has `+` on the left too (`backoff + random(..)`).
pub trait StateWait<T, E> {
    /// [`WaitOf`].
    fn __persevere_operand(&self) -> WaitOf {
        WaitOf
    }
}
impl<F, T, E> StateWait<T, E> for Operand<F> where
    F: Fn(&crate::RetryState<'_, T, E>) -> std::time::Duration
{
}

/// The operand is a wait's function of the retry state: it becomes `wait::from_fn(operand)`.
pub struct WaitOf;

impl WaitOf {
    /// `wait::from_fn(operand)`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn pick<F, T, E>(self, operand: Operand<F>) -> crate::wait::FromFn<F>
    where
        F: Fn(&crate::RetryState<'_, T, E>) -> std::time::Duration,
    {
        crate::wait::from_fn(operand.0)
    }
}

/// `!operand`, for a condition's operand under `!` (see the module's page).
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub fn not<C: std::ops::Not>(condition: C) -> C::Output {
    !condition
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
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn pick<F: Fn() -> S, S>(self, operand: Operand<F>) -> S {
        (operand.0)()
    }
}

impl AsIs {
    /// The operand itself.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
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
