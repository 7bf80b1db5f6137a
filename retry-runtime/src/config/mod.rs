//! Policies from configuration, so operators tune retries without recompiling (the `serde`
//! feature).
//!
//! A [`PolicyConfig`] describes a policy in any serde format, or in environment variables
//! ([`PolicyConfig::from_env`]):
//!
//! ```toml
//! [stop]                  # when to give up; any limit given ends the call
//! attempts = 5            # at most 5 attempts, the first included (or `retries`, below)
//! elapsed = "30s"         # no retry once an attempt ends past 30 s (tenacity's stop_after_delay)
//! deadline = "1m"         # no sleep that would end past 1 min (stop_before_delay)
//!
//! [wait]                  # how long to sleep between attempts
//! kind = "exponential"    # and the settings that kind takes, below
//! multiplier = "100ms"
//! max = "10s"
//! honor_retry_after = true    # wait what the server asks for, when it asks (needs `Detailed`)
//! retry_after_max = "5m"      # a longer ask ends the call
//!
//! [retry]                 # which errors to retry (every error when left out)
//! codes = ["InternalError", "RequestLimitExceeded"]   # by ErrorCode (needs `Detailed`)
//! statuses = [429, 503]                               # by HTTP status (needs `http` and `Http`)
//! ```
//!
//! **Defaults.** Every section is optional, and a section left out means what a bare `#[retry]`
//! does: at most 3 attempts; waits of 100 ms doubling, capped at 10 s; every error retried. So
//! an empty file is the default policy. A section given replaces that default whole, as a key of
//! the attribute does: `[stop] elapsed = "30s"` sets no limit on attempts, and `kind =
//! "exponential"` alone is `exponential()` (1 s doubling, no cap).
//!
//! **Attempts or retries.** `attempts = n` counts every call, the first included
//! ([`attempts`](crate::stop::attempts)); `retries = n` counts the calls after the first
//! ([`retries`](crate::stop::retries)), as SDKs' `max_retries` settings do: `retries = 3` is
//! `attempts = 4`, and `retries = 0` is a single attempt. Give one or the other: both is an
//! error naming both.
//!
//! **Waits.** `kind` is one of these, with the settings it takes (any left out takes the
//! strategy's default, as in the attribute):
//!
//! | `kind` | settings | strategy |
//! |---|---|---|
//! | `fixed` | `wait` (required) | [`fixed`](crate::wait::fixed) |
//! | `none` | — | [`none`](crate::wait::none) |
//! | `random` | `min`, `max` (both required) | [`random`](crate::wait::random) |
//! | `incrementing` | `start`, `increment`, `max` | [`incrementing`](crate::wait::incrementing) |
//! | `exponential` | `multiplier`, `base`, `min`, `max` | [`exponential`](crate::wait::exponential) |
//! | `random_exponential` | `multiplier`, `base`, `min`, `max` | [`random_exponential`](crate::wait::random_exponential) |
//! | `exponential_jitter` | `multiplier`, `base`, `min`, `max`, `jitter` | [`exponential_jitter`](crate::wait::exponential_jitter) |
//! | `decorrelated_jitter` | `initial`, `max` | [`decorrelated_jitter`](crate::wait::decorrelated_jitter) |
//!
//! Every kind also takes `honor_retry_after` and `retry_after_max`. Durations are strings with
//! the units of the attribute's literals: `"250ms"`, `"4s"`, `"1.5s"`, `"2m"`, `"1h"`,
//! `"100us"`, `"10ns"`; `base` is a number.
//!
//! **Null is not "leave it out".** A setting or section that is present must have a value:
//! YAML's `codes:` or `stop: ~`, JSON's `"codes": null`, are errors naming the setting
//! (`` `retry.codes` is null; give a list of error codes, …, or leave the setting out ``), never
//! the default. So is a document that is null or not a table (JSON `null` or `[]`, YAML `~` or
//! `---` alone). A YAML file with nothing in it at all (or only comments) is the default policy,
//! as an empty TOML file or a JSON `{}` is.
//!
//! **Errors, never guesses.** An unknown section or setting (with a guess at the one meant), a
//! value of the wrong type, a `kind` not in the list, a setting the kind does not take, a
//! duration without a unit, `attempts = 0`, `attempts` with `retries`, a `min` above its `max`,
//! an empty `codes` list: each is an error naming the setting and what it accepts, never a panic
//! and never a silent default.
//!
//! **Where.** Each value is checked while the format reads it, so the format's error points at
//! the value at fault: TOML shows its line, column and span (`TOML parse error at line 3,
//! column 12`), YAML its line and column (after the path: `stop.attempts: … at line 3 column
//! 13`), JSON the line and column just past the value (`… at line 4 column 19`). A check
//! between two settings (`min` above `max`, a setting the `kind` does not take, `attempts` with
//! `retries`) fails at the one read second, and names both. JSON and YAML read a section's
//! settings in the file's order; the `toml` crate reads them in alphabetical order unless its
//! `preserve_order` feature is on, so with `jitter` given to a `kind = "fixed"` wait, TOML
//! points at `kind` (read after `jitter`), while the message names `jitter`. What only the
//! whole section can tell (a required setting left out, a setting without `kind`, a `[stop]`
//! that sets nothing) is placed at the section. From the environment, the message names the variable, as does
//! [`ConfigError::field`].
//!
//! **Using it.** [`PolicyConfig::validate`] (or [`validate_for`](PolicyConfig::validate_for),
//! to let the configuration read codes, server hints or HTTP statuses from errors; see
//! [`Reader`]) gives a [`ValidPolicy`], whose [`stop`](ValidPolicy::stop),
//! [`wait`](ValidPolicy::wait), [`condition`](ValidPolicy::condition) and
//! [`policy`](ValidPolicy::policy) cannot fail, so they serve in `Policy::call`,
//! `Policy::call_async` and the attribute alike: `#[retry(stop = CONFIG.stop(), wait =
//! CONFIG.wait())]` (see [`ValidPolicy`] for a complete example).
//!
//! A file is read with its format's crate (`let config: PolicyConfig =
//! toml::from_str(&text)?`); the environment with [`PolicyConfig::from_env`], or
//! [`from_vars`](PolicyConfig::from_vars) for variables kept elsewhere:
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::Duration;
//! use persevere::config::PolicyConfig;
//!
//! let vars = [("APP_STOP_ATTEMPTS", "5"), ("APP_WAIT_KIND", "fixed"), ("APP_WAIT_WAIT", "2s")];
//! let config = PolicyConfig::from_vars("APP", vars)?;
//! assert_eq!(config.stop.unwrap().attempts, Some(5));
//!
//! let policy = config.validate()?;
//! let schedule = policy.policy::<(), ()>().schedule(10);
//! assert_eq!(schedule.waits, [Duration::from_secs(2); 4]);
//! # Ok::<(), persevere::config::ConfigError>(())
//! ```

