//! Spellings users reach for: tenacity's named settings, strategy functions named without their
//! parentheses, and retries counted as retries. Each through the attribute and through `Policy`.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use persevere::sleep::RecordingSleeper;
use persevere::{Policy, retry};

#[derive(Debug, PartialEq)]
struct Down;

impl std::fmt::Display for Down {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("down")
    }
}

impl std::error::Error for Down {}

/// tenacity's `wait_random(min=1, max=3)`.
#[retry(stop = attempts(40), wait = random(min = 1s, max = 3s), sleep = |d| waits.borrow_mut().push(d))]
fn random_by_name(waits: &RefCell<Vec<Duration>>) -> Result<(), Down> {
    Err(Down)
}

/// Only `max`: `min` keeps tenacity's default, 0.
#[retry(stop = attempts(40), wait = random(max = 10ms), sleep = |d| waits.borrow_mut().push(d))]
fn random_by_max(waits: &RefCell<Vec<Duration>>) -> Result<(), Down> {
    Err(Down)
}

#[test]
fn random_takes_named_settings() {
    let waits = RefCell::new(Vec::new());
    assert_eq!(random_by_name(&waits), Err(Down));
    let waits = waits.into_inner();
    assert_eq!(waits.len(), 39);
    assert!(
        waits
            .iter()
            .all(|wait| (Duration::from_secs(1)..=Duration::from_secs(3)).contains(wait)),
        "{waits:?}"
    );
    // Spread over the range, not stuck at one end.
    assert!(waits.iter().any(|wait| *wait < Duration::from_secs(2)));
    assert!(waits.iter().any(|wait| *wait > Duration::from_secs(2)));

    let waits = RefCell::new(Vec::new());
    assert_eq!(random_by_max(&waits), Err(Down));
    assert!(
        waits
            .borrow()
            .iter()
            .all(|wait| *wait <= Duration::from_millis(10))
    );

    // The same strategy through `Policy`.
    let wait = persevere::wait::Random::default()
        .min(Duration::from_secs(1))
        .max(Duration::from_secs(3));
    let schedule = Policy::new()
        .stop(persevere::stop::attempts(40))
        .wait(wait)
        .schedule::<(), Down>(40);
    assert!(
        schedule
            .waits
            .iter()
            .all(|wait| (Duration::from_secs(1)..=Duration::from_secs(3)).contains(wait))
    );
}

#[derive(Debug)]
struct Outer(Down);

impl std::fmt::Display for Outer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("outer")
    }
}

impl std::error::Error for Outer {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// `error_type::<X>` named without parentheses is called, as `stop = never` is.
#[retry(retry_if = error_type::<Down>, wait = fixed(0s), stop = attempts(3))]
fn error_type_without_parentheses(calls: &Cell<u32>) -> Result<(), Outer> {
    calls.set(calls.get() + 1);
    Err(Outer(Down))
}

#[test]
fn error_type_is_called_when_named_bare() {
    let calls = Cell::new(0);
    assert!(error_type_without_parentheses(&calls).is_err());
    assert_eq!(calls.get(), 3);
}

/// A strategy function named without parentheses beside an operator is called there too; a
/// constant or a parameter beside one stays what it is.
const TWO: persevere::stop::Attempts = persevere::stop::attempts(2);

#[retry(
    stop = never | attempts(4) | TWO,
    wait = none + fixed(1s),
    retry_if = never | any_error,
    sleep = sleeper.clone()
)]
fn bare_operands(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<(), Down> {
    calls.set(calls.get() + 1);
    Err(Down)
}

#[retry(stop = attempts(4) | extra, wait = fixed(0s), retry_if = any_error | never)]
fn bare_parameter_operand(
    extra: &persevere::stop::Attempts,
    calls: &Cell<u32>,
) -> Result<(), Down> {
    calls.set(calls.get() + 1);
    Err(Down)
}

/// A constant under `!` is the constant: `!` gives its operand its type from the whole.
const RETRY_ANY: persevere::condition::AnyError = persevere::condition::any_error();

#[retry(retry_if = !RETRY_ANY, wait = fixed(0s))]
fn negated_constant(calls: &Cell<u32>) -> Result<(), Down> {
    calls.set(calls.get() + 1);
    Err(Down)
}

#[retry(retry_if = never() | !RETRY_ANY, wait = fixed(0s))]
fn negated_constant_beside_an_operator(calls: &Cell<u32>) -> Result<(), Down> {
    calls.set(calls.get() + 1);
    Err(Down)
}

#[test]
fn a_negated_constant_is_a_condition() {
    let calls = Cell::new(0);
    assert_eq!(negated_constant(&calls), Err(Down));
    assert_eq!(calls.get(), 1);
    let calls = Cell::new(0);
    assert_eq!(negated_constant_beside_an_operator(&calls), Err(Down));
    assert_eq!(calls.get(), 1);
}

#[test]
fn bare_names_beside_operators_are_called() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(bare_operands(&sleeper, &calls), Err(Down));
    assert_eq!(calls.get(), 2);
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(1)]);

    let calls = Cell::new(0);
    let three = persevere::stop::attempts(3);
    assert_eq!(bare_parameter_operand(&three, &calls), Err(Down));
    assert_eq!(calls.get(), 3);

    // The same policy, with the calls written out.
    use persevere::condition::{any_error, never as no_ok};
    use persevere::stop::{attempts, never};
    use persevere::wait::{fixed, none};
    let policy = Policy::new()
        .stop(never() | attempts(4) | TWO)
        .wait(none() + fixed(Duration::from_secs(1)))
        .retry_if(!no_ok() & any_error())
        .sleeper(RecordingSleeper::new());
    let calls = Cell::new(0);
    let outcome = policy.call(|| {
        calls.set(calls.get() + 1);
        Err::<(), _>(Down)
    });
    assert_eq!((outcome, calls.get()), (Err(Down), 2));
}

