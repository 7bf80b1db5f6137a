//! Valid code whose own items and parameters are named after every public name of the runtime: it
//! compiles with `#[retry]` exactly as it would without it, warns about nothing, and the user's
//! names win over the runtime's wherever the attribute's values meet them.
//!
//! - `signatures`: types named after every name `persevere` exports at its root (and modules
//!   named after its modules), in the parameter and return types of retried functions.
//! - `strategies`: module-level functions and types named like the runtime's strategies, used
//!   in values: the module's win, as their different waits and attempt counts show.
//! - Parameters named like the runtime's functions, read by values.
//! - Undecorated twins: the same function without the attribute returns the same value on a
//!   first-time success.

#![deny(warnings)]

use std::cell::{Cell, RefCell};
use std::time::Duration;

use persevere::retry;
use persevere::sleep::RecordingSleeper;

#[path = "support/flaky.rs"]
mod support;
use support::{Flaky, current_thread, flaky};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A function under `#[retry(..)]` and its undecorated twin, from the same tokens.
macro_rules! twins {
    (
        #[retry($($args:tt)*)]
        $vis:vis async fn $name:ident / $twin:ident ($($params:tt)*) -> $out:ty $body:block
    ) => {
        // By path: a module may have a `retry` of its own.
        #[::persevere::retry($($args)*)]
        $vis async fn $name($($params)*) -> $out $body

        // Parameters only the attribute reads are unused here.
        #[allow(unused_variables)]
        $vis async fn $twin($($params)*) -> $out $body
    };
    (
        #[retry($($args:tt)*)]
        $vis:vis fn $name:ident / $twin:ident ($($params:tt)*) -> $out:ty $body:block
    ) => {
        #[::persevere::retry($($args)*)]
        $vis fn $name($($params)*) -> $out $body

        #[allow(unused_variables)]
        $vis fn $twin($($params)*) -> $out $body
    };
}

// ---------------------------------------------------------------------------------------------
// Types named after every name `persevere` exports at its root, in signatures.

mod signatures {
    use std::cell::Cell;
    use std::fmt;

    use super::{Flaky, flaky};

    // The runtime's root types and traits, the user's own here.

    #[derive(Debug, Clone, Copy, PartialEq)]
    pub struct Attempt(pub u32);
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub struct Name(pub &'static str);
    pub trait Outcome {
        fn score(&self) -> u32;
    }
    pub const DEFAULT_STOP: usize = 2;
    pub const DEFAULT_WAIT: u32 = 5;
    #[derive(Debug, Clone, PartialEq)]
    pub struct Policy {
        pub tries: u32,
    }
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub enum Schedule {
        Daily,
        Hourly,
    }
    #[derive(Debug, PartialEq)]
    pub struct Attempted(pub Vec<u32>);
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub enum OutcomeKind {
        Good,
        Bad,
    }
    #[derive(Debug, PartialEq)]
    pub struct Report(pub u32);
    #[derive(Debug, PartialEq)]
    pub enum Ending {
        Done(u32),
    }
    #[derive(Debug, Default)]
    pub struct RetryState {
        pub seen: Cell<u32>,
    }
    pub trait FromTimeout {
        fn from_timeout(after: u32) -> Self;
    }
    pub trait Limits {
        fn limit(&self) -> u32;
    }
    pub struct NoLimits;
    pub struct SyncLimits(pub u32);
    pub type TimeLimits = (u32, u32);
    #[derive(Debug, PartialEq)]
    pub enum Timeout {
        Persevere,
        Own(u32),
    }

    // The runtime's modules, and its attribute: the user's own here.

    pub mod budget {
        #[derive(Debug, PartialEq)]
        pub struct Budget(pub u32);
    }
    pub mod cancel {
        pub struct Token(pub bool);
    }
    pub mod condition {
        pub type Condition = fn(u32) -> bool;
    }
    pub mod config {
        pub struct Config(pub &'static str);
    }
    pub mod engine {
        pub struct Engine(pub u32);
    }
    pub mod hint {
        pub struct Hint(pub u32);
    }
    pub mod hook {
        pub struct Hook(pub u32);
    }
    pub mod http {
        pub struct Status(pub u16);
    }
    pub mod jitter {
        pub struct Jitter(pub u32);
    }
    pub mod metrics {
        pub struct Counter(pub u32);
    }
    pub mod sleep {
        pub struct Nap(pub u32);
    }
    pub mod stop {
        #[derive(Debug, PartialEq)]
        pub struct Stopped(pub u32);
    }
    pub mod testing {
        pub struct Fixture(pub u32);
    }
    pub mod wait {
        #[derive(Debug, PartialEq)]
        pub struct Waited(pub u32);
    }
    pub mod __private {
        pub struct Hidden(pub u32);
    }

    /// The user's `retry`: this module names the attribute by its path.
    pub fn retry(n: u32) -> u32 {
        n + 1
    }

    impl Outcome for Report {
        fn score(&self) -> u32 {
            self.0
        }
    }

    impl Limits for SyncLimits {
        fn limit(&self) -> u32 {
            self.0
        }
    }

    impl Limits for NoLimits {
        fn limit(&self) -> u32 {
            u32::MAX
        }
    }

    impl FromTimeout for Timeout {
        fn from_timeout(after: u32) -> Self {
            Timeout::Own(after)
        }
    }

    impl From<persevere::Timeout> for Timeout {
        fn from(_: persevere::Timeout) -> Self {
            Timeout::Persevere
        }
    }

    impl fmt::Display for Timeout {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{self:?}")
        }
    }

    impl From<Flaky> for Timeout {
        fn from(_: Flaky) -> Self {
            Timeout::Own(0)
        }
    }

    /// `Report`, `Attempt` and `Timeout` in the signature; the attribute's values name the
    /// runtime's strategies, which these types do not hide.
    #[persevere::retry(stop = attempts(3), wait = fixed(0s))]
    pub fn report(x: &Report, calls: &Cell<u32>) -> Result<Attempt, Timeout> {
        flaky(calls, 2)?;
        Ok(Attempt(x.score() + calls.get()))
    }

    /// `Name`, `Policy`, `Schedule` and `RetryState` as parameters, `Ending` returned; a hook
    /// reads the user's `RetryState` beside the runtime's state it is given.
    #[persevere::retry(
        stop = attempts(policy.tries),
        wait = fixed(0s),
        after = |s| state.seen.set(state.seen.get() + s.attempt()),
        name = "signatures::policy"
    )]
    pub fn policy(
        name: Name,
        policy: &Policy,
        schedule: Schedule,
        state: &RetryState,
        calls: &Cell<u32>,
    ) -> Result<Ending, Timeout> {
        let hours = match schedule {
            Schedule::Daily => 24,
            Schedule::Hourly => 1,
        };
        flaky(calls, 2)?;
        Ok(Ending::Done(hours + name.0.len() as u32))
    }

    /// A generic bound on the user's `Outcome`, the error a generic bounded by the user's
    /// `FromTimeout`, a `[u8; DEFAULT_STOP]` and the user's `OutcomeKind` returned.
    #[persevere::retry(stop = attempts(DEFAULT_STOP as u32 + 1), wait = fixed(0s))]
    pub fn generic<O: Outcome, E: FromTimeout>(
        outcome: &O,
        bytes: [u8; DEFAULT_STOP],
        calls: &Cell<u32>,
    ) -> Result<(OutcomeKind, u32), E> {
        calls.set(calls.get() + 1);
        if calls.get() <= DEFAULT_STOP as u32 {
            return Err(E::from_timeout(calls.get()));
        }
        let kind = if outcome.score() > 0 {
            OutcomeKind::Good
        } else {
            OutcomeKind::Bad
        };
        Ok((kind, bytes.iter().map(|&b| u32::from(b)).sum()))
    }

    /// Limits named like the runtime's time limits; `Timeout` is the user's error type with a
    /// time limit, converted from the runtime's `Timeout`.
    #[persevere::retry(timeout = 10ms, stop = attempts(2), wait = fixed(0s))]
    pub async fn limits(
        limits: &dyn Limits,
        unlimited: NoLimits,
        pair: TimeLimits,
        slow: u32,
        calls: &Cell<u32>,
    ) -> Result<Attempted, Timeout> {
        calls.set(calls.get() + 1);
        if calls.get() <= slow {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
        Ok(Attempted(vec![
            limits.limit(),
            unlimited.limit().min(DEFAULT_WAIT),
            pair.0 + pair.1,
        ]))
    }

    /// Types of modules named like the runtime's modules, and the user's `retry`.
    #[persevere::retry(wait = fixed(0s))]
    #[allow(clippy::too_many_arguments)]
    pub fn modules(
        budget: &budget::Budget,
        token: cancel::Token,
        condition: condition::Condition,
        config: &config::Config,
        engine: engine::Engine,
        hint: hint::Hint,
        hook: hook::Hook,
        status: http::Status,
        jitter: jitter::Jitter,
        counter: metrics::Counter,
        nap: sleep::Nap,
        fixture: testing::Fixture,
        hidden: __private::Hidden,
        calls: &Cell<u32>,
    ) -> Result<(stop::Stopped, wait::Waited), budget::Budget> {
        if flaky(calls, 1).is_err() {
            return Err(budget::Budget(budget.0 + 1));
        }
        let sum = engine.0
            + hint.0
            + hook.0
            + u32::from(status.0)
            + jitter.0
            + counter.0
            + nap.0
            + fixture.0
            + hidden.0
            + config.0.len() as u32
            + u32::from(token.0)
            + u32::from(condition(budget.0));
        Ok((stop::Stopped(retry(sum)), wait::Waited(calls.get())))
    }

    impl fmt::Display for budget::Budget {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "budget {}", self.0)
        }
    }

    twins! {
        #[retry(stop = attempts(2), wait = fixed(0s))]
        pub fn twin_report / twin_report_plain(x: &Report, calls: &Cell<u32>) -> Result<(Attempt, Report), Timeout> {
            flaky(calls, 0)?;
            Ok((Attempt(calls.get()), Report(x.score() * 2)))
        }
    }

    twins! {
        #[retry(stop = attempts(2), wait = fixed(0s), timeout = 1s)]
        pub async fn twin_limits / twin_limits_plain(limits: &SyncLimits, name: Name) -> Result<(u32, Name), Timeout> {
            Ok((limits.limit(), name))
        }
    }
}

