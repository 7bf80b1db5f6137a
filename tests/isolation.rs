//! The test switches of `persevere::testing` (`skip_sleeps`, `seed_jitter`, `record`) reach the
//! test that turns them on: its thread, and the tokio runtime it runs in, so every task it spawns
//! sees them on whichever worker thread runs it, while a test running beside it, on its own thread
//! and runtime, does not.
//!
//! Most tests here run two "tests" at once deterministically: two std threads, each with its own
//! multi-thread runtime, meeting after they have turned their switches on and before they run
//! their calls, and again before they drop their guards. Two `#[tokio::test]`s (the `parallel_pair`
//! ones) do the same through the test harness itself; their meeting has a timeout, so they pass
//! (without overlapping, after one 3 s wait) under `--test-threads=1` too.
//!
//! Nothing else sleeps for real: waits are an hour long, and a sleep that should have been skipped
//! either panics in its sleeper or hangs until a timeout turns it into a failure.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use persevere::stop::attempts;
use persevere::testing::{self, record, seed_jitter, skip_sleeps};
use persevere::wait::{Wait, fixed, random};
use persevere::{Ending, Policy, Report, RetryState, retry};

// ---- Meeting points that cannot deadlock ----

/// How long a test of the harness waits for its partner test before going on alone (as it does
/// under `--test-threads=1`).
const PATIENCE: Duration = Duration::from_secs(3);

/// How long a scenario run on a thread of its own waits for the other: the other always comes,
/// so only a broken test (a panic before the meeting) waits this long.
const GENEROUS: Duration = Duration::from_secs(60);

/// How long a batch of calls whose sleeps are all skipped (or return at once) may take.
const QUICK: Duration = Duration::from_secs(5);

/// A one-shot meeting of two parties. Each waits for the other at most `patience`; a party that
/// gives up abandons the meeting, so a late one goes on at once instead of waiting in turn.
struct Meeting {
    state: Mutex<(usize, bool)>,
    changed: Condvar,
    patience: Duration,
}

impl Meeting {
    const fn new(patience: Duration) -> Self {
        Meeting {
            state: Mutex::new((0, false)),
            changed: Condvar::new(),
            patience,
        }
    }

    /// Arrives, and waits for the other party. Returns whether both met.
    fn arrive(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.1 {
            return false;
        }
        state.0 += 1;
        self.changed.notify_all();
        let (mut state, _) = self
            .changed
            .wait_timeout_while(state, self.patience, |(arrived, abandoned)| {
                *arrived < 2 && !*abandoned
            })
            .unwrap_or_else(PoisonError::into_inner);
        if state.0 < 2 {
            state.1 = true;
            self.changed.notify_all();
            return false;
        }
        true
    }

    /// [`arrive`](Self::arrive) from async code, without blocking a worker thread.
    async fn arrive_async(&'static self) -> bool {
        tokio::task::spawn_blocking(move || self.arrive())
            .await
            .expect("the meeting does not panic")
    }
}

/// Runs `scenarios` on threads of their own, all at once, and re-raises the first panic.
fn run_side_by_side<T: Send + 'static>(scenarios: Vec<Box<dyn FnOnce() -> T + Send>>) -> Vec<T> {
    let threads: Vec<_> = scenarios.into_iter().map(std::thread::spawn).collect();
    let joined: Vec<_> = threads.into_iter().map(|thread| thread.join()).collect();
    joined
        .into_iter()
        .map(|outcome| outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        .collect()
}

fn multi_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

// ---- What the tests retry ----

/// Waits an hour between attempts through a sleeper that counts its calls and then really sleeps
/// on tokio's timer: a sleep that is not skipped hangs (until a test's timeout).
#[retry(
    stop = attempts(3),
    wait = fixed(1h),
    sleep = |d: Duration| {
        sleeps.fetch_add(1, SeqCst);
        tokio::time::sleep(d)
    },
)]
async fn hourly_really_sleeping(
    sleeps: &AtomicUsize,
    calls: &AtomicUsize,
    threads: &Mutex<HashSet<ThreadId>>,
) -> Result<u32, &'static str> {
    calls.fetch_add(1, SeqCst);
    threads
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(std::thread::current().id());
    // Lets the task move to the other worker between attempts.
    tokio::task::yield_now().await;
    Err("down")
}

/// Waits an hour between attempts through a sleeper that counts its calls and returns at once.
#[retry(
    stop = attempts(3),
    wait = fixed(1h),
    sleep = |_: Duration| {
        sleeps.fetch_add(1, SeqCst);
        std::future::ready(())
    },
)]
async fn hourly_counted(sleeps: &AtomicUsize, calls: &AtomicUsize) -> Result<u32, &'static str> {
    calls.fetch_add(1, SeqCst);
    tokio::task::yield_now().await;
    Err("down")
}