/// Only the operators that combine the value's strategies read their bare operands so: names
/// inside blocks and calls, comparisons and compound assignments stay ordinary Rust.
const FLAGS: u32 = 2;
static MODES: Vec<u32> = Vec::new();

#[retry(
    stop = if MODES == vec![1] { attempts(9) } else { attempts(FLAGS | 1) },
    wait = { let mut d = 1s; d += 1s; fixed(d) },
    sleep = sleeper.clone()
)]
fn operators_inside_values(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<(), Down> {
    calls.set(calls.get() + 1);
    Err(Down)
}

#[retry(stop = { let base = attempts(2); base | never() }, wait = fixed(0s))]
fn operator_first_in_a_statement(calls: &Cell<u32>) -> Result<(), Down> {
    calls.set(calls.get() + 1);
    Err(Down)
}

#[test]
fn operators_inside_values_are_ordinary_rust() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(operators_inside_values(&sleeper, &calls), Err(Down));
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(2); 2]);
    let calls = Cell::new(0);
    assert_eq!(operator_first_in_a_statement(&calls), Err(Down));
    assert_eq!(calls.get(), 2);
}

/// Retries counted as the seeds count them.
#[retry(stop = retries(2), wait = fixed(1s), sleep = sleeper.clone())]
fn two_retries(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<(), Down> {
    calls.set(calls.get() + 1);
    Err(Down)
}

#[test]
fn retries_count_retries() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(two_retries(&sleeper, &calls), Err(Down));
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(1); 2]);
}

/// `log(level)` takes tenacity's level names as `tracing` spells them, and the `Level` values.
#[retry(before_sleep = log(warn), after = log(persevere::hook::Level::Debug), wait = fixed(0s))]
fn logged(calls: &Cell<u32>) -> Result<(), Down> {
    calls.set(calls.get() + 1);
    if calls.get() < 2 { Err(Down) } else { Ok(()) }
}

#[test]
fn log_takes_levels_by_name_and_value() {
    let calls = Cell::new(0);
    assert_eq!(logged(&calls), Ok(()));
    assert_eq!(calls.get(), 2);
}

/// A boxed strategy behind a reference (a field read through `&self`, a parameter), for each
/// family.
struct Configured {
    wait: Box<dyn persevere::wait::Wait<(), Down> + Send + Sync>,
    stop: Box<dyn persevere::stop::Stop<(), Down> + Send + Sync>,
    retry_if: Box<dyn persevere::condition::Condition<(), Down> + Send + Sync>,
}

impl Configured {
    #[retry(wait = &self.wait, stop = &self.stop, retry_if = &self.retry_if, sleep = sleeper.clone())]
    fn call(&self, sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<(), Down> {
        calls.set(calls.get() + 1);
        Err(Down)
    }
}

#[test]
fn references_to_boxed_strategies_are_strategies() {
    let configured = Configured {
        wait: Box::new(persevere::wait::fixed(Duration::from_millis(7))),
        stop: Box::new(persevere::stop::attempts(3)),
        retry_if: Box::new(persevere::condition::any_error()),
    };
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(configured.call(&sleeper, &calls), Err(Down));
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(7); 2]);
}