#[test]
fn types_named_like_the_runtime_in_signatures() {
    use signatures::*;

    let calls = Cell::new(0);
    assert_eq!(report(&Report(10), &calls), Ok(Attempt(13)));
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert_eq!(report(&Report(10), &Cell::new(5)), Ok(Attempt(16)));
    assert_eq!(calls.get(), 0);

    // Three attempts allowed: the third succeeds; the hook ran after the first two (1 + 2).
    let state = RetryState::default();
    let calls = Cell::new(0);
    let ending = policy(
        Name("abc"),
        &Policy { tries: 3 },
        Schedule::Daily,
        &state,
        &calls,
    );
    assert_eq!(ending, Ok(Ending::Done(27)));
    assert_eq!((calls.get(), state.seen.get()), (3, 3));
    // Two allowed: gives up after the second, the hook having run after both.
    let state = RetryState::default();
    let calls = Cell::new(0);
    let ending = policy(
        Name("x"),
        &Policy { tries: 2 },
        Schedule::Hourly,
        &state,
        &calls,
    );
    assert_eq!(ending, Err(Timeout::Own(0)));
    assert_eq!((calls.get(), state.seen.get()), (2, 3));

    let calls = Cell::new(0);
    let good = generic::<Report, Timeout>(&Report(1), [4, 5], &calls);
    assert_eq!(good, Ok((OutcomeKind::Good, 9)));
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    let bad = generic::<Report, Timeout>(&Report(0), [0, 0], &calls);
    assert_eq!(bad, Ok((OutcomeKind::Bad, 0)));

    // The first attempt outlives its 10 ms, the second returns.
    let runtime = current_thread();
    let calls = Cell::new(0);
    let limited = runtime.block_on(limits(&SyncLimits(7), NoLimits, (1, 2), 1, &calls));
    assert_eq!(limited, Ok(Attempted(vec![7, 5, 3])));
    assert_eq!(calls.get(), 2);
    // Both allowed attempts time out: the runtime's `Timeout` becomes the user's.
    let calls = Cell::new(0);
    let limited = runtime.block_on(limits(&SyncLimits(7), NoLimits, (1, 2), 2, &calls));
    assert_eq!(limited, Err(Timeout::Persevere));
    assert_eq!(calls.get(), 2);

    let calls = Cell::new(0);
    let outcome = modules(
        &budget::Budget(3),
        cancel::Token(true),
        |n| n > 2,
        &config::Config("ab"),
        engine::Engine(1),
        hint::Hint(1),
        hook::Hook(1),
        http::Status(1),
        jitter::Jitter(1),
        metrics::Counter(1),
        sleep::Nap(1),
        testing::Fixture(1),
        __private::Hidden(1),
        &calls,
    );
    // 9 ones, 2 for the config, 1 for the token, 1 for the condition: 13, and `retry` adds one;
    // the first attempt failed.
    assert_eq!(outcome, Ok((stop::Stopped(14), wait::Waited(2))));
}

#[test]
fn twins_in_signatures_return_the_same() {
    use signatures::*;

    let (calls, twin_calls) = (Cell::new(0), Cell::new(0));
    assert_eq!(
        twin_report(&Report(4), &calls),
        twin_report_plain(&Report(4), &twin_calls)
    );
    assert_eq!(
        twin_report(&Report(4), &Cell::new(0)),
        Ok((Attempt(1), Report(8)))
    );
    assert_eq!((calls.get(), twin_calls.get()), (1, 1));

    let runtime = current_thread();
    let decorated = runtime.block_on(twin_limits(&SyncLimits(3), Name("n")));
    let plain = runtime.block_on(twin_limits_plain(&SyncLimits(3), Name("n")));
    assert_eq!(decorated, plain);
    assert_eq!(decorated, Ok((3, Name("n"))));
}

