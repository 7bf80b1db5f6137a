//! The tracing span of a call that fails (`span = true`, `Policy::span(true)`): one span per
//! failing call with its final fields, one event per failed attempt inside it, and nothing at all
//! for a first-time success or an untraced policy. A capturing layer records what a subscriber
//! sees, fields recorded after the span opened included.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use persevere::budget::RetryBudget;
use persevere::stop::attempts;
use persevere::wait::{fixed, none};
use persevere::{Policy, Timeout, retry};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

#[path = "support/log_capture.rs"]
mod log_capture;

// ---------------------------------------------------------------------------------------------
// The capturing layer.

/// A field's value as text: strings as they are, numbers and booleans in decimal, anything else
/// through `Debug` (which for a `%value` is its `Display`).
type Fields = BTreeMap<String, String>;

#[derive(Default)]
struct FieldVisitor(Fields);

impl Visit for FieldVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

#[derive(Debug, Clone)]
struct SpanRecord {
    target: String,
    name: String,
    level: tracing::Level,
    /// The index (in `Captured::spans`) of its parent span, if it has one.
    parent: Option<usize>,
    fields: Fields,
    closed: bool,
}

#[derive(Debug, Clone)]
struct EventRecord {
    target: String,
    level: tracing::Level,
    /// The index (in `Captured::spans`) of its parent span, if it has one.
    parent: Option<usize>,
    fields: Fields,
}

#[derive(Default)]
struct Captured {
    spans: Vec<SpanRecord>,
    events: Vec<EventRecord>,
    /// Live span ids to their index in `spans` (the registry reuses the ids of closed spans).
    live: HashMap<u64, usize>,
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Captured>>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = FieldVisitor::default();
        attrs.record(&mut fields);
        let parent_id = if attrs.is_root() {
            None
        } else if let Some(parent) = attrs.parent() {
            Some(parent.clone())
        } else {
            ctx.current_span().id().cloned()
        };
        let mut captured = self.0.lock().unwrap();
        let parent = parent_id.and_then(|parent| captured.live.get(&parent.into_u64()).copied());
        let metadata = attrs.metadata();
        captured.spans.push(SpanRecord {
            target: metadata.target().to_owned(),
            name: metadata.name().to_owned(),
            level: *metadata.level(),
            parent,
            fields: fields.0,
            closed: false,
        });
        let index = captured.spans.len() - 1;
        captured.live.insert(id.into_u64(), index);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut fields = FieldVisitor::default();
        values.record(&mut fields);
        let mut captured = self.0.lock().unwrap();
        let index = captured.live[&id.into_u64()];
        captured.spans[index].fields.extend(fields.0);
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = FieldVisitor::default();
        event.record(&mut fields);
        let parent_id = if event.is_root() {
            None
        } else if let Some(parent) = event.parent() {
            Some(parent.clone())
        } else {
            ctx.current_span().id().cloned()
        };
        let mut captured = self.0.lock().unwrap();
        let parent = parent_id.and_then(|parent| captured.live.get(&parent.into_u64()).copied());
        let metadata = event.metadata();
        captured.events.push(EventRecord {
            target: metadata.target().to_owned(),
            level: *metadata.level(),
            parent,
            fields: fields.0,
        });
    }

    fn on_close(&self, id: Id, _: Context<'_, S>) {
        let mut captured = self.0.lock().unwrap();
        if let Some(index) = captured.live.remove(&id.into_u64()) {
            captured.spans[index].closed = true;
        }
    }
}

/// What the layer saw from persevere's span and events (target `persevere`). Spans' `parent`
/// indices are rewritten to index into `spans` here, and events' `parent` too.
#[derive(Debug)]
struct Seen {
    spans: Vec<SpanRecord>,
    events: Vec<EventRecord>,
    /// Every span the layer saw, whatever its target, for checking parents.
    all_spans: Vec<SpanRecord>,
}

