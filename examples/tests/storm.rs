//! The storm demo (issue 8), run against its loopback server with sleeps skipped, asserting the
//! server's own request counts: a budget keeps an outage's load near one request per call.
//!
//! Each test brings its own budget: tests run at once, and a budget in a `static` lives as long as
//! the process.

#[path = "../storm.rs"]
mod storm;

use persevere::budget::RetryBudget;

#[tokio::test]
async fn a_budget_keeps_an_outage_near_one_request_per_call() {
    static BUDGET: RetryBudget = RetryBudget::new();
    let _skip = persevere::testing::skip_sleeps();
    let report = storm::demo(300, &BUDGET)
        .await
        .expect("the demo's server starts");
    assert_eq!(report.callers, 300);
    let (unbudgeted, budgeted) = (&report.unbudgeted, &report.budgeted);

    // Without a budget, every call of the outage makes every attempt the stop allows.
    assert_eq!(
        (unbudgeted.outage.calls, unbudgeted.outage.succeeded),
        (300, 0)
    );
    assert_eq!(unbudgeted.outage.requests, 300 * u64::from(storm::ATTEMPTS));
    assert_eq!(unbudgeted.outage.amplification(), 4.0);

    // With one, first attempts are free and the reserve of 10 is every retry the fleet gets: no
    // call succeeds during the outage, so nothing is refunded.
    assert_eq!((budgeted.outage.calls, budgeted.outage.succeeded), (300, 0));
    assert!(budgeted.outage.requests as f64 <= 1.1 * 300.0 + 10.0);
    assert_eq!(budgeted.outage.requests, 300 + 10);
    assert_eq!(budgeted.retries_left.map(|(outage, _)| outage), Some(0));

    // Once the server is back, every call succeeds at its first attempt, budget or not.
    for scenario in [unbudgeted, budgeted] {
        let recovered = &scenario.recovered;
        assert_eq!(
            (recovered.calls, recovered.requests, recovered.succeeded),
            (300, 300, 300)
        );
        assert_eq!(recovered.amplification(), 1.0);
        assert!(recovered.mean_done <= recovered.max_done);
    }
}

#[tokio::test]
async fn successes_refill_the_budget_a_tenth_at_a_time_up_to_its_reserve() {
    static BUDGET: RetryBudget = RetryBudget::new();
    let _skip = persevere::testing::skip_sleeps();

    // 40 callers: the outage spends the whole reserve, and 40 successes earn back 4 retries.
    let report = storm::demo(40, &BUDGET)
        .await
        .expect("the demo's server starts");
    assert_eq!(report.budgeted.outage.requests, 40 + 10);
    assert_eq!(report.budgeted.retries_left, Some((0, 4)));

    // The next outage finds only those 4; then 200 successes would earn 20, but the budget holds
    // at most its reserve of 10.
    let report = storm::demo(200, &BUDGET)
        .await
        .expect("the demo's server starts");
    assert_eq!(report.budgeted.outage.requests, 200 + 4);
    assert_eq!(report.budgeted.recovered.requests, 200);
    assert_eq!(report.budgeted.retries_left, Some((0, 10)));
    assert_eq!(BUDGET.retries_left(), 10);
}