// ---------------------------------------------------------------------------------------------
// The module's functions and types named like the runtime's strategies win inside values.

mod strategies {
    use std::cell::Cell;
    use std::fmt;
    use std::time::Duration;

    use persevere::sleep::RecordingSleeper;
    use persevere::{RetryState, retry};

    use super::{Flaky, flaky};

    /// This module's `fixed`: twice the duration.
    pub fn fixed(wait: Duration) -> persevere::wait::Fixed {
        persevere::wait::fixed(wait * 2)
    }

    /// This module's `attempts`: one more than asked.
    pub fn attempts(n: u32) -> persevere::stop::Attempts {
        persevere::stop::attempts(n + 1)
    }

    /// This module's `retries`: exactly `n` attempts (the runtime's makes `n + 1`).
    pub fn retries(n: u32) -> persevere::stop::Attempts {
        persevere::stop::attempts(n)
    }

    /// This module's `elapsed` counts attempts, and takes a number (the runtime's a duration).
    pub fn elapsed(n: u32) -> persevere::stop::Attempts {
        persevere::stop::attempts(n)
    }

    /// This module's `never`: two attempts.
    pub fn never() -> persevere::stop::Attempts {
        persevere::stop::attempts(2)
    }

    /// This module's `exponential` takes the first wait and multiplies by ten (the runtime's
    /// takes no argument).
    pub fn exponential<T, E>(first: Duration) -> impl Fn(&RetryState<'_, T, E>) -> Duration {
        move |state| first * 10u32.pow(state.attempt() - 1)
    }

    /// This module's `random` is not random: the sum of its bounds.
    pub fn random(min: Duration, max: Duration) -> Duration {
        min + max
    }

    /// This module's `none` waits 5 ms.
    pub fn none() -> Duration {
        Duration::from_millis(5)
    }

    /// This module's `always` retries nothing.
    pub fn always() -> fn(&Flaky) -> bool {
        |_| false
    }

    /// This module's `on_error` takes the message to retry (the runtime's takes a predicate).
    pub fn on_error(message: &'static str) -> impl Fn(&Flaky) -> bool {
        move |error| error.0 == message
    }

    /// This module's levels are numbers, and its `log` adds them up in `sink`.
    pub fn warn() -> u32 {
        7
    }

    pub fn debug() -> u32 {
        100
    }

    pub fn log<T, E>(level: fn() -> u32, sink: &Cell<u32>) -> impl Fn(&RetryState<'_, T, E>) + '_ {
        move |_| sink.set(sink.get() + level())
    }

    /// This module's `Fixed` waits three times its duration.
    pub struct Fixed(pub Duration);

    impl<T, E> persevere::wait::Wait<T, E> for Fixed {
        fn next_wait(&self, _: &RetryState<'_, T, E>) -> Duration {
            self.0 * 3
        }
    }

    /// This module's `Attempts` stops after exactly its count.
    pub struct Attempts(pub u32);

    impl<T, E> persevere::stop::Stop<T, E> for Attempts {
        fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
            state.attempt() >= self.0
        }
    }

    /// This module's `Boxed` is the error type, and its `Plain` the error `error_type` looks for.
    pub type Boxed = Box<dyn std::error::Error + Send + Sync>;

    #[derive(Debug)]
    pub struct Plain(pub u32);

    impl fmt::Display for Plain {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "plain {}", self.0)
        }
    }

    impl std::error::Error for Plain {}

    #[retry(stop = attempts(2), wait = fixed(1ms), sleep = sleeper.clone())]
    pub fn fixed_and_attempts(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(stop = retries(2), wait = exponential(1ms), sleep = sleeper.clone())]
    pub fn retries_and_exponential(
        sleeper: &RecordingSleeper,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(stop = elapsed(4), wait = random(1ms, 2ms), sleep = sleeper.clone())]
    pub fn elapsed_and_random(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(stop = never(), wait = none(), sleep = sleeper.clone())]
    pub fn never_and_none(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(stop = Attempts(4), wait = Fixed(1ms), sleep = sleeper.clone())]
    pub fn types(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(retry_if = always(), wait = fixed(0s))]
    pub fn always_retries_nothing(calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(retry_if = on_error(message), stop = attempts(4), wait = fixed(0s))]
    pub fn on_a_message(message: &'static str, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(
        stop = attempts(2),
        wait = fixed(0s),
        after = log(debug, sink),
        before_sleep = log(warn, sink)
    )]
    pub fn logs(sink: &Cell<u32>, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(retry_if = error_type::<Plain>(), stop = attempts(5), wait = fixed(0s))]
    pub fn plain_in_boxed(plain_failures: u32, calls: &Cell<u32>) -> Result<u32, Boxed> {
        calls.set(calls.get() + 1);
        if calls.get() <= plain_failures {
            return Err(Box::new(Plain(calls.get())));
        }
        if calls.get() == plain_failures + 1 {
            return Err(Box::new(Flaky("not plain")));
        }
        Ok(calls.get())
    }

    /// A method: `self` in a value, the module's `fixed` and `attempts` in others.
    pub struct Client {
        pub sleeper: RecordingSleeper,
        pub calls: Cell<u32>,
    }

    impl Client {
        #[retry(stop = attempts(1), wait = fixed(1ms), sleep = self.sleeper.clone())]
        pub fn call(&self) -> Result<u32, Flaky> {
            flaky(&self.calls, 10)
        }
    }

    /// A trait named like the runtime's, with a retried default method.
    pub trait Hook {
        fn calls(&self) -> &Cell<u32>;

        #[retry(stop = elapsed(3), wait = none(), sleep = sleeper.clone())]
        fn hooked(&self, sleeper: &RecordingSleeper) -> Result<u32, Flaky> {
            flaky(self.calls(), 10)
        }
    }

    impl Hook for Client {
        fn calls(&self) -> &Cell<u32> {
            &self.calls
        }
    }

    twins! {
        #[retry(stop = attempts(2), wait = exponential(1ms), retry_if = on_error("down"))]
        pub fn twin / twin_plain(calls: &Cell<u32>) -> Result<(u32, Duration), Flaky> {
            let value = flaky(calls, 0)?;
            Ok((value, none() + random(Duration::from_millis(1), Duration::from_millis(1))))
        }
    }
}

#[test]
fn the_modules_strategies_win_inside_values() {
    use strategies::*;

    // `attempts(2)` is three attempts here, `fixed(1ms)` a wait of 2 ms.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(fixed_and_attempts(&sleeper, &calls).is_err());
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), [ms(2), ms(2)]);

    // `retries(2)` is two attempts here; `exponential(1ms)` waits 1 ms, then 10 ms.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(retries_and_exponential(&sleeper, &calls).is_err());
    assert_eq!(calls.get(), 2);
    assert_eq!(sleeper.sleeps(), [ms(1)]);

    // `elapsed(4)` is four attempts; `random(1ms, 2ms)` always 3 ms.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(elapsed_and_random(&sleeper, &calls).is_err());
    assert_eq!(calls.get(), 4);
    assert_eq!(sleeper.sleeps(), [ms(3), ms(3), ms(3)]);

    // `never()` is two attempts, `none()` 5 ms.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(never_and_none(&sleeper, &calls).is_err());
    assert_eq!(calls.get(), 2);
    assert_eq!(sleeper.sleeps(), [ms(5)]);

    // `Attempts(4)` and `Fixed(1ms)` are this module's types.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(types(&sleeper, &calls).is_err());
    assert_eq!(calls.get(), 4);
    assert_eq!(sleeper.sleeps(), [ms(3), ms(3), ms(3)]);

    let calls = Cell::new(0);
    assert_eq!(always_retries_nothing(&calls), Err(Flaky("down")));
    assert_eq!(calls.get(), 1);
}