impl Capture {
    fn seen(&self) -> Seen {
        let captured = self.0.lock().unwrap();
        let ours: Vec<usize> = (0..captured.spans.len())
            .filter(|&i| captured.spans[i].target == "persevere")
            .collect();
        let renumber =
            |parent: Option<usize>| parent.and_then(|p| ours.iter().position(|&i| i == p));
        Seen {
            spans: ours.iter().map(|&i| captured.spans[i].clone()).collect(),
            events: captured
                .events
                .iter()
                .filter(|event| event.target == "persevere")
                .map(|event| EventRecord {
                    parent: renumber(event.parent),
                    ..event.clone()
                })
                .collect(),
            all_spans: captured.spans.clone(),
        }
    }
}

/// Runs `f` with a capturing subscriber as this thread's default, and returns what it saw.
fn capture<R>(f: impl FnOnce() -> R) -> (R, Seen) {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    log_capture::hear_every_callsite();
    let output = tracing::subscriber::with_default(subscriber, f);
    (output, capture.seen())
}

/// A capturing subscriber as the default until the guard drops, for async tests on a
/// current-thread runtime.
fn capture_async() -> (Capture, tracing::subscriber::DefaultGuard) {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    log_capture::hear_every_callsite();
    let guard = tracing::subscriber::set_default(subscriber);
    (capture, guard)
}

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// Checks the one span and its events: the span's fields, each event's fields in order, every
/// event a child of the span, and the span closed.
#[track_caller]
fn assert_one_call(seen: &Seen, span: &[(&str, &str)], events: &[&[(&str, &str)]]) {
    assert_eq!(seen.spans.len(), 1, "one span per failing call: {seen:#?}");
    let only = &seen.spans[0];
    assert_eq!(only.name, "retry");
    assert_eq!(only.level, tracing::Level::INFO);
    assert_eq!(only.fields, fields(span));
    assert!(only.closed, "the span closes when the call ends");
    let got: Vec<Fields> = seen
        .events
        .iter()
        .map(|event| event.fields.clone())
        .collect();
    let expected: Vec<Fields> = events.iter().map(|pairs| fields(pairs)).collect();
    assert_eq!(got, expected);
    for event in &seen.events {
        assert_eq!(event.level, tracing::Level::INFO);
        assert_eq!(event.parent, Some(0), "each event is in the call's span");
    }
}

/// The fields of an `attempt failed` event for an `Err`.
fn err_event(attempt: &'static str, error_type: &'static str) -> [(&'static str, &'static str); 4] {
    [
        ("message", "attempt failed"),
        ("retry.attempt", attempt),
        ("retry.outcome", "err"),
        ("error.type", error_type),
    ]
}

// ---------------------------------------------------------------------------------------------
// Functions under test.

#[derive(Debug, Clone, PartialEq)]
struct Boom;