/// The sync twin of [`hourly_counted`].
#[retry(
    stop = attempts(3),
    wait = fixed(1h),
    sleep = |_: Duration| {
        sleeps.fetch_add(1, SeqCst);
    },
)]
fn hourly_sync(sleeps: &AtomicUsize) -> Result<u32, &'static str> {
    Err("down")
}

/// A `Policy` call waiting an hour between attempts through a counting sleeper that returns at
/// once.
async fn hourly_policy(sleeps: Arc<AtomicUsize>) -> Result<u32, &'static str> {
    Policy::new()
        .stop(attempts(3))
        .wait(fixed(Duration::from_secs(3600)))
        .sleeper(move |_: Duration| {
            sleeps.fetch_add(1, SeqCst);
            std::future::ready(())
        })
        .call_async(|| async { Err("down") })
        .await
}

fn counter() -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(0))
}

/// The sleeper of calls whose sleeps must be skipped: fails the test at once, where the default
/// sleeper would hang it for an hour.
fn must_be_skipped(wait: Duration) -> std::future::Ready<()> {
    panic!("a sleep of {wait:?} reached the sleeper: it should have been skipped")
}

/// [`must_be_skipped`] for sync functions.
fn must_be_skipped_sync(wait: Duration) {
    panic!("a sleep of {wait:?} reached the sleeper: it should have been skipped")
}

// ---- 1. Two multi-thread runtimes at once, one skipping sleeps ----

/// How many tasks each scenario spawns.
const TASKS: usize = 8;

/// A test that skips sleeps: every task it spawns, on any worker, skips them, and so does a sync
/// call on its blocking pool.
async fn skipping_scenario(ready: &'static Meeting, done: &'static Meeting, must_meet: bool) {
    let skip = skip_sleeps();
    let met = ready.arrive_async().await;
    assert!(met || !must_meet, "the other scenario never came");

    let (sleeps, calls) = (counter(), counter());
    let threads = Arc::new(Mutex::new(HashSet::new()));
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (sleeps, calls, threads) = (sleeps.clone(), calls.clone(), threads.clone());
            tokio::spawn(async move {
                assert!(testing::sleeps_skipped(), "a spawned task sees the switch");
                hourly_really_sleeping(&sleeps, &calls, &threads).await
            })
        })
        .collect();
    for task in tasks {
        let outcome = tokio::time::timeout(QUICK, task)
            .await
            .expect("no task sleeps its hour: sleeps are skipped")
            .expect("the task does not panic");
        assert_eq!(outcome, Err("down"));
    }
    assert_eq!(calls.load(SeqCst), TASKS * 3, "every attempt ran");
    assert_eq!(sleeps.load(SeqCst), 0, "no sleep reached the sleeper");
    assert!(started.elapsed() < QUICK, "took {:?}", started.elapsed());
    let ran_here = threads
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .contains(&std::thread::current().id());
    assert!(
        !ran_here,
        "the calls ran on the runtime's workers, not on the test's thread"
    );

    let policy_sleeps = counter();
    let policy_tasks: Vec<_> = (0..TASKS)
        .map(|_| tokio::spawn(hourly_policy(policy_sleeps.clone())))
        .collect();
    for task in policy_tasks {
        assert_eq!(task.await.expect("no panic"), Err("down"));
    }
    assert_eq!(policy_sleeps.load(SeqCst), 0);

    let sync_sleeps = counter();
    let on_blocking_pool = {
        let sync_sleeps = sync_sleeps.clone();
        tokio::task::spawn_blocking(move || {
            assert!(
                testing::sleeps_skipped(),
                "the blocking pool sees the switch"
            );
            hourly_sync(&sync_sleeps)
        })
    };
    assert_eq!(on_blocking_pool.await.expect("no panic"), Err("down"));
    assert_eq!(sync_sleeps.load(SeqCst), 0);

    // The other scenario runs its calls while this guard is alive.
    if met {
        done.arrive_async().await;
    }
    drop(skip);
}

