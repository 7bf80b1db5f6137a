//! `policy = &POLICY`: a plain (not type-erased) policy kept in a `static`, a `LazyLock` or a
//! field, borrowed by the attribute and by `Policy::borrowed`, with each of its parts at its
//! default and set.

use std::cell::Cell;
use std::sync::LazyLock;

use persevere::hook::log;
use persevere::sleep::RecordingSleeper;
use persevere::stop::{Attempts, attempts};
use persevere::wait::{Fixed, fixed};
use persevere::{DynPolicy, Policy, retry};

static DEFAULTS: Policy = Policy::new();

static SET: LazyLock<Policy<Attempts, Fixed>> = LazyLock::new(|| {
    Policy::new()
        .stop(attempts(3))
        .wait(fixed(std::time::Duration::ZERO))
});

thread_local! {
    static CALLS: Cell<u32> = const { Cell::new(0) };
}

fn failing() -> Result<u32, &'static str> {
    CALLS.with(|calls| calls.set(calls.get() + 1));
    Err("down")
}

#[retry(policy = &DEFAULTS, stop = attempts(2), wait = 0ms)]
fn from_a_static() -> Result<u32, &'static str> {
    failing()
}

#[retry(policy = &SET)]
fn from_a_lazy_lock() -> Result<u32, &'static str> {
    failing()
}

#[retry(policy = &SET, before_sleep = log(warn), on_give_up = |last, _| last)]
fn with_hooks_added() -> Result<u32, &'static str> {
    failing()
}

fn calls_of(call: impl FnOnce() -> Result<u32, &'static str>) -> (Result<u32, &'static str>, u32) {
    CALLS.with(|calls| calls.set(0));
    let outcome = call();
    (outcome, CALLS.with(Cell::get))
}

#[test]
fn a_plain_policy_in_a_static_or_lazy_lock_is_borrowed_by_the_attribute() {
    assert_eq!(calls_of(from_a_static), (Err("down"), 2));
    assert_eq!(calls_of(from_a_lazy_lock), (Err("down"), 3));
    assert_eq!(calls_of(with_hooks_added), (Err("down"), 3));
}

#[test]
fn a_plain_policy_borrowed_runs_as_itself() {
    let sleeper = RecordingSleeper::new();
    let (outcome, calls) = calls_of(|| SET.borrowed().sleeper(sleeper.clone()).call(failing));
    assert_eq!((outcome, calls), (Err("down"), 3));
    assert_eq!(sleeper.sleeps().len(), 2);
}

struct Client {
    policy: Policy<Attempts, Fixed>,
}

impl Client {
    #[retry(policy = &self.policy)]
    fn send(&self) -> Result<u32, &'static str> {
        failing()
    }

    #[retry(policy = &self.policy, sleep = RecordingSleeper::new())]
    async fn send_async(&self) -> Result<u32, &'static str> {
        failing()
    }
}

/// A field named without `&` is borrowed where it is, as with it: a field cannot be moved out of
/// `&self`, and a field holding a reference is borrowed through it.
struct Named {
    policy: DynPolicy<u32, &'static str>,
    shared: &'static LazyLock<DynPolicy<u32, &'static str>>,
}

static SHARED: LazyLock<DynPolicy<u32, &'static str>> = LazyLock::new(|| {
    Policy::new()
        .stop(attempts(2))
        .wait(fixed(std::time::Duration::ZERO))
        .boxed()
});

impl Named {
    #[retry(policy = self.policy)]
    fn owned(&self) -> Result<u32, &'static str> {
        failing()
    }

    #[retry(policy = self.shared, stop = attempts(3))]
    async fn through_a_reference(&self) -> Result<u32, &'static str> {
        failing()
    }
}

/// A field of a temporary is the temporary's, as written; a `Copy` field is copied, so a
/// strategy type of the user's (no `Stop` for `&MyStop`) stays a strategy.
#[derive(Clone, Copy)]
struct MyStop(u32);

impl<T, E> persevere::stop::Stop<T, E> for MyStop {
    fn should_stop(&self, state: &persevere::RetryState<'_, T, E>) -> bool {
        state.attempt() >= self.0
    }
}

struct Settings {
    policy: DynPolicy<u32, &'static str>,
}

fn settings() -> Settings {
    Settings {
        policy: Policy::new()
            .stop(attempts(2))
            .wait(fixed(std::time::Duration::ZERO))
            .boxed(),
    }
}

struct Copied {
    policy: Policy<MyStop, Fixed>,
}

impl Copied {
    #[retry(policy = self.policy)]
    fn call(&self) -> Result<u32, &'static str> {
        failing()
    }
}

#[retry(policy = settings().policy)]
fn from_a_temporary() -> Result<u32, &'static str> {
    failing()
}

#[test]
fn a_field_of_a_temporary_or_a_copy_field_is_taken_as_written() {
    assert_eq!(calls_of(from_a_temporary), (Err("down"), 2));
    let copied = Copied {
        policy: Policy::new()
            .stop(MyStop(3))
            .wait(fixed(std::time::Duration::ZERO)),
    };
    assert_eq!(calls_of(|| copied.call()), (Err("down"), 3));
}

