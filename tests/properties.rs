//! Property tests of every public stop and wait strategy: over arbitrary settings (zero, tiny,
//! huge and `Duration::MAX` durations; bases that are zero, fractional, huge, negative, infinite or
//! NaN) and every attempt number (0, 1 and `u32::MAX` included), no strategy panics or overflows,
//! each wait stays within its documented bounds, and each stop answers by its documented rule.

use std::time::Duration;

use persevere::RetryState;
use persevere::jitter;
use persevere::stop::{Stop, attempts, deadline, elapsed, never};
use persevere::wait::{
    Wait, chain, chain_vec, decorrelated_jitter, exponential, exponential_jitter, fixed,
    incrementing, none, random, random_exponential,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Few enough cases to run in well under a second in debug builds. No regression files: a
/// failure prints its minimal input, to be kept as a plain test.
fn config() -> Config {
    let default = Config::default();
    Config {
        // `PROPTEST_CASES=100000` runs a longer search.
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            256
        },
        // One seed by default, so that a run is repeatable and CI's verdict is the code's;
        // `PROPTEST_RNG_SEED=<n>`, or `PROPTEST_CASES`, searches elsewhere.
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some()
            || std::env::var_os("PROPTEST_CASES").is_some()
        {
            default.rng_seed
        } else {
            RngSeed::Fixed(0x7e75_e7e2)
        },
        failure_persistence: None,
        ..default
    }
}

type State = RetryState<'static, (), ()>;

fn wait_of<W: Wait<(), ()>>(wait: &W, state: &State) -> Duration {
    wait.next_wait(state)
}

fn stops<S: Stop<(), ()>>(stop: &S, state: &State) -> bool {
    stop.should_stop(state)
}

fn deadline_of<S: Stop<(), ()>>(stop: &S) -> Option<Duration> {
    Stop::<(), ()>::deadline(stop)
}

/// `2^64` nanoseconds, about 584 years: where whole nanoseconds stop fitting a `u64`.
const U64_NANOS: Duration = Duration::from_nanos(u64::MAX);

/// Durations from zero to `Duration::MAX`, weighted towards the edges.
fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        Just(U64_NANOS),
        Just(Duration::from_nanos(1)),
        // Everyday waits: up to ten seconds, to the nanosecond.
        (0u64..=10_000_000_000).prop_map(Duration::from_nanos),
        // Up to about 35 000 years.
        (0u64..=1 << 40, 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        // Anything a `Duration` holds.
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        // Just below the largest.
        (0u64..=1_000, 0u32..1_000_000_000).prop_map(|(s, n)| Duration::MAX - Duration::new(s, n)),
        // Around 2^64 nanoseconds.
        (0u64..=1_000_000, any::<bool>()).prop_map(|(n, up)| if up {
            U64_NANOS + Duration::from_nanos(n)
        } else {
            U64_NANOS - Duration::from_nanos(n)
        }),
    ]
}

/// Attempt numbers over the whole `u32` range, weighted towards the edges and the first few.
fn attempt() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0u32),
        Just(1),
        Just(2),
        Just(u32::MAX),
        Just(u32::MAX - 1),
        Just(i32::MAX as u32),
        Just(i32::MAX as u32 + 1),
        Just(i32::MAX as u32 + 2),
        0u32..100,
        any::<u32>(),
    ]
}

/// Bases: zero, fractional, one, ordinary, huge, tiny, negative, infinite and NaN.
fn base() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(0.5),
        Just(1.0),
        Just(2.0),
        Just(1e300),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(f64::EPSILON),
        Just(1.0 + f64::EPSILON),
        Just(-1.0),
        Just(-2.0),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::NAN),
        0.0..1.0,
        1.0..1.000_001,
        1.0..10.0,
        -10.0..0.0,
        any::<f64>(),
    ]
}

