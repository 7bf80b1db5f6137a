//! A configuration from environment variables: `PREFIX_SECTION_SETTING=value`.
//!
//! The variables are gathered into sections and read through the same serde mirrors as a file,
//! so they take the same values and fail with the same messages, each naming the variable.

use std::collections::BTreeMap;
use std::ffi::OsString;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;

use crate::config::PolicyConfig;
use crate::config::error::{ConfigError, Names, Variables, one_of};
use crate::config::read::{retry_section, stop_section, wait_section};

const SECTIONS: &[&str] = &["stop", "wait", "retry"];

impl PolicyConfig {
    /// Reads a configuration from the process's environment variables named
    /// `{prefix}_{SECTION}_{SETTING}`, in the format of a file's settings:
    ///
    /// ```text
    /// MYAPP_RETRY_STOP_ATTEMPTS=5
    /// MYAPP_RETRY_STOP_ELAPSED=30s
    /// MYAPP_RETRY_WAIT_KIND=fixed
    /// MYAPP_RETRY_WAIT_WAIT=2s
    /// MYAPP_RETRY_WAIT_HONOR_RETRY_AFTER=true
    /// MYAPP_RETRY_RETRY_CODES=InternalError,RequestLimitExceeded
    /// MYAPP_RETRY_RETRY_STATUSES=429,503
    /// ```
    ///
    /// with `prefix = "MYAPP_RETRY"` (a trailing `_` is optional); `MYAPP_RETRY_STOP_RETRIES=4`
    /// counts retries instead of attempts. A section with no variable is
    /// left out, so no variable at all means the default policy. Lists are separated by commas.
    /// Every variable that starts with `{prefix}_` must be a setting: a misspelt one is an error
    /// naming it and the accepted names, as is a value that is not valid Unicode.
    pub fn from_env(prefix: &str) -> Result<PolicyConfig, ConfigError> {
        let prefix = checked_prefix(prefix)?;
        let mut vars = Vec::new();
        for (name, value) in std::env::vars_os() {
            if !starts_with(&name, &prefix) {
                continue;
            }
            let (Some(name), Some(value)) = (name.to_str(), value.to_str()) else {
                let name = name.to_string_lossy().into_owned();
                return Err(ConfigError::new(
                    &name,
                    format!("`{name}` is not valid Unicode, so it cannot be read"),
                ));
            };
            vars.push((name.to_owned(), value.to_owned()));
        }
        read(&prefix, vars)
    }

    /// Reads a configuration from `(name, value)` pairs named as for
    /// [`from_env`](Self::from_env), ignoring those that do not start with `{prefix}_`: for
    /// variables kept somewhere other than the process's environment, and for tests.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::config::{PolicyConfig, WaitKind};
    ///
    /// let config = PolicyConfig::from_vars(
    ///     "MYAPP_RETRY",
    ///     [("MYAPP_RETRY_WAIT_KIND", "fixed"), ("MYAPP_RETRY_WAIT_WAIT", "2s"), ("HOME", "/root")],
    /// )?;
    /// assert_eq!(config.wait.unwrap().kind, Some(WaitKind::Fixed { wait: Duration::from_secs(2) }));
    ///
    /// let error = PolicyConfig::from_vars("MYAPP_RETRY", [("MYAPP_RETRY_WAIT_JITTER", "1s")])
    ///     .unwrap_err();
    /// assert_eq!(error.field(), "MYAPP_RETRY_WAIT_JITTER");
    /// # Ok::<(), persevere::config::ConfigError>(())
    /// ```
    pub fn from_vars<I, K, V>(prefix: &str, vars: I) -> Result<PolicyConfig, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let prefix = checked_prefix(prefix)?;
        let vars = vars
            .into_iter()
            .filter(|(name, _)| {
                name.as_ref()
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.starts_with('_'))
            })
            .map(|(name, value)| (name.as_ref().to_owned(), value.as_ref().to_owned()));
        read(&prefix, vars)
    }
}

/// The prefix without its trailing `_`, which may not be empty.
fn checked_prefix(prefix: &str) -> Result<String, ConfigError> {
    let trimmed = prefix.trim_end_matches('_');
    if trimmed.is_empty() {
        return Err(ConfigError::new(
            "",
            "the prefix of the environment variables is empty: give one such as `MYAPP_RETRY`, so that the configuration's variables stand apart from the others",
        ));
    }
    Ok(trimmed.to_owned())
}

fn starts_with(name: &OsString, prefix: &str) -> bool {
    let bytes = name.as_encoded_bytes();
    bytes.starts_with(prefix.as_bytes()) && bytes.get(prefix.len()) == Some(&b'_')
}

/// One variable: its name, its setting (lowercase) and its value.
struct Entry {
    name: String,
    field: String,
    value: String,
}

