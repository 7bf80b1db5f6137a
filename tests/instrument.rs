//! `#[tracing::instrument]` stacked with `#[retry]`, in either order, sync and async, with and
//! without its `err` and `ret` events: one span for the whole retried call, entered by every
//! attempt, and instrument's events once, for what the call returns.

#![deny(warnings)]

use std::cell::Cell;
use std::sync::{Arc, Mutex};

use persevere::retry;
use tracing_subscriber::layer::{Context, SubscriberExt};

#[path = "support/flaky.rs"]
mod flaky;
use flaky::{Flaky, current_thread, flaky};

/// The spans created, by name, and the events, by their fields.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<(Vec<String>, Vec<String>)>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Seen {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::Id,
        _: Context<'_, S>,
    ) {
        self.0
            .lock()
            .unwrap()
            .0
            .push(attrs.metadata().name().to_owned());
    }
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        // instrument's own events; persevere's log lines are not asked for here.
        if event.metadata().target().starts_with("instrument") {
            let fields = event
                .fields()
                .map(|field| field.name().to_owned())
                .collect();
            self.0.lock().unwrap().1.push(fields);
        }
    }
}

impl Seen {
    /// How many spans of `name` were created, and instrument's events, one `error` or `return`
    /// each.
    fn of(&self, name: &str) -> (usize, Vec<String>) {
        let seen = self.0.lock().unwrap();
        (
            seen.0.iter().filter(|span| *span == name).count(),
            seen.1.clone(),
        )
    }
}

fn seeing<R>(f: impl FnOnce() -> R) -> (R, Seen) {
    let seen = Seen::default();
    let subscriber = tracing_subscriber::registry().with(seen.clone());
    (tracing::subscriber::with_default(subscriber, f), seen)
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

// ---- above `#[retry]`

#[tracing::instrument(skip(calls))]
#[retry(stop = attempts(4), wait = fixed(0s))]
fn sync_above(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 2)?;
    Ok(message.len())
}

#[tracing::instrument(skip(calls), err)]
#[retry(stop = attempts(4), wait = fixed(0s))]
fn sync_above_err(message: String, calls: &Cell<u32>, failures: u32) -> Result<usize, Flaky> {
    flaky(calls, failures)?;
    Ok(message.len())
}

#[tracing::instrument(skip(calls), ret)]
#[retry(stop = attempts(4), wait = fixed(0s))]
fn sync_above_ret(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 2)?;
    Ok(message.len())
}

#[tracing::instrument(skip(calls), err, ret)]
#[retry(stop = attempts(4), wait = fixed(0s))]
fn sync_above_err_ret(buffer: &mut Vec<u8>, calls: &Cell<u32>) -> Result<usize, Flaky> {
    buffer.push(1);
    flaky(calls, 2)?;
    Ok(buffer.len())
}

#[tracing::instrument(skip(calls))]
#[retry(stop = attempts(4), wait = fixed(0s))]
async fn async_above(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 2)?;
    Ok(message.len())
}

#[tracing::instrument(skip(calls), err)]
#[retry(stop = attempts(4), wait = fixed(0s))]
async fn async_above_err(
    message: String,
    calls: &Cell<u32>,
    failures: u32,
) -> Result<usize, Flaky> {
    flaky(calls, failures)?;
    Ok(message.len())
}

#[tracing::instrument(skip(calls), ret)]
#[retry(stop = attempts(4), wait = fixed(0s))]
async fn async_above_ret(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 2)?;
    Ok(message.len())
}

#[tracing::instrument(skip(calls), err, ret)]
#[retry(stop = attempts(4), wait = fixed(0s))]
async fn async_above_err_ret(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 2)?;
    Ok(message.len())
}

struct Connection {
    sent: u32,
}

impl Connection {
    #[tracing::instrument(skip(self, calls), err)]
    #[retry(stop = attempts(4), wait = fixed(0s))]
    fn poke(&mut self, calls: &Cell<u32>) -> Result<u32, Flaky> {
        self.sent += 1;
        flaky(calls, 2)?;
        Ok(self.sent)
    }

    #[tracing::instrument(skip(self, calls), err)]
    #[retry(stop = attempts(4), wait = fixed(0s))]
    async fn poke_async(&mut self, calls: &Cell<u32>) -> Result<u32, Flaky> {
        self.sent += 1;
        flaky(calls, 2)?;
        Ok(self.sent)
    }
}

#[tracing::instrument(skip(calls), err)]
#[retry(stop = attempts(4), wait = fixed(0s), clone(message))]
fn sync_above_cloned(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    let owned: String = message;
    flaky(calls, 2)?;
    Ok(owned.len())
}

#[tracing::instrument(skip(calls), err)]
#[retry(stop = attempts(4), wait = fixed(0s), clone(message))]
async fn async_above_cloned(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    let owned: String = message;
    flaky(calls, 2)?;
    Ok(owned.len())
}

#[tracing::instrument(skip(calls), err)]
#[retry(stop = attempts(4), wait = fixed(0s), hedge = 1h)]
async fn async_above_hedged(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 2)?;
    Ok(message.len())
}

