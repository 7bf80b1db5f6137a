//! Budgets per key and retries that cost by kind of failure: each key's budget is its own, under
//! threads and tasks, through `Policy` and the attribute; a retry after a timed-out attempt costs
//! its own price.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use persevere::budget::{KeyedBudget, RetryBudget};
use persevere::stop::attempts;
use persevere::{Ending, Policy, Timeout, retry};

static HOSTS: KeyedBudget<64> = KeyedBudget::new(RetryBudget::with_reserve(3, 0));

#[retry(stop = attempts(10), wait = 0s, budget = HOSTS.key(host))]
fn fetch(host: &str, calls: &Cell<u32>) -> Result<(), String> {
    calls.set(calls.get() + 1);
    Err(format!("{host} is down"))
}

#[test]
fn an_outage_of_one_key_spends_only_that_keys_budget() {
    assert_ne!(HOSTS.slot_of("down.example"), HOSTS.slot_of("up.example"));
    let calls = Cell::new(0);
    // Three retries in reserve: four attempts, then the first attempt only.
    let _ = fetch("down.example", &calls);
    let _ = fetch("down.example", &calls);
    assert_eq!(calls.replace(0), 5);
    // Another host still has its three.
    let _ = fetch("up.example", &calls);
    assert_eq!(calls.get(), 4);
    assert_eq!(HOSTS.key("down.example").retries_left(), 0);
    assert_eq!(HOSTS.key("up.example").retries_left(), 0);
    assert_eq!(HOSTS.key("elsewhere.example").retries_left(), 3);
}