fn read(
    prefix: &str,
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<PolicyConfig, ConfigError> {
    let names = Variables { prefix };
    let mut sections: BTreeMap<&'static str, Vec<Entry>> = BTreeMap::new();
    for (name, value) in vars {
        let rest = name[prefix.len() + 1..].to_ascii_lowercase();
        let Some((section, field)) = rest.split_once('_').filter(|(_, field)| !field.is_empty())
        else {
            return Err(ConfigError::new(
                &name,
                format!(
                    "`{name}` names no setting: the variables are `{prefix}_<SECTION>_<SETTING>`, such as `{}`",
                    names.field("stop", "attempts"),
                ),
            ));
        };
        let Some(section) = SECTIONS.iter().copied().find(|known| *known == section) else {
            let accepted: Vec<String> = SECTIONS.iter().map(|s| names.section(s)).collect();
            return Err(ConfigError::new(
                &name,
                format!(
                    "unknown variable `{name}`: `{}` is not a section; expected {}",
                    section.to_ascii_uppercase(),
                    one_of(&accepted),
                ),
            ));
        };
        let entries = sections.entry(section).or_default();
        if let Some(twin) = entries.iter().find(|entry| entry.field == field) {
            return Err(ConfigError::new(
                &name,
                format!(
                    "`{}` and `{name}` both set `{section}.{field}`; keep one",
                    twin.name
                ),
            ));
        }
        entries.push(Entry {
            name,
            field: field.to_owned(),
            value,
        });
    }
    let mut config = PolicyConfig::default();
    for (section, entries) in sections {
        let fields = Fields {
            names: &names,
            section,
            entries: &entries,
        };
        match section {
            "stop" => config.stop = Some(stop_section(&names, fields)?),
            "wait" => config.wait = Some(wait_section(&names, fields)?),
            _ => config.retry = Some(retry_section(&names, fields)?),
        }
    }
    Ok(config)
}

/// The variables of one section, read as a structure.
struct Fields<'a> {
    names: &'a Variables<'a>,
    section: &'static str,
    entries: &'a [Entry],
}

impl<'de> de::Deserializer<'de> for Fields<'_> {
    type Error = ConfigError;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ConfigError> {
        if let Some(stray) = self
            .entries
            .iter()
            .find(|entry| !fields.contains(&entry.field.as_str()))
        {
            let accepted: Vec<String> = fields
                .iter()
                .map(|field| self.names.field(self.section, field))
                .collect();
            return Err(ConfigError::new(
                &stray.name,
                format!(
                    "unknown variable `{}`: `{}` has no setting `{}`; expected {}",
                    stray.name,
                    self.section,
                    stray.field,
                    one_of(&accepted),
                ),
            ));
        }
        visitor.visit_map(FieldAccess {
            entries: self.entries.iter(),
            value: None,
        })
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
        visitor.visit_map(FieldAccess {
            entries: self.entries.iter(),
            value: None,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

struct FieldAccess<'a> {
    entries: std::slice::Iter<'a, Entry>,
    value: Option<&'a Entry>,
}

impl<'de> MapAccess<'de> for FieldAccess<'_> {
    type Error = ConfigError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ConfigError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(entry);
        seed.deserialize(entry.field.as_str().into_deserializer())
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ConfigError> {
        let entry = self
            .value
            .take()
            .ok_or_else(|| ConfigError::new("", "a value was asked for before its name"))?;
        seed.deserialize(Value {
            name: &entry.name,
            text: &entry.value,
        })
    }
}

/// One variable's value, parsed as the setting asks.
#[derive(Clone, Copy)]
struct Value<'a> {
    name: &'a str,
    text: &'a str,
}

impl Value<'_> {
    fn invalid(&self, what: &str) -> ConfigError {
        ConfigError::new(
            self.name,
            format!("`{}` is `{}`, which is not {what}", self.name, self.text),
        )
    }

    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, ConfigError> {
        self.text.trim().parse().map_err(|_| self.invalid(what))
    }
}

/// Whole numbers of each type, parsed from the text. Text that is not one is handed to the
/// setting as what it is (another number, or a string), so that the setting refuses it in the
/// words it uses in a file.
macro_rules! numbers {
    ($($method:ident $visit:ident $ty:ty;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
            let text = self.text.trim();
            if let Ok(number) = text.parse::<$ty>() {
                return visitor.$visit(number);
            }
            if let Ok(number) = text.parse::<u64>() {
                return visitor.visit_u64(number);
            }
            if let Ok(number) = text.parse::<i64>() {
                return visitor.visit_i64(number);
            }
            match text.parse::<f64>() {
                Ok(number) if number.is_finite() => visitor.visit_f64(number),
                _ => visitor.visit_str(self.text),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Value<'_> {
    type Error = ConfigError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
        visitor.visit_str(self.text)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
        visitor.visit_some(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
        match self.text.trim().to_ascii_lowercase().as_str() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(self.invalid("`true` or `false`")),
        }
    }

    numbers! {
        deserialize_u8 visit_u8 u8;
        deserialize_u16 visit_u16 u16;
        deserialize_u32 visit_u32 u32;
        deserialize_u64 visit_u64 u64;
        deserialize_i8 visit_i8 i8;
        deserialize_i16 visit_i16 i16;
        deserialize_i32 visit_i32 i32;
        deserialize_i64 visit_i64 i64;
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
        visitor.visit_f64(self.parse::<f64>("a number")?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
        visitor.visit_f32(self.parse::<f32>("a number")?)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
        let items = if self.text.trim().is_empty() {
            Vec::new()
        } else {
            self.text.split(',').map(str::trim).collect()
        };
        visitor.visit_seq(Items {
            name: self.name,
            items: items.into_iter(),
        })
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ConfigError> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct tuple tuple_struct map struct
        enum identifier ignored_any
    }
}

/// A comma-separated list.
struct Items<'a> {
    name: &'a str,
    items: std::vec::IntoIter<&'a str>,
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = ConfigError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ConfigError> {
        self.items
            .next()
            .map(|text| {
                seed.deserialize(Value {
                    name: self.name,
                    text,
                })
            })
            .transpose()
    }
}
