//! A handler's response filters: each with its tests and its action.

use serde::de::{MapAccess, SeqAccess};

use crate::config::error::{ConfigError, one_of, raise};
use crate::config::handler::actions::Action;
use crate::config::handler::filters::ResponseFilter;
use crate::config::handler::predicates::Predicate;
use crate::config::read::{Found, Hint, Read};

use super::values::{Key, Text};
use super::{Claim, Context, at, guess, item, seed};

pub(super) const FILTER_FIELDS: &[&str] = &[
    "http_codes",
    "error_message_contains",
    "predicate",
    "action",
    "type",
];
/// What a filter tests; one at least.
pub(super) const FILTER_TESTS: &[&str] = &["http_codes", "error_message_contains", "predicate"];
pub(super) const FILTER_TYPE: &str = "HttpResponseFilter";

/// A handler's `response_filters`: one filter or more.
pub(super) struct FilterList<'c, 'p> {
    pub(super) cx: &'c Context,
    pub(super) path: &'p str,
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
pub(super) struct FilterTable<'c> {
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
                            super::values::refuse_template(path, text, "the text to look for")?;
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
pub(super) fn action_named(path: &str, text: &str) -> Result<Action, ConfigError> {
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
pub(super) struct CodeList<'c, 'p> {
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
pub(super) struct Code<'c, 'p> {
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
    fn is_element(&self) -> bool {
        true
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