/// A test that does not skip sleeps, running beside [`skipping_scenario`]: every sleep of every
/// task it spawns reaches its sleeper.
async fn sleeping_scenario(ready: &'static Meeting, done: &'static Meeting, must_meet: bool) {
    assert!(!testing::sleeps_skipped());
    let met = ready.arrive_async().await;
    assert!(met || !must_meet, "the other scenario never came");
    // The other scenario's switch is on now (when they met), and does not reach this one.
    assert!(!testing::sleeps_skipped());

    let (sleeps, calls) = (counter(), counter());
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (sleeps, calls) = (sleeps.clone(), calls.clone());
            tokio::spawn(async move {
                assert!(!testing::sleeps_skipped(), "the other test's switch");
                hourly_counted(&sleeps, &calls).await
            })
        })
        .collect();
    for task in tasks {
        let outcome = tokio::time::timeout(QUICK, task)
            .await
            .expect("the sleeper returns at once")
            .expect("the task does not panic");
        assert_eq!(outcome, Err("down"));
    }
    assert_eq!(calls.load(SeqCst), TASKS * 3);
    assert_eq!(
        sleeps.load(SeqCst),
        TASKS * 2,
        "every sleep reached the sleeper"
    );
    assert!(started.elapsed() < QUICK);

    let policy_sleeps = counter();
    let policy_tasks: Vec<_> = (0..TASKS)
        .map(|_| tokio::spawn(hourly_policy(policy_sleeps.clone())))
        .collect();
    for task in policy_tasks {
        assert_eq!(task.await.expect("no panic"), Err("down"));
    }
    assert_eq!(policy_sleeps.load(SeqCst), TASKS * 2);

    let sync_sleeps = counter();
    let on_blocking_pool = {
        let sync_sleeps = sync_sleeps.clone();
        tokio::task::spawn_blocking(move || {
            assert!(!testing::sleeps_skipped());
            hourly_sync(&sync_sleeps)
        })
    };
    assert_eq!(on_blocking_pool.await.expect("no panic"), Err("down"));
    assert_eq!(sync_sleeps.load(SeqCst), 2);

    if met {
        done.arrive_async().await;
    }
}

#[test]
fn two_multi_thread_runtimes_at_once_only_the_skipping_one_skips() {
    static READY: Meeting = Meeting::new(GENEROUS);
    static DONE: Meeting = Meeting::new(GENEROUS);
    run_side_by_side::<()>(vec![
        Box::new(|| multi_thread_runtime().block_on(skipping_scenario(&READY, &DONE, true))),
        Box::new(|| multi_thread_runtime().block_on(sleeping_scenario(&READY, &DONE, true))),
    ]);
}

// The same two scenarios as two tests of the harness, which runs them at once unless told
// `--test-threads=1` (then they meet nobody, wait `PATIENCE` once, and still pass).
static PAIR_READY: Meeting = Meeting::new(PATIENCE);
static PAIR_DONE: Meeting = Meeting::new(PATIENCE);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_pair_a_skips_sleeps_in_every_task_it_spawns() {
    skipping_scenario(&PAIR_READY, &PAIR_DONE, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_pair_b_beside_it_sleeps_in_every_task() {
    sleeping_scenario(&PAIR_READY, &PAIR_DONE, false).await;
}

// ---- 2. Two sync threads at once, one skipping sleeps ----

#[test]
fn two_threads_at_once_only_the_skipping_one_skips() {
    static READY: Meeting = Meeting::new(GENEROUS);
    static DONE: Meeting = Meeting::new(GENEROUS);
    const CALLS: usize = 5;
    run_side_by_side::<()>(vec![
        Box::new(|| {
            let skip = skip_sleeps();
            assert!(READY.arrive());
            let sleeps = AtomicUsize::new(0);
            for _ in 0..CALLS {
                assert_eq!(hourly_sync(&sleeps), Err("down"));
            }
            assert_eq!(sleeps.load(SeqCst), 0);
            assert!(DONE.arrive());
            // 5. Once the guard is dropped, sleeps reach the sleeper again.
            drop(skip);
            assert!(!testing::sleeps_skipped());
            assert_eq!(hourly_sync(&sleeps), Err("down"));
            assert_eq!(sleeps.load(SeqCst), 2);
        }),
        Box::new(|| {
            assert!(READY.arrive());
            assert!(!testing::sleeps_skipped());
            let sleeps = AtomicUsize::new(0);
            for _ in 0..CALLS {
                assert_eq!(hourly_sync(&sleeps), Err("down"));
            }
            assert_eq!(sleeps.load(SeqCst), CALLS * 2);
            assert!(DONE.arrive());
        }),
    ]);
}

// ---- 3. seed_jitter ----

/// Fails seven times: one wait of each jittered strategy, then decorrelated jitter's own chain.
#[retry(
    stop = attempts(8),
    wait = chain(
        random(0s, 1s),
        random_exponential(multiplier = 1s, max = 10s),
        exponential_jitter(multiplier = 1s, max = 10s, jitter = 1s),
        decorrelated_jitter(initial = 10ms, max = 10s),
    ),
    sleep = must_be_skipped,
)]
async fn jittered() -> Result<(), &'static str> {
    tokio::task::yield_now().await;
    Err("down")
}

