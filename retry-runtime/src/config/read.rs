//! Reading a configuration through serde, every value checked inside its own deserialization.
//!
//! A format places an error raised while it reads a value at that value (TOML with its span,
//! YAML and JSON with a line and column), so each setting is read by a [`Read`] that checks it
//! there: its type, its own value, and the checks it can already fail against the settings read
//! before it. What only the whole section can tell (a required setting left out, a setting
//! without the `kind` it belongs to) is checked at its end, and placed at the section. Every
//! message names the setting, as a file spells it (`wait.max`) or as a variable
//! (`MYAPP_RETRY_WAIT_MAX`).
//!
//! Files are read by what they hold (`deserialize_any`), so that a value of another type, or
//! null, gets a message of ours instead of the format's. The environment, whose values are all
//! text, is read by asking for the type each setting takes (see [`Names::typed`]).

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::config::duration;
use crate::config::error::{ConfigError, Dotted, Names, all_of, one_of, raise};
use crate::config::model::{WaitDraft, check_base, check_code, check_list, check_status, closest};
use crate::config::{PolicyConfig, RetryConfig, StopConfig, WaitConfig, WaitKind};

/// The sections of a configuration.
const SECTIONS: &[&str] = &["stop", "wait", "retry"];
/// The settings of each section, in the order messages list them.
pub(crate) const STOP_FIELDS: &[&str] = &["attempts", "retries", "elapsed", "deadline"];
pub(crate) const WAIT_FIELDS: &[&str] = &[
    "kind",
    "wait",
    "multiplier",
    "base",
    "min",
    "max",
    "start",
    "increment",
    "jitter",
    "initial",
    "honor_retry_after",
    "retry_after_max",
];
pub(crate) const RETRY_FIELDS: &[&str] = &["codes", "statuses"];

// ---- Reading one value ----

/// What a format holds where a setting was expected, for messages.
#[derive(Clone, Copy)]
pub(in crate::config) enum Found<'a> {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text(&'a str),
    List,
    Table,
    Other(&'static str),
}

impl Found<'_> {
    /// A whole number, of either sign.
    pub(in crate::config) fn whole(value: i128) -> Self {
        match (u64::try_from(value), i64::try_from(value)) {
            (Ok(unsigned), _) => Found::Unsigned(unsigned),
            (_, Ok(signed)) => Found::Signed(signed),
            _ => Found::Other("a whole number out of range"),
        }
    }
}

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Null => f.write_str("null"),
            Found::Bool(value) => write!(f, "`{value}`"),
            Found::Unsigned(value) => write!(f, "{value}"),
            Found::Signed(value) => write!(f, "{value}"),
            // `1000.0`, not `1000`: the message must show why a whole number was refused.
            Found::Float(value) => write!(f, "{value:?}"),
            Found::Text(text) => write!(f, "the string {text:?}"),
            Found::List => f.write_str("a list"),
            Found::Table => f.write_str("a table"),
            Found::Other(what) => f.write_str(what),
        }
    }
}

