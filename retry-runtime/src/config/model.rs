//! The sections of a configuration, their serde form, and the checks each passes.
//!
//! Each section is read through a private mirror that keeps every setting as written (durations
//! as text), so that turning it into the public type can name the setting at fault in every
//! message, whichever format (or the environment) it came from.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::config::duration;
use crate::config::error::{ConfigError, Dotted, Names, all_of, one_of};

// ---- Stop ----

/// When to give up (`[stop]`). Each limit given ends the call when reached; together they end it
/// at the first one reached (`attempts(n) | elapsed(d) | deadline(d)`).
///
/// A `[stop]` section replaces the default stop (3 attempts) whole, as `stop = ...` does in the
/// attribute: `elapsed = "30s"` alone sets no limit on attempts. An empty `[stop]` is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "RawStop", into = "RawStop")]
#[non_exhaustive]
pub struct StopConfig {
    /// `attempts`: at most this many attempts, the first included ([`attempts`]). Not 0.
    ///
    /// [`attempts`]: crate::stop::attempts
    pub attempts: Option<u32>,
    /// `elapsed`: no attempt after this much time since the call started, measured at the end of
    /// the latest attempt ([`elapsed`](crate::stop::elapsed)).
    pub elapsed: Option<Duration>,
    /// `deadline`: no sleep that would end past this time since the call started
    /// ([`deadline`](crate::stop::deadline)).
    pub deadline: Option<Duration>,
}

impl StopConfig {
    pub(crate) fn check(&self, names: &dyn Names) -> Result<(), ConfigError> {
        if self.attempts.is_none() && self.elapsed.is_none() && self.deadline.is_none() {
            return Err(ConfigError::new(
                names.section("stop"),
                format!(
                    "`{}` sets nothing: give {}, {} or {}, or leave it out for the default of 3 attempts",
                    names.section("stop"),
                    code(&names.field("stop", "attempts")),
                    code(&names.field("stop", "elapsed")),
                    code(&names.field("stop", "deadline")),
                ),
            ));
        }
        if self.attempts == Some(0) {
            let field = names.field("stop", "attempts");
            return Err(ConfigError::new(
                &field,
                format!(
                    "`{field}` is 0, but the first attempt always happens: write 1 for a single attempt and no retry"
                ),
            ));
        }
        Ok(())
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStop {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attempts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) elapsed: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deadline: Option<Text>,
}

impl RawStop {
    pub(crate) fn into_config(self, names: &dyn Names) -> Result<StopConfig, ConfigError> {
        let config = StopConfig {
            attempts: self.attempts,
            elapsed: read_duration(names, "stop", "elapsed", self.elapsed)?,
            deadline: read_duration(names, "stop", "deadline", self.deadline)?,
        };
        config.check(names)?;
        Ok(config)
    }
}

impl TryFrom<RawStop> for StopConfig {
    type Error = ConfigError;
    fn try_from(raw: RawStop) -> Result<Self, ConfigError> {
        raw.into_config(&Dotted)
    }
}

impl From<StopConfig> for RawStop {
    fn from(config: StopConfig) -> Self {
        RawStop {
            attempts: config.attempts,
            elapsed: config.elapsed.map(Text::from),
            deadline: config.deadline.map(Text::from),
        }
    }
}

// ---- Wait ----

/// How long to sleep between attempts (`[wait]`).
///
/// `kind` picks the strategy and the other settings tune it; a setting left out takes the
/// strategy's own default, the same as in the attribute (`exponential` alone is
/// `exponential()`: 1 s doubling, no cap). Leaving out `kind` (or the whole section) means the
/// wait of a bare `#[retry]`: 100 ms doubling, capped at 10 s.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "RawWait", into = "RawWait")]
#[non_exhaustive]
pub struct WaitConfig {
    /// `kind` and its settings; `None` for the default wait.
    pub kind: Option<WaitKind>,
    /// `honor_retry_after`: wait what the server asked for when the error carries a hint
    /// ([`server_hint`](crate::wait::server_hint)), and `kind` otherwise. Needs a program that
    /// reads hints ([`Detailed`](crate::config::Detailed)).
    pub honor_retry_after: bool,
    /// `retry_after_max`: the longest hint honoured (default 5 minutes); a longer one ends the
    /// call. Only with `honor_retry_after = true`.
    pub retry_after_max: Option<Duration>,
}

/// A wait strategy and its settings: the `kind` of a `[wait]` section. Settings left `None`
/// take the strategy's default.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum WaitKind {
    /// `fixed`: the same wait after every attempt ([`fixed`](crate::wait::fixed)).
    Fixed {
        /// `wait` (required).
        wait: Duration,
    },
    /// `none`: no wait ([`none`](crate::wait::none)).
    None,
    /// `random`: drawn uniformly from `[min, max]` ([`random`](crate::wait::random)).
    Random {
        /// `min` (required).
        min: Duration,
        /// `max` (required), not below `min`.
        max: Duration,
    },
    /// `incrementing`: `start + increment·(n−1)`, capped
    /// ([`incrementing`](crate::wait::incrementing)).
    Incrementing {
        /// `start` (default 0).
        start: Option<Duration>,
        /// `increment` (default 100 ms).
        increment: Option<Duration>,
        /// `max` (default none), not below `start`.
        max: Option<Duration>,
    },
    /// `exponential`: `clamp(multiplier·base^(n−1), min, max)`
    /// ([`exponential`](crate::wait::exponential)); default max: none.
    Exponential(Curve),
    /// `random_exponential`: full jitter ([`random_exponential`](crate::wait::random_exponential));
    /// default max 60 s.
    RandomExponential(Curve),
    /// `exponential_jitter`: exponential plus up to `jitter`
    /// ([`exponential_jitter`](crate::wait::exponential_jitter)); default max 60 s.
    ExponentialJitter {
        /// `multiplier`, `base`, `min`, `max`.
        curve: Curve,
        /// `jitter` (default 1 s).
        jitter: Option<Duration>,
    },
    /// `decorrelated_jitter`: Brooker's ([`decorrelated_jitter`](crate::wait::decorrelated_jitter)).
    DecorrelatedJitter {
        /// `initial` (default 1 s), not above `max`.
        initial: Option<Duration>,
        /// `max` (default 60 s).
        max: Option<Duration>,
    },
}

