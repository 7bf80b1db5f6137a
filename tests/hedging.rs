//! Hedging, through the attribute and `Policy`, on tokio's paused clock with exact times: when a
//! hedge starts, which outcome wins, what is cancelled, and how hedges meet retries, budgets and
//! time limits.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use persevere::budget::RetryBudget;
use persevere::hedge::after;
use persevere::stop::attempts;
use persevere::wait::fixed;
use persevere::{Ending, OutcomeKind, Policy, Timeout, retry};
use tokio::time::{Instant, sleep};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    Busy,
    NotFound,
    TimedOut,
    Open,
}

impl From<Timeout> for Fault {
    fn from(_: Timeout) -> Self {
        Fault::TimedOut
    }
}

impl From<persevere::breaker::BreakerOpen> for Fault {
    fn from(_: persevere::breaker::BreakerOpen) -> Self {
        Fault::Open
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

fn retryable(fault: &Fault) -> bool {
    matches!(fault, Fault::Busy | Fault::TimedOut)
}

/// A replica whose n-th request takes the n-th scripted time and gives the n-th outcome (the
/// last repeats). It records when each request started, and each request dropped unfinished.
struct Replica {
    script: Vec<(u64, Result<u32, Fault>)>,
    epoch: Instant,
    started: RefCell<Vec<Duration>>,
    cancelled: Cell<u32>,
}

/// Counts a request dropped before it answered.
struct Unfinished<'a>(Option<&'a Cell<u32>>);

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if let Some(cancelled) = self.0 {
            cancelled.set(cancelled.get() + 1);
        }
    }
}

impl Replica {
    fn new(script: &[(u64, Result<u32, Fault>)]) -> Self {
        Replica {
            script: script.to_vec(),
            epoch: Instant::now(),
            started: RefCell::new(Vec::new()),
            cancelled: Cell::new(0),
        }
    }

    async fn request(&self) -> Result<u32, Fault> {
        let index = self.started.borrow().len().min(self.script.len() - 1);
        self.started.borrow_mut().push(self.epoch.elapsed());
        let (took, outcome) = self.script[index];
        let mut unfinished = Unfinished(Some(&self.cancelled));
        sleep(ms(took)).await;
        unfinished.0 = None;
        outcome
    }

    fn started(&self) -> Vec<u64> {
        let started = self.started.borrow();
        started.iter().map(|at| at.as_millis() as u64).collect()
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }
}

#[retry(hedge = 10ms, stop = attempts(3), wait = fixed(100ms), retry_if = retryable)]
async fn fetch(replica: &Replica) -> Result<u32, Fault> {
    replica.request().await
}

#[retry(hedge = after(10ms).max_in_flight(3), stop = attempts(2), wait = fixed(0ms), retry_if = retryable)]
async fn fetch_three_wide(replica: &Replica) -> Result<u32, Fault> {
    replica.request().await
}

#[tokio::test(start_paused = true)]
async fn attribute_hedge_answers_when_the_first_attempt_is_slow() {
    let replica = Replica::new(&[(1000, Ok(1)), (5, Ok(2))]);
    assert_eq!(fetch(&replica).await, Ok(2));
    assert_eq!(replica.now(), 15);
    assert_eq!(replica.started(), [0, 10]);
    assert_eq!(
        replica.cancelled.get(),
        1,
        "the slow attempt is dropped at once"
    );
}

#[tokio::test(start_paused = true)]
async fn attribute_fast_attempt_starts_no_hedge() {
    let replica = Replica::new(&[(5, Ok(1))]);
    assert_eq!(fetch(&replica).await, Ok(1));
    assert_eq!((replica.now(), replica.started()), (5, vec![0]));
}

#[tokio::test(start_paused = true)]
async fn attribute_hedges_up_to_the_most_in_flight() {
    let replica = Replica::new(&[(1000, Ok(1)), (1000, Ok(2)), (5, Ok(3))]);
    assert_eq!(fetch_three_wide(&replica).await, Ok(3));
    assert_eq!(replica.now(), 25);
    assert_eq!(replica.started(), [0, 10, 20]);
    assert_eq!(replica.cancelled.get(), 2);
}

#[tokio::test(start_paused = true)]
async fn attribute_round_of_failures_is_retried_after_the_wait() {
    // Round 1: the first at 0 and a hedge at 10 both fail; round 2 starts after 100 ms.
    let replica = Replica::new(&[(20, Err(Fault::Busy)), (20, Err(Fault::Busy)), (5, Ok(3))]);
    assert_eq!(fetch(&replica).await, Ok(3));
    assert_eq!(replica.started(), [0, 10, 130]);
    assert_eq!(replica.now(), 135);
}

