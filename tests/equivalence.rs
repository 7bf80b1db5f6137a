//! Random policies decide the same through the attribute's expansion as through `Policy`.
//!
//! The attribute is compile-time, but its values are Rust expressions evaluated at run time, so
//! each annotated function below takes its strategies' parameters from an argument. Each has a
//! twin that builds the same policy with `Policy::new()` and runs the same scripted operation
//! through `Policy::call` (or `call_async`). For every generated case both runs must agree on the
//! returned outcome, the number of attempts, every recorded sleep, the virtual clock (attempts,
//! hooks and sleeps all advance it, so elapsed-based stops and deadlines are exercised), and
//! every hook's view of the retry state.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::time::{Duration, Instant};

use persevere::condition::{on_error, on_ok};
use persevere::sleep::{RecordingSleeper, SyncSleeper};
use persevere::stop::{attempts, deadline, elapsed, never};
use persevere::wait::{
    chain, decorrelated_jitter, exponential, exponential_jitter, fixed, incrementing, random,
    random_exponential,
};
use persevere::{Policy, RetryState, jitter, retry};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// 256 cases per property unless `PROPTEST_CASES` asks for more. No regression files: a failure
/// prints its minimal input, to be kept as a plain test.
fn config() -> Config {
    let default = Config::default();
    Config {
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

// ---- The scripted operation ----

/// The error: the scripted code, and the attempt that returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fail {
    code: u32,
    attempt: usize,
}

/// One scripted attempt: what it returns (`Err(code)` becomes a [`Fail`]) and how long it takes.
#[derive(Debug, Clone)]
struct Step {
    result: Result<u32, u32>,
    takes: Duration,
}

/// A value no condition below retries: scripts for policies that might never stop end with it.
const TERMINAL: u32 = 10_000;

/// More attempts than any policy here can make: a runaway loop fails the case instead of hanging.
const RUNAWAY: usize = 1_000;

/// Outcomes consumed one per attempt; once exhausted, the last repeats (or, for a terminated
/// script, `Ok(TERMINAL)`). Attempt time moves the recording sleeper's virtual clock (sync), or
/// is spent on tokio's clock (async).
struct Script<'a> {
    steps: &'a [Step],
    terminated: bool,
    calls: Cell<usize>,
    clock: Option<RecordingSleeper>,
}

impl<'a> Script<'a> {
    fn new(steps: &'a [Step], terminated: bool, clock: Option<RecordingSleeper>) -> Self {
        Script {
            steps,
            terminated,
            calls: Cell::new(0),
            clock,
        }
    }

    /// The step for the next attempt, counting it.
    fn step(&self) -> (usize, Step) {
        let n = self.calls.get();
        assert!(n < RUNAWAY, "runaway retry loop: {n} attempts");
        self.calls.set(n + 1);
        let step = match self.steps.get(n) {
            Some(step) => step.clone(),
            None if self.terminated => Step {
                result: Ok(TERMINAL),
                takes: Duration::ZERO,
            },
            None => self.steps.last().expect("a script has steps").clone(),
        };
        (n + 1, step)
    }

    fn next(&self) -> Result<u32, Fail> {
        let (attempt, step) = self.step();
        if let Some(clock) = &self.clock {
            clock.advance(step.takes);
        }
        step.result.map_err(|code| Fail { code, attempt })
    }

    async fn next_async(&self) -> Result<u32, Fail> {
        let (attempt, step) = self.step();
        tokio::time::sleep(step.takes).await;
        step.result.map_err(|code| Fail { code, attempt })
    }
}

// ---- What hooks see ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Before,
    After,
    BeforeSleep,
    GiveUp,
    /// The body's `attempt = name` binding (or, in `Policy`, what the operation sees).
    Body,
}

/// One hook's view of the retry state.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    when: When,
    function: String,
    attempt: u32,
    elapsed: Duration,
    slept: Duration,
    upcoming: Option<Duration>,
    previous: Option<Duration>,
    outcome: Option<Result<u32, Fail>>,
}

type Journal = RefCell<Vec<Entry>>;

fn note(journal: &Journal, when: When, state: &RetryState<'_, u32, Fail>) {
    journal.borrow_mut().push(Entry {
        when,
        function: state.function().to_string(),
        attempt: state.attempt(),
        elapsed: state.elapsed(),
        slept: state.slept(),
        upcoming: state.upcoming_sleep(),
        previous: state.previous_sleep(),
        outcome: state.outcome().cloned(),
    });
}

/// A hook that takes `takes` of the virtual clock.
fn record(
    journal: &Journal,
    clock: &RecordingSleeper,
    when: When,
    takes: Duration,
    state: &RetryState<'_, u32, Fail>,
) {
    note(journal, when, state);
    clock.advance(takes);
}