/// The settings of an exponential curve, shared by `exponential`, `random_exponential` and
/// `exponential_jitter`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub struct Curve {
    /// `multiplier`: the first wait (default 1 s).
    pub multiplier: Option<Duration>,
    /// `base`: the growth factor (default 2), a finite number, 0 or more.
    pub base: Option<f64>,
    /// `min`: the shortest wait (default 0).
    pub min: Option<Duration>,
    /// `max`: the longest wait, not below `min`.
    pub max: Option<Duration>,
}

/// The kinds, each with the settings it takes, in the order messages list them.
const KINDS: &[(&str, &[&str])] = &[
    ("fixed", &["wait"]),
    ("none", &[]),
    ("random", &["min", "max"]),
    ("incrementing", &["start", "increment", "max"]),
    ("exponential", &["multiplier", "base", "min", "max"]),
    ("random_exponential", &["multiplier", "base", "min", "max"]),
    (
        "exponential_jitter",
        &["multiplier", "base", "min", "max", "jitter"],
    ),
    ("decorrelated_jitter", &["initial", "max"]),
];

/// The default `max` of the jittered exponential strategies and of `decorrelated_jitter`.
const JITTERED_MAX: Duration = Duration::from_secs(60);
/// The default `initial` of `decorrelated_jitter`.
const DECORRELATED_INITIAL: Duration = Duration::from_secs(1);

impl WaitKind {
    /// The name `kind` gives it.
    pub fn name(&self) -> &'static str {
        match self {
            WaitKind::Fixed { .. } => "fixed",
            WaitKind::None => "none",
            WaitKind::Random { .. } => "random",
            WaitKind::Incrementing { .. } => "incrementing",
            WaitKind::Exponential(_) => "exponential",
            WaitKind::RandomExponential(_) => "random_exponential",
            WaitKind::ExponentialJitter { .. } => "exponential_jitter",
            WaitKind::DecorrelatedJitter { .. } => "decorrelated_jitter",
        }
    }

    /// The accepted kinds, for messages: `` `fixed`, `none`, … or `decorrelated_jitter` ``.
    pub(crate) fn accepted() -> String {
        let names: Vec<&str> = KINDS.iter().map(|(name, _)| *name).collect();
        one_of(&names)
    }
}