#[tokio::test(start_paused = true)]
async fn attribute_hedged_future_is_send() {
    fn send<F: Send>(future: F) -> F {
        future
    }
    #[retry(hedge = 10ms)]
    async fn lookup(key: &str, shard: u8) -> Result<usize, std::io::Error> {
        Ok(key.len() + usize::from(shard))
    }
    assert_eq!(send(lookup("abc", 1)).await.unwrap(), 4);

    // An outcome that is not `Send` is not held across a sleep, so the future stays `Send`
    // as the function's own would be (its outcome is made and returned between awaits).
    #[retry(hedge = 10ms, stop = attempts(3), wait = fixed(1s))]
    async fn boxed(key: &str) -> Result<usize, Box<dyn std::error::Error>> {
        tokio::task::yield_now().await;
        if key.is_empty() {
            Err("empty".into())
        } else {
            Ok(key.len())
        }
    }
    assert_eq!(send(boxed("abc")).await.unwrap(), 3);
    let started = tokio::time::Instant::now();
    assert!(send(boxed("")).await.is_err());
    assert_eq!(started.elapsed(), std::time::Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn attribute_mut_arguments_copied_per_attempt_or_left_unchanged() {
    // What the error for a changed `mut` argument says to write compiles, and each hedged
    // attempt starts from the argument as the call received it.
    #[retry(hedge = 10ms, stop = attempts(2), wait = fixed(0s))]
    async fn page(offset: u32, path: String, calls: &Cell<u32>) -> Result<String, String> {
        let mut offset = offset;
        offset += 10;
        let mut path = path.clone();
        path.push_str(&offset.to_string());
        calls.set(calls.get() + 1);
        if calls.get() < 2 {
            Err("busy".into())
        } else {
            Ok(path)
        }
    }
    let calls = Cell::new(0);
    assert_eq!(
        page(5, "/items/".to_owned(), &calls).await,
        Ok("/items/15".to_owned())
    );

    // A `mut` argument the body does not change is the user's to write.
    #[allow(unused_mut)]
    #[retry(hedge = 10ms)]
    async fn unchanged(mut offset: u32) -> Result<u32, String> {
        Ok(offset + 1)
    }
    assert_eq!(unchanged(1).await, Ok(2));
}

fn policy() -> Policy<persevere::stop::Attempts, persevere::wait::Fixed, fn(&Fault) -> bool> {
    Policy::new()
        .stop(attempts(3))
        .wait(fixed(ms(100)))
        .retry_if(retryable as fn(&Fault) -> bool)
        .hedge(after(ms(10)))
}

#[tokio::test(start_paused = true)]
async fn policy_hedge_wins_and_the_report_counts_it() {
    let replica = Replica::new(&[(1000, Ok(1)), (5, Ok(2))]);
    let (outcome, report) = policy().call_async_reported(|| replica.request()).await;
    assert_eq!(outcome, Ok(2));
    assert_eq!(replica.now(), 15);
    assert_eq!(replica.cancelled.get(), 1);
    assert_eq!(
        (report.attempts(), report.hedges(), report.retries()),
        (2, 1, 0)
    );
    assert_eq!(report.ending(), Ending::Succeeded);
    assert_eq!(report.elapsed(), ms(15));
}

#[tokio::test(start_paused = true)]
async fn policy_retryable_failure_of_a_hedge_does_not_end_the_round() {
    let replica = Replica::new(&[(100, Ok(1)), (5, Err(Fault::Busy))]);
    let (outcome, report) = policy().call_async_reported(|| replica.request()).await;
    assert_eq!(outcome, Ok(1));
    assert_eq!(
        replica.now(),
        100,
        "the first attempt's answer, not a retry"
    );
    assert_eq!(replica.started(), [0, 10]);
    assert_eq!(replica.cancelled.get(), 0);
    assert_eq!(
        (report.attempts(), report.hedges(), report.retries()),
        (2, 1, 0)
    );
    assert_eq!(
        report.outcomes(),
        Some(vec![OutcomeKind::Err, OutcomeKind::Ok])
    );
}

#[tokio::test(start_paused = true)]
async fn policy_failure_it_would_not_retry_wins_at_once() {
    let replica = Replica::new(&[(100, Ok(1)), (5, Err(Fault::NotFound))]);
    let (outcome, report) = policy().call_async_reported(|| replica.request()).await;
    assert_eq!(outcome, Err(Fault::NotFound));
    assert_eq!(replica.now(), 15);
    assert_eq!(replica.cancelled.get(), 1);
    assert_eq!(report.ending(), Ending::NotRetryable);
    assert_eq!((report.attempts(), report.hedges()), (2, 1));
}

#[tokio::test(start_paused = true)]
async fn policy_round_of_failures_then_success() {
    let replica = Replica::new(&[(20, Err(Fault::Busy)), (20, Err(Fault::Busy)), (5, Ok(3))]);
    let (outcome, report) = policy().call_async_reported(|| replica.request()).await;
    assert_eq!(outcome, Ok(3));
    assert_eq!(replica.started(), [0, 10, 130]);
    assert_eq!(
        (report.attempts(), report.hedges(), report.retries()),
        (3, 1, 1)
    );
    assert_eq!(report.slept(), ms(100));
    assert_eq!(report.elapsed(), ms(135));
}

#[tokio::test(start_paused = true)]
async fn policy_hedges_spend_the_budget_and_an_empty_one_starts_none() {
    static EMPTY: RetryBudget = RetryBudget::with_reserve(0, 0);
    let replica = Replica::new(&[(1000, Ok(1)), (5, Ok(2))]);
    let (outcome, report) = policy()
        .budget(&EMPTY)
        .call_async_reported(|| replica.request())
        .await;
    assert_eq!(outcome, Ok(1));
    assert_eq!((replica.now(), replica.started()), (1000, vec![0]));
    assert_eq!(report.hedges(), 0);

    static ONE: RetryBudget = RetryBudget::with_reserve(1, 0);
    let replica = Replica::new(&[(1000, Ok(1)), (1000, Ok(2)), (5, Ok(3))]);
    let outcome = policy()
        .hedge(after(ms(10)).max_in_flight(3))
        .budget(&ONE)
        .call_async(|| replica.request())
        .await;
    assert_eq!(outcome, Ok(1));
    assert_eq!(
        replica.started(),
        [0, 10],
        "one hedge paid for, the second refused"
    );
    assert_eq!(ONE.retries_left(), 0);
}

#[tokio::test(start_paused = true)]
async fn policy_each_hedge_has_its_own_timeout() {
    // Round 1: the first times out at 50 while the hedge (from 10) runs; it times out at 60 and
    // the round fails. Round 2 starts at once (no wait) and answers.
    let replica = Replica::new(&[(1000, Ok(1)), (1000, Ok(2)), (5, Ok(3))]);
    let (outcome, report) = policy()
        .wait(fixed(ms(0)))
        .timeout(ms(50))
        .call_async_reported(|| replica.request())
        .await;
    assert_eq!(outcome, Ok(3));
    assert_eq!(replica.started(), [0, 10, 60]);
    assert_eq!(replica.now(), 65);
    assert_eq!(replica.cancelled.get(), 2);
    assert_eq!(
        report.outcomes(),
        Some(vec![
            OutcomeKind::TimedOut,
            OutcomeKind::TimedOut,
            OutcomeKind::Ok
        ])
    );
}

#[tokio::test(start_paused = true)]
async fn policy_no_hedge_starts_past_the_total_time_limit() {
    let replica = Replica::new(&[(1000, Ok(1))]);
    let (outcome, report) = policy()
        .hedge(after(ms(40)))
        .total_timeout(ms(30))
        .call_async_reported(|| replica.request())
        .await;
    assert_eq!(outcome, Err(Fault::TimedOut));
    assert_eq!((replica.now(), replica.started()), (30, vec![0]));
    assert_eq!(report.ending(), Ending::Timeout);
    assert_eq!(report.hedges(), 0);
}

#[tokio::test(start_paused = true)]
async fn policy_hedge_runs_within_what_is_left_of_the_total() {
    let replica = Replica::new(&[(1000, Ok(1))]);
    let outcome = policy()
        .total_timeout(ms(30))
        .call_async(|| replica.request())
        .await;
    assert_eq!(outcome, Err(Fault::TimedOut));
    assert_eq!(replica.started(), [0, 10]);
    assert_eq!(replica.now(), 30, "the hedge started at 10 had 20 ms left");
}

#[tokio::test(start_paused = true)]
async fn boxed_policy_keeps_its_hedge() {
    let replica = Replica::new(&[(1000, Ok(1)), (5, Ok(2))]);
    let boxed = policy().boxed::<u32, Fault>();
    assert_eq!(boxed.hedging(), Some(after(ms(10))));
    assert_eq!(boxed.call_async(|| replica.request()).await, Ok(2));
    assert_eq!(replica.now(), 15);
}

#[tokio::test(start_paused = true)]
async fn one_in_flight_is_no_hedging() {
    let replica = Replica::new(&[(1000, Ok(1)), (5, Ok(2))]);
    let outcome = policy()
        .hedge(after(ms(10)).max_in_flight(1))
        .call_async(|| replica.request())
        .await;
    assert_eq!((outcome, replica.started()), (Ok(1), vec![0]));
}

/// A hedged call under a circuit breaker: each failed attempt counts against the breaker, hedges
/// included (each is a request to the upstream), and once the breaker is open the next call makes
/// no attempt, hedged or not.
mod with_a_breaker {
    use super::*;
    use persevere::breaker::{BreakerOpen, CircuitBreaker};

    #[derive(Debug, PartialEq)]
    enum Failure {
        Busy,
        Open,
    }

    impl From<BreakerOpen> for Failure {
        fn from(_: BreakerOpen) -> Self {
            Failure::Open
        }
    }

    static UPSTREAM: CircuitBreaker = CircuitBreaker::new()
        .consecutive_failures(2)
        .cool_down(Duration::from_secs(60));

    #[retry(
        stop = attempts(2),
        wait = fixed(10ms),
        hedge = 20ms,
        breaker = UPSTREAM
    )]
    async fn slow_and_busy(calls: &Cell<u32>) -> Result<u32, Failure> {
        calls.set(calls.get() + 1);
        sleep(ms(50)).await;
        Err(Failure::Busy)
    }

    #[tokio::test(start_paused = true)]
    async fn an_open_breaker_refuses_a_hedged_call() {
        let calls = Cell::new(0);
        // The first round's attempt and its hedge both fail: two failures in a row open the
        // breaker, and the call ends rather than sleep towards a refused attempt.
        assert_eq!(slow_and_busy(&calls).await, Err(Failure::Open));
        assert_eq!(calls.get(), 2, "one round: the attempt and its hedge");
        assert_eq!(slow_and_busy(&calls).await, Err(Failure::Open));
        assert_eq!(calls.get(), 2, "no attempt once the breaker is open");
    }

    static REPLICAS: CircuitBreaker = CircuitBreaker::new()
        .consecutive_failures(2)
        .failure_rate(0, 1, 1)
        .jitter(0);

    /// Through `Policy`: a hedge that fails while the attempt it hedged is still in flight is a
    /// failure to the breaker, as the round's last failure is.
    #[tokio::test(start_paused = true)]
    async fn every_failed_attempt_of_a_round_counts() {
        // The attempt fails after 50 ms, its hedge (started at 10 ms) after 5 ms: one round,
        // two failures, the hedge's first.
        let replica = Replica::new(&[(50, Err(Fault::Busy)), (5, Err(Fault::Busy))]);
        let (outcome, report) = Policy::new()
            .stop(attempts(1))
            .retry_if(retryable as fn(&Fault) -> bool)
            .hedge(after(ms(10)))
            .breaker(&REPLICAS)
            .call_async_reported(|| replica.request())
            .await;
        assert_eq!((outcome, report.attempts()), (Err(Fault::Busy), 2));
        assert_eq!(
            REPLICAS.state(),
            persevere::breaker::BreakerState::Open,
            "two failed attempts in a row"
        );
    }
}