/// A state for `attempt` with arbitrary clock readings.
fn state() -> impl Strategy<Value = State> {
    (
        attempt(),
        duration(),
        prop::option::of(duration()),
        prop::option::of(duration()),
    )
        .prop_map(|(attempt, elapsed, upcoming, previous)| {
            let mut state = RetryState::new(attempt).with_elapsed(elapsed);
            if let Some(upcoming) = upcoming {
                state = state.with_upcoming_sleep(upcoming);
            }
            if let Some(previous) = previous {
                state = state.with_previous_sleep(previous);
            }
            state
        })
}

/// The settings of an exponential curve, shared by the three strategies that follow one.
#[derive(Debug, Clone, Copy)]
struct Curve {
    multiplier: Duration,
    base: f64,
    min: Duration,
    max: Duration,
}

fn curve() -> impl Strategy<Value = Curve> {
    (duration(), base(), duration(), duration()).prop_map(|(multiplier, base, min, max)| Curve {
        multiplier,
        base,
        min,
        max,
    })
}

impl Curve {
    fn exponential(self) -> persevere::wait::Exponential {
        exponential()
            .multiplier(self.multiplier)
            .base(self.base)
            .min(self.min)
            .max(self.max)
    }

    /// `max`, raised to `min` if below it: min wins.
    fn ceiling(self) -> Duration {
        self.max.max(self.min)
    }

    /// The base as the formula uses it: negative or NaN behaves as 1.
    fn effective_base(self) -> f64 {
        if self.base.is_nan() || self.base < 0.0 {
            1.0
        } else {
            self.base
        }
    }

    /// `multiplier · base^(n−1)` in nanoseconds, by `powf` rather than the library's `powi`.
    fn ideal_nanos(self, attempt: u32) -> f64 {
        if self.multiplier.is_zero() {
            return 0.0;
        }
        let exponent = f64::from(attempt.saturating_sub(1).min(i32::MAX as u32));
        self.multiplier.as_nanos() as f64 * self.effective_base().powf(exponent)
    }
}

fn nanos(d: Duration) -> f64 {
    d.as_nanos() as f64
}

/// Whether `actual` is `expected` up to float rounding (relative 1e-6, or one nanosecond).
fn close(actual: Duration, expected: f64) -> bool {
    let difference = (nanos(actual) - expected).abs();
    difference <= 1.0 || difference <= expected.abs() * 1e-6
}

/// Bases under which the curve never shrinks: 1 or more, and those that behave as 1 (negative and
/// NaN).
fn growing_base() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(1.0),
        Just(1.0 + f64::EPSILON),
        Just(2.0),
        Just(1e300),
        Just(f64::MAX),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::NAN),
        Just(-1.0),
        1.0..1.000_001,
        1.0..10.0,
        1.0..f64::MAX,
        -10.0..0.0,
    ]
}

/// A seed for the jitter generator, so a failing case replays the same draws.
fn seed() -> impl Strategy<Value = u64> {
    any::<u64>()
}

/// A stop strategy, described so the tests can build it and know its deadline.
#[derive(Debug, Clone, Copy)]
enum StopSpec {
    Attempts(u32),
    Elapsed(Duration),
    Deadline(Duration),
    Never,
}

fn stop_spec() -> impl Strategy<Value = StopSpec> {
    prop_oneof![
        attempt().prop_map(StopSpec::Attempts),
        duration().prop_map(StopSpec::Elapsed),
        duration().prop_map(StopSpec::Deadline),
        Just(StopSpec::Never),
    ]
}

impl StopSpec {
    fn deadline(self) -> Option<Duration> {
        match self {
            StopSpec::Deadline(limit) => Some(limit),
            _ => None,
        }
    }
}

/// Builds the strategy `$spec` describes as `$name` (each kind its own type) and runs `$body`.
macro_rules! with_stop {
    ($spec:expr, $name:ident => $body:expr) => {
        match $spec {
            StopSpec::Attempts(n) => {
                let $name = attempts(n);
                $body
            }
            StopSpec::Elapsed(limit) => {
                let $name = elapsed(limit);
                $body
            }
            StopSpec::Deadline(limit) => {
                let $name = deadline(limit);
                $body
            }
            StopSpec::Never => {
                let $name = never();
                $body
            }
        }
    };
}

