//! An SDK's retry settings as configuration: [`SettingsConfig`], with the SDK's names.

use std::fmt;
use std::time::Duration;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::config::error::{ConfigError, one_of, raise};
use crate::config::model::closest;
use crate::config::read::Found;
use crate::settings::{
    BackoffStrategy, RetryCondition, RetryErrorCodes, RetryOptions, RetrySettings,
};

/// The SDK's retry settings, as a configuration file writes them, with the SDK's names:
///
/// ```toml
/// auto_retry = true                 # retry at all
/// num_max_retries = 4               # retries after the first attempt
/// min_retry_delay_ms = 200          # the backoff's first delay, in milliseconds
/// max_retry_delay_ms = 6000         # its cap
/// backoff_strategy = "ExponentialWithRandomJitterBackoffStrategy"
/// retry_condition = "DefaultRetryCondition"
/// retry_error_codes = ["AccessDenied"]
/// ```
///
/// Every setting is optional: one left out keeps the value it would have had (the SDK's default
/// for the process-wide settings, the process-wide value for one call's options). The strategy
/// is one of the SDK's three names; a custom strategy or condition is code
/// ([`BackoffStrategy::custom`], [`RetryCondition::custom`]). Read it from TOML, YAML or JSON
/// with the format's crate, or as a part of a configuration of your own.
///
/// Each value is checked while the format reads it, so an error points at it (TOML's line,
/// column and span, YAML's and JSON's line and column), names the setting and says what it
/// takes (`` `num_max_retries` is the string "4"; write a whole number of retries after the
/// first attempt, from 0 to 4294967295 ``). An unknown setting gets a guess at the one meant, a
/// null is an error (leave the setting out instead), as is a setting given twice, and a
/// `max_retry_delay_ms` below `min_retry_delay_ms` is an error at the one written second.
///
/// Turn it into the process-wide settings with [`settings`](Self::settings), or into one call's
/// options with [`options`](Self::options).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::config::{BackoffName, SettingsConfig};
/// use persevere::settings::{BackoffStrategy, GlobalSettings, RetryOptions};
///
/// # #[derive(Debug)] struct ApiError;
/// static SDK: GlobalSettings<ApiError> = GlobalSettings::new();
///
/// // As `toml::from_str` reads `num_max_retries = 4`, `min_retry_delay_ms = 200` and
/// // `backoff_strategy = "ExponentialBackoffStrategy"`.
/// let mut config = SettingsConfig::default();
/// config.num_max_retries = Some(4);
/// config.min_retry_delay_ms = Some(200);
/// config.backoff_strategy = Some(BackoffName::ExponentialBackoffStrategy);
///
/// SDK.set_default(config.settings());
/// let settings = SDK.current();
/// assert_eq!(settings.num_max_retries, 4);
/// assert_eq!(settings.min_retry_delay, Duration::from_millis(200));
/// assert_eq!(settings.max_retry_delay, Duration::from_millis(300_000)); // the default
/// assert_eq!(settings.backoff_strategy, BackoffStrategy::Exponential);
///
/// // As one call's options: only what it gives.
/// let options: RetryOptions<ApiError> = config.options();
/// assert_eq!((options.num_max_retries, options.max_retry_delay), (Some(4), None));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct SettingsConfig {
    /// `auto_retry`.
    pub auto_retry: Option<bool>,
    /// `num_max_retries`.
    pub num_max_retries: Option<u32>,
    /// `min_retry_delay_ms`, in milliseconds.
    pub min_retry_delay_ms: Option<u64>,
    /// `max_retry_delay_ms`, in milliseconds.
    pub max_retry_delay_ms: Option<u64>,
    /// `backoff_strategy`, by the SDK's name of a built-in strategy.
    pub backoff_strategy: Option<BackoffName>,
    /// `retry_condition`: only the default one has a name (a custom condition is code:
    /// [`RetryCondition::custom`]).
    pub retry_condition: Option<ConditionName>,
    /// `retry_error_codes`; an empty list is no codes.
    pub retry_error_codes: Option<Vec<String>>,
}