#[path = "support/log_capture.rs"]
mod log_capture;

#[retry(hedge = 10ms, stop = attempts(2), wait = fixed(100ms), retry_if = retryable, on_finish = log(info))]
async fn fetch_logged(replica: &Replica) -> Result<u32, Fault> {
    replica.request().await
}

/// `on_finish = log(..)` says as many attempts as the report counts, hedges included.
#[tokio::test(start_paused = true)]
async fn the_finish_line_counts_the_hedges_as_the_report_does() {
    let (capture, _guard) = log_capture::capturing_until_dropped();
    let recorder = persevere::testing::record();
    // The first round: the attempt fails at 50 ms, its hedge at 15 ms. The second round succeeds.
    let replica = Replica::new(&[(50, Err(Fault::Busy)), (5, Err(Fault::Busy)), (1, Ok(3))]);
    assert_eq!(fetch_logged(&replica).await, Ok(3));
    let report = &recorder.reports()[0];
    assert_eq!((report.attempts(), report.hedges()), (3, 1));
    let finish = capture
        .lines()
        .into_iter()
        .map(|(_, _, message)| message)
        .find(|message| message.starts_with("Call to"))
        .expect("the finish line");
    assert_eq!(
        finish,
        "Call to 'hedging::fetch_logged' ended after 3 attempts (succeeded), having slept 0.1 seconds."
    );
}

