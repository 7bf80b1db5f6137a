//! What is wrong with a configuration, and how its settings are named in messages.

use std::cell::Cell;
use std::fmt;

/// A configuration that cannot be a policy: a bad value, a setting in the wrong place, or a
/// setting this build or this program cannot honour. Its message names the setting (as a
/// configuration file spells it, `wait.jitter`, or as an environment variable,
/// `MYAPP_RETRY_WAIT_JITTER`) and what would be accepted.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::{PolicyConfig, StopConfig};
///
/// let mut stop = StopConfig::default();
/// stop.attempts = Some(0);
/// let mut config = PolicyConfig::default();
/// config.stop = Some(stop);
///
/// let error = config.validate().unwrap_err();
/// assert_eq!(error.field(), "stop.attempts");
/// assert_eq!(
///     error.to_string(),
///     "`stop.attempts` is 0, but the first attempt always happens: write 1 for a single attempt and no retry",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    field: String,
    message: String,
}

impl ConfigError {
    /// An error about `field`, with a message that names it.
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The setting at fault, as the message names it (`stop.attempts`, or
    /// `MYAPP_RETRY_STOP_ATTEMPTS` when read from the environment). Empty for an error in the
    /// structure of the input that names no single setting.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::PolicyConfig;
    ///
    /// let vars = [("MYAPP_RETRY_WAIT_KIND", "fixed"), ("MYAPP_RETRY_WAIT_WAIT", "2")];
    /// let error = PolicyConfig::from_vars("MYAPP_RETRY", vars).unwrap_err();
    /// assert_eq!(error.field(), "MYAPP_RETRY_WAIT_WAIT"); // "2" has no unit
    /// ```
    pub fn field(&self) -> &str {
        &self.field
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Lets the environment reader report serde's own errors (a value of the wrong type inside a
/// structure) as a `ConfigError`, and keeps the setting of an error made by `raise`.
impl serde::de::Error for ConfigError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        let field = RAISING.with(Cell::take).unwrap_or_default();
        ConfigError::new(field, message.to_string())
    }
}

thread_local! {
    /// The setting of the error [`raise`] is turning into a format's error, for
    /// `ConfigError::custom` to keep (a format's own error keeps only the message).
    static RAISING: Cell<Option<String>> = const { Cell::new(None) };
}

/// `error` as the error of whichever format is reading: its message, which the format places
/// at the value being read. When the format is the environment reader (whose error is a
/// `ConfigError`), the setting is kept too, so [`ConfigError::field`] names it.
pub(crate) fn raise<E: serde::de::Error>(error: ConfigError) -> E {
    RAISING.with(|raising| raising.set(Some(error.field)));
    let raised = E::custom(error.message);
    RAISING.with(Cell::take);
    raised
}

/// How settings are spelled in messages: `wait.jitter` for files, `PREFIX_WAIT_JITTER` for the
/// environment.
pub(crate) trait Names {
    /// The name of `field` in `section`.
    fn field(&self, section: &str, field: &str) -> String;
    /// The name of a whole section.
    fn section(&self, section: &str) -> String;
    /// Whether values are read by asking for the type each setting takes (the environment,
    /// whose values are all text) rather than by what the format holds (files).
    fn typed(&self) -> bool {
        false
    }
}

/// `section.field`, as a configuration file nests them.
pub(crate) struct Dotted;

impl Names for Dotted {
    fn field(&self, section: &str, field: &str) -> String {
        format!("{section}.{field}")
    }
    fn section(&self, section: &str) -> String {
        section.to_owned()
    }
}

/// `PREFIX_SECTION_FIELD`, as environment variables spell them.
pub(crate) struct Variables<'a> {
    /// Without a trailing `_`.
    pub(crate) prefix: &'a str,
}

impl Names for Variables<'_> {
    fn field(&self, section: &str, field: &str) -> String {
        format!(
            "{}_{}_{}",
            self.prefix,
            section.to_ascii_uppercase(),
            field.to_ascii_uppercase()
        )
    }
    fn section(&self, section: &str) -> String {
        format!("{}_{}_*", self.prefix, section.to_ascii_uppercase())
    }
    fn typed(&self) -> bool {
        true
    }
}

/// `` `a`, `b` or `c` ``, for lists of accepted values.
pub(crate) fn one_of<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// `` `a`, `b` and `c` ``, for lists of settings taken together.
pub(crate) fn all_of<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
