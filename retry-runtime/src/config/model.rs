//! The sections of a configuration, how they are written back, and the checks each passes.
//!
//! Reading is in `read`: it checks each value as it arrives, with the checks here, so that the
//! format places an error at the value at fault.

use std::time::Duration;

use serde::{Serialize, Serializer};

use crate::config::duration;
use crate::config::error::{ConfigError, Names, all_of, one_of};

// ---- Stop ----

/// When to give up (`[stop]`). Each limit given ends the call when reached; together they end it
/// at the first one reached (`attempts(n) | elapsed(d) | deadline(d)`).
///
/// A `[stop]` section replaces the default stop (3 attempts) whole, as `stop = ...` does in the
/// attribute: `elapsed = "30s"` alone sets no limit on attempts. An empty `[stop]` is an error.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::config::{PolicyConfig, StopConfig};
///
/// // Built in code: a limit on time only.
/// let mut stop = StopConfig::default();
/// stop.elapsed = Some(Duration::from_secs(30));
/// let mut config = PolicyConfig::default();
/// config.stop = Some(stop);
///
/// let stop = config.validate()?.stop::<(), ()>();
/// assert!(!stop.should_stop(&RetryState::new(50).with_elapsed(Duration::from_secs(29))));
/// # Ok::<(), persevere::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(into = "RawStop")]
#[non_exhaustive]
pub struct StopConfig {
    /// `attempts`: at most this many attempts, the first included ([`attempts`]). Not 0, and
    /// not with `retries`.
    ///
    /// [`attempts`]: crate::stop::attempts
    pub attempts: Option<u32>,
    /// `retries`: at most this many retries after the first call ([`retries`]), so `n + 1`
    /// attempts; 0 for a single attempt. Not with `attempts`.
    ///
    /// [`retries`]: crate::stop::retries
    pub retries: Option<u32>,
    /// `elapsed`: no attempt after this much time since the call started, measured at the end of
    /// the latest attempt ([`elapsed`](crate::stop::elapsed)).
    pub elapsed: Option<Duration>,
    /// `deadline`: no sleep that would end past this time since the call started
    /// ([`deadline`](crate::stop::deadline)).
    pub deadline: Option<Duration>,
}

impl StopConfig {
    /// Every check: the values' own ([`check_values`](Self::check_values)), and that the
    /// section sets something.
    pub(crate) fn check(&self, names: &dyn Names) -> Result<(), ConfigError> {
        if self.attempts.is_none()
            && self.retries.is_none()
            && self.elapsed.is_none()
            && self.deadline.is_none()
        {
            let fields = ["attempts", "retries", "elapsed", "deadline"]
                .map(|field| names.field("stop", field));
            return Err(ConfigError::new(
                names.section("stop"),
                format!(
                    "`{}` sets nothing: give {}, or leave it out for the default of 3 attempts",
                    names.section("stop"),
                    one_of(&fields),
                ),
            ));
        }
        self.check_values(names)
    }

    /// The checks that can be made as soon as the settings involved are read.
    pub(crate) fn check_values(&self, names: &dyn Names) -> Result<(), ConfigError> {
        if self.attempts == Some(0) {
            let field = names.field("stop", "attempts");
            return Err(ConfigError::new(
                &field,
                format!(
                    "`{field}` is 0, but the first attempt always happens: write 1 for a single attempt and no retry"
                ),
            ));
        }
        if self.attempts.is_some() && self.retries.is_some() {
            let attempts = names.field("stop", "attempts");
            let retries = names.field("stop", "retries");
            return Err(ConfigError::new(
                &retries,
                format!(
                    "`{attempts}` and `{retries}` both limit the number of attempts; keep one (n retries are n + 1 attempts)"
                ),
            ));
        }
        Ok(())
    }
}

/// How a `[stop]` is written back.
#[derive(Serialize)]
pub(crate) struct RawStop {
    #[serde(skip_serializing_if = "Option::is_none")]
    attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    elapsed: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<Text>,
}

