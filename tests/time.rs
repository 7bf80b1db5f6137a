//! Time as strategies and hooks see it agrees with the sleeps: never less than the time the call
//! has asked to sleep, whatever the sleeper, clock or test switch, and a deadline is never
//! overshot, whatever the hooks or the sleeper do.

use std::cell::Cell;
use std::time::{Duration, Instant};

use persevere::sleep::{AsyncSleeper, RecordingSleeper, SyncSleeper};
use persevere::stop::{deadline, elapsed};
use persevere::wait::fixed;
use persevere::{Policy, retry, testing};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn down(calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    Err(format!("down {}", calls.get()))
}

// ---- Sleepers that return at once still end time-based stops on schedule ----

#[retry(stop = elapsed(2s), wait = fixed(1s))]
fn default_sleeper(calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[retry(stop = elapsed(2s), wait = fixed(1s), sleep = |_| {})]
fn no_op_sleeper(calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[test]
fn skipped_sleeps_still_count_as_elapsed_time() {
    let _skip = testing::skip_sleeps();
    let calls = Cell::new(0);
    let started = Instant::now();
    assert_eq!(default_sleeper(&calls), Err("down 3".into()));
    // 0 s, 1 s, 2 s of asked-for sleep: the third attempt sees 2 s.
    assert_eq!(calls.get(), 3);
    assert!(started.elapsed() < Duration::from_secs(1));

    let calls = Cell::new(0);
    let outcome = Policy::new()
        .stop(elapsed(Duration::from_secs(2)))
        .wait(fixed(Duration::from_secs(1)))
        .call(|| down(&calls));
    assert_eq!((outcome, calls.get()), (Err("down 3".into()), 3));
}

#[test]
fn a_sleeper_that_returns_at_once_still_ends_an_elapsed_stop() {
    let calls = Cell::new(0);
    assert_eq!(no_op_sleeper(&calls), Err("down 3".into()));
    let calls = Cell::new(0);
    let outcome = Policy::new()
        .stop(elapsed(Duration::from_secs(2)))
        .wait(fixed(Duration::from_secs(1)))
        .sleeper(|_: Duration| {})
        .call(|| down(&calls));
    assert_eq!((outcome, calls.get()), (Err("down 3".into()), 3));
}

#[retry(stop = attempts(4), wait = fixed(1s), attempt = this, sleep = |_| {})]
fn reads_its_attempt(seen: &Cell<Duration>) -> Result<u32, String> {
    seen.set(this.elapsed());
    assert!(this.elapsed() >= this.slept());
    Err("down".into())
}

#[test]
fn the_body_sees_at_least_the_time_slept() {
    let seen = Cell::new(Duration::ZERO);
    assert_eq!(reads_its_attempt(&seen), Err("down".into()));
    assert!(seen.get() >= Duration::from_secs(3), "{:?}", seen.get());
}

// ---- A closure sleeper on tokio's paused clock reads tokio's clock ----

#[retry(stop = elapsed(5s), wait = fixed(2s), sleep = |d| tokio::time::sleep(d))]
async fn closure_on_tokio(calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    tokio::time::sleep(ms(500)).await;
    Err(format!("down {}", calls.get()))
}

#[tokio::test(start_paused = true)]
async fn an_async_closure_sleeper_reads_tokios_clock() {
    let calls = Cell::new(0);
    let started = tokio::time::Instant::now();
    assert_eq!(closure_on_tokio(&calls).await, Err("down 3".into()));
    // Attempts end at 0.5, 3 and 5.5 s; the third sees 5.5 s >= 5 s.
    assert_eq!(calls.get(), 3);
    assert_eq!(started.elapsed(), ms(5500));
}

// ---- Deadlines hold whatever the hooks take ----

#[retry(
    stop = deadline(100ms),
    wait = fixed(10ms),
    after = |_| clock.advance(ms(80)),
    sleep = clock.clone()
)]
fn slow_after_hook(
    clock: &RecordingSleeper,
    starts: &Cell<Vec<Duration>>,
    origin: Instant,
) -> Result<u32, String> {
    let mut seen = starts.take();
    seen.push(SyncSleeper::now(clock) - origin);
    starts.set(seen);
    Err("down".into())
}

