//! Retries nested inside retries: detected through the attribute and `Policy`, sync and async,
//! visible in the report, and cut to one attempt by `nested = once`.
//!
//! The process-wide default is left alone here: tests run at once, and it would reach them all.

use std::cell::Cell;
use std::time::Duration;

use persevere::nested::Nested;
use persevere::stop::attempts;
use persevere::wait::{fixed, none};
use persevere::{Ending, Policy, retry};

#[retry(stop = attempts(3), wait = fixed(0ms))]
fn inner_sync(sent: &Cell<u32>) -> Result<(), &'static str> {
    sent.set(sent.get() + 1);
    Err("down")
}

#[retry(stop = attempts(3), wait = fixed(0ms))]
fn outer_sync(sent: &Cell<u32>) -> Result<(), &'static str> {
    inner_sync(sent)
}

#[retry(stop = attempts(3), wait = fixed(0ms), nested = once)]
fn inner_sync_once(sent: &Cell<u32>) -> Result<(), &'static str> {
    sent.set(sent.get() + 1);
    Err("down")
}

#[retry(stop = attempts(3), wait = fixed(0ms))]
fn outer_sync_once(sent: &Cell<u32>) -> Result<(), &'static str> {
    inner_sync_once(sent)
}

#[test]
fn attribute_sync_nested_retries_multiply() {
    let sent = Cell::new(0);
    assert_eq!(outer_sync(&sent), Err("down"));
    assert_eq!(sent.get(), 3 * 3);
}

#[test]
fn attribute_sync_nested_once_is_one_attempt_per_outer_retry() {
    let sent = Cell::new(0);
    assert_eq!(outer_sync_once(&sent), Err("down"));
    // 3 in the outer's first attempt (not yet retrying), then 1 in each of its 2 retries.
    assert_eq!(sent.get(), 3 + 1 + 1);
}

#[test]
fn attribute_sync_alone_is_not_nested() {
    let sent = Cell::new(0);
    assert_eq!(inner_sync_once(&sent), Err("down"));
    assert_eq!(sent.get(), 3);
}

#[retry(stop = attempts(3), wait = fixed(5ms), nested = once)]
async fn inner_async_once(sent: &Cell<u32>) -> Result<(), &'static str> {
    sent.set(sent.get() + 1);
    tokio::time::sleep(Duration::from_millis(1)).await;
    Err("down")
}

#[retry(stop = attempts(3), wait = fixed(10ms))]
async fn outer_async(sent: &Cell<u32>) -> Result<(), &'static str> {
    inner_async_once(sent).await
}

#[tokio::test(start_paused = true)]
async fn attribute_async_nested_once_with_exact_times() {
    let sent = Cell::new(0);
    let started = tokio::time::Instant::now();
    assert_eq!(outer_async(&sent).await, Err("down"));
    assert_eq!(sent.get(), 3 + 1 + 1);
    // Outer attempt 1: three inner attempts of 1 ms with two 5 ms waits (13 ms); then twice a
    // 10 ms wait and one 1 ms attempt.
    assert_eq!(started.elapsed(), Duration::from_millis(13 + 11 + 11));
}

#[tokio::test(start_paused = true)]
async fn a_task_sleeping_between_retries_marks_no_other_task() {
    // The outer call's mark is set only while its attempt is polled: another task running on
    // the same thread while it sleeps is not nested.
    let local = tokio::task::LocalSet::new();
    local
        .run_until(async {
            let outer_sent = Cell::new(0);
            let outer = tokio::task::spawn_local(async move {
                let _ = outer_async(&outer_sent).await;
            });
            tokio::time::sleep(Duration::from_millis(14)).await;
            let sent = Cell::new(0);
            assert_eq!(inner_async_once(&sent).await, Err("down"));
            assert_eq!(sent.get(), 3, "a separate task retries in full");
            outer.await.unwrap();
        })
        .await;
}

#[test]
fn policy_sync_report_names_the_outer_call() {
    let inner = Policy::new()
        .named("client::get")
        .stop(attempts(3))
        .wait(none());
    let outer = Policy::new()
        .named("service::handle")
        .stop(attempts(2))
        .wait(none());
    let mut reports = Vec::new();
    let _ = outer.call(|| {
        let (outcome, report) = inner.call_reported(|| Err::<(), _>("down"));
        reports.push(report);
        outcome
    });
    assert_eq!(reports.len(), 2);
    assert_eq!(
        reports[0].nested_in(),
        None,
        "the outer's first attempt is not a retry"
    );
    assert_eq!(
        reports[1].nested_in().map(|n| n.to_string()),
        Some("service::handle".into())
    );
    assert_eq!(
        (reports[1].attempts(), reports[1].ending()),
        (3, Ending::Attempts)
    );
}

