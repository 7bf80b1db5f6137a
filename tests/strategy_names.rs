//! A value sees its own family's runtime names, and no other family's: a name of another
//! family's strategy (`fixed` under `stop`) is the user's wherever it is theirs, even where Rust
//! gives it no path (an item inside a function's block).

use std::cell::Cell;
use std::time::Duration;

use persevere::retry;
use persevere::sleep::RecordingSleeper;

mod own {
    use std::cell::Cell;

    use persevere::retry;

    /// The user's own `fixed`, a stop: under `stop = ..`, it is theirs, not the runtime's wait.
    fn fixed(n: u32) -> persevere::stop::Attempts {
        persevere::stop::attempts(n)
    }

    #[retry(stop = fixed(2), wait = none, sleep = |_| {})]
    pub fn own_name_wins(calls: &Cell<u32>) -> Result<(), &'static str> {
        calls.set(calls.get() + 1);
        Err("down")
    }
}

#[test]
fn a_users_function_named_like_another_familys_strategy_wins() {
    let calls = Cell::new(0);
    assert_eq!(own::own_name_wins(&calls), Err("down"));
    assert_eq!(calls.get(), 2);
}

// `never` is a stop and a condition, `none` a wait: each family keeps its own.
#[retry(stop = attempts(3) | never, wait = none + fixed(1ms), retry_if = never | any_error, sleep = sleeper.clone())]
fn each_family_keeps_its_own(
    calls: &Cell<u32>,
    sleeper: &RecordingSleeper,
) -> Result<(), &'static str> {
    calls.set(calls.get() + 1);
    Err("down")
}

#[retry(stop = never, retry_if = never, sleep = |_| {})]
fn never_retries(calls: &Cell<u32>) -> Result<(), &'static str> {
    calls.set(calls.get() + 1);
    Err("down")
}

#[test]
fn names_shared_by_families_keep_their_familys_meaning() {
    let calls = Cell::new(0);
    let sleeper = RecordingSleeper::new();
    assert_eq!(each_family_keeps_its_own(&calls, &sleeper), Err("down"));
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), vec![Duration::from_millis(1); 2]);
    let calls = Cell::new(0);
    assert_eq!(never_retries(&calls), Err("down"));
    assert_eq!(calls.get(), 1);
}

/// Items declared inside a function's block, named like another family's strategies: the
/// values' scopes add only their own family's names, so these stay the user's.
#[test]
fn block_items_named_like_another_familys_strategies_are_the_users() {
    fn fixed() -> persevere::stop::Attempts {
        persevere::stop::attempts(2)
    }
    fn attempts(_: u32) -> Duration {
        Duration::from_millis(5)
    }
    fn exponential(error: &&'static str) -> bool {
        *error == "busy"
    }

    #[retry(stop = fixed(), wait = attempts(9), retry_if = exponential, sleep = sleeper.clone())]
    fn call(calls: &Cell<u32>, sleeper: &RecordingSleeper) -> Result<(), &'static str> {
        calls.set(calls.get() + 1);
        Err("busy")
    }

    let (calls, sleeper) = (Cell::new(0), RecordingSleeper::new());
    assert_eq!(call(&calls, &sleeper), Err("busy"));
    assert_eq!(calls.get(), 2);
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(5)]);
}

/// The spellings the macro completes by name (`chain(a, b)` packed into a tuple, `attempts(0)`
/// refused, a literal `min` above `max`) apply only where the runtime's function of that name
/// may be meant: another key's value has only the user's.
mod completed_by_name {
    use std::cell::Cell;
    use std::time::Duration;

    use persevere::retry;

    fn chain(first: u32, second: u32) -> u32 {
        first + second
    }

    /// Zero attempts here means "no delay".
    fn attempts(n: u32) -> Duration {
        Duration::from_millis(u64::from(n))
    }

    fn within(min: Duration, max: Duration) -> impl Fn(&&'static str) -> bool {
        move |_| min > max
    }

    #[retry(
        stop = persevere::stop::attempts(chain(1, 2)),
        wait = attempts(0),
        retry_if = within(5s, 1s),
        sleep = |_| {}
    )]
    pub fn call(calls: &Cell<u32>) -> Result<(), &'static str> {
        calls.set(calls.get() + 1);
        Err("down")
    }
}

