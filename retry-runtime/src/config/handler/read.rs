//! Reading an error handler through serde, each value checked while the format reads it, so
//! that the format places every error at the value at fault (TOML with its span, YAML and JSON
//! with a line and column), as [`PolicyConfig`](crate::config::PolicyConfig) is read.
//!
//! Settings are named by their path from the handler's root, as the connector's schema spells
//! them: `error_handlers[1].response_filters[0].http_codes`. Checks between settings fail at the
//! one read second, naming both; what only a whole table can tell (a required setting left
//! out, a filter that can never match) fails at the table's end.

use std::cell::RefCell;
use std::time::Duration;

use ::http::HeaderName;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess};

use crate::config::error::{ConfigError, one_of, raise};
use crate::config::handler::actions::Action;
use crate::config::handler::backoff::{Backoff, DEFAULT_FACTOR, DEFAULT_MAX_WAIT};
use crate::config::handler::filters::ResponseFilter;
use crate::config::handler::model::{ErrorHandler, Handler};
use crate::config::handler::predicates::Predicate;
use crate::config::model::closest;
use crate::config::read::{Found, Hint, Read, Seed};
use crate::http::HeaderHint;

/// The settings of a single handler.
const SINGLE_FIELDS: &[&str] = &["response_filters", "max_retries", "backoff_strategies"];
/// Every setting of a handler, single or composite.
const HANDLER_FIELDS: &[&str] = &[
    "type",
    "response_filters",
    "max_retries",
    "backoff_strategies",
    "error_handlers",
];
const HANDLER_TYPES: &[&str] = &["DefaultErrorHandler", "CompositeErrorHandler"];
const FILTER_FIELDS: &[&str] = &[
    "http_codes",
    "error_message_contains",
    "predicate",
    "action",
    "type",
];
/// What a filter tests; one at least.
const FILTER_TESTS: &[&str] = &["http_codes", "error_message_contains", "predicate"];
const FILTER_TYPE: &str = "HttpResponseFilter";
const BACKOFF_FIELDS: &[&str] = &[
    "type",
    "factor",
    "backoff_time_in_seconds",
    "header",
    "regex",
    "min_wait",
    "max_waiting_time_in_seconds",
];
/// The backoff strategies' types, and the settings each takes.
const BACKOFF_TYPES: &[(&str, &[&str])] = &[
    ("ExponentialBackoffStrategy", &["factor"]),
    ("ConstantBackoffStrategy", &["backoff_time_in_seconds"]),
    ("ConstantBackoff", &["backoff_time_in_seconds"]),
    (
        "WaitTimeFromHeader",
        &["header", "regex", "max_waiting_time_in_seconds"],
    ),
    (
        "WaitUntilTimeFromHeader",
        &["header", "regex", "min_wait", "max_waiting_time_in_seconds"],
    ),
];

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

fn seed<R>(read: R) -> Seed<R> {
    Seed { typed: false, read }
}

// ---- Values ----

/// A key of a table at `table`: one of `fields`, not among those `seen`, and passing `check`
/// (which refuses a setting that does not fit those read before it).
struct Key<'a, C> {
    table: &'a str,
    what: &'a str,
    fields: &'static [&'static str],
    seen: &'a [&'static str],
    check: C,
}

impl<'de, C: FnOnce(&'static str) -> Result<(), ConfigError>> Read<'de> for Key<'_, C> {
    type Value = &'static str;
    fn path(&self) -> &str {
        self.table
    }
    fn takes(&self) -> String {
        one_of(self.fields)
    }
    fn hint(&self) -> Hint {
        Hint::Text
    }
    fn null(&self) -> ConfigError {
        self.wrong(Found::Null)
    }
    fn wrong(&self, found: Found<'_>) -> ConfigError {
        ConfigError::new(
            self.table,
            format!(
                "{} has a key that is {found}; {} takes {}",
                within(self.table, self.what),
                self.what,
                one_of(self.fields)
            ),
        )
    }
    fn text(self, text: &str) -> Result<&'static str, ConfigError> {
        let name = at(self.table, text);
        if text == "$parameters" {
            return Err(ConfigError::new(
                &name,
                format!(
                    "`{name}` passes values to `{{{{ }}}}` templates, which persevere does not read: write the values where they are used"
                ),
            ));
        }
        let Some(&field) = self.fields.iter().find(|field| **field == text) else {
            return Err(ConfigError::new(
                &name,
                format!(
                    "unknown setting `{name}`: {} takes {}{}",
                    self.what,
                    one_of(self.fields),
                    guess(text, self.fields)
                ),
            ));
        };
        if self.seen.contains(&field) {
            return Err(ConfigError::new(
                &name,
                format!("`{name}` is given twice; keep one"),
            ));
        }
        (self.check)(field)?;
        Ok(field)
    }
}

