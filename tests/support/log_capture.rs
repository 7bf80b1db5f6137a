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
    let output = tracing::subscriber::with_default(subscriber, || {
        // Another test's thread may have cached a callsite as unwanted before this thread's
        // subscriber existed: ask every callsite again.
        tracing::callsite::rebuild_interest_cache();
        f()
    });
    (output, capture)
}