impl WaitConfig {
    pub(crate) fn check(&self, names: &dyn Names) -> Result<(), ConfigError> {
        if self.retry_after_max.is_some() && !self.honor_retry_after {
            let field = names.field("wait", "retry_after_max");
            return Err(ConfigError::new(
                &field,
                format!(
                    "`{field}` is set but `{}` is not `true`: the cap applies only to the waits servers ask for",
                    names.field("wait", "honor_retry_after"),
                ),
            ));
        }
        let Some(kind) = &self.kind else {
            return Ok(());
        };
        let name = kind.name();
        let bad = |field: &str, message: String| Err(ConfigError::new(field, message));
        // `low` may not be above `high`; `high_default` names a default the setting falls back on.
        let ordered = |low: (&str, Option<Duration>),
                       high: (&str, Option<Duration>, Option<Duration>)|
         -> Result<(), ConfigError> {
            let (Some(low_value), (high_name, high_value, high_default)) = (low.1, high) else {
                return Ok(());
            };
            let low_field = names.field("wait", low.0);
            let high_field = names.field("wait", high_name);
            match (high_value, high_default) {
                (Some(high_value), _) if low_value > high_value => bad(
                    &low_field,
                    format!(
                        "`{low_field}` ({}) is above `{high_field}` ({})",
                        duration::format(low_value),
                        duration::format(high_value),
                    ),
                ),
                (None, Some(default)) if low_value > default => bad(
                    &low_field,
                    format!(
                        "`{low_field}` ({}) is above the `{high_name}` of `{name}` waits, {} by default: set `{high_field}` too",
                        duration::format(low_value),
                        duration::format(default),
                    ),
                ),
                _ => Ok(()),
            }
        };
        let curve = |curve: &Curve, default_max: Option<Duration>| -> Result<(), ConfigError> {
            if let Some(base) = curve.base
                && !(base.is_finite() && base >= 0.0)
            {
                let field = names.field("wait", "base");
                return bad(
                    &field,
                    format!("`{field}` is {base}; it must be a finite number, 0 or more"),
                );
            }
            ordered(("min", curve.min), ("max", curve.max, default_max))
        };
        match kind {
            WaitKind::Fixed { .. } | WaitKind::None => Ok(()),
            WaitKind::Random { min, max } => {
                ordered(("min", Some(*min)), ("max", Some(*max), None))
            }
            WaitKind::Incrementing { start, max, .. } => {
                ordered(("start", *start), ("max", *max, None))
            }
            WaitKind::Exponential(c) => curve(c, None),
            WaitKind::RandomExponential(c) => curve(c, Some(JITTERED_MAX)),
            WaitKind::ExponentialJitter { curve: c, .. } => curve(c, Some(JITTERED_MAX)),
            WaitKind::DecorrelatedJitter {
                initial: None,
                max: Some(max),
            } if *max < DECORRELATED_INITIAL => {
                let field = names.field("wait", "max");
                bad(
                    &field,
                    format!(
                        "`{field}` ({}) is below the `initial` of `{name}` waits, {} by default: set `{}` too",
                        duration::format(*max),
                        duration::format(DECORRELATED_INITIAL),
                        names.field("wait", "initial"),
                    ),
                )
            }
            WaitKind::DecorrelatedJitter { initial, max } => {
                ordered(("initial", *initial), ("max", *max, Some(JITTERED_MAX)))
            }
        }
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWait {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) wait: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) multiplier: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) base: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) min: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) start: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) increment: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) jitter: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) initial: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) honor_retry_after: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) retry_after_max: Option<Text>,
}