#[retry(
    stop = deadline(100ms),
    wait = fixed(30ms),
    before_sleep = |_| clock.advance(ms(80)),
    sleep = clock.clone()
)]
fn slow_before_sleep_hook(clock: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[test]
fn time_spent_in_hooks_counts_against_a_deadline() {
    let clock = RecordingSleeper::new();
    let origin = SyncSleeper::now(&clock);
    let starts = Cell::new(Vec::new());
    assert_eq!(slow_after_hook(&clock, &starts, origin), Err("down".into()));
    // The `after` hook took 80 ms: a 10 ms sleep would end at 90 ms, before the deadline, so one
    // more attempt starts at 90 ms; its hook ends at 170 ms and no attempt follows.
    let starts = starts.take();
    assert!(starts.iter().all(|start| *start < ms(100)), "{starts:?}");
    assert_eq!(starts, [ms(0), ms(90)]);

    let clock = RecordingSleeper::new();
    let calls = Cell::new(0);
    assert_eq!(slow_before_sleep_hook(&clock, &calls), Err("down 1".into()));
    // The stop saw 0 + 30 ms; `before_sleep` then took 80 ms, and 80 + 30 ms would pass 100 ms.
    assert_eq!(calls.get(), 1);
    assert!(clock.sleeps().is_empty());
}

// ---- Deadlines hold whatever the sleeper does ----

/// A sleeper whose sleeps take three times as long as asked.
#[derive(Clone)]
struct Oversleeper(RecordingSleeper);

impl SyncSleeper for Oversleeper {
    fn sleep(&self, duration: Duration) {
        self.0.advance(duration * 3);
    }
    fn now(&self) -> Instant {
        SyncSleeper::now(&self.0)
    }
}

impl AsyncSleeper for Oversleeper {
    type Sleeping = std::future::Ready<()>;
    fn sleep(&self, duration: Duration) -> Self::Sleeping {
        self.0.advance(duration * 3);
        std::future::ready(())
    }
    fn now(&self) -> Instant {
        SyncSleeper::now(&self.0)
    }
}

#[retry(stop = deadline(1s), wait = fixed(400ms), sleep = sleeper.clone())]
fn oversleeps(sleeper: &Oversleeper, calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[retry(stop = deadline(1s), wait = fixed(400ms), sleep = sleeper.clone())]
async fn oversleeps_async(sleeper: &Oversleeper, calls: &Cell<u32>) -> Result<u32, String> {
    down(calls)
}

#[tokio::test]
async fn a_sleep_that_ends_past_the_deadline_returns_the_last_outcome() {
    let sleeper = Oversleeper(RecordingSleeper::new());
    let calls = Cell::new(0);
    // The 400 ms sleep took 1.2 s: no attempt may start after 1 s.
    assert_eq!(oversleeps(&sleeper, &calls), Err("down 1".into()));
    assert_eq!(calls.get(), 1);

    let sleeper = Oversleeper(RecordingSleeper::new());
    let calls = Cell::new(0);
    assert_eq!(
        oversleeps_async(&sleeper, &calls).await,
        Err("down 1".into())
    );
    assert_eq!(calls.get(), 1);

    for asynchronous in [false, true] {
        let sleeper = Oversleeper(RecordingSleeper::new());
        let calls = Cell::new(0);
        let policy = Policy::new()
            .stop(deadline(Duration::from_secs(1)))
            .wait(fixed(ms(400)))
            .sleeper(sleeper.clone());
        let outcome = if asynchronous {
            policy.call_async(|| async { down(&calls) }).await
        } else {
            policy.call(|| down(&calls))
        };
        assert_eq!(
            (outcome, calls.get()),
            (Err("down 1".into()), 1),
            "async: {asynchronous}"
        );
    }
}

// ---- The recording sleeper's clock never runs backwards ----

#[test]
fn the_recording_clock_saturates_instead_of_wrapping() {
    let sleeper = RecordingSleeper::new();
    let start = SyncSleeper::now(&sleeper);
    let mut previous = start;
    for _ in 0..3 {
        SyncSleeper::sleep(&sleeper, Duration::MAX);
        let now = SyncSleeper::now(&sleeper);
        assert!(now >= previous && now > start);
        previous = now;
    }
    assert_eq!(sleeper.total(), Duration::MAX);
}

// ---- A slow `before` hook counts against the deadline too ----

#[retry(
    stop = deadline(100ms),
    wait = fixed(0s),
    before = |_| clock.advance(ms(60)),
    sleep = clock.clone()
)]
fn slow_before_hook(
    clock: &RecordingSleeper,
    starts: &Cell<Vec<Duration>>,
    origin: Instant,
) -> Result<u32, String> {
    let mut seen = starts.take();
    seen.push(SyncSleeper::now(clock) - origin);
    starts.set(seen);
    Err("down".into())
}

#[retry(
    stop = attempts(5),
    wait = fixed(2s),
    total_timeout = 1s,
    before_sleep = |_| announced.set(announced.get() + 1),
    on_give_up = |last, state| { ending.set(state.ending()); last },
)]
async fn too_long_a_wait(
    announced: &Cell<u32>,
    ending: &Cell<Option<persevere::Ending>>,
) -> Result<u32, persevere::Timeout> {
    Err(persevere::Timeout::new(Duration::ZERO, false))
}