/// `` `error_handlers[0]` `` or "the error handler", as the subject of a sentence.
fn within(table: &str, what: &str) -> String {
    if table.is_empty() {
        format!(
            "the {}",
            what.trim_start_matches("an ").trim_start_matches("a ")
        )
    } else {
        format!("`{table}`")
    }
}

/// A string, made into a value by `read`; `required` when leaving it out is no answer to
/// a null.
struct Text<'p, F> {
    path: &'p str,
    takes: &'p str,
    required: bool,
    read: F,
}

/// The error for a null where a setting must be given.
fn required_null(path: &str, takes: &str) -> ConfigError {
    ConfigError::new(path, format!("`{path}` is null; give {takes}"))
}

impl<'de, V, F: FnOnce(&str) -> Result<V, ConfigError>> Read<'de> for Text<'_, F> {
    type Value = V;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        self.takes.to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::Text
    }
    fn null(&self) -> ConfigError {
        if self.required {
            return required_null(self.path, self.takes);
        }
        ConfigError::new(
            self.path,
            format!(
                "`{}` is null; give {}, or leave the setting out",
                self.path, self.takes
            ),
        )
    }
    fn text(self, text: &str) -> Result<V, ConfigError> {
        (self.read)(text)
    }
}

/// A number, 0 or more and finite, made into a value by `read`; `required` as for [`Text`].
struct Number<'p, F> {
    path: &'p str,
    takes: &'p str,
    required: bool,
    read: F,
}

impl<'de, V, F: FnOnce(f64) -> Result<V, ConfigError>> Read<'de> for Number<'_, F> {
    type Value = V;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        self.takes.to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::Number
    }
    fn null(&self) -> ConfigError {
        if self.required {
            return required_null(self.path, self.takes);
        }
        ConfigError::new(
            self.path,
            format!(
                "`{}` is null; give {}, or leave the setting out",
                self.path, self.takes
            ),
        )
    }
    // Seconds and factors are small: a whole number past 2^53 is far out of range anyway.
    fn unsigned(self, value: u64) -> Result<V, ConfigError> {
        self.float(value as f64)
    }
    fn signed(self, value: i64) -> Result<V, ConfigError> {
        Err(self.wrong(Found::Signed(value)))
    }
    fn float(self, value: f64) -> Result<V, ConfigError> {
        if !value.is_finite() || value < 0.0 {
            return Err(self.wrong(Found::Float(value)));
        }
        (self.read)(value)
    }
}

/// A number of seconds, as a duration that fits.
fn seconds(path: &str) -> impl FnOnce(f64) -> Result<Duration, ConfigError> + '_ {
    move |value| {
        Duration::try_from_secs_f64(value).map_err(|_| {
            ConfigError::new(
                path,
                format!("`{path}` is {value:?} seconds, more than a wait can be; write fewer"),
            )
        })
    }
}

const SECONDS: &str = "a number of seconds, 0 or more, such as 5 or 0.5";

/// `max_retries`: a whole number.
struct Whole<'p> {
    path: &'p str,
}

impl<'de> Read<'de> for Whole<'_> {
    type Value = u32;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        format!("a whole number from 0 to {}", u32::MAX)
    }
    fn hint(&self) -> Hint {
        Hint::Count
    }
    fn unsigned(self, value: u64) -> Result<u32, ConfigError> {
        u32::try_from(value).map_err(|_| self.wrong(Found::Unsigned(value)))
    }
}

// ---- Handlers ----

