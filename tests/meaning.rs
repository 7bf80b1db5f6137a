//! A value means the same in the attribute as in `Policy`, however it is spelled: a bare path, a
//! `const`, a `static`, a call, a method chain, a value from a macro, a user's own builder, a
//! `Duration`, a reference, a box. Each case runs both ways and compares calls and sleeps.

use std::cell::Cell;
use std::time::Duration;

use persevere::condition::{Condition, OnOk, always, on_ok};
use persevere::sleep::RecordingSleeper;
use persevere::stop::{Attempts, Elapsed, Stop, StopAny, attempts, elapsed};
use persevere::wait::{Exponential, Fixed, Wait, exponential, fixed};
use persevere::{Policy, RetryState, retry};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(list: &[u64]) -> Vec<Duration> {
    list.iter().map(|s| Duration::from_secs(*s)).collect()
}

/// Counts calls and returns `Ok(0)` every time: only a condition that retries `Ok` values
/// makes a second call.
fn zero(calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    Ok(0)
}

fn down(calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    Err(format!("down {}", calls.get()))
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

const RETRY_ZERO: OnOk<fn(&u32) -> bool> = on_ok(is_zero as fn(&u32) -> bool);
static RETRY_ZERO_STATIC: OnOk<fn(&u32) -> bool> = on_ok(is_zero as fn(&u32) -> bool);

// ---- Conditions that retry `Ok` values, however they are written ----

#[retry(stop = attempts(3), wait = 0s, retry_if = always)]
fn bare_always(calls: &Cell<u32>) -> Result<u32, String> {
    zero(calls)
}

#[retry(stop = attempts(3), wait = 0s, retry_if = RETRY_ZERO)]
fn const_condition(calls: &Cell<u32>) -> Result<u32, String> {
    zero(calls)
}

#[retry(stop = attempts(3), wait = 0s, retry_if = &RETRY_ZERO_STATIC)]
fn static_condition(calls: &Cell<u32>) -> Result<u32, String> {
    zero(calls)
}

/// A user's method, to reach a value through a method chain.
trait Itself: Sized {
    fn itself(self) -> Self {
        self
    }
}

impl<T> Itself for T {}

#[retry(stop = attempts(3), wait = 0s, retry_if = on_ok(is_zero).itself())]
fn method_chain_condition(calls: &Cell<u32>) -> Result<u32, String> {
    zero(calls)
}

fn boxed_condition() -> Box<dyn Condition<u32, String>> {
    Box::new(on_ok(|value: &u32| *value == 0))
}

#[retry(stop = attempts(3), wait = 0s, retry_if = boxed_condition())]
fn boxed_condition_call(calls: &Cell<u32>) -> Result<u32, String> {
    zero(calls)
}

#[test]
fn conditions_that_retry_values_retry_them_in_every_spelling() {
    for (name, call) in [
        (
            "bare `always`",
            bare_always as fn(&Cell<u32>) -> Result<u32, String>,
        ),
        ("a const", const_condition),
        ("a static", static_condition),
        ("a method chain", method_chain_condition),
        ("a boxed condition", boxed_condition_call),
    ] {
        let calls = Cell::new(0);
        assert_eq!(call(&calls), Ok(0), "{name}");
        assert_eq!(calls.get(), 3, "{name}: the `Ok(0)` was not retried");
    }
    // The same values in `Policy`.
    let policy = Policy::new().stop(attempts(3)).wait(Duration::ZERO);
    for (name, calls) in [
        ("always()", {
            let calls = Cell::new(0);
            let _ = policy.retry_if(always()).call(|| zero(&calls));
            calls.get()
        }),
        ("a const", {
            let calls = Cell::new(0);
            let _ = policy.retry_if(RETRY_ZERO).call(|| zero(&calls));
            calls.get()
        }),
        ("a static", {
            let calls = Cell::new(0);
            let _ = policy.retry_if(&RETRY_ZERO_STATIC).call(|| zero(&calls));
            calls.get()
        }),
        ("a boxed condition", {
            let calls = Cell::new(0);
            let _ = policy.retry_if(boxed_condition()).call(|| zero(&calls));
            calls.get()
        }),
    ] {
        assert_eq!(calls, 3, "Policy with {name}");
    }
}

// ---- A time limit reached through a user's extension method ----

trait OrAfter {
    fn or_after(self, limit: Duration) -> StopAny<Attempts, Elapsed>;
}

impl OrAfter for Attempts {
    fn or_after(self, limit: Duration) -> StopAny<Attempts, Elapsed> {
        self | elapsed(limit)
    }
}

#[retry(stop = attempts(50).or_after(2s), wait = fixed(1s), sleep = sleeper.clone())]
fn chained_stop(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[test]
fn a_stop_reached_through_a_method_chain_keeps_its_time_limit() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(chained_stop(&sleeper, &calls), Err("down 3".into()));
    // Attempts end at 0 s, 1 s and 2 s of the virtual clock; the third sees 2 s >= 2 s.
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), secs(&[1, 1]));

    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    let outcome = Policy::new()
        .stop(attempts(50).or_after(Duration::from_secs(2)))
        .wait(fixed(Duration::from_secs(1)))
        .sleeper(sleeper.clone())
        .call(|| down(&calls));
    assert_eq!((outcome, calls.get()), (Err("down 3".into()), 3));
    assert_eq!(sleeper.sleeps(), secs(&[1, 1]));
}