/// A closure beside `|` or `+`, in parentheses or not, gets its parameter's type.
#[retry(
    stop = attempts(9) | (|s| s.attempt() >= 3),
    wait = fixed(1s) + (|_s| Duration::from_millis(5)),
    sleep = |d| waits.borrow_mut().push(d)
)]
fn parenthesized_closures(waits: &RefCell<Vec<Duration>>) -> Result<(), Down> {
    Err(Down)
}

#[test]
fn closures_in_parentheses_beside_operators() {
    let waits = RefCell::new(Vec::new());
    assert_eq!(parenthesized_closures(&waits), Err(Down));
    assert_eq!(*waits.borrow(), [Duration::from_millis(1005); 2]);
}

/// A closure beside `|` in `retry_if` with its parameter's type written, as before it could be left out.
#[retry(
    stop = attempts(3),
    retry_if = never() | |e: &Down| *e == Down,
    sleep = |d| waits.borrow_mut().push(d),
    wait = 0ms
)]
fn condition_beside_an_operator(waits: &RefCell<Vec<Duration>>) -> Result<(), Down> {
    Err(Down)
}

#[test]
fn a_typed_closure_beside_an_operator_in_retry_if() {
    let waits = RefCell::new(Vec::new());
    assert_eq!(condition_beside_an_operator(&waits), Err(Down));
    assert_eq!(waits.borrow().len(), 2);
}

// ---- predicates on the error beside a condition's operators and under its `!` ----------------

fn is_fatal(error: &&'static str) -> bool {
    *error == "fatal"
}

fn is_timeout(error: &&'static str) -> bool {
    *error == "timeout"
}

/// Fails with each of `errors` in turn, then succeeds; counts its attempts.
fn next_error(errors: &RefCell<Vec<&'static str>>, calls: &Cell<u32>) -> Result<u32, &'static str> {
    calls.set(calls.get() + 1);
    match errors.borrow_mut().pop() {
        Some(error) => Err(error),
        None => Ok(calls.get()),
    }
}

#[retry(retry_if = !is_fatal, wait = 0s, stop = attempts(10))]
fn unless_fatal(
    errors: &RefCell<Vec<&'static str>>,
    calls: &Cell<u32>,
) -> Result<u32, &'static str> {
    next_error(errors, calls)
}

#[retry(retry_if = is_timeout | is_fatal, wait = 0s, stop = attempts(10))]
fn timeout_or_fatal(
    errors: &RefCell<Vec<&'static str>>,
    calls: &Cell<u32>,
) -> Result<u32, &'static str> {
    next_error(errors, calls)
}

#[retry(retry_if = any_error & !is_fatal, wait = 0s, stop = attempts(10))]
fn any_but_fatal(
    errors: &RefCell<Vec<&'static str>>,
    calls: &Cell<u32>,
) -> Result<u32, &'static str> {
    next_error(errors, calls)
}