mod build;
mod duration;
mod env;
mod error;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod handler;
mod model;
mod read;
mod sdk;

pub use build::{
    BoxCondition, BoxStop, BoxWait, ConfiguredPolicy, Detailed, Opaque, Reader, ValidPolicy,
};
#[cfg(feature = "http")]
pub use build::{Http, Responses};
pub use error::ConfigError;
pub use model::{Curve, RetryConfig, StopConfig, WaitConfig, WaitKind};
pub use sdk::{BackoffName, ConditionName, SettingsConfig};

use serde::Serialize;

use crate::config::error::Names;

/// A retry policy as configuration: `[stop]`, `[wait]` and `[retry]`, each optional (see the
/// [module documentation](self) for the format and the defaults).
///
/// Deserialize it from a self-describing serde format such as TOML, YAML or JSON (it refuses
/// unknown settings, nulls and values of the wrong type, and checks every value while reading,
/// so the format's error points at it), or read it from the environment with
/// [`from_env`](Self::from_env); serialize it to write a configuration back (durations in their
/// largest exact unit). Turn it into strategies with [`validate`](Self::validate).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::config::PolicyConfig;
///
/// // The YAML an operator wrote.
/// let yaml = "
/// stop:
///   attempts: 5
/// wait:
///   kind: exponential
///   multiplier: 250ms
///   max: 4s
/// ";
/// let config: PolicyConfig = serde_norway::from_str(yaml)?;
/// let schedule = config.clone().validate()?.policy::<(), ()>().schedule(10);
/// assert_eq!(schedule.waits, [250, 500, 1000, 2000].map(Duration::from_millis));
///
/// // Written back, as JSON here.
/// let json = serde_json::to_string(&config)?;
/// assert_eq!(json, r#"{"stop":{"attempts":5},"wait":{"kind":"exponential","multiplier":"250ms","max":"4s"}}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct PolicyConfig {
    /// `[stop]`; `None` for 3 attempts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<StopConfig>,
    /// `[wait]`; `None` for 100 ms doubling, capped at 10 s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait: Option<WaitConfig>,
    /// `[retry]`; `None` to retry every error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryConfig>,
}

impl PolicyConfig {
    /// Runs each section's checks (those a deserialized configuration has passed already).
    fn check(&self, names: &dyn Names) -> Result<(), ConfigError> {
        if let Some(stop) = &self.stop {
            stop.check(names)?;
        }
        if let Some(wait) = &self.wait {
            wait.check(names)?;
        }
        if let Some(retry) = &self.retry {
            retry.check(names)?;
        }
        Ok(())
    }
}