/// `on_give_up`: notes the state and the last outcome, and marks the outcome as given up on.
fn surrender(
    journal: &Journal,
    last: Result<u32, Fail>,
    state: &RetryState<'_, u32, Fail>,
) -> Result<u32, Fail> {
    note(journal, When::GiveUp, state);
    if let Some(entry) = journal.borrow_mut().last_mut() {
        entry.outcome = Some(last.clone());
    }
    last.map(|value| value + 1_000_000).map_err(|e| Fail {
        code: e.code + 1_000,
        ..e
    })
}

// ---- Running both ways ----

/// Everything a sync run leaves behind.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    outcome: Result<u32, Fail>,
    attempts: usize,
    sleeps: Vec<Duration>,
    clock: Duration,
    journal: Vec<Entry>,
}

/// A fresh sleeper, script and journal for one run.
struct Harness<'a> {
    sleeper: RecordingSleeper,
    script: Script<'a>,
    journal: Journal,
}

fn run(
    steps: &[Step],
    terminated: bool,
    retried: impl FnOnce(&Harness<'_>) -> Result<u32, Fail>,
) -> Run {
    let sleeper = RecordingSleeper::new();
    let harness = Harness {
        script: Script::new(steps, terminated, Some(sleeper.clone())),
        sleeper,
        journal: Journal::default(),
    };
    let outcome = retried(&harness);
    Run {
        outcome,
        attempts: harness.script.calls.get(),
        sleeps: harness.sleeper.sleeps(),
        clock: harness.sleeper.total(),
        journal: harness.journal.take(),
    }
}

/// Everything an async run on tokio's paused clock leaves behind.
#[derive(Debug, PartialEq, Eq)]
struct AsyncRun {
    outcome: Result<u32, Fail>,
    attempts: usize,
    elapsed: Duration,
    journal: Vec<Entry>,
}

async fn measure(
    script: &Script<'_>,
    journal: &Journal,
    retried: impl Future<Output = Result<u32, Fail>>,
) -> AsyncRun {
    let started = tokio::time::Instant::now();
    let outcome = retried.await;
    AsyncRun {
        outcome,
        attempts: script.calls.get(),
        elapsed: started.elapsed(),
        journal: journal.take(),
    }
}

fn paused_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime")
}

// ---- Generated inputs ----

/// Durations from zero to `max_secs`, to the nanosecond, weighted towards everyday waits and whole
/// seconds.
fn duration(max_secs: u64) -> impl Strategy<Value = Duration> {
    prop_oneof![
        2 => Just(Duration::ZERO),
        1 => Just(Duration::from_nanos(1)),
        // Whole seconds, so that sums of waits and attempt times land exactly on limits.
        4 => (0u64..=20).prop_map(Duration::from_secs),
        3 => (0u64..=2_000).prop_map(Duration::from_millis),
        3 => (0u64..=10_000_000_000).prop_map(Duration::from_nanos),
        2 => (0u64..=max_secs).prop_map(Duration::from_secs),
        1 => (0u64..=max_secs.saturating_mul(1_000_000_000)).prop_map(Duration::from_nanos),
    ]
}

const HOURS: u64 = 3 * 3600;

/// How long an attempt (or a hook) takes: mostly nothing.
fn takes() -> impl Strategy<Value = Duration> {
    prop_oneof![
        6 => Just(Duration::ZERO),
        1 => (0u64..=2_000).prop_map(Duration::from_millis),
        1 => duration(HOURS),
    ]
}

/// A time limit: any duration, often long, sometimes none to speak of.
fn limit() -> impl Strategy<Value = Duration> {
    prop_oneof![
        3 => duration(HOURS),
        1 => (0u64..=100 * 3600).prop_map(Duration::from_secs),
        1 => Just(Duration::MAX),
    ]
}

/// The bound below which a condition retries codes or values (all are below 100): often all of
/// them, so that calls run long.
fn below() -> impl Strategy<Value = u32> {
    prop_oneof![2 => 0u32..=100, 3 => Just(100)]
}

fn step() -> impl Strategy<Value = Step> {
    let result = prop_oneof![
        1 => (0u32..100).prop_map(Ok),
        6 => (0u32..100).prop_map(Err),
    ];
    (result, takes()).prop_map(|(result, takes)| Step { result, takes })
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(step(), 1..=25)
}

/// Bases of every kind `exponential` accepts: fractional, whole, zero, negative, NaN.
fn base() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0f64..4.0,
        2 => prop::sample::select(vec![0.0, 0.5, 1.0, 2.0, 3.0, 10.0]),
        1 => Just(-1.5),
        1 => Just(f64::NAN),
    ]
}