impl From<StopConfig> for RawStop {
    fn from(config: StopConfig) -> Self {
        RawStop {
            attempts: config.attempts,
            retries: config.retries,
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
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::config::{PolicyConfig, WaitKind};
///
/// let config: PolicyConfig = serde_json::from_str(r#"{
///     "wait": { "kind": "random", "min": "1s", "max": "3s", "honor_retry_after": true }
/// }"#)?;
/// let wait = config.wait.unwrap();
/// assert!(wait.honor_retry_after);
/// assert_eq!(wait.kind, Some(WaitKind::Random { min: Duration::from_secs(1), max: Duration::from_secs(3) }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(into = "RawWait")]
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
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::config::{PolicyConfig, WaitConfig, WaitKind};
///
/// // `kind = "incrementing"` with `increment = "1s"`, in code.
/// let mut wait = WaitConfig::default();
/// wait.kind = Some(WaitKind::Incrementing { start: None, increment: Some(Duration::from_secs(1)), max: None });
/// let mut config = PolicyConfig::default();
/// config.wait = Some(wait);
///
/// let wait = config.validate()?.wait::<(), ()>();
/// assert_eq!(wait.next_wait(&RetryState::new(3)), Duration::from_secs(2)); // start 0, then +1 s each
/// # Ok::<(), persevere::config::ConfigError>(())
/// ```
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
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::config::{PolicyConfig, WaitKind};
///
/// let config: PolicyConfig = serde_json::from_str(r#"{
///     "wait": { "kind": "exponential_jitter", "multiplier": "100ms", "max": "5s" }
/// }"#)?;
/// let Some(WaitKind::ExponentialJitter { curve, jitter }) = config.wait.unwrap().kind else { panic!() };
/// assert_eq!(curve.multiplier, Some(Duration::from_millis(100)));
/// assert_eq!(curve.base, None); // the strategy's own: 2
/// assert_eq!(jitter, None); // the strategy's own: 1 s
/// # Ok::<(), serde_json::Error>(())
/// ```
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
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::{Curve, WaitKind};
    ///
    /// assert_eq!(WaitKind::None.name(), "none");
    /// assert_eq!(WaitKind::RandomExponential(Curve::default()).name(), "random_exponential");
    /// ```
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

    /// The kind `text` names, or an error naming `wait.kind` and the kinds, with a guess at the
    /// one meant.
    pub(crate) fn named(names: &dyn Names, text: &str) -> Result<&'static str, ConfigError> {
        if let Some((name, _)) = KINDS.iter().find(|(name, _)| *name == text) {
            return Ok(name);
        }
        let field = names.field("wait", "kind");
        // The same name in another case or with `-` or spaces for `_`, or a typo.
        let normalized = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let kinds: Vec<&str> = KINDS.iter().map(|(name, _)| *name).collect();
        let hint = match closest(&normalized, &kinds) {
            Some(name) => format!("; did you mean `{name}`?"),
            None => String::new(),
        };
        Err(ConfigError::new(
            &field,
            format!(
                "`{field}` is `{text}`, which is not a wait kind: expected one of {}{hint}",
                WaitKind::accepted()
            ),
        ))
    }
}

/// The settings the kind `name` takes.
fn takes(name: &str) -> &'static [&'static str] {
    KINDS
        .iter()
        .find(|(kind, _)| *kind == name)
        .map_or(&[], |(_, takes)| takes)
}

/// `` `wait.min` (4s) is above `wait.max` (1s) ``.
fn above(names: &dyn Names, low: (&str, Duration), high: (&str, Duration)) -> ConfigError {
    let low_field = names.field("wait", low.0);
    ConfigError::new(
        &low_field,
        format!(
            "`{low_field}` ({}) is above `{}` ({})",
            duration::format(low.1),
            names.field("wait", high.0),
            duration::format(high.1),
        ),
    )
}

/// `wait.base` unless it is a finite number, 0 or more.
pub(crate) fn check_base(names: &dyn Names, base: f64) -> Result<(), ConfigError> {
    if base.is_finite() && base >= 0.0 {
        return Ok(());
    }
    let field = names.field("wait", "base");
    Err(ConfigError::new(
        &field,
        format!("`{field}` is {base}; it must be a finite number, 0 or more"),
    ))
}

/// `retry_after_max` without `honor_retry_after = true`.
fn cap_without_hints(names: &dyn Names) -> ConfigError {
    let field = names.field("wait", "retry_after_max");
    ConfigError::new(
        &field,
        format!(
            "`{field}` is set but `{}` is not `true`: the cap applies only to the waits servers ask for",
            names.field("wait", "honor_retry_after"),
        ),
    )
}

/// A setting the kind `name` does not take.
fn stray(names: &dyn Names, name: &str, stray: &str) -> ConfigError {
    let field = |setting: &str| names.field("wait", setting);
    let takes = takes(name);
    let stray = field(stray);
    let takes_text = if takes.is_empty() {
        "which take no setting".to_owned()
    } else {
        let fields: Vec<String> = takes.iter().map(|name| field(name)).collect();
        format!("which take {}", one_of(&fields))
    };
    ConfigError::new(
        &stray,
        format!("`{stray}` is not a setting of `{name}` waits, {takes_text}"),
    )
}