/// Five waits drawn uniformly from one second.
#[retry(stop = attempts(6), wait = random(0s, 1s), sleep = must_be_skipped)]
async fn uniformly_jittered() -> Result<(), &'static str> {
    tokio::task::yield_now().await;
    Err("down")
}

/// The waits of one [`jittered`] call run in a spawned task, as recorded.
async fn spawned_schedule() -> Vec<Duration> {
    let recorder = record();
    let outcome = tokio::spawn(jittered()).await.expect("no panic");
    assert_eq!(outcome, Err("down"));
    let reports = recorder.take();
    assert_eq!(reports.len(), 1, "{reports:?}");
    let waits = reports[0]
        .waits()
        .expect("a recorded call records its waits");
    assert_eq!(waits.len(), 7);
    assert!(waits[0] <= Duration::from_secs(1), "{waits:?}");
    assert!(waits[1] <= Duration::from_secs(2), "{waits:?}");
    assert!(
        waits[2] >= Duration::from_secs(4) && waits[2] <= Duration::from_secs(5),
        "{waits:?}"
    );
    assert!(
        waits[3..]
            .iter()
            .all(|w| *w >= Duration::from_millis(10) && *w <= Duration::from_secs(10)),
        "{waits:?}"
    );
    waits
}

/// [`spawned_schedule`] in a fresh multi-thread runtime on a thread of its own, seeded with `seed`.
fn schedule_in_fresh_scope(seed: u64) -> Vec<Duration> {
    std::thread::spawn(move || {
        multi_thread_runtime().block_on(async move {
            let _skip = skip_sleeps();
            let _seed = seed_jitter(seed);
            spawned_schedule().await
        })
    })
    .join()
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seed_makes_a_spawned_tasks_jitter_repeatable() {
    let _skip = skip_sleeps();
    let first = {
        let _seed = seed_jitter(7);
        spawned_schedule().await
    };
    let again = {
        let _seed = seed_jitter(7);
        spawned_schedule().await
    };
    assert_eq!(first, again, "the same seed in the same runtime");
    assert_eq!(
        first,
        schedule_in_fresh_scope(7),
        "the same seed in another runtime"
    );

    // Other seeds draw other schedules (all seven waits of each are jittered).
    let mut seen = vec![first.clone()];
    for seed in [8, 9, 10, 11, 12, 1 << 40] {
        let _seed = seed_jitter(seed);
        let other = spawned_schedule().await;
        assert!(!seen.contains(&other), "seed {seed} drew {other:?} again");
        seen.push(other);
    }
    assert_ne!(first, schedule_in_fresh_scope(8));

    // With no seed, every call draws afresh.
    let unseeded = [spawned_schedule().await, spawned_schedule().await];
    assert!(!seen.contains(&unseeded[0]) && !seen.contains(&unseeded[1]));
    assert_ne!(unseeded[0], unseeded[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_tasks_share_one_seeded_sequence() {
    // Tasks running at once take their draws from the one generator in whichever order they run,
    // so each task's own schedule may differ from run to run. And each call draws a wait after its
    // last attempt too (the stop sees the wait it would sleep), never slept nor recorded: so which
    // of the sequence's first `TASKS * 6` values get recorded also varies. All of them come from
    // those `TASKS * 6`, though, whatever the order.
    async fn all_draws() -> Vec<Duration> {
        let recorder = record();
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| tokio::spawn(uniformly_jittered()))
            .collect();
        for task in tasks {
            assert_eq!(task.await.expect("no panic"), Err("down"));
        }
        let draws: Vec<Duration> = recorder
            .take()
            .iter()
            .flat_map(|report| report.waits().expect("recorded"))
            .collect();
        assert_eq!(draws.len(), TASKS * 5);
        draws
    }
    let _skip = skip_sleeps();
    let mut seeded = HashSet::new();
    for _ in 0..10 {
        let _seed = seed_jitter(7);
        seeded.extend(all_draws().await);
    }
    assert!(seeded.len() <= TASKS * 6, "{} values drawn", seeded.len());

    // A single task's draws are the sequence itself: its first five are the first five.
    let alone = {
        let _seed = seed_jitter(7);
        let recorder = record();
        assert_eq!(
            tokio::spawn(uniformly_jittered()).await.expect("no panic"),
            Err("down")
        );
        recorder.take()[0].waits().expect("recorded")
    };
    assert!(alone.iter().all(|draw| seeded.contains(draw)));

    let _seed = seed_jitter(8);
    assert!(all_draws().await.iter().all(|draw| !seeded.contains(draw)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_innermost_seed_wins_and_the_outer_one_resumes_where_it_was() {
    let _skip = skip_sleeps();
    let reference = {
        let _seed = seed_jitter(7);
        [spawned_schedule().await, spawned_schedule().await]
    };
    let eight = schedule_in_fresh_scope(8);

    let _outer = seed_jitter(7);
    assert_eq!(spawned_schedule().await, reference[0]);
    {
        let _inner = seed_jitter(8);
        assert_eq!(spawned_schedule().await, eight);
    }
    assert_eq!(spawned_schedule().await, reference[1]);
}

/// `ROUNDS` schedules of [`jittered`], one spawned task after another.
const ROUNDS: usize = 20;

async fn rounds() -> Vec<Vec<Duration>> {
    let mut schedules = Vec::new();
    for _ in 0..ROUNDS {
        schedules.push(spawned_schedule().await);
    }
    schedules
}

#[test]
fn a_seed_does_not_reach_a_test_running_beside_it() {
    static READY: Meeting = Meeting::new(GENEROUS);
    static DONE: Meeting = Meeting::new(GENEROUS);

    // The seeded sequence, drawn alone.
    let alone = std::thread::spawn(|| {
        multi_thread_runtime().block_on(async {
            let _skip = skip_sleeps();
            let _seed = seed_jitter(7);
            rounds().await
        })
    })
    .join()
    .expect("no panic");

    let mut sides = run_side_by_side(vec![
        Box::new(|| {
            multi_thread_runtime().block_on(async {
                let _skip = skip_sleeps();
                let _seed = seed_jitter(7);
                assert!(READY.arrive_async().await);
                let schedules = rounds().await;
                assert!(DONE.arrive_async().await);
                schedules
            })
        }),
        Box::new(|| {
            multi_thread_runtime().block_on(async {
                let _skip = skip_sleeps();
                assert!(READY.arrive_async().await);
                // Drawing at the same time as the seeded side, from many tasks at once. (One
                // recorder for them all: a recorder made in each task would see every task's
                // calls, as it is the runtime's.)
                let recorder = record();
                let tasks: Vec<_> = (0..ROUNDS * ROUNDS)
                    .map(|_| tokio::spawn(jittered()))
                    .collect();
                for task in tasks {
                    assert_eq!(task.await.expect("no panic"), Err("down"));
                }
                assert!(DONE.arrive_async().await);
                recorder
                    .take()
                    .iter()
                    .map(|report| report.waits().expect("recorded"))
                    .collect::<Vec<_>>()
            })
        }),
    ]);
    let unseeded = sides.pop().expect("two sides");
    let seeded = sides.pop().expect("two sides");

    // Nothing drew from the seeded side's generator but the seeded side...
    assert_eq!(seeded, alone);
    // ...and the unseeded side drew from no seeded generator: each schedule is new (at nanosecond
    // resolution, a repeat by chance is out of the question).
    assert_eq!(unseeded.len(), ROUNDS * ROUNDS);
    let distinct: HashSet<&Vec<Duration>> = unseeded.iter().collect();
    assert_eq!(distinct.len(), unseeded.len());
    assert!(unseeded.iter().all(|schedule| !seeded.contains(schedule)));
    // Its first draws (uniform over one second) spread over the second, not on one value.
    let firsts: Vec<Duration> = unseeded.iter().map(|schedule| schedule[0]).collect();
    let below_half = firsts
        .iter()
        .filter(|d| **d < Duration::from_millis(500))
        .count();
    assert!(
        (firsts.len() / 5..=firsts.len() * 4 / 5).contains(&below_half),
        "{below_half} of {} below 500ms",
        firsts.len()
    );
}

#[test]
fn a_seed_reaches_direct_draws_on_its_own_thread_only() {
    static READY: Meeting = Meeting::new(GENEROUS);
    static DONE: Meeting = Meeting::new(GENEROUS);
    let wait = random(Duration::ZERO, Duration::from_secs(1));
    let draw = move || Wait::<(), ()>::next_wait(&wait, &RetryState::new(1));
    let draws = move || (0..100).map(|_| draw()).collect::<Vec<_>>();
    let alone = {
        let _seed = seed_jitter(7);
        draws()
    };
    let mut sides = run_side_by_side(vec![
        Box::new(move || {
            let _seed = seed_jitter(7);
            assert!(READY.arrive());
            let drawn = draws();
            assert!(DONE.arrive());
            drawn
        }),
        Box::new(move || {
            assert!(READY.arrive());
            let drawn = draws();
            assert!(DONE.arrive());
            drawn
        }),
    ]);
    let unseeded = sides.pop().expect("two sides");
    let seeded = sides.pop().expect("two sides");
    assert_eq!(seeded, alone);
    assert!(unseeded.iter().all(|d| !alone.contains(d)));
}

// ---- 4. record() ----

/// Fails `failures` times, then succeeds: each call keeps its own count.
async fn flaky_call(failures: usize) -> Result<usize, &'static str> {
    let left = AtomicUsize::new(failures);
    failing_then_ok(&left).await
}

#[retry(
    stop = attempts(5),
    wait = fixed(1h),
    retry_if = |e: &&str| *e != "fatal",
    sleep = must_be_skipped,
)]
async fn failing_then_ok(left: &AtomicUsize) -> Result<usize, &'static str> {
    tokio::task::yield_now().await;
    if left.load(SeqCst) == 0 {
        return Ok(7);
    }
    left.fetch_sub(1, SeqCst);
    Err("busy")
}

#[retry(
    stop = attempts(5),
    wait = fixed(1h),
    retry_if = |e: &&str| *e != "fatal",
    sleep = must_be_skipped,
)]
async fn fatal() -> Result<usize, &'static str> {
    Err("fatal")
}