/// The type to ask the environment for (see [`Names::typed`]).
#[derive(Clone, Copy)]
pub(in crate::config) enum Hint {
    Count,
    Status,
    Number,
    Flag,
    Text,
    List,
    Section(&'static str, &'static [&'static str]),
}

/// How one setting reads a value: what it takes, and what it makes of each kind of value a
/// format may hold. Anything it does not take is refused with [`wrong`](Read::wrong), null with
/// [`null`](Read::null).
pub(in crate::config) trait Read<'de>: Sized {
    type Value;

    /// The setting, as messages name it.
    fn path(&self) -> &str;

    /// What the setting takes, for messages: "a whole number from 1 to 4294967295".
    fn takes(&self) -> String;

    /// The type to ask the environment for.
    fn hint(&self) -> Hint;

    /// Whether this is one element of a list, which messages say the list "lists".
    fn is_element(&self) -> bool {
        false
    }

    /// The error for an explicit null.
    fn null(&self) -> ConfigError {
        if self.is_element() {
            return self.wrong(Found::Null);
        }
        let path = self.path();
        ConfigError::new(
            path,
            format!(
                "`{path}` is null; give {}, or leave the setting out",
                self.takes()
            ),
        )
    }

    /// The error for a value of a type the setting does not take.
    fn wrong(&self, found: Found<'_>) -> ConfigError {
        let path = self.path();
        let message = if self.is_element() {
            format!("`{path}` lists {found}; {}", self.takes())
        } else {
            format!("`{path}` is {found}; write {}", self.takes())
        };
        ConfigError::new(path, message)
    }

    /// What no value at all means (YAML's empty document): null, unless said otherwise.
    fn nothing(self) -> Result<Self::Value, ConfigError> {
        Err(self.null())
    }

    fn boolean(self, value: bool) -> Result<Self::Value, ConfigError> {
        Err(self.wrong(Found::Bool(value)))
    }

    fn unsigned(self, value: u64) -> Result<Self::Value, ConfigError> {
        Err(self.wrong(Found::Unsigned(value)))
    }

    fn signed(self, value: i64) -> Result<Self::Value, ConfigError> {
        Err(self.wrong(Found::Signed(value)))
    }

    fn float(self, value: f64) -> Result<Self::Value, ConfigError> {
        Err(self.wrong(Found::Float(value)))
    }

    fn text(self, value: &str) -> Result<Self::Value, ConfigError> {
        Err(self.wrong(Found::Text(value)))
    }

    fn list<A: SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
        Err(raise(self.wrong(Found::List)))
    }

    fn table<A: MapAccess<'de>>(self, _map: A) -> Result<Self::Value, A::Error> {
        Err(raise(self.wrong(Found::Table)))
    }
}

/// A [`Read`] as a serde visitor: every kind of value goes to the reader, so every refusal is
/// the reader's message, raised while the format reads the value.
struct Visit<R>(R);