/// A built-in backoff strategy, by the SDK's name. See [`BackoffStrategy`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::{BackoffName, SettingsConfig};
///
/// let config: SettingsConfig = serde_json::from_str(r#"{ "backoff_strategy": "NoBackoffStrategy" }"#)?;
/// assert_eq!(config.backoff_strategy, Some(BackoffName::NoBackoffStrategy));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackoffName {
    /// `NoBackoffStrategy`.
    NoBackoffStrategy,
    /// `ExponentialBackoffStrategy`.
    ExponentialBackoffStrategy,
    /// `ExponentialWithRandomJitterBackoffStrategy`.
    ExponentialWithRandomJitterBackoffStrategy,
}

impl BackoffName {
    /// The strategy.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::BackoffName;
    /// use persevere::settings::BackoffStrategy;
    ///
    /// assert_eq!(BackoffName::ExponentialBackoffStrategy.strategy(), BackoffStrategy::Exponential);
    /// ```
    pub fn strategy(self) -> BackoffStrategy {
        match self {
            BackoffName::NoBackoffStrategy => BackoffStrategy::NoBackoff,
            BackoffName::ExponentialBackoffStrategy => BackoffStrategy::Exponential,
            BackoffName::ExponentialWithRandomJitterBackoffStrategy => {
                BackoffStrategy::ExponentialWithRandomJitter
            }
        }
    }

    /// The SDK's name.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::BackoffName;
    ///
    /// assert_eq!(BackoffName::NoBackoffStrategy.as_str(), "NoBackoffStrategy");
    /// ```
    pub fn as_str(self) -> &'static str {
        self.strategy().name()
    }

    fn named(name: &str) -> Option<Self> {
        match BackoffStrategy::named(name)? {
            BackoffStrategy::NoBackoff => Some(BackoffName::NoBackoffStrategy),
            BackoffStrategy::Exponential => Some(BackoffName::ExponentialBackoffStrategy),
            _ => Some(BackoffName::ExponentialWithRandomJitterBackoffStrategy),
        }
    }
}

/// A retry condition that configuration can name: the SDK's default.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::{ConditionName, SettingsConfig};
///
/// let config: SettingsConfig = serde_json::from_str(r#"{ "retry_condition": "DefaultRetryCondition" }"#)?;
/// assert_eq!(config.retry_condition, Some(ConditionName::DefaultRetryCondition));
/// assert!(serde_json::from_str::<SettingsConfig>(r#"{ "retry_condition": "MyCondition" }"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConditionName {
    /// `DefaultRetryCondition`: network errors, throttling and `retry_error_codes`.
    DefaultRetryCondition,
}

impl ConditionName {
    /// The SDK's name.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::ConditionName;
    ///
    /// assert_eq!(ConditionName::DefaultRetryCondition.as_str(), "DefaultRetryCondition");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionName::DefaultRetryCondition => "DefaultRetryCondition",
        }
    }
}

impl SettingsConfig {
    /// The settings it gives, as one call's options: each setting written overrides its
    /// process-wide counterpart, each left out keeps it.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::SettingsConfig;
    /// use persevere::settings::{RetryOptions, RetrySettings};
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// // A request's own options, from its JSON.
    /// let config: SettingsConfig = serde_json::from_str(r#"{ "auto_retry": false }"#)?;
    /// let options: RetryOptions<ApiError> = config.options();
    /// let call = RetrySettings::new().num_max_retries(5).overridden_by(&options);
    /// assert_eq!(call.stop().max(), 0); // no retry for this call
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn options<E>(&self) -> RetryOptions<E> {
        let mut options = RetryOptions::new();
        options.auto_retry = self.auto_retry;
        options.num_max_retries = self.num_max_retries;
        options.min_retry_delay = self.min_retry_delay_ms.map(Duration::from_millis);
        options.max_retry_delay = self.max_retry_delay_ms.map(Duration::from_millis);
        options.backoff_strategy = self.backoff_strategy.map(BackoffName::strategy);
        options.retry_condition = self.retry_condition.map(|name| match name {
            ConditionName::DefaultRetryCondition => RetryCondition::Default,
        });
        options.retry_error_codes = self.retry_error_codes.as_ref().map(RetryErrorCodes::new);
        options
    }

