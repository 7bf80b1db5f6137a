//! Reading an error handler through serde, each value checked while the format reads it, so
//! that the format places every error at the value at fault (TOML with its span, YAML and JSON
//! with a line and column), as [`PolicyConfig`](crate::config::PolicyConfig) is read.
//!
//! Settings are named by their path from the handler's root, as the connector's schema spells
//! them: `error_handlers[1].response_filters[0].http_codes`. Checks between settings fail at the
//! one read second, naming both; what only a whole table can tell (a required setting left
//! out, a filter that can never match) fails at the table's end.

mod backoff;
mod filters;
mod handlers;
mod values;

use std::cell::RefCell;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer};

use crate::config::handler::actions::Action;
use crate::config::handler::model::ErrorHandler;
use crate::config::model::closest;
use crate::config::read::Seed;

/// What the whole reading shares: the statuses each filter read so far matches, so that a
/// later filter listing one of them, which could never see it, is refused.
#[derive(Default)]
struct Context {
    claims: RefCell<Vec<Claim>>,
}

/// A status an earlier filter matches.
struct Claim {
    status: u16,
    filter: String,
    action: Action,
}

/// `table.key`, or `key` at the root.
fn at(table: &str, key: &str) -> String {
    if table.is_empty() {
        key.to_owned()
    } else {
        format!("{table}.{key}")
    }
}

/// `list[index]`.
fn item(list: &str, index: usize) -> String {
    format!("{list}[{index}]")
}

/// `; did you mean `x`?`, when `text` is close to one of `candidates` (whatever their case).
fn guess(text: &str, candidates: &[&str]) -> String {
    let lower: Vec<String> = candidates.iter().map(|c| c.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    closest(&text.to_ascii_lowercase(), &lower)
        .and_then(|found| lower.iter().position(|c| *c == found))
        .map(|index| format!("; did you mean `{}`?", candidates[index]))
        .unwrap_or_default()
}

/// `read` as a seed that reads by what the format holds: a file's values are never read by
/// the type asked for, so that a value of another type gets a message of ours.
fn seed<R>(read: R) -> Seed<R> {
    Seed { typed: false, read }
}

/// Reads an error handler: a single handler or a composite, every value checked as it is read
/// (see the [module documentation](crate::config::handler)). An empty document (a YAML file
/// with nothing in it) is the default handler; null is an error.
impl<'de> Deserialize<'de> for ErrorHandler {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let cx = Context::default();
        let (handlers, composite) = seed(handlers::HandlerTable {
            cx: &cx,
            path: String::new(),
        })
        .deserialize(deserializer)?;
        Ok(ErrorHandler {
            handlers: handlers.into(),
            composite,
        })
    }
}