#[retry(stop = attempts(5), wait = fixed(1h), sleep = must_be_skipped_sync)]
fn failing_then_ok_sync(left: &AtomicUsize) -> Result<usize, &'static str> {
    if left.load(SeqCst) == 0 {
        return Ok(7);
    }
    left.fetch_sub(1, SeqCst);
    Err("busy")
}

/// A test with a recorder: it sees every call of every task it spawns that failed at least once,
/// and nothing of the other side's.
async fn recording_scenario(
    failures: usize,
    tasks: usize,
    ready: &'static Meeting,
    done: &'static Meeting,
) -> Vec<Report> {
    let _skip = skip_sleeps();
    let recorder = record();
    assert!(ready.arrive_async().await);

    let failing: Vec<_> = (0..tasks)
        .map(|_| tokio::spawn(flaky_call(failures)))
        .collect();
    let first_time: Vec<_> = (0..tasks).map(|_| tokio::spawn(flaky_call(0))).collect();
    for task in failing.into_iter().chain(first_time) {
        assert_eq!(task.await.expect("no panic"), Ok(7));
    }
    assert_eq!(tokio::spawn(fatal()).await.expect("no panic"), Err("fatal"));
    let sync =
        tokio::task::spawn_blocking(move || failing_then_ok_sync(&AtomicUsize::new(failures)));
    assert_eq!(sync.await.expect("no panic"), Ok(7));

    // The other side's calls all end while this recorder is alive.
    assert!(done.arrive_async().await);
    let reports = recorder.take();
    assert!(recorder.reports().is_empty(), "take leaves none");
    reports
}