impl<'de, R: Read<'de>> Visitor<'de> for Visit<R> {
    type Value = R::Value;

    // Only in a format's own messages (the environment's never use it).
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} for `{}`", self.0.takes(), self.0.path())
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<R::Value, E> {
        self.0.boolean(value).map_err(raise)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<R::Value, E> {
        match u64::try_from(value) {
            Ok(value) => self.0.unsigned(value),
            Err(_) => self.0.signed(value),
        }
        .map_err(raise)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<R::Value, E> {
        self.0.unsigned(value).map_err(raise)
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<R::Value, E> {
        match i64::try_from(value) {
            Ok(value) => self.visit_i64(value),
            Err(_) => match u64::try_from(value) {
                Ok(value) => self.visit_u64(value),
                Err(_) => Err(raise(self.0.wrong(Found::Other("a number too large")))),
            },
        }
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<R::Value, E> {
        match u64::try_from(value) {
            Ok(value) => self.visit_u64(value),
            Err(_) => Err(raise(self.0.wrong(Found::Other("a number too large")))),
        }
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<R::Value, E> {
        self.0.float(value).map_err(raise)
    }

    fn visit_char<E: de::Error>(self, value: char) -> Result<R::Value, E> {
        self.0.text(value.encode_utf8(&mut [0; 4])).map_err(raise)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<R::Value, E> {
        self.0.text(value).map_err(raise)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<R::Value, E> {
        Err(raise(self.0.wrong(Found::Other("a byte string"))))
    }

    fn visit_none<E: de::Error>(self) -> Result<R::Value, E> {
        self.0.nothing().map_err(raise)
    }

    fn visit_unit<E: de::Error>(self) -> Result<R::Value, E> {
        Err(raise(self.0.null()))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<R::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<R::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<R::Value, A::Error> {
        self.0.list(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<R::Value, A::Error> {
        self.0.table(map)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<R::Value, A::Error> {
        Err(raise(self.0.wrong(Found::Other("a tagged value"))))
    }
}

/// Reads one value with `read`: by what the format holds, or, when `typed`, by asking for the
/// type the setting takes.
pub(in crate::config) struct Seed<R> {
    pub(in crate::config) typed: bool,
    pub(in crate::config) read: R,
}

impl<'de, R: Read<'de>> DeserializeSeed<'de> for Seed<R> {
    type Value = R::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<R::Value, D::Error> {
        let hint = self.read.hint();
        let visit = Visit(self.read);
        if !self.typed {
            return deserializer.deserialize_any(visit);
        }
        match hint {
            Hint::Count => deserializer.deserialize_u32(visit),
            Hint::Status => deserializer.deserialize_u16(visit),
            Hint::Number => deserializer.deserialize_f64(visit),
            Hint::Flag => deserializer.deserialize_bool(visit),
            Hint::Text => deserializer.deserialize_str(visit),
            Hint::List => deserializer.deserialize_seq(visit),
            Hint::Section(name, fields) => deserializer.deserialize_struct(name, fields, visit),
        }
    }
}

// ---- The settings ----

/// A count of attempts or retries, `least` or more, that then passes `check`.
struct Count<'p, C> {
    path: &'p str,
    least: u32,
    check: C,
}

impl<'de, C: FnOnce(u32) -> Result<(), ConfigError>> Read<'de> for Count<'_, C> {
    type Value = u32;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        format!("a whole number from {} to {}", self.least, u32::MAX)
    }
    fn hint(&self) -> Hint {
        Hint::Count
    }
    fn unsigned(self, value: u64) -> Result<u32, ConfigError> {
        let Ok(count) = u32::try_from(value) else {
            return Err(self.wrong(Found::Unsigned(value)));
        };
        (self.check)(count)?;
        Ok(count)
    }
}

/// A duration in a string (`"250ms"`), that then passes `check`.
struct Span<'p, C> {
    path: &'p str,
    check: C,
}

impl<'de, C: FnOnce(Duration) -> Result<(), ConfigError>> Read<'de> for Span<'_, C> {
    type Value = Duration;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        format!(
            "a duration in a string: a number followed by {}, such as \"250ms\" or \"1.5s\"",
            duration::UNIT_LIST
        )
    }
    fn hint(&self) -> Hint {
        Hint::Text
    }
    fn text(self, text: &str) -> Result<Duration, ConfigError> {
        let path = self.path;
        let value = duration::parse(text).map_err(|reason| {
            ConfigError::new(
                path,
                format!("invalid duration `{text}` for `{path}`: {reason}"),
            )
        })?;
        (self.check)(value)?;
        Ok(value)
    }
}

/// `true` or `false`, that then passes `check`.
struct Flag<'p, C> {
    path: &'p str,
    check: C,
}

impl<'de, C: FnOnce(bool) -> Result<(), ConfigError>> Read<'de> for Flag<'_, C> {
    type Value = bool;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "`true` or `false`".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::Flag
    }
    fn boolean(self, value: bool) -> Result<bool, ConfigError> {
        (self.check)(value)?;
        Ok(value)
    }
}

/// `wait.base`: a finite number, 0 or more, that then passes `check`.
struct Base<'n, C> {
    names: &'n dyn Names,
    path: &'n str,
    check: C,
}

impl<'de, C: FnOnce(f64) -> Result<(), ConfigError>> Read<'de> for Base<'_, C> {
    type Value = f64;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "a number, 0 or more, such as 2".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::Number
    }
    fn unsigned(self, value: u64) -> Result<f64, ConfigError> {
        self.float(value as f64)
    }
    fn signed(self, value: i64) -> Result<f64, ConfigError> {
        self.float(value as f64)
    }
    fn float(self, value: f64) -> Result<f64, ConfigError> {
        check_base(self.names, value)?;
        (self.check)(value)?;
        Ok(value)
    }
}

/// `wait.kind`: one of the kinds, that then passes `check`.
struct Kind<'n, C> {
    names: &'n dyn Names,
    path: &'n str,
    check: C,
}

impl<'de, C: FnOnce(&'static str) -> Result<(), ConfigError>> Read<'de> for Kind<'_, C> {
    type Value = &'static str;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        format!("one of {}", WaitKind::accepted())
    }
    fn hint(&self) -> Hint {
        Hint::Text
    }
    fn text(self, text: &str) -> Result<&'static str, ConfigError> {
        let kind = WaitKind::named(self.names, text)?;
        (self.check)(kind)?;
        Ok(kind)
    }
}