#[retry(stop = attempts(3), wait = none(), span = true)]
fn always_fails(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

#[retry(stop = attempts(5), wait = none(), span = true)]
fn fails_twice(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    if calls.get() <= 2 { Err(Boom) } else { Ok(7) }
}

#[retry(stop = attempts(3), wait = none(), span = true)]
fn succeeds(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Ok(1)
}

#[retry(stop = attempts(3), wait = none())]
fn untraced(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

#[retry(stop = attempts(3), wait = none(), span = false)]
fn traced_off(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

const TRACED: bool = true;
const QUIET: bool = false;

#[retry(stop = attempts(2), wait = none(), span = TRACED)]
fn traced_by_const(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

#[retry(stop = attempts(2), wait = none(), span = QUIET)]
fn quiet_by_const(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

#[retry(stop = attempts(2), wait = none(), span = !QUIET && calls.get() < 100)]
fn traced_by_expression(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

#[retry(stop = attempts(2), wait = none(), span = trace)]
fn traced_by_argument(trace: bool, calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

#[derive(Debug, Clone, PartialEq)]
enum Failure {
    Transient,
    Fatal,
}

#[retry(
    stop = attempts(5),
    wait = none(),
    retry_if = |e: &Failure| *e == Failure::Transient,
    span = true
)]
fn transient_then_fatal(calls: &Cell<u32>) -> Result<u32, Failure> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        Err(Failure::Transient)
    } else {
        Err(Failure::Fatal)
    }
}

#[retry(stop = attempts(3), wait = fixed(10s), span = true)]
fn sleeps_between(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Err(Boom)
}

#[retry(stop = attempts(4), wait = none(), retry_if_ok = |n: &u32| *n == 0, span = true)]
fn zero_then_answer(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    match calls.get() {
        1 => Ok(0),
        2 => Err(Boom),
        _ => Ok(42),
    }
}

#[retry(stop = attempts(4), wait = none(), retry_if_ok = |n: &u32| *n == 0, span = true)]
fn answers_at_once(calls: &Cell<u32>) -> Result<u32, Boom> {
    calls.set(calls.get() + 1);
    Ok(42)
}

struct Gateway {
    calls: Cell<u32>,
}

impl Gateway {
    #[retry(stop = attempts(2), wait = none(), span = true)]
    fn charge(&self) -> Result<u32, Boom> {
        self.calls.set(self.calls.get() + 1);
        Err(Boom)
    }
}

// ---------------------------------------------------------------------------------------------
// Sync calls.

#[test]
fn a_call_that_gives_up_has_one_span_and_an_event_per_attempt() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| always_fails(&calls));
    assert_eq!((outcome, calls.get()), (Err(Boom), 3));
    assert_eq!(seen.spans[0].target, "persevere");
    assert_one_call(
        &seen,
        &[
            ("code.function.name", "span::always_fails"),
            ("retry.attempts", "3"),
            ("retry.slept", "0ns"),
            ("retry.ending", "attempts"),
            ("otel.status_code", "ERROR"),
            ("error.type", "span::Boom"),
        ],
        &[
            &err_event("1", "span::Boom"),
            &err_event("2", "span::Boom"),
            &err_event("3", "span::Boom"),
        ],
    );
}

#[test]
fn a_policy_call_that_gives_up_has_the_same_span() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("billing::sync_orders")
            .stop(attempts(3))
            .wait(none())
            .span(true)
            .call(|| {
                calls.set(calls.get() + 1);
                Err::<(), _>("down")
            })
    });
    assert_eq!((outcome, calls.get()), (Err("down"), 3));
    assert_one_call(
        &seen,
        &[
            ("code.function.name", "billing::sync_orders"),
            ("retry.attempts", "3"),
            ("retry.slept", "0ns"),
            ("retry.ending", "attempts"),
            ("otel.status_code", "ERROR"),
            ("error.type", "&str"),
        ],
        &[
            &err_event("1", "&str"),
            &err_event("2", "&str"),
            &err_event("3", "&str"),
        ],
    );
}

#[test]
fn an_unnamed_policy_names_its_span_unnamed() {
    let (_, seen) = capture(|| {
        Policy::new()
            .stop(attempts(1))
            .span(true)
            .call(|| Err::<(), _>(Boom))
    });
    assert_one_call(
        &seen,
        &[
            ("code.function.name", "<unnamed>"),
            ("retry.attempts", "1"),
            ("retry.slept", "0ns"),
            ("retry.ending", "attempts"),
            ("otel.status_code", "ERROR"),
            ("error.type", "span::Boom"),
        ],
        &[&err_event("1", "span::Boom")],
    );
}

#[test]
fn a_success_after_retries_is_ok_and_has_no_error_type() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| fails_twice(&calls));
    assert_eq!((outcome, calls.get()), (Ok(7), 3));
    let span = [
        ("code.function.name", "span::fails_twice"),
        ("retry.attempts", "3"),
        ("retry.slept", "0ns"),
        ("retry.ending", "succeeded"),
        ("otel.status_code", "OK"),
    ];
    let events: [&[(&str, &str)]; 2] =
        [&err_event("1", "span::Boom"), &err_event("2", "span::Boom")];
    assert_one_call(&seen, &span, &events);

    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("span::fails_twice")
            .stop(attempts(5))
            .wait(none())
            .span(true)
            .call(|| {
                calls.set(calls.get() + 1);
                if calls.get() <= 2 { Err(Boom) } else { Ok(7) }
            })
    });
    assert_eq!((outcome, calls.get()), (Ok(7), 3));
    assert_one_call(&seen, &span, &events);
}