    /// The settings it gives, over the SDK's defaults: for
    /// [`GlobalSettings::set_default`](crate::settings::GlobalSettings::set_default).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::config::SettingsConfig;
    /// use persevere::settings::RetrySettings;
    ///
    /// # #[derive(Debug)] struct ApiError;
    /// let config: SettingsConfig = serde_json::from_str(r#"{ "max_retry_delay_ms": 6000, "retry_error_codes": ["AccessDenied"] }"#)?;
    /// let settings: RetrySettings<ApiError> = config.settings();
    /// assert_eq!(settings.max_retry_delay, Duration::from_secs(6));
    /// assert_eq!(settings.num_max_retries, 3); // the SDK's default
    /// assert!(settings.retry_error_codes.contains("AccessDenied"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn settings<E>(&self) -> RetrySettings<E> {
        RetrySettings::new().overridden_by(&self.options())
    }
}

// ---- Reading ----

/// The settings, in the order messages list them.
const SETTINGS: &[&str] = &[
    "auto_retry",
    "num_max_retries",
    "min_retry_delay_ms",
    "max_retry_delay_ms",
    "backoff_strategy",
    "retry_condition",
    "retry_error_codes",
];

/// What one setting takes, and what it read.
#[derive(Clone, Copy)]
enum Setting {
    AutoRetry,
    NumMaxRetries,
    MinDelay,
    MaxDelay,
    Backoff,
    Condition,
    Codes,
}

enum Read {
    Flag(bool),
    Count(u32),
    Millis(u64),
    Backoff(BackoffName),
    Condition(ConditionName),
    Codes(Vec<String>),
}

impl Setting {
    fn named(name: &str) -> Option<Setting> {
        Some(match name {
            "auto_retry" => Setting::AutoRetry,
            "num_max_retries" => Setting::NumMaxRetries,
            "min_retry_delay_ms" => Setting::MinDelay,
            "max_retry_delay_ms" => Setting::MaxDelay,
            "backoff_strategy" => Setting::Backoff,
            "retry_condition" => Setting::Condition,
            "retry_error_codes" => Setting::Codes,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Setting::AutoRetry => "auto_retry",
            Setting::NumMaxRetries => "num_max_retries",
            Setting::MinDelay => "min_retry_delay_ms",
            Setting::MaxDelay => "max_retry_delay_ms",
            Setting::Backoff => "backoff_strategy",
            Setting::Condition => "retry_condition",
            Setting::Codes => "retry_error_codes",
        }
    }

    fn takes(self) -> String {
        match self {
            Setting::AutoRetry => "`true` or `false`".to_owned(),
            Setting::NumMaxRetries => format!(
                "a whole number of retries after the first attempt, from 0 to {}",
                u32::MAX
            ),
            Setting::MinDelay | Setting::MaxDelay => format!(
                "a whole number of milliseconds, from 0 to {}, such as 200",
                u64::MAX
            ),
            Setting::Backoff => one_of(&BackoffStrategy::NAMES),
            Setting::Condition => format!(
                "`{}` (a condition of your own is code: `RetryCondition::custom`)",
                ConditionName::DefaultRetryCondition.as_str()
            ),
            Setting::Codes => "a list of error codes, such as [\"AccessDenied\"]".to_owned(),
        }
    }

    fn wrong(self, found: Found<'_>) -> ConfigError {
        let name = self.name();
        ConfigError::new(name, format!("`{name}` is {found}; write {}", self.takes()))
    }

    fn null(self) -> ConfigError {
        let name = self.name();
        ConfigError::new(
            name,
            format!(
                "`{name}` is null; write {}, or leave the setting out",
                self.takes()
            ),
        )
    }
}

/// A setting's value, read with what it is checked against: the other delay bound, when it
/// was read first (so that a `min_retry_delay_ms` above `max_retry_delay_ms` is refused at the
/// one read second, where the format can place it).
struct Value {
    setting: Setting,
    /// `(min, max)` read so far.
    bounds: (Option<u64>, Option<u64>),
}

impl Value {
    fn whole<E: de::Error>(self, value: i128) -> Result<Read, E> {
        let setting = self.setting;
        let read = match setting {
            Setting::NumMaxRetries => u32::try_from(value).ok().map(Read::Count),
            Setting::MinDelay | Setting::MaxDelay => u64::try_from(value).ok().map(Read::Millis),
            _ => None,
        };
        let read = read.ok_or_else(|| raise(setting.wrong(Found::whole(value))))?;
        let (min, max) = match (setting, &read) {
            (Setting::MinDelay, Read::Millis(min)) => (Some(*min), self.bounds.1),
            (Setting::MaxDelay, Read::Millis(max)) => (self.bounds.0, Some(*max)),
            _ => (None, None),
        };
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            return Err(raise(ConfigError::new(
                setting.name(),
                format!(
                    "`min_retry_delay_ms` ({min}) is above `max_retry_delay_ms` ({max}), so every delay would be {max} ms; raise `max_retry_delay_ms` or lower `min_retry_delay_ms`"
                ),
            )));
        }
        Ok(read)
    }
}