fn check_recorded(reports: &[Report], failures: usize, tasks: usize) {
    let attempts = u32::try_from(failures + 1).expect("small");
    let retried: Vec<&Report> = reports
        .iter()
        .filter(|report| report.function() == "isolation::failing_then_ok")
        .collect();
    assert_eq!(retried.len(), tasks, "{reports:#?}");
    for report in retried {
        assert_eq!(report.attempts(), attempts, "{report}");
        assert_eq!(report.ending(), Ending::Succeeded);
        assert_eq!(
            report.waits(),
            Some(vec![Duration::from_secs(3600); failures])
        );
    }
    let fatal: Vec<&Report> = reports
        .iter()
        .filter(|report| report.function() == "isolation::fatal")
        .collect();
    assert_eq!(fatal.len(), 1, "a call whose only attempt failed counts");
    assert_eq!(fatal[0].attempts(), 1);
    assert_eq!(fatal[0].ending(), Ending::NotRetryable);
    let sync: Vec<&Report> = reports
        .iter()
        .filter(|report| report.function() == "isolation::failing_then_ok_sync")
        .collect();
    assert_eq!(sync.len(), 1, "a sync call on the blocking pool counts");
    assert_eq!(sync[0].attempts(), attempts);
    // Nothing else: no first-time success, nothing of the other side.
    assert_eq!(reports.len(), tasks + 2, "{reports:#?}");
}