#[test]
fn a_first_time_success_opens_no_span() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| succeeds(&calls));
    assert_eq!((outcome, calls.get()), (Ok(1), 1));
    assert!(seen.spans.is_empty() && seen.events.is_empty(), "{seen:#?}");

    let (outcome, seen) = capture(|| {
        Policy::new()
            .stop(attempts(3))
            .wait(none())
            .span(true)
            .call(|| Ok::<_, Boom>(1))
    });
    assert_eq!(outcome, Ok(1));
    assert!(seen.spans.is_empty() && seen.events.is_empty(), "{seen:#?}");
}

#[test]
fn without_span_a_failing_call_emits_no_span_and_no_event() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| (untraced(&calls), traced_off(&calls)));
    assert_eq!((outcome, calls.get()), ((Err(Boom), Err(Boom)), 6));
    assert!(seen.spans.is_empty() && seen.events.is_empty(), "{seen:#?}");

    let (outcome, seen) = capture(|| {
        let plain = Policy::new()
            .stop(attempts(3))
            .wait(none())
            .call(|| Err::<(), _>(Boom));
        let off = Policy::new()
            .stop(attempts(3))
            .wait(none())
            .span(true)
            .span(false)
            .call(|| Err::<(), _>(Boom));
        (plain, off)
    });
    assert_eq!(outcome, (Err(Boom), Err(Boom)));
    assert!(seen.spans.is_empty() && seen.events.is_empty(), "{seen:#?}");
    assert!(seen.all_spans.is_empty(), "{seen:#?}");
}

#[test]
fn span_takes_a_constant_or_any_bool_expression() {
    let two_attempts = |name: &'static str| {
        [
            ("code.function.name", name),
            ("retry.attempts", "2"),
            ("retry.slept", "0ns"),
            ("retry.ending", "attempts"),
            ("otel.status_code", "ERROR"),
            ("error.type", "span::Boom"),
        ]
    };
    let events: [&[(&str, &str)]; 2] =
        [&err_event("1", "span::Boom"), &err_event("2", "span::Boom")];

    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| traced_by_const(&calls));
    assert_eq!((outcome, calls.get()), (Err(Boom), 2));
    assert_one_call(&seen, &two_attempts("span::traced_by_const"), &events);

    let (_, seen) = capture(|| quiet_by_const(&calls));
    assert_eq!(calls.get(), 4);
    assert!(seen.spans.is_empty() && seen.events.is_empty(), "{seen:#?}");

    let (_, seen) = capture(|| traced_by_expression(&Cell::new(0)));
    assert_one_call(&seen, &two_attempts("span::traced_by_expression"), &events);
    // The same expression, false this time: evaluated for each call.
    let (_, seen) = capture(|| traced_by_expression(&Cell::new(500)));
    assert!(seen.spans.is_empty() && seen.events.is_empty(), "{seen:#?}");

    let (_, seen) = capture(|| traced_by_argument(true, &calls));
    assert_one_call(&seen, &two_attempts("span::traced_by_argument"), &events);
    let (_, seen) = capture(|| traced_by_argument(false, &calls));
    assert!(seen.spans.is_empty() && seen.events.is_empty(), "{seen:#?}");

    // A policy's switch is a plain `bool` too, and `span` is `const`.
    const POLICY: Policy = Policy::new().span(TRACED);
    let (_, seen) = capture(|| {
        POLICY
            .named("span::traced_by_const")
            .stop(attempts(2))
            .wait(none())
            .call(|| Err::<(), _>(Boom))
    });
    assert_one_call(&seen, &two_attempts("span::traced_by_const"), &events);
}

#[test]
fn a_non_retryable_error_ends_not_retryable_with_error_status() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| transient_then_fatal(&calls));
    assert_eq!((outcome, calls.get()), (Err(Failure::Fatal), 2));
    let span = [
        ("code.function.name", "span::transient_then_fatal"),
        ("retry.attempts", "2"),
        ("retry.slept", "0ns"),
        ("retry.ending", "not_retryable"),
        ("otel.status_code", "ERROR"),
        ("error.type", "span::Failure"),
    ];
    let events: [&[(&str, &str)]; 2] = [
        &err_event("1", "span::Failure"),
        &err_event("2", "span::Failure"),
    ];
    assert_one_call(&seen, &span, &events);

    // An error not retried on the first attempt: the call still failed, so it has a span.
    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("span::fatal_at_once")
            .stop(attempts(5))
            .wait(none())
            .retry_if(|e: &Failure| *e == Failure::Transient)
            .span(true)
            .call(|| Err::<(), _>(Failure::Fatal))
    });
    assert_eq!(outcome, Err(Failure::Fatal));
    assert_one_call(
        &seen,
        &[
            ("code.function.name", "span::fatal_at_once"),
            ("retry.attempts", "1"),
            ("retry.slept", "0ns"),
            ("retry.ending", "not_retryable"),
            ("otel.status_code", "ERROR"),
            ("error.type", "span::Failure"),
        ],
        &[&err_event("1", "span::Failure")],
    );
}