/// Whether a handler is single or composite, and what said so (for messages).
#[derive(Clone, Copy)]
enum Kind {
    Single(&'static str),
    Composite(&'static str),
}

/// What makes a handler single or composite, for messages.
fn because(key: &'static str) -> &'static str {
    match key {
        "type" => "its `type` says so",
        "response_filters" => "it has `response_filters`",
        "max_retries" => "it has `max_retries`",
        "backoff_strategies" => "it has `backoff_strategies`",
        _ => "it has `error_handlers`",
    }
}

/// A handler (single or composite) at `path`, the root when `path` is empty: its handlers, in
/// order (nested composites flattened), and whether it is a composite.
struct HandlerTable<'c> {
    cx: &'c Context,
    path: String,
}

impl HandlerTable<'_> {
    fn accepted() -> String {
        format!(
            "a table with any of {}, or `type: CompositeErrorHandler` with `error_handlers`",
            one_of(SINGLE_FIELDS)
        )
    }
}

impl<'de> Read<'de> for HandlerTable<'_> {
    type Value = (Vec<Handler>, bool);
    fn path(&self) -> &str {
        &self.path
    }
    fn takes(&self) -> String {
        HandlerTable::accepted()
    }
    fn hint(&self) -> Hint {
        Hint::Section("ErrorHandler", HANDLER_FIELDS)
    }
    fn null(&self) -> ConfigError {
        if self.path.is_empty() {
            return ConfigError::new(
                "",
                format!(
                    "the error handler is null; give {}, or leave it out for the default handler",
                    HandlerTable::accepted()
                ),
            );
        }
        let path = &self.path;
        ConfigError::new(
            path,
            format!("`{path}` is null; give {}", HandlerTable::accepted()),
        )
    }
    fn wrong(&self, found: Found<'_>) -> ConfigError {
        let subject = within(&self.path, "an error handler");
        ConfigError::new(
            &self.path,
            format!("{subject} is {found}; write {}", HandlerTable::accepted()),
        )
    }
    fn nothing(self) -> Result<Self::Value, ConfigError> {
        if self.path.is_empty() {
            let default = ErrorHandler::default();
            return Ok((default.handlers.to_vec(), false));
        }
        Err(self.null())
    }
    fn table<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let table = self.path.as_str();
        let mut kind: Option<Kind> = None;
        let mut seen: Vec<&'static str> = Vec::new();
        let mut handler = Handler::default();
        let mut children: Option<Vec<Handler>> = None;
        loop {
            let key = map.next_key_seed(seed(Key {
                table,
                what: "an error handler",
                fields: HANDLER_FIELDS,
                seen: &seen,
                check: |key| fits(table, kind, key),
            }))?;
            let Some(key) = key else { break };
            seen.push(key);
            let path = at(table, key);
            match key {
                "type" => {
                    let given = map.next_value_seed(seed(Text {
                        path: &path,
                        takes: "`DefaultErrorHandler` or `CompositeErrorHandler`",
                        required: false,
                        read: |text: &str| handler_type(&path, text, kind),
                    }))?;
                    kind = Some(given);
                }
                "error_handlers" => {
                    children = Some(map.next_value_seed(seed(HandlerList {
                        cx: self.cx,
                        path: &path,
                    }))?);
                    kind.get_or_insert(Kind::Composite(because(key)));
                }
                _ => {
                    match key {
                        "response_filters" => {
                            handler.filters = map.next_value_seed(seed(FilterList {
                                cx: self.cx,
                                path: &path,
                            }))?;
                        }
                        "max_retries" => {
                            handler.max_retries =
                                map.next_value_seed(seed(Whole { path: &path }))?;
                        }
                        _ => {
                            handler.backoff =
                                map.next_value_seed(seed(BackoffList { path: &path }))?;
                        }
                    }
                    kind.get_or_insert(Kind::Single(because(key)));
                }
            }
        }
        match (kind, children) {
            (Some(Kind::Composite(_)), Some(children)) => Ok((children, true)),
            (Some(Kind::Composite(_)), None) => {
                let subject = within(table, "an error handler");
                Err(raise(ConfigError::new(
                    table,
                    format!(
                        "{subject} is a `CompositeErrorHandler` without `error_handlers`; list its handlers there"
                    ),
                )))
            }
            _ => Ok((vec![handler], false)),
        }
    }
}

/// Whether `key` fits a handler that is `kind` so far.
fn fits(table: &str, kind: Option<Kind>, key: &'static str) -> Result<(), ConfigError> {
    let name = at(table, key);
    match kind {
        Some(Kind::Composite(why)) if SINGLE_FIELDS.contains(&key) => Err(ConfigError::new(
            &name,
            format!(
                "`{name}` is a setting of a single handler, but this one is a `CompositeErrorHandler` ({why}): move it into one of its `error_handlers`"
            ),
        )),
        Some(Kind::Single(why)) if key == "error_handlers" => Err(ConfigError::new(
            &name,
            format!(
                "`{name}` makes a `CompositeErrorHandler`, but this handler is a single one ({why}): give the composite only `type` and `error_handlers`, and move the other settings into one of its handlers"
            ),
        )),
        _ => Ok(()),
    }
}

