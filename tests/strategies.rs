//! Each strategy's sequence, checked against tenacity's published numbers where it has them, and
//! jitter checked by its bounds over many draws and by seeded reproducibility.

use std::time::Duration;

use persevere::RetryState;
use persevere::stop::{Stop, attempts, deadline, elapsed, never};
use persevere::wait::{
    Wait, chain, chain_vec, decorrelated_jitter, exponential, exponential_jitter, fixed,
    incrementing, random, random_exponential,
};

fn waits<W: Wait<(), ()>>(wait: &W, attempts: u32) -> Vec<Duration> {
    (1..=attempts)
        .map(|n| wait.next_wait(&RetryState::new(n)))
        .collect()
}

fn secs(list: &[u64]) -> Vec<Duration> {
    list.iter().map(|s| Duration::from_secs(*s)).collect()
}

const SECOND: Duration = Duration::from_secs(1);

#[test]
fn exponential_matches_tenacity() {
    // tenacity: wait_exponential(max=40) gives 1, 2, 4, 8, 16, 32, 40, 40.
    let capped = exponential().max(Duration::from_secs(40));
    assert_eq!(waits(&capped, 8), secs(&[1, 2, 4, 8, 16, 32, 40, 40]));
    // wait_exponential(multiplier=1, min=4, max=10): 4, 4, 4, 8, 10, 10.
    let headline = exponential().min(4 * SECOND).max(10 * SECOND);
    assert_eq!(waits(&headline, 6), secs(&[4, 4, 4, 8, 10, 10]));
    // multiplier and base: 0.5 s · 3^(n−1).
    let scaled = exponential().multiplier(SECOND / 2).base(3.0);
    assert_eq!(
        waits(&scaled, 4),
        [500, 1500, 4500, 13500].map(Duration::from_millis).to_vec()
    );
}

#[test]
fn exponential_saturates_instead_of_overflowing() {
    let uncapped = exponential();
    let late = uncapped.next_wait(&RetryState::<(), ()>::new(u32::MAX));
    assert_eq!(late, Duration::MAX);
    let capped = exponential().max(Duration::from_secs(40));
    for n in [64, 1_000, 1_000_000, u32::MAX] {
        assert_eq!(
            Wait::<(), ()>::next_wait(&capped, &RetryState::new(n)),
            Duration::from_secs(40)
        );
    }
    // min above max: min wins.
    let inverted = exponential().min(10 * SECOND).max(4 * SECOND);
    assert_eq!(waits(&inverted, 3), secs(&[10, 10, 10]));
    // A nonsensical base behaves as 1.
    assert_eq!(waits(&exponential().base(f64::NAN), 3), secs(&[1, 1, 1]));
    // The formula holds past attempt 2^31 (reachable under `never()`): a base just above 1
    // keeps growing, one just below keeps shrinking.
    let slow = exponential().multiplier(SECOND).base(1.000_000_000_1);
    let at = |wait: &persevere::wait::Exponential, n: u32| {
        Wait::<(), ()>::next_wait(wait, &RetryState::new(n)).as_secs_f64()
    };
    for n in [1u32 << 31, (1 << 31) + 1, u32::MAX] {
        let expected = 1.000_000_000_1f64.powf(f64::from(n - 1));
        assert!((at(&slow, n) - expected).abs() < 1e-6, "attempt {n}");
    }
    assert!(at(&slow, u32::MAX) > at(&slow, (1 << 31) + 1));
    let shrinking = exponential().multiplier(SECOND).base(0.999_999_999_9);
    assert!(at(&shrinking, u32::MAX) < at(&shrinking, (1 << 31) + 1));
}

#[test]
fn incrementing_fixed_chain_and_sum() {
    let steps = incrementing()
        .start(SECOND)
        .increment(2 * SECOND)
        .max(6 * SECOND);
    assert_eq!(waits(&steps, 5), secs(&[1, 3, 5, 6, 6]));
    assert_eq!(waits(&fixed(3 * SECOND), 3), secs(&[3, 3, 3]));
    // Attempt n uses member n; the last repeats.
    let chained = chain((fixed(SECOND), fixed(2 * SECOND), exponential()));
    assert_eq!(waits(&chained, 6), secs(&[1, 2, 4, 8, 16, 32]));
    let summed = fixed(SECOND) + incrementing().increment(SECOND);
    assert_eq!(waits(&summed, 3), secs(&[1, 2, 3]));
    // A chain built at run time, and the empty one it refuses.
    let runtime = chain_vec(vec![fixed(SECOND), fixed(5 * SECOND)]).unwrap();
    assert_eq!(waits(&runtime, 3), secs(&[1, 5, 5]));
    assert_eq!(
        chain_vec(Vec::<persevere::wait::Fixed>::new())
            .unwrap_err()
            .to_string(),
        "a wait chain needs at least one strategy"
    );
}

#[test]
fn random_waits_stay_within_bounds() {
    let uniform = random(SECOND, 2 * SECOND);
    let drawn = waits(&uniform, 1_000);
    assert!(drawn.iter().all(|d| *d >= SECOND && *d <= 2 * SECOND));
    let mean = drawn.iter().sum::<Duration>() / 1_000;
    assert!(
        mean > Duration::from_millis(1400) && mean < Duration::from_millis(1600),
        "{mean:?}"
    );

    let full = random_exponential().multiplier(SECOND).max(10 * SECOND);
    for n in 1..=30 {
        let ceiling = (SECOND * 2u32.saturating_pow(n - 1)).min(10 * SECOND);
        for _ in 0..50 {
            let d = Wait::<(), ()>::next_wait(&full, &RetryState::new(n));
            assert!(d <= ceiling, "attempt {n}: {d:?} above {ceiling:?}");
        }
    }
}

