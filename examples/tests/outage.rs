//! The outage demo against its upstreams' logic on tokio's paused clock: the counts of
//! `demos.rs`'s loopback run, and exact times. A process of its own, as the demo's breakers and
//! budgets are `static`s.

#[path = "../outage.rs"]
mod outage;

use std::time::Duration;

use persevere::breaker::BreakerState;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test(start_paused = true)]
async fn outage_times_are_exact_on_the_paused_clock() {
    let started = tokio::time::Instant::now();
    let seen = outage::demo_direct().await;

    // Unprotected: 4 requests and 3 waits of 2 ms per call.
    assert_eq!(seen.unprotected.requests, 80);
    assert_eq!(seen.unprotected.failed, 20);
    assert_eq!(seen.unprotected.latencies, vec![ms(6); 20]);

    // The breaker opens on the first call's 4th failure; the other 19 fail fast, in no time.
    assert_eq!(seen.breaker.requests, 4);
    assert_eq!((seen.breaker.failed, seen.breaker.refused), (20, 19));
    assert_eq!(seen.breaker.slowest_refusal, Duration::ZERO);
    assert_eq!(
        (seen.breaker.percentile(50), seen.breaker.percentile(99)),
        (Duration::ZERO, ms(6))
    );
    assert_eq!(seen.breaker.mean(), ms(6) / 20);

    // A reserve of 5 retries: 3 for the first call, 2 for the second, none after.
    for budget in [&seen.shared_budget, &seen.budget_per_host] {
        assert_eq!((budget.requests, budget.failed), (10, 5));
        assert_eq!(
            budget.latencies,
            [Duration::ZERO, Duration::ZERO, Duration::ZERO, ms(4), ms(6)]
        );
    }
    assert!(!seen.search_with_shared_budget);
    assert!(seen.search_with_budget_per_host);
    assert_eq!(seen.probe_requests, 1);
    assert_eq!(seen.breaker_after_probe, Some(BreakerState::Closed));

    // Catalog: arrivals 10, 20, 30 and 40 take 500 ms.
    let plain = &seen.catalog_plain;
    assert_eq!((plain.requests, plain.failed), (40, 0));
    assert_eq!(plain.latencies.iter().filter(|l| **l == ms(5)).count(), 36);
    assert_eq!(plain.latencies.iter().filter(|l| **l == ms(500)).count(), 4);
    assert_eq!(
        (plain.percentile(50), plain.percentile(99)),
        (ms(5), ms(500))
    );
    // Hedged: arrivals 50, 60, 70 and 80 get a hedge at 20 ms, the next arrival, which answers
    // 5 ms later: 4 calls of 25 ms, for 4 extra requests.
    let hedged = &seen.catalog_hedged;
    assert_eq!((hedged.requests, hedged.failed), (44, 0));
    assert_eq!(hedged.latencies.iter().filter(|l| **l == ms(5)).count(), 36);
    assert_eq!(hedged.latencies.iter().filter(|l| **l == ms(25)).count(), 4);
    assert_eq!(
        (hedged.percentile(50), hedged.percentile(99)),
        (ms(5), ms(25))
    );

    // billing: 20 × 6 + 6 + 2 × (6 + 4) ms, search with a budget per host: 2 ms, the cool-down:
    // 25 ms; catalog: 36 × 5 + 4 × 500 ms plainly, 36 × 5 + 4 × 25 ms hedged.
    assert_eq!(started.elapsed(), ms(120 + 6 + 20 + 2 + 25 + 2180 + 280));
    assert!(seen.table().contains("1.10 (44/40)"));
}