#[test]
fn the_modules_strategies_win_inside_methods() {
    use strategies::*;

    // `attempts(1)` is two attempts here, `fixed(1ms)` 2 ms.
    let client = Client {
        sleeper: RecordingSleeper::new(),
        calls: Cell::new(0),
    };
    assert!(client.call().is_err());
    assert_eq!(client.calls.get(), 2);
    assert_eq!(client.sleeper.sleeps(), [ms(2)]);

    // `elapsed(3)` is three attempts here, `none()` 5 ms.
    let client = Client {
        sleeper: RecordingSleeper::new(),
        calls: Cell::new(0),
    };
    let sleeper = RecordingSleeper::new();
    assert!(client.hooked(&sleeper).is_err());
    assert_eq!(client.calls.get(), 3);
    assert_eq!(sleeper.sleeps(), [ms(5), ms(5)]);
    assert_eq!(client.sleeper.sleeps(), []);
}

#[test]
fn the_modules_conditions_and_hooks_win_inside_values() {
    use strategies::*;

    // `on_error("down")` retries the flaky error: `attempts(4)` is five attempts here.
    let calls = Cell::new(0);
    assert!(on_a_message("down", &calls).is_err());
    assert_eq!(calls.get(), 5);
    let calls = Cell::new(0);
    assert!(on_a_message("up", &calls).is_err());
    assert_eq!(calls.get(), 1);

    // Three attempts: `after` (debug, 100) after each, `before_sleep` (warn, 7) before each of
    // the two sleeps.
    let sink = Cell::new(0);
    let calls = Cell::new(0);
    assert!(logs(&sink, &calls).is_err());
    assert_eq!(calls.get(), 3);
    assert_eq!(sink.get(), 3 * 100 + 2 * 7);

    // `Plain` errors are retried, the first other error is returned.
    let calls = Cell::new(0);
    let error = plain_in_boxed(2, &calls).unwrap_err();
    assert_eq!(error.to_string(), "not plain");
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert_eq!(
        plain_in_boxed(0, &calls).unwrap_err().to_string(),
        "not plain"
    );
    assert_eq!(calls.get(), 1);
}

#[test]
fn twins_with_the_modules_strategies_return_the_same() {
    use strategies::*;

    let (calls, twin_calls) = (Cell::new(0), Cell::new(0));
    assert_eq!(twin(&calls), twin_plain(&twin_calls));
    assert_eq!(twin(&Cell::new(0)), Ok((1, ms(7))));
    assert_eq!((calls.get(), twin_calls.get()), (1, 1));
}

// ---------------------------------------------------------------------------------------------
// Parameters named like the runtime's functions, read by values.

#[derive(Debug, PartialEq)]
enum Slow {
    Flaky,
    TimedOut,
}

impl From<persevere::Timeout> for Slow {
    fn from(_: persevere::Timeout) -> Self {
        Slow::TimedOut
    }
}

impl From<Flaky> for Slow {
    fn from(_: Flaky) -> Self {
        Slow::Flaky
    }
}

/// `attempts(attempts)`: the runtime's `attempts` of the parameter; `fixed(wait)` likewise, and
/// `sleep` is a parameter too.
#[retry(stop = attempts(attempts), wait = fixed(wait), sleep = sleep.clone())]
fn attempts_and_wait(
    attempts: u32,
    wait: Duration,
    sleep: &RecordingSleeper,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

/// A parameter `wait` that is the wait itself (a `Duration` waits that long).
#[retry(stop = attempts(3), wait = wait, sleep = sleeper.clone())]
fn wait_is_the_parameter(
    wait: Duration,
    sleeper: &RecordingSleeper,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

/// `deadline(deadline)` on the recording sleeper's clock: no attempt starts past it.
#[retry(stop = deadline(deadline), wait = fixed(fixed), sleep = sleeper.clone())]
fn deadline_and_fixed(
    deadline: Duration,
    fixed: Duration,
    sleeper: &RecordingSleeper,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

/// `timeout = timeout`: the parameter is each attempt's limit.
#[retry(timeout = timeout, stop = attempts(attempts), wait = fixed(0s))]
async fn timeout_and_attempts(
    timeout: Duration,
    attempts: u32,
    slow: u32,
    calls: &Cell<u32>,
) -> Result<u32, Slow> {
    calls.set(calls.get() + 1);
    if calls.get() <= slow {
        tokio::time::sleep(timeout * 2).await;
    }
    Ok(calls.get())
}

/// A parameter `log` read by one hook beside the runtime's `log(warn)`, called, in another.
#[retry(
    stop = attempts(3),
    wait = fixed(0s),
    after = |s| log.borrow_mut().push(s.attempt()),
    before_sleep = log(warn)
)]
fn log_parameter(log: &RefCell<Vec<u32>>, calls: &Cell<u32>) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

/// `never` and `always` as parameters; `on_error(on_error)` the runtime's `on_error` of one.
#[retry(stop = attempts(3), wait = fixed(0s), retry_if = |_| !never && always)]
fn never_and_always(never: bool, always: bool, calls: &Cell<u32>) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

#[retry(stop = attempts(3), wait = fixed(0s), retry_if = on_error(on_error))]
fn on_error_parameter(on_error: fn(&Flaky) -> bool, calls: &Cell<u32>) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

/// A bare parameter as the whole condition.
#[retry(stop = attempts(3), wait = fixed(0s), retry_if = error_type)]
fn condition_parameter(error_type: fn(&Flaky) -> bool, calls: &Cell<u32>) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

/// Settings named like parameters, and a raw identifier.
#[retry(
    stop = attempts(r#type),
    wait = exponential(min = min, max = max, multiplier = multiplier),
    sleep = sleeper.clone()
)]
fn settings_and_raw(
    min: Duration,
    max: Duration,
    multiplier: Duration,
    r#type: u32,
    sleeper: &RecordingSleeper,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

#[test]
fn parameters_named_like_the_runtime_win_inside_values() {
    let sleep = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(attempts_and_wait(4, ms(3), &sleep, &calls).is_err());
    assert_eq!(calls.get(), 4);
    assert_eq!(sleep.sleeps(), [ms(3), ms(3), ms(3)]);
    let sleep = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(attempts_and_wait(1, ms(3), &sleep, &calls).is_err());
    assert_eq!(calls.get(), 1);
    assert_eq!(sleep.sleeps(), []);

    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(wait_is_the_parameter(ms(9), &sleeper, &calls).is_err());
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), [ms(9), ms(9)]);

    // Attempts at 0 s, 1 s and 2 s; a sleep after the third would end at 3 s, past 2.5 s.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(deadline_and_fixed(ms(2500), ms(1000), &sleeper, &calls).is_err());
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), [ms(1000), ms(1000)]);

    let runtime = current_thread();
    // The first two attempts outlive their limit; the third returns.
    let calls = Cell::new(0);
    assert_eq!(
        runtime.block_on(timeout_and_attempts(ms(10), 3, 2, &calls)),
        Ok(3)
    );
    assert_eq!(calls.get(), 3);
    // Two attempts allowed: the second times out too, and is returned.
    let calls = Cell::new(0);
    assert_eq!(
        runtime.block_on(timeout_and_attempts(ms(10), 2, 2, &calls)),
        Err(Slow::TimedOut)
    );
    assert_eq!(calls.get(), 2);

    let log = RefCell::new(Vec::new());
    let calls = Cell::new(0);
    assert!(log_parameter(&log, &calls).is_err());
    assert_eq!(*log.borrow(), [1, 2, 3]);
    assert_eq!(calls.get(), 3);
}