#[retry(retry_if = !(is_timeout | is_fatal), wait = 0s, stop = attempts(10))]
fn neither(errors: &RefCell<Vec<&'static str>>, calls: &Cell<u32>) -> Result<u32, &'static str> {
    next_error(errors, calls)
}

/// The errors in the order the attempts meet them.
fn errors(in_order: &[&'static str]) -> RefCell<Vec<&'static str>> {
    RefCell::new(in_order.iter().rev().copied().collect())
}

#[test]
fn predicates_combine_and_negate_as_on_error_of_them() {
    let calls = Cell::new(0);
    assert_eq!(
        unless_fatal(&errors(&["busy", "busy", "fatal", "busy"]), &calls),
        Err("fatal")
    );
    assert_eq!(calls.get(), 3);
    // `!` negates within errors: a success is not retried.
    let calls = Cell::new(0);
    assert_eq!(unless_fatal(&errors(&["busy"]), &calls), Ok(2));

    let calls = Cell::new(0);
    assert_eq!(
        timeout_or_fatal(&errors(&["timeout", "fatal", "busy"]), &calls),
        Err("busy")
    );
    assert_eq!(calls.get(), 3);

    let calls = Cell::new(0);
    assert_eq!(
        any_but_fatal(&errors(&["busy", "timeout", "fatal"]), &calls),
        Err("fatal")
    );
    assert_eq!(calls.get(), 3);

    let calls = Cell::new(0);
    assert_eq!(
        neither(&errors(&["busy", "timeout"]), &calls),
        Err("timeout")
    );
    assert_eq!(calls.get(), 2);

    // The same conditions written out in `Policy`.
    use persevere::condition::{any_error, on_error};
    let policy = Policy::new()
        .retry_if(any_error() & !on_error(is_fatal))
        .stop(persevere::stop::attempts(10))
        .wait(persevere::wait::none())
        .sleeper(|_| {});
    let calls = Cell::new(0);
    let list = errors(&["busy", "timeout", "fatal"]);
    assert_eq!(policy.call(|| next_error(&list, &calls)), Err("fatal"));
    assert_eq!(calls.get(), 3);
}

// ---- untyped closures inside a condition's operators ------------------------------------------

#[retry(retry_if = never() | |e| *e == "busy", wait = 0s, stop = attempts(10))]
fn busy_beside_never(
    errors: &RefCell<Vec<&'static str>>,
    calls: &Cell<u32>,
) -> Result<u32, &'static str> {
    next_error(errors, calls)
}

#[retry(retry_if = !(|e| e.starts_with("fatal")) & any_error, wait = 0s, stop = attempts(10))]
fn not_fatal_closure(
    errors: &RefCell<Vec<&'static str>>,
    calls: &Cell<u32>,
) -> Result<u32, &'static str> {
    next_error(errors, calls)
}

#[retry(retry_if = is_timeout | (|e| e.len() == 4), wait = 0s, stop = attempts(10))]
async fn timeout_or_four_letters(
    errors: &RefCell<Vec<&'static str>>,
    calls: &Cell<u32>,
) -> Result<u32, &'static str> {
    next_error(errors, calls)
}

#[test]
fn untyped_closures_beside_a_conditions_operators_take_the_error() {
    let calls = Cell::new(0);
    assert_eq!(
        busy_beside_never(&errors(&["busy", "busy", "down"]), &calls),
        Err("down")
    );
    assert_eq!(calls.get(), 3);

    let calls = Cell::new(0);
    assert_eq!(
        not_fatal_closure(&errors(&["busy", "fatal: disk", "busy"]), &calls),
        Err("fatal: disk")
    );
    assert_eq!(calls.get(), 2);

    let calls = Cell::new(0);
    let outcome = block_on(timeout_or_four_letters(
        &errors(&["timeout", "busy", "unavailable"]),
        &calls,
    ));
    assert_eq!((outcome, calls.get()), (Err("unavailable"), 3));
}

/// Polls a future that never waits (every sleep here is zero and skipped by `wait = 0s`).
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(future)
}

// ---- untyped closures given to on_error, on_ok, from_error and when ----------------------------

#[retry(retry_if = on_error(|e| e.starts_with("busy")), wait = 0s, stop = attempts(10))]
fn busy_errors(
    errors: &RefCell<Vec<&'static str>>,
    calls: &Cell<u32>,
) -> Result<u32, &'static str> {
    next_error(errors, calls)
}

/// Succeeds with the attempt's number; `on_ok(|n| ..)` retries the odd ones.
#[retry(retry_if = on_ok(|n| n % 2 == 1) | on_error(|_| true), wait = 0s, stop = attempts(10))]
fn even_attempt(
    errors: &RefCell<Vec<&'static str>>,
    calls: &Cell<u32>,
) -> Result<u32, &'static str> {
    next_error(errors, calls)
}

#[retry(
    retry_if = any_error(),
    wait = when(|e| e.starts_with('t'), fixed(1s)).or_when(|e| e.is_empty(), 5s)
        + from_error(|e| Duration::from_millis(e.len() as u64), 9s),
    stop = attempts(10),
    sleep = |d| waits.borrow_mut().push(d)
)]
fn waits_by_error(
    errors: &RefCell<Vec<&'static str>>,
    calls: &Cell<u32>,
    waits: &RefCell<Vec<Duration>>,
) -> Result<u32, &'static str> {
    next_error(errors, calls)
}