// ---- 1. attempts | elapsed, exponential + fixed, a closure on the error ----

#[derive(Debug, Clone)]
struct ParamsA {
    attempts: u32,
    limit: Duration,
    multiplier: Duration,
    base: f64,
    min: Duration,
    max: Duration,
    extra: Duration,
    retry_below: u32,
}

prop_compose! {
    fn params_a()(
        attempts in 1u32..=20,
        limit in limit(),
        multiplier in duration(60),
        base in base(),
        min in duration(600),
        max in duration(HOURS),
        extra in duration(10),
        retry_below in below(),
    ) -> ParamsA {
        ParamsA { attempts, limit, multiplier, base, min, max, extra, retry_below }
    }
}

#[retry(
    stop = attempts(p.attempts) | elapsed(p.limit),
    wait = exponential(multiplier = p.multiplier, base = p.base, min = p.min, max = p.max) + fixed(p.extra),
    retry_if = |e: &Fail| e.code < p.retry_below,
    sleep = sleeper.clone(),
)]
fn shape_a(p: &ParamsA, sleeper: &RecordingSleeper, script: &Script<'_>) -> Result<u32, Fail> {
    script.next()
}

fn policy_a(p: &ParamsA, sleeper: &RecordingSleeper, script: &Script<'_>) -> Result<u32, Fail> {
    Policy::new()
        .stop(attempts(p.attempts) | elapsed(p.limit))
        .wait(
            exponential()
                .multiplier(p.multiplier)
                .base(p.base)
                .min(p.min)
                .max(p.max)
                + fixed(p.extra),
        )
        .retry_if(|e: &Fail| e.code < p.retry_below)
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

// ---- 2. deadline with attempts, incrementing, retried values ----

#[derive(Debug, Clone)]
struct ParamsB {
    deadline: Duration,
    attempts: u32,
    start: Duration,
    increment: Duration,
    max: Duration,
    ok_below: u32,
}

prop_compose! {
    fn params_b()(
        deadline in limit(),
        attempts in 1u32..=20,
        start in duration(60),
        increment in duration(600),
        max in duration(HOURS),
        ok_below in below(),
    ) -> ParamsB {
        ParamsB { deadline, attempts, start, increment, max, ok_below }
    }
}

#[retry(
    stop = deadline(p.deadline) | attempts(p.attempts),
    wait = incrementing(start = p.start, increment = p.increment, max = p.max),
    retry_if_ok = |v: &u32| *v < p.ok_below,
    sleep = sleeper.clone(),
)]
fn shape_b_any(p: &ParamsB, sleeper: &RecordingSleeper, script: &Script<'_>) -> Result<u32, Fail> {
    script.next()
}

fn policy_b_any(p: &ParamsB, sleeper: &RecordingSleeper, script: &Script<'_>) -> Result<u32, Fail> {
    Policy::new()
        .stop(deadline(p.deadline) | attempts(p.attempts))
        .wait(
            incrementing()
                .start(p.start)
                .increment(p.increment)
                .max(p.max),
        )
        .retry_if_ok(|v: &u32| *v < p.ok_below)
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

/// Both must say stop, and `attempts` has no deadline, so neither has a hard deadline: the script
/// ends with a value that is not retried.
#[retry(
    stop = deadline(p.deadline) & attempts(p.attempts),
    wait = incrementing(start = p.start, increment = p.increment, max = p.max),
    retry_if_ok = |v: &u32| *v < p.ok_below,
    sleep = sleeper.clone(),
)]
fn shape_b_all(p: &ParamsB, sleeper: &RecordingSleeper, script: &Script<'_>) -> Result<u32, Fail> {
    script.next()
}

fn policy_b_all(p: &ParamsB, sleeper: &RecordingSleeper, script: &Script<'_>) -> Result<u32, Fail> {
    Policy::new()
        .stop(deadline(p.deadline) & attempts(p.attempts))
        .wait(
            incrementing()
                .start(p.start)
                .increment(p.increment)
                .max(p.max),
        )
        .retry_if_ok(|v: &u32| *v < p.ok_below)
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

// ---- 3. chain, never or attempts, conditions on errors and values ----

#[derive(Debug, Clone)]
struct ParamsC {
    a: Duration,
    b: Duration,
    c: Duration,
    attempts: u32,
    retry_below: u32,
    ok_below: u32,
    modulus: u32,
}

prop_compose! {
    fn params_c()(
        a in duration(600),
        b in duration(HOURS),
        c in duration(60),
        attempts in 1u32..=20,
        retry_below in below(),
        ok_below in below(),
        modulus in 1u32..=5,
    ) -> ParamsC {
        ParamsC { a, b, c, attempts, retry_below, ok_below, modulus }
    }
}

/// Never stops: the script ends with a value that is not retried.
#[retry(
    stop = never,
    wait = chain(fixed(p.a), fixed(p.b)),
    retry_if = on_error(|e: &Fail| e.code < p.retry_below) | on_ok(|v: &u32| *v < p.ok_below),
    sleep = sleeper.clone(),
)]
fn shape_c_never(
    p: &ParamsC,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    script.next()
}

