//! The hedging demo (issue 18), run against its server's logic on tokio's paused clock: exact
//! latencies and request counts, with and without hedging, in no real time.

#[path = "../hedging.rs"]
mod hedging;

use std::sync::Arc;
use std::time::Duration;

use hedging::{Client, Server, measure};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test(start_paused = true)]
async fn hedging_cuts_the_tail_for_one_extra_request_in_ten() {
    let server = Arc::new(Server::default());
    let client = Client::Direct(Arc::clone(&server));
    let started = tokio::time::Instant::now();

    // One call after another: arrivals 10, 20, ..., 100 are the slow ones.
    let plain = measure(&server, &client, 100, 1, false).await.unwrap();
    assert_eq!(plain.extra_requests, 0);
    assert_eq!(plain.latencies.iter().filter(|l| **l == ms(5)).count(), 90);
    assert_eq!(
        plain.latencies.iter().filter(|l| **l == ms(500)).count(),
        10
    );
    assert_eq!(
        (plain.percentile(50), plain.percentile(99)),
        (ms(5), ms(500))
    );
    assert_eq!(started.elapsed(), ms(90 * 5 + 10 * 500));

    // Hedged: each slow request gets a hedge at 20 ms, the next arrival, which is fast: the call
    // takes 25 ms. Each hedge shifts the pattern by one, so 11 calls of 100 meet a slow turn.
    let started = tokio::time::Instant::now();
    let hedged = measure(&server, &client, 100, 1, true).await.unwrap();
    assert_eq!(hedged.extra_requests, 11);
    assert_eq!(hedged.latencies.iter().filter(|l| **l == ms(5)).count(), 89);
    assert_eq!(
        hedged.latencies.iter().filter(|l| **l == ms(25)).count(),
        11
    );
    assert_eq!(
        (hedged.percentile(50), hedged.percentile(99)),
        (ms(5), ms(25))
    );
    assert_eq!(started.elapsed(), ms(89 * 5 + 11 * 25));
    assert_eq!(server.arrivals(), 100 + 111);

    assert!(hedging::line("hedged", &hedged).contains("p99   25 ms"));
}