/// A handler's `type`, which must agree with the settings read before it.
fn handler_type(path: &str, text: &str, kind: Option<Kind>) -> Result<Kind, ConfigError> {
    match (text, kind) {
        ("DefaultErrorHandler", Some(Kind::Composite(why))) => Err(ConfigError::new(
            path,
            format!(
                "`{path}` is \"DefaultErrorHandler\", but {why}, which makes a composite: write \"CompositeErrorHandler\""
            ),
        )),
        ("CompositeErrorHandler", Some(Kind::Single(why))) => Err(ConfigError::new(
            path,
            format!(
                "`{path}` is \"CompositeErrorHandler\", but {why}, a setting of a single handler: move it into one of the composite's `error_handlers`, or write \"DefaultErrorHandler\""
            ),
        )),
        ("DefaultErrorHandler", _) => Ok(Kind::Single(because("type"))),
        ("CompositeErrorHandler", _) => Ok(Kind::Composite(because("type"))),
        _ => Err(ConfigError::new(
            path,
            format!(
                "`{path}` is {}; write {}{}",
                Found::Text(text),
                one_of(HANDLER_TYPES),
                guess(text, HANDLER_TYPES)
            ),
        )),
    }
}

/// A composite's `error_handlers`: one handler or more, each single or composite.
struct HandlerList<'c, 'p> {
    cx: &'c Context,
    path: &'p str,
}

impl<'de> Read<'de> for HandlerList<'_, '_> {
    type Value = Vec<Handler>;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "a list of handlers".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::List
    }
    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Handler>, A::Error> {
        let mut handlers = Vec::new();
        let mut index = 0;
        while let Some((nested, _)) = seq.next_element_seed(seed(HandlerTable {
            cx: self.cx,
            path: item(self.path, index),
        }))? {
            handlers.extend(nested);
            index += 1;
        }
        if index == 0 {
            let path = self.path;
            return Err(raise(ConfigError::new(
                path,
                format!("`{path}` lists no handler; give one or more"),
            )));
        }
        Ok(handlers)
    }
}

// ---- Filters ----

/// A handler's `response_filters`: one filter or more.
struct FilterList<'c, 'p> {
    cx: &'c Context,
    path: &'p str,
}

impl<'de> Read<'de> for FilterList<'_, '_> {
    type Value = Vec<ResponseFilter>;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "a list of response filters".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::List
    }
    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<ResponseFilter>, A::Error> {
        let mut filters = Vec::new();
        while let Some(filter) = seq.next_element_seed(seed(FilterTable {
            cx: self.cx,
            path: item(self.path, filters.len()),
        }))? {
            filters.push(filter);
        }
        if filters.is_empty() {
            let path = self.path;
            return Err(raise(ConfigError::new(
                path,
                format!(
                    "`{path}` lists no filter; give one or more, or leave it out for the default (5xx and 429 retried, other errors failing)"
                ),
            )));
        }
        Ok(filters)
    }
}

/// One response filter.
struct FilterTable<'c> {
    cx: &'c Context,
    path: String,
}