fn policy_c_never(
    p: &ParamsC,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    Policy::new()
        .stop(never())
        .wait(chain((fixed(p.a), fixed(p.b))))
        .retry_if(on_error(|e: &Fail| e.code < p.retry_below) | on_ok(|v: &u32| *v < p.ok_below))
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

#[retry(
    stop = attempts(p.attempts),
    wait = chain(fixed(p.a), fixed(p.b), incrementing(start = p.c, increment = p.a)),
    retry_if = !on_error(|e: &Fail| e.code >= p.retry_below) | on_ok(|v: &u32| v.is_multiple_of(p.modulus)),
    sleep = sleeper.clone(),
)]
fn shape_c_attempts(
    p: &ParamsC,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    script.next()
}

fn policy_c_attempts(
    p: &ParamsC,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    Policy::new()
        .stop(attempts(p.attempts))
        .wait(chain((
            fixed(p.a),
            fixed(p.b),
            incrementing().start(p.c).increment(p.a),
        )))
        .retry_if(
            !on_error(|e: &Fail| e.code >= p.retry_below)
                | on_ok(|v: &u32| v.is_multiple_of(p.modulus)),
        )
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

// ---- 4. jittered waits, the generator seeded before each run ----

#[derive(Debug, Clone)]
struct ParamsD {
    seed: u64,
    attempts: u32,
    limit: Duration,
    multiplier: Duration,
    base: f64,
    min: Duration,
    max: Duration,
    extra: Duration,
    jitter: Duration,
    initial: Duration,
    retry_below: u32,
}

prop_compose! {
    fn params_d()(
        seed in any::<u64>(),
        attempts in 1u32..=20,
        limit in limit(),
        multiplier in duration(60),
        base in base(),
        min in duration(600),
        max in duration(HOURS),
        extra in duration(10),
        jitter in duration(60),
        initial in duration(60),
        retry_below in below(),
    ) -> ParamsD {
        ParamsD {
            seed, attempts, limit, multiplier, base, min, max, extra, jitter, initial, retry_below,
        }
    }
}

#[retry(
    stop = attempts(p.attempts) | elapsed(p.limit),
    wait = random_exponential(multiplier = p.multiplier, base = p.base, min = p.min, max = p.max) + fixed(p.extra),
    retry_if = |e: &Fail| e.code < p.retry_below,
    sleep = sleeper.clone(),
)]
fn shape_d_full(p: &ParamsD, sleeper: &RecordingSleeper, script: &Script<'_>) -> Result<u32, Fail> {
    script.next()
}

fn policy_d_full(
    p: &ParamsD,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    Policy::new()
        .stop(attempts(p.attempts) | elapsed(p.limit))
        .wait(
            random_exponential()
                .multiplier(p.multiplier)
                .base(p.base)
                .min(p.min)
                .max(p.max)
                + fixed(p.extra),
        )
        .retry_if(|e: &Fail| e.code < p.retry_below)
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

#[retry(
    stop = attempts(p.attempts) | elapsed(p.limit),
    wait = exponential_jitter(multiplier = p.multiplier, base = p.base, min = p.min, max = p.max, jitter = p.jitter),
    retry_if = |e: &Fail| e.code < p.retry_below,
    sleep = sleeper.clone(),
)]
fn shape_d_added(
    p: &ParamsD,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    script.next()
}

fn policy_d_added(
    p: &ParamsD,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    Policy::new()
        .stop(attempts(p.attempts) | elapsed(p.limit))
        .wait(
            exponential_jitter()
                .multiplier(p.multiplier)
                .base(p.base)
                .min(p.min)
                .max(p.max)
                .jitter(p.jitter),
        )
        .retry_if(|e: &Fail| e.code < p.retry_below)
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

#[retry(
    stop = attempts(p.attempts) | elapsed(p.limit),
    wait = decorrelated_jitter(initial = p.initial, max = p.max) + fixed(p.extra),
    retry_if = |e: &Fail| e.code < p.retry_below,
    sleep = sleeper.clone(),
)]
fn shape_d_decorrelated(
    p: &ParamsD,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    script.next()
}