#[test]
fn closures_given_to_on_error_on_ok_from_error_and_when_take_the_outcomes_types() {
    let calls = Cell::new(0);
    assert_eq!(
        busy_errors(&errors(&["busy", "busy now", "down"]), &calls),
        Err("down")
    );
    assert_eq!(calls.get(), 3);

    let calls = Cell::new(0);
    assert_eq!(even_attempt(&errors(&["down", "down"]), &calls), Ok(4));

    let (calls, waits) = (Cell::new(0), RefCell::new(Vec::new()));
    assert_eq!(
        waits_by_error(&errors(&["busy", "timeout"]), &calls, &waits),
        Ok(3)
    );
    let default = persevere::DEFAULT_WAIT;
    let expected: Vec<Duration> = vec![
        Duration::from_millis(4)
            + persevere::wait::Wait::<u32, &str>::next_wait(
                &default,
                &persevere::RetryState::new(1),
            ),
        Duration::from_millis(7) + Duration::from_secs(1),
    ];
    assert_eq!(*waits.borrow(), expected);
}

// ---- a wait's sum starting with durations written in place -------------------------------------

#[retry(
    wait = 250ms + fixed(1s) + (1ms + 2ms) + exponential(multiplier = 1ms),
    stop = attempts(3),
    sleep = |d| waits.borrow_mut().push(d)
)]
fn leading_durations(waits: &RefCell<Vec<Duration>>) -> Result<(), Down> {
    Err(Down)
}

const BASE: Duration = Duration::from_millis(40);

#[retry(wait = BASE + fixed(2ms) + BASE, stop = attempts(2), sleep = |d| waits.borrow_mut().push(d))]
fn leading_constant(waits: &RefCell<Vec<Duration>>) -> Result<(), Down> {
    Err(Down)
}

#[retry(wait = 1s + 500ms, stop = attempts(2), sleep = |d| waits.borrow_mut().push(d))]
fn durations_alone(waits: &RefCell<Vec<Duration>>) -> Result<(), Down> {
    Err(Down)
}

// A parameter is a name on its own too: a `Duration` first in a sum, a stop beside `|`, a
// predicate under `!`.
#[retry(wait = base + fixed(2ms), stop = attempts(2), sleep = |d| waits.borrow_mut().push(d))]
fn leading_parameter(base: Duration, waits: &RefCell<Vec<Duration>>) -> Result<(), Down> {
    Err(Down)
}

#[retry(stop = limit | attempts(9), wait = 0s, sleep = |_| ())]
fn stop_parameter(limit: persevere::stop::Attempts, calls: &Cell<u32>) -> Result<(), Down> {
    calls.set(calls.get() + 1);
    Err(Down)
}

#[retry(stop = attempts(5), retry_if = !fatal, wait = 0s, sleep = |_| ())]
fn negated_parameter(fatal: fn(&Coded) -> bool, calls: &Cell<u32>) -> Result<(), Coded> {
    calls.set(calls.get() + 1);
    Err(Coded(calls.get() as u8))
}

#[retry(
    wait = from_error(|e| if e.0 == 0 { 1s } else { 2s }, 9s) + fixed(5ms),
    stop = attempts(2),
    sleep = |d| waits.borrow_mut().push(d)
)]
fn from_error_first(waits: &RefCell<Vec<Duration>>) -> Result<(), Coded> {
    Err(Coded(0))
}

#[derive(Debug, PartialEq)]
struct Coded(u8);

#[test]
fn a_wait_from_the_error_adds_as_every_wait_does() {
    let waits = RefCell::new(Vec::new());
    assert_eq!(from_error_first(&waits), Err(Coded(0)));
    assert_eq!(*waits.borrow(), [Duration::from_millis(1005)]);

    use persevere::wait::{Wait, fixed, from_error};
    let wait = from_error(|e: &u16| Duration::from_secs(u64::from(*e)), Duration::ZERO)
        + fixed(Duration::from_millis(1));
    let failed: Result<(), u16> = Err(2);
    let state = persevere::RetryState::new(1).with_outcome(&failed);
    assert_eq!(wait.next_wait(&state), Duration::from_millis(2001));
}