#[test]
fn condition_parameters_named_like_the_runtime() {
    for (never, always, expected) in [
        (false, true, 3),
        (true, true, 1),
        (false, false, 1),
        (true, false, 1),
    ] {
        let calls = Cell::new(0);
        assert!(never_and_always(never, always, &calls).is_err());
        assert_eq!(calls.get(), expected, "never = {never}, always = {always}");
    }

    let calls = Cell::new(0);
    assert!(on_error_parameter(|e| e.0 == "down", &calls).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(on_error_parameter(|e| e.0 == "up", &calls).is_err());
    assert_eq!(calls.get(), 1);

    let calls = Cell::new(0);
    assert!(condition_parameter(|_| false, &calls).is_err());
    assert_eq!(calls.get(), 1);
    let calls = Cell::new(0);
    assert!(condition_parameter(|_| true, &calls).is_err());
    assert_eq!(calls.get(), 3);

    // min 3 ms, max 20 ms, multiplier 2 ms: 2, 4, 8, 16 ms, each at least 3 ms and at most 20.
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(settings_and_raw(ms(3), ms(20), ms(2), 6, &sleeper, &calls).is_err());
    assert_eq!(calls.get(), 6);
    assert_eq!(sleeper.sleeps(), [ms(3), ms(4), ms(8), ms(16), ms(20)]);
}

twins! {
    #[retry(stop = attempts(attempts), wait = fixed(wait), retry_if = |_| !never)]
    fn twin_parameters / twin_parameters_plain(attempts: u32, wait: Duration, never: bool, log: &RefCell<Vec<u32>>) -> Result<(u32, u32), Flaky> {
        log.borrow_mut().push(attempts);
        Ok((attempts * 2, wait.as_millis() as u32 + u32::from(never)))
    }
}

twins! {
    #[retry(timeout = timeout, stop = deadline(deadline))]
    async fn twin_async / twin_async_plain(timeout: Duration, deadline: Duration) -> Result<Duration, Slow> {
        Ok(timeout + deadline)
    }
}

#[test]
fn twins_with_parameters_return_the_same() {
    let (log, twin_log) = (RefCell::new(Vec::new()), RefCell::new(Vec::new()));
    assert_eq!(
        twin_parameters(3, ms(4), true, &log),
        twin_parameters_plain(3, ms(4), true, &twin_log)
    );
    assert_eq!(twin_parameters(3, ms(4), true, &log), Ok((6, 5)));
    assert_eq!(*log.borrow(), [3, 3]);
    assert_eq!(*twin_log.borrow(), [3]);

    let runtime = current_thread();
    assert_eq!(
        runtime.block_on(twin_async(ms(1), ms(2))),
        runtime.block_on(twin_async_plain(ms(1), ms(2)))
    );
    assert_eq!(runtime.block_on(twin_async(ms(1), ms(2))), Ok(ms(3)));
}

// ---------------------------------------------------------------------------------------------
// Names the module has by a glob import, and a constant named like a strategy.

mod imported {
    use std::cell::Cell;

    use persevere::retry;
    use persevere::sleep::RecordingSleeper;

    use super::{Flaky, flaky};

    pub mod waits {
        use std::time::Duration;

        /// Another module's `fixed`: three times the duration.
        pub fn fixed(wait: Duration) -> Duration {
            wait * 3
        }

        /// A constant named like a strategy: a `Duration` waits that long.
        #[allow(non_upper_case_globals)]
        pub const exponential: Duration = Duration::from_millis(6);
    }

    pub use self::waits::*;

    #[retry(stop = attempts(2), wait = fixed(1ms), sleep = sleeper.clone())]
    pub fn by_glob(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(stop = attempts(3), wait = exponential, sleep = sleeper.clone())]
    pub fn by_constant(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }
}

#[test]
fn names_imported_by_glob_and_constants_win_inside_values() {
    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(imported::by_glob(&sleeper, &calls).is_err());
    assert_eq!(calls.get(), 2);
    assert_eq!(sleeper.sleeps(), [ms(3)]);

    let sleeper = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert!(imported::by_constant(&sleeper, &calls).is_err());
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), [ms(6), ms(6)]);
}

// ---------------------------------------------------------------------------------------------
// Defects: valid code the macro does not treat as it would without it.