#[test]
fn the_span_records_the_time_slept_as_planned() {
    let _skip = persevere::testing::skip_sleeps();
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| sleeps_between(&calls));
    assert_eq!((outcome, calls.get()), (Err(Boom), 3));
    assert_one_call(
        &seen,
        &[
            ("code.function.name", "span::sleeps_between"),
            ("retry.attempts", "3"),
            ("retry.slept", "20s"),
            ("retry.ending", "attempts"),
            ("otel.status_code", "ERROR"),
            ("error.type", "span::Boom"),
        ],
        &[
            &err_event("1", "span::Boom"),
            &err_event("2", "span::Boom"),
            &err_event("3", "span::Boom"),
        ],
    );
}

#[test]
fn a_retried_ok_is_an_event_without_error_type() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| zero_then_answer(&calls));
    assert_eq!((outcome, calls.get()), (Ok(42), 3));
    let ok_event: [(&str, &str); 3] = [
        ("message", "attempt failed"),
        ("retry.attempt", "1"),
        ("retry.outcome", "ok"),
    ];
    assert_one_call(
        &seen,
        &[
            ("code.function.name", "span::zero_then_answer"),
            ("retry.attempts", "3"),
            ("retry.slept", "0ns"),
            ("retry.ending", "succeeded"),
            ("otel.status_code", "OK"),
        ],
        &[&ok_event, &err_event("2", "span::Boom")],
    );
}

#[test]
fn a_first_time_success_under_retry_if_ok_opens_no_span() {
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| answers_at_once(&calls));
    assert_eq!((outcome, calls.get()), (Ok(42), 1));
    assert!(seen.spans.is_empty() && seen.events.is_empty(), "{seen:#?}");
}

#[test]
fn a_first_time_success_of_a_policy_with_retry_if_ok_opens_no_span() {
    let (outcome, seen) = capture(|| {
        Policy::new()
            .stop(attempts(3))
            .wait(none())
            .retry_if_ok(|n: &u32| *n == 0)
            .span(true)
            .call(|| Ok::<u32, Boom>(42))
    });
    assert_eq!(outcome, Ok(42));
    assert!(seen.spans.is_empty() && seen.events.is_empty(), "{seen:#?}");
}

#[test]
fn a_method_span_names_the_type_and_method() {
    let gateway = Gateway {
        calls: Cell::new(0),
    };
    let (outcome, seen) = capture(|| gateway.charge());
    assert_eq!((outcome, gateway.calls.get()), (Err(Boom), 2));
    assert_one_call(
        &seen,
        &[
            ("code.function.name", "span::Gateway::charge"),
            ("retry.attempts", "2"),
            ("retry.slept", "0ns"),
            ("retry.ending", "attempts"),
            ("otel.status_code", "ERROR"),
            ("error.type", "span::Boom"),
        ],
        &[&err_event("1", "span::Boom"), &err_event("2", "span::Boom")],
    );
}

#[test]
fn an_empty_budget_ends_the_span_with_budget() {
    static EMPTY: RetryBudget = RetryBudget::with_reserve(0, 0);
    let (outcome, seen) = capture(|| {
        Policy::new()
            .named("span::budgeted")
            .stop(attempts(3))
            .wait(none())
            .budget(&EMPTY)
            .span(true)
            .call(|| Err::<(), _>(Boom))
    });
    assert_eq!(outcome, Err(Boom));
    assert_one_call(
        &seen,
        &[
            ("code.function.name", "span::budgeted"),
            ("retry.attempts", "1"),
            ("retry.slept", "0ns"),
            ("retry.ending", "budget"),
            ("otel.status_code", "ERROR"),
            ("error.type", "span::Boom"),
        ],
        &[&err_event("1", "span::Boom")],
    );
}