#[tokio::test]
async fn a_field_named_without_a_borrow_is_borrowed() {
    let named = Named {
        policy: Policy::new()
            .stop(attempts(5))
            .wait(fixed(std::time::Duration::ZERO))
            .boxed(),
        shared: &SHARED,
    };
    assert_eq!(calls_of(|| named.owned()), (Err("down"), 5));
    CALLS.with(|calls| calls.set(0));
    assert_eq!(named.through_a_reference().await, Err("down"));
    assert_eq!(CALLS.with(Cell::get), 3);
}

/// An argument named without `&` is borrowed where it is too: it cannot be moved out of the
/// call, and a `Copy` one is copied.
#[retry(policy = policy, stop = attempts(3))]
fn an_owned_argument(policy: DynPolicy<u32, &'static str>) -> Result<u32, &'static str> {
    let _ = &policy;
    failing()
}

#[retry(policy = policy)]
async fn a_copy_argument(policy: Policy<MyStop, Fixed>) -> Result<u32, &'static str> {
    failing()
}

#[tokio::test]
async fn an_argument_named_without_a_borrow_is_borrowed_or_copied() {
    let owned = Policy::new()
        .stop(attempts(5))
        .wait(fixed(std::time::Duration::ZERO))
        .boxed();
    assert_eq!(calls_of(|| an_owned_argument(owned)), (Err("down"), 3));
    CALLS.with(|calls| calls.set(0));
    let copied = Policy::new()
        .stop(MyStop(2))
        .wait(fixed(std::time::Duration::ZERO));
    assert_eq!(a_copy_argument(copied).await, Err("down"));
    assert_eq!(CALLS.with(Cell::get), 2);
}

#[tokio::test]
async fn a_plain_policy_in_a_field_is_borrowed_sync_and_async() {
    let client = Client {
        policy: Policy::new()
            .stop(attempts(4))
            .wait(fixed(std::time::Duration::ZERO)),
    };
    assert_eq!(calls_of(|| client.send()), (Err("down"), 4));
    CALLS.with(|calls| calls.set(0));
    assert_eq!(client.send_async().await, Err("down"));
    assert_eq!(CALLS.with(Cell::get), 4);
}

/// Every strategy, condition and hook the runtime makes can be borrowed with its policy.
#[test]
fn every_runtime_part_can_be_borrowed() {
    use std::time::Duration;

    use persevere::condition::never as never_retry;
    use persevere::stop::{deadline, elapsed, retries};
    use persevere::wait::{
        chain, decorrelated_jitter, exponential, exponential_jitter, incrementing, none, random,
        random_exponential, when,
    };
    use tracing::Level;

    let second = Duration::from_secs(1);
    let sleeper = RecordingSleeper::new();
    macro_rules! check {
        ($policy:expr, $calls:expr) => {{
            let policy = $policy.sleeper(sleeper.clone());
            let (outcome, calls) = calls_of(|| policy.borrowed().call(failing));
            assert_eq!(
                (outcome, calls),
                (Err("down"), $calls),
                "{}",
                stringify!($policy)
            );
        }};
    }
    let base = || Policy::new().stop(attempts(2));
    check!(base().wait(none()), 2);
    check!(base().wait(fixed(second)), 2);
    check!(base().wait(exponential()), 2);
    check!(base().wait(incrementing()), 2);
    check!(base().wait(random(Duration::ZERO, second)), 2);
    check!(base().wait(random_exponential()), 2);
    check!(base().wait(exponential_jitter()), 2);
    check!(base().wait(decorrelated_jitter()), 2);
    check!(base().wait(chain((fixed(second), fixed(second)))), 2);
    check!(base().wait(fixed(second) + fixed(second)), 2);
    check!(base().wait(when(|e: &&str| *e == "down", fixed(second))), 2);
    check!(Policy::new().stop(retries(1)).wait(none()), 2);
    check!(
        Policy::new()
            .stop(attempts(3) | elapsed(second * 60))
            .wait(none()),
        3
    );
    check!(Policy::new().stop(attempts(3) & retries(1)).wait(none()), 3);
    check!(
        Policy::new()
            .stop(attempts(2) | deadline(second * 60))
            .wait(none()),
        2
    );
    let shutdown = persevere::cancel::Shutdown::new();
    check!(
        Policy::new()
            .stop(attempts(2) | persevere::stop::cancelled(&shutdown))
            .wait(none()),
        2
    );
    check!(
        Policy::new()
            .stop(persevere::stop::cancelled(&shutdown) | attempts(2))
            .wait(none()),
        2
    );
    check!(base().wait(none()).retry_if(|e: &&str| *e == "down"), 2);
    check!(base().wait(none()).retry_if(never_retry()), 1);
    check!(
        base()
            .wait(none())
            .before(log(Level::INFO))
            .after(log(Level::WARN))
            .before_sleep(log(Level::WARN)),
        2
    );
    check!(
        base()
            .wait(none())
            .on_give_up(|last, _: &persevere::RetryState<'_, u32, &str>| last),
        2
    );
}