#[test]
fn under_threads_each_key_spends_exactly_its_reserve() {
    static PARTITIONS: KeyedBudget<256> = KeyedBudget::new(RetryBudget::with_reserve(5, 0));
    let partitions: Vec<String> = (0..6).map(|p| format!("partition-{p}")).collect();
    let slots: std::collections::BTreeSet<_> =
        partitions.iter().map(|p| PARTITIONS.slot_of(p)).collect();
    assert_eq!(slots.len(), partitions.len());
    // Four threads per partition, ten failing calls each: 40 first attempts and exactly 5
    // retries per partition, however the threads interleave.
    let counts: Vec<Arc<AtomicU32>> = partitions.iter().map(|_| Arc::default()).collect();
    let threads: Vec<_> = partitions
        .iter()
        .zip(&counts)
        .flat_map(|(partition, made)| {
            (0..4).map(move |_| {
                let (partition, made) = (partition.clone(), made.clone());
                std::thread::spawn(move || {
                    let policy = Policy::new()
                        .stop(attempts(3))
                        .wait(Duration::ZERO)
                        .budget(PARTITIONS.key(&partition));
                    for _ in 0..10 {
                        let _ = policy.call(|| {
                            made.fetch_add(1, Ordering::SeqCst);
                            Err::<(), _>("down")
                        });
                    }
                })
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    for made in counts {
        assert_eq!(made.load(Ordering::SeqCst), 45);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn under_tasks_each_key_spends_exactly_its_reserve() {
    static TENANTS: KeyedBudget<256> = KeyedBudget::new(RetryBudget::with_reserve(4, 0));
    #[retry(stop = attempts(3), wait = 0s, budget = TENANTS.key(tenant))]
    async fn serve(tenant: &str, made: &AtomicU32) -> Result<(), String> {
        made.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        Err("busy".into())
    }
    let tenants = ["north", "south", "east", "west"];
    let counts: Vec<Arc<AtomicU32>> = tenants.iter().map(|_| Arc::default()).collect();
    let mut tasks = Vec::new();
    for (tenant, made) in tenants.into_iter().zip(&counts) {
        for _ in 0..3 {
            let made = made.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..5 {
                    let _ = serve(tenant, &made).await;
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    // 15 first attempts and 4 retries per tenant.
    for made in counts {
        assert_eq!(made.load(Ordering::SeqCst), 19);
    }
}

#[derive(Debug, PartialEq)]
enum Error {
    Unavailable,
    TimedOut,
}

impl From<Timeout> for Error {
    fn from(_: Timeout) -> Self {
        Error::TimedOut
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_a_timeout_costs_twice_a_503s() {
    // The AWS SDKs' numbers: 5 tokens a retry, 10 after a timeout, 1 back per success.
    static AWS: RetryBudget = RetryBudget::tokens(500, 5, 10, 1);
    #[retry(stop = attempts(3), wait = 1s, timeout = 1s, budget = AWS)]
    async fn call(slow: bool) -> Result<(), Error> {
        if slow {
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        Err(Error::Unavailable)
    }
    assert_eq!(call(false).await, Err(Error::Unavailable));
    assert_eq!(AWS.tokens_left(), 490);
    assert_eq!(call(true).await, Err(Error::TimedOut));
    assert_eq!(AWS.tokens_left(), 470);
    // The same budget through a policy, sync: 5 a retry, and a success earns 1 back.
    let policy = Policy::new()
        .stop(attempts(2))
        .wait(Duration::ZERO)
        .budget(&AWS);
    let _ = policy.call(|| Err::<(), _>("503"));
    assert_eq!(AWS.tokens_left(), 465);
    let _ = policy.call(|| Ok::<_, &str>(()));
    assert_eq!(AWS.tokens_left(), 466);
}

#[tokio::test(start_paused = true)]
async fn a_success_after_retries_gives_back_the_last_retrys_cost() {
    // botocore's standard mode: a success with no retry earns 1 back, a success after retries
    // gets back what its last retry cost (5, or 10 after a timeout).
    static AWS: RetryBudget = RetryBudget::tokens(500, 5, 10, 1);
    #[retry(stop = attempts(4), wait = 1s, timeout = 1s, budget = AWS)]
    async fn call(slow: &Cell<u32>, failing: &Cell<u32>) -> Result<(), Error> {
        if slow.get() > 0 {
            slow.set(slow.get() - 1);
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        if failing.get() > 0 {
            failing.set(failing.get() - 1);
            return Err(Error::Unavailable);
        }
        Ok(())
    }
    // A 503, then a success: the retry's 5 come back.
    let (slow, failing) = (Cell::new(0), Cell::new(1));
    assert_eq!(call(&slow, &failing).await, Ok(()));
    assert_eq!(AWS.tokens_left(), 500);
    // A timeout (10), a 503 (5), then a success: the last retry's 5 come back.
    slow.set(1);
    failing.set(1);
    assert_eq!(call(&slow, &failing).await, Ok(()));
    assert_eq!(AWS.tokens_left(), 490);
    // A timeout, then a success: its 10 come back.
    slow.set(1);
    assert_eq!(call(&slow, &failing).await, Ok(()));
    assert_eq!(AWS.tokens_left(), 490);
    // A first-time success earns 1.
    assert_eq!(call(&slow, &failing).await, Ok(()));
    assert_eq!(AWS.tokens_left(), 491);

    // The same through a policy, sync: two 503s, then a success.
    let two_failures_then_success = |budget: &'static RetryBudget| {
        let failures = Cell::new(2);
        Policy::new()
            .stop(attempts(3))
            .wait(Duration::ZERO)
            .budget(budget)
            .call(|| {
                if failures.get() == 0 {
                    return Ok(());
                }
                failures.set(failures.get() - 1);
                Err("503")
            })
    };
    assert_eq!(two_failures_then_success(&AWS), Ok(()));
    assert_eq!(AWS.tokens_left(), 486); // 5 + 5 spent, 5 back

    // A budget of retries in reserve earns its success's share whether or not the call retried.
    static RESERVE: RetryBudget = RetryBudget::with_reserve(10, 50);
    assert_eq!(two_failures_then_success(&RESERVE), Ok(()));
    assert_eq!(RESERVE.retries_left(), 8); // 10 - 2 + 0.5
}

#[test]
fn a_budget_whose_tokens_cannot_pay_for_a_retry_ends_the_call() {
    static SMALL: RetryBudget = RetryBudget::tokens(12, 5, 10, 1);
    let policy = Policy::new()
        .stop(attempts(10))
        .wait(Duration::ZERO)
        .budget(&SMALL);
    let calls = Cell::new(0);
    let (_, report) = policy.call_reported(|| {
        calls.set(calls.get() + 1);
        Err::<(), _>("503")
    });
    // 12 tokens pay for two retries of 5; the third would need 5 of the 2 left.
    assert_eq!((calls.get(), report.ending()), (3, Ending::Budget));
    assert_eq!((SMALL.tokens_left(), SMALL.retries_left()), (2, 0));
}