/// An item of the function body around a retried function loses to the runtime's name: a value's
/// scopes are `use #rt::names::wait::*` then `use self::*` (the module), both inside the
/// function, so the runtime's `fixed` is found before the body's own `fixed`, silently (the
/// wait here is the runtime's 1 ms, not 4 ms). A `use` in the enclosing body fares the same.
#[test]
#[ignore = "README Limits: an item of an enclosing function body has no path, so the runtime's name comes first in a value"]
fn items_of_an_enclosing_body_win_inside_values() {
    fn fixed(wait: Duration) -> Duration {
        wait * 4
    }

    #[retry(stop = attempts(2), wait = fixed(1ms), sleep = sleeper.clone())]
    fn local(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    let sleeper = RecordingSleeper::new();
    assert!(local(&sleeper, &Cell::new(0)).is_err());
    assert_eq!(sleeper.sleeps(), [ms(4)]);
    assert_eq!(fixed(ms(1)), ms(4));
}

/// Each case compiles without `#[retry]` (the attribute's values aside, which mean what the
/// user's names say), but not with it: the spellings the macro completes by name, listed in
/// README's "Limits". Compiled out; the compiler's message is above each.
#[cfg(any())]
mod not_accepted {
    use std::cell::Cell;
    use std::time::Duration;

    use persevere::retry;
    use persevere::sleep::RecordingSleeper;

    use super::{Flaky, flaky};

    mod chain {
        use super::*;

        /// This module's `chain` takes two waits and adds them; the macro packs `chain(a, b)`
        /// into the runtime's tuple whoever wrote `chain`:
        ///
        /// error[E0061]: this function takes 2 arguments but 1 argument was supplied
        ///   wait = chain(1ms, 2ms)
        ///          ^^^^^ expected `Duration`, found `(Duration, Duration)`
        pub fn chain(first: Duration, then: Duration) -> Duration {
            first + then
        }

        #[retry(stop = attempts(3), wait = chain(1ms, 2ms), sleep = sleeper.clone())]
        pub fn chained(sleeper: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, Flaky> {
            flaky(calls, 10)
        }
    }

    mod error_type {
        use super::*;

        /// This module's `error_type::<E>()`; the macro adds the runtime's second type argument
        /// whoever wrote `error_type`:
        ///
        /// error[E0107]: function takes 1 generic argument but 2 generic arguments were supplied
        ///   retry_if = error_type::<Flaky>()
        ///              ^^^^^^^^^^ expected 1 generic argument
        pub fn error_type<E>() -> impl Fn(&Flaky) -> bool {
            |_| std::any::type_name::<E>().ends_with("Flaky")
        }

        #[retry(retry_if = error_type::<Flaky>(), stop = attempts(3), wait = fixed(0s))]
        pub fn typed(calls: &Cell<u32>) -> Result<u32, Flaky> {
            flaky(calls, 10)
        }
    }

    mod attempts_zero {
        use super::*;

        /// This module's `attempts(n)` counts retries, so `attempts(0)` is one attempt; the
        /// macro's literal check is for the runtime's `attempts` but applies to any:
        ///
        /// error: `attempts(0)` would never call the function; the count includes the first
        ///        call, so write `attempts(1)` or more
        ///   stop = attempts(0)
        ///                   ^
        pub fn attempts(n: u32) -> persevere::stop::Attempts {
            persevere::stop::attempts(n + 1)
        }

        #[retry(stop = attempts(0), wait = fixed(0s))]
        pub fn once(calls: &Cell<u32>) -> Result<u32, Flaky> {
            flaky(calls, 10)
        }
    }
}

/// A parameter bound again inside a value is the value's own binding only in that scope:
/// elsewhere in the value the parameter is read.
#[retry(
    stop = attempts(attempts) | |s| { let attempts = s.attempt(); attempts > 10 },
    wait = fixed(0s)
)]
fn rebound(attempts: u32, calls: &Cell<u32>) -> Result<u32, Flaky> {
    flaky(calls, 10)
}

/// `#[cfg_attr(.., cfg(..))]` on a parameter compiles it out for the expansion too.
#[retry(wait = fixed(0s))]
async fn compiled_out(
    #[cfg_attr(all(), cfg(any()))] buf: &mut Vec<u8>,
    calls: &Cell<u32>,
) -> Result<u32, Flaky> {
    flaky(calls, 1)
}

#[test]
fn bindings_of_a_value_and_cfg_attr_parameters() {
    let calls = Cell::new(0);
    assert!(rebound(2, &calls).is_err());
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert_eq!(current_thread().block_on(compiled_out(&calls)), Ok(2));
}

/// A value's own locals may share a name with the runtime's names for the value's key (level
/// names, the names of other loggers' levels): a `let` binds them, as it would in the body.
#[test]
fn locals_in_values_named_like_the_runtime_s_names() {
    thread_local! {
        static SEEN: Cell<u32> = const { Cell::new(0) };
    }
    #[retry(
        stop = attempts(3),
        wait = 0ms,
        sleep = RecordingSleeper::new(),
        after = |state| {
            let warning = state.attempt();
            let critical = warning * 10;
            let fatal = critical * 10;
            let info = fatal + 1;
            let warn = info;
            SEEN.with(|seen| seen.set(warn));
        }
    )]
    fn fails() -> Result<(), &'static str> {
        Err("down")
    }
    assert_eq!(fails(), Err("down"));
    SEEN.with(|seen| assert_eq!(seen.get(), 301));
}

#[derive(Debug)]
enum Failure {
    Http { status: u16 },
}

/// A parameter's name in a macro call of a value: a value where the macro takes values (even when
/// the parameter shares a runtime name), a field's name or a pattern's binding where the macro
/// makes it one.
#[test]
fn parameters_in_the_macro_calls_of_values() {
    thread_local! {
        static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }
    // `attempts` is also the runtime's stop: `format!` reads the parameter.
    #[retry(
        stop = attempts(attempts),
        wait = 0ms,
        sleep = RecordingSleeper::new(),
        before_sleep = |_| LINES.with(|lines| lines.borrow_mut().push(format!("{} of {}", url, attempts)))
    )]
    fn formatted(url: &str, attempts: u32) -> Result<(), &'static str> {
        let _ = url;
        Err("down")
    }
    LINES.with(|lines| lines.borrow_mut().clear());
    assert_eq!(formatted("/a", 2), Err("down"));
    LINES.with(|lines| assert_eq!(*lines.borrow(), ["/a of 2"]));

    // tracing's field shorthand and sigils name the parameter as a field.
    #[retry(
        stop = attempts(2),
        wait = 0ms,
        sleep = RecordingSleeper::new(),
        before_sleep = |state| tracing::warn!(url, %id, ?id, attempt = state.attempt(), "retrying")
    )]
    fn traced(url: &str, id: u32) -> Result<(), &'static str> {
        let _ = (url, id);
        Err("down")
    }
    assert_eq!(traced("/b", 7), Err("down"));

    // `status` is a parameter and, in the pattern, the error's field.
    #[retry(
        stop = attempts(3),
        wait = 0ms,
        sleep = RecordingSleeper::new(),
        retry_if = |e| matches!(e, Failure::Http { status, .. } if *status >= 500)
    )]
    fn matched(calls: &Cell<u16>, status: u16) -> Result<u16, Failure> {
        calls.set(calls.get() + 1);
        Err(Failure::Http { status })
    }
    let calls = Cell::new(0);
    assert!(matches!(
        matched(&calls, 503),
        Err(Failure::Http { status: 503 })
    ));
    assert_eq!(calls.get(), 3, "a 503 is retried");
    calls.set(0);
    assert!(matched(&calls, 404).is_err());
    assert_eq!(calls.get(), 1, "a 404 is not");
}

/// Named settings and durations inside a macro call of a value are read as they are elsewhere.
#[test]
fn named_settings_inside_a_macro_call_of_a_value() {
    #[retry(
        stop = attempts(3),
        wait = chain_vec(vec![exponential(max = 1s), exponential(multiplier = 2s, max = 2s)]).unwrap(),
        sleep = |wait| waits.borrow_mut().push(wait)
    )]
    fn chained(waits: &RefCell<Vec<Duration>>) -> Result<(), &'static str> {
        let _ = waits;
        Err("down")
    }
    let waits = RefCell::new(Vec::new());
    assert_eq!(chained(&waits), Err("down"));
    assert_eq!(*waits.borrow(), [ms(1000), ms(2000)]);
}