fn policy_d_decorrelated(
    p: &ParamsD,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    Policy::new()
        .stop(attempts(p.attempts) | elapsed(p.limit))
        .wait(decorrelated_jitter().initial(p.initial).max(p.max) + fixed(p.extra))
        .retry_if(|e: &Fail| e.code < p.retry_below)
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

/// Two decorrelated jitters, each growing from its own draws in the call's memory.
#[retry(
    stop = attempts(p.attempts) | elapsed(p.limit),
    wait = chain(
        decorrelated_jitter(initial = p.initial, max = p.max),
        random(p.min, p.max) + decorrelated_jitter(initial = p.extra, max = p.max),
    ),
    retry_if = |e: &Fail| e.code < p.retry_below,
    sleep = sleeper.clone(),
)]
fn shape_d_memory(
    p: &ParamsD,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    script.next()
}

fn policy_d_memory(
    p: &ParamsD,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    Policy::new()
        .stop(attempts(p.attempts) | elapsed(p.limit))
        .wait(chain((
            decorrelated_jitter().initial(p.initial).max(p.max),
            random(p.min, p.max) + decorrelated_jitter().initial(p.extra).max(p.max),
        )))
        .retry_if(|e: &Fail| e.code < p.retry_below)
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

// ---- 5. hooks that take time, and a give-up handler ----

#[derive(Debug, Clone)]
struct ParamsE {
    attempts: u32,
    deadline: Duration,
    limit: Duration,
    multiplier: Duration,
    max: Duration,
    retry_below: u32,
    ok_below: u32,
    before_takes: Duration,
    after_takes: Duration,
    before_sleep_takes: Duration,
}

prop_compose! {
    fn params_e()(
        attempts in 1u32..=20,
        deadline in limit(),
        limit in limit(),
        multiplier in duration(60),
        max in duration(HOURS),
        retry_below in below(),
        ok_below in below(),
        before_takes in takes(),
        after_takes in takes(),
        before_sleep_takes in takes(),
    ) -> ParamsE {
        ParamsE {
            attempts, deadline, limit, multiplier, max, retry_below, ok_below, before_takes,
            after_takes, before_sleep_takes,
        }
    }
}

#[retry(
    stop = attempts(p.attempts) | deadline(p.deadline),
    wait = exponential(multiplier = p.multiplier, max = p.max),
    retry_if = |e: &Fail| e.code < p.retry_below,
    retry_if_ok = |v: &u32| *v < p.ok_below,
    before = |s| record(journal, sleeper, When::Before, p.before_takes, s),
    after = |s| record(journal, sleeper, When::After, p.after_takes, s),
    before_sleep = |s| record(journal, sleeper, When::BeforeSleep, p.before_sleep_takes, s),
    on_give_up = |last, state| surrender(journal, last, state),
    sleep = sleeper.clone(),
)]
fn shape_e(
    p: &ParamsE,
    journal: &Journal,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    script.next()
}

fn policy_e(
    p: &ParamsE,
    journal: &Journal,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    Policy::new()
        .named(concat!(module_path!(), "::shape_e"))
        .stop(attempts(p.attempts) | deadline(p.deadline))
        .wait(exponential().multiplier(p.multiplier).max(p.max))
        .retry_if(|e: &Fail| e.code < p.retry_below)
        .retry_if_ok(|v: &u32| *v < p.ok_below)
        .before(|s: &RetryState<'_, u32, Fail>| {
            record(journal, sleeper, When::Before, p.before_takes, s)
        })
        .after(|s: &RetryState<'_, u32, Fail>| {
            record(journal, sleeper, When::After, p.after_takes, s)
        })
        .before_sleep(|s: &RetryState<'_, u32, Fail>| {
            record(journal, sleeper, When::BeforeSleep, p.before_sleep_takes, s)
        })
        .on_give_up(|last, state: &RetryState<'_, u32, Fail>| surrender(journal, last, state))
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

/// The same hooks with an elapsed stop and jitter, the deadline and elapsed stop combined with
/// `&`.
#[retry(
    stop = (elapsed(p.limit) & deadline(p.deadline)) | attempts(p.attempts),
    wait = random_exponential(multiplier = p.multiplier, max = p.max),
    retry_if = on_error(|e: &Fail| e.code < p.retry_below) | on_ok(|v: &u32| *v < p.ok_below),
    before = |s| record(journal, sleeper, When::Before, p.before_takes, s),
    after = |s| record(journal, sleeper, When::After, p.after_takes, s),
    before_sleep = |s| record(journal, sleeper, When::BeforeSleep, p.before_sleep_takes, s),
    on_give_up = |last, state| surrender(journal, last, state),
    sleep = sleeper.clone(),
)]
fn shape_e_jitter(
    p: &ParamsE,
    journal: &Journal,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    script.next()
}

