//! A handler's backoff strategies: each with its `type` and the settings that type takes.

use std::time::Duration;

use ::http::HeaderName;
use serde::de::{MapAccess, SeqAccess};

use crate::config::error::{ConfigError, one_of, raise};
use crate::config::handler::backoff::{Backoff, DEFAULT_FACTOR, DEFAULT_MAX_WAIT};
use crate::config::read::{Found, Hint, Read};
use crate::http::HeaderHint;

use super::values::{Key, Number, SECONDS, Text, seconds};
use super::{at, guess, item, seed};

pub(super) const BACKOFF_FIELDS: &[&str] = &[
    "type",
    "factor",
    "backoff_time_in_seconds",
    "header",
    "regex",
    "min_wait",
    "max_waiting_time_in_seconds",
];
/// The backoff strategies' types, and the settings each takes.
pub(super) const BACKOFF_TYPES: &[(&str, &[&str])] = &[
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

/// A handler's `backoff_strategies`: any number (none is the default exponential).
pub(super) struct BackoffList<'p> {
    pub(super) path: &'p str,
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
pub(super) struct BackoffTable {
    path: String,
}

/// A backoff strategy's settings, as read so far.
#[derive(Default)]
pub(super) struct BackoffDraft {
    kind: Option<&'static str>,
    factor: Option<f64>,
    wait: Option<Duration>,
    header: Option<HeaderName>,
    regex: Option<String>,
    min_wait: Option<Duration>,
    max: Option<Duration>,
}

/// The settings the backoff type `kind` takes.
pub(super) fn takes_of(kind: &str) -> &'static [&'static str] {
    BACKOFF_TYPES
        .iter()
        .find(|(name, _)| *name == kind)
        .map_or(&[], |(_, fields)| fields)
}

/// Why `kind` does not take `field`, or nothing when it does.
pub(super) fn refuses(path: &str, kind: &str, field: &str, earlier: bool) -> Option<ConfigError> {
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
pub(super) fn backoff_type(
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
pub(super) fn check_bounds(
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
pub(super) fn header_name(path: &str, text: &str) -> Result<HeaderName, ConfigError> {
    super::values::refuse_template(path, text, "the header's name")?;
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
pub(super) fn pattern(path: &str, text: &str) -> Result<String, ConfigError> {
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
pub(super) fn pattern(path: &str, _: &str) -> Result<String, ConfigError> {
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
pub(super) fn with_pattern(
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
pub(super) fn with_pattern(
    hint: HeaderHint,
    regex: Option<&str>,
    path: &str,
) -> Result<HeaderHint, ConfigError> {
    match regex {
        None => Ok(hint),
        Some(text) => pattern(path, text).map(|_| hint),
    }
}