#[test]
fn a_recorder_sees_its_own_runtimes_tasks_and_nothing_of_a_runtime_beside_it() {
    static READY: Meeting = Meeting::new(GENEROUS);
    static DONE: Meeting = Meeting::new(GENEROUS);
    // The sides differ in their calls' attempts and count, so each report tells its side.
    let sides = run_side_by_side(vec![
        Box::new(|| multi_thread_runtime().block_on(recording_scenario(1, 5, &READY, &DONE))),
        Box::new(|| multi_thread_runtime().block_on(recording_scenario(3, 7, &READY, &DONE))),
    ]);
    check_recorded(&sides[0], 1, 5);
    check_recorded(&sides[1], 3, 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_recorders_both_capture_and_a_dropped_one_captures_no_more() {
    let _skip = skip_sleeps();
    let outer = record();
    let inner = record();
    assert_eq!(tokio::spawn(flaky_call(1)).await.expect("no panic"), Ok(7));
    assert_eq!(outer.reports().len(), 1);
    assert_eq!(inner.reports().len(), 1);
    assert_eq!(outer.reports(), inner.reports());
    drop(inner);

    assert_eq!(tokio::spawn(flaky_call(2)).await.expect("no panic"), Ok(7));
    let reports = outer.take();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[1].attempts(), 3);
    drop(outer);

    // Calls while no recorder is alive go nowhere: a recorder made later starts empty.
    assert_eq!(tokio::spawn(flaky_call(2)).await.expect("no panic"), Ok(7));
    let later = record();
    assert!(later.reports().is_empty());
    assert_eq!(tokio::spawn(flaky_call(0)).await.expect("no panic"), Ok(7));
    assert!(
        later.reports().is_empty(),
        "a first-time success is not captured"
    );
    assert_eq!(tokio::spawn(flaky_call(1)).await.expect("no panic"), Ok(7));
    assert_eq!(later.reports().len(), 1);
}

#[retry(
    stop = attempts(3),
    wait = fixed(1h),
    retry_if_ok = |v: &usize| *v == 0,
    sleep = must_be_skipped_sync,
)]
fn ok_retried_when_zero(value: usize) -> Result<usize, &'static str> {
    Ok(value)
}

#[test]
fn a_recorder_captures_a_retried_ok_but_not_a_first_time_success() {
    let _skip = skip_sleeps();
    let recorder = record();
    assert_eq!(ok_retried_when_zero(0), Ok(0));
    let reports = recorder.take();
    assert_eq!(reports.len(), 1, "a retried `Ok` is a failed attempt");
    assert_eq!(reports[0].attempts(), 3);
}