// ---- Waits: from macros, from the user's own builder, plain durations, references, boxes ----

#[retry(stop = attempts(4), wait = chain_vec(vec![fixed(1s), fixed(2s)]).unwrap(), sleep = sleeper.clone())]
fn from_a_macro(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[retry(stop = attempts(3), wait = from_error(|e: &String| if e.ends_with('1') { 3s } else { 5s }, 0s), sleep = sleeper.clone())]
fn wait_from_error(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

/// A user's own wait strategy with a builder setting.
#[derive(Clone, Copy)]
struct MyBackoff {
    floor: Duration,
}

fn my_backoff() -> MyBackoff {
    MyBackoff { floor: ms(10) }
}

impl MyBackoff {
    fn floor(self, floor: Duration) -> Self {
        MyBackoff { floor }
    }
}

impl<T, E> Wait<T, E> for MyBackoff {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        self.floor * state.attempt()
    }
}

#[retry(stop = attempts(3), wait = my_backoff(floor = 1s), sleep = sleeper.clone())]
fn users_builder(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[retry(stop = attempts(3), wait = 250ms, sleep = sleeper.clone())]
fn plain_duration(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

const BACKOFF: Exponential = exponential()
    .min(Duration::from_secs(4))
    .max(Duration::from_secs(10));

#[retry(stop = attempts(5), wait = &BACKOFF, sleep = sleeper.clone())]
fn reference_to_a_const(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

fn chosen_at_run_time(slow: bool) -> Box<dyn Wait<u32, String>> {
    if slow {
        Box::new(fixed(Duration::from_secs(7)))
    } else {
        Box::new(Duration::from_secs(1))
    }
}

#[retry(stop = attempts(3), wait = chosen_at_run_time(slow), sleep = sleeper.clone())]
fn boxed_wait(slow: bool, sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[test]
fn waits_mean_the_same_in_every_spelling() {
    type Retried = dyn Fn(&RecordingSleeper, &Cell<u32>) -> Result<u32, String>;
    let run = |f: &Retried| {
        let sleeper = RecordingSleeper::new();
        let calls = Cell::new(0);
        let _ = f(&sleeper, &calls);
        sleeper.sleeps()
    };
    assert_eq!(run(&from_a_macro), secs(&[1, 2, 2]));
    assert_eq!(run(&wait_from_error), secs(&[3, 5]));
    assert_eq!(run(&users_builder), secs(&[1, 2]));
    assert_eq!(run(&plain_duration), vec![ms(250); 2]);
    assert_eq!(run(&reference_to_a_const), secs(&[4, 4, 4, 8]));
    assert_eq!(run(&|s, c| boxed_wait(true, s, c)), secs(&[7, 7]));
    assert_eq!(run(&|s, c| boxed_wait(false, s, c)), secs(&[1, 1]));

    // The same values in `Policy`.
    let policy_sleeps = |wait: Box<dyn Wait<u32, String>>, stop: u32| {
        let sleeper = RecordingSleeper::new();
        let calls = Cell::new(0);
        let _ = Policy::new()
            .stop(attempts(stop))
            .wait(wait)
            .sleeper(sleeper.clone())
            .call(|| down(&calls));
        sleeper.sleeps()
    };
    let chain = persevere::wait::chain_vec(vec![
        fixed(Duration::from_secs(1)),
        fixed(Duration::from_secs(2)),
    ]);
    assert_eq!(policy_sleeps(Box::new(chain.unwrap()), 4), secs(&[1, 2, 2]));
    assert_eq!(
        policy_sleeps(Box::new(my_backoff().floor(Duration::from_secs(1))), 3),
        secs(&[1, 2])
    );
    assert_eq!(policy_sleeps(Box::new(ms(250)), 3), vec![ms(250); 2]);
    assert_eq!(policy_sleeps(Box::new(&BACKOFF), 5), secs(&[4, 4, 4, 8]));
    assert_eq!(policy_sleeps(chosen_at_run_time(true), 3), secs(&[7, 7]));
}

// ---- Stops: bare names, statics, boxes ----

static THREE: Attempts = attempts(3);

fn boxed_stop() -> Box<dyn Stop<u32, String> + Send + Sync> {
    Box::new(attempts(2))
}

#[retry(stop = THREE, wait = 0s)]
fn static_stop(calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[retry(stop = boxed_stop(), wait = none)]
fn boxed_stop_call(calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[retry(stop = never, wait = none, retry_if = |e| !e.ends_with('5'))]
fn bare_never(calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[test]
fn stops_mean_the_same_in_every_spelling() {
    let calls = Cell::new(0);
    assert_eq!(static_stop(&calls), Err("down 3".into()));
    let calls = Cell::new(0);
    assert_eq!(boxed_stop_call(&calls), Err("down 2".into()));
    let calls = Cell::new(0);
    assert_eq!(bare_never(&calls), Err("down 5".into()));

    let calls = Cell::new(0);
    let outcome = Policy::new()
        .stop(&THREE)
        .wait(Fixed::default_zero())
        .call(|| down(&calls));
    assert_eq!(outcome, Err("down 3".into()));
    let calls = Cell::new(0);
    let outcome = Policy::new()
        .stop(boxed_stop())
        .wait(Duration::ZERO)
        .call(|| down(&calls));
    assert_eq!(outcome, Err("down 2".into()));
}

/// A zero wait, spelled through the type, for the `Policy` side above.
trait DefaultZero {
    fn default_zero() -> Self;
}

impl DefaultZero for Fixed {
    fn default_zero() -> Self {
        fixed(Duration::ZERO)
    }
}

// ---- Hooks: level names are the runtime's ----

#[test]
fn log_takes_a_level_by_name_by_value_or_from_tracing() {
    use persevere::hook::{Level, level, log};
    assert_eq!(log(level::warn), log(Level::Warn));
    assert_eq!(log(tracing::Level::DEBUG), log(level::debug));
    assert_eq!(persevere::hook::Log::at(Level::Info), log(level::info));
}

// ---- The names a value sees do not leak into closures' own bindings ----

#[retry(
    stop = attempts(2),
    wait = none,
    after = |state| {
        // `error`, `warn` and `debug` are hook names in scope here; bindings still shadow them.
        let error = state.error().cloned().unwrap_or_default();
        let debug = error.len();
        seen.set(seen.get() + debug);
    }
)]
fn bindings_shadow_names(seen: &Cell<usize>) -> Result<u32, String> {
    Err("abc".into())
}

#[test]
fn closure_bindings_shadow_the_runtimes_names() {
    let seen = Cell::new(0);
    assert_eq!(bindings_shadow_names(&seen), Err("abc".into()));
    assert_eq!(seen.get(), 6);
}
