//! Valid functions that must compile with `#[retry]` exactly as without it, warn about nothing, and
//! mean the same: the user's names win over the runtime's, the body's tokens stay the body's, and
//! `#[cfg]`, raw identifiers and stacked attributes are left to the compiler.
//!
//! Each case runs through the attribute and is checked against what the undecorated function (or
//! the reading a user gives it) does.

#![deny(warnings)]

use std::cell::{Cell, RefCell};

use persevere::retry;

#[path = "support/flaky.rs"]
mod support;
use support::{Flaky, current_thread, flaky};

// ---------------------------------------------------------------------------------------------
// The user's names win: in the signature.

/// Items named after the runtime's public names, used in signatures.
mod named_like_the_runtime {
    use std::cell::Cell;

    use persevere::retry;

    pub type Boxed = Box<dyn std::error::Error + Send + Sync>;

    #[derive(Debug, PartialEq)]
    pub struct Report(pub u32);
    #[derive(Debug, PartialEq)]
    pub struct Timeout;
    #[derive(Debug, PartialEq)]
    pub struct Plain;
    #[derive(Debug, PartialEq)]
    pub struct Fixed;
    #[derive(Debug, PartialEq)]
    pub struct Log;
    #[derive(Debug, PartialEq)]
    pub struct Name;
    #[derive(Debug, PartialEq)]
    pub struct Attempt;

    #[retry(retry_if = error_type::<super::Flaky>(), wait = fixed(0s))]
    pub fn boxed(calls: &Cell<u32>) -> Result<u32, Boxed> {
        Ok(super::flaky(calls, 2)?)
    }

    #[retry(
        stop = attempts(3),
        wait = fixed(0s),
        retry_if = |e| *e == Timeout,
        before_sleep = log(debug)
    )]
    pub fn reports(calls: &Cell<u32>) -> Result<Report, Timeout> {
        calls.set(calls.get() + 1);
        if calls.get() < 3 {
            Err(Timeout)
        } else {
            Ok(Report(calls.get()))
        }
    }

    impl std::fmt::Display for Timeout {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("timed out")
        }
    }

    #[retry(wait = fixed(0s), retry_if = |_| true)]
    pub async fn many(calls: &Cell<u32>) -> Result<(Plain, Fixed, Log, Name, Attempt), Plain> {
        super::flaky(calls, 1).map_err(|_| Plain)?;
        Ok((Plain, Fixed, Log, Name, Attempt))
    }
}

#[test]
fn signatures_keep_the_users_types() {
    let calls = Cell::new(0);
    assert_eq!(named_like_the_runtime::boxed(&calls).unwrap(), 3);
    let calls = Cell::new(0);
    assert_eq!(
        named_like_the_runtime::reports(&calls),
        Ok(named_like_the_runtime::Report(3))
    );
    let calls = Cell::new(0);
    assert!(
        current_thread()
            .block_on(named_like_the_runtime::many(&calls))
            .is_ok()
    );
    assert_eq!(calls.get(), 2);
}

/// A `use` inside the body does not reach the signature: `Error` there is the module's.
mod body_imports {
    use anyhow::Error;
    use persevere::retry;

    #[retry(wait = fixed(0s))]
    pub fn read(calls: &std::cell::Cell<u32>) -> Result<String, Error> {
        use std::io::Error;
        calls.set(calls.get() + 1);
        let io: Result<String, Error> = Err(Error::other("not yet"));
        if calls.get() < 2 {
            return Ok(io?);
        }
        Ok("read".to_owned())
    }

    #[retry(wait = fixed(0s))]
    pub async fn read_async(calls: &std::cell::Cell<u32>) -> Result<String, Error> {
        use std::io::Error;
        calls.set(calls.get() + 1);
        if calls.get() < 2 {
            Err(Error::other("not yet"))?;
        }
        Ok("read".to_owned())
    }
}

#[test]
fn items_in_the_body_do_not_change_the_signature() {
    let calls = Cell::new(0);
    assert_eq!(body_imports::read(&calls).unwrap(), "read");
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert_eq!(
        current_thread()
            .block_on(body_imports::read_async(&calls))
            .unwrap(),
        "read"
    );
    assert_eq!(calls.get(), 2);
}

// ---------------------------------------------------------------------------------------------
// The user's names win: parameters and items inside values.

#[retry(
    stop = attempts(attempts),
    wait = fixed(0s),
    after = |st| log.borrow_mut().push(st.attempt())
)]
fn parameters_named_like_strategies(
    attempts: u32,
    log: &RefCell<Vec<u32>>,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

#[retry(
    stop = attempts(timeout) | elapsed(deadline),
    wait = fixed(0s),
    before_sleep = |_| log.set(log.get() + 1)
)]
async fn more_parameters_named_like_strategies(
    timeout: u32,
    deadline: std::time::Duration,
    log: &Cell<u32>,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

/// A by-value parameter read by a hook closure, in a sync and an async fn.
#[retry(stop = attempts(3), wait = fixed(0s), after = |st| log.borrow_mut().push(st.attempt()))]
fn by_value_parameter_in_a_hook(
    log: RefCell<Vec<u32>>,
    calls: &Cell<u32>,
) -> Result<Vec<u32>, Flaky> {
    flaky(calls, 2)?;
    Ok(log.borrow().clone())
}

#[retry(stop = attempts(3), wait = fixed(0s), after = |st| log.borrow_mut().push(st.attempt()))]
async fn by_value_parameter_in_an_async_hook(
    log: RefCell<Vec<u32>>,
    calls: &Cell<u32>,
) -> Result<Vec<u32>, Flaky> {
    flaky(calls, 2)?;
    Ok(log.borrow().clone())
}

/// A setting and a parameter of the same name: `min = min` sets `min` to the parameter.
#[retry(stop = attempts(3), wait = random(min = min, max = max), sleep = |d| waits.borrow_mut().push(d))]
fn settings_named_like_parameters(
    min: std::time::Duration,
    max: std::time::Duration,
    waits: &RefCell<Vec<std::time::Duration>>,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

#[test]
fn parameters_win_inside_values() {
    assert_eq!(
        by_value_parameter_in_a_hook(RefCell::new(Vec::new()), &Cell::new(0)),
        Ok(vec![1, 2])
    );
    assert_eq!(
        current_thread().block_on(by_value_parameter_in_an_async_hook(
            RefCell::new(Vec::new()),
            &Cell::new(0)
        )),
        Ok(vec![1, 2])
    );
    let waits = RefCell::new(Vec::new());
    let second = std::time::Duration::from_secs(1);
    assert!(settings_named_like_parameters(second, second, &waits, &Cell::new(0)).is_err());
    assert_eq!(*waits.borrow(), [second, second]);

    let calls = Cell::new(0);
    let log = RefCell::new(Vec::new());
    assert!(parameters_named_like_strategies(4, &log, &calls).is_err());
    assert_eq!(calls.get(), 4);
    assert_eq!(*log.borrow(), [1, 2, 3, 4]);

    let calls = Cell::new(0);
    let log = Cell::new(0);
    let outcome = current_thread().block_on(more_parameters_named_like_strategies(
        3,
        std::time::Duration::from_secs(60),
        &log,
        &calls,
    ));
    assert!(outcome.is_err());
    assert_eq!((calls.get(), log.get()), (3, 2));
}

/// What a `&mut` argument's value is read as where a value passes it on: a `&` to it, as
/// rustc's coercion makes of it without the attribute.
struct Gate {
    open_after: u32,
}

fn last_attempt(gate: &Gate) -> u32 {
    gate.open_after
}

/// Arguments passed on by value inside values: a `Copy` one (in a call, a tuple, a struct
/// literal, a `let`, a closure's result), and a `&mut` one where a `&` is expected.
#[retry(
    stop = |state| state.attempt() >= last_attempt(gate).min(pair_limit((limit, 0))),
    wait = fixed(pause),
    sleep = |d| { let seen = d; waits.borrow_mut().push(seen) },
    retry_if = |_| { let cap = limit; cap > 0 },
    after = |_| log.borrow_mut().push(Limits { cap: limit }.cap)
)]
fn arguments_passed_on_by_value(
    gate: &mut Gate,
    limit: u32,
    pause: std::time::Duration,
    waits: &RefCell<Vec<std::time::Duration>>,
    log: &RefCell<Vec<u32>>,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    gate.open_after += 0;
    flaky(calls, 10)
}

struct Limits {
    cap: u32,
}

fn pair_limit(pair: (u32, u32)) -> u32 {
    pair.0 + pair.1
}

#[test]
fn arguments_passed_on_by_value_inside_values() {
    let (waits, log, calls) = (
        RefCell::new(Vec::new()),
        RefCell::new(Vec::new()),
        Cell::new(0),
    );
    let pause = std::time::Duration::from_millis(1);
    let mut gate = Gate { open_after: 3 };
    assert!(arguments_passed_on_by_value(&mut gate, 5, pause, &waits, &log, &calls).is_err());
    // The gate's last attempt is the third, before the limit of 5.
    assert_eq!(calls.get(), 3);
    assert_eq!(*log.borrow(), [5, 5, 5]);
    assert_eq!(waits.borrow().len(), 2);
}

/// A pinned `&mut` receiver passed on with `.as_mut()`, as the error for passing it on by value
/// says to write.
struct Pinned {
    len: usize,
}

fn pinned_len(pinned: std::pin::Pin<&mut Pinned>) -> usize {
    pinned.get_mut().len
}

impl Pinned {
    #[retry(wait = fixed(0s))]
    fn measured(mut self: std::pin::Pin<&mut Self>, calls: &Cell<u32>) -> Result<usize, Flaky> {
        flaky(calls, 1)?;
        Ok(pinned_len(self.as_mut()))
    }
}

#[test]
fn a_pinned_receiver_is_passed_on_with_as_mut() {
    let (mut pinned, calls) = (Pinned { len: 4 }, Cell::new(0));
    assert_eq!(std::pin::Pin::new(&mut pinned).measured(&calls), Ok(4));
    assert_eq!(calls.get(), 2);
}

/// Conditions made by functions called with no arguments: the runtime's, the module's, through
/// a path, negated, an associated function, and one of another ABI written inside a block.
mod conditions_called_with_nothing {
    use std::cell::Cell;

    use persevere::condition::AnyError;
    use persevere::retry;

    use super::{Flaky, flaky};

    pub mod made {
        pub fn busy() -> persevere::condition::AnyError {
            persevere::condition::AnyError
        }
    }

    #[allow(improper_ctypes_definitions)]
    extern "C" fn foreign() -> AnyError {
        AnyError
    }

    pub struct Client;

    impl Client {
        fn retryable() -> AnyError {
            AnyError
        }

        #[retry(wait = fixed(0s), stop = attempts(3), retry_if = Self::retryable())]
        pub fn call(&self, calls: &Cell<u32>) -> Result<u32, Flaky> {
            flaky(calls, 10)
        }
    }

    #[retry(
        wait = fixed(0s),
        stop = attempts(3),
        retry_if = !any_error() | made::busy() & { foreign() }
    )]
    pub fn combined(calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }
}