/// Found by this file, and fixed meanwhile in bc042d9: the first-time success went through the
/// retry machinery, and a recorder captured it.
#[test]
fn a_first_time_success_is_not_captured_even_with_retry_if_ok() {
    let _skip = skip_sleeps();
    let recorder = record();
    // The predicate does not retry 1: the first attempt succeeds and ends the call.
    assert_eq!(ok_retried_when_zero(1), Ok(1));
    // The same through `Policy`.
    let outcome: Result<usize, &str> = Policy::new()
        .stop(attempts(3))
        .retry_if_ok(|v: &usize| *v == 0)
        .sleeper(must_be_skipped_sync)
        .call(|| Ok(1));
    assert_eq!(outcome, Ok(1));
    assert_eq!(
        recorder.reports(),
        vec![],
        "a first-time success is not captured"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorder_made_in_one_task_sees_every_tasks_calls() {
    // A recorder belongs to the runtime, not to the task that made it.
    let _skip = skip_sleeps();
    let (made, called) = (
        Arc::new(tokio::sync::Barrier::new(2)),
        Arc::new(tokio::sync::Barrier::new(2)),
    );
    let recording = {
        let (made, called) = (made.clone(), called.clone());
        tokio::spawn(async move {
            let recorder = record();
            made.wait().await;
            called.wait().await;
            recorder.take()
        })
    };
    made.wait().await;
    assert_eq!(tokio::spawn(flaky_call(2)).await.expect("no panic"), Ok(7));
    called.wait().await;
    let reports = recording.await.expect("no panic");
    assert_eq!(reports.len(), 1, "a sibling task's call");
    assert_eq!(reports[0].attempts(), 3);
}

// ---- 5. Dropping the guards ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_guard_is_dropped_spawned_tasks_sleep_again() {
    let (sleeps, calls) = (counter(), counter());
    let run = |sleeps: Arc<AtomicUsize>, calls: Arc<AtomicUsize>| {
        tokio::spawn(async move { hourly_counted(&sleeps, &calls).await })
    };

    let skip = skip_sleeps();
    assert_eq!(
        run(sleeps.clone(), calls.clone()).await.expect("no panic"),
        Err("down")
    );
    assert_eq!(sleeps.load(SeqCst), 0);
    drop(skip);
    assert!(!testing::sleeps_skipped());
    assert!(
        !tokio::spawn(async { testing::sleeps_skipped() })
            .await
            .expect("no panic")
    );
    assert_eq!(
        run(sleeps.clone(), calls.clone()).await.expect("no panic"),
        Err("down")
    );
    assert_eq!(sleeps.load(SeqCst), 2);

    // Two guards: sleeps stay skipped until both are gone.
    let first = skip_sleeps();
    let second = skip_sleeps();
    drop(first);
    assert_eq!(
        run(sleeps.clone(), calls.clone()).await.expect("no panic"),
        Err("down")
    );
    assert_eq!(sleeps.load(SeqCst), 2);

    // The guard is `Send`: dropped in a task, on a worker, it turns the switch off everywhere.
    tokio::spawn(async move { drop(second) })
        .await
        .expect("no panic");
    assert!(!testing::sleeps_skipped());
    assert_eq!(
        run(sleeps.clone(), calls.clone()).await.expect("no panic"),
        Err("down")
    );
    assert_eq!(sleeps.load(SeqCst), 4);
    assert_eq!(calls.load(SeqCst), 4 * 3);

    let in_scope = testing::with_sleeps_skipped(testing::sleeps_skipped);
    assert!(in_scope);
    assert!(!testing::sleeps_skipped());
}

// ---- Where the scope ends: what a user may not expect ----

#[test]
fn a_switch_turned_on_before_the_runtime_is_built_reaches_its_thread_not_its_workers() {
    // Documented in the README's limits: the switch belongs to this thread only.
    let _skip = skip_sleeps();
    let runtime = multi_thread_runtime();
    runtime.block_on(async {
        assert!(testing::sleeps_skipped(), "block_on runs on this thread");
        let on_worker = tokio::spawn(async { testing::sleeps_skipped() });
        assert!(!on_worker.await.expect("no panic"), "a worker is not");
        let blocking = tokio::task::spawn_blocking(testing::sleeps_skipped);
        assert!(!blocking.await.expect("no panic"));
    });
}

#[test]
fn entering_the_runtime_first_makes_a_sync_tests_switch_reach_its_workers() {
    let runtime = multi_thread_runtime();
    let _entered = runtime.enter();
    let _skip = skip_sleeps();
    let sleeps = counter();
    let calls = counter();
    let task = {
        let (sleeps, calls) = (sleeps.clone(), calls.clone());
        runtime.spawn(async move { hourly_counted(&sleeps, &calls).await })
    };
    assert_eq!(runtime.block_on(task).expect("no panic"), Err("down"));
    assert_eq!(sleeps.load(SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_of_its_own_is_outside_the_test() {
    // Documented in the README's limits.
    let _skip = skip_sleeps();
    let sleeps = Arc::new(AtomicUsize::new(0));
    let on_own_thread = {
        let sleeps = sleeps.clone();
        std::thread::spawn(move || (testing::sleeps_skipped(), hourly_sync(&sleeps)))
    };
    let (skipped, outcome) = on_own_thread.join().expect("no panic");
    assert!(!skipped);
    assert_eq!(outcome, Err("down"));
    assert_eq!(sleeps.load(SeqCst), 2, "its sleeps are not skipped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_switch_turned_on_in_one_task_reaches_every_task_of_the_runtime() {
    let guard = tokio::spawn(async { skip_sleeps() })
        .await
        .expect("no panic");
    assert!(testing::sleeps_skipped(), "the test's own body");
    assert!(
        tokio::spawn(async { testing::sleeps_skipped() })
            .await
            .expect("no panic"),
        "a sibling task"
    );
    drop(guard);
    assert!(!testing::sleeps_skipped());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_sleeps_skipped_around_an_async_call_skips_nothing() {
    // The closure returns the call's future, and the guard is gone before it is awaited.
    let (sleeps, calls) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let outcome = testing::with_sleeps_skipped(|| hourly_counted(&sleeps, &calls)).await;
    assert_eq!(outcome, Err("down"));
    assert_eq!(sleeps.load(SeqCst), 2, "the sleeps were not skipped");
}

#[test]
fn tests_sharing_one_runtime_share_its_switches() {
    // A runtime shared between tests (a `static`, say) is one scope: a switch one test turns on
    // inside it reaches another test's calls on it.
    static READY: Meeting = Meeting::new(GENEROUS);
    static DONE: Meeting = Meeting::new(GENEROUS);
    static SHARED: std::sync::LazyLock<tokio::runtime::Runtime> =
        std::sync::LazyLock::new(multi_thread_runtime);
    let seen = run_side_by_side(vec![
        Box::new(|| {
            SHARED.block_on(async {
                let _skip = skip_sleeps();
                assert!(READY.arrive_async().await);
                assert!(DONE.arrive_async().await);
                true
            })
        }),
        Box::new(|| {
            SHARED.block_on(async {
                assert!(READY.arrive_async().await);
                let skipped = testing::sleeps_skipped();
                assert!(DONE.arrive_async().await);
                skipped
            })
        }),
    ]);
    assert_eq!(seen, vec![true, true], "the other test's switch reached it");
}