fn policy_e_jitter(
    p: &ParamsE,
    journal: &Journal,
    sleeper: &RecordingSleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    Policy::new()
        .named(concat!(module_path!(), "::shape_e_jitter"))
        .stop((elapsed(p.limit) & deadline(p.deadline)) | attempts(p.attempts))
        .wait(random_exponential().multiplier(p.multiplier).max(p.max))
        .retry_if(on_error(|e: &Fail| e.code < p.retry_below) | on_ok(|v: &u32| *v < p.ok_below))
        .before(|s: &RetryState<'_, u32, Fail>| {
            record(journal, sleeper, When::Before, p.before_takes, s)
        })
        .after(|s: &RetryState<'_, u32, Fail>| {
            record(journal, sleeper, When::After, p.after_takes, s)
        })
        .before_sleep(|s: &RetryState<'_, u32, Fail>| {
            record(journal, sleeper, When::BeforeSleep, p.before_sleep_takes, s)
        })
        .on_give_up(|last, state: &RetryState<'_, u32, Fail>| surrender(journal, last, state))
        .sleeper(sleeper.clone())
        .call(|| script.next())
}

// ---- 5b. sleeps that overrun a deadline, and the body's `attempt = name` ----

/// A sleeper whose sleeps take `extra` longer than asked: a sleep can end past a deadline, so the
/// call must give up on the outcome it kept instead of starting another attempt.
#[derive(Clone)]
struct Oversleeper {
    record: RecordingSleeper,
    extra: Duration,
}

impl SyncSleeper for Oversleeper {
    fn sleep(&self, duration: Duration) {
        SyncSleeper::sleep(&self.record, duration);
        self.record.advance(self.extra);
    }
    fn now(&self) -> Instant {
        SyncSleeper::now(&self.record)
    }
}

/// Notes what an attempt knows about itself as it starts.
fn body(journal: &Journal, number: u32, elapsed: Duration, slept: Duration) {
    journal.borrow_mut().push(Entry {
        when: When::Body,
        function: String::new(),
        attempt: number,
        elapsed,
        slept,
        upcoming: None,
        previous: None,
        outcome: None,
    });
}

#[derive(Debug, Clone)]
struct ParamsG {
    deadline: Duration,
    attempts: u32,
    wait: Duration,
    increment: Duration,
    ok_below: u32,
    before_takes: Duration,
    after_takes: Duration,
    oversleep: Duration,
}

prop_compose! {
    fn params_g()(
        deadline in limit(),
        attempts in 1u32..=20,
        wait in duration(600),
        increment in duration(60),
        ok_below in below(),
        before_takes in takes(),
        after_takes in takes(),
        oversleep in takes(),
    ) -> ParamsG {
        ParamsG {
            deadline, attempts, wait, increment, ok_below, before_takes, after_takes, oversleep,
        }
    }
}

#[retry(
    stop = deadline(p.deadline) | attempts(p.attempts),
    wait = fixed(p.wait) + incrementing(increment = p.increment),
    retry_if_ok = |v: &u32| *v < p.ok_below,
    before = |s| record(journal, &sleeper.record, When::Before, p.before_takes, s),
    after = |s| record(journal, &sleeper.record, When::After, p.after_takes, s),
    on_give_up = |last, state| surrender(journal, last, state),
    sleep = sleeper.clone(),
    attempt = this,
)]
fn shape_g(
    p: &ParamsG,
    journal: &Journal,
    sleeper: &Oversleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    body(journal, this.number(), this.elapsed(), this.slept());
    script.next()
}

fn policy_g(
    p: &ParamsG,
    journal: &Journal,
    sleeper: &Oversleeper,
    script: &Script<'_>,
) -> Result<u32, Fail> {
    // What `attempt = this` would bind: the attempt's number, the time since the call started
    // (never less than the sleeps asked for) and the sleeps asked for.
    let started = SyncSleeper::now(sleeper);
    Policy::new()
        .named(concat!(module_path!(), "::shape_g"))
        .stop(deadline(p.deadline) | attempts(p.attempts))
        .wait(fixed(p.wait) + incrementing().increment(p.increment))
        .retry_if_ok(|v: &u32| *v < p.ok_below)
        .before(|s: &RetryState<'_, u32, Fail>| {
            record(journal, &sleeper.record, When::Before, p.before_takes, s)
        })
        .after(|s: &RetryState<'_, u32, Fail>| {
            record(journal, &sleeper.record, When::After, p.after_takes, s)
        })
        .on_give_up(|last, state: &RetryState<'_, u32, Fail>| surrender(journal, last, state))
        .sleeper(sleeper.clone())
        .call(|| {
            let number = u32::try_from(script.calls.get() + 1).expect("few attempts");
            let slept = sleeper.record.sleeps().iter().sum::<Duration>();
            let measured = SyncSleeper::now(sleeper).saturating_duration_since(started);
            body(journal, number, measured.max(slept), slept);
            script.next()
        })
}