#[tokio::test(start_paused = true)]
async fn a_sleep_past_the_limit_is_neither_announced_nor_spent() {
    let clock = RecordingSleeper::new();
    let origin = SyncSleeper::now(&clock);
    let starts = Cell::new(Vec::new());
    assert_eq!(
        slow_before_hook(&clock, &starts, origin),
        Err("down".into())
    );
    // The second attempt's `before` ends at 120 ms, past the deadline: it never starts.
    assert_eq!(starts.take(), [ms(60)]);

    let (announced, ending) = (Cell::new(0), Cell::new(None));
    assert!(too_long_a_wait(&announced, &ending).await.is_err());
    // The 2 s wait would pass the 1 s total limit: no `before_sleep`, and the ending says why.
    assert_eq!(
        (announced.get(), ending.get()),
        (0, Some(persevere::Ending::Timeout))
    );
}

/// Attempts that take time: with sleeps skipped, the call sees the schedule it would run
/// (each attempt's own time plus the waits it skipped), so a deadline ends it after the same
/// attempts, and its report tells the same time, through the attribute and `Policy`.
#[retry(stop = deadline(10s), wait = fixed(3s), sleep = clock.clone())]
fn takes_a_second(clock: &RecordingSleeper, calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    clock.advance(Duration::from_secs(1));
    Err("down".into())
}

#[test]
fn skipped_sleeps_keep_the_schedule_of_attempts_that_take_time() {
    let run = |skip: bool| {
        let clock = RecordingSleeper::new();
        let calls = Cell::new(0);
        let _skip = skip.then(testing::skip_sleeps);
        let _ = takes_a_second(&clock, &calls);
        let (_, report) = Policy::new()
            .stop(deadline(Duration::from_secs(10)))
            .wait(fixed(Duration::from_secs(3)))
            .sleeper(clock.clone())
            .call_reported(|| {
                clock.advance(Duration::from_secs(1));
                Err::<(), _>("down")
            });
        (calls.get(), report.attempts(), report.elapsed())
    };
    let planned = run(false);
    assert_eq!(planned, (3, 3, Duration::from_secs(9)));
    assert_eq!(run(true), planned);
}

// Sleeps past what a `u64` of nanoseconds holds (584 years): the time asked still counts in full,
// so time-based stops end the call on schedule and no deadline is passed.

#[test]
fn sleeps_past_584_years_still_end_time_based_stops() {
    // `elapsed(1089 years)` after a first sleep of 1089 years: two attempts.
    let long = Duration::from_secs(1 << 35);
    let mut calls = 0;
    let outcome = Policy::new()
        .stop(elapsed(long))
        .wait(fixed(long))
        .sleeper(|_: Duration| {})
        .call(|| {
            calls += 1;
            if calls == 1000 { Ok(()) } else { Err("down") }
        });
    assert_eq!((outcome, calls), (Err("down"), 2));

    // A deadline whose sleeps each pass 584 years: no sleep is asked that ends past it.
    let limit = Duration::from_secs(1 << 40);
    let asked = Cell::new(Duration::ZERO);
    let (outcome, report) = Policy::new()
        .stop(deadline(limit))
        .wait(fixed(limit / 2 + Duration::from_secs(1)))
        .sleeper(|wait: Duration| asked.set(asked.get().saturating_add(wait)))
        .call_reported(|| Err::<(), _>("down"));
    assert_eq!(outcome, Err("down"));
    assert!(
        asked.get() <= limit,
        "asked {:?} past {limit:?}",
        asked.get()
    );
    assert!(report.attempts() <= 2);

    // The largest of both, with a recording sleeper whose clock stops at the largest instant.
    let sleeper = RecordingSleeper::new();
    let mut calls = 0;
    let outcome = Policy::new()
        .stop(elapsed(Duration::MAX))
        .wait(fixed(Duration::MAX))
        .sleeper(sleeper.clone())
        .call(|| {
            calls += 1;
            if calls == 1000 { Ok(()) } else { Err("down") }
        });
    assert_eq!((outcome, calls), (Err("down"), 2));
}

#[retry(stop = elapsed(9_000_000h), wait = fixed(9_000_000h), sleep = |_| {})]
fn sleeps_for_a_millennium(calls: &Cell<u32>) -> Result<(), &'static str> {
    calls.set(calls.get() + 1);
    if calls.get() == 1000 {
        Ok(())
    } else {
        Err("down")
    }
}

#[test]
fn sleeps_past_584_years_through_the_attribute() {
    let calls = Cell::new(0);
    assert_eq!(sleeps_for_a_millennium(&calls), Err("down"));
    assert_eq!(calls.get(), 2);
}