#[test]
fn policy_sync_nested_once_ends_with_nested() {
    let inner = Policy::new()
        .stop(attempts(3))
        .wait(none())
        .nested(Nested::Once);
    let outer = Policy::new().stop(attempts(3)).wait(none());
    let mut endings = Vec::new();
    let _ = outer.call(|| {
        let (outcome, report) = inner.call_reported(|| Err::<(), _>("down"));
        endings.push((report.attempts(), report.ending()));
        outcome
    });
    assert_eq!(
        endings,
        [
            (3, Ending::Attempts),
            (1, Ending::Nested),
            (1, Ending::Nested)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn policy_async_nested_once() {
    let inner = Policy::new()
        .stop(attempts(4))
        .wait(none())
        .nested(Nested::Once);
    let outer = Policy::new()
        .stop(attempts(4))
        .wait(fixed(Duration::from_millis(1)));
    let sent = Cell::new(0);
    let outcome = outer
        .call_async(|| async {
            inner
                .call_async(|| async {
                    sent.set(sent.get() + 1);
                    Err::<(), _>("down")
                })
                .await
        })
        .await;
    assert_eq!(outcome, Err("down"));
    assert_eq!(sent.get(), 4 + 3);
}

#[test]
fn three_layers_multiply_without_once() {
    let layer = Policy::new().stop(attempts(2)).wait(none());
    let mut sent = 0;
    let _ = layer.call(|| {
        layer.call(|| {
            layer.call(|| {
                sent += 1;
                Err::<(), _>("down")
            })
        })
    });
    assert_eq!(sent, 2 * 2 * 2);
}

// ---------------------------------------------------------------------------------------------
// A sync call marks its thread while it retries, and only then.

#[retry(stop = attempts(2), wait = fixed(0ms))]
fn panics_on_its_retry(sent: &Cell<u32>) -> Result<(), &'static str> {
    sent.set(sent.get() + 1);
    if sent.get() > 1 {
        panic!("attempt {}", sent.get());
    }
    Err("down")
}

#[test]
fn a_sync_call_that_has_ended_leaves_its_thread_unmarked() {
    let sent = Cell::new(0);
    assert_eq!(outer_sync(&sent), Err("down"));
    let sent = Cell::new(0);
    assert_eq!(inner_sync_once(&sent), Err("down"));
    assert_eq!(sent.get(), 3, "a call after a retried call retries in full");

    let policy = Policy::new().stop(attempts(2)).wait(none());
    assert_eq!(policy.call(|| Err::<(), _>("down")), Err("down"));
    let sent = Cell::new(0);
    assert_eq!(inner_sync_once(&sent), Err("down"));
    assert_eq!(sent.get(), 3, "also after a `Policy` call");
}

#[test]
fn a_panic_in_a_retry_leaves_its_thread_unmarked() {
    let sent = Cell::new(0);
    let panicked =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| panics_on_its_retry(&sent)));
    assert!(panicked.is_err());
    assert_eq!(sent.get(), 2);
    let sent = Cell::new(0);
    assert_eq!(inner_sync_once(&sent), Err("down"));
    assert_eq!(sent.get(), 3, "the unwound call put back the thread's mark");
}

#[test]
fn the_outer_mark_is_back_after_an_inner_call_that_retried() {
    // The inner call retries in the outer's first attempt (not nested yet) and marks the thread
    // while it does; once it ends, the outer's second attempt still sees the outer's mark.
    let inner = Policy::new().stop(attempts(2)).wait(none());
    let once = Policy::new()
        .stop(attempts(3))
        .wait(none())
        .nested(Nested::Once);
    let outer = Policy::new().stop(attempts(2)).wait(none());
    let mut endings = Vec::new();
    let _ = outer.call(|| {
        let _ = inner.call(|| Err::<(), _>("down"));
        let (outcome, report) = once.call_reported(|| Err::<(), _>("down"));
        endings.push((report.attempts(), report.ending()));
        outcome
    });
    assert_eq!(endings, [(3, Ending::Attempts), (1, Ending::Nested)]);
}

#[tokio::test(start_paused = true)]
async fn a_sync_call_inside_an_async_retry_is_nested() {
    let sent = Cell::new(0);
    let outer = Policy::new()
        .stop(attempts(3))
        .wait(fixed(Duration::from_millis(1)));
    let outcome = outer.call_async(|| async { inner_sync_once(&sent) }).await;
    assert_eq!(outcome, Err("down"));
    assert_eq!(sent.get(), 3 + 1 + 1);
}

// ---------------------------------------------------------------------------------------------
// The log line: once per pair of functions, with both names and the worst case.

#[path = "support/log_capture.rs"]
mod log_capture;

#[retry(stop = attempts(4), wait = fixed(0ms))]
fn leaf(sent: &Cell<u32>) -> Result<(), &'static str> {
    sent.set(sent.get() + 1);
    Err("down")
}