impl WaitConfig {
    pub(crate) fn check(&self, names: &dyn Names) -> Result<(), ConfigError> {
        if self.retry_after_max.is_some() && !self.honor_retry_after {
            return Err(cap_without_hints(names));
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
                (Some(high_value), _) if low_value > high_value => {
                    Err(above(names, (low.0, low_value), (high_name, high_value)))
                }
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
            if let Some(base) = curve.base {
                check_base(names, base)?;
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

/// A `[wait]` section as read so far: each setting as it arrives, so that a check can fail at
/// the value that breaks it ([`check_so_far`](Self::check_so_far)), and the whole section once
/// read ([`finish`](Self::finish)).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WaitDraft {
    pub(crate) kind: Option<&'static str>,
    pub(crate) wait: Option<Duration>,
    pub(crate) multiplier: Option<Duration>,
    pub(crate) base: Option<f64>,
    pub(crate) min: Option<Duration>,
    pub(crate) max: Option<Duration>,
    pub(crate) start: Option<Duration>,
    pub(crate) increment: Option<Duration>,
    pub(crate) jitter: Option<Duration>,
    pub(crate) initial: Option<Duration>,
    pub(crate) honor_retry_after: Option<bool>,
    pub(crate) retry_after_max: Option<Duration>,
}

impl WaitDraft {
    /// The duration setting `name`, to fill in.
    pub(crate) fn duration(&mut self, name: &str) -> Option<&mut Option<Duration>> {
        Some(match name {
            "wait" => &mut self.wait,
            "multiplier" => &mut self.multiplier,
            "min" => &mut self.min,
            "max" => &mut self.max,
            "start" => &mut self.start,
            "increment" => &mut self.increment,
            "jitter" => &mut self.jitter,
            "initial" => &mut self.initial,
            "retry_after_max" => &mut self.retry_after_max,
            _ => return None,
        })
    }

    /// The settings of a kind that are given, in the order of `KINDS`.
    fn given(&self) -> impl Iterator<Item = &'static str> {
        [
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
    }

    /// The checks that what has been read can already fail: a setting the kind does not take,
    /// a low bound above its high bound, a cap on hints that are not honoured. Made after each
    /// value, so the format points at the value that broke one.
    pub(crate) fn check_so_far(&self, names: &dyn Names) -> Result<(), ConfigError> {
        if self.retry_after_max.is_some() && self.honor_retry_after == Some(false) {
            return Err(cap_without_hints(names));
        }
        let Some(name) = self.kind else {
            return Ok(());
        };
        if let Some(setting) = self.given().find(|setting| !takes(name).contains(setting)) {
            return Err(stray(names, name, setting));
        }
        let low = match name {
            "fixed" | "none" => return Ok(()),
            "incrementing" => ("start", self.start),
            "decorrelated_jitter" => ("initial", self.initial),
            _ => ("min", self.min),
        };
        match (low, self.max) {
            ((low_name, Some(low)), Some(max)) if low > max => {
                Err(above(names, (low_name, low), ("max", max)))
            }
            _ => Ok(()),
        }
    }

    /// The section, once every setting is read: the kind with its settings, checked whole.
    pub(crate) fn finish(self, names: &dyn Names) -> Result<WaitConfig, ConfigError> {
        self.check_so_far(names)?;
        let field = |name: &str| names.field("wait", name);
        let honor_retry_after = self.honor_retry_after.unwrap_or(false);
        let retry_after_max = self.retry_after_max;

        let Some(name) = self.kind else {
            if let Some(first) = self.given().next() {
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
        let curve = Curve {
            multiplier: self.multiplier,
            base: self.base,
            min: self.min,
            max: self.max,
        };
        let kind = match name {
            "fixed" => WaitKind::Fixed {
                wait: self.wait.ok_or_else(|| {
                    let field = field("wait");
                    ConfigError::new(
                        &field,
                        format!(
                            "`{name}` waits need `{field}`, the time to wait after each attempt"
                        ),
                    )
                })?,
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
                start: self.start,
                increment: self.increment,
                max: curve.max,
            },
            "exponential" => WaitKind::Exponential(curve),
            "random_exponential" => WaitKind::RandomExponential(curve),
            "exponential_jitter" => WaitKind::ExponentialJitter {
                curve,
                jitter: self.jitter,
            },
            _ => WaitKind::DecorrelatedJitter {
                initial: self.initial,
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

/// How a `[wait]` is written back.
#[derive(Default, Serialize)]
pub(crate) struct RawWait {
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wait: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    multiplier: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    increment: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jitter: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    initial: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    honor_retry_after: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after_max: Option<Text>,
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
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::PolicyConfig;
///
/// let config: PolicyConfig = serde_json::from_str(r#"{ "retry": { "codes": ["Throttling", "InternalError"] } }"#)?;
/// let retry = config.retry.unwrap();
/// assert_eq!(retry.codes.as_deref(), Some(&["Throttling".to_string(), "InternalError".to_string()][..]));
/// assert_eq!(retry.statuses, None);
///
/// // An empty list is an error, never "retry nothing".
/// let empty = serde_json::from_str::<PolicyConfig>(r#"{ "retry": { "codes": [] } }"#);
/// assert!(empty.is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(into = "RawRetry")]
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
        if let Some(codes) = &self.codes {
            check_list(names, "codes", codes.len())?;
            for code in codes {
                check_code(names, code)?;
            }
        }
        if let Some(statuses) = &self.statuses {
            check_list(names, "statuses", statuses.len())?;
            for status in statuses {
                check_status(names, u64::from(*status))?;
            }
        }
        Ok(())
    }
}

/// `retry.codes` or `retry.statuses` (`list`) unless it has `len` items, at least one.
pub(crate) fn check_list(names: &dyn Names, list: &str, len: usize) -> Result<(), ConfigError> {
    if len > 0 {
        return Ok(());
    }
    let field = names.field("retry", list);
    let what = if list == "codes" { "code" } else { "status" };
    Err(ConfigError::new(
        &field,
        format!(
            "`{field}` is empty: list at least one {what}, or leave it out to retry every error"
        ),
    ))
}

/// An item of `retry.codes`, unless it is blank.
pub(crate) fn check_code(names: &dyn Names, code: &str) -> Result<(), ConfigError> {
    if !code.trim().is_empty() {
        return Ok(());
    }
    let field = names.field("retry", "codes");
    Err(ConfigError::new(
        &field,
        format!("`{field}` lists an empty code; codes are names such as `InternalError`"),
    ))
}

/// An item of `retry.statuses`, unless it is an HTTP status (100 to 599).
pub(crate) fn check_status(names: &dyn Names, status: u64) -> Result<u16, ConfigError> {
    if let Ok(status) = u16::try_from(status)
        && (100..=599).contains(&status)
    {
        return Ok(status);
    }
    let field = names.field("retry", "statuses");
    Err(ConfigError::new(
        &field,
        format!("`{field}` lists {status}, which is not an HTTP status (100 to 599)"),
    ))
}

/// How a `[retry]` is written back.
#[derive(Serialize)]
pub(crate) struct RawRetry {
    #[serde(skip_serializing_if = "Option::is_none")]
    codes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    statuses: Option<Vec<u16>>,
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

/// A duration as written back: in its largest exact unit.
pub(crate) struct Text(String);

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

/// The one of `candidates` that `text` most likely meant: equal but for case, `-` and `_`, or
/// within two typos of it (and of no other as close).
pub(crate) fn closest<'a>(text: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let squash = |s: &str| s.to_ascii_lowercase().replace(['-', '_', ' '], "");
    if let Some(same) = candidates.iter().find(|c| squash(c) == squash(text)) {
        return Some(same);
    }
    let mut best: Option<(usize, &str)> = None;
    let mut tied = false;
    for candidate in candidates {
        let distance = edit_distance(&text.to_ascii_lowercase(), candidate);
        if distance > 2 || distance * 3 > candidate.len() {
            continue;
        }
        match best {
            Some((shortest, _)) if distance > shortest => {}
            Some((shortest, _)) if distance == shortest => tied = true,
            _ => {
                best = Some((distance, candidate));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, candidate)| candidate)
}

/// The number of single-character edits (insertions, deletions, substitutions, swaps of
/// neighbours) from `a` to `b`. Inputs are setting names, a few dozen characters at most (a
/// longer text is far from every name, and is cut short so it costs no more).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().collect();
    // Rows `i - 2`, `i - 1` and `i` of the distances between prefixes.
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j - 1] + cost)
                .min(previous[j] + 1)
                .min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_only_close_names() {
        let fields = ["attempts", "retries", "elapsed", "deadline"];
        assert_eq!(closest("atempts", &fields), Some("attempts"));
        assert_eq!(closest("Attempts", &fields), Some("attempts"));
        assert_eq!(closest("retires", &fields), Some("retries"));
        assert_eq!(closest("timeout", &fields), None);
        assert_eq!(closest("", &fields), None);
        assert_eq!(closest("wiat", &["wait", "max"]), Some("wait"));
        // Short names are never guessed from a far spelling, and a tie guesses nothing.
        assert_eq!(closest("mux", &["min", "max"]), Some("max"));
        assert_eq!(closest("mux", &["min"]), None);
        assert_eq!(closest("cat", &["bat", "hat"]), None);
        assert_eq!(
            closest("honor-retry-after", &["honor_retry_after"]),
            Some("honor_retry_after")
        );
        assert_eq!(closest(&"x".repeat(10_000), &fields), None);
        assert_eq!(edit_distance("abc", "acb"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