/// README's way to reach a parameter inside macro tokens the attribute leaves alone: a local.
#[test]
fn a_parameter_bound_to_a_local_before_a_macro_that_is_not_an_expression_list() {
    // `never` is also a condition of the runtime's.
    #[retry(
        stop = attempts(4),
        wait = 0ms,
        sleep = RecordingSleeper::new(),
        retry_if = |e: &u32| { let never = never; matches!(*e, code if code != never) }
    )]
    fn coded(calls: &Cell<u32>, never: u32) -> Result<(), u32> {
        calls.set(calls.get() + 1);
        Err(7)
    }
    let calls = Cell::new(0);
    assert_eq!(coded(&calls, 7), Err(7));
    assert_eq!(calls.get(), 1, "7 is the code never to retry");
    calls.set(0);
    assert_eq!(coded(&calls, 8), Err(7));
    assert_eq!(calls.get(), 4);
}

/// A module item with the name of a const generic parameter.
const TRIES: u32 = 100;

/// The const generic `TRIES`, not the module's `TRIES`, as in the body.
#[retry(stop = attempts(TRIES), wait = 0ms, sleep = RecordingSleeper::new())]
fn tries_generic<const TRIES: u32>(calls: &Cell<u32>) -> Result<u32, &'static str> {
    calls.set(calls.get() + 1);
    Err("down")
}

/// A const generic read by a value is the function's own, whatever the module names so.
#[test]
fn a_const_generic_read_by_a_value_is_the_function_s() {
    let calls = Cell::new(0);
    assert_eq!(tries_generic::<2>(&calls), Err("down"));
    assert_eq!(calls.get(), 2);
    assert_eq!(TRIES, 100);
}

struct Limited<const MAX: u32>;

impl<const MAX: u32> Limited<MAX> {
    const TRIES: u32 = MAX;

    /// README's way to read an `impl`'s const generic, which the attribute cannot see.
    #[retry(stop = attempts(Self::TRIES), wait = 0ms, sleep = RecordingSleeper::new())]
    fn send(&self, calls: &Cell<u32>) -> Result<u32, &'static str> {
        calls.set(calls.get() + 1);
        Err("down")
    }
}

#[test]
fn an_impl_s_const_generic_read_through_an_associated_const() {
    let calls = Cell::new(0);
    assert_eq!(Limited::<3>.send(&calls), Err("down"));
    assert_eq!(calls.get(), 3);
}

/// In keys that see no runtime names (`timeout`, `sleep`, `budget`, ..), a function named like a
/// runtime strategy is the user's, so the checks of the runtime's literal arguments (`attempts(0)`,
/// `random(5s, 1s)`) and `chain(a, b)`'s packing leave it as written.
mod strategies_named_in_other_keys {
    use std::cell::Cell;
    use std::time::Duration;

    use persevere::budget::RetryBudget;
    use persevere::retry;
    use persevere::sleep::RecordingSleeper;

    use super::{Flaky, flaky};

    /// The shorter of the two.
    pub fn random(a: Duration, b: Duration) -> Duration {
        a.min(b)
    }

    static BUDGETS: [RetryBudget; 1] = [RetryBudget::new()];

    /// The budget at `index`.
    pub fn attempts(index: usize) -> &'static RetryBudget {
        &BUDGETS[index]
    }

    /// The first sleeper (a clone records into the same list).
    pub fn chain(first: &RecordingSleeper, _then: &RecordingSleeper) -> RecordingSleeper {
        first.clone()
    }

    #[retry(
        stop = ::persevere::stop::attempts(3),
        wait = 0ms,
        timeout = random(5s, 1s),
        budget = attempts(0)
    )]
    pub async fn limited(calls: &Cell<u32>) -> Result<u32, std::io::Error> {
        flaky(calls, 1).map_err(|_| std::io::Error::other("down"))
    }

    #[retry(stop = ::persevere::stop::attempts(2), wait = 2ms, sleep = chain(first, then))]
    pub fn chained(
        first: &RecordingSleeper,
        then: &RecordingSleeper,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }
}

#[test]
fn strategies_named_in_other_keys_are_the_users() {
    use strategies_named_in_other_keys::*;
    let calls = Cell::new(0);
    assert_eq!(current_thread().block_on(limited(&calls)).ok(), Some(2));
    let (first, then) = (RecordingSleeper::new(), RecordingSleeper::new());
    let calls = Cell::new(0);
    assert_eq!(chained(&first, &then, &calls), Ok(2));
    assert_eq!(first.sleeps(), [ms(2)]);
    assert!(then.sleeps().is_empty());
}

/// Functions of the user's named like the runtime's `error_type` and tenacity's
/// `retry_if_exception_type`, taking values (an enum's variant): not taken for a type passed as
/// a value.
mod conditions_named_like_the_runtime_taking_values {
    use std::cell::Cell;
    use std::io;

    use persevere::retry;

    fn kind_is(kind: io::ErrorKind) -> impl Fn(&io::Error) -> bool {
        move |error| error.kind() == kind
    }

    pub fn retry_if_exception_type(kind: io::ErrorKind) -> impl Fn(&io::Error) -> bool {
        kind_is(kind)
    }

    pub fn error_type(kind: io::ErrorKind) -> impl Fn(&io::Error) -> bool {
        kind_is(kind)
    }

    fn timed_out_once(calls: &Cell<u32>) -> Result<u32, io::Error> {
        calls.set(calls.get() + 1);
        if calls.get() < 2 {
            Err(io::Error::from(io::ErrorKind::TimedOut))
        } else {
            Ok(calls.get())
        }
    }

    #[retry(retry_if = retry_if_exception_type(io::ErrorKind::TimedOut), wait = 0s)]
    pub fn tenacitys_name(calls: &Cell<u32>) -> Result<u32, io::Error> {
        timed_out_once(calls)
    }

    #[retry(retry_if = error_type(io::ErrorKind::TimedOut), wait = 0s)]
    pub fn the_runtimes_name(calls: &Cell<u32>) -> Result<u32, io::Error> {
        timed_out_once(calls)
    }

    /// A value named by one capital, or as `Self::X`: the user's function's argument.
    pub struct Kinds;

    #[allow(non_upper_case_globals)]
    impl Kinds {
        const T: io::ErrorKind = io::ErrorKind::TimedOut;

        #[retry(retry_if = error_type(Self::T), wait = 0s)]
        pub fn by_self(calls: &Cell<u32>) -> Result<u32, io::Error> {
            timed_out_once(calls)
        }
    }

    const T: io::ErrorKind = io::ErrorKind::TimedOut;

    #[retry(retry_if = error_type(T), wait = 0s)]
    pub fn by_a_capital(calls: &Cell<u32>) -> Result<u32, io::Error> {
        timed_out_once(calls)
    }
}

#[test]
fn conditions_named_like_the_runtime_may_take_values() {
    use conditions_named_like_the_runtime_taking_values::*;
    assert_eq!(tenacitys_name(&Cell::new(0)).ok(), Some(2));
    assert_eq!(the_runtimes_name(&Cell::new(0)).ok(), Some(2));
    assert_eq!(Kinds::by_self(&Cell::new(0)).ok(), Some(2));
    assert_eq!(by_a_capital(&Cell::new(0)).ok(), Some(2));
}