/// `retry.codes`: a list of one or more codes.
struct Codes<'n> {
    names: &'n dyn Names,
    path: &'n str,
}

impl<'de> Read<'de> for Codes<'_> {
    type Value = Vec<String>;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "a list of error codes, such as [\"InternalError\"]".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::List
    }
    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        let mut codes = Vec::new();
        let typed = self.names.typed();
        let code = || Code {
            names: self.names,
            path: self.path,
        };
        while let Some(item) = seq.next_element_seed(Seed {
            typed,
            read: code(),
        })? {
            codes.push(item);
        }
        check_list(self.names, "codes", codes.len()).map_err(raise)?;
        Ok(codes)
    }
}

/// One of `retry.codes`: a name that is not blank.
struct Code<'n> {
    names: &'n dyn Names,
    path: &'n str,
}

impl<'de> Read<'de> for Code<'_> {
    type Value = String;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "codes are names in strings, such as \"InternalError\"".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::Text
    }
    fn null(&self) -> ConfigError {
        self.wrong(Found::Null)
    }
    fn wrong(&self, found: Found<'_>) -> ConfigError {
        let path = self.path;
        let statuses = match found {
            Found::Unsigned(100..=599) => format!(
                " (HTTP statuses go in `{}`)",
                self.names.field("retry", "statuses")
            ),
            _ => String::new(),
        };
        ConfigError::new(
            path,
            format!("`{path}` lists {found}; {}{statuses}", self.takes()),
        )
    }
    fn text(self, text: &str) -> Result<String, ConfigError> {
        check_code(self.names, text)?;
        Ok(text.to_owned())
    }
}

/// `retry.statuses`: a list of one or more HTTP statuses.
struct Statuses<'n> {
    names: &'n dyn Names,
    path: &'n str,
}

impl<'de> Read<'de> for Statuses<'_> {
    type Value = Vec<u16>;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "a list of HTTP statuses, such as [429, 503]".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::List
    }
    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u16>, A::Error> {
        let mut statuses = Vec::new();
        let typed = self.names.typed();
        let status = || Status {
            names: self.names,
            path: self.path,
        };
        while let Some(item) = seq.next_element_seed(Seed {
            typed,
            read: status(),
        })? {
            statuses.push(item);
        }
        check_list(self.names, "statuses", statuses.len()).map_err(raise)?;
        Ok(statuses)
    }
}

/// One of `retry.statuses`: 100 to 599.
struct Status<'n> {
    names: &'n dyn Names,
    path: &'n str,
}

impl<'de> Read<'de> for Status<'_> {
    type Value = u16;
    fn path(&self) -> &str {
        self.path
    }
    fn takes(&self) -> String {
        "statuses are whole numbers from 100 to 599, such as 503".to_owned()
    }
    fn hint(&self) -> Hint {
        Hint::Status
    }
    fn is_element(&self) -> bool {
        true
    }
    fn unsigned(self, value: u64) -> Result<u16, ConfigError> {
        check_status(self.names, value)
    }
}

// ---- The sections ----

/// A key of a section (or of the configuration, `section` being `None`): one of `fields`,
/// not among those `seen` already.
struct Key<'a> {
    names: &'a dyn Names,
    section: Option<&'static str>,
    fields: &'static [&'static str],
    seen: &'a [&'static str],
}

impl Key<'_> {
    /// `stop.attempts`, or `stop` for a section.
    fn name(&self, key: &str) -> String {
        match self.section {
            Some(section) => self.names.field(section, key),
            None => self.names.section(key),
        }
    }

    /// `` `stop` takes `attempts`, … `` or `` a configuration has `stop`, … ``.
    fn accepted(&self) -> String {
        match self.section {
            Some(section) => format!(
                "`{}` takes {}",
                self.names.section(section),
                one_of(self.fields)
            ),
            None => format!("a configuration has {}", one_of(self.fields)),
        }
    }
}

