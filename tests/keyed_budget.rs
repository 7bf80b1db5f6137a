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