#[test]
fn names_the_macro_completes_are_the_users_in_another_keys_value() {
    let calls = Cell::new(0);
    assert_eq!(completed_by_name::call(&calls), Err("down"));
    assert_eq!(calls.get(), 3);
}

mod tenacitys_names {
    use std::cell::Cell;
    use std::time::Duration;

    use persevere::retry;
    use persevere::sleep::RecordingSleeper;

    /// The user's own `wait_exponential`, named as tenacity's is (which the runtime's scope
    /// turns into an error naming `exponential`): theirs wins, settings and all.
    pub struct Doubling(Duration);
    impl Doubling {
        pub fn max(self, max: Duration) -> Duration {
            self.0.min(max)
        }
    }
    fn wait_exponential() -> Doubling {
        Doubling(Duration::from_millis(7))
    }

    #[retry(stop = attempts(3), wait = wait_exponential(max = 5ms), sleep = sleeper.clone())]
    pub fn own_tenacity_name_wins(
        calls: &Cell<u32>,
        sleeper: &RecordingSleeper,
    ) -> Result<(), &'static str> {
        calls.set(calls.get() + 1);
        Err("down")
    }
}

#[test]
fn a_users_function_named_like_tenacitys_wait_wins() {
    let (calls, sleeper) = (Cell::new(0), RecordingSleeper::new());
    assert_eq!(
        tenacitys_names::own_tenacity_name_wins(&calls, &sleeper),
        Err("down")
    );
    assert_eq!(calls.get(), 3);
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(5); 2]);
}

mod own_log {
    use std::cell::Cell;

    use persevere::RetryState;
    use persevere::retry;

    /// The user's own `log`, a give-up handler: under `on_give_up`, where the runtime's scope
    /// has a `log` that says to write it in `on_finish`, theirs wins.
    fn log(
        fallback: u32,
    ) -> impl Fn(
        Result<u32, &'static str>,
        &RetryState<'_, u32, &'static str>,
    ) -> Result<u32, &'static str> {
        move |last, _| last.or(Ok(fallback))
    }

    #[retry(stop = attempts(2), wait = none, sleep = |_| {}, on_give_up = log(7))]
    pub fn own_log_wins(calls: &Cell<u32>) -> Result<u32, &'static str> {
        calls.set(calls.get() + 1);
        Err("down")
    }
}

#[test]
fn a_users_function_named_log_wins_under_on_give_up() {
    let calls = Cell::new(0);
    assert_eq!(own_log::own_log_wins(&calls), Ok(7));
    assert_eq!(calls.get(), 2);
}

/// `on_give_up` sees the runtime's level names only in `log(..)`, the spelling it tells to move
/// to `on_finish`: a parameter called `error`, and a function of the enclosing block called
/// `warn`, are the user's in any other value.
#[retry(stop = attempts(2), wait = none, sleep = |_| {}, on_give_up = |last, _| error(last))]
fn gives_up_through_a_parameter(
    error: &dyn Fn(Result<u32, &'static str>) -> Result<u32, &'static str>,
    calls: &Cell<u32>,
) -> Result<u32, &'static str> {
    calls.set(calls.get() + 1);
    Err("down")
}

#[test]
fn level_names_stay_the_users_in_on_give_up() {
    fn warn(last: Result<u32, &'static str>) -> Result<u32, &'static str> {
        last.or(Ok(5))
    }
    #[retry(stop = attempts(2), wait = none, sleep = |_| {}, on_give_up = |last, _| warn(last))]
    fn gives_up_through_a_block_function(calls: &Cell<u32>) -> Result<u32, &'static str> {
        calls.set(calls.get() + 1);
        Err("down")
    }
    let calls = Cell::new(0);
    assert_eq!(gives_up_through_a_block_function(&calls), Ok(5));
    let calls = Cell::new(0);
    assert_eq!(
        gives_up_through_a_parameter(&|last: Result<u32, &'static str>| last.or(Ok(6)), &calls),
        Ok(6)
    );
    assert_eq!(calls.get(), 2);
}