impl<'de> Read<'de> for FilterTable<'_> {
    type Value = ResponseFilter;
    fn path(&self) -> &str {
        &self.path
    }
    fn takes(&self) -> String {
        format!(
            "a table with an `action` and any of {}",
            one_of(FILTER_TESTS)
        )
    }
    fn hint(&self) -> Hint {
        Hint::Section("HttpResponseFilter", FILTER_FIELDS)
    }
    fn table<A: MapAccess<'de>>(self, mut map: A) -> Result<ResponseFilter, A::Error> {
        let table = self.path.as_str();
        let mut seen: Vec<&'static str> = Vec::new();
        let mut action = None;
        let mut http_codes = Vec::new();
        let mut error_message_contains = None;
        let mut predicate = None;
        loop {
            let key = map.next_key_seed(seed(Key {
                table,
                what: "a response filter",
                fields: FILTER_FIELDS,
                seen: &seen,
                check: |_| Ok(()),
            }))?;
            let Some(key) = key else { break };
            seen.push(key);
            let path = at(table, key);
            let path = path.as_str();
            match key {
                "http_codes" => {
                    http_codes = map.next_value_seed(seed(CodeList { cx: self.cx, path }))?;
                }
                "error_message_contains" => {
                    error_message_contains = Some(map.next_value_seed(seed(Text {
                        path,
                        takes: "the text to look for, in a string",
                        required: false,
                        read: |text: &str| {
                            if text.is_empty() {
                                return Err(ConfigError::new(
                                    path,
                                    format!(
                                        "`{path}` is empty, and every response contains the empty text; write the text to look for"
                                    ),
                                ));
                            }
                            Ok(text.to_owned())
                        },
                    }))?);
                }
                "predicate" => {
                    predicate = Some(map.next_value_seed(seed(Text {
                        path,
                        takes: "a predicate in a string, such as \"{{ 'code' in response }}\"",
                        required: false,
                        read: |text: &str| {
                            Predicate::parse(text).map_err(|reason| {
                                ConfigError::new(path, format!("`{path}` {reason}"))
                            })
                        },
                    }))?);
                }
                "action" => {
                    action = Some(map.next_value_seed(seed(Text {
                        path,
                        takes: "one of `RETRY`, `FAIL`, `IGNORE` or `SUCCESS`",
                        required: true,
                        read: |text: &str| action_named(path, text),
                    }))?);
                }
                _ => {
                    map.next_value_seed(seed(Text {
                        path,
                        takes: "\"HttpResponseFilter\"",
                        required: false,
                        read: |text: &str| {
                            if text == FILTER_TYPE {
                                return Ok(());
                            }
                            Err(ConfigError::new(
                                path,
                                format!(
                                    "`{path}` is {}; a response filter's type is \"{FILTER_TYPE}\" (or leave it out)",
                                    Found::Text(text)
                                ),
                            ))
                        },
                    }))?;
                }
            }
        }
        let Some(action) = action else {
            return Err(raise(ConfigError::new(
                table,
                format!(
                    "`{table}` has no `action`; give one of {}",
                    one_of(&Action::ALL.map(Action::as_str))
                ),
            )));
        };
        if http_codes.is_empty() && error_message_contains.is_none() && predicate.is_none() {
            return Err(raise(ConfigError::new(
                table,
                format!(
                    "`{table}` tests nothing, so it can never match; give any of {}",
                    one_of(FILTER_TESTS)
                ),
            )));
        }
        self.cx
            .claims
            .borrow_mut()
            .extend(http_codes.iter().map(|&status| Claim {
                status,
                filter: table.to_owned(),
                action,
            }));
        Ok(ResponseFilter {
            action,
            http_codes,
            error_message_contains,
            predicate,
        })
    }
}

/// An action, spelled exactly.
fn action_named(path: &str, text: &str) -> Result<Action, ConfigError> {
    Action::named(text).ok_or_else(|| {
        let names = Action::ALL.map(Action::as_str);
        ConfigError::new(
            path,
            format!(
                "`{path}` is {}; write one of {}{}",
                Found::Text(text),
                one_of(&names),
                guess(text, &names)
            ),
        )
    })
}

/// A filter's `http_codes`: statuses, each once, none matched by an earlier filter.
struct CodeList<'c, 'p> {
    cx: &'c Context,
    path: &'p str,
}

impl<'de> Read<'de> for CodeList<'_, '_> {
    type Value = Vec<u16>;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "a list of HTTP statuses, such as [ 404 ]".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::List
    }
    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u16>, A::Error> {
        let mut codes = Vec::new();
        while let Some(code) = seq.next_element_seed(seed(Code {
            cx: self.cx,
            path: self.path,
            listed: &codes,
        }))? {
            codes.push(code);
        }
        Ok(codes)
    }
}

/// One of `http_codes`.
struct Code<'c, 'p> {
    cx: &'c Context,
    path: &'p str,
    listed: &'p [u16],
}