#[test]
fn above_retry_with_clone_and_hedge() {
    let calls = Cell::new(0);
    let (out, seen) = seeing(|| sync_above_cloned("four".to_owned(), &calls));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("sync_above_cloned"), (1, strings(&[])));

    let runtime = current_thread();
    let calls = Cell::new(0);
    let (out, seen) = seeing(|| runtime.block_on(async_above_cloned("four".to_owned(), &calls)));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("async_above_cloned"), (1, strings(&[])));

    let calls = Cell::new(0);
    let (out, seen) = seeing(|| runtime.block_on(async_above_hedged("four".to_owned(), &calls)));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("async_above_hedged"), (1, strings(&[])));
}

// ---- below `#[retry]`

#[retry(stop = attempts(4), wait = fixed(0s))]
#[tracing::instrument(skip(calls), err)]
fn sync_below_err(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 2)?;
    Ok(message.len())
}

#[retry(stop = attempts(4), wait = fixed(0s))]
#[tracing::instrument(skip(calls), err)]
async fn async_below_err(message: String, calls: &Cell<u32>) -> Result<usize, Flaky> {
    flaky(calls, 2)?;
    Ok(message.len())
}

#[test]
fn above_retry_one_span_covers_the_call_and_events_are_the_calls() {
    let calls = Cell::new(0);
    let (out, seen) = seeing(|| sync_above("four".to_owned(), &calls));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("sync_above"), (1, strings(&[])));

    let calls = Cell::new(0);
    let (out, seen) = seeing(|| sync_above_err("four".to_owned(), &calls, 2));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("sync_above_err"), (1, strings(&[])));

    // Given up: one `error` event, for the error the call returns.
    let calls = Cell::new(0);
    let (out, seen) = seeing(|| sync_above_err("four".to_owned(), &calls, 10));
    assert_eq!((out, calls.get()), (Err(Flaky("down")), 4));
    assert_eq!(seen.of("sync_above_err"), (1, strings(&["error"])));

    let calls = Cell::new(0);
    let (out, seen) = seeing(|| sync_above_ret("four".to_owned(), &calls));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("sync_above_ret"), (1, strings(&["return"])));

    // A `&mut` argument is reborrowed by each attempt, through instrument's closure.
    let calls = Cell::new(0);
    let mut buffer = Vec::new();
    let (out, seen) = seeing(|| sync_above_err_ret(&mut buffer, &calls));
    assert_eq!((out, calls.get(), buffer.len()), (Ok(3), 3, 3));
    assert_eq!(seen.of("sync_above_err_ret"), (1, strings(&["return"])));

    let calls = Cell::new(0);
    let mut connection = Connection { sent: 0 };
    let (out, seen) = seeing(|| connection.poke(&calls));
    assert_eq!((out, calls.get()), (Ok(3), 3));
    assert_eq!(seen.of("poke"), (1, strings(&[])));
}

#[test]
fn above_retry_on_an_async_fn_one_span_covers_the_call() {
    let runtime = current_thread();
    let calls = Cell::new(0);
    let (out, seen) = seeing(|| runtime.block_on(async_above("four".to_owned(), &calls)));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("async_above"), (1, strings(&[])));

    let calls = Cell::new(0);
    let (out, seen) = seeing(|| runtime.block_on(async_above_err("four".to_owned(), &calls, 2)));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("async_above_err"), (1, strings(&[])));

    let calls = Cell::new(0);
    let (out, seen) = seeing(|| runtime.block_on(async_above_err("four".to_owned(), &calls, 10)));
    assert_eq!((out, calls.get()), (Err(Flaky("down")), 4));
    assert_eq!(seen.of("async_above_err"), (1, strings(&["error"])));

    let calls = Cell::new(0);
    let (out, seen) = seeing(|| runtime.block_on(async_above_ret("four".to_owned(), &calls)));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("async_above_ret"), (1, strings(&["return"])));

    let calls = Cell::new(0);
    let (out, seen) = seeing(|| runtime.block_on(async_above_err_ret("four".to_owned(), &calls)));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("async_above_err_ret"), (1, strings(&["return"])));

    let calls = Cell::new(0);
    let mut connection = Connection { sent: 0 };
    let (out, seen) = seeing(|| runtime.block_on(connection.poke_async(&calls)));
    assert_eq!((out, calls.get()), (Ok(3), 3));
    assert_eq!(seen.of("poke_async"), (1, strings(&[])));
}

#[test]
fn below_retry_one_span_covers_the_call_too() {
    let calls = Cell::new(0);
    let (out, seen) = seeing(|| sync_below_err("four".to_owned(), &calls));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("sync_below_err"), (1, strings(&[])));

    let runtime = current_thread();
    let calls = Cell::new(0);
    let (out, seen) = seeing(|| runtime.block_on(async_below_err("four".to_owned(), &calls)));
    assert_eq!((out, calls.get()), (Ok(4), 3));
    assert_eq!(seen.of("async_below_err"), (1, strings(&[])));
}