#[test]
fn a_sum_may_start_with_durations() {
    let waits = RefCell::new(Vec::new());
    assert_eq!(leading_durations(&waits), Err(Down));
    let ms = Duration::from_millis;
    assert_eq!(*waits.borrow(), [ms(1254), ms(1255)]);

    let waits = RefCell::new(Vec::new());
    assert_eq!(durations_alone(&waits), Err(Down));
    assert_eq!(*waits.borrow(), [ms(1500)]);

    let waits = RefCell::new(Vec::new());
    assert_eq!(leading_constant(&waits), Err(Down));
    assert_eq!(*waits.borrow(), [ms(82)]);

    let waits = RefCell::new(Vec::new());
    assert_eq!(leading_parameter(ms(40), &waits), Err(Down));
    assert_eq!(*waits.borrow(), [ms(42)]);
}

#[test]
fn parameters_are_operands_as_names_are() {
    let calls = Cell::new(0);
    assert_eq!(
        stop_parameter(persevere::stop::attempts(2), &calls),
        Err(Down)
    );
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert_eq!(negated_parameter(|e| e.0 >= 3, &calls), Err(Coded(3)));
    assert_eq!(calls.get(), 3);
}

// ---- functions and closures of the retry state on the left of an operator ----------------------

use persevere::RetryState;

fn on_quota(state: &RetryState<'_, (), Coded>) -> bool {
    state.error().is_some_and(|e| e.0 == 9)
}

fn generic_on_quota<T>(state: &RetryState<'_, T, Coded>) -> bool {
    state.error().is_some_and(|e| e.0 == 9)
}

fn hundredfold(state: &RetryState<'_, (), Coded>) -> Duration {
    Duration::from_millis(100 * u64::from(state.attempt()))
}

/// Fails with `codes`' next code each attempt (9 once they run out).
fn next_code(codes: &RefCell<Vec<u8>>) -> Result<(), Coded> {
    Err(Coded(codes.borrow_mut().pop().unwrap_or(9)))
}

#[retry(stop = on_quota | attempts(5), wait = hundredfold + fixed(1ms), sleep = |d| waits.borrow_mut().push(d))]
fn function_first(codes: &RefCell<Vec<u8>>, waits: &RefCell<Vec<Duration>>) -> Result<(), Coded> {
    next_code(codes)
}

#[retry(stop = generic_on_quota & attempts(2), wait = none(), sleep = |_| ())]
fn generic_function_first(codes: &RefCell<Vec<u8>>) -> Result<(), Coded> {
    next_code(codes)
}

#[retry(
    stop = (|state| state.attempt() >= 3) | attempts(9),
    wait = (|state| Duration::from_secs(u64::from(state.attempt()))) + 2ms,
    sleep = |d| waits.borrow_mut().push(d)
)]
fn closure_first(codes: &RefCell<Vec<u8>>, waits: &RefCell<Vec<Duration>>) -> Result<(), Coded> {
    next_code(codes)
}

#[test]
fn functions_and_closures_of_the_state_combine_on_the_left_too() {
    let ms = Duration::from_millis;

    // `on_quota` stops at the third attempt's code 9, before `attempts(5)`.
    let (codes, waits) = (RefCell::new(vec![9, 1, 1]), RefCell::new(Vec::new()));
    assert_eq!(function_first(&codes, &waits), Err(Coded(9)));
    assert_eq!(*waits.borrow(), [ms(101), ms(201)]);

    // Both must say so: neither the quota error of the first attempt nor the second attempt's
    // other error stops; the third attempt's quota error (9, once `codes` ran out) does.
    let codes = RefCell::new(vec![1, 9]);
    assert_eq!(generic_function_first(&codes), Err(Coded(9)));
    assert!(codes.borrow().is_empty());

    let (codes, waits) = (RefCell::new(vec![1; 9]), RefCell::new(Vec::new()));
    assert_eq!(closure_first(&codes, &waits), Err(Coded(1)));
    assert_eq!(*waits.borrow(), [ms(1002), ms(2002)]);

    // The same values through `Policy`, where `from_fn` gives a closure its operators.
    use persevere::stop::{attempts, from_fn as stop_fn};
    use persevere::wait::{fixed, from_fn as wait_fn};
    let sleeper = RecordingSleeper::new();
    let codes = RefCell::new(vec![9, 1, 1]);
    let outcome = Policy::new()
        .stop(stop_fn(on_quota) | attempts(5))
        .wait(wait_fn(hundredfold) + fixed(ms(1)))
        .sleeper(sleeper.clone())
        .call(|| next_code(&codes));
    assert_eq!(outcome, Err(Coded(9)));
    assert_eq!(sleeper.sleeps(), [ms(101), ms(201)]);
}