proptest! {
    #![proptest_config(config())]

    // ----- exponential -----

    #[test]
    fn exponential_stays_within_min_and_max(curve in curve(), state in state()) {
        let wait = wait_of(&curve.exponential(), &state);
        prop_assert!(wait >= curve.min, "{wait:?} below min {:?}", curve.min);
        prop_assert!(wait <= curve.ceiling(), "{wait:?} above max {:?}", curve.ceiling());
    }

    #[test]
    fn exponential_follows_its_formula(curve in curve(), attempt in attempt()) {
        let wait = wait_of(&curve.exponential(), &RetryState::new(attempt));
        let expected = curve
            .ideal_nanos(attempt)
            .clamp(nanos(curve.min), nanos(curve.ceiling()));
        prop_assert!(
            close(wait, expected),
            "attempt {attempt}: {wait:?}, expected about {expected} ns"
        );
    }

    #[test]
    fn exponential_with_min_above_max_is_min(
        curve in curve(),
        attempt in attempt(),
    ) {
        // The larger of the two as `min`: min wins (and `min == max` is that value too).
        let (min, max) = (curve.min.max(curve.max), curve.min.min(curve.max));
        let wait = exponential()
            .multiplier(curve.multiplier)
            .base(curve.base)
            .min(min)
            .max(max);
        prop_assert_eq!(wait_of(&wait, &RetryState::new(attempt)), min);
    }

    #[test]
    fn exponential_never_shrinks_with_a_base_of_one_or_more(
        curve in curve(),
        base in growing_base(),
        first in attempt(),
        step in prop_oneof![Just(1u32), 0u32..1_000, any::<u32>()],
    ) {
        let wait = Curve { base, ..curve }.exponential();
        let later = first.saturating_add(step);
        let before = wait_of(&wait, &RetryState::new(first));
        let after = wait_of(&wait, &RetryState::new(later));
        prop_assert!(
            before <= after,
            "attempt {first} waits {before:?} but later attempt {later} waits {after:?}"
        );
    }

    #[test]
    fn exponential_takes_integer_and_float_bases(
        multiplier in duration(),
        int_base in any::<i32>(),
        float_base in any::<f32>(),
        attempt in attempt(),
    ) {
        let state = RetryState::new(attempt);
        let by_int = exponential().multiplier(multiplier).base(int_base);
        let by_float = exponential().multiplier(multiplier).base(f64::from(int_base));
        prop_assert_eq!(wait_of(&by_int, &state), wait_of(&by_float, &state));
        let by_f32 = exponential().multiplier(multiplier).base(float_base);
        let by_f64 = exponential().multiplier(multiplier).base(f64::from(float_base));
        prop_assert_eq!(wait_of(&by_f32, &state), wait_of(&by_f64, &state));
    }

    // ----- random and the jittered exponentials -----

    #[test]
    fn random_stays_within_its_range(
        min in duration(),
        max in duration(),
        state in state(),
        seed in seed(),
    ) {
        jitter::seed(seed);
        let wait = wait_of(&random(min, max), &state);
        if min > max {
            prop_assert_eq!(wait, min);
        } else {
            prop_assert!(wait >= min && wait <= max, "{wait:?} outside [{min:?}, {max:?}]");
        }
    }

    #[test]
    fn random_exponential_stays_under_its_curve(
        curve in curve(),
        state in state(),
        seed in seed(),
    ) {
        jitter::seed(seed);
        let wait = random_exponential()
            .multiplier(curve.multiplier)
            .base(curve.base)
            .min(curve.min)
            .max(curve.max);
        let drawn = wait_of(&wait, &state);
        let high = wait_of(&curve.exponential(), &state);
        prop_assert!(
            drawn >= curve.min && drawn <= high,
            "{drawn:?} outside [{:?}, {high:?}]",
            curve.min
        );
        prop_assert!(drawn <= curve.ceiling());
    }

    #[test]
    fn exponential_jitter_stays_within_min_and_max(
        curve in curve(),
        noise in duration(),
        state in state(),
        seed in seed(),
    ) {
        jitter::seed(seed);
        let wait = exponential_jitter()
            .multiplier(curve.multiplier)
            .base(curve.base)
            .min(curve.min)
            .max(curve.max)
            .jitter(noise);
        let drawn = wait_of(&wait, &state);
        prop_assert!(drawn >= curve.min, "{drawn:?} below min {:?}", curve.min);
        prop_assert!(drawn <= curve.ceiling(), "{drawn:?} above max {:?}", curve.ceiling());
        // The exponential part, lowered to leave room for the noise below the cap, plus at most
        // `jitter` of noise.
        let room = curve.ceiling().saturating_sub(noise).max(curve.min);
        let floor = wait_of(&curve.exponential(), &state).min(room);
        prop_assert!(drawn >= floor, "{drawn:?} below the curve's {floor:?}");
        prop_assert!(
            drawn <= floor.saturating_add(noise),
            "{drawn:?} more than {noise:?} above the curve's {floor:?}"
        );
    }

    #[test]
    fn exponential_jitter_without_noise_is_exponential(curve in curve(), state in state()) {
        let wait = exponential_jitter()
            .multiplier(curve.multiplier)
            .base(curve.base)
            .min(curve.min)
            .max(curve.max)
            .jitter(Duration::ZERO);
        prop_assert_eq!(wait_of(&wait, &state), wait_of(&curve.exponential(), &state));
    }

    #[test]
    fn decorrelated_jitter_stays_within_initial_and_max(
        initial in duration(),
        max in duration(),
        state in state(),
        seed in seed(),
    ) {
        jitter::seed(seed);
        let wait = decorrelated_jitter().initial(initial).max(max);
        let drawn = wait_of(&wait, &state);
        let low = initial.min(max);
        prop_assert!(drawn >= low && drawn <= max, "{drawn:?} outside [{low:?}, {max:?}]");
        // At most three times the previous wait (or `initial` before the first).
        let previous = state.previous_sleep().unwrap_or(initial).max(low);
        let high = previous.saturating_mul(3).min(max);
        prop_assert!(drawn <= high, "{drawn:?} above 3 × {previous:?} (capped: {high:?})");
    }

    #[test]
    fn jittered_defaults_stay_within_their_documented_bounds(
        state in state(),
        seed in seed(),
    ) {
        jitter::seed(seed);
        let minute = Duration::from_secs(60);
        prop_assert!(wait_of(&random_exponential(), &state) <= minute);
        prop_assert!(wait_of(&exponential_jitter(), &state) <= minute);
        let decorrelated = wait_of(&decorrelated_jitter(), &state);
        prop_assert!(decorrelated >= Duration::from_secs(1) && decorrelated <= minute);
    }

    #[test]
    fn seeded_jitter_replays(
        curve in curve(),
        state in state(),
        seed in seed(),
    ) {
        let wait = random_exponential()
            .multiplier(curve.multiplier)
            .base(curve.base)
            .min(curve.min)
            .max(curve.max)
            + random(curve.min, curve.max)
            + decorrelated_jitter().initial(curve.min).max(curve.max);
        jitter::seed(seed);
        let first = wait_of(&wait, &state);
        jitter::seed(seed);
        prop_assert_eq!(wait_of(&wait, &state), first);
    }

    // ----- incrementing, fixed, none -----

    #[test]
    fn incrementing_follows_its_saturating_formula(
        start in duration(),
        increment in duration(),
        max in duration(),
        attempt in attempt(),
    ) {
        let wait = incrementing().start(start).increment(increment).max(max);
        let expected = start
            .saturating_add(increment.saturating_mul(attempt.saturating_sub(1)))
            .min(max);
        prop_assert_eq!(wait_of(&wait, &RetryState::new(attempt)), expected);
    }

    #[test]
    fn incrementing_never_shrinks(
        start in duration(),
        increment in duration(),
        max in duration(),
        first in attempt(),
        step in prop_oneof![Just(1u32), 0u32..1_000, any::<u32>()],
    ) {
        let wait = incrementing().start(start).increment(increment).max(max);
        let later = first.saturating_add(step);
        prop_assert!(
            wait_of(&wait, &RetryState::new(first)) <= wait_of(&wait, &RetryState::new(later))
        );
    }

    #[test]
    fn incrementing_defaults_step_by_100ms(attempt in attempt()) {
        let expected = Duration::from_millis(100).saturating_mul(attempt.saturating_sub(1));
        prop_assert_eq!(wait_of(&incrementing(), &RetryState::new(attempt)), expected);
    }

    #[test]
    fn fixed_and_none_are_exact(every in duration(), state in state()) {
        prop_assert_eq!(wait_of(&fixed(every), &state), every);
        prop_assert_eq!(wait_of(&every, &state), every);
        prop_assert_eq!(wait_of(&none(), &state), Duration::ZERO);
    }

    // ----- sums and chains -----

    #[test]
    fn sums_add_and_saturate(
        a in curve(),
        b in duration(),
        c in duration(),
        state in state(),
        seed in seed(),
    ) {
        let left = a.exponential();
        let middle = random(b, c);
        let right = incrementing().start(b).increment(c);
        let sum = left + middle + right + fixed(c);
        jitter::seed(seed);
        let total = wait_of(&sum, &state);
        // The same draws in the same order: `a + b` asks `a` first.
        jitter::seed(seed);
        let expected = wait_of(&left, &state)
            .saturating_add(wait_of(&middle, &state))
            .saturating_add(wait_of(&right, &state))
            .saturating_add(c);
        prop_assert_eq!(total, expected);
    }

    #[test]
    fn tuple_chains_pick_member_by_attempt(
        curves in [curve(), curve(), curve()],
        state in state(),
    ) {
        let [a, b, c] = curves.map(Curve::exponential);
        let n = state.attempt();
        let one = chain((a,));
        prop_assert_eq!(wait_of(&one, &state), wait_of(&a, &state));
        let two = chain((a, b));
        let expected = if n <= 1 { wait_of(&a, &state) } else { wait_of(&b, &state) };
        prop_assert_eq!(wait_of(&two, &state), expected);
        let three = chain((a, b, c));
        let members = [a, b, c];
        let index = n.clamp(1, 3) as usize - 1;
        prop_assert_eq!(wait_of(&three, &state), wait_of(&members[index], &state));
    }

    #[test]
    fn twelve_member_chains_pick_member_by_attempt(
        waits in prop::array::uniform12(duration()),
        state in state(),
    ) {
        let [a, b, c, d, e, f, g, h, i, j, k, l] = waits.map(fixed);
        let wait = chain((a, b, c, d, e, f, g, h, i, j, k, l));
        let index = state.attempt().clamp(1, 12) as usize - 1;
        prop_assert_eq!(wait_of(&wait, &state), waits[index]);
    }

    #[test]
    fn vec_chains_pick_member_by_attempt(
        curves in prop::collection::vec(curve(), 1..8),
        state in state(),
    ) {
        let members: Vec<_> = curves.iter().map(|curve| curve.exponential()).collect();
        let wait = chain_vec(members.clone()).expect("a non-empty chain");
        let index = (state.attempt().max(1) as usize).min(members.len()) - 1;
        prop_assert_eq!(wait_of(&wait, &state), wait_of(&members[index], &state));
    }

    #[test]
    fn chains_of_jittered_members_stay_within_their_members_bounds(
        curve in curve(),
        initial in duration(),
        max in duration(),
        state in state(),
        seed in seed(),
    ) {
        jitter::seed(seed);
        let wait = chain((
            random(curve.min, curve.max),
            decorrelated_jitter().initial(initial).max(max),
            exponential_jitter()
                .multiplier(curve.multiplier)
                .base(curve.base)
                .min(curve.min)
                .max(curve.max),
        ));
        let drawn = wait_of(&wait, &state);
        // Attempt 2 asks the decorrelated jitter; the others a member with `curve`'s bounds.
        let (low, high) = if state.attempt() == 2 {
            (initial.min(max), max)
        } else {
            (curve.min, curve.ceiling())
        };
        prop_assert!(drawn >= low && drawn <= high, "{drawn:?} outside [{low:?}, {high:?}]");
    }

    /// Every strategy at once, with every setting arbitrary: nothing panics, whatever it gives.
    #[test]
    fn nothing_panics(
        curves in [curve(), curve(), curve()],
        durations in prop::array::uniform6(duration()),
        states in prop::collection::vec(state(), 1..4),
        seed in seed(),
    ) {
        jitter::seed(seed);
        let [a, b, c] = curves;
        let [d0, d1, d2, d3, d4, d5] = durations;
        let everything = a.exponential()
            + random_exponential().multiplier(b.multiplier).base(b.base).min(b.min).max(b.max)
            + exponential_jitter()
                .multiplier(c.multiplier)
                .base(c.base)
                .min(c.min)
                .max(c.max)
                .jitter(d0)
            + chain((
                random(d1, d2),
                decorrelated_jitter().initial(d3).max(d4),
                incrementing().start(d5).increment(d0).max(d1),
                fixed(d2) + none(),
            ))
            + chain_vec(vec![decorrelated_jitter().initial(d4).max(d3); 3]).expect("non-empty");
        for state in &states {
            let _ = wait_of(&everything, state);
        }
    }

    // ----- stops -----

    #[test]
    fn attempts_stops_from_its_count_on(n in attempt(), attempt in attempt()) {
        // `attempts(0)` behaves as `attempts(1)`, at every attempt number.
        let stop = attempts(n);
        prop_assert_eq!(stop.max(), n.max(1));
        prop_assert_eq!(stops(&stop, &RetryState::new(attempt)), attempt >= n.max(1));
        prop_assert_eq!(deadline_of(&stop), None);
    }

    #[test]
    fn elapsed_stops_once_its_limit_has_passed(limit in duration(), state in state()) {
        prop_assert_eq!(stops(&elapsed(limit), &state), state.elapsed() >= limit);
        prop_assert_eq!(deadline_of(&elapsed(limit)), None);
    }

    #[test]
    fn deadline_stops_before_a_sleep_that_would_reach_it(limit in duration(), state in state()) {
        let end = state
            .elapsed()
            .saturating_add(state.upcoming_sleep().unwrap_or(Duration::ZERO));
        prop_assert_eq!(stops(&deadline(limit), &state), end >= limit);
        prop_assert_eq!(deadline_of(&deadline(limit)), Some(limit));
    }

    #[test]
    fn never_never_stops(state in state()) {
        prop_assert!(!stops(&never(), &state));
        prop_assert_eq!(deadline_of(&never()), None);
    }

    #[test]
    fn or_and_and_combine_like_booleans(
        a in stop_spec(),
        b in stop_spec(),
        c in stop_spec(),
        state in state(),
    ) {
        // Each part's own answer: the parts' rules are the properties above.
        let (x, y, z) = (
            with_stop!(a, s => stops(&s, &state)),
            with_stop!(b, s => stops(&s, &state)),
            with_stop!(c, s => stops(&s, &state)),
        );
        with_stop!(a, sa => with_stop!(b, sb => {
            prop_assert_eq!(stops(&(sa | sb), &state), x || y);
            prop_assert_eq!(stops(&(sa & sb), &state), x && y);
            prop_assert_eq!(
                deadline_of(&(sa | sb)),
                match (a.deadline(), b.deadline()) {
                    (Some(p), Some(q)) => Some(p.min(q)),
                    (p, q) => p.or(q),
                }
            );
            prop_assert_eq!(
                deadline_of(&(sa & sb)),
                a.deadline().zip(b.deadline()).map(|(p, q)| p.max(q))
            );
            with_stop!(c, sc => {
                prop_assert_eq!(stops(&((sa | sb) & sc), &state), (x || y) && z);
                prop_assert_eq!(stops(&(sa | (sb & sc)), &state), x || (y && z));
                prop_assert_eq!(stops(&(sa & sb | sc), &state), (x && y) || z);
                prop_assert_eq!(stops(&(sa & (sb & sc)), &state), x && y && z);
            });
        }));
    }
}
