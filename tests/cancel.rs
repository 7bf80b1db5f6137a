//! Graceful shutdown of sync retries: a caller-owned handle wakes a retried call from its sleep,
//! and the call returns its last outcome at once, through the attribute and through `Policy`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use persevere::cancel::Shutdown;
use persevere::stop::{attempts, cancelled};
use persevere::wait::fixed;
use persevere::{Policy, retry};

static SHUTDOWN: Shutdown = Shutdown::new();
static CALLS: AtomicU32 = AtomicU32::new(0);

#[retry(
    stop = attempts(5) | cancelled(&SHUTDOWN),
    wait = fixed(1h),
    sleep = SHUTDOWN.sleeper(),
    before_sleep = |_| { let _ = sleeping.send(()); },
)]
fn sync_orders(sleeping: &mpsc::Sender<()>) -> Result<(), String> {
    CALLS.fetch_add(1, Ordering::SeqCst);
    Err("the warehouse is down".into())
}

#[test]
fn a_shutdown_wakes_the_sleep_and_returns_the_last_outcome() {
    let (sleeping, about_to_sleep) = mpsc::channel();
    let started = Instant::now();
    let worker = std::thread::spawn(move || sync_orders(&sleeping));
    about_to_sleep.recv().unwrap();
    SHUTDOWN.cancel();
    assert_eq!(
        worker.join().unwrap(),
        Err("the warehouse is down".to_string())
    );
    // One attempt; the hour-long sleep ended at the signal, and no attempt followed it.
    assert_eq!(CALLS.load(Ordering::SeqCst), 1);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_policy_is_woken_the_same_way() {
    let shutdown = Shutdown::new();
    let calls = AtomicU32::new(0);
    let (sleeping, about_to_sleep) = mpsc::channel();
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            Policy::new()
                .stop(attempts(5) | cancelled(&shutdown))
                .wait(fixed(Duration::from_secs(3600)))
                .sleeper(shutdown.sleeper())
                .before_sleep(move |_: &persevere::RetryState<'_, (), &str>| {
                    let _ = sleeping.send(());
                })
                .call(|| {
                    calls.fetch_add(1, Ordering::SeqCst);
                    Err::<(), _>("down")
                })
        });
        about_to_sleep.recv().unwrap();
        shutdown.cancel();
        assert_eq!(worker.join().unwrap(), Err("down"));
    });
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A boxed stop hides whether it can be cancelled, so the call assumes it can (as it assumes a
/// boxed stop reads the clock) and asks it when each sleep ends.
type BoxedStop<'a> = Box<dyn persevere::stop::Stop<(), &'static str> + Send + Sync + 'a>;

#[retry(stop = stop, wait = fixed(1s), sleep = |_| shutdown.cancel())]
fn boxed_orders(
    stop: &BoxedStop<'_>,
    shutdown: &Shutdown,
    calls: &AtomicU32,
) -> Result<(), &'static str> {
    calls.fetch_add(1, Ordering::SeqCst);
    Err("down")
}

#[test]
fn a_boxed_stop_is_asked_whether_it_was_cancelled_when_the_sleep_ends() {
    let shutdown = Shutdown::new();
    let calls = AtomicU32::new(0);
    let stop: BoxedStop<'_> = Box::new(attempts(5) | cancelled(&shutdown));
    assert_eq!(boxed_orders(&stop, &shutdown, &calls), Err("down"));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "no attempt after the shutdown"
    );

    let shutdown = Shutdown::new();
    let calls = AtomicU32::new(0);
    let stop: BoxedStop<'_> = Box::new(attempts(5) | cancelled(&shutdown));
    let outcome = Policy::new()
        .stop(stop)
        .wait(fixed(Duration::from_secs(1)))
        .sleeper(|_: Duration| shutdown.cancel())
        .call(|| {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>("down")
        });
    assert_eq!(outcome, Err("down"));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "no attempt after the shutdown"
    );
}