#[retry(stop = attempts(3), wait = fixed(0ms))]
fn middle(sent: &Cell<u32>) -> Result<(), &'static str> {
    leaf(sent)
}

#[retry(stop = attempts(2), wait = fixed(0ms))]
fn top(sent: &Cell<u32>) -> Result<(), &'static str> {
    middle(sent)
}

#[test]
fn the_nesting_is_logged_once_per_pair_with_both_names_and_the_worst_case() {
    let sent = Cell::new(0);
    let ((), capture) = log_capture::capturing(|| {
        assert_eq!(top(&sent), Err("down"));
        assert_eq!(top(&sent), Err("down"));
    });
    assert_eq!(sent.get(), 2 * (2 * 3 * 4));
    let lines: Vec<_> = capture
        .events()
        .into_iter()
        .filter(|event| event.message.contains("is retried inside a retry of"))
        .collect();
    let messages: Vec<_> = lines.iter().map(|event| event.message.as_str()).collect();
    let line = |inner: &str, outer: &str, layers: u32, worst: u32| {
        format!(
            "persevere: nested::{inner} is retried inside a retry of nested::{outer}: {layers} \
             layers, up to {worst} attempts for one outer call; it retries as well; \
             `nested = once` would make it a single attempt"
        )
    };
    assert_eq!(
        messages,
        [
            // `top`'s first attempt: `middle` retries `leaf`.
            line("leaf", "middle", 2, 3 * 4),
            // `top`'s retry: `middle`'s first attempt is not a retry yet, so `leaf` is seen
            // inside `top`, then `middle` is, then `leaf` inside a retrying `middle`, deeper.
            line("leaf", "top", 2, 2 * 4),
            line("middle", "top", 2, 2 * 3),
            line("leaf", "middle", 3, 2 * 3 * 4),
        ],
        "once per pair and depth, however often the calls repeat"
    );
    assert!(
        lines
            .iter()
            .all(|event| event.level == tracing::Level::WARN)
    );
    assert_eq!(lines[0].fields["outer"], "nested::middle");
    assert_eq!(lines[0].fields["function"], "nested::leaf");
}

#[test]
fn a_boxed_policy_keeps_its_choice() {
    let inner = Policy::new()
        .stop(attempts(3))
        .wait(none())
        .nested(Nested::Once)
        .boxed::<(), &'static str>();
    let outer = Policy::new().stop(attempts(3)).wait(none());
    let mut endings = Vec::new();
    let _ = outer.call(|| {
        let (outcome, report) = inner.call_reported(|| Err("down"));
        endings.push((report.attempts(), report.ending()));
        outcome
    });
    assert_eq!(
        endings,
        [
            (3, Ending::Attempts),
            (1, Ending::Nested),
            (1, Ending::Nested)
        ]
    );
}

#[retry(policy = &ONCE)]
fn inner_from_a_static_policy(sent: &Cell<u32>) -> Result<(), &'static str> {
    sent.set(sent.get() + 1);
    Err("down")
}

static ONCE: std::sync::LazyLock<persevere::DynPolicy<(), &'static str>> =
    std::sync::LazyLock::new(|| {
        Policy::new()
            .stop(attempts(3))
            .wait(none())
            .nested(Nested::Once)
            .boxed()
    });

#[retry(stop = attempts(3), wait = fixed(0ms))]
fn outer_of_a_static_policy(sent: &Cell<u32>) -> Result<(), &'static str> {
    inner_from_a_static_policy(sent)
}

#[test]
fn the_attribute_with_a_boxed_policy_keeps_its_choice() {
    let sent = Cell::new(0);
    assert_eq!(outer_of_a_static_policy(&sent), Err("down"));
    assert_eq!(sent.get(), 3 + 1 + 1);
}

#[retry(stop = attempts(3), wait = fixed(5ms), hedge = 20ms, nested = once)]
async fn inner_hedged_once(sent: &Cell<u32>) -> Result<(), &'static str> {
    sent.set(sent.get() + 1);
    Err("down")
}

#[retry(stop = attempts(3), wait = fixed(10ms))]
async fn outer_of_a_hedged_call(sent: &Cell<u32>) -> Result<(), &'static str> {
    inner_hedged_once(sent).await
}

#[tokio::test(start_paused = true)]
async fn a_hedged_inner_call_is_nested_too() {
    let sent = Cell::new(0);
    let started = tokio::time::Instant::now();
    assert_eq!(outer_of_a_hedged_call(&sent).await, Err("down"));
    assert_eq!(sent.get(), 3 + 1 + 1);
    // The inner call's two 5 ms waits in the outer's first attempt, then the outer's two 10 ms.
    assert_eq!(started.elapsed(), Duration::from_millis(5 + 5 + 10 + 10));
}