/// A call that its hedge won is one whose first attempt did not succeed: `on_finish` runs.
#[tokio::test(start_paused = true)]
async fn a_call_its_hedge_won_runs_on_finish() {
    let (capture, _guard) = log_capture::capturing_until_dropped();
    // The first attempt would answer at 50 ms; its hedge, started at 10 ms, answers at 15 ms.
    let replica = Replica::new(&[(50, Ok(1)), (5, Ok(2))]);
    assert_eq!(fetch_logged(&replica).await, Ok(2));
    let finish: Vec<_> = capture
        .lines()
        .into_iter()
        .map(|(_, _, message)| message)
        .filter(|message| message.starts_with("Call to"))
        .collect();
    assert_eq!(
        finish,
        [
            "Call to 'hedging::fetch_logged' ended after 2 attempts (succeeded), having slept 0 seconds."
        ]
    );
}

#[retry(
    hedge = 10ms,
    stop = attempts(2),
    wait = fixed(100ms),
    retry_if = retryable,
    before = |state| events.borrow_mut().push(format!("before {}", state.attempt())),
    after = |state| events.borrow_mut().push(format!("after {}", state.attempt()))
)]
async fn fetch_hooked(replica: &Replica, events: &RefCell<Vec<String>>) -> Result<u32, Fault> {
    replica.request().await
}