impl<'de> Read<'de> for Key<'_> {
    type Value = &'static str;
    fn path(&self) -> &str {
        self.section.unwrap_or("")
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
        let within = match self.section {
            Some(section) => format!("`{}` has", self.names.section(section)),
            None => "the configuration has".to_owned(),
        };
        ConfigError::new(
            self.path(),
            format!("{within} a key that is {found}; {}", self.accepted()),
        )
    }
    fn text(self, text: &str) -> Result<&'static str, ConfigError> {
        let Some(&field) = self.fields.iter().find(|field| **field == text) else {
            let what = if self.section.is_some() {
                "setting"
            } else {
                "section"
            };
            let name = self.name(text);
            let guess = match closest(text, self.fields) {
                Some(field) => format!("; did you mean `{field}`?"),
                None => String::new(),
            };
            return Err(ConfigError::new(
                &name,
                format!("unknown {what} `{name}`: {}{guess}", self.accepted()),
            ));
        };
        if self.seen.contains(&field) {
            let name = self.name(field);
            return Err(ConfigError::new(
                &name,
                format!("`{name}` is given twice; keep one"),
            ));
        }
        Ok(field)
    }
}

/// The next key of `map` that names one of `fields`, or `None` at the end.
fn next_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    names: &dyn Names,
    section: Option<&'static str>,
    fields: &'static [&'static str],
    seen: &mut Vec<&'static str>,
) -> Result<Option<&'static str>, A::Error> {
    let key = map.next_key_seed(Seed {
        typed: false,
        read: Key {
            names,
            section,
            fields,
            seen,
        },
    })?;
    seen.extend(key);
    Ok(key)
}

/// The error for a section that is not a table.
fn section_null(names: &dyn Names, section: &str, fields: &[&str]) -> ConfigError {
    let path = names.section(section);
    ConfigError::new(
        &path,
        format!(
            "`{path}` is null; give {}, or leave the section out",
            section_takes(fields)
        ),
    )
}

/// What a section takes, for messages.
fn section_takes(fields: &[&str]) -> String {
    format!("a table with {}", one_of(fields))
}

/// `[stop]`.
struct StopSection<'n> {
    names: &'n dyn Names,
    path: String,
}

impl<'de> Read<'de> for StopSection<'_> {
    type Value = StopConfig;
    fn path(&self) -> &str {
        &self.path
    }
    fn takes(&self) -> String {
        section_takes(STOP_FIELDS)
    }
    fn hint(&self) -> Hint {
        Hint::Section("StopConfig", STOP_FIELDS)
    }
    fn null(&self) -> ConfigError {
        section_null(self.names, "stop", STOP_FIELDS)
    }
    fn table<A: MapAccess<'de>>(self, mut map: A) -> Result<StopConfig, A::Error> {
        let names = self.names;
        let typed = names.typed();
        let mut config = StopConfig::default();
        let mut seen = Vec::new();
        while let Some(key) = next_key(&mut map, names, Some("stop"), STOP_FIELDS, &mut seen)? {
            let path = names.field("stop", key);
            match key {
                "attempts" | "retries" => {
                    let attempts = key == "attempts";
                    let count = map.next_value_seed(Seed {
                        typed,
                        read: Count {
                            path: &path,
                            least: u32::from(attempts),
                            check: |count| {
                                let mut next = config;
                                *count_of(&mut next, attempts) = Some(count);
                                next.check_values(names)
                            },
                        },
                    })?;
                    *count_of(&mut config, attempts) = Some(count);
                }
                _ => {
                    let limit = map.next_value_seed(Seed {
                        typed,
                        read: Span {
                            path: &path,
                            check: |_| Ok(()),
                        },
                    })?;
                    if key == "elapsed" {
                        config.elapsed = Some(limit);
                    } else {
                        config.deadline = Some(limit);
                    }
                }
            }
        }
        config.check(names).map_err(raise)?;
        Ok(config)
    }
}

/// `stop.attempts`, or `stop.retries`.
fn count_of(config: &mut StopConfig, attempts: bool) -> &mut Option<u32> {
    if attempts {
        &mut config.attempts
    } else {
        &mut config.retries
    }
}

