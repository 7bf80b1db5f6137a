//! Retry budgets: first attempts are free, retries spend, successes refund, an empty budget ends
//! the call at once; the accounting holds under heavy concurrency.

use std::cell::Cell;
use std::sync::Arc;
use std::time::Duration;

use persevere::budget::RetryBudget;
use persevere::stop::attempts;
use persevere::{Policy, retry};

#[path = "support/log_capture.rs"]
mod log_capture;

fn down(calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    Err(format!("down {}", calls.get()))
}

static SMALL: RetryBudget = RetryBudget::with_reserve(3, 50);

#[retry(stop = attempts(10), wait = 0s, budget = SMALL)]
fn spends(calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[retry(stop = attempts(10), wait = 0s, budget = SMALL)]
fn succeeds() -> Result<u32, String> {
    Ok(1)
}

#[test]
fn retries_spend_successes_refund_and_an_empty_budget_ends_the_call() {
    // Three retries in reserve: the first call makes four attempts, then the budget is empty.
    let calls = Cell::new(0);
    assert_eq!(spends(&calls), Err("down 4".into()));
    assert_eq!(SMALL.retries_left(), 0);
    // An empty budget: the first attempt is free, no retry follows.
    let calls = Cell::new(0);
    assert_eq!(spends(&calls), Err("down 1".into()));
    // Each success earns back half a retry.
    assert_eq!((succeeds(), succeeds()), (Ok(1), Ok(1)));
    assert_eq!(SMALL.retries_left(), 1);
    let calls = Cell::new(0);
    assert_eq!(spends(&calls), Err("down 2".into()));
}

#[tokio::test(start_paused = true)]
async fn policies_and_async_functions_share_the_same_accounting() {
    static SHARED: RetryBudget = RetryBudget::with_reserve(2, 0);
    #[retry(stop = attempts(5), wait = 1s, budget = SHARED)]
    async fn retried(calls: &Cell<u32>) -> Result<u32, String> {
        down(calls)
    }
    let calls = Cell::new(0);
    let outcome = Policy::new()
        .stop(attempts(5))
        .wait(Duration::ZERO)
        .budget(&SHARED)
        .call(|| down(&calls));
    assert_eq!((outcome, SHARED.retries_left()), (Err("down 3".into()), 0));
    let calls = Cell::new(0);
    assert_eq!(retried(&calls).await, Err("down 1".into()));
}

#[test]
fn an_empty_budget_says_so_in_the_log() {
    use std::sync::Mutex;
    use tracing_subscriber::layer::SubscriberExt;

    #[derive(Clone, Default)]
    struct Messages(Arc<Mutex<Vec<String>>>);
    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Messages {
        fn on_event(
            &self,
            event: &tracing::Event<'_>,
            _: tracing_subscriber::layer::Context<'_, S>,
        ) {
            struct Message(String);
            impl tracing::field::Visit for Message {
                fn record_debug(
                    &mut self,
                    field: &tracing::field::Field,
                    value: &dyn std::fmt::Debug,
                ) {
                    if field.name() == "message" {
                        self.0 = format!("{value:?}");
                    }
                }
            }
            let mut message = Message(String::new());
            event.record(&mut message);
            self.0.lock().unwrap().push(message.0);
        }
    }
    static EMPTY: RetryBudget = RetryBudget::with_reserve(0, 0);
    let messages = Messages::default();
    let subscriber = tracing_subscriber::registry().with(messages.clone());
    log_capture::hear_every_callsite();
    tracing::subscriber::with_default(subscriber, || {
        let _ = Policy::new()
            .named("sync_orders")
            .budget(&EMPTY)
            .call(|| Err::<(), _>("down"));
    });
    let messages = messages.0.lock().unwrap().clone();
    assert_eq!(
        messages,
        ["persevere: sync_orders gives up after its 1st attempt: its retry budget is empty"]
    );
}

#[test]
fn no_token_is_lost_or_doubled_across_threads() {
    let budget = Arc::new(RetryBudget::with_reserve(5_000, 0));
    let spent: u64 = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let budget = Arc::clone(&budget);
                scope.spawn(move || (0..1_000).filter(|_| budget.try_spend()).count() as u64)
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .sum()
    });
    assert_eq!(spent, 5_000);
    assert_eq!(budget.retries_left(), 0);

    // 1 000 successes at a tenth of a retry each earn back exactly 100 retries, the capacity.
    let budget = Arc::new(RetryBudget::with_reserve(100, 10));
    while budget.try_spend() {}
    std::thread::scope(|scope| {
        for _ in 0..8 {
            let budget = Arc::clone(&budget);
            scope.spawn(move || (0..125).for_each(|_| budget.refund()));
        }
    });
    assert_eq!(budget.retries_left(), 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_token_is_lost_or_doubled_across_tasks() {
    static TASKS: RetryBudget = RetryBudget::with_reserve(300, 0);
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            tokio::spawn(async {
                let mut spent = 0u64;
                for _ in 0..20 {
                    if TASKS.try_spend() {
                        spent += 1;
                    }
                    tokio::task::yield_now().await;
                }
                spent
            })
        })
        .collect();
    let mut spent = 0;
    for task in tasks {
        spent += task.await.unwrap();
    }
    assert_eq!(spent, 300);
}