/// A `log` of the user's as a whole `stop` or `retry_if` is theirs, and sees the key's names.
mod a_users_log_in_other_keys {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    /// Hands its strategy back.
    pub fn log<S>(strategy: S) -> S {
        strategy
    }

    #[retry(stop = log(attempts(3)), retry_if = log(any_error()), wait = 0s)]
    pub fn logged(calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    /// The key's spellings inside it: `chain(a, b)` packed, `error_type::<X>()` completed, a
    /// closure typed by the error.
    #[retry(
        stop = log(attempts(3)),
        wait = log(chain(0s, 0s)),
        retry_if = log(on_error(|e| e.0 == "down"))
    )]
    pub fn spelled(calls: &Cell<u32>) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }

    #[retry(stop = log(attempts(2)), retry_if = log(error_type::<std::io::Error>()), wait = 0s)]
    pub fn typed(calls: &Cell<u32>) -> Result<u32, std::io::Error> {
        flaky(calls, 10).map_err(|_| std::io::Error::other("down"))
    }
}

/// An argument called `log`, called in a value: the argument, not the runtime's `log`.
mod an_argument_called_log {
    use std::cell::Cell;

    use persevere::retry;

    use super::{Flaky, flaky};

    #[retry(stop = log(3), wait = 0s)]
    pub fn an_argument(
        log: fn(u32) -> persevere::stop::Attempts,
        calls: &Cell<u32>,
    ) -> Result<u32, Flaky> {
        flaky(calls, 10)
    }
}

#[test]
fn a_users_log_in_other_keys_is_theirs() {
    let calls = Cell::new(0);
    assert!(a_users_log_in_other_keys::logged(&calls).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(a_users_log_in_other_keys::spelled(&calls).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(a_users_log_in_other_keys::typed(&calls).is_err());
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert!(an_argument_called_log::an_argument(persevere::stop::attempts, &calls).is_err());
    assert_eq!(calls.get(), 3);
}

/// Functions of the user's named as other libraries name their strategies (`constant`,
/// `linear`, `times`, `timeout`), which the attribute answers with what to write here when the
/// user has none: the user's come first.
mod other_libraries_names_of_the_users {
    use std::cell::Cell;
    use std::time::Duration;

    use persevere::retry;
    use persevere::sleep::RecordingSleeper;
    use persevere::stop::{Attempts, Elapsed, attempts, elapsed};

    use super::{Flaky, flaky};

    pub fn constant(wait: Duration) -> Duration {
        wait
    }
    pub fn linear(step: Duration) -> persevere::wait::Incrementing {
        persevere::wait::incrementing().start(step).increment(step)
    }
    pub fn times(n: u32) -> Attempts {
        attempts(n)
    }
    pub fn timeout(limit: Duration) -> Elapsed {
        elapsed(limit)
    }

    #[retry(stop = times(3) | timeout(1s), wait = constant(2ms), sleep = sleeper.clone())]
    pub fn constant_waits(calls: &Cell<u32>, sleeper: &RecordingSleeper) -> Result<u32, Flaky> {
        flaky(calls, 2)
    }

    /// A wait of the user's, whose builder methods share other libraries' setting names.
    #[derive(Clone)]
    pub struct Capped(Duration);
    impl Capped {
        pub fn cap(self, cap: Duration) -> Self {
            Capped(self.0.min(cap))
        }
    }
    pub trait Jittered {
        fn jitter(self) -> Self;
    }
    impl Jittered for Capped {
        fn jitter(self) -> Self {
            self
        }
    }
    impl<T, E> persevere::wait::Wait<T, E> for Capped {
        fn next_wait(&self, _: &persevere::RetryState<'_, T, E>) -> Duration {
            self.0
        }
    }

    #[retry(stop = times(2), wait = Capped(5ms).cap(3ms).jitter(), sleep = sleeper.clone())]
    pub fn capped_waits(calls: &Cell<u32>, sleeper: &RecordingSleeper) -> Result<u32, Flaky> {
        flaky(calls, 1)
    }

    #[retry(stop = times(3), wait = linear(1ms), sleep = sleeper.clone())]
    pub fn linear_waits(calls: &Cell<u32>, sleeper: &RecordingSleeper) -> Result<u32, Flaky> {
        flaky(calls, 2)
    }
}

#[test]
fn other_libraries_names_of_the_users_are_theirs() {
    use other_libraries_names_of_the_users::*;
    let sleeper = RecordingSleeper::new();
    assert_eq!(constant_waits(&Cell::new(0), &sleeper), Ok(3));
    assert_eq!(sleeper.sleeps(), [ms(2), ms(2)]);
    let sleeper = RecordingSleeper::new();
    assert_eq!(capped_waits(&Cell::new(0), &sleeper), Ok(2));
    assert_eq!(sleeper.sleeps(), [ms(3)]);
    let sleeper = RecordingSleeper::new();
    assert_eq!(linear_waits(&Cell::new(0), &sleeper), Ok(3));
    assert_eq!(sleeper.sleeps(), [ms(1), ms(2)]);
}

/// A wait maker of the user's named like the runtime's, taking its durations in place, which the
/// runtime's take by name: the user's is called as written.
mod makers_of_the_users_taking_durations_in_place {
    use std::cell::Cell;
    use std::time::Duration;

    use persevere::retry;
    use persevere::sleep::RecordingSleeper;

    use super::{Flaky, flaky};

    pub fn exponential(first: Duration, cap: Duration) -> persevere::wait::Exponential {
        persevere::wait::exponential().multiplier(first).max(cap)
    }

    #[retry(stop = attempts(4), wait = exponential(1ms, 3ms), sleep = sleeper.clone())]
    pub fn in_place(calls: &Cell<u32>, sleeper: &RecordingSleeper) -> Result<u32, Flaky> {
        flaky(calls, 3)
    }

    /// An `unsafe` maker, which no `Fn` bound takes, called in its `unsafe` block.
    ///
    /// # Safety
    ///
    /// Always safe; `unsafe` only for the test.
    pub unsafe fn incrementing(step: Duration) -> persevere::wait::Incrementing {
        persevere::wait::incrementing().increment(step)
    }

    #[retry(stop = attempts(3), wait = unsafe { incrementing(1ms) }, sleep = sleeper.clone())]
    pub fn unsafe_in_place(calls: &Cell<u32>, sleeper: &RecordingSleeper) -> Result<u32, Flaky> {
        flaky(calls, 2)
    }
}

#[test]
fn a_users_maker_taking_durations_in_place_is_called_as_written() {
    let sleeper = RecordingSleeper::new();
    assert_eq!(
        makers_of_the_users_taking_durations_in_place::in_place(&Cell::new(0), &sleeper),
        Ok(4)
    );
    assert_eq!(sleeper.sleeps(), [ms(1), ms(2), ms(3)]);
    let sleeper = RecordingSleeper::new();
    assert_eq!(
        makers_of_the_users_taking_durations_in_place::unsafe_in_place(&Cell::new(0), &sleeper),
        Ok(3)
    );
    assert_eq!(sleeper.sleeps(), [ms(0), ms(1)]);
}