/// `[wait]`.
struct WaitSection<'n> {
    names: &'n dyn Names,
    path: String,
}

impl<'de> Read<'de> for WaitSection<'_> {
    type Value = WaitConfig;
    fn path(&self) -> &str {
        &self.path
    }
    fn takes(&self) -> String {
        section_takes(WAIT_FIELDS)
    }
    fn hint(&self) -> Hint {
        Hint::Section("WaitConfig", WAIT_FIELDS)
    }
    fn null(&self) -> ConfigError {
        section_null(self.names, "wait", WAIT_FIELDS)
    }
    fn table<A: MapAccess<'de>>(self, mut map: A) -> Result<WaitConfig, A::Error> {
        let names = self.names;
        let typed = names.typed();
        let mut draft = WaitDraft::default();
        let mut seen = Vec::new();
        while let Some(key) = next_key(&mut map, names, Some("wait"), WAIT_FIELDS, &mut seen)? {
            let path = names.field("wait", key);
            match key {
                "kind" => {
                    let kind = map.next_value_seed(Seed {
                        typed,
                        read: Kind {
                            names,
                            path: &path,
                            check: |kind| {
                                WaitDraft {
                                    kind: Some(kind),
                                    ..draft
                                }
                                .check_so_far(names)
                            },
                        },
                    })?;
                    draft.kind = Some(kind);
                }
                "base" => {
                    let base = map.next_value_seed(Seed {
                        typed,
                        read: Base {
                            names,
                            path: &path,
                            check: |base| {
                                WaitDraft {
                                    base: Some(base),
                                    ..draft
                                }
                                .check_so_far(names)
                            },
                        },
                    })?;
                    draft.base = Some(base);
                }
                "honor_retry_after" => {
                    let honor = map.next_value_seed(Seed {
                        typed,
                        read: Flag {
                            path: &path,
                            check: |honor| {
                                WaitDraft {
                                    honor_retry_after: Some(honor),
                                    ..draft
                                }
                                .check_so_far(names)
                            },
                        },
                    })?;
                    draft.honor_retry_after = Some(honor);
                }
                _ => {
                    let value = map.next_value_seed(Seed {
                        typed,
                        read: Span {
                            path: &path,
                            check: |value| {
                                let mut next = draft;
                                if let Some(slot) = next.duration(key) {
                                    *slot = Some(value);
                                }
                                next.check_so_far(names)
                            },
                        },
                    })?;
                    if let Some(slot) = draft.duration(key) {
                        *slot = Some(value);
                    }
                }
            }
        }
        draft.finish(names).map_err(raise)
    }
}

/// `[retry]`.
struct RetrySection<'n> {
    names: &'n dyn Names,
    path: String,
}

impl<'de> Read<'de> for RetrySection<'_> {
    type Value = RetryConfig;
    fn path(&self) -> &str {
        &self.path
    }
    fn takes(&self) -> String {
        section_takes(RETRY_FIELDS)
    }
    fn hint(&self) -> Hint {
        Hint::Section("RetryConfig", RETRY_FIELDS)
    }
    fn null(&self) -> ConfigError {
        section_null(self.names, "retry", RETRY_FIELDS)
    }
    fn table<A: MapAccess<'de>>(self, mut map: A) -> Result<RetryConfig, A::Error> {
        let names = self.names;
        let typed = names.typed();
        let mut config = RetryConfig::default();
        let mut seen = Vec::new();
        while let Some(key) = next_key(&mut map, names, Some("retry"), RETRY_FIELDS, &mut seen)? {
            let path = names.field("retry", key);
            let path = path.as_str();
            if key == "codes" {
                config.codes = Some(map.next_value_seed(Seed {
                    typed,
                    read: Codes { names, path },
                })?);
            } else {
                config.statuses = Some(map.next_value_seed(Seed {
                    typed,
                    read: Statuses { names, path },
                })?);
            }
        }
        config.check(names).map_err(raise)?;
        Ok(config)
    }
}