// ---- 6. async, on tokio's paused clock ----

#[derive(Debug, Clone)]
struct ParamsF {
    attempts: u32,
    deadline: Duration,
    limit: Duration,
    multiplier: Duration,
    max: Duration,
    extra: Duration,
    retry_below: u32,
}

prop_compose! {
    fn params_f()(
        attempts in 1u32..=20,
        deadline in limit(),
        limit in limit(),
        multiplier in duration(60),
        max in duration(HOURS),
        extra in duration(10),
        retry_below in below(),
    ) -> ParamsF {
        ParamsF { attempts, deadline, limit, multiplier, max, extra, retry_below }
    }
}

/// The default sleeper: tokio's timer and clock.
#[retry(
    stop = attempts(p.attempts) | deadline(p.deadline) | elapsed(p.limit),
    wait = exponential(multiplier = p.multiplier, max = p.max) + fixed(p.extra),
    retry_if = |e: &Fail| e.code < p.retry_below,
    before = |s| note(journal, When::Before, s),
    after = |s| note(journal, When::After, s),
    before_sleep = |s| note(journal, When::BeforeSleep, s),
    on_give_up = |last, state| surrender(journal, last, state),
)]
async fn shape_f(p: &ParamsF, journal: &Journal, script: &Script<'_>) -> Result<u32, Fail> {
    script.next_async().await
}