#[test]
fn conditions_made_by_calls_with_no_arguments() {
    let calls = Cell::new(0);
    assert!(conditions_called_with_nothing::combined(&calls).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(conditions_called_with_nothing::Client.call(&calls).is_err());
    assert_eq!(calls.get(), 3);
}

/// A trait of the user's that gives the runtime's waits methods named as other libraries name
/// their settings (a shim for code moved from backon): its methods are the ones called, by value
/// or by reference, before the attribute's own stand-ins of those names.
mod settings_shim {
    use std::cell::{Cell, RefCell};
    use std::time::Duration;

    use persevere::retry;
    use persevere::wait::Exponential;

    use super::{Flaky, flaky};

    pub trait BackonShim: Sized {
        fn max_delay(self, max: Duration) -> Exponential;
        fn cap(&self, max: Duration) -> Exponential;
    }

    impl BackonShim for Exponential {
        fn max_delay(self, max: Duration) -> Exponential {
            self.max(max)
        }
        fn cap(&self, max: Duration) -> Exponential {
            self.max(max)
        }
    }

    #[retry(
        stop = attempts(3),
        wait = exponential(multiplier = 1s, max_delay = 2s),
        sleep = |d| waits.borrow_mut().push(d)
    )]
    pub fn by_value(waits: &RefCell<Vec<Duration>>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(
        stop = attempts(3),
        wait = exponential(multiplier = 3s).cap(1s),
        sleep = |d| waits.borrow_mut().push(d)
    )]
    pub fn by_reference(waits: &RefCell<Vec<Duration>>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    /// Through a `&mut` to a wait, an argument's.
    #[retry(stop = attempts(3), wait = wait.cap(1s), sleep = |d| waits.borrow_mut().push(d))]
    pub fn through_a_mut(
        wait: &mut Exponential,
        waits: &RefCell<Vec<Duration>>,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }
}

#[test]
fn a_users_trait_names_settings_before_the_attributes_stand_ins() {
    let second = std::time::Duration::from_secs(1);
    let waits = RefCell::new(Vec::new());
    assert!(settings_shim::by_value(&waits, &Cell::new(0)).is_err());
    assert_eq!(*waits.borrow(), [second, 2 * second]);
    let waits = RefCell::new(Vec::new());
    assert!(settings_shim::by_reference(&waits, &Cell::new(0)).is_err());
    assert_eq!(*waits.borrow(), [second, second]);
    let waits = RefCell::new(Vec::new());
    let mut wait = persevere::wait::exponential().multiplier(3 * second);
    assert!(settings_shim::through_a_mut(&mut wait, &waits, &Cell::new(0)).is_err());
    assert_eq!(*waits.borrow(), [second, second]);
}

/// Places a value reads without moving them: a `let` that binds by reference or binds nothing,
/// a pattern that destructures by reference. Only `let x = arg;` would move the argument.
mod values_that_read_places {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    #[allow(clippy::toplevel_ref_arg)]
    #[retry(
        stop = attempts(3),
        wait = fixed(0s),
        retry_if = |_e| { let ref n = needle; !n.is_empty() },
        after = |_| { let _ = needle; let Some(ref c) = code else { return }; seen.set(seen.get() + c.len() as u32) }
    )]
    pub fn read(
        needle: String,
        code: Option<String>,
        seen: &Cell<u32>,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        let _ = (&needle, &code);
        flaky(calls, 10)
    }
}

#[test]
fn a_let_in_a_value_that_binds_by_reference_reads_the_argument() {
    let (seen, calls) = (Cell::new(0), Cell::new(0));
    assert!(
        values_that_read_places::read("x".to_owned(), Some("ab".to_owned()), &seen, &calls)
            .is_err()
    );
    assert_eq!((calls.get(), seen.get()), (3, 6));
}

/// A `&mut` argument a macro only reads, in a function whose `Self` holds a borrow of it: not
/// reborrowed at each attempt, so the function may lend it.
pub struct View<'a>(&'a [u8]);

impl<'a> View<'a> {
    #[retry(wait = fixed(0s))]
    pub fn of(buf: &'a mut [u8], calls: &Cell<u32>) -> Result<Self, Flaky> {
        debug_assert!(!buf.is_empty());
        flaky(calls, 1)?;
        Ok(View(&buf[..]))
    }
}

#[test]
fn a_mut_argument_a_macro_reads_lends_through_self() {
    let (mut buf, calls) = (vec![1, 2], Cell::new(0));
    assert_eq!(View::of(&mut buf, &calls).map(|view| view.0.len()), Ok(2));
}

/// A strategy of the user's whose `initial` may exceed its `max`: the attribute's check of the
/// runtime's waits' bounds is by their names, and leaves it alone.
mod warmup_strategy {
    use std::cell::{Cell, RefCell};
    use std::time::Duration;

    use persevere::retry;

    use super::{Flaky, flaky};

    #[derive(Clone, Copy, Default)]
    pub struct Warmup {
        initial: Duration,
        max: Duration,
    }

    pub fn warmup() -> Warmup {
        Warmup::default()
    }

    impl Warmup {
        pub const fn initial(mut self, initial: Duration) -> Self {
            self.initial = initial;
            self
        }
        pub const fn max(mut self, max: Duration) -> Self {
            self.max = max;
            self
        }
    }

    /// A one-off first wait, then waits capped at `max`.
    impl<T, E> persevere::wait::Wait<T, E> for Warmup {
        fn next_wait(&self, state: &persevere::RetryState<'_, T, E>) -> Duration {
            if state.attempt() == 1 {
                self.initial
            } else {
                self.max
            }
        }
    }

    #[retry(stop = attempts(3), wait = warmup(initial = 30s, max = 5s), sleep = |d| waits.borrow_mut().push(d))]
    pub fn warmed(waits: &RefCell<Vec<Duration>>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }
}

#[test]
fn a_users_strategy_may_start_above_its_cap() {
    let waits = RefCell::new(Vec::new());
    assert!(warmup_strategy::warmed(&waits, &Cell::new(0)).is_err());
    let second = std::time::Duration::from_secs(1);
    assert_eq!(*waits.borrow(), [30 * second, 5 * second]);
}

/// Calls with no arguments in a condition that the check must leave as they are: negated
/// (`!any_error()`), a parameter's closure (`FnMut`), and an `unsafe fn` called in one.
mod conditions_left_as_written {
    use std::cell::Cell;

    use persevere::condition::AnyError;
    use persevere::retry;

    use super::{Flaky, flaky};

    pub const fn retried() -> AnyError {
        AnyError
    }

    /// # Safety
    /// None needed: it only makes a condition.
    pub unsafe fn unchecked() -> AnyError {
        AnyError
    }

    #[retry(stop = attempts(3), wait = fixed(0s), retry_if = any_error() & !never())]
    pub fn negated(calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(stop = attempts(3), wait = fixed(0s), retry_if = !retried())]
    pub fn negated_alone(calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(stop = attempts(3), wait = fixed(0s), retry_if = make())]
    pub fn made_by_a_closure(
        mut make: impl FnMut() -> AnyError,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    /// # Safety
    /// None needed.
    #[allow(unused_unsafe, unsafe_op_in_unsafe_fn)]
    #[retry(stop = attempts(3), wait = fixed(0s), retry_if = unsafe { unchecked() } | unchecked())]
    pub unsafe fn in_an_unsafe_fn(calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }
}

#[test]
fn calls_with_no_arguments_left_as_written() {
    let calls = Cell::new(0);
    assert!(conditions_left_as_written::negated(&calls).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(conditions_left_as_written::negated_alone(&calls).is_err());
    assert_eq!(calls.get(), 1);
    let calls = Cell::new(0);
    let made = Cell::new(0);
    let mut count = 0;
    let make = || {
        count += 1;
        made.set(count);
        persevere::condition::AnyError
    };
    assert!(conditions_left_as_written::made_by_a_closure(make, &calls).is_err());
    assert_eq!(calls.get(), 3);
    assert!(made.get() > 0);
    let calls = Cell::new(0);
    // SAFETY: `in_an_unsafe_fn` has no requirement.
    assert!(unsafe { conditions_left_as_written::in_an_unsafe_fn(&calls) }.is_err());
    assert_eq!(calls.get(), 3);
}

/// A `&mut` argument a call inside `assert!` reads, in a function that lends it: not reborrowed.
fn length(values: &[u32]) -> usize {
    values.len()
}

#[retry(stop = attempts(2), wait = fixed(0s))]
fn first_of<'a>(values: &'a mut [u32], calls: &Cell<u32>) -> Result<&'a u32, Flaky> {
    assert!(length(values) < 10);
    flaky(calls, 1)?;
    values.first().ok_or(Flaky("empty"))
}

/// `dbg!` takes a name given alone: a `&mut` given so is reborrowed for each attempt.
#[retry(stop = attempts(2), wait = fixed(0s))]
fn debugged(values: &mut Vec<u32>, calls: &Cell<u32>) -> Result<usize, Flaky> {
    let seen = dbg!(values);
    seen.push(1);
    flaky(calls, 1).map(|_| seen.len())
}

#[test]
fn mut_arguments_in_the_standard_macros() {
    let (mut values, calls) = (vec![4, 5], Cell::new(0));
    assert_eq!(first_of(&mut values, &calls), Ok(&4));
    let (mut values, calls) = (Vec::new(), Cell::new(0));
    assert_eq!(debugged(&mut values, &calls), Ok(2));
}

/// Macros of the user's named `dbg!` and `vec!` that only borrow: a by-value argument given to
/// them alone is not taken for moved (the standard ones' move is rustc's to report).
mod macros_of_the_users_named_like_the_standard_ones {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    macro_rules! dbg {
        ($e:expr) => {
            let _ = &$e;
        };
    }

    macro_rules! vec {
        ($e:expr) => {
            $e.len()
        };
    }

    #[retry(stop = attempts(2), wait = fixed(0s))]
    pub fn logged(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
        dbg!(message);
        flaky(calls, 1)?;
        Ok(vec![message])
    }
}

#[test]
fn macros_of_the_users_named_like_the_standard_ones_borrow() {
    let calls = Cell::new(0);
    assert_eq!(
        macros_of_the_users_named_like_the_standard_ones::logged("abc".into(), &calls),
        Ok(3)
    );
    assert_eq!(calls.get(), 2);
}

/// An optional `&mut` argument (a transaction a caller may hand in) passed on, matched and
/// changed by each attempt: reborrowed for each attempt as a `&mut` argument is, and the
/// changes carry over, sync and async.
mod optional_mut_arguments {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    pub struct Tx {
        pub writes: u32,
    }

    fn write(tx: Option<&mut Tx>) -> u32 {
        tx.map(|tx| {
            tx.writes += 1;
            tx.writes
        })
        .unwrap_or(0)
    }

    #[retry(stop = attempts(3), wait = fixed(0s))]
    pub fn passed_on(tx: Option<&mut Tx>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        let written = write(tx);
        flaky(calls, 2).map(|_| written)
    }