#[test]
fn on_give_up_sees_why_the_call_ended() {
    use persevere::Ending;
    static NONE_LEFT: RetryBudget = RetryBudget::with_reserve(0, 0);
    let seen = Cell::new(None);
    let outcome = Policy::new()
        .stop(attempts(3))
        .wait(Duration::ZERO)
        .budget(&NONE_LEFT)
        .on_give_up(
            |last: Result<(), &'static str>,
             state: &persevere::RetryState<'_, (), &'static str>| {
                seen.set(state.ending());
                last
            },
        )
        .call(|| Err("down"));
    assert_eq!((outcome, seen.get()), (Err("down"), Some(Ending::Budget)));

    let seen = Cell::new(None);
    let _ = Policy::new()
        .stop(attempts(2))
        .wait(Duration::ZERO)
        .on_give_up(
            |last: Result<(), &'static str>,
             state: &persevere::RetryState<'_, (), &'static str>| {
                seen.set(state.ending());
                last
            },
        )
        .call(|| Err("down"));
    assert_eq!(seen.get(), Some(Ending::Attempts));
}

static ONE_LEFT: RetryBudget = RetryBudget::with_reserve(1, 0);

/// A slow `before_sleep` that takes the call past its deadline ends it before the sleep: the
/// retry it had spent comes back to the budget.
#[test]
fn a_retry_that_never_sleeps_is_given_back() {
    use persevere::sleep::{RecordingSleeper, SyncSleeper};
    use persevere::stop::deadline;

    let clock = RecordingSleeper::new();
    let slow_hook = clock.clone();
    let (outcome, report) = Policy::new()
        .stop(deadline(Duration::from_millis(100)))
        .wait(Duration::from_millis(50))
        .budget(&ONE_LEFT)
        .sleeper(clock)
        .before_sleep(move |_: &persevere::RetryState<'_, (), &str>| {
            slow_hook.sleep(Duration::from_millis(60))
        })
        .call_reported(|| Err("down"));
    assert_eq!(outcome, Err("down"));
    assert_eq!(
        (report.attempts(), report.ending()),
        (1, persevere::Ending::Deadline)
    );
    assert_eq!(ONE_LEFT.retries_left(), 1);
}

static OVERRUN: RetryBudget = RetryBudget::with_reserve(1, 0);
static WOKEN: RetryBudget = RetryBudget::with_reserve(1, 0);
static WOKEN_BY_ATTRIBUTE: RetryBudget = RetryBudget::with_reserve(1, 0);
static SHUTDOWN: persevere::cancel::Shutdown = persevere::cancel::Shutdown::new();

/// A sleeper whose sleeps overrun: each takes twenty times what was asked.
#[derive(Clone)]
struct Overrunning(persevere::sleep::RecordingSleeper);

impl persevere::sleep::SyncSleeper for Overrunning {
    fn sleep(&self, asked: Duration) {
        self.0.advance(asked * 20);
    }
    fn now(&self) -> std::time::Instant {
        persevere::sleep::SyncSleeper::now(&self.0)
    }
}