/// Uniform over any range, past 2^64 ns (584 years) too: the mean of many draws over
/// `[0, Duration::MAX]` is near its middle, not near 292 years.
#[test]
fn random_waits_are_uniform_over_huge_ranges() {
    let _seed = persevere::testing::seed_jitter(11);
    let huge = random(Duration::ZERO, Duration::MAX);
    let drawn = waits(&huge, 400);
    let middle = Duration::MAX / 2;
    let mean = drawn.iter().map(|d| d.as_secs_f64()).sum::<f64>() / 400.0;
    let ratio = mean / middle.as_secs_f64();
    assert!(ratio > 0.8 && ratio < 1.2, "mean at {ratio} of the middle");
}

/// At the cap, a jittered wait must still vary: otherwise capped clients wake together.
fn spread_at_cap<W: Wait<(), ()>>(wait: &W, max: Duration, low: Duration) {
    let capped: Vec<Duration> = (0..200)
        .map(|_| wait.next_wait(&RetryState::new(40).with_previous_sleep(max)))
        .collect();
    assert!(capped.iter().all(|d| *d <= max && *d >= low), "{capped:?}");
    let distinct: std::collections::HashSet<_> = capped.iter().collect();
    assert!(
        distinct.len() > 100,
        "only {} distinct waits at the cap",
        distinct.len()
    );
}

#[test]
fn jittered_waits_keep_their_spread_at_the_cap() {
    let max = 10 * SECOND;
    spread_at_cap(&random_exponential().max(max), max, Duration::ZERO);
    spread_at_cap(
        &exponential_jitter().max(max).jitter(SECOND),
        max,
        9 * SECOND,
    );
    spread_at_cap(&decorrelated_jitter().initial(SECOND).max(max), max, SECOND);
}

#[test]
fn exponential_jitter_adds_at_most_its_jitter_below_the_cap() {
    let wait = exponential_jitter().max(60 * SECOND).jitter(SECOND / 2);
    for n in 1..=4u32 {
        let base = SECOND * 2u32.pow(n - 1);
        for _ in 0..50 {
            let d = Wait::<(), ()>::next_wait(&wait, &RetryState::new(n));
            assert!(d >= base && d <= base + SECOND / 2, "attempt {n}: {d:?}");
        }
    }
}

#[test]
fn exponential_jitter_at_or_above_max_spreads_every_wait_over_min_to_max() {
    let _seed = persevere::testing::seed_jitter(3);
    let max = Duration::from_millis(500);
    let wait = exponential_jitter()
        .multiplier(Duration::from_millis(100))
        .max(max);
    // The default jitter, 1 s, is above `max`: from the first attempt, waits fill [0, max].
    let first: Vec<Duration> = (0..2_000)
        .map(|_| Wait::<(), ()>::next_wait(&wait, &RetryState::new(1)))
        .collect();
    assert!(first.iter().all(|d| *d <= max));
    assert!(first.iter().any(|d| *d < Duration::from_millis(50)));
    assert!(first.iter().any(|d| *d > Duration::from_millis(450)));
}

#[test]
fn decorrelated_jitter_grows_from_the_previous_sleep() {
    let wait = decorrelated_jitter()
        .initial(Duration::from_millis(100))
        .max(60 * SECOND);
    for previous in [100, 400, 2_000] {
        let previous = Duration::from_millis(previous);
        for _ in 0..50 {
            let state = RetryState::<(), ()>::new(3).with_previous_sleep(previous);
            let d = wait.next_wait(&state);
            assert!(
                d >= Duration::from_millis(100) && d <= previous * 3,
                "{d:?}"
            );
        }
    }
}

#[test]
fn seeding_makes_jitter_reproducible() {
    let wait = random_exponential().max(30 * SECOND);
    persevere::jitter::seed(42);
    let first = waits(&wait, 10);
    persevere::jitter::seed(42);
    assert_eq!(waits(&wait, 10), first);
    persevere::jitter::seed(43);
    assert_ne!(waits(&wait, 10), first);
    persevere::jitter::unseed();
}

#[test]
fn stops() {
    let state = |attempt: u32, elapsed: u64, upcoming: u64| {
        RetryState::<(), ()>::new(attempt)
            .with_elapsed(Duration::from_secs(elapsed))
            .with_upcoming_sleep(Duration::from_secs(upcoming))
    };
    assert!(!attempts(3).should_stop(&state(2, 0, 0)));
    assert!(attempts(3).should_stop(&state(3, 0, 0)));
    assert_eq!(attempts(0).max(), 1);
    assert!(!elapsed(10 * SECOND).should_stop(&state(1, 9, 5)));
    assert!(elapsed(10 * SECOND).should_stop(&state(1, 10, 0)));
    // deadline looks at the sleep to come.
    assert!(deadline(10 * SECOND).should_stop(&state(1, 7, 3)));
    assert!(!deadline(10 * SECOND).should_stop(&state(1, 6, 3)));
    assert!(!never().should_stop(&state(u32::MAX, u64::MAX / 2, 0)));
    // | stops when either does, & only when both do.
    assert!((attempts(5) | elapsed(10 * SECOND)).should_stop(&state(2, 11, 0)));
    assert!(!(attempts(5) & elapsed(10 * SECOND)).should_stop(&state(2, 11, 0)));
    assert!((attempts(5) & elapsed(10 * SECOND)).should_stop(&state(5, 11, 0)));
}