impl<'de> DeserializeSeed<'de> for Value {
    type Value = Read;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Read, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Every kind of value goes to the setting, so every refusal is its message, raised while the
/// format reads the value.
impl<'de> Visitor<'de> for Value {
    type Value = Read;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} for `{}`", self.setting.takes(), self.setting.name())
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Read, E> {
        match self.setting {
            Setting::AutoRetry => Ok(Read::Flag(value)),
            _ => Err(raise(self.setting.wrong(Found::Bool(value)))),
        }
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Read, E> {
        self.whole(value.into())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Read, E> {
        self.whole(value.into())
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Read, E> {
        self.whole(value)
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Read, E> {
        match i128::try_from(value) {
            Ok(value) => self.whole(value),
            Err(_) => Err(raise(
                self.setting.wrong(Found::Other("a number too large")),
            )),
        }
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Read, E> {
        Err(raise(self.setting.wrong(Found::Float(value))))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Read, E> {
        let read = match self.setting {
            Setting::Backoff => BackoffName::named(text).map(Read::Backoff),
            Setting::Condition => (text == ConditionName::DefaultRetryCondition.as_str())
                .then_some(Read::Condition(ConditionName::DefaultRetryCondition)),
            _ => None,
        };
        read.ok_or_else(|| {
            let mut error = self.setting.wrong(Found::Text(text));
            if let Setting::Backoff = self.setting
                && let Some(meant) = closest(text, &BackoffStrategy::NAMES)
            {
                error = ConfigError::new(
                    self.setting.name(),
                    format!("{error}; did you mean `{meant}`?"),
                );
            }
            raise(error)
        })
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Read, E> {
        Err(raise(self.setting.wrong(Found::Other("a byte string"))))
    }

    fn visit_none<E: de::Error>(self) -> Result<Read, E> {
        Err(raise(self.setting.null()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Read, E> {
        Err(raise(self.setting.null()))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Read, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Read, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Read, A::Error> {
        let Setting::Codes = self.setting else {
            return Err(raise(self.setting.wrong(Found::List)));
        };
        let mut codes = Vec::new();
        while let Some(code) = seq.next_element_seed(Code)? {
            codes.push(code);
        }
        Ok(Read::Codes(codes))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Read, A::Error> {
        Err(raise(self.setting.wrong(Found::Table)))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<Read, A::Error> {
        Err(raise(self.setting.wrong(Found::Other("a tagged value"))))
    }
}

/// One of `retry_error_codes`: a name in a string, not blank.
struct Code;

impl Code {
    fn wrong(found: Found<'_>) -> ConfigError {
        ConfigError::new(
            "retry_error_codes",
            format!(
                "`retry_error_codes` lists {found}; codes are names in strings, such as \"AccessDenied\""
            ),
        )
    }
}

impl<'de> DeserializeSeed<'de> for Code {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Code {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an error code in a string, such as \"AccessDenied\"")
    }

    fn visit_str<E: de::Error>(self, code: &str) -> Result<String, E> {
        if code.trim().is_empty() {
            return Err(raise(ConfigError::new(
                "retry_error_codes",
                "`retry_error_codes` lists an empty code; codes are names such as \"AccessDenied\"",
            )));
        }
        Ok(code.to_owned())
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<String, E> {
        Err(raise(Code::wrong(Found::Bool(value))))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Err(raise(Code::wrong(Found::whole(value.into()))))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Err(raise(Code::wrong(Found::whole(value.into()))))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        Err(raise(Code::wrong(Found::Float(value))))
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Err(raise(Code::wrong(Found::Null)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Err(raise(Code::wrong(Found::Null)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(raise(Code::wrong(Found::List)))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(raise(Code::wrong(Found::Table)))
    }
}

/// A setting's name, as a key.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Setting;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Setting, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Setting;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of the settings {}", one_of(SETTINGS))
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Setting, E> {
        Setting::named(name).ok_or_else(|| {
            let guess = match closest(name, SETTINGS) {
                Some(meant) => format!("; did you mean `{meant}`?"),
                None => String::new(),
            };
            raise(ConfigError::new(
                name,
                format!(
                    "unknown setting `{name}`: the retry settings are {}{guess}",
                    one_of(SETTINGS)
                ),
            ))
        })
    }
}

/// The whole table of settings.
struct Document;

impl Document {
    fn accepted() -> String {
        format!(
            "write a table with any of the settings {}, or an empty one for the defaults",
            one_of(SETTINGS)
        )
    }

    fn wrong(found: Found<'_>) -> ConfigError {
        ConfigError::new(
            "",
            format!("the settings are {found}; {}", Document::accepted()),
        )
    }
}

impl<'de> Visitor<'de> for Document {
    type Value = SettingsConfig;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a table with any of the settings {}", one_of(SETTINGS))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SettingsConfig, A::Error> {
        let mut config = SettingsConfig::default();
        let mut seen: Vec<&'static str> = Vec::new();
        while let Some(setting) = map.next_key_seed(Key)? {
            let name = setting.name();
            if seen.contains(&name) {
                return Err(raise(ConfigError::new(
                    name,
                    format!("`{name}` is given twice; keep one"),
                )));
            }
            seen.push(name);
            let bounds = (config.min_retry_delay_ms, config.max_retry_delay_ms);
            match map.next_value_seed(Value { setting, bounds })? {
                Read::Flag(on) => config.auto_retry = Some(on),
                Read::Count(retries) => config.num_max_retries = Some(retries),
                Read::Millis(millis) => match setting {
                    Setting::MinDelay => config.min_retry_delay_ms = Some(millis),
                    _ => config.max_retry_delay_ms = Some(millis),
                },
                Read::Backoff(name) => config.backoff_strategy = Some(name),
                Read::Condition(name) => config.retry_condition = Some(name),
                Read::Codes(codes) => config.retry_error_codes = Some(codes),
            }
        }
        Ok(config)
    }

    /// An empty YAML document: the defaults, as an empty TOML file or JSON `{}` is.
    fn visit_none<E: de::Error>(self) -> Result<SettingsConfig, E> {
        Ok(SettingsConfig::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<SettingsConfig, E> {
        Err(raise(Document::wrong(Found::Null)))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<SettingsConfig, E> {
        Err(raise(Document::wrong(Found::Bool(value))))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<SettingsConfig, E> {
        Err(raise(Document::wrong(Found::whole(value.into()))))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<SettingsConfig, E> {
        Err(raise(Document::wrong(Found::whole(value.into()))))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<SettingsConfig, E> {
        Err(raise(Document::wrong(Found::Float(value))))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<SettingsConfig, E> {
        Err(raise(Document::wrong(Found::Text(text))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<SettingsConfig, A::Error> {
        Err(raise(Document::wrong(Found::List)))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<SettingsConfig, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<SettingsConfig, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Reads the settings, every value checked as it is read (see [`SettingsConfig`]).
impl<'de> Deserialize<'de> for SettingsConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Document)
    }
}

/// Writes the settings given, with the SDK's names.
impl Serialize for SettingsConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(on) = self.auto_retry {
            map.serialize_entry("auto_retry", &on)?;
        }
        if let Some(retries) = self.num_max_retries {
            map.serialize_entry("num_max_retries", &retries)?;
        }
        if let Some(millis) = self.min_retry_delay_ms {
            map.serialize_entry("min_retry_delay_ms", &millis)?;
        }
        if let Some(millis) = self.max_retry_delay_ms {
            map.serialize_entry("max_retry_delay_ms", &millis)?;
        }
        if let Some(name) = self.backoff_strategy {
            map.serialize_entry("backoff_strategy", name.as_str())?;
        }
        if let Some(name) = self.retry_condition {
            map.serialize_entry("retry_condition", name.as_str())?;
        }
        if let Some(codes) = &self.retry_error_codes {
            map.serialize_entry("retry_error_codes", codes)?;
        }
        map.end()
    }
}