#[retry(
    stop = attempts(5) | persevere::stop::cancelled(&SHUTDOWN),
    wait = 1s,
    budget = WOKEN_BY_ATTRIBUTE,
    sleep = |_| SHUTDOWN.cancel()
)]
fn woken(calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

/// A call that ends after its sleep, before the attempt the sleep was for (the sleep overran the
/// deadline, or a shutdown woke it), made no retry: the retry it had spent comes back.
#[test]
fn a_retry_that_never_follows_its_sleep_is_given_back() {
    use persevere::sleep::RecordingSleeper;
    use persevere::stop::{attempts, cancelled, deadline};

    let (outcome, report) = Policy::new()
        .stop(deadline(Duration::from_secs(10)))
        .wait(Duration::from_secs(1))
        .budget(&OVERRUN)
        .sleeper(Overrunning(RecordingSleeper::new()))
        .call_reported(|| Err::<(), _>("down"));
    assert_eq!(outcome, Err("down"));
    assert_eq!((report.attempts(), report.retries()), (1, 0));
    assert_eq!(OVERRUN.retries_left(), 1);

    let shutdown = persevere::cancel::Shutdown::new();
    let (_, report) = Policy::new()
        .stop(attempts(5) | cancelled(&shutdown))
        .wait(Duration::from_secs(1))
        .budget(&WOKEN)
        .sleeper(|_: Duration| shutdown.cancel())
        .call_reported(|| Err::<(), _>("down"));
    assert_eq!(report.ending(), persevere::Ending::Cancelled);
    assert_eq!((report.attempts(), report.retries()), (1, 0));
    assert_eq!(WOKEN.retries_left(), 1);

    let calls = Cell::new(0);
    assert!(woken(&calls).is_err());
    assert_eq!(calls.get(), 1);
    assert_eq!(WOKEN_BY_ATTRIBUTE.retries_left(), 1);
}

/// A receiver that derefs to a budget: `budget = self` borrows it where it is, as a field is
/// (it is not a `static` to borrow for the whole call).
struct Upstream {
    budget: RetryBudget,
}

impl std::ops::Deref for Upstream {
    type Target = RetryBudget;
    fn deref(&self) -> &RetryBudget {
        &self.budget
    }
}

impl Upstream {
    #[retry(stop = attempts(10), wait = 0s, budget = self)]
    fn call(&self, calls: &Cell<u32>) -> Result<u32, String> {
        down(calls)
    }

    #[retry(stop = attempts(10), wait = 0s, budget = self.budget)]
    fn call_through_the_field(&self, calls: &Cell<u32>) -> Result<u32, String> {
        down(calls)
    }
}

#[test]
fn a_budget_reached_through_self_is_the_receivers() {
    let upstream = Upstream {
        budget: RetryBudget::with_reserve(2, 0),
    };
    let calls = Cell::new(0);
    assert_eq!(upstream.call(&calls), Err("down 3".into()));
    let calls = Cell::new(0);
    assert_eq!(
        upstream.call_through_the_field(&calls),
        Err("down 1".into())
    );
}

/// A budget behind any number of derefs: a `LazyLock` of an `Arc`, a `static` reference.
static LAZY: std::sync::LazyLock<Arc<RetryBudget>> =
    std::sync::LazyLock::new(|| Arc::new(RetryBudget::with_reserve(1, 50)));
static BORROWED: &RetryBudget = &SMALL_TOO;
static SMALL_TOO: RetryBudget = RetryBudget::with_reserve(1, 50);

#[retry(stop = attempts(10), wait = 0s, budget = LAZY)]
fn spends_through_derefs(calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[retry(stop = attempts(10), wait = 0s, budget = BORROWED)]
fn spends_through_a_reference(calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[test]
fn a_budget_behind_derefs_is_the_budget() {
    // Each budget holds one retry: two attempts, then the budget refuses.
    let calls = Cell::new(0);
    assert!(spends_through_derefs(&calls).is_err());
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert!(spends_through_a_reference(&calls).is_err());
    assert_eq!(calls.get(), 2);
}