    #[retry(stop = attempts(3), wait = fixed(0s))]
    pub async fn matched(tx: Option<&mut Tx>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        match tx {
            Some(tx) => {
                tx.writes += 10;
                flaky(calls, 1).map(|_| tx.writes)
            }
            None => Ok(0),
        }
    }

    /// A sink of any kind, as a trait object.
    pub trait Sink {
        fn put(&mut self) -> u32;
    }

    impl Sink for Tx {
        fn put(&mut self) -> u32 {
            self.writes += 1;
            self.writes
        }
    }

    fn put(sink: Option<&mut dyn Sink>) -> u32 {
        sink.map_or(0, |sink| sink.put())
    }

    #[retry(stop = attempts(3), wait = fixed(0s))]
    pub fn object_passed_on(sink: Option<&mut dyn Sink>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        let written = put(sink);
        flaky(calls, 2).map(|_| written)
    }

    fn put_send(sink: Option<&mut (dyn Sink + Send)>) -> u32 {
        sink.map_or(0, |sink| sink.put())
    }

    /// With a bound after the trait, in the parentheses Rust requires.
    #[retry(stop = attempts(3), wait = fixed(0s))]
    pub fn sendable_passed_on(
        sink: Option<&mut (dyn Sink + Send)>,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        let written = put_send(sink);
        flaky(calls, 2).map(|_| written)
    }

    #[retry(stop = attempts(3), wait = fixed(0s))]
    pub fn bounded_passed_on<'a>(
        sink: Option<&'a mut (dyn Sink + 'a)>,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        let written = put(sink);
        flaky(calls, 2).map(|_| written)
    }

    #[retry(stop = attempts(3), wait = fixed(0s))]
    pub async fn object_matched(
        sink: Option<&mut (dyn Sink + Send)>,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        if let Some(sink) = sink {
            sink.put();
        }
        flaky(calls, 1).map(|_| 0)
    }
}

#[test]
fn an_optional_mut_argument_is_reborrowed_for_each_attempt() {
    let mut tx = optional_mut_arguments::Tx { writes: 0 };
    assert_eq!(
        optional_mut_arguments::passed_on(Some(&mut tx), &Cell::new(0)),
        Ok(3)
    );
    assert_eq!(
        optional_mut_arguments::passed_on(None, &Cell::new(0)),
        Ok(0)
    );
    let outcome = current_thread().block_on(optional_mut_arguments::matched(
        Some(&mut tx),
        &Cell::new(0),
    ));
    assert_eq!(outcome, Ok(23));
    // Of a trait object.
    let mut tx = optional_mut_arguments::Tx { writes: 0 };
    assert_eq!(
        optional_mut_arguments::object_passed_on(Some(&mut tx), &Cell::new(0)),
        Ok(3)
    );
    assert_eq!(
        current_thread().block_on(optional_mut_arguments::object_matched(
            Some(&mut tx),
            &Cell::new(0)
        )),
        Ok(0)
    );
    assert_eq!(tx.writes, 5);
    assert_eq!(
        optional_mut_arguments::sendable_passed_on(Some(&mut tx), &Cell::new(0)),
        Ok(8)
    );
    assert_eq!(
        optional_mut_arguments::bounded_passed_on(Some(&mut tx), &Cell::new(0)),
        Ok(11)
    );
}

/// Under `#[async_trait]`, whose boxed future names a lifetime of its own: an optional `&mut`
/// and a `&mut` moved inside `assert!` are reborrowed for each attempt, as in a plain async fn.
mod reborrows_under_async_trait {
    use std::cell::Cell;
    use std::fmt::Write;

    use persevere::retry;

    use super::optional_mut_arguments::Tx;
    use super::{Flaky, flaky};

    fn emit<W: Write>(mut out: W) -> std::fmt::Result {
        out.write_str("x")
    }

    #[async_trait::async_trait(?Send)]
    pub trait Repo {
        async fn save(&self, tx: Option<&mut Tx>, calls: &Cell<u32>) -> Result<u32, Flaky>;
        async fn log(&self, out: &mut String, calls: &Cell<u32>) -> Result<u32, Flaky>;
    }

    pub struct Store;

    #[async_trait::async_trait(?Send)]
    impl Repo for Store {
        #[retry(stop = attempts(3), wait = fixed(0s))]
        async fn save(&self, tx: Option<&mut Tx>, calls: &Cell<u32>) -> Result<u32, Flaky> {
            let written = match tx {
                Some(tx) => {
                    tx.writes += 1;
                    tx.writes
                }
                None => 0,
            };
            flaky(calls, 1).map(|_| written)
        }

        #[retry(stop = attempts(3), wait = fixed(0s))]
        async fn log(&self, out: &mut String, calls: &Cell<u32>) -> Result<u32, Flaky> {
            assert!(emit(out).is_ok());
            flaky(calls, 1)
        }
    }
}

#[test]
fn reborrows_under_async_trait() {
    use reborrows_under_async_trait::Repo;
    let mut tx = optional_mut_arguments::Tx { writes: 0 };
    let store = reborrows_under_async_trait::Store;
    let saved = current_thread().block_on(store.save(Some(&mut tx), &Cell::new(0)));
    assert_eq!(saved, Ok(2));
    let mut out = String::new();
    assert!(
        current_thread()
            .block_on(store.log(&mut out, &Cell::new(0)))
            .is_ok()
    );
    assert_eq!(out, "xx");
}

/// `vec!` and `dbg!` take a name given alone: a `&mut` given so is reborrowed for each attempt,
/// also where the function returns a borrow (of something else).
#[retry(stop = attempts(2), wait = fixed(0s))]
fn listed<'a>(out: &'a mut String, kept: &'a u32, calls: &Cell<u32>) -> Result<&'a u32, Flaky> {
    let outs = vec![out];
    outs.into_iter().for_each(|out| out.push('x'));
    flaky(calls, 1).map(|_| kept)
}

#[test]
fn a_mut_argument_taken_by_vec_in_a_lending_function() {
    let mut out = String::new();
    assert_eq!(listed(&mut out, &7, &Cell::new(0)), Ok(&7));
    assert_eq!(out, "xx");
}

/// A `&mut` argument under a `#[cfg]` that removes it: no braces left unnecessary.
#[retry(stop = attempts(2), wait = fixed(0s))]
fn configured_out(#[cfg(any())] out: &mut Vec<u8>, calls: &Cell<u32>) -> Result<u32, Flaky> {
    #[cfg(any())]
    for byte in out {
        *byte += 1;
    }
    flaky(calls, 1)
}

#[test]
fn an_argument_configured_out_leaves_no_braces() {
    assert_eq!(configured_out(&Cell::new(0)), Ok(2));
}

/// A type of the user's named `Option`, written with its path: not taken for the standard one.
mod own_option {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    pub mod db {
        pub enum Option<T> {
            Some(T),
            Nothing,
        }
    }

    #[retry(stop = attempts(2), wait = fixed(0s))]
    pub fn counted(tx: &db::Option<&mut u32>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        let seen = match tx {
            db::Option::Some(n) => **n,
            db::Option::Nothing => 0,
        };
        flaky(calls, 1).map(|_| seen)
    }

    #[retry(stop = attempts(2), wait = fixed(0s))]
    pub fn owned(tx: db::Option<&mut u32>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        let _ = &tx;
        flaky(calls, 1)
    }
}

#[test]
fn a_users_option_written_with_its_path() {
    let mut n = 4;
    let tx = own_option::db::Option::Some(&mut n);
    assert_eq!(own_option::counted(&tx, &Cell::new(0)), Ok(4));
    assert_eq!(
        own_option::owned(own_option::db::Option::Nothing, &Cell::new(0)),
        Ok(2)
    );
}

/// A function of the module named like a runtime strategy is the module's.
mod own_strategy_names {
    use std::cell::Cell;

    use persevere::retry;

    /// This module's `never`: two attempts.
    pub fn never() -> persevere::stop::Attempts {
        persevere::stop::attempts(2)
    }

    #[retry(stop = never, wait = fixed(0s))]
    pub fn call(calls: &Cell<u32>) -> Result<u32, super::Flaky> {
        super::flaky(calls, 10)
    }
}

#[test]
fn the_modules_items_win_inside_values() {
    let calls = Cell::new(0);
    assert!(own_strategy_names::call(&calls).is_err());
    assert_eq!(calls.get(), 2);
}

/// A trait of the user's in scope, with a method for every type, does not meet the expansion.
mod user_traits {
    use std::cell::Cell;

    use persevere::retry;

    pub trait Keeper {
        fn keeper(&self) -> u8 {
            0
        }
    }
    impl<T> Keeper for T {}

    #[retry(wait = fixed(0s))]
    pub async fn call(calls: &Cell<u32>) -> Result<u32, super::Flaky> {
        super::flaky(calls, 1)
    }

    #[retry(wait = fixed(0s))]
    pub fn consumes(label: u8, calls: &Cell<u32>) -> Result<u8, super::Flaky> {
        super::flaky(calls, 1)?;
        Ok(std::convert::identity(label))
    }
}

#[test]
fn user_traits_in_scope_do_not_meet_the_expansion() {
    use user_traits::Keeper;
    assert_eq!(().keeper(), 0);
    let calls = Cell::new(0);
    assert_eq!(current_thread().block_on(user_traits::call(&calls)), Ok(2));
    let calls = Cell::new(0);
    assert_eq!(user_traits::consumes(7, &calls), Ok(7));
}

// ---------------------------------------------------------------------------------------------
// Raw identifiers.

