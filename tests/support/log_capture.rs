//! A `tracing` layer that keeps every event: its target, level, message and fields. Shared by the
//! tests of log lines (each test crate uses what it needs of it).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::Context;

/// One captured `tracing` event.
#[derive(Debug, Clone)]
pub struct Captured {
    pub target: String,
    pub level: tracing::Level,
    pub message: String,
    pub fields: BTreeMap<String, String>,
}

/// The events captured so far; clones share them.
#[derive(Clone, Default)]
pub struct Capture(pub Arc<Mutex<Vec<Captured>>>);

impl Capture {
    /// Each event's target, level and message.
    pub fn lines(&self) -> Vec<(String, tracing::Level, String)> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|e| (e.target.clone(), e.level, e.message.clone()))
            .collect()
    }

    /// Each event, whole.
    pub fn events(&self) -> Vec<Captured> {
        self.0.lock().unwrap().clone()
    }
}

struct Fields<'a>(&'a mut Captured);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.0.message = text;
        } else {
            self.0.fields.insert(field.name().to_owned(), text);
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0
            .fields
            .insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut captured = Captured {
            target: event.metadata().target().to_owned(),
            level: *event.metadata().level(),
            message: String::new(),
            fields: BTreeMap::new(),
        };
        event.record(&mut Fields(&mut captured));
        self.0.lock().unwrap().push(captured);
    }
}

/// Runs `f` with a subscriber capturing every event as this thread's default, and returns what
/// it captured.
pub fn capturing<R>(f: impl FnOnce() -> R) -> (R, Capture) {
    use tracing_subscriber::layer::SubscriberExt;
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    hear_every_callsite();
    let output = tracing::subscriber::with_default(subscriber, f);
    (output, capture)
}

/// A capturing subscriber as this thread's default until the guard drops, for async tests on a
/// current-thread runtime.
pub fn capturing_until_dropped() -> (Capture, tracing::subscriber::DefaultGuard) {
    use tracing_subscriber::layer::SubscriberExt;
    let capture = Capture::default();
    hear_every_callsite();
    let guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    (capture, guard)
}

/// Makes every callsite ask the current thread's subscriber each time, whichever thread reaches
/// it first. Call it before installing a scoped subscriber.
///
/// `tracing` caches a callsite's interest when a thread first reaches it. While a single
/// subscriber is alive it asks only the reaching thread's default, so a test thread with no
/// subscriber would cache the callsite as unwanted and another thread's capture would miss its
/// events. A global subscriber that answers "sometimes" to every callsite (and hears nothing
/// itself) keeps a second subscriber alive for good, and "sometimes" is never cached as "never".
pub fn hear_every_callsite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Fails only when this binary already set one, which then does the same job or not:
        // the tests that rely on this would show it.
        let _ = tracing::subscriber::set_global_default(AskEachTime);
    });
}

/// The global subscriber of [`hear_every_callsite`]: interested in everything "sometimes",
/// enabled for nothing.
struct AskEachTime;

impl tracing::Subscriber for AskEachTime {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        false
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