impl<'de> Read<'de> for Code<'_, '_> {
    type Value = u16;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "statuses are whole numbers from 100 to 599, such as 404".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::Status
    }
    fn null(&self) -> ConfigError {
        self.wrong(Found::Null)
    }
    fn wrong(&self, found: Found<'_>) -> ConfigError {
        let path = self.path;
        ConfigError::new(path, format!("`{path}` lists {found}; {}", self.takes()))
    }
    fn unsigned(self, value: u64) -> Result<u16, ConfigError> {
        let path = self.path;
        let status = u16::try_from(value)
            .ok()
            .filter(|status| (100..=599).contains(status))
            .ok_or_else(|| self.wrong(Found::Unsigned(value)))?;
        if self.listed.contains(&status) {
            return Err(ConfigError::new(
                path,
                format!("`{path}` lists {status} twice; keep one"),
            ));
        }
        if let Some(claim) = self.cx.claims.borrow().iter().find(|c| c.status == status) {
            return Err(ConfigError::new(
                path,
                format!(
                    "`{path}` lists {status}, which `{}` matches first ({}), so this filter can never see it: take it out here, or put this filter first",
                    claim.filter, claim.action
                ),
            ));
        }
        Ok(status)
    }
}

// ---- Backoff strategies ----

/// A handler's `backoff_strategies`: any number (none is the default exponential).
struct BackoffList<'p> {
    path: &'p str,
}

impl<'de> Read<'de> for BackoffList<'_> {
    type Value = Vec<Backoff>;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "a list of backoff strategies".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::List
    }
    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Backoff>, A::Error> {
        let mut strategies = Vec::new();
        while let Some(strategy) = seq.next_element_seed(seed(BackoffTable {
            path: item(self.path, strategies.len()),
        }))? {
            strategies.push(strategy);
        }
        Ok(strategies)
    }
}

/// One backoff strategy.
struct BackoffTable {
    path: String,
}

/// A backoff strategy's settings, as read so far.
#[derive(Default)]
struct BackoffDraft {
    kind: Option<&'static str>,
    factor: Option<f64>,
    wait: Option<Duration>,
    header: Option<HeaderName>,
    regex: Option<String>,
    min_wait: Option<Duration>,
    max: Option<Duration>,
}

/// The settings the backoff type `kind` takes.
fn takes_of(kind: &str) -> &'static [&'static str] {
    BACKOFF_TYPES
        .iter()
        .find(|(name, _)| *name == kind)
        .map_or(&[], |(_, fields)| fields)
}

/// Why `kind` does not take `field`, or nothing when it does.
fn refuses(path: &str, kind: &str, field: &str, earlier: bool) -> Option<ConfigError> {
    let fields = takes_of(kind);
    if field == "type" || fields.contains(&field) {
        return None;
    }
    let owners: Vec<&str> = BACKOFF_TYPES
        .iter()
        .filter(|(_, fields)| fields.contains(&field))
        .map(|(name, _)| *name)
        .collect();
    let (name, given) = if earlier {
        (at(path, "type"), " (given above)")
    } else {
        (at(path, field), "")
    };
    Some(ConfigError::new(
        &name,
        format!(
            "`{}` is not a setting of `{kind}`{given}, which takes {}; `{field}` is a setting of {}",
            at(path, field),
            if fields.is_empty() {
                "none".to_owned()
            } else {
                one_of(fields)
            },
            one_of(&owners)
        ),
    ))
}