// ---------------------------------------------------------------------------------------------
// `nested = once` cuts only a call that would retry; what the call does otherwise stays.

#[test]
fn once_leaves_a_call_that_would_not_retry_as_it_ends() {
    let single = Policy::new()
        .stop(attempts(1))
        .wait(none())
        .nested(Nested::Once);
    let outer = Policy::new().stop(attempts(2)).wait(none());
    let mut endings = Vec::new();
    let _ = outer.call(|| {
        let (outcome, report) = single.call_reported(|| Err::<(), _>("down"));
        endings.push((report.attempts(), report.ending()));
        outcome
    });
    assert_eq!(endings, [(1, Ending::Attempts), (1, Ending::Attempts)]);
}

#[retry(stop = attempts(1), wait = fixed(0ms))]
fn never_retries(sent: &Cell<u32>) -> Result<(), &'static str> {
    sent.set(sent.get() + 1);
    Err("down")
}

#[retry(stop = attempts(2), wait = fixed(0ms))]
fn outer_of_a_single_attempt(sent: &Cell<u32>) -> Result<(), &'static str> {
    never_retries(sent)
}

#[test]
fn a_call_that_cannot_retry_is_not_reported_as_retried_inside_a_retry() {
    let sent = Cell::new(0);
    let ((), capture) = log_capture::capturing(|| {
        assert_eq!(outer_of_a_single_attempt(&sent), Err("down"));
    });
    assert_eq!(sent.get(), 2);
    let lines: Vec<String> = capture
        .events()
        .into_iter()
        .map(|event| event.message)
        .filter(|message| message.contains("nested::never_retries is retried inside"))
        .collect();
    assert_eq!(lines, Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Only attempts are marked: a call's hooks and sleeps are not inside a retry, sync or async.

#[retry(stop = attempts(3), wait = fixed(0ms), nested = once)]
fn fallback(sent: &Cell<u32>) -> Result<u32, &'static str> {
    sent.set(sent.get() + 1);
    Err("down")
}

#[retry(stop = attempts(2), wait = fixed(0ms), on_give_up = |_, _| fallback(sent))]
fn falls_back(sent: &Cell<u32>) -> Result<u32, &'static str> {
    Err("primary down")
}

#[retry(stop = attempts(2), wait = fixed(0ms), on_give_up = |_, _| fallback(sent))]
async fn falls_back_async(sent: &Cell<u32>) -> Result<u32, &'static str> {
    Err("primary down")
}

#[tokio::test(start_paused = true)]
async fn a_give_up_hook_is_not_inside_a_retry_sync_or_async() {
    let sent = Cell::new(0);
    assert_eq!(falls_back(&sent), Err("down"));
    assert_eq!(sent.get(), 3, "sync: the fallback retries in full");
    let sent = Cell::new(0);
    assert_eq!(falls_back_async(&sent).await, Err("down"));
    assert_eq!(sent.get(), 3, "async: the fallback retries in full");
}

#[test]
fn a_sync_sleep_is_not_inside_a_retry() {
    let sent = Cell::new(0);
    let sleeper = |_: Duration| {
        let _ = fallback(&sent);
    };
    let outer = Policy::new()
        .stop(attempts(2))
        .wait(fixed(Duration::from_millis(1)))
        .sleeper(sleeper);
    assert_eq!(outer.call(|| Err::<(), _>("down")), Err("down"));
    assert_eq!(sent.get(), 3);
}

/// The engine's state holds the outcome's borrows no longer than any other value would.
#[test]
fn a_call_may_hold_borrows_that_end_before_it() {
    fn tie<'a>(_: &mut persevere::engine::Call<Result<&'a u32, ()>>, _: &'a u32) {}
    let mut call = persevere::engine::Call::<Result<&u32, ()>>::new("x", None);
    let x = 5u32;
    tie(&mut call, &x);
}

/// A name of the user's module wins over the runtime's in `nested = ...`, as in every value.
mod users_once {
    use std::cell::Cell;

    use persevere::nested::Nested;
    use persevere::retry;

    /// The user's own `once`, which here means retrying.
    #[allow(non_upper_case_globals)]
    pub const once: Nested = Nested::Retry;

    #[retry(stop = attempts(3), wait = fixed(0ms), nested = once)]
    pub fn inner(sent: &Cell<u32>) -> Result<(), &'static str> {
        sent.set(sent.get() + 1);
        Err("down")
    }

    #[retry(stop = attempts(2), wait = fixed(0ms))]
    pub fn outer(sent: &Cell<u32>) -> Result<(), &'static str> {
        inner(sent)
    }
}

#[test]
fn the_users_names_win_in_a_nested_value() {
    let sent = Cell::new(0);
    assert_eq!(users_once::outer(&sent), Err("down"));
    assert_eq!(sent.get(), 3 * 2, "the user's `once` retries");
}
