use crate::condition::Condition;

/// Retries every error: the default condition. Built by [`any_error`], whose page has an example.
///
/// It never looks at an `Ok`, so a successful attempt returns without asking it:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{any_error, AnyError, Condition};
///
/// let retry: AnyError = any_error();
/// assert!(retry.should_retry(&Err::<u8, _>(std::io::Error::other("reset"))));
/// assert!(!<AnyError as Condition<u8, std::io::Error>>::retries_ok());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnyError;

/// Retries every `Err` and no `Ok`: the default condition.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{any_error, Condition};
///
/// assert!(any_error().should_retry(&Err::<(), &str>("boom")));
/// assert!(!any_error().should_retry(&Ok::<(), &str>(())));
/// ```
pub const fn any_error() -> AnyError {
    AnyError
}

impl<T, E> Condition<T, E> for AnyError {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.is_err()
    }
    fn retries_ok() -> bool {
        false
    }
}

/// Retries no `Ok` value: the default for `retry_if_ok`, and what [`never()`] returns.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{Condition, NoOk};
///
/// assert!(!NoOk.should_retry(&Ok::<&str, ()>("pending")));
/// assert!(!NoOk.should_retry(&Err::<(), &str>("down")));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoOk;

impl<T, E> Condition<T, E> for NoOk {
    #[inline]
    fn should_retry(&self, _: &Result<T, E>) -> bool {
        false
    }
    fn retries_ok() -> bool {
        false
    }
}

/// Retries everything. Built by [`always`], whose page has an example.
///
/// A call under it ends only when its stop says so, with its last outcome, `Ok` or not:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::Policy;
/// use persevere::condition::always;
/// use persevere::stop::attempts;
///
/// let policy = Policy::new().stop(attempts(3)).wait(Duration::ZERO).retry_if(always());
/// let mut calls = 0;
/// let outcome = policy.call(|| { calls += 1; Ok::<_, ()>(calls) });
/// assert_eq!(outcome, Ok(3)); // each success was retried too
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Always;

/// Retries every outcome, `Ok` included, until the stop strategy ends the call.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{always, Condition};
///
/// assert!(Condition::<(), ()>::should_retry(&always(), &Ok(())));
/// assert!(Condition::<(), ()>::should_retry(&always(), &Err(())));
/// ```
pub const fn always() -> Always {
    Always
}

impl<T, E> Condition<T, E> for Always {
    #[inline]
    fn should_retry(&self, _: &Result<T, E>) -> bool {
        true
    }
}

/// Retries nothing: the first outcome is final.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{never, Condition};
///
/// assert!(!Condition::<(), ()>::should_retry(&never(), &Err(())));
/// ```
pub const fn never() -> NoOk {
    NoOk
}

/// A condition on the error. Built by [`on_error`], whose page has an example.
///
/// Its field is public, so it can also be written as `OnError(predicate)`. It never retries an
/// `Ok`:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{Condition, OnError};
///
/// let busy = OnError(|code: &u16| *code == 503);
/// assert!(busy.should_retry(&Err::<(), u16>(503)));
/// assert!(!busy.should_retry(&Ok::<(), u16>(())));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnError<F>(pub F);

/// Retries the errors for which `predicate` is true; never an `Ok`.
///
/// A plain closure is already a condition on the error; wrap it to combine it with `|`, `&` or
/// `!`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{on_error, Condition};
///
/// let not_found = on_error(|code: &u16| *code == 404);
/// assert!((!not_found).should_retry(&Err::<(), u16>(503)));
/// ```
pub const fn on_error<F>(predicate: F) -> OnError<F> {
    OnError(predicate)
}

impl<T, E, F: Fn(&E) -> bool> Condition<T, E> for OnError<F> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.as_ref().is_err_and(&self.0)
    }
    fn retries_ok() -> bool {
        false
    }
}

/// A condition on the `Ok` value. Built by [`on_ok`], whose page has an example.
///
/// Its field is public, so it can also be written as `OnOk(predicate)`. It never retries an
/// error:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{Condition, OnOk};
///
/// let empty = OnOk(|rows: &Vec<u32>| rows.is_empty());
/// assert!(empty.should_retry(&Ok::<_, &str>(vec![])));
/// assert!(!empty.should_retry(&Err::<Vec<u32>, _>("timed out")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnOk<F>(pub F);

/// Retries the `Ok` values for which `predicate` is true (tenacity's `retry_if_result`); never an
/// error.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{on_ok, Condition};
///
/// let pending = on_ok(|status: &&str| *status == "pending");
/// assert!(pending.should_retry(&Ok::<&str, ()>("pending")));
/// assert!(!pending.should_retry(&Ok::<&str, ()>("done")));
/// ```
pub const fn on_ok<F>(predicate: F) -> OnOk<F> {
    OnOk(predicate)
}

impl<T, E, F: Fn(&T) -> bool> Condition<T, E> for OnOk<F> {
    #[inline]
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome.as_ref().is_ok_and(&self.0)
    }
}