impl<'de> Read<'de> for BackoffTable {
    type Value = Backoff;
    fn path(&self) -> &str {
        &self.path
    }
    fn takes(&self) -> String {
        let types: Vec<&str> = BACKOFF_TYPES.iter().map(|(name, _)| *name).collect();
        format!("a table with a `type`: {}", one_of(&types))
    }
    fn hint(&self) -> Hint {
        Hint::Section("BackoffStrategy", BACKOFF_FIELDS)
    }
    fn table<A: MapAccess<'de>>(self, mut map: A) -> Result<Backoff, A::Error> {
        let table = self.path.as_str();
        let mut seen: Vec<&'static str> = Vec::new();
        let mut draft = BackoffDraft::default();
        loop {
            let kind = draft.kind;
            let key = map.next_key_seed(seed(Key {
                table,
                what: "a backoff strategy",
                fields: BACKOFF_FIELDS,
                seen: &seen,
                check: |key| match kind.and_then(|kind| refuses(table, kind, key, false)) {
                    Some(error) => Err(error),
                    None => Ok(()),
                },
            }))?;
            let Some(key) = key else { break };
            let path = at(table, key);
            let path = path.as_str();
            match key {
                "type" => {
                    let earlier = &seen;
                    draft.kind = Some(map.next_value_seed(seed(Text {
                        path,
                        takes: "the strategy's type in a string",
                        required: true,
                        read: |text: &str| backoff_type(table, text, earlier),
                    }))?);
                }
                "factor" => {
                    draft.factor = Some(map.next_value_seed(seed(Number {
                        path,
                        takes: "a number of seconds, 0 or more, such as 5",
                        required: false,
                        read: |factor| {
                            // `factor · 2ⁿ` starts at twice the factor, which must be a wait.
                            match Duration::try_from_secs_f64(2.0 * factor) {
                                Ok(_) => Ok(factor),
                                Err(_) => Err(ConfigError::new(
                                    path,
                                    format!(
                                        "`{path}` is {factor:?}, which makes the first wait longer than any duration; write a smaller factor, such as 5"
                                    ),
                                )),
                            }
                        },
                    }))?);
                }
                "header" => {
                    draft.header = Some(map.next_value_seed(seed(Text {
                        path,
                        takes: "a header's name in a string, such as \"wait_time\"",
                        required: true,
                        read: |text: &str| header_name(path, text),
                    }))?);
                }
                "regex" => {
                    draft.regex = Some(map.next_value_seed(seed(Text {
                        path,
                        takes: "a regular expression in a string, such as '\\d+'",
                        required: false,
                        read: |text: &str| pattern(path, text),
                    }))?);
                }
                _ => {
                    let min_wait = draft.min_wait;
                    let max = draft.max;
                    let value = map.next_value_seed(seed(Number {
                        path,
                        takes: SECONDS,
                        required: key == "backoff_time_in_seconds",
                        read: |value| {
                            let duration = seconds(path)(value)?;
                            let (min_wait, max) = match key {
                                "min_wait" => (Some(duration), max),
                                "max_waiting_time_in_seconds" => (min_wait, Some(duration)),
                                _ => (None, None),
                            };
                            check_bounds(table, min_wait, max)?;
                            Ok(duration)
                        },
                    }))?;
                    match key {
                        "backoff_time_in_seconds" => draft.wait = Some(value),
                        "min_wait" => draft.min_wait = Some(value),
                        _ => draft.max = Some(value),
                    }
                }
            }
            seen.push(key);
        }
        draft.finish(table).map_err(raise)
    }
}

/// A backoff strategy's `type`, which must take every setting read before it.
fn backoff_type(
    table: &str,
    text: &str,
    earlier: &[&'static str],
) -> Result<&'static str, ConfigError> {
    let Some(&(kind, _)) = BACKOFF_TYPES.iter().find(|(name, _)| *name == text) else {
        let path = at(table, "type");
        let types: Vec<&str> = BACKOFF_TYPES.iter().map(|(name, _)| *name).collect();
        return Err(ConfigError::new(
            &path,
            format!(
                "`{path}` is {}; write one of {}{}",
                Found::Text(text),
                one_of(&types),
                guess(text, &types)
            ),
        ));
    };
    match earlier
        .iter()
        .find_map(|field| refuses(table, kind, field, true))
    {
        Some(error) => Err(error),
        None => Ok(kind),
    }
}