#[test]
fn each_failing_call_has_its_own_span_inside_the_callers_span() {
    let calls = Cell::new(0);
    let (_, seen) = capture(|| {
        let outer = tracing::info_span!("request");
        let _entered = outer.enter();
        let _ = always_fails(&calls);
        let _ = succeeds(&calls);
        let _ = always_fails(&calls);
    });
    assert_eq!(calls.get(), 7);
    assert_eq!(seen.spans.len(), 2, "{seen:#?}");
    assert_eq!(seen.events.len(), 6, "{seen:#?}");
    for (index, span) in seen.spans.iter().enumerate() {
        assert!(span.closed);
        assert_eq!(span.fields["retry.attempts"], "3");
        let parent = span.parent.map(|p| seen.all_spans[p].name.as_str());
        assert_eq!(
            parent,
            Some("request"),
            "the retry span is a child of the caller's"
        );
        let children = seen.events.iter().filter(|e| e.parent == Some(index));
        let attempts: Vec<&str> = children
            .map(|e| e.fields["retry.attempt"].as_str())
            .collect();
        assert_eq!(attempts, ["1", "2", "3"]);
    }
}

// ---------------------------------------------------------------------------------------------
// Async calls, on tokio's paused clock.

#[derive(Debug, Clone, PartialEq)]
enum FetchError {
    TimedOut(Timeout),
    Refused,
}

impl From<Timeout> for FetchError {
    fn from(timeout: Timeout) -> Self {
        FetchError::TimedOut(timeout)
    }
}

#[retry(stop = attempts(2), wait = none(), timeout = 1s, span = true)]
async fn hangs(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    tokio::time::sleep(Duration::from_secs(60)).await;
    Ok(1)
}

#[retry(stop = attempts(3), wait = fixed(1s), span = true)]
async fn refused_then_ok(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        Err(FetchError::Refused)
    } else {
        Ok(5)
    }
}