async fn policy_f(p: &ParamsF, journal: &Journal, script: &Script<'_>) -> Result<u32, Fail> {
    Policy::new()
        .named(concat!(module_path!(), "::shape_f"))
        .stop(attempts(p.attempts) | deadline(p.deadline) | elapsed(p.limit))
        .wait(exponential().multiplier(p.multiplier).max(p.max) + fixed(p.extra))
        .retry_if(|e: &Fail| e.code < p.retry_below)
        .before(|s: &RetryState<'_, u32, Fail>| note(journal, When::Before, s))
        .after(|s: &RetryState<'_, u32, Fail>| note(journal, When::After, s))
        .before_sleep(|s: &RetryState<'_, u32, Fail>| note(journal, When::BeforeSleep, s))
        .on_give_up(|last, state: &RetryState<'_, u32, Fail>| surrender(journal, last, state))
        .call_async(|| script.next_async())
        .await
}

/// A closure sleeper on tokio's timer, and no hooks.
#[retry(
    stop = attempts(p.attempts) | deadline(p.deadline),
    wait = exponential(multiplier = p.multiplier, max = p.max) + fixed(p.extra),
    retry_if = |e: &Fail| e.code < p.retry_below,
    sleep = |d| tokio::time::sleep(d),
)]
async fn shape_f_closure(p: &ParamsF, script: &Script<'_>) -> Result<u32, Fail> {
    script.next_async().await
}

async fn policy_f_closure(p: &ParamsF, script: &Script<'_>) -> Result<u32, Fail> {
    Policy::new()
        .stop(attempts(p.attempts) | deadline(p.deadline))
        .wait(exponential().multiplier(p.multiplier).max(p.max) + fixed(p.extra))
        .retry_if(|e: &Fail| e.code < p.retry_below)
        .sleeper(tokio::time::sleep)
        .call_async(|| script.next_async())
        .await
}

// ---- The properties ----

proptest! {
    #![proptest_config(config())]

    #[test]
    fn attempts_or_elapsed_with_exponential_plus_fixed(p in params_a(), steps in steps()) {
        let attribute = run(&steps, false, |h| shape_a(&p, &h.sleeper, &h.script));
        let policy = run(&steps, false, |h| policy_a(&p, &h.sleeper, &h.script));
        prop_assert_eq!(attribute, policy);
    }

    #[test]
    fn deadline_or_attempts_with_incrementing_and_retried_values(
        p in params_b(),
        steps in steps(),
    ) {
        let attribute = run(&steps, false, |h| shape_b_any(&p, &h.sleeper, &h.script));
        let policy = run(&steps, false, |h| policy_b_any(&p, &h.sleeper, &h.script));
        prop_assert_eq!(attribute, policy);
    }

    #[test]
    fn deadline_and_attempts_with_incrementing_and_retried_values(
        p in params_b(),
        steps in steps(),
    ) {
        let attribute = run(&steps, true, |h| shape_b_all(&p, &h.sleeper, &h.script));
        let policy = run(&steps, true, |h| policy_b_all(&p, &h.sleeper, &h.script));
        prop_assert_eq!(attribute, policy);
    }

    #[test]
    fn chain_never_stopping_on_errors_or_values(p in params_c(), steps in steps()) {
        let attribute = run(&steps, true, |h| shape_c_never(&p, &h.sleeper, &h.script));
        let policy = run(&steps, true, |h| policy_c_never(&p, &h.sleeper, &h.script));
        prop_assert_eq!(attribute, policy);
    }

    #[test]
    fn chain_with_attempts_and_a_negated_condition(p in params_c(), steps in steps()) {
        let attribute = run(&steps, false, |h| shape_c_attempts(&p, &h.sleeper, &h.script));
        let policy = run(&steps, false, |h| policy_c_attempts(&p, &h.sleeper, &h.script));
        prop_assert_eq!(attribute, policy);
    }

    #[test]
    fn jittered_waits_draw_the_same_from_the_same_seed(p in params_d(), steps in steps()) {
        type Retried = fn(&ParamsD, &RecordingSleeper, &Script<'_>) -> Result<u32, Fail>;
        let shapes: [(&str, Retried, Retried); 4] = [
            ("random_exponential + fixed", shape_d_full, policy_d_full),
            ("exponential_jitter", shape_d_added, policy_d_added),
            ("decorrelated_jitter + fixed", shape_d_decorrelated, policy_d_decorrelated),
            ("chain of decorrelated jitters", shape_d_memory, policy_d_memory),
        ];
        for (name, shape, twin) in shapes {
            let attribute = run(&steps, false, |h| {
                jitter::seed(p.seed);
                shape(&p, &h.sleeper, &h.script)
            });
            let policy = run(&steps, false, |h| {
                jitter::seed(p.seed);
                twin(&p, &h.sleeper, &h.script)
            });
            prop_assert_eq!(attribute, policy, "{}", name);
        }
        jitter::unseed();
    }

    #[test]
    fn hooks_see_the_same_states_and_give_up_the_same_way(p in params_e(), steps in steps()) {
        let attribute = run(&steps, false, |h| shape_e(&p, &h.journal, &h.sleeper, &h.script));
        let policy = run(&steps, false, |h| policy_e(&p, &h.journal, &h.sleeper, &h.script));
        prop_assert_eq!(attribute, policy);
    }

    #[test]
    fn hooks_with_jitter_and_time_limits(
        p in params_e(),
        seed in any::<u64>(),
        steps in steps(),
    ) {
        let attribute = run(&steps, false, |h| {
            jitter::seed(seed);
            shape_e_jitter(&p, &h.journal, &h.sleeper, &h.script)
        });
        let policy = run(&steps, false, |h| {
            jitter::seed(seed);
            policy_e_jitter(&p, &h.journal, &h.sleeper, &h.script)
        });
        jitter::unseed();
        prop_assert_eq!(attribute, policy);
    }

    #[test]
    fn sleeps_that_overrun_a_deadline_and_the_attempt_binding(
        p in params_g(),
        steps in steps(),
    ) {
        let attribute = run(&steps, false, |h| {
            let sleeper = Oversleeper { record: h.sleeper.clone(), extra: p.oversleep };
            shape_g(&p, &h.journal, &sleeper, &h.script)
        });
        let policy = run(&steps, false, |h| {
            let sleeper = Oversleeper { record: h.sleeper.clone(), extra: p.oversleep };
            policy_g(&p, &h.journal, &sleeper, &h.script)
        });
        prop_assert_eq!(attribute, policy);
    }

    #[test]
    fn async_on_tokios_paused_clock(p in params_f(), steps in steps()) {
        let (attribute, policy) = paused_runtime().block_on(async {
            let journal = Journal::default();
            let script = Script::new(&steps, false, None);
            let attribute = measure(&script, &journal, shape_f(&p, &journal, &script)).await;
            let script = Script::new(&steps, false, None);
            let policy = measure(&script, &journal, policy_f(&p, &journal, &script)).await;
            (attribute, policy)
        });
        prop_assert_eq!(attribute, policy);
    }

    #[test]
    fn async_with_a_closure_sleeper_on_tokios_paused_clock(p in params_f(), steps in steps()) {
        let (attribute, policy) = paused_runtime().block_on(async {
            let journal = Journal::default();
            let script = Script::new(&steps, false, None);
            let attribute = measure(&script, &journal, shape_f_closure(&p, &script)).await;
            let script = Script::new(&steps, false, None);
            let policy = measure(&script, &journal, policy_f_closure(&p, &script)).await;
            (attribute, policy)
        });
        prop_assert_eq!(attribute, policy);
    }
}