/// `min_wait` above `max_waiting_time_in_seconds` would end every call the header reaches.
fn check_bounds(
    table: &str,
    min_wait: Option<Duration>,
    max: Option<Duration>,
) -> Result<(), ConfigError> {
    match (min_wait, max) {
        (Some(min_wait), Some(max)) if min_wait > max => {
            let path = at(table, "min_wait");
            Err(ConfigError::new(
                &path,
                format!(
                    "`{path}` ({} s) is above `{}` ({} s), so every wait the header asks for would end the call; lower `min_wait` or raise the maximum",
                    min_wait.as_secs_f64(),
                    at(table, "max_waiting_time_in_seconds"),
                    max.as_secs_f64(),
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// A header's name.
fn header_name(path: &str, text: &str) -> Result<HeaderName, ConfigError> {
    if text.contains("{{") {
        return Err(ConfigError::new(
            path,
            format!(
                "`{path}` is {}, a `{{{{ }}}}` template, which persevere does not read: write the header's name",
                Found::Text(text)
            ),
        ));
    }
    HeaderName::from_bytes(text.trim().as_bytes()).map_err(|_| {
        ConfigError::new(
            path,
            format!(
                "`{path}` is {}, which is not a header's name (letters, digits and `-`, `_`, `.`, no spaces); write one, such as \"wait_time\"",
                Found::Text(text)
            ),
        )
    })
}

/// A regular expression, checked now so that a bad one fails where it is written.
#[cfg(feature = "regex")]
fn pattern(path: &str, text: &str) -> Result<String, ConfigError> {
    match regex::Regex::new(text) {
        Ok(_) => Ok(text.to_owned()),
        Err(error) => {
            // The parser's message ends with its one-line reason, after its picture of the text.
            let full = error.to_string();
            let reason = full
                .lines()
                .rev()
                .find_map(|line| line.trim().strip_prefix("error: "))
                .unwrap_or(full.as_str())
                .to_owned();
            Err(ConfigError::new(
                path,
                format!(
                    "`{path}` is {}, which is not a regular expression ({reason}); write one, such as '\\d+'",
                    Found::Text(text)
                ),
            ))
        }
    }
}

#[cfg(not(feature = "regex"))]
fn pattern(path: &str, _: &str) -> Result<String, ConfigError> {
    Err(ConfigError::new(
        path,
        format!(
            "`{path}` needs persevere's `regex` feature, which this build leaves out: enable it, or leave `regex` out to read the header's whole value"
        ),
    ))
}

impl BackoffDraft {
    /// The strategy, once its table is read: its `type` and required settings given.
    fn finish(self, table: &str) -> Result<Backoff, ConfigError> {
        let types: Vec<&str> = BACKOFF_TYPES.iter().map(|(name, _)| *name).collect();
        let Some(kind) = self.kind else {
            return Err(ConfigError::new(
                table,
                format!("`{table}` has no `type`; give one of {}", one_of(&types)),
            ));
        };
        let missing = |field: &str, example: &str| {
            ConfigError::new(
                table,
                format!(
                    "`{table}` is a `{kind}` without `{field}`; give it, such as `{field}: {example}`"
                ),
            )
        };
        let header_hint = |until: bool| -> Result<HeaderHint, ConfigError> {
            let name = self
                .header
                .clone()
                .ok_or_else(|| missing("header", "\"wait_time\""))?;
            let hint = if until {
                HeaderHint::wait_until(name).min_wait(self.min_wait.unwrap_or_default())
            } else {
                HeaderHint::wait_time(name)
            };
            with_pattern(hint, self.regex.as_deref(), &at(table, "regex"))
        };
        let max = self.max.unwrap_or(DEFAULT_MAX_WAIT);
        Ok(match kind {
            "ExponentialBackoffStrategy" => Backoff::Exponential {
                factor: self.factor.unwrap_or(DEFAULT_FACTOR),
            },
            "ConstantBackoffStrategy" | "ConstantBackoff" => Backoff::Constant {
                wait: self
                    .wait
                    .ok_or_else(|| missing("backoff_time_in_seconds", "5"))?,
            },
            "WaitTimeFromHeader" => Backoff::WaitTimeFromHeader {
                hint: header_hint(false)?,
                max,
            },
            _ => Backoff::WaitUntilTimeFromHeader {
                hint: header_hint(true)?,
                max,
            },
        })
    }
}

/// `hint` with the regular expression `pattern`, if one was given (checked when it was read).
#[cfg(feature = "regex")]
fn with_pattern(
    hint: HeaderHint,
    pattern: Option<&str>,
    path: &str,
) -> Result<HeaderHint, ConfigError> {
    match pattern {
        None => Ok(hint),
        Some(pattern) => hint.regex(pattern).map_err(|error| {
            ConfigError::new(
                path,
                format!("`{path}` is not a regular expression: {error}"),
            )
        }),
    }
}

#[cfg(not(feature = "regex"))]
fn with_pattern(
    hint: HeaderHint,
    regex: Option<&str>,
    path: &str,
) -> Result<HeaderHint, ConfigError> {
    match regex {
        None => Ok(hint),
        Some(text) => pattern(path, text).map(|_| hint),
    }
}

// ---- Entry point ----

/// Reads an error handler: a single handler or a composite, every value checked as it is read
/// (see the [module documentation](crate::config::handler)). An empty document (a YAML file
/// with nothing in it) is the default handler; null is an error.
impl<'de> Deserialize<'de> for ErrorHandler {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let cx = Context::default();
        let (handlers, composite) = seed(HandlerTable {
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