/// A round is one attempt to the hooks: `before` once before it, `after` once when it fails.
#[tokio::test(start_paused = true)]
async fn hooks_run_once_a_round() {
    // The first round: the attempt fails at 50 ms, its hedge at 15 ms. The second succeeds.
    let script = [(50, Err(Fault::Busy)), (5, Err(Fault::Busy)), (1, Ok(3))];
    let once_a_round = ["before 1", "after 1", "before 2"];

    let (replica, events) = (Replica::new(&script), RefCell::new(Vec::new()));
    assert_eq!(fetch_hooked(&replica, &events).await, Ok(3));
    assert_eq!(replica.started(), [0, 10, 150]);
    assert_eq!(*events.borrow(), once_a_round);

    let (replica, events) = (Replica::new(&script), RefCell::new(Vec::<String>::new()));
    let (outcome, report) = policy()
        .stop(attempts(2))
        .hedge(after(ms(10)))
        .before(|state: &persevere::RetryState<'_, u32, Fault>| {
            events
                .borrow_mut()
                .push(format!("before {}", state.attempt()))
        })
        .after(|state: &persevere::RetryState<'_, u32, Fault>| {
            events
                .borrow_mut()
                .push(format!("after {}", state.attempt()))
        })
        .call_async_reported(|| replica.request())
        .await;
    assert_eq!((outcome, report.attempts()), (Ok(3), 3));
    assert_eq!(*events.borrow(), once_a_round);
}

#[retry(policy = Policy::new().hedge(after(Duration::from_millis(10))), stop = attempts(2), wait = fixed(0s))]
async fn hedged_by_its_policy(calls: &Cell<u32>) -> Result<u32, Fault> {
    calls.set(calls.get() + 1);
    if calls.get() < 2 {
        Err(Fault::Busy)
    } else {
        Ok(1)
    }
}

/// A `policy = ..` that hedges, under an attribute without the `hedge` key, runs one attempt at a
/// time and says so in a warning, rather than drop the hedge unseen.
#[tokio::test(start_paused = true)]
async fn a_policys_hedge_the_attribute_cannot_run_is_told() {
    let (capture, _guard) = log_capture::capturing_until_dropped();
    let calls = Cell::new(0);
    assert_eq!(hedged_by_its_policy(&calls).await, Ok(1));
    assert_eq!(calls.get(), 2);
    let warned: Vec<_> = capture
        .lines()
        .into_iter()
        .filter(|(_, level, message)| {
            *level == tracing::Level::WARN
                && message.contains("hedges only with its own `hedge` key")
        })
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", capture.lines());
}
