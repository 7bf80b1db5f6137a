//! A handler, single or composite, and a composite's list of handlers.

use serde::de::{MapAccess, SeqAccess};

use crate::config::error::{ConfigError, one_of, raise};
use crate::config::handler::model::{ErrorHandler, Handler};
use crate::config::read::{Found, Hint, Read};

use super::backoff::BackoffList;
use super::filters::FilterList;
use super::values::{Key, Text, Whole, within};
use super::{Context, at, guess, item, seed};

/// The settings of a single handler.
pub(super) const SINGLE_FIELDS: &[&str] =
    &["response_filters", "max_retries", "backoff_strategies"];
/// Every setting of a handler, single or composite.
pub(super) const HANDLER_FIELDS: &[&str] = &[
    "type",
    "response_filters",
    "max_retries",
    "backoff_strategies",
    "error_handlers",
];
pub(super) const HANDLER_TYPES: &[&str] = &["DefaultErrorHandler", "CompositeErrorHandler"];

/// Whether a handler is single or composite, and what said so (for messages).
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Single(&'static str),
    Composite(&'static str),
}

/// What makes a handler single or composite, for messages.
pub(super) fn because(key: &'static str) -> &'static str {
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
pub(super) struct HandlerTable<'c> {
    pub(super) cx: &'c Context,
    pub(super) path: String,
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
pub(super) fn fits(table: &str, kind: Option<Kind>, key: &'static str) -> Result<(), ConfigError> {
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
pub(super) fn handler_type(
    path: &str,
    text: &str,
    kind: Option<Kind>,
) -> Result<Kind, ConfigError> {
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
pub(super) struct HandlerList<'c, 'p> {
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
