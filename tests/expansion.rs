//! What the expansion must not change about the function: whether its future is `Send`, what the
//! body may do with `self` while the attribute's values read it, and which names the body sees.

use std::cell::Cell;
use std::error::Error;
use std::time::Duration;

use persevere::retry;
use persevere::sleep::RecordingSleeper;

// ---- An async fn returning `Box<dyn Error>` can still be spawned ----

#[retry(stop = attempts(3), wait = fixed(1ms))]
async fn boxed_error(
    calls: std::sync::Arc<std::sync::atomic::AtomicU32>,
) -> Result<u32, Box<dyn Error>> {
    let n = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    tokio::task::yield_now().await;
    if n < 3 {
        Err(format!("down {n}").into())
    } else {
        Ok(n)
    }
}

fn assert_send<F: std::future::Future + Send>(future: F) -> F {
    future
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_future_returning_box_dyn_error_is_send() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    // The output is not `Send` (a `Box<dyn Error>` never is), but the future is, as without the
    // attribute: spawn it behind a conversion of its error.
    let retried = assert_send(boxed_error(calls.clone()));
    let outcome = tokio::spawn(async move { retried.await.map_err(|e| e.to_string()) });
    assert_eq!(outcome.await.unwrap(), Ok(3));
}

// ---- Values may read `self` in a method whose body changes `self` ----

struct Counter {
    attempts: u32,
    notes: Cell<u32>,
    limit: u32,
}

impl Counter {
    fn note(&self) {
        self.notes.set(self.notes.get() + 1);
    }

    #[retry(stop = attempts(self.limit), wait = none, before_sleep = |_| self.note())]
    fn bump(&mut self) -> Result<u32, String> {
        self.attempts += 1;
        Err(format!("attempt {}", self.attempts))
    }

    #[retry(stop = attempts(self.limit), wait = fixed(1s), before_sleep = |_| self.note(), sleep = |_| async {})]
    async fn bump_async(&mut self) -> Result<u32, String> {
        self.attempts += 1;
        tokio::task::yield_now().await;
        Err(format!("attempt {}", self.attempts))
    }
}

#[tokio::test]
async fn values_may_borrow_self_while_the_body_changes_it() {
    let mut counter = Counter {
        attempts: 0,
        notes: Cell::new(0),
        limit: 3,
    };
    assert_eq!(counter.bump(), Err("attempt 3".into()));
    assert_eq!(counter.notes.get(), 2);
    assert_eq!(counter.bump_async().await, Err("attempt 6".into()));
    assert_eq!(counter.notes.get(), 4);
}

// ---- `clone(self)` is hygienic ----

const LABEL: &str = "conn";

#[derive(Clone, Debug, PartialEq)]
struct Conn {
    id: u32,
}

impl Conn {
    #[retry(stop = attempts(2), wait = none, clone(self))]
    fn consume(self) -> Result<String, String> {
        // A local of the body's own named like the clone does not replace it.
        let __self = Conn { id: 99 };
        let _ = __self;
        let owned: Conn = self;
        Err(format!("{} {}", self::LABEL, owned.id))
    }

    #[retry(stop = attempts(2), wait = none, clone(self))]
    fn in_a_macro(self) -> Result<String, String> {
        Err(format!("{} {:?}", self::LABEL, self))
    }
}

#[test]
fn clone_self_is_hygienic_and_leaves_module_paths_alone() {
    assert_eq!(Conn { id: 7 }.consume(), Err("conn 7".into()));
    assert_eq!(
        Conn { id: 8 }.in_a_macro(),
        Err("conn Conn { id: 8 }".into())
    );
}

// ---- decorrelated jitter grows from its own previous sleep inside `+` ----

#[retry(
    stop = attempts(6),
    wait = decorrelated_jitter(initial = 100ms) + fixed(10s),
    sleep = sleeper.clone()
)]
fn decorrelated_in_a_sum(sleeper: &RecordingSleeper) -> Result<(), String> {
    Err("down".into())
}

#[test]
fn decorrelated_jitter_grows_from_its_own_previous_wait() {
    for seed in 0..200 {
        persevere::jitter::seed(seed);
        let sleeper = RecordingSleeper::new();
        let _ = decorrelated_in_a_sum(&sleeper);
        let mut own_cap = Duration::from_millis(100);
        for wait in sleeper.sleeps() {
            let own = wait - Duration::from_secs(10);
            own_cap *= 3;
            assert!(own <= own_cap, "seed {seed}: {own:?} > {own_cap:?}");
        }
    }
    persevere::jitter::unseed();
}

// ---- Moving an argument whose type is `Copy` is fine: each attempt moves its own copy ----

fn take<T>(value: T) -> T {
    value
}

#[retry(stop = attempts(3), wait = none)]
fn moves_copies(n: u32, label: &str, calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    let _ = take(label);
    Err(format!("{} {}", label, take(n) + calls.get()))
}

#[test]
fn an_argument_of_a_copy_type_may_be_moved_by_the_body() {
    let calls = Cell::new(0);
    assert_eq!(moves_copies(1, "n", &calls), Err("n 4".into()));
}

// ---- A `&mut` argument passed on is reborrowed, not moved ----

fn push_one(buf: &mut Vec<u8>) -> Result<(), String> {
    buf.push(1);
    if buf.len() < 3 {
        Err("short".into())
    } else {
        Ok(())
    }
}

#[retry(stop = attempts(5), wait = none)]
fn fills(buf: &mut Vec<u8>) -> Result<(), String> {
    push_one(buf)
}

#[test]
fn a_mutable_reference_argument_may_be_passed_on_each_attempt() {
    let mut buf = Vec::new();
    assert_eq!(fills(&mut buf), Ok(()));
    assert_eq!(buf, [1, 1, 1]);
}

// ---- Values read the arguments, not the attempt's clones ----

fn deliver(msg: String) -> Result<usize, String> {
    Err(msg)
}

#[retry(clone(msg), stop = attempts(msg.len() as u32), wait = none)]
fn consumes_its_clone(msg: String) -> Result<usize, String> {
    deliver(msg)
}

#[retry(clone(n), stop = attempts(n), wait = none)]
fn changes_its_clone(mut n: u32, calls: &Cell<u32>) -> Result<(), String> {
    calls.set(calls.get() + 1);
    n += 10;
    Err(format!("{n}"))
}

#[test]
fn values_read_the_arguments_not_each_attempts_clone() {
    assert_eq!(consumes_its_clone("abc".into()), Err("abc".into()));
    let calls = Cell::new(0);
    assert_eq!(changes_its_clone(2, &calls), Err("12".into()));
    assert_eq!(calls.get(), 2);
}
