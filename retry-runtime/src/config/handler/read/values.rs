//! The values settings take: keys, strings, numbers, counts.

use std::time::Duration;

use crate::config::error::{ConfigError, one_of};
use crate::config::read::{Found, Hint, Read};

use super::{at, guess};

/// A key of a table at `table`: one of `fields`, not among those `seen`, and passing `check`
/// (which refuses a setting that does not fit those read before it).
pub(super) struct Key<'a, C> {
    pub(super) table: &'a str,
    pub(super) what: &'a str,
    pub(super) fields: &'static [&'static str],
    pub(super) seen: &'a [&'static str],
    pub(super) check: C,
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
pub(super) fn within(table: &str, what: &str) -> String {
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
pub(super) struct Text<'p, F> {
    pub(super) path: &'p str,
    pub(super) takes: &'p str,
    pub(super) required: bool,
    pub(super) read: F,
}

/// The error for a null where a setting must be given.
pub(super) fn required_null(path: &str, takes: &str) -> ConfigError {
    ConfigError::new(path, format!("`{path}` is null; give {takes}"))
}

/// The error for a null: a required setting must be given, an optional one may be left out.
fn setting_null(path: &str, takes: &str, required: bool) -> ConfigError {
    if required {
        return required_null(path, takes);
    }
    ConfigError::new(
        path,
        format!("`{path}` is null; give {takes}, or leave the setting out"),
    )
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
        setting_null(self.path, self.takes, self.required)
    }
    fn text(self, text: &str) -> Result<V, ConfigError> {
        (self.read)(text)
    }
}

/// A number, 0 or more and finite, made into a value by `read`; `required` as for [`Text`].
pub(super) struct Number<'p, F> {
    pub(super) path: &'p str,
    pub(super) takes: &'p str,
    pub(super) required: bool,
    pub(super) read: F,
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
        setting_null(self.path, self.takes, self.required)
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
pub(super) fn seconds(path: &str) -> impl FnOnce(f64) -> Result<Duration, ConfigError> + '_ {
    move |value| {
        Duration::try_from_secs_f64(value).map_err(|_| {
            ConfigError::new(
                path,
                format!("`{path}` is {value:?} seconds, more than a wait can be; write fewer"),
            )
        })
    }
}

pub(super) const SECONDS: &str = "a number of seconds, 0 or more, such as 5 or 0.5";

/// `max_retries`: a whole number.
pub(super) struct Whole<'p> {
    pub(super) path: &'p str,
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

/// A `{{ }}` template where a plain value goes: persevere does not interpolate, so it is refused
/// rather than read as it stands.
pub(super) fn refuse_template(path: &str, text: &str, write: &str) -> Result<(), ConfigError> {
    if text.contains("{{") {
        return Err(ConfigError::new(
            path,
            format!(
                "`{path}` is {}, a `{{{{ }}}}` template, which persevere does not read: write {write}",
                Found::Text(text)
            ),
        ));
    }
    Ok(())
}
