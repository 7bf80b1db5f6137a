//! Each value sees the other families' strategy functions too (so that a strategy under the
//! wrong key is reported as the wrong kind rather than as a name not found); that must not
//! change the meaning of any value that compiles.

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