#[retry(stop = attempts(3), wait = fixed(1s), span = true)]
async fn fetches_at_once(calls: &Cell<u32>) -> Result<u32, FetchError> {
    calls.set(calls.get() + 1);
    Ok(5)
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_attempt_is_an_event_with_outcome_timed_out() {
    let (capture, _guard) = capture_async();
    let calls = Cell::new(0);
    let started = tokio::time::Instant::now();
    let outcome = hangs(&calls).await;
    assert_eq!(
        outcome,
        Err(FetchError::TimedOut(Timeout::new(
            Duration::from_secs(1),
            false
        )))
    );
    assert_eq!(
        (calls.get(), started.elapsed()),
        (2, Duration::from_secs(2))
    );
    let timed_out = |attempt| {
        [
            ("message", "attempt failed"),
            ("retry.attempt", attempt),
            ("retry.outcome", "timed_out"),
            ("error.type", "span::FetchError"),
        ]
    };
    assert_one_call(
        &capture.seen(),
        &[
            ("code.function.name", "span::hangs"),
            ("retry.attempts", "2"),
            ("retry.slept", "0ns"),
            ("retry.ending", "attempts"),
            ("otel.status_code", "ERROR"),
            ("error.type", "span::FetchError"),
        ],
        &[&timed_out("1"), &timed_out("2")],
    );
}

#[tokio::test(start_paused = true)]
async fn an_async_policy_with_a_timeout_has_the_same_span() {
    let (capture, _guard) = capture_async();
    let calls = Cell::new(0);
    let outcome: Result<u32, FetchError> = Policy::new()
        .named("span::fetch")
        .stop(attempts(3))
        .wait(fixed(Duration::from_secs(1)))
        .timeout(Duration::from_secs(1))
        .span(true)
        .call_async(|| async {
            calls.set(calls.get() + 1);
            if calls.get() == 1 {
                return Err(FetchError::Refused);
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(1)
        })
        .await;
    assert!(matches!(outcome, Err(FetchError::TimedOut(_))));
    assert_eq!(calls.get(), 3);
    let timed_out = |attempt| {
        [
            ("message", "attempt failed"),
            ("retry.attempt", attempt),
            ("retry.outcome", "timed_out"),
            ("error.type", "span::FetchError"),
        ]
    };
    assert_one_call(
        &capture.seen(),
        &[
            ("code.function.name", "span::fetch"),
            ("retry.attempts", "3"),
            ("retry.slept", "2s"),
            ("retry.ending", "attempts"),
            ("otel.status_code", "ERROR"),
            ("error.type", "span::FetchError"),
        ],
        &[
            &err_event("1", "span::FetchError"),
            &timed_out("2"),
            &timed_out("3"),
        ],
    );
}

#[tokio::test(start_paused = true)]
async fn an_async_success_after_a_retry_is_ok_and_a_first_time_success_has_no_span() {
    let (capture, _guard) = capture_async();
    let calls = Cell::new(0);
    let started = tokio::time::Instant::now();
    assert_eq!(refused_then_ok(&calls).await, Ok(5));
    assert_eq!(
        (calls.get(), started.elapsed()),
        (2, Duration::from_secs(1))
    );
    let calls = Cell::new(0);
    assert_eq!(fetches_at_once(&calls).await, Ok(5));
    let outcome = Policy::new()
        .span(true)
        .call_async(|| async { Ok::<_, FetchError>(3) })
        .await;
    assert_eq!(outcome, Ok(3));
    assert_one_call(
        &capture.seen(),
        &[
            ("code.function.name", "span::refused_then_ok"),
            ("retry.attempts", "2"),
            ("retry.slept", "1s"),
            ("retry.ending", "succeeded"),
            ("otel.status_code", "OK"),
        ],
        &[&err_event("1", "span::FetchError")],
    );
}

#[tokio::test(start_paused = true)]
async fn an_async_call_without_span_emits_nothing() {
    #[retry(stop = attempts(3), wait = fixed(1s))]
    async fn refused(calls: &Cell<u32>) -> Result<u32, FetchError> {
        calls.set(calls.get() + 1);
        Err(FetchError::Refused)
    }
    let (capture, _guard) = capture_async();
    let calls = Cell::new(0);
    assert_eq!(refused(&calls).await, Err(FetchError::Refused));
    let outcome = Policy::new()
        .stop(attempts(2))
        .call_async(|| async { Err::<(), _>(FetchError::Refused) })
        .await;
    assert_eq!((outcome, calls.get()), (Err(FetchError::Refused), 3));
    let seen = capture.seen();
    assert!(seen.spans.is_empty() && seen.events.is_empty(), "{seen:#?}");
}

#[test]
fn a_call_a_breaker_refuses_has_a_span_that_says_so() {
    use persevere::breaker::{BreakerOpen, CircuitBreaker};
    static BREAKER: CircuitBreaker = CircuitBreaker::new()
        .consecutive_failures(1)
        .cool_down(std::time::Duration::from_secs(60))
        .jitter(0);
    #[derive(Debug)]
    struct Open;
    impl From<BreakerOpen> for Open {
        fn from(_: BreakerOpen) -> Self {
            Open
        }
    }
    let policy = Policy::new()
        .named("upstream::fetch")
        .span(true)
        .sleeper(persevere::sleep::RecordingSleeper::new())
        .breaker(&BREAKER);
    // The first failure opens the breaker and ends its call; the next call makes no attempt.
    let _ = policy.call(|| Err::<(), _>(Open));
    let calls = Cell::new(0);
    let (outcome, seen) = capture(|| {
        policy.call(|| {
            calls.set(calls.get() + 1);
            Ok::<_, Open>(())
        })
    });
    assert!(outcome.is_err());
    assert_eq!(calls.get(), 0);
    assert_one_call(
        &seen,
        &[
            ("code.function.name", "upstream::fetch"),
            ("retry.attempts", "0"),
            ("retry.slept", "0ns"),
            ("retry.ending", "breaker_open"),
            ("otel.status_code", "ERROR"),
            (
                "error.type",
                "span::a_call_a_breaker_refuses_has_a_span_that_says_so::Open",
            ),
        ],
        &[],
    );
}