impl RawWait {
    pub(crate) fn into_config(self, names: &dyn Names) -> Result<WaitConfig, ConfigError> {
        let given: Vec<&str> = [
            ("wait", self.wait.is_some()),
            ("multiplier", self.multiplier.is_some()),
            ("base", self.base.is_some()),
            ("min", self.min.is_some()),
            ("max", self.max.is_some()),
            ("start", self.start.is_some()),
            ("increment", self.increment.is_some()),
            ("jitter", self.jitter.is_some()),
            ("initial", self.initial.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect();
        let field = |name: &str| names.field("wait", name);
        let durations =
            |name: &'static str, text: Option<Text>| read_duration(names, "wait", name, text);
        let honor_retry_after = self.honor_retry_after.unwrap_or(false);
        let retry_after_max = durations("retry_after_max", self.retry_after_max)?;

        let Some(kind) = self.kind else {
            if let Some(first) = given.first() {
                let field = field(first);
                return Err(ConfigError::new(
                    &field,
                    format!(
                        "`{field}` needs `{}`, the wait it belongs to: one of {}",
                        names.field("wait", "kind"),
                        WaitKind::accepted(),
                    ),
                ));
            }
            let config = WaitConfig {
                kind: None,
                honor_retry_after,
                retry_after_max,
            };
            config.check(names)?;
            return Ok(config);
        };
        let Some(&(name, takes)) = KINDS.iter().find(|(name, _)| *name == kind) else {
            let field = field("kind");
            // The same name in another case or with `-` or spaces for `_`.
            let normalized = kind.trim().to_ascii_lowercase().replace(['-', ' '], "_");
            let likely = KINDS
                .iter()
                .map(|(name, _)| *name)
                .find(|name| *name == normalized);
            let hint = match likely {
                Some(name) => format!("; did you mean `{name}`?"),
                None => String::new(),
            };
            return Err(ConfigError::new(
                &field,
                format!(
                    "`{field}` is `{kind}`, which is not a wait kind: expected one of {}{hint}",
                    WaitKind::accepted()
                ),
            ));
        };
        if let Some(stray) = given.iter().find(|setting| !takes.contains(setting)) {
            let stray = field(stray);
            let takes_text = if takes.is_empty() {
                "which take no setting".to_owned()
            } else {
                let fields: Vec<String> = takes.iter().map(|name| field(name)).collect();
                format!("which take {}", one_of(&fields))
            };
            return Err(ConfigError::new(
                &stray,
                format!("`{stray}` is not a setting of `{name}` waits, {takes_text}"),
            ));
        }
        let required = |setting: &'static str, value: Option<Duration>, what: &str| {
            value.ok_or_else(|| {
                let field = field(setting);
                ConfigError::new(&field, format!("`{name}` waits need `{field}`, {what}"))
            })
        };
        let curve = Curve {
            multiplier: durations("multiplier", self.multiplier)?,
            base: self.base,
            min: durations("min", self.min)?,
            max: durations("max", self.max)?,
        };
        let kind = match name {
            "fixed" => WaitKind::Fixed {
                wait: required(
                    "wait",
                    durations("wait", self.wait)?,
                    "the time to wait after each attempt",
                )?,
            },
            "none" => WaitKind::None,
            "random" => {
                let (Some(min), Some(max)) = (curve.min, curve.max) else {
                    let fields = [field("min"), field("max")];
                    return Err(ConfigError::new(
                        field(if curve.min.is_none() { "min" } else { "max" }),
                        format!(
                            "`{name}` waits need {}, the range each wait is drawn from",
                            all_of(&fields)
                        ),
                    ));
                };
                WaitKind::Random { min, max }
            }
            "incrementing" => WaitKind::Incrementing {
                start: durations("start", self.start)?,
                increment: durations("increment", self.increment)?,
                max: curve.max,
            },
            "exponential" => WaitKind::Exponential(curve),
            "random_exponential" => WaitKind::RandomExponential(curve),
            "exponential_jitter" => WaitKind::ExponentialJitter {
                curve,
                jitter: durations("jitter", self.jitter)?,
            },
            _ => WaitKind::DecorrelatedJitter {
                initial: durations("initial", self.initial)?,
                max: curve.max,
            },
        };
        let config = WaitConfig {
            kind: Some(kind),
            honor_retry_after,
            retry_after_max,
        };
        config.check(names)?;
        Ok(config)
    }
}

impl TryFrom<RawWait> for WaitConfig {
    type Error = ConfigError;
    fn try_from(raw: RawWait) -> Result<Self, ConfigError> {
        raw.into_config(&Dotted)
    }
}

impl From<WaitConfig> for RawWait {
    fn from(config: WaitConfig) -> Self {
        let mut raw = RawWait {
            honor_retry_after: config.honor_retry_after.then_some(true),
            retry_after_max: config.retry_after_max.map(Text::from),
            ..RawWait::default()
        };
        let Some(kind) = config.kind else {
            return raw;
        };
        raw.kind = Some(kind.name().to_owned());
        let text = |value: Option<Duration>| value.map(Text::from);
        let curve = |curve: Curve, raw: &mut RawWait| {
            raw.multiplier = text(curve.multiplier);
            raw.base = curve.base;
            raw.min = text(curve.min);
            raw.max = text(curve.max);
        };
        match kind {
            WaitKind::Fixed { wait } => raw.wait = Some(wait.into()),
            WaitKind::None => {}
            WaitKind::Random { min, max } => {
                raw.min = Some(min.into());
                raw.max = Some(max.into());
            }
            WaitKind::Incrementing {
                start,
                increment,
                max,
            } => {
                raw.start = text(start);
                raw.increment = text(increment);
                raw.max = text(max);
            }
            WaitKind::Exponential(c) | WaitKind::RandomExponential(c) => curve(c, &mut raw),
            WaitKind::ExponentialJitter { curve: c, jitter } => {
                curve(c, &mut raw);
                raw.jitter = text(jitter);
            }
            WaitKind::DecorrelatedJitter { initial, max } => {
                raw.initial = text(initial);
                raw.max = text(max);
            }
        }
        raw
    }
}

// ---- Retry ----

/// Which errors to retry (`[retry]`). Without it, or with neither list, every error is retried
/// (the default of a bare `#[retry]`); with both, an error matching either is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "RawRetry", into = "RawRetry")]
#[non_exhaustive]
pub struct RetryConfig {
    /// `codes`: retry only the errors whose [`ErrorCode`](crate::condition::ErrorCode) is one
    /// of these. Needs a program that reads codes ([`Detailed`](crate::config::Detailed)).
    pub codes: Option<Vec<String>>,
    /// `statuses`: retry only the errors whose HTTP status is one of these (100 to 599). Needs
    /// the `http` feature and a program that reads statuses (`Http`).
    pub statuses: Option<Vec<u16>>,
}

impl RetryConfig {
    pub(crate) fn check(&self, names: &dyn Names) -> Result<(), ConfigError> {
        let empty = |field: String, what: &str| {
            Err(ConfigError::new(
                &field,
                format!(
                    "`{field}` is empty: list at least one {what}, or leave it out to retry every error"
                ),
            ))
        };
        if let Some(codes) = &self.codes {
            let field = names.field("retry", "codes");
            if codes.is_empty() {
                return empty(field, "code");
            }
            if codes.iter().any(|code| code.trim().is_empty()) {
                return Err(ConfigError::new(
                    &field,
                    format!(
                        "`{field}` lists an empty code; codes are names such as `InternalError`"
                    ),
                ));
            }
        }
        if let Some(statuses) = &self.statuses {
            let field = names.field("retry", "statuses");
            if statuses.is_empty() {
                return empty(field, "status");
            }
            if let Some(bad) = statuses
                .iter()
                .find(|status| !(100..=599).contains(*status))
            {
                return Err(ConfigError::new(
                    &field,
                    format!("`{field}` lists {bad}, which is not an HTTP status (100 to 599)"),
                ));
            }
        }
        Ok(())
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRetry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) codes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) statuses: Option<Vec<u16>>,
}