/// A whole configuration: a table of sections, or nothing at all (an empty YAML file).
struct Document;

impl Document {
    fn accepted() -> String {
        format!(
            "write a table with any of the sections {}, or an empty one for the default policy",
            all_of(SECTIONS)
        )
    }
}

impl<'de> Read<'de> for Document {
    type Value = PolicyConfig;
    fn path(&self) -> &str {
        ""
    }
    fn takes(&self) -> String {
        format!("a table with any of the sections {}", all_of(SECTIONS))
    }
    fn hint(&self) -> Hint {
        Hint::Section("PolicyConfig", SECTIONS)
    }
    fn null(&self) -> ConfigError {
        ConfigError::new(
            "",
            format!("the configuration is null; {}", Document::accepted()),
        )
    }
    fn wrong(&self, found: Found<'_>) -> ConfigError {
        ConfigError::new(
            "",
            format!("the configuration is {found}; {}", Document::accepted()),
        )
    }
    fn nothing(self) -> Result<PolicyConfig, ConfigError> {
        Ok(PolicyConfig::default())
    }
    fn table<A: MapAccess<'de>>(self, mut map: A) -> Result<PolicyConfig, A::Error> {
        let names = &Dotted;
        let mut config = PolicyConfig::default();
        let mut seen = Vec::new();
        while let Some(key) = next_key(&mut map, names, None, SECTIONS, &mut seen)? {
            let path = names.section(key);
            match key {
                "stop" => config.stop = Some(map.next_value_seed(stop(names, path))?),
                "wait" => config.wait = Some(map.next_value_seed(wait(names, path))?),
                "retry" => config.retry = Some(map.next_value_seed(retry(names, path))?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(config)
    }
}

fn stop(names: &dyn Names, path: String) -> Seed<StopSection<'_>> {
    Seed {
        typed: names.typed(),
        read: StopSection { names, path },
    }
}

fn wait(names: &dyn Names, path: String) -> Seed<WaitSection<'_>> {
    Seed {
        typed: names.typed(),
        read: WaitSection { names, path },
    }
}

fn retry(names: &dyn Names, path: String) -> Seed<RetrySection<'_>> {
    Seed {
        typed: names.typed(),
        read: RetrySection { names, path },
    }
}

// ---- Entry points ----

/// Reads `[stop]` from `deserializer`, naming settings with `names`.
pub(crate) fn stop_section<'de, D: Deserializer<'de>>(
    names: &dyn Names,
    deserializer: D,
) -> Result<StopConfig, D::Error> {
    stop(names, names.section("stop")).deserialize(deserializer)
}

/// Reads `[wait]` from `deserializer`, naming settings with `names`.
pub(crate) fn wait_section<'de, D: Deserializer<'de>>(
    names: &dyn Names,
    deserializer: D,
) -> Result<WaitConfig, D::Error> {
    wait(names, names.section("wait")).deserialize(deserializer)
}

/// Reads `[retry]` from `deserializer`, naming settings with `names`.
pub(crate) fn retry_section<'de, D: Deserializer<'de>>(
    names: &dyn Names,
    deserializer: D,
) -> Result<RetryConfig, D::Error> {
    retry(names, names.section("retry")).deserialize(deserializer)
}

/// Reads a whole configuration; every value is checked as it is read (see the
/// [module documentation](crate::config)).
impl<'de> Deserialize<'de> for PolicyConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Seed {
            typed: false,
            read: Document,
        }
        .deserialize(deserializer)
    }
}

/// Reads a `[stop]` section on its own, checked as in a [`PolicyConfig`].
impl<'de> Deserialize<'de> for StopConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        stop_section(&Dotted, deserializer)
    }
}

/// Reads a `[wait]` section on its own, checked as in a [`PolicyConfig`].
impl<'de> Deserialize<'de> for WaitConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        wait_section(&Dotted, deserializer)
    }
}

/// Reads a `[retry]` section on its own, checked as in a [`PolicyConfig`].
impl<'de> Deserialize<'de> for RetryConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        retry_section(&Dotted, deserializer)
    }
}