#[retry(wait = fixed(0s), before_sleep = |st| names.borrow_mut().push(st.function().to_string()))]
fn r#match(r#type: u8, names: &RefCell<Vec<String>>, calls: &Cell<u32>) -> Result<u8, Flaky> {
    flaky(calls, 1)?;
    Ok(std::convert::identity(r#type))
}

#[test]
fn raw_identifiers_are_names_without_their_prefix() {
    let names = RefCell::new(Vec::new());
    let calls = Cell::new(0);
    assert_eq!(r#match(5, &names, &calls), Ok(5));
    assert_eq!(*names.borrow(), ["corpus::match"]);
}

// ---------------------------------------------------------------------------------------------
// The body is the body.

#[derive(Debug, Clone)]
struct Job {
    tries: u32,
}

impl Job {
    /// `clone(self)`: each attempt gets a fresh clone; inline format arguments read it too.
    #[retry(clone(self), wait = fixed(0s))]
    fn run(mut self, seen: &RefCell<Vec<String>>) -> Result<u32, Flaky> {
        self.tries += 1;
        seen.borrow_mut().push(format!("{self:?}"));
        seen.borrow_mut().push(format!("{:?}", self));
        if seen.borrow().len() < 4 {
            Err(Flaky("again"))
        } else {
            Ok(self.tries)
        }
    }

    #[retry(clone(self), wait = fixed(0s))]
    fn into_label(self, calls: &Cell<u32>) -> Result<String, Flaky> {
        flaky(calls, 1)?;
        Ok(format!("{}", self.consume()))
    }

    fn consume(self) -> u32 {
        self.tries
    }
}

#[test]
fn clone_self_gives_each_attempt_a_fresh_self() {
    let seen = RefCell::new(Vec::new());
    assert_eq!(Job { tries: 0 }.run(&seen), Ok(1));
    assert_eq!(
        *seen.borrow(),
        [
            "Job { tries: 1 }",
            "Job { tries: 1 }",
            "Job { tries: 1 }",
            "Job { tries: 1 }"
        ]
    );
    let calls = Cell::new(0);
    assert_eq!(Job { tries: 9 }.into_label(&calls).unwrap(), "9");
}

#[allow(dead_code)] // used only by code compiled out
fn audit(message: String) -> u32 {
    message.len() as u32
}

/// A move compiled out by `#[cfg]` moves nothing.
#[retry(wait = fixed(0s))]
fn moves_only_in_release(message: String, calls: &Cell<u32>) -> Result<u32, Flaky> {
    #[cfg(any())]
    return Ok(audit(message));
    flaky(calls, 1)?;
    Ok(message.len() as u32)
}

/// A parameter compiled out by `#[cfg]` is not named by the expansion.
#[retry(wait = fixed(0s), stop = attempts(limit))]
fn parameter_compiled_out(
    #[cfg(any())] message: String,
    limit: u32,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    flaky(calls, 1)
}

type Buf<'a> = &'a mut Vec<u8>;

fn fill(buf: &mut Vec<u8>) {
    buf.push(1);
}

/// A `&mut` behind an alias is reborrowed when passed on, not moved.
#[retry(wait = fixed(0s))]
fn reborrows_through_an_alias(buf: Buf<'_>, calls: &Cell<u32>) -> Result<usize, Flaky> {
    fill(buf);
    flaky(calls, 1)?;
    Ok(buf.len())
}

fn is_transient(error: &Flaky) -> bool {
    error.0 == "down"
}

/// A local of the body named like a function a value calls is the body's business.
#[retry(wait = fixed(0s), retry_if = on_error(is_transient))]
fn local_named_like_a_value(calls: &Cell<u32>) -> Result<u32, Flaky> {
    let is_transient = calls.get() > 100;
    if is_transient {
        return Ok(0);
    }
    flaky(calls, 1)
}

/// `let _ = message;` moves nothing.
#[retry(wait = fixed(0s))]
fn ignores_its_argument(message: String, calls: &Cell<u32>) -> Result<u32, Flaky> {
    let _ = message;
    flaky(calls, 1)
}

#[test]
fn the_body_is_left_to_the_compiler() {
    let calls = Cell::new(0);
    assert_eq!(moves_only_in_release("four".to_owned(), &calls), Ok(4));
    let calls = Cell::new(0);
    assert_eq!(parameter_compiled_out(3, &calls), Ok(2));
    let calls = Cell::new(0);
    let mut buf = Vec::new();
    assert_eq!(reborrows_through_an_alias(&mut buf, &calls), Ok(2));
    let calls = Cell::new(0);
    assert_eq!(local_named_like_a_value(&calls), Ok(2));
    let calls = Cell::new(0);
    assert_eq!(ignores_its_argument("x".to_owned(), &calls), Ok(2));
}

/// An async `&mut self` method whose type is `Send` but not `Sync` stays `Send`.
struct Counter {
    calls: Cell<u32>,
}

impl Counter {
    #[retry(wait = fixed(0s))]
    async fn bump(&mut self) -> Result<u32, Flaky> {
        flaky(&self.calls, 1)
    }
}

#[retry(wait = fixed(0s))]
async fn bump_through(counter: &mut Counter) -> Result<u32, Flaky> {
    flaky(&counter.calls, 1)
}

impl Counter {
    #[allow(clippy::needless_arbitrary_self_type)]
    #[retry(wait = fixed(0s))]
    async fn bump_typed(self: &mut Self) -> Result<u32, Flaky> {
        flaky(&self.calls, 1)
    }
}

/// A `ty` fragment arrives in an invisible group.
macro_rules! bump_through_a_fragment {
    ($name:ident, $ty:ty) => {
        #[retry(wait = fixed(0s))]
        async fn $name(counter: $ty) -> Result<u32, Flaky> {
            flaky(&counter.calls, 1)
        }
    };
}
bump_through_a_fragment!(bump_through_fragment, &mut Counter);

fn assert_send<T: Send>(value: T) -> T {
    value
}

/// A `&mut` argument the body uses by value (a `for` loop, a generic parameter, a `move`
/// block) is handed to each attempt afresh, as a reborrow.
mod mut_reference_used_by_value {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    fn consume<W: std::io::Write>(mut writer: W) -> std::io::Result<()> {
        writer.write_all(b"x")
    }

    #[retry(wait = fixed(0s))]
    pub fn loops_over(values: &mut Vec<u32>, calls: &Cell<u32>) -> Result<(), Flaky> {
        for value in values {
            *value += 1;
        }
        flaky(calls, 1).map(|_| ())
    }

    #[retry(wait = fixed(0s))]
    pub fn passes_on(out: &mut Vec<u8>, calls: &Cell<u32>) -> Result<(), Flaky> {
        consume(out).map_err(|_| Flaky("io"))?;
        flaky(calls, 1).map(|_| ())
    }

    /// Moved inside a macro's tokens, which only the macro's expansion shows.
    #[retry(wait = fixed(0s))]
    pub fn passes_on_in_a_macro(out: &mut Vec<u8>, calls: &Cell<u32>) -> Result<(), Flaky> {
        assert!(consume(out).is_ok());
        flaky(calls, 1).map(|_| ())
    }

    #[retry(wait = fixed(0s))]
    pub async fn passes_on_in_a_macro_async(
        out: &mut Vec<u8>,
        calls: &Cell<u32>,
    ) -> Result<bool, Flaky> {
        let written = matches!(consume(out), Ok(()));
        flaky(calls, 1).map(|_| written)
    }

    #[retry(wait = fixed(0s))]
    pub async fn moves_into_a_block(values: &mut Vec<u32>, calls: &Cell<u32>) -> Result<(), Flaky> {
        let push = async move { values.push(1) };
        push.await;
        flaky(calls, 1).map(|_| ())
    }

    /// The argument's name is bound elsewhere in the body too (a closure's parameter).
    #[retry(wait = fixed(0s))]
    pub fn passes_on_a_name_bound_elsewhere(
        out: &mut Vec<u8>,
        names: &[&str],
        calls: &Cell<u32>,
    ) -> Result<usize, Flaky> {
        consume(out).map_err(|_| Flaky("io"))?;
        flaky(calls, 1)?;
        Ok(names.iter().map(|out| out.len()).sum())
    }

    /// The argument is the value of one branch of an `if` (or of a `match` arm, or a block).
    #[retry(wait = fixed(0s))]
    pub fn chosen_by_a_branch(
        buf: &mut Vec<u8>,
        other: &mut Vec<u8>,
        spill: bool,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        let mut local = Vec::new();
        let target = if spill { &mut local } else { buf };
        target.push(1);
        let target = match spill {
            true => &mut local,
            false => other,
        };
        target.push(2);
        flaky(calls, 1)
    }
}

/// A `&mut` argument the body only reads, or does not use: as without the attribute, it can
/// lend what the function returns, and an unused one is still unused.
mod mut_reference_only_read {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    #[retry(wait = fixed(0s))]
    pub fn first<'a>(values: &'a mut [u8], calls: &Cell<u32>) -> Result<&'a u8, Flaky> {
        flaky(calls, 1)?;
        values.first().ok_or(Flaky("empty"))
    }

    /// Named in a macro too: still lent, not reborrowed at each attempt.
    #[retry(wait = fixed(0s))]
    pub fn first_checked<'a>(values: &'a mut [u8], calls: &Cell<u32>) -> Result<&'a u8, Flaky> {
        assert!(!values.is_empty());
        flaky(calls, 1)?;
        values.first().ok_or(Flaky("empty"))
    }

    pub struct Meter {
        pub hits: u32,
    }

    impl Meter {
        #[allow(clippy::needless_arbitrary_self_type)]
        #[retry(wait = fixed(0s))]
        pub async fn hits(self: &mut Self, calls: &Cell<u32>) -> Result<&u32, Flaky> {
            flaky(calls, 1)?;
            Ok(&self.hits)
        }
    }

    #[retry(wait = fixed(0s))]
    pub fn unused(
        #[expect(unused_variables)] values: &mut u32,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    #[retry(wait = fixed(0s))]
    pub async fn unused_async(
        #[expect(unused_variables)] values: &mut u32,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }
}

#[test]
fn a_mut_reference_only_read_lends_what_the_function_returns() {
    let (mut values, calls) = (vec![7], Cell::new(0));
    assert_eq!(mut_reference_only_read::first(&mut values, &calls), Ok(&7));
    let calls = Cell::new(0);
    assert_eq!(
        mut_reference_only_read::first_checked(&mut values, &calls),
        Ok(&7)
    );
    let (mut meter, calls) = (mut_reference_only_read::Meter { hits: 3 }, Cell::new(0));
    assert_eq!(current_thread().block_on(meter.hits(&calls)), Ok(&3));
    let calls = Cell::new(0);
    assert_eq!(mut_reference_only_read::unused(&mut 0, &calls), Ok(2));
    let calls = Cell::new(0);
    assert_eq!(
        current_thread().block_on(mut_reference_only_read::unused_async(&mut 0, &calls)),
        Ok(2)
    );
}

#[test]
fn a_mut_reference_used_by_value_is_reborrowed_for_each_attempt() {
    let (mut values, calls) = (vec![0, 10], Cell::new(0));
    assert_eq!(
        mut_reference_used_by_value::loops_over(&mut values, &calls),
        Ok(())
    );
    // Two attempts, each adding one: the changes carry over.
    assert_eq!(values, [2, 12]);
    let (mut out, calls) = (Vec::new(), Cell::new(0));
    assert_eq!(
        mut_reference_used_by_value::passes_on(&mut out, &calls),
        Ok(())
    );
    assert_eq!(out, b"xx");
    let (mut out, calls) = (Vec::new(), Cell::new(0));
    assert_eq!(
        mut_reference_used_by_value::passes_on_in_a_macro(&mut out, &calls),
        Ok(())
    );
    assert_eq!(out, b"xx");
    let (mut out, calls) = (Vec::new(), Cell::new(0));
    assert_eq!(
        current_thread().block_on(mut_reference_used_by_value::passes_on_in_a_macro_async(
            &mut out, &calls
        )),
        Ok(true)
    );
    assert_eq!(out, b"xx");
    let (mut values, calls) = (Vec::new(), Cell::new(0));
    assert_eq!(
        current_thread().block_on(mut_reference_used_by_value::moves_into_a_block(
            &mut values,
            &calls
        )),
        Ok(())
    );
    assert_eq!(values, [1, 1]);
    let (mut out, calls) = (Vec::new(), Cell::new(0));
    assert_eq!(
        mut_reference_used_by_value::passes_on_a_name_bound_elsewhere(
            &mut out,
            &["ab", "c"],
            &calls
        ),
        Ok(3)
    );
    assert_eq!(out, b"xx");
    let (mut buf, mut other, calls) = (Vec::new(), Vec::new(), Cell::new(0));
    assert_eq!(
        mut_reference_used_by_value::chosen_by_a_branch(&mut buf, &mut other, false, &calls),
        Ok(2)
    );
    assert_eq!((buf, other), (vec![1, 1], vec![2, 2]));
}

#[test]
fn mut_borrows_of_send_types_keep_the_future_send() {
    let runtime = current_thread();
    let mut counter = Counter {
        calls: Cell::new(0),
    };
    assert_eq!(runtime.block_on(assert_send(counter.bump())), Ok(2));
    let mut counter = Counter {
        calls: Cell::new(0),
    };
    assert_eq!(
        runtime.block_on(assert_send(bump_through(&mut counter))),
        Ok(2)
    );
    let mut counter = Counter {
        calls: Cell::new(0),
    };
    assert_eq!(runtime.block_on(assert_send(counter.bump_typed())), Ok(2));
    let mut counter = Counter {
        calls: Cell::new(0),
    };
    assert_eq!(runtime.block_on(assert_send(counter.tally())), Ok(2));
    let mut counter = Counter {
        calls: Cell::new(0),
    };
    assert_eq!(
        runtime.block_on(assert_send(bump_through_fragment(&mut counter))),
        Ok(2)
    );
}

// ---------------------------------------------------------------------------------------------
// Names in what users read.

struct Db;

impl Db {
    #[retry(wait = fixed(0s), before_sleep = |st| seen.borrow_mut().push(st.function().to_string()))]
    fn connect(seen: &RefCell<Vec<String>>, calls: &Cell<u32>) -> Result<Self, Flaky> {
        flaky(calls, 1)?;
        Ok(Db)
    }

    #[retry(name = "Db::open", wait = fixed(0s), before_sleep = |st| seen.borrow_mut().push(st.function().to_string()))]
    fn open(seen: &RefCell<Vec<String>>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    /// The name from a constant.
    #[retry(name = Self::CLOSE, wait = fixed(0s), before_sleep = |st| seen.borrow_mut().push(st.function().to_string()))]
    fn close(seen: &RefCell<Vec<String>>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    const CLOSE: &str = "db.close";

    /// The name from a constant whatever its spelling (rustc only warns about the case), and
    /// from a macro writing one.
    #[retry(name = Shut, wait = fixed(0s), before_sleep = |st| seen.borrow_mut().push(st.function().to_string()))]
    fn shut(seen: &RefCell<Vec<String>>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    #[retry(name = concat!("db", ".", "flush"), wait = fixed(0s), before_sleep = |st| seen.borrow_mut().push(st.function().to_string()))]
    fn flush(seen: &RefCell<Vec<String>>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }
}

#[allow(non_upper_case_globals)]
const Shut: &str = "db.shut";

/// A name given through a `macro_rules!` fragment, and through a trait's constant.
trait Named {
    const NAME: &'static str;
}

impl Named for Db {
    const NAME: &'static str = "db.named";
}

macro_rules! named {
    ($name:expr, $function:ident) => {
        #[retry(name = $name, wait = fixed(0s), before_sleep = |st| seen.borrow_mut().push(st.function().to_string()))]
        fn $function(seen: &RefCell<Vec<String>>, calls: &Cell<u32>) -> Result<u32, Flaky> {
            flaky(calls, 1)
        }
    };
}

named!("db.fragment", by_fragment);
named!(<Db as Named>::NAME, by_trait);

mod names {
    pub const DB: &str = "names.db";
}

/// A name by a path that shares a token with an argument (`names::DB` beside `names: &str`): the
/// path, not the argument.
#[retry(name = names::DB, wait = fixed(0s), before_sleep = |st| seen.borrow_mut().push(st.function().to_string()))]
fn by_a_path_named_like_an_argument(
    names: &str,
    seen: &RefCell<Vec<String>>,
    calls: &Cell<u32>,
) -> Result<usize, Flaky> {
    flaky(calls, 1).map(|_| names.len())
}

/// A name made by a value that binds a name of an argument's (`{ let names = ..; names[0] }`): the
/// value's own.
#[retry(name = { let names = [names::DB]; names[0] }, wait = fixed(0s), before_sleep = |st| seen.borrow_mut().push(st.function().to_string()))]
fn by_a_local_named_like_an_argument(
    names: &str,
    seen: &RefCell<Vec<String>>,
    calls: &Cell<u32>,
) -> Result<usize, Flaky> {
    flaky(calls, 1).map(|_| names.len())
}

/// `forbid(unused_imports)`: the attribute's import of the runtime is used, and allows nothing.
#[forbid(unused_imports)]
mod forbidding_unused_imports {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    #[retry]
    pub fn plain(calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }
}

#[test]
fn associated_functions_are_named_with_their_type() {
    let seen = RefCell::new(Vec::new());
    assert!(Db::connect(&seen, &Cell::new(0)).is_ok());
    assert!(Db::open(&seen, &Cell::new(0)).is_ok());
    assert!(Db::close(&seen, &Cell::new(0)).is_ok());
    assert!(Db::shut(&seen, &Cell::new(0)).is_ok());
    assert!(Db::flush(&seen, &Cell::new(0)).is_ok());
    assert!(by_fragment(&seen, &Cell::new(0)).is_ok());
    assert!(by_trait(&seen, &Cell::new(0)).is_ok());
    assert_eq!(
        by_a_path_named_like_an_argument("ab", &seen, &Cell::new(0)),
        Ok(2)
    );
    assert_eq!(
        by_a_local_named_like_an_argument("ab", &seen, &Cell::new(0)),
        Ok(2)
    );
    assert_eq!(forbidding_unused_imports::plain(&Cell::new(0)), Ok(2));
    assert_eq!(
        *seen.borrow(),
        [
            "corpus::Db::connect",
            "Db::open",
            "db.close",
            "db.shut",
            "db.flush",
            "db.fragment",
            "db.named",
            "names.db",
            "names.db"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Attributes people stack, and macro fragments.

// clippy reads the function as written, attribute or not: `#[must_use]` on a `Result` is its
// `double_must_use` with `#[retry]` as without.
#[allow(clippy::double_must_use)]
#[must_use]
#[inline]
#[retry(wait = fixed(0s))]
fn stacked(calls: &Cell<u32>) -> Result<u32, Flaky> {
    flaky(calls, 1)
}

#[retry(wait = fixed(0s))]
#[inline(never)]
#[must_use = "a retried outcome"]
fn stacked_below(calls: &Cell<u32>) -> Result<u32, Flaky> {
    flaky(calls, 1)
}

macro_rules! retried {
    ($name:ident, $out:ty, $failures:expr, $body:block) => {
        #[retry(wait = fixed(0s))]
        fn $name(calls: &Cell<u32>) -> $out {
            flaky(calls, $failures)?;
            $body
        }
    };
}

retried!(from_a_macro, Result<u32, Flaky>, 1, { Ok(7) });

macro_rules! whole_body {
    ($name:ident, $calls:ident, $out:ty, $body:block) => {
        #[retry(wait = fixed(0s))]
        fn $name($calls: &Cell<u32>) -> $out $body
    };
}

whole_body!(body_from_a_macro, calls, Result<u32, Flaky>, { flaky(calls, 1) });

macro_rules! with_expression {
    ($name:ident, $failures:expr) => {
        #[retry(wait = fixed(0s), stop = attempts($failures + 1))]
        fn $name(calls: &Cell<u32>) -> Result<u32, Flaky> {
            flaky(calls, $failures)
        }
    };
}

with_expression!(expression_from_a_macro, 2);

macro_rules! cloning {
    ($name:ident, $argument:ident, $cloned:expr) => {
        #[retry(wait = fixed(0s), clone($cloned))]
        fn $name($argument: String, calls: &Cell<u32>) -> Result<u32, Flaky> {
            drop($argument);
            flaky(calls, 1)
        }
    };
}

// `clone(..)` names an argument given as an `expr` fragment (in its invisible group).
cloning!(clone_from_a_fragment, message, message);

/// `attempt = ..` may share the name of an argument compiled out by `#[cfg]`.
#[retry(wait = fixed(0s), attempt = message)]
fn attempt_named_like_a_parameter_compiled_out(
    #[cfg(any())] message: String,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    flaky(calls, 1)?;
    Ok(message.number())
}

#[retry(wait = fixed(0s))]
#[tokio::test(start_paused = true)]
async fn a_tokio_test_below_retry() -> Result<(), Flaky> {
    Ok(())
}

#[tokio::test(start_paused = true)]
#[retry(wait = fixed(0s))]
async fn a_tokio_test_above_retry() -> Result<(), Flaky> {
    Ok(())
}

#[test]
#[retry(wait = fixed(0s))]
fn a_test_above_retry() -> Result<(), Flaky> {
    Ok(())
}

#[test]
fn stacked_attributes_and_macro_fragments() {
    assert_eq!(stacked(&Cell::new(0)), Ok(2));
    assert_eq!(stacked_below(&Cell::new(0)), Ok(2));
    assert_eq!(from_a_macro(&Cell::new(0)), Ok(7));
    assert_eq!(body_from_a_macro(&Cell::new(0)), Ok(2));
    assert_eq!(expression_from_a_macro(&Cell::new(0)), Ok(3));
    assert_eq!(clone_from_a_fragment("hi".to_owned(), &Cell::new(0)), Ok(2));
    assert_eq!(
        attempt_named_like_a_parameter_compiled_out(&Cell::new(0)),
        Ok(2)
    );
}

// ---------------------------------------------------------------------------------------------
// `#[async_trait]` and `#[tracing::instrument]`, in either order.

#[async_trait::async_trait]
trait Store {
    async fn get(&self, key: String) -> Result<u32, Flaky>;
    async fn put(&mut self, key: String) -> Result<u32, Flaky>;
    async fn send(&self, body: String) -> Result<usize, Flaky>;
    async fn consume(self, body: String) -> Result<usize, Flaky>;
}

struct Remote {
    calls: std::sync::atomic::AtomicU32,
    failures: u32,
    tries: u32,
}

impl Remote {
    fn attempt(&self) -> Result<u32, Flaky> {
        use std::sync::atomic::Ordering;
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if call <= self.failures {
            Err(Flaky("down"))
        } else {
            Ok(call)
        }
    }
}

#[async_trait::async_trait]
impl Store for Remote {
    #[retry(stop = attempts(self.tries), wait = fixed(0s))]
    async fn get(&self, key: String) -> Result<u32, Flaky> {
        let _ = key.len();
        self.attempt()
    }

    #[retry(wait = fixed(0s), before_sleep = |st| assert_eq!(st.function(), "corpus::Remote::put"))]
    async fn put(&mut self, key: String) -> Result<u32, Flaky> {
        self.attempt().map(|n| n + key.len() as u32)
    }

    // Each attempt moves its own copy of `body`.
    #[retry(clone(body), wait = fixed(0s))]
    async fn send(&self, body: String) -> Result<usize, Flaky> {
        let bytes = body.into_bytes();
        self.attempt().map(|_| bytes.len())
    }

    #[retry(clone(self, body), stop = attempts(self.tries), wait = fixed(0s))]
    async fn consume(self, body: String) -> Result<usize, Flaky> {
        let bytes = body.into_bytes();
        let remote = self;
        CONSUMED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        remote.attempt().map(|_| bytes.len())
    }
}

static CONSUMED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// An `#[async_trait]` method on `&mut self` of a `Send` but not `Sync` type: its boxed future
/// must be `Send`, which the attempt's unique reborrow of `self` keeps it.
#[async_trait::async_trait]
trait Tally {
    async fn tally(&mut self) -> Result<u32, Flaky>;
}

#[async_trait::async_trait]
impl Tally for Counter {
    #[retry(wait = fixed(0s))]
    async fn tally(&mut self) -> Result<u32, Flaky> {
        flaky(&self.calls, 1)
    }
}

impl Clone for Remote {
    fn clone(&self) -> Self {
        Remote {
            calls: std::sync::atomic::AtomicU32::new(
                self.calls.load(std::sync::atomic::Ordering::SeqCst),
            ),
            failures: self.failures,
            tries: self.tries,
        }
    }
}

#[test]
fn methods_of_an_async_trait_impl_retry() {
    let runtime = current_thread();
    let remote = Remote {
        calls: Default::default(),
        failures: 2,
        tries: 3,
    };
    assert_eq!(runtime.block_on(remote.get("k".to_owned())), Ok(3));
    let remote = Remote {
        calls: Default::default(),
        failures: 5,
        tries: 2,
    };
    assert!(runtime.block_on(remote.get("k".to_owned())).is_err());
    assert_eq!(remote.calls.into_inner(), 2);
    let mut remote = Remote {
        calls: Default::default(),
        failures: 1,
        tries: 0,
    };
    assert_eq!(runtime.block_on(remote.put("key".to_owned())), Ok(5));
    let remote = Remote {
        calls: Default::default(),
        failures: 2,
        tries: 0,
    };
    assert_eq!(runtime.block_on(remote.send("body".to_owned())), Ok(4));
    assert_eq!(remote.calls.into_inner(), 3);
    let remote = Remote {
        calls: Default::default(),
        failures: 5,
        tries: 3,
    };
    // Each attempt consumes a fresh copy of `self` as the call received it, and the stop reads
    // the copy kept aside.
    assert!(runtime.block_on(remote.consume("body".to_owned())).is_err());
    assert_eq!(CONSUMED.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[tracing::instrument(skip(calls))]
#[retry(wait = fixed(0s))]
async fn instrumented_above(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 1)?;
    Ok(message.len())
}

#[tracing::instrument(skip(calls), err, ret)]
#[retry(wait = fixed(0s))]
async fn instrumented_above_with_events(
    message: String,
    calls: &Cell<u32>,
) -> Result<usize, Flaky> {
    flaky(calls, 1)?;
    Ok(message.len())
}

#[retry(wait = fixed(0s))]
#[tracing::instrument(skip(calls))]
async fn instrumented_below(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 1)?;
    Ok(message.len())
}

#[tracing::instrument(skip(calls))]
#[retry(wait = fixed(0s))]
fn instrumented_above_sync(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 1)?;
    Ok(message.len())
}

#[test]
fn instrument_above_or_below() {
    let runtime = current_thread();
    let calls = Cell::new(0);
    assert_eq!(
        runtime.block_on(instrumented_above("four".to_owned(), &calls)),
        Ok(4)
    );
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert_eq!(
        runtime.block_on(instrumented_above_with_events("four".to_owned(), &calls)),
        Ok(4)
    );
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert_eq!(
        runtime.block_on(instrumented_below("four".to_owned(), &calls)),
        Ok(4)
    );
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert_eq!(instrumented_above_sync("four".to_owned(), &calls), Ok(4));
    assert_eq!(calls.get(), 2);
}

/// `clone(self)` with a value that reads `self`: the value reads the copy kept aside, which the
/// attempt has not moved.
#[derive(Clone)]
struct Consumed {
    tries: u32,
}

impl Consumed {
    #[retry(clone(self), stop = attempts(self.tries), wait = fixed(0s))]
    fn consume(self, calls: &Cell<u32>) -> Result<u32, Flaky> {
        calls.set(calls.get() + 1);
        let consumed: Consumed = self;
        let _ = consumed.tries;
        Err(Flaky("down"))
    }
}

#[test]
fn a_value_reads_a_cloned_self_from_the_copy_kept_aside() {
    let calls = Cell::new(0);
    assert!(Consumed { tries: 3 }.consume(&calls).is_err());
    assert_eq!(calls.get(), 3);
}

/// A module without the implicit prelude: the expansion names everything by absolute path.
mod without_prelude {
    #![no_implicit_prelude]

    #[::persevere::retry(
        stop = attempts(3) | elapsed(5s),
        wait = exponential(max = 1s),
        sleep = ::persevere::sleep::RecordingSleeper::new(),
        after = |s| { let _ = s.attempt(); }
    )]
    pub fn sync(calls: &::std::cell::Cell<u32>) -> ::std::result::Result<u32, super::Flaky> {
        super::flaky(calls, 1)
    }

    #[::persevere::retry(
        stop = attempts(3),
        name = "without_prelude",
        sleep = ::persevere::sleep::RecordingSleeper::new()
    )]
    pub async fn not_sync(
        calls: &::std::cell::Cell<u32>,
    ) -> ::std::result::Result<u32, super::Flaky> {
        super::flaky(calls, 1)
    }
}

#[test]
fn a_module_without_the_implicit_prelude() {
    let calls = Cell::new(0);
    assert_eq!(without_prelude::sync(&calls), Ok(2));
    let calls = Cell::new(0);
    assert_eq!(
        current_thread().block_on(without_prelude::not_sync(&calls)),
        Ok(2)
    );
}

// `#[tracing::instrument]` with `#[retry]` on a method of an `#[async_trait]` impl, in either
// order: async_trait rewrites the method first, then the upper attribute runs.
#[async_trait::async_trait]
trait Lookup {
    async fn above(&self, key: String) -> Result<u32, Flaky>;
    async fn above_with_events(&self, key: String) -> Result<u32, Flaky>;
    async fn below(&self, key: String) -> Result<u32, Flaky>;
}

#[async_trait::async_trait]
impl Lookup for Remote {
    #[tracing::instrument(skip(self))]
    #[retry(stop = attempts(self.tries), wait = fixed(0s))]
    async fn above(&self, key: String) -> Result<u32, Flaky> {
        self.attempt().map(|n| n + key.len() as u32)
    }

    #[tracing::instrument(skip(self), err, ret)]
    #[retry(stop = attempts(self.tries), wait = fixed(0s))]
    async fn above_with_events(&self, key: String) -> Result<u32, Flaky> {
        self.attempt().map(|n| n + key.len() as u32)
    }

    #[retry(stop = attempts(self.tries), wait = fixed(0s))]
    #[tracing::instrument(skip(self))]
    async fn below(&self, key: String) -> Result<u32, Flaky> {
        self.attempt().map(|n| n + key.len() as u32)
    }
}

#[test]
fn instrument_and_retry_on_an_async_trait_method_in_either_order() {
    let runtime = current_thread();
    let remote = || Remote {
        calls: Default::default(),
        failures: 2,
        tries: 3,
    };
    assert_eq!(runtime.block_on(remote().above("ab".to_owned())), Ok(5));
    assert_eq!(
        runtime.block_on(remote().above_with_events("ab".to_owned())),
        Ok(5)
    );
    assert_eq!(runtime.block_on(remote().below("ab".to_owned())), Ok(5));
}

/// The attempts of a retried `#[tokio::test]`: the first two fail, and the third checks that the
/// two sleeps took `slept` on the test's paused clock and next to nothing on the wall's.
struct PausedAttempts {
    calls: std::sync::atomic::AtomicU32,
    started: std::sync::OnceLock<(std::time::Instant, tokio::time::Instant)>,
}

impl PausedAttempts {
    const fn new() -> Self {
        PausedAttempts {
            calls: std::sync::atomic::AtomicU32::new(0),
            started: std::sync::OnceLock::new(),
        }
    }

    fn attempt(&self, slept: std::time::Duration) -> Result<(), String> {
        let (wall, virtual_start) = *self
            .started
            .get_or_init(|| (std::time::Instant::now(), tokio::time::Instant::now()));
        let call = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if call < 3 {
            return Err(format!("attempt {call}"));
        }
        assert_eq!(virtual_start.elapsed(), slept);
        assert!(
            wall.elapsed() < std::time::Duration::from_millis(500),
            "{:?}",
            wall.elapsed()
        );
        Ok(())
    }
}

// `#[tokio::test]` above `#[retry]`: tokio's expansion runs first, and the retry loop goes inside
// the future it blocks on, so the test's paused clock drives the sleeps (it took 2 s of real time
// when the whole runtime was retried with a blocking sleep).
static ABOVE: PausedAttempts = PausedAttempts::new();

#[tokio::test(start_paused = true)]
#[retry(wait = fixed(1s), stop = attempts(3))]
async fn tokio_test_above_retry() -> Result<(), String> {
    ABOVE.attempt(std::time::Duration::from_secs(2))
}

// `#[tracing::instrument]` between `#[tokio::test]` and `#[retry]`: instrument wraps tokio's
// blocking body in its span, and the loop still goes inside tokio's future, on the test's clock
// (each attempt built a runtime of its own and slept 10 s in real time).
static BETWEEN: PausedAttempts = PausedAttempts::new();
static PLAIN_BETWEEN: PausedAttempts = PausedAttempts::new();

#[tokio::test(start_paused = true)]
#[tracing::instrument(err)]
#[retry(wait = fixed(10s), stop = attempts(3))]
async fn instrument_between_tokio_test_and_retry() -> Result<(), String> {
    BETWEEN.attempt(std::time::Duration::from_secs(20))
}

#[tokio::test(start_paused = true)]
#[tracing::instrument]
#[retry(wait = fixed(10s), stop = attempts(3))]
async fn plain_instrument_between_tokio_test_and_retry() -> Result<(), String> {
    PLAIN_BETWEEN.attempt(std::time::Duration::from_secs(20))
}

// Return types named like what is not a `Result` but aliasing one: the types judge, not names.
mod results_by_other_names {
    use persevere::retry;

    use super::{Flaky, flaky};

    #[allow(dead_code)]
    type Option<T> = Result<T, Flaky>;

    #[retry(wait = fixed(0s))]
    pub fn aliased_as_option(calls: &std::cell::Cell<u32>) -> Option<u32> {
        flaky(calls, 1)
    }

    #[retry(wait = fixed(0s))]
    pub fn lock_result(lock: &std::sync::Mutex<u32>) -> std::sync::LockResult<u32> {
        lock.lock()
            .map(|guard| *guard)
            .map_err(|_| std::sync::PoisonError::new(0))
    }

    pub mod core {
        pub type AppResult<T> = Result<T, super::Flaky>;
    }

    #[retry(wait = fixed(0s))]
    pub fn under_a_module_named_core(calls: &std::cell::Cell<u32>) -> core::AppResult<u32> {
        flaky(calls, 1)
    }
}

#[test]
fn results_named_otherwise_are_retried() {
    let calls = Cell::new(0);
    assert_eq!(results_by_other_names::aliased_as_option(&calls), Ok(2));
    let calls = Cell::new(0);
    assert_eq!(
        results_by_other_names::under_a_module_named_core(&calls),
        Ok(2)
    );
    let lock = std::sync::Mutex::new(7);
    assert_eq!(results_by_other_names::lock_result(&lock).ok(), Some(7));
}

// Valid code near the macro's checks: each compiles and retries as written.
mod near_the_checks {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicU32, Ordering};

    use persevere::retry;

    use super::{Flaky, flaky};

    // `_` inside an array length's anonymous constant is no placeholder of the signature.
    #[allow(clippy::let_with_type_underscore)]
    #[retry(wait = fixed(0s))]
    pub fn inferred_in_a_length(
        calls: &Cell<u32>,
    ) -> Result<
        [u8; {
            let n: _ = 2;
            n
        }],
        Flaky,
    > {
        flaky(calls, 1).map(|_| [0; 2])
    }

    // A hook writing through a raw pointer argument: the pointer is read, and written through.
    #[retry(wait = fixed(0s), after = |_| unsafe { *failures += 1 })]
    pub fn counts_through_a_pointer(failures: *mut u32, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    // A lint the body meets, expected on the function: still fulfilled (or allowed).
    #[expect(clippy::needless_return)]
    #[retry(wait = fixed(0s))]
    pub fn expects_a_lint(calls: &Cell<u32>) -> Result<u32, Flaky> {
        return flaky(calls, 1);
    }

    // The same, with `#[tracing::instrument]` above.
    #[tracing::instrument(skip_all)]
    #[expect(clippy::needless_return)]
    #[retry(wait = fixed(0s))]
    pub fn expects_a_lint_under_instrument(calls: &Cell<u32>) -> Result<u32, Flaky> {
        return flaky(calls, 1);
    }

    // Through two pointers, the outer one raw.
    #[retry(wait = fixed(0s), after = |_| unsafe { **failures += 1 })]
    pub fn counts_through_two_pointers(
        failures: &*mut u32,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    // The same pointer in a field, and behind a type alias.
    pub struct Counters {
        pub failures: *mut u32,
    }
    pub type Raw = *mut u32;

    #[retry(wait = fixed(0s), after = |_| unsafe { *counters.failures += 1 })]
    pub fn counts_through_a_field(counters: &Counters, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    #[retry(wait = fixed(0s), after = |_| unsafe { *failures += 1 })]
    pub fn counts_through_an_alias(failures: Raw, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    // Under `hedge`, a `mut` argument changed only in a `move` closure's copy, or in an arm
    // `#[cfg]` takes out.
    #[retry(hedge = 1h, wait = fixed(0s))]
    pub async fn changes_a_copy(mut offset: u32, key: u8, calls: &AtomicU32) -> Result<u32, Flaky> {
        let mut next = move || {
            offset += 1;
            offset
        };
        match key {
            #[cfg(any())]
            0 => offset += 1,
            _ => {}
        }
        let seen = next();
        if calls.fetch_add(1, Ordering::Relaxed) < 1 {
            Err(Flaky("down"))
        } else {
            Ok(seen)
        }
    }
}

// Another attribute imported as `retry`, below this one: not given twice.
mod another_retry {
    use persevere::retry as persevere_retry;
    use tracing::instrument as retry;

    use super::{Flaky, flaky};

    #[persevere_retry(wait = fixed(0s))]
    #[retry]
    pub fn instrumented(calls: &std::cell::Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }
}

#[test]
fn valid_code_near_the_checks_compiles_and_retries() {
    let calls = Cell::new(0);
    assert_eq!(near_the_checks::inferred_in_a_length(&calls), Ok([0, 0]));
    assert_eq!(calls.get(), 2);
    let (calls, mut failures) = (Cell::new(0), 0u32);
    assert_eq!(
        near_the_checks::counts_through_a_pointer(&mut failures, &calls),
        Ok(2)
    );
    assert_eq!(failures, 1);
    let calls = Cell::new(0);
    assert_eq!(near_the_checks::expects_a_lint(&calls), Ok(2));
    let calls = Cell::new(0);
    assert_eq!(
        near_the_checks::expects_a_lint_under_instrument(&calls),
        Ok(2)
    );
    let (calls, mut failures) = (Cell::new(0), 0u32);
    assert_eq!(
        near_the_checks::counts_through_two_pointers(&(&raw mut failures), &calls),
        Ok(2)
    );
    assert_eq!(failures, 1);
    let (calls, mut failures) = (Cell::new(0), 0u32);
    let counters = near_the_checks::Counters {
        failures: &mut failures,
    };
    assert_eq!(
        near_the_checks::counts_through_a_field(&counters, &calls),
        Ok(2)
    );
    let calls = Cell::new(0);
    assert_eq!(
        near_the_checks::counts_through_an_alias(counters.failures, &calls),
        Ok(2)
    );
    assert_eq!(failures, 2);
    let calls = std::sync::atomic::AtomicU32::new(0);
    assert_eq!(
        current_thread().block_on(near_the_checks::changes_a_copy(5, 1, &calls)),
        Ok(6)
    );
    let calls = Cell::new(0);
    assert_eq!(another_retry::instrumented(&calls), Ok(2));
}

// Arguments used by value where nothing is moved: each compiles and retries.
mod nothing_moved {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    pub struct Settings {
        pub threads: u32,
        pub host: String,
    }

    #[retry(wait = fixed(0s))]
    pub fn destructured(settings: Settings, calls: &Cell<u32>) -> Result<u32, Flaky> {
        let Settings { threads, ref host } = settings;
        flaky(calls, 1).map(|_| threads + host.len() as u32)
    }

    #[allow(clippy::toplevel_ref_arg)]
    #[retry(wait = fixed(0s))]
    pub fn borrowed_by_ref(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
        let ref borrowed = message;
        let _: String = message;
        _ = message;
        flaky(calls, 1).map(|_| borrowed.len())
    }

    #[retry(wait = fixed(0s))]
    pub fn field_in_a_move_closure(settings: Settings, calls: &Cell<u32>) -> Result<u32, Flaky> {
        let threads = move || settings.threads;
        flaky(calls, 1).map(|_| threads())
    }

    /// Rebinds its argument under the same name, as the caller wrote it.
    macro_rules! fresh {
        ($name:ident) => {
            let $name = $name.clone();
        };
    }

    #[retry(wait = fixed(0s))]
    pub fn rebound_by_a_macro(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
        fresh!(message);
        let owned: String = message;
        flaky(calls, 1).map(|_| owned.len())
    }

    /// A parameter pattern matching a unit struct: `Token` in the body is a new value.
    pub struct Token;

    fn spend(_: Token) {}

    #[retry(wait = fixed(0s))]
    pub fn matches_a_unit_struct(Token: Token, calls: &Cell<u32>) -> Result<u32, Flaky> {
        spend(Token);
        flaky(calls, 1)
    }

    #[retry(wait = fixed(0s))]
    pub fn reassigned(mut message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
        let length;
        (message, length) = (format!("{message}!"), 1);
        flaky(calls, 1).map(|_| message.len() + length)
    }
}

#[test]
fn arguments_used_without_a_move_are_fine() {
    let settings = || nothing_moved::Settings {
        threads: 4,
        host: "ab".to_owned(),
    };
    let calls = Cell::new(0);
    assert_eq!(nothing_moved::destructured(settings(), &calls), Ok(6));
    let calls = Cell::new(0);
    assert_eq!(
        nothing_moved::borrowed_by_ref("abc".to_owned(), &calls),
        Ok(3)
    );
    let calls = Cell::new(0);
    assert_eq!(
        nothing_moved::field_in_a_move_closure(settings(), &calls),
        Ok(4)
    );
    let calls = Cell::new(0);
    assert_eq!(
        nothing_moved::rebound_by_a_macro("abc".to_owned(), &calls),
        Ok(3)
    );
    let calls = Cell::new(0);
    assert_eq!(
        nothing_moved::matches_a_unit_struct(nothing_moved::Token, &calls),
        Ok(2)
    );
    let calls = Cell::new(0);
    // The change carries into the next attempt, as documented for a `mut` argument.
    assert_eq!(nothing_moved::reassigned("ab".to_owned(), &calls), Ok(5));
}

// ---------------------------------------------------------------------------------------------
// Values that take their type from the setter: a time limit is a `Duration`, which `.into()` and
// `Default::default()` infer from.

mod time_limits_inferred {
    use std::time::Duration;

    use persevere::{Timeout, retry};

    #[derive(Debug, PartialEq)]
    pub struct Cut;

    impl From<Timeout> for Cut {
        fn from(_: Timeout) -> Cut {
            Cut
        }
    }

    pub struct Seconds(pub u64);

    impl From<Seconds> for Duration {
        fn from(seconds: Seconds) -> Duration {
            Duration::from_secs(seconds.0)
        }
    }

    #[retry(stop = attempts(1), timeout = Seconds(limit).into(), total_timeout = Duration::from_secs(limit))]
    pub async fn inferred(limit: u64) -> Result<u32, Cut> {
        Ok(7)
    }

    // Compiled, not called: a zero limit.
    #[allow(dead_code)]
    #[retry(stop = attempts(1), total_timeout = Default::default())]
    pub async fn defaulted() -> Result<u32, Cut> {
        Ok(7)
    }
}

#[test]
fn time_limits_infer_their_type_from_the_setter() {
    let runtime = current_thread();
    assert_eq!(runtime.block_on(time_limits_inferred::inferred(5)), Ok(7));
}

// The runtime adds no `+` to std's types: a crate that uses persevere keeps `Duration + x`
// inferring `x` from `Duration`'s own `Add` (a stand-in of tenacity's `wait_fixed` once added
// one, and these stopped compiling).
fn durations_summed(
    start: std::time::Duration,
    delays: &[std::time::Duration],
) -> std::time::Duration {
    start + delays.iter().sum()
}

fn duration_plus_default(start: std::time::Duration) -> std::time::Duration {
    start + Default::default()
}

#[test]
fn durations_keep_their_own_addition() {
    let second = std::time::Duration::from_secs(1);
    assert_eq!(durations_summed(second, &[second, second]), 3 * second);
    assert_eq!(duration_plus_default(second), second);
}

// Values reading parameters in a crate that forbids `non_snake_case`: the expansion's reference
// to a const generic `N` is snake case too (an `allow` on it would be refused under `forbid`).
// And a `macro_rules!` whose caller writes the attribute's values reading the macro's parameter.
#[forbid(non_snake_case)]
mod forbidding_non_snake_case {
    use persevere::retry;

    use super::{Flaky, flaky};

    #[retry(stop = attempts(N), wait = fixed(0s))]
    pub fn const_generic<const N: u32>(calls: &std::cell::Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 9)
    }

    macro_rules! retried {
        ($($values:tt)*) => {
            #[retry($($values)*)]
            pub fn from_a_macro(tries: u32, calls: &std::cell::Cell<u32>) -> Result<u32, Flaky> {
                let _ = tries;
                flaky(calls, 9)
            }
        };
    }
    retried!(stop = attempts(tries), wait = fixed(0s));

    // Leading underscores, and a kept copy of one.
    #[retry(stop = attempts(_tries), wait = fixed(0s), clone(_label))]
    pub fn underscored(
        _tries: u32,
        _label: String,
        calls: &std::cell::Cell<u32>,
    ) -> Result<u32, Flaky> {
        drop(_label);
        flaky(calls, 9)
    }

    // The same name declared by a macro and by its caller: each read is the one its hygiene
    // names, as in the body (the caller's `n`, 5, here).
    macro_rules! twice_named {
        ($n:ident, $stop:expr) => {
            #[retry(stop = $stop, wait = fixed(0s))]
            pub fn twice_named(
                n: u32,
                $n: u32,
                calls: &std::cell::Cell<u32>,
            ) -> Result<u32, Flaky> {
                let _ = (n, $n);
                flaky(calls, 9)
            }
        };
    }
    twice_named!(n, attempts(n));

    // A parameter read in a macro's `expr` or `ident` fragment, as an argument and as a method's
    // receiver: no parentheses of the expansion's are unnecessary.
    macro_rules! fragments {
        ($name:ident, $tries:expr, $base:ident) => {
            #[retry(stop = attempts($tries), wait = fixed($base.min(std::time::Duration::ZERO)))]
            pub fn $name(
                n: u32,
                pause: std::time::Duration,
                calls: &std::cell::Cell<u32>,
            ) -> Result<u32, Flaky> {
                let _ = (n, pause);
                flaky(calls, 9)
            }
        };
    }
    fragments!(from_fragments, n, pause);

    // A fragment before a postfix operator (`$cfg.tries`, `$more.pow(1)` given `n + 1`), and a
    // macro of the user's matching a read token by token.
    pub struct Tries {
        pub tries: u32,
    }

    macro_rules! add {
        ($a:tt + $b:tt) => {
            $a + $b
        };
    }

    macro_rules! postfix_fragments {
        ($name:ident, $cfg:expr, $more:expr) => {
            #[retry(stop = attempts($cfg.tries.min($more.pow(1)).min(add!(n + n))), wait = fixed(0s))]
            pub fn $name(cfg: &Tries, n: u32, calls: &std::cell::Cell<u32>) -> Result<u32, Flaky> {
                let _ = (cfg.tries, n);
                flaky(calls, 9)
            }
        };
    }
    postfix_fragments!(from_postfix_fragments, cfg, n + 1);

    // Fragments holding more than a name, under an operator and a cast.
    macro_rules! operator_fragments {
        ($name:ident, $more:expr, $less:expr) => {
            #[retry(stop = attempts($more * 2 + (-$less as u32)), wait = fixed(0s))]
            pub fn $name(n: u32, k: i32, calls: &std::cell::Cell<u32>) -> Result<u32, Flaky> {
                let _ = (n, k);
                flaky(calls, 99)
            }
        };
    }
    operator_fragments!(from_operator_fragments, n + 1, k - 10);
}

#[test]
fn parameters_read_under_forbid_and_through_a_macro() {
    let calls = Cell::new(0);
    assert!(forbidding_non_snake_case::const_generic::<2>(&calls).is_err());
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert!(forbidding_non_snake_case::from_a_macro(3, &calls).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(forbidding_non_snake_case::underscored(4, String::new(), &calls).is_err());
    assert_eq!(calls.get(), 4);
    let calls = Cell::new(0);
    assert!(forbidding_non_snake_case::twice_named(2, 5, &calls).is_err());
    assert_eq!(calls.get(), 5);
    let calls = Cell::new(0);
    let pause = std::time::Duration::from_secs(1);
    assert!(forbidding_non_snake_case::from_fragments(3, pause, &calls).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    let cfg = forbidding_non_snake_case::Tries { tries: 5 };
    // min(5, 3 + 1, 3 + 3)
    assert!(forbidding_non_snake_case::from_postfix_fragments(&cfg, 3, &calls).is_err());
    assert_eq!(calls.get(), 4);
    let calls = Cell::new(0);
    // (1 + 1) * 2 + -(7 - 10)
    assert!(forbidding_non_snake_case::from_operator_fragments(1, 7, &calls).is_err());
    assert_eq!(calls.get(), 7);
}

// A `self` taken by value that the body only reads, or of a `Copy` type, is used again by each
// attempt, as any argument is: no error, as without the attribute.
mod by_value_self {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    #[derive(Clone, Copy)]
    pub struct Id(pub u32);

    impl Id {
        #[retry(wait = fixed(0s))]
        pub fn fetch(self, calls: &Cell<u32>) -> Result<u32, Flaky> {
            flaky(calls, 1)?;
            Ok(self.0)
        }

        /// Moved as a whole: a copy.
        #[retry(wait = fixed(0s))]
        pub fn moved(self, calls: &Cell<u32>) -> Result<u32, Flaky> {
            flaky(calls, 1)?;
            let Id(id) = std::convert::identity(self);
            Ok(id)
        }

        #[retry(wait = fixed(0s), hedge = 10s)]
        pub async fn hedged(self, calls: &Cell<u32>) -> Result<u32, Flaky> {
            flaky(calls, 1)?;
            Ok(self.0)
        }
    }

    pub struct Request {
        pub path: String,
        pub port: u16,
    }

    impl Request {
        /// A `Copy` field moved out of a `self` that is not `Copy`: a copy.
        #[retry(wait = fixed(0s))]
        pub fn port(self, calls: &Cell<u32>) -> Result<u16, Flaky> {
            flaky(calls, 1)?;
            Ok(self.port)
        }

        #[retry(wait = fixed(0s))]
        pub async fn length(self, calls: &Cell<u32>) -> Result<usize, Flaky> {
            flaky(calls, 1)?;
            Ok(self.path.len())
        }

        /// A `mut self`'s changes carry into the next attempt, as a `mut` argument's do.
        #[retry(wait = fixed(0s))]
        pub fn grown(mut self, calls: &Cell<u32>) -> Result<usize, Flaky> {
            self.path.push('/');
            flaky(calls, 1)?;
            Ok(self.path.len())
        }
    }
}

#[test]
fn a_self_by_value_that_is_only_read_or_copied_is_used_by_each_attempt() {
    use by_value_self::{Id, Request};
    let calls = Cell::new(0);
    assert_eq!(Id(7).fetch(&calls), Ok(7));
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert_eq!(Id(8).moved(&calls), Ok(8));
    let calls = Cell::new(0);
    assert_eq!(current_thread().block_on(Id(9).hedged(&calls)), Ok(9));
    let calls = Cell::new(0);
    let request = Request {
        path: "/a".into(),
        port: 80,
    };
    assert_eq!(current_thread().block_on(request.length(&calls)), Ok(2));
    let calls = Cell::new(0);
    let request = Request {
        path: "/a".into(),
        port: 80,
    };
    assert_eq!(request.grown(&calls), Ok(4));
    let calls = Cell::new(0);
    let request = Request {
        path: "/a".into(),
        port: 80,
    };
    assert_eq!(request.port(&calls), Ok(80));
}

/// A format string in a value that reads an argument, or `self`, by itself (`"{host}"`,
/// `"{self:?}"`), as Rust lets any format string do, and names nothing else of the call: read as
/// the value's other reads are, sync and async; a name the value binds itself, and escaped
/// braces, stay as written.
mod format_strings_reading_arguments {
    use std::cell::{Cell, RefCell};

    use persevere::retry;

    use super::{Flaky, flaky};

    thread_local! {
        pub static SEEN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    fn note(line: String) {
        SEEN.with(|seen| seen.borrow_mut().push(line));
    }

    #[retry(
        stop = attempts(2),
        wait = 0s,
        after = |s| note(format!("{host} #{}", s.attempt())),
        before_sleep = |s| { let host = s.attempt(); note(format!("{host} {{host}}")) }
    )]
    pub fn sync(host: String, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    #[retry(stop = attempts(2), wait = 0s, after = |_| note(format!("{port:>width$}")))]
    pub async fn asynchronous(port: u16, width: usize, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    #[derive(Debug)]
    pub struct Client(#[allow(dead_code)] pub u8);

    impl Client {
        #[retry(stop = attempts(2), wait = 0s, after = |_| note(format!("{self:?}")))]
        pub fn call(&self, calls: &Cell<u32>) -> Result<u32, Flaky> {
            flaky(calls, 1)
        }
    }

    /// A string that is no format string (compared, or an argument), and a macro of the user's
    /// named like `tracing`'s: left as written.
    macro_rules! warn {
        ($message:literal) => {
            note($message.to_owned())
        };
    }

    #[retry(
        stop = attempts(2),
        wait = 0s,
        after = |_| { warn!("{host}"); note(format!("{}{}", "{host}", "")) },
        retry_if = |_| host.as_str() != "{host}"
    )]
    pub fn not_formatted(host: String, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    /// What the values wrote, cleared.
    pub fn seen() -> Vec<String> {
        SEEN.with(|seen| seen.take())
    }
}

#[test]
fn format_strings_may_read_arguments_by_themselves() {
    use format_strings_reading_arguments::*;
    assert!(sync("db".into(), &Cell::new(0)).is_ok());
    assert_eq!(seen(), ["db #1", "1 {host}"]);
    assert!(
        current_thread()
            .block_on(asynchronous(80, 5, &Cell::new(0)))
            .is_ok()
    );
    assert_eq!(seen(), ["   80"]);
    assert!(Client(7).call(&Cell::new(0)).is_ok());
    assert_eq!(seen(), ["Client(7)"]);
    assert!(not_formatted("db".into(), &Cell::new(0)).is_ok());
    assert_eq!(seen(), ["{host}", "{host}"]);
}

/// Settings by name, or another library's setting name as a method, at the start of a block in
/// a value: the block the attribute puts them in is not read as a statement of its own.
mod settings_at_the_start_of_a_block {
    use std::cell::{Cell, RefCell};
    use std::time::Duration;

    use persevere::retry;

    use super::{Flaky, flaky};

    const FAST: bool = true;

    #[retry(
        stop = attempts(2),
        wait = if FAST { exponential(multiplier = 1ms, max = 1s) + 1ms } else { exponential() + 2ms },
        sleep = |d| waits.borrow_mut().push(d)
    )]
    pub fn named(waits: &RefCell<Vec<Duration>>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }
}

#[test]
fn settings_at_the_start_of_a_block_stay_expressions() {
    let waits = RefCell::new(Vec::new());
    assert_eq!(
        settings_at_the_start_of_a_block::named(&waits, &Cell::new(0)),
        Ok(2)
    );
    assert_eq!(*waits.borrow(), [std::time::Duration::from_millis(2)]);
}