impl RawRetry {
    pub(crate) fn into_config(self, names: &dyn Names) -> Result<RetryConfig, ConfigError> {
        let config = RetryConfig {
            codes: self.codes,
            statuses: self.statuses,
        };
        config.check(names)?;
        Ok(config)
    }
}

impl TryFrom<RawRetry> for RetryConfig {
    type Error = ConfigError;
    fn try_from(raw: RawRetry) -> Result<Self, ConfigError> {
        raw.into_config(&Dotted)
    }
}

impl From<RetryConfig> for RawRetry {
    fn from(config: RetryConfig) -> Self {
        RawRetry {
            codes: config.codes,
            statuses: config.statuses,
        }
    }
}

// ---- Durations as text ----

/// A duration as written: parsed when its section is checked, so the message can name it.
pub(crate) struct Text(pub(crate) String);

impl From<Duration> for Text {
    fn from(duration: Duration) -> Self {
        Text(duration::format(duration))
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    "a duration in a string: a number followed by {}, such as \"250ms\" or \"1.5s\"",
                    duration::UNIT_LIST
                )
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Text, E> {
                Ok(Text(text.to_owned()))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

fn read_duration(
    names: &dyn Names,
    section: &str,
    field: &str,
    text: Option<Text>,
) -> Result<Option<Duration>, ConfigError> {
    let Some(Text(text)) = text else {
        return Ok(None);
    };
    duration::parse(&text).map(Some).map_err(|reason| {
        let field = names.field(section, field);
        ConfigError::new(
            &field,
            format!("invalid duration `{text}` for `{field}`: {reason}"),
        )
    })
}

/// `` `name` ``.
fn code(name: &str) -> String {
    format!("`{name}`")
}
