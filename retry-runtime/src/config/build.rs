//! A checked configuration and the strategies it builds: [`ValidPolicy`].

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::Policy;
use crate::RetryState;
use crate::condition::{AnyError, CodeSet, Condition, ErrorCode, error_codes};
use crate::config::error::{ConfigError, Dotted};
use crate::config::{PolicyConfig, WaitKind};
use crate::hint::ServerHint;
use crate::policy::{DEFAULT_STOP, DEFAULT_WAIT};
use crate::stop::{
    Attempts, Deadline, Elapsed, Retries, Stop, attempts, deadline, elapsed, retries,
};
use crate::wait::{
    DecorrelatedJitter, Exponential, ExponentialJitter, Fixed, Incrementing, Random,
    RandomExponential, Wait, decorrelated_jitter, exponential, exponential_jitter, fixed,
    incrementing, none, random, random_exponential, server_hint,
};

/// A boxed stop strategy, as [`ValidPolicy::stop`] returns it (see its example).
///
/// A strategy of your own boxes into it too, to stand in for the configured one:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::RetryState;
/// use persevere::config::BoxStop;
/// use persevere::stop::{attempts, never};
///
/// let patient = false;
/// let stop: BoxStop<(), ()> = if patient { Box::new(never()) } else { Box::new(attempts(2)) };
/// assert!(stop.should_stop(&RetryState::new(2)));
/// ```
pub type BoxStop<T, E> = Box<dyn Stop<T, E> + Send + Sync>;
/// A boxed wait strategy, as [`ValidPolicy::wait`] returns it (see its example).
///
/// A strategy of your own boxes into it too, to stand in for the configured one:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::RetryState;
/// use persevere::config::BoxWait;
/// use persevere::wait::fixed;
///
/// let wait: BoxWait<(), ()> = Box::new(fixed(Duration::from_secs(2)));
/// assert_eq!(wait.next_wait(&RetryState::new(1)), Duration::from_secs(2));
/// ```
pub type BoxWait<T, E> = Box<dyn Wait<T, E> + Send + Sync>;
/// A boxed condition, as [`ValidPolicy::condition`] returns it (see its example).
///
/// A condition of your own boxes into it too, to stand in for the configured one:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::message_contains;
/// use persevere::config::BoxCondition;
///
/// let condition: BoxCondition<(), &str> = Box::new(message_contains("busy"));
/// assert!(condition.should_retry(&Err("server busy")));
/// assert!(!condition.should_retry(&Err("not found")));
/// ```
pub type BoxCondition<T, E> = Box<dyn Condition<T, E> + Send + Sync>;
/// The policy a configuration describes, as [`ValidPolicy::policy`] returns it: its stop, wait
/// and condition, with no hooks and the default sleeper (set them with the `Policy` setters).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::{ConfiguredPolicy, PolicyConfig};
///
/// /// A client whose retries operators tune.
/// struct Client {
///     retries: ConfiguredPolicy<String, std::io::Error>,
/// }
///
/// let config: PolicyConfig = serde_json::from_str(r#"{ "stop": { "attempts": 2 }, "wait": { "kind": "none" } }"#)?;
/// let client = Client { retries: config.validate()?.policy() };
/// let mut calls = 0;
/// let _ = client.retries.call(|| { calls += 1; Err(std::io::Error::other("unreachable")) });
/// assert_eq!(calls, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type ConfiguredPolicy<T, E> = Policy<BoxStop<T, E>, BoxWait<T, E>, BoxCondition<T, E>>;

/// What a program reads from its errors, and so which settings its configuration may use. Chosen
/// with [`PolicyConfig::validate_for`]; sealed.
///
/// | reader | may use | the error type needs |
/// |---|---|---|
/// | [`Opaque`] (the default) | `stop`, `wait` | nothing |
/// | [`Detailed`] | also `retry.codes`, `wait.honor_retry_after` | [`ErrorCode`] (for `condition`), [`ServerHint`] (for `wait`) |
/// | `Http` (`http` feature) | also `retry.statuses` | as `Detailed`, and `HttpStatus` (for `condition`) |
///
/// A setting the reader cannot honour is refused when the configuration is validated, never
/// ignored: an operator who adds `honor_retry_after = true` for a program that cannot see hints
/// learns it at start-up.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::{Detailed, Opaque, PolicyConfig};
///
/// let config: PolicyConfig = serde_json::from_str(r#"{ "retry": { "codes": ["Throttling"] } }"#)?;
/// assert!(config.clone().validate_for::<Opaque>().is_err()); // this program reads no codes
/// assert!(config.validate_for::<Detailed>().is_ok());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub trait Reader: sealed::Sealed {}

mod sealed {
    /// What a reader can read, for validation.
    pub trait Sealed {
        /// `ValidPolicy<...>`, for messages.
        const NAME: &'static str;
        const CODES: bool;
        const HINTS: bool;
        const STATUSES: bool;
    }
}

/// Reads nothing from errors: the configuration may set `stop` and `wait` (without
/// `honor_retry_after`), and every error is retried. Works with any error type. See [`Reader`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::{Opaque, PolicyConfig, ValidPolicy};
///
/// let config: PolicyConfig = serde_json::from_str(r#"{ "wait": { "honor_retry_after": true } }"#)?;
/// let refused = config.validate_for::<Opaque>().unwrap_err();
/// assert!(refused.to_string().contains("honor_retry_after"));
///
/// let fine: ValidPolicy<Opaque> = PolicyConfig::default().validate_for()?;
/// # let _ = fine;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opaque {}

/// Reads error codes ([`ErrorCode`], for `retry.codes`) and server hints ([`ServerHint`], for
/// `wait.honor_retry_after`). See [`Reader`].
///
/// ```
/// # use persevere_runtime as persevere;
/// # use std::time::Duration;
/// # use persevere::condition::ErrorCode;
/// # use persevere::hint::ServerHint;
/// # #[derive(Debug, PartialEq)]
/// # struct ApiError { code: &'static str, retry_after: Option<Duration> }
/// # impl ErrorCode for ApiError {
/// #     fn error_code(&self) -> Option<&str> { Some(self.code) }
/// # }
/// # impl ServerHint for ApiError {
/// #     fn retry_after(&self) -> Option<Duration> { self.retry_after }
/// # }
/// use persevere::config::{Detailed, PolicyConfig};
///
/// let config: PolicyConfig = serde_json::from_str(r#"{
///     "stop": { "attempts": 3 },
///     "wait": { "kind": "fixed", "wait": "10ms", "honor_retry_after": true },
///     "retry": { "codes": ["Throttling"] }
/// }"#)?;
/// let policy = config.validate_for::<Detailed>()?.policy();
/// # let policy = policy.sleeper(|_| {});
/// let mut calls = 0;
/// let outcome = policy.call(|| {
///     calls += 1;
///     Err::<(), _>(ApiError { code: "AccessDenied", retry_after: None })
/// });
/// assert_eq!(calls, 1); // not a code the configuration lists
/// # let _ = outcome;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detailed {}

/// Reads error codes, server hints and HTTP statuses (`HttpStatus`, for `retry.statuses`). See
/// [`Reader`].
///
/// ```
/// # use persevere_runtime as persevere;
/// # use std::time::Duration;
/// # use http::StatusCode;
/// # use persevere::condition::ErrorCode;
/// # use persevere::hint::ServerHint;
/// # use persevere::http::HttpStatus;
/// # #[derive(Debug, PartialEq)]
/// # struct ApiError { status: u16, code: &'static str }
/// # impl ErrorCode for ApiError {
/// #     fn error_code(&self) -> Option<&str> { Some(self.code) }
/// # }
/// # impl ServerHint for ApiError {
/// #     fn retry_after(&self) -> Option<Duration> { None }
/// # }
/// # impl HttpStatus for ApiError {
/// #     fn http_status(&self) -> Option<StatusCode> { StatusCode::from_u16(self.status).ok() }
/// # }
/// use persevere::condition::Condition;
/// use persevere::config::{Http, PolicyConfig};
///
/// let config: PolicyConfig = serde_json::from_str(r#"{ "retry": { "statuses": [429, 503] } }"#)?;
/// let condition = config.validate_for::<Http>()?.condition();
/// assert!(condition.should_retry(&Err::<(), _>(ApiError { status: 503, code: "Unavailable" })));
/// assert!(!condition.should_retry(&Err::<(), _>(ApiError { status: 400, code: "BadRequest" })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "http")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Http {}

/// Reads HTTP statuses (`HttpStatus`, for `retry.statuses`) and server hints, not error codes:
/// for errors that carry a response's status and headers and nothing more, such as
/// `persevere::reqwest::HttpError`, `persevere::tower::Failure` and `http::Response`. A
/// configuration that lists `retry.codes` is refused when it is validated. See [`Reader`].
///
/// ```
/// # use persevere_runtime as persevere;
/// # use std::time::Duration;
/// # use http::StatusCode;
/// # use persevere::hint::ServerHint;
/// # use persevere::http::HttpStatus;
/// # #[derive(Debug, PartialEq)]
/// # struct ApiError { status: u16 }
/// # impl ServerHint for ApiError {
/// #     fn retry_after(&self) -> Option<Duration> { None }
/// # }
/// # impl HttpStatus for ApiError {
/// #     fn http_status(&self) -> Option<StatusCode> { StatusCode::from_u16(self.status).ok() }
/// # }
/// use persevere::condition::Condition;
/// use persevere::config::{PolicyConfig, Responses};
///
/// // `ApiError` has a status and hints, and no error code.
/// let config: PolicyConfig = serde_json::from_str(r#"{ "retry": { "statuses": [429, 503] } }"#)?;
/// let condition = config.validate_for::<Responses>()?.condition();
/// assert!(condition.should_retry(&Err::<(), _>(ApiError { status: 503 })));
/// assert!(!condition.should_retry(&Err::<(), _>(ApiError { status: 404 })));
///
/// let codes: PolicyConfig = serde_json::from_str(r#"{ "retry": { "codes": ["SlowDown"] } }"#)?;
/// assert!(codes.validate_for::<Responses>().is_err()); // no error code to read them from
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "http")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responses {}

impl Reader for Opaque {}
impl sealed::Sealed for Opaque {
    const NAME: &'static str = "ValidPolicy<Opaque>";
    const CODES: bool = false;
    const HINTS: bool = false;
    const STATUSES: bool = false;
}

impl Reader for Detailed {}
impl sealed::Sealed for Detailed {
    const NAME: &'static str = "ValidPolicy<Detailed>";
    const CODES: bool = true;
    const HINTS: bool = true;
    const STATUSES: bool = false;
}

#[cfg(feature = "http")]
impl Reader for Http {}
#[cfg(feature = "http")]
impl sealed::Sealed for Http {
    const NAME: &'static str = "ValidPolicy<Http>";
    const CODES: bool = true;
    const HINTS: bool = true;
    const STATUSES: bool = true;
}

#[cfg(feature = "http")]
impl Reader for Responses {}
#[cfg(feature = "http")]
impl sealed::Sealed for Responses {
    const NAME: &'static str = "ValidPolicy<Responses>";
    const CODES: bool = false;
    const HINTS: bool = true;
    const STATUSES: bool = true;
}

/// A configuration that has been checked, ready to build strategies: the getters cannot fail, so
/// they serve as values in the `#[retry]` attribute. Made by [`PolicyConfig::validate`] (reading
/// nothing from errors) or [`PolicyConfig::validate_for`] (choosing a [`Reader`]).
///
/// Each getter builds a boxed strategy for the function's `Result<T, E>` (inferred): a small
/// allocation each time it is called. In the attribute, values are evaluated at each decision
/// after a failed attempt, never on the happy path, except `retry_if = CONFIG.condition()`: a
/// boxed condition may retry `Ok` values as far as its type says, so it is consulted (and built)
/// after every attempt. Leave `retry_if` out when the configuration lists no codes or statuses.
///
/// ```standalone_crate
/// # extern crate persevere_runtime as persevere;
/// use std::sync::LazyLock;
/// use persevere::config::{PolicyConfig, ValidPolicy};
/// use persevere::retry;
/// use persevere::sleep::RecordingSleeper;
///
/// // Read once, at first use, from `MYAPP_RETRY_STOP_ATTEMPTS`, `MYAPP_RETRY_WAIT_KIND`, …; a
/// // bad configuration stops the program with a message naming the variable.
/// static CONFIG: LazyLock<ValidPolicy> = LazyLock::new(|| {
///     PolicyConfig::from_env("MYAPP_RETRY")
///         .and_then(PolicyConfig::validate)
///         .unwrap_or_else(|error| panic!("retry configuration: {error}"))
/// });
///
/// #[retry(stop = CONFIG.stop(), wait = CONFIG.wait(), sleep = sleeper.clone())]
/// fn fetch(sleeper: &RecordingSleeper, calls: &mut u32) -> Result<u32, String> {
///     *calls += 1;
///     Err(format!("attempt {calls} failed"))
/// }
///
/// // With none of the variables set, the policy is that of a bare `#[retry]`.
/// let (sleeper, mut calls) = (RecordingSleeper::new(), 0);
/// assert_eq!(fetch(&sleeper, &mut calls), Err("attempt 3 failed".to_owned()));
/// let millis: Vec<u128> = sleeper.sleeps().iter().map(|d| d.as_millis()).collect();
/// assert_eq!(millis, [100, 200]);
///
/// // The same configuration as a `Policy`, for closures.
/// let sleeper = RecordingSleeper::new();
/// let outcome = CONFIG.policy().sleeper(sleeper.clone()).call(|| Err::<(), _>("down"));
/// assert_eq!((outcome, sleeper.sleeps().len()), (Err("down"), 2));
/// ```
#[derive(Debug, Clone)]
pub struct ValidPolicy<R = Opaque> {
    config: PolicyConfig,
    stop: ConfiguredStop,
    wait: Shape,
    /// `Some(max)` when honouring server hints, `max` being `retry_after_max` if set.
    hints: Option<Option<Duration>>,
    codes: Option<Codes>,
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    statuses: Option<Arc<[u16]>>,
    reader: PhantomData<fn() -> R>,
}

impl PolicyConfig {
    /// Checks the configuration for a program that reads nothing from its errors
    /// ([`Opaque`]): it may set `stop` and `wait`, and every error is retried. Settings that
    /// need more (`retry.codes`, `retry.statuses`, `wait.honor_retry_after`) are errors here;
    /// see [`validate_for`](Self::validate_for).
    ///
    /// A configuration read from a file or the environment has already passed the checks on
    /// its own values; one built in code is checked here.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::PolicyConfig;
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{ "stop": { "attempts": 4 } }"#)?;
    /// let schedule = config.validate()?.policy::<(), ()>().schedule(10);
    /// assert_eq!(schedule.waits.len(), 3); // 4 attempts, 3 waits
    ///
    /// // Codes need a program that reads them: see `validate_for`.
    /// let codes: PolicyConfig = serde_json::from_str(r#"{ "retry": { "codes": ["Throttling"] } }"#)?;
    /// assert!(codes.validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(self) -> Result<ValidPolicy, ConfigError> {
        self.validate_for::<Opaque>()
    }

    /// Checks the configuration for a program that reads from its errors what `R` reads (see
    /// [`Reader`]): `config.validate_for::<Detailed>()`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use std::time::Duration;
    /// # use persevere::condition::ErrorCode;
    /// # use persevere::hint::ServerHint;
    /// # #[derive(Debug, PartialEq)]
    /// # struct ApiError { code: &'static str, retry_after: Option<Duration> }
    /// # impl ErrorCode for ApiError {
    /// #     fn error_code(&self) -> Option<&str> { Some(self.code) }
    /// # }
    /// # impl ServerHint for ApiError {
    /// #     fn retry_after(&self) -> Option<Duration> { self.retry_after }
    /// # }
    /// use persevere::condition::Condition;
    /// use persevere::config::{Detailed, PolicyConfig};
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{ "retry": { "codes": ["Throttling"] } }"#)?;
    /// let valid = config.validate_for::<Detailed>()?;
    /// let throttled: Result<(), _> = Err(ApiError { code: "Throttling", retry_after: None });
    /// assert!(valid.condition().should_retry(&throttled));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate_for<R: Reader>(self) -> Result<ValidPolicy<R>, ConfigError> {
        self.check(&Dotted)?;
        let retry = self.retry.clone().unwrap_or_default();
        let wait = self.wait.unwrap_or_default();
        let refuse = |field: &str, needs: &str, reader: &str, the_trait: &str| {
            Err(ConfigError::new(
                field,
                format!(
                    "`{field}` needs a program that reads {needs} from its errors, and this one does not: it validates its configuration as `{}`; `{reader}` reads them from errors implementing `{the_trait}`",
                    R::NAME,
                ),
            ))
        };
        if retry.codes.is_some() && !R::CODES {
            return refuse("retry.codes", "error codes", "Detailed", "ErrorCode");
        }
        if wait.honor_retry_after && !R::HINTS {
            return refuse(
                "wait.honor_retry_after",
                "server hints",
                "Detailed",
                "ServerHint",
            );
        }
        if retry.statuses.is_some() {
            if cfg!(not(feature = "http")) {
                return Err(ConfigError::new(
                    "retry.statuses",
                    "`retry.statuses` needs persevere's `http` feature, which this build leaves out",
                ));
            }
            if !R::STATUSES {
                return refuse("retry.statuses", "HTTP statuses", "Http", "HttpStatus");
            }
        }
        let stop = match self.stop {
            None => ConfiguredStop {
                attempts: Some(DEFAULT_STOP),
                retries: None,
                elapsed: None,
                deadline: None,
            },
            Some(stop) => ConfiguredStop {
                attempts: stop.attempts.map(attempts),
                retries: stop.retries.map(retries),
                elapsed: stop.elapsed.map(elapsed),
                deadline: stop.deadline.map(deadline),
            },
        };
        Ok(ValidPolicy {
            stop,
            wait: wait
                .kind
                .map_or(Shape::Exponential(DEFAULT_WAIT), Shape::new),
            hints: wait.honor_retry_after.then_some(wait.retry_after_max),
            codes: retry.codes.map(|codes| Codes(codes.into())),
            statuses: retry.statuses.map(Arc::from),
            config: self,
            reader: PhantomData,
        })
    }

    /// The policy this configuration describes, for a program that reads nothing from its
    /// errors: [`validate`](Self::validate) then [`ValidPolicy::policy`].
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::PolicyConfig;
    /// use persevere::sleep::RecordingSleeper;
    ///
    /// let config: PolicyConfig = PolicyConfig::from_vars("APP", [("APP_STOP_ATTEMPTS", "2")])?;
    /// let sleeper = RecordingSleeper::new();
    /// let outcome = config.policy()?.sleeper(sleeper.clone()).call(|| Err::<(), _>("down"));
    /// assert_eq!(outcome, Err("down"));
    /// assert_eq!(sleeper.sleeps().len(), 1);
    /// # Ok::<(), persevere::config::ConfigError>(())
    /// ```
    pub fn policy<T, E>(&self) -> Result<ConfiguredPolicy<T, E>, ConfigError> {
        Ok(self.clone().validate()?.policy())
    }
}

impl<R> ValidPolicy<R> {
    /// The configuration this was made from.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::PolicyConfig;
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{ "stop": { "retries": 2 } }"#)?;
    /// let valid = config.clone().validate()?;
    /// assert_eq!(valid.config(), &config); // e.g. to log what is in force
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn config(&self) -> &PolicyConfig {
        &self.config
    }

    /// The stop strategy: each limit set (`attempts` or `retries`, `elapsed`, `deadline`), any
    /// of them ending the call; 3 attempts when the configuration has no `[stop]`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::config::PolicyConfig;
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{ "stop": { "attempts": 10, "elapsed": "30s" } }"#)?;
    /// let stop = config.validate()?.stop::<(), ()>();
    /// assert!(!stop.should_stop(&RetryState::new(2).with_elapsed(Duration::from_secs(5))));
    /// assert!(stop.should_stop(&RetryState::new(2).with_elapsed(Duration::from_secs(30))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stop<T, E>(&self) -> BoxStop<T, E> {
        Box::new(self.stop)
    }

    fn plain_wait<T, E>(&self) -> BoxWait<T, E> {
        Box::new(self.wait)
    }

    fn hinted_wait<T, E: ServerHint>(&self) -> BoxWait<T, E> {
        let Some(max) = self.hints else {
            return self.plain_wait();
        };
        let hinted = server_hint().fallback(self.wait);
        match max {
            Some(max) => Box::new(hinted.max(max)),
            None => Box::new(hinted),
        }
    }
}

impl ValidPolicy<Opaque> {
    /// The wait strategy; the wait of a bare `#[retry]` (100 ms doubling, capped at 10 s) when
    /// the configuration sets no `kind`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::RetryState;
    /// use persevere::config::PolicyConfig;
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{ "wait": { "kind": "incrementing", "start": "1s", "increment": "500ms" } }"#)?;
    /// let wait = config.validate()?.wait::<(), ()>();
    /// assert_eq!(wait.next_wait(&RetryState::new(3)), Duration::from_secs(2));
    ///
    /// let default = PolicyConfig::default().validate()?.wait::<(), ()>();
    /// assert_eq!(default.next_wait(&RetryState::new(1)), Duration::from_millis(100));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait<T, E>(&self) -> BoxWait<T, E> {
        self.plain_wait()
    }

    /// Which outcomes to retry: every error ([`any_error`](crate::condition::any_error)), since
    /// this reader lets the configuration list no codes or statuses.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::PolicyConfig;
    ///
    /// let condition = PolicyConfig::default().validate()?.condition::<u8, &str>();
    /// assert!(condition.should_retry(&Err("down")));
    /// assert!(!condition.should_retry(&Ok(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn condition<T, E>(&self) -> BoxCondition<T, E> {
        Box::new(AnyError)
    }

    /// The whole policy: `Policy::new().stop(self.stop()).wait(self.wait()).retry_if(self.condition())`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::config::PolicyConfig;
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{
    ///     "stop": { "attempts": 3 },
    ///     "wait": { "kind": "exponential", "multiplier": "200ms" }
    /// }"#)?;
    /// let schedule = config.validate()?.policy::<(), ()>().schedule(10);
    /// assert_eq!(schedule.waits, [Duration::from_millis(200), Duration::from_millis(400)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy<T, E>(&self) -> ConfiguredPolicy<T, E> {
        Policy::new()
            .stop(self.stop())
            .wait(self.wait())
            .retry_if(self.condition())
    }
}

impl ValidPolicy<Detailed> {
    /// The wait strategy, honouring server hints ([`server_hint`]) when the configuration says
    /// `honor_retry_after = true`, with the configured wait (or the default) as its fallback.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use std::time::Duration;
    /// # use persevere::condition::ErrorCode;
    /// # use persevere::hint::ServerHint;
    /// # #[derive(Debug, PartialEq)]
    /// # struct ApiError { code: &'static str, retry_after: Option<Duration> }
    /// # impl ErrorCode for ApiError {
    /// #     fn error_code(&self) -> Option<&str> { Some(self.code) }
    /// # }
    /// # impl ServerHint for ApiError {
    /// #     fn retry_after(&self) -> Option<Duration> { self.retry_after }
    /// # }
    /// use persevere::RetryState;
    /// use persevere::config::{Detailed, PolicyConfig};
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{
    ///     "wait": { "kind": "fixed", "wait": "1s", "honor_retry_after": true, "retry_after_max": "1m" }
    /// }"#)?;
    /// let wait = config.validate_for::<Detailed>()?.wait::<(), ApiError>();
    /// let hinted = Err(ApiError { code: "Throttling", retry_after: Some(Duration::from_secs(20)) });
    /// let slept = wait.next_wait(&RetryState::new(1).with_outcome(&hinted));
    /// assert!(slept >= Duration::from_secs(20)); // the server's 20 s, and a little jitter
    /// let silent = Err(ApiError { code: "Throttling", retry_after: None });
    /// assert_eq!(wait.next_wait(&RetryState::new(1).with_outcome(&silent)), Duration::from_secs(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait<T, E: ServerHint>(&self) -> BoxWait<T, E> {
        self.hinted_wait()
    }

    /// Which outcomes to retry: the errors whose code is in `retry.codes`
    /// ([`error_codes`]), or every error when it is not set.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use std::time::Duration;
    /// # use persevere::condition::ErrorCode;
    /// # use persevere::hint::ServerHint;
    /// # #[derive(Debug, PartialEq)]
    /// # struct ApiError { code: &'static str, retry_after: Option<Duration> }
    /// # impl ErrorCode for ApiError {
    /// #     fn error_code(&self) -> Option<&str> { Some(self.code) }
    /// # }
    /// # impl ServerHint for ApiError {
    /// #     fn retry_after(&self) -> Option<Duration> { self.retry_after }
    /// # }
    /// use persevere::config::{Detailed, PolicyConfig};
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{ "retry": { "codes": ["InternalError"] } }"#)?;
    /// let condition = config.validate_for::<Detailed>()?.condition::<(), ApiError>();
    /// assert!(condition.should_retry(&Err(ApiError { code: "InternalError", retry_after: None })));
    /// assert!(!condition.should_retry(&Err(ApiError { code: "AccessDenied", retry_after: None })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn condition<T, E: ErrorCode>(&self) -> BoxCondition<T, E> {
        match &self.codes {
            Some(codes) => Box::new(error_codes(codes.clone())),
            None => Box::new(AnyError),
        }
    }

    /// The whole policy: `Policy::new().stop(self.stop()).wait(self.wait()).retry_if(self.condition())`.
    ///
    /// See [`Detailed`] for an example.
    pub fn policy<T, E: ErrorCode + ServerHint>(&self) -> ConfiguredPolicy<T, E> {
        Policy::new()
            .stop(self.stop())
            .wait(self.wait())
            .retry_if(self.condition())
    }
}

#[cfg(feature = "http")]
impl ValidPolicy<Http> {
    /// The wait strategy, honouring server hints as [`ValidPolicy<Detailed>::wait`] does.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use std::time::Duration;
    /// # use http::StatusCode;
    /// # use persevere::condition::ErrorCode;
    /// # use persevere::hint::ServerHint;
    /// # use persevere::http::HttpStatus;
    /// # #[derive(Debug, PartialEq)]
    /// # struct ApiError { status: u16, code: &'static str }
    /// # impl ErrorCode for ApiError {
    /// #     fn error_code(&self) -> Option<&str> { Some(self.code) }
    /// # }
    /// # impl ServerHint for ApiError {
    /// #     fn retry_after(&self) -> Option<Duration> { None }
    /// # }
    /// # impl HttpStatus for ApiError {
    /// #     fn http_status(&self) -> Option<StatusCode> { StatusCode::from_u16(self.status).ok() }
    /// # }
    /// use persevere::RetryState;
    /// use persevere::config::{Http, PolicyConfig};
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{ "wait": { "kind": "fixed", "wait": "250ms" } }"#)?;
    /// let wait = config.validate_for::<Http>()?.wait::<(), ApiError>();
    /// assert_eq!(wait.next_wait(&RetryState::new(4)), Duration::from_millis(250));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait<T, E: ServerHint>(&self) -> BoxWait<T, E> {
        self.hinted_wait()
    }

    /// Which outcomes to retry: the errors whose code is in `retry.codes` or whose status is in
    /// `retry.statuses` ([`crate::http::statuses`]), or every error when neither is set.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use std::time::Duration;
    /// # use http::StatusCode;
    /// # use persevere::condition::ErrorCode;
    /// # use persevere::hint::ServerHint;
    /// # use persevere::http::HttpStatus;
    /// # #[derive(Debug, PartialEq)]
    /// # struct ApiError { status: u16, code: &'static str }
    /// # impl ErrorCode for ApiError {
    /// #     fn error_code(&self) -> Option<&str> { Some(self.code) }
    /// # }
    /// # impl ServerHint for ApiError {
    /// #     fn retry_after(&self) -> Option<Duration> { None }
    /// # }
    /// # impl HttpStatus for ApiError {
    /// #     fn http_status(&self) -> Option<StatusCode> { StatusCode::from_u16(self.status).ok() }
    /// # }
    /// use persevere::config::{Http, PolicyConfig};
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{ "retry": { "codes": ["SlowDown"], "statuses": [503] } }"#)?;
    /// let condition = config.validate_for::<Http>()?.condition::<(), ApiError>();
    /// assert!(condition.should_retry(&Err(ApiError { status: 503, code: "Unavailable" })));
    /// assert!(condition.should_retry(&Err(ApiError { status: 400, code: "SlowDown" })));
    /// assert!(!condition.should_retry(&Err(ApiError { status: 400, code: "BadRequest" })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn condition<T, E: ErrorCode + crate::http::HttpStatus>(&self) -> BoxCondition<T, E> {
        let statuses = self
            .statuses
            .clone()
            .map(|statuses| crate::http::statuses(StatusList(statuses)));
        match (&self.codes, statuses) {
            (Some(codes), Some(statuses)) => Box::new(error_codes(codes.clone()) | statuses),
            (Some(codes), None) => Box::new(error_codes(codes.clone())),
            (None, Some(statuses)) => Box::new(statuses),
            (None, None) => Box::new(AnyError),
        }
    }

    /// The whole policy: `Policy::new().stop(self.stop()).wait(self.wait()).retry_if(self.condition())`.
    ///
    /// See [`Http`] for an example of its condition, and [`Detailed`] for a whole policy.
    pub fn policy<T, E>(&self) -> ConfiguredPolicy<T, E>
    where
        E: ErrorCode + ServerHint + crate::http::HttpStatus,
    {
        Policy::new()
            .stop(self.stop())
            .wait(self.wait())
            .retry_if(self.condition())
    }
}

#[cfg(feature = "http")]
impl ValidPolicy<Responses> {
    /// The wait strategy, honouring server hints as [`ValidPolicy<Detailed>::wait`] does: for an
    /// `http::Response`, its `Retry-After` header.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use http::Response;
    /// use persevere::RetryState;
    /// use persevere::config::{PolicyConfig, Responses};
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{
    ///     "wait": { "kind": "fixed", "wait": "1s", "honor_retry_after": true, "retry_after_max": "1m" }
    /// }"#)?;
    /// let wait = config.validate_for::<Responses>()?.wait::<(), Response<()>>();
    /// let busy = |header: Option<&str>| {
    ///     let mut response = Response::builder().status(503);
    ///     if let Some(seconds) = header {
    ///         response = response.header("retry-after", seconds);
    ///     }
    ///     Err(response.body(()).unwrap())
    /// };
    /// let hinted = wait.next_wait(&RetryState::new(1).with_outcome(&busy(Some("20"))));
    /// assert!(hinted >= Duration::from_secs(20)); // the server's 20 s, and a little jitter
    /// let silent = wait.next_wait(&RetryState::new(1).with_outcome(&busy(None)));
    /// assert_eq!(silent, Duration::from_secs(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait<T, E: ServerHint>(&self) -> BoxWait<T, E> {
        self.hinted_wait()
    }

    /// Which outcomes to retry: the errors whose status is in `retry.statuses`
    /// ([`crate::http::statuses`]), or every error when it is not set. See [`Responses`] for an
    /// example.
    pub fn condition<T, E: crate::http::HttpStatus>(&self) -> BoxCondition<T, E> {
        match self.statuses.clone() {
            Some(statuses) => Box::new(crate::http::statuses(StatusList(statuses))),
            None => Box::new(AnyError),
        }
    }

    /// The whole policy: `Policy::new().stop(self.stop()).wait(self.wait()).retry_if(self.condition())`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use http::Response;
    /// use persevere::Ending;
    /// use persevere::config::{PolicyConfig, Responses};
    /// use persevere::sleep::RecordingSleeper;
    ///
    /// let config: PolicyConfig = serde_json::from_str(r#"{
    ///     "stop": { "attempts": 4 },
    ///     "wait": { "kind": "fixed", "wait": "1s", "honor_retry_after": true },
    ///     "retry": { "statuses": [503] }
    /// }"#)?;
    /// let sleeper = RecordingSleeper::new();
    /// let policy = config.validate_for::<Responses>()?.policy().sleeper(sleeper.clone());
    ///
    /// // A 503 asking for 5 s, a 503 asking nothing, then a 404, which is not retried.
    /// let mut answers = [(503, Some("5")), (503, None), (404, None)].into_iter();
    /// let (outcome, report) = policy.call_reported(|| {
    ///     let (status, retry_after) = answers.next().unwrap();
    ///     let mut response = Response::builder().status(status);
    ///     if let Some(seconds) = retry_after {
    ///         response = response.header("retry-after", seconds);
    ///     }
    ///     Err::<(), _>(response.body(()).unwrap())
    /// });
    /// assert_eq!(outcome.unwrap_err().status(), 404);
    /// assert_eq!((report.attempts(), report.ending()), (3, Ending::NotRetryable));
    /// let sleeps = sleeper.sleeps();
    /// assert!(sleeps[0] >= Duration::from_secs(5)); // the server's hint
    /// assert_eq!(sleeps[1], Duration::from_secs(1)); // the configured wait
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy<T, E>(&self) -> ConfiguredPolicy<T, E>
    where
        E: ServerHint + crate::http::HttpStatus,
    {
        Policy::new()
            .stop(self.stop())
            .wait(self.wait())
            .retry_if(self.condition())
    }
}

// ---- The strategies behind the boxes ----
//
// None of these types mentions `T` or `E`, so a box of one is `'static` whatever the function's
// types are.

/// The configured stop: each limit set, any of them ending the call.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ConfiguredStop {
    attempts: Option<Attempts>,
    retries: Option<Retries>,
    elapsed: Option<Elapsed>,
    deadline: Option<Deadline>,
}

impl<T, E> Stop<T, E> for ConfiguredStop {
    fn should_stop(&self, state: &RetryState<'_, T, E>) -> bool {
        self.attempts.is_some_and(|s| s.should_stop(state))
            || self.retries.is_some_and(|s| s.should_stop(state))
            || self.elapsed.is_some_and(|s| s.should_stop(state))
            || self.deadline.is_some_and(|s| s.should_stop(state))
    }
    /// The reason of the first limit that stops, in the order `should_stop` asks them.
    fn stop_reason(&self, state: &RetryState<'_, T, E>) -> Option<crate::Ending> {
        self.attempts
            .and_then(|s| s.stop_reason(state))
            .or_else(|| self.retries.and_then(|s| s.stop_reason(state)))
            .or_else(|| self.elapsed.and_then(|s| s.stop_reason(state)))
            .or_else(|| self.deadline.and_then(|s| s.stop_reason(state)))
    }
    fn deadline(&self) -> Option<Duration> {
        self.deadline.and_then(|s| Stop::<T, E>::deadline(&s))
    }
    /// The fewer of the count limits set: either stops the call.
    fn attempt_limit(&self) -> Option<u32> {
        let attempts = self.attempts.and_then(|s| Stop::<T, E>::attempt_limit(&s));
        let retries = self.retries.and_then(|s| Stop::<T, E>::attempt_limit(&s));
        match (attempts, retries) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The configured wait, one of the runtime's strategies.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Fixed(Fixed),
    Random(Random),
    Incrementing(Incrementing),
    Exponential(Exponential),
    RandomExponential(RandomExponential),
    ExponentialJitter(ExponentialJitter),
    DecorrelatedJitter(DecorrelatedJitter),
}

/// Applies each setting that is `Some` to a builder.
macro_rules! settings {
    ($builder:expr, $($setting:ident = $value:expr),* $(,)?) => {{
        let mut builder = $builder;
        $(if let Some(value) = $value {
            builder = builder.$setting(value);
        })*
        builder
    }};
}

impl Shape {
    fn new(kind: WaitKind) -> Shape {
        match kind {
            WaitKind::Fixed { wait } => Shape::Fixed(fixed(wait)),
            WaitKind::None => Shape::Fixed(none()),
            WaitKind::Random { min, max } => Shape::Random(random(min, max)),
            WaitKind::Incrementing {
                start,
                increment,
                max,
            } => Shape::Incrementing(settings!(
                incrementing(),
                start = start,
                increment = increment,
                max = max
            )),
            WaitKind::Exponential(c) => Shape::Exponential(settings!(
                exponential(),
                multiplier = c.multiplier,
                base = c.base,
                min = c.min,
                max = c.max
            )),
            WaitKind::RandomExponential(c) => Shape::RandomExponential(settings!(
                random_exponential(),
                multiplier = c.multiplier,
                base = c.base,
                min = c.min,
                max = c.max
            )),
            WaitKind::ExponentialJitter { curve: c, jitter } => {
                Shape::ExponentialJitter(settings!(
                    exponential_jitter(),
                    multiplier = c.multiplier,
                    base = c.base,
                    min = c.min,
                    max = c.max,
                    jitter = jitter
                ))
            }
            WaitKind::DecorrelatedJitter { initial, max } => Shape::DecorrelatedJitter(settings!(
                decorrelated_jitter(),
                initial = initial,
                max = max
            )),
        }
    }
}

impl<T, E> Wait<T, E> for Shape {
    fn next_wait(&self, state: &RetryState<'_, T, E>) -> Duration {
        match self {
            Shape::Fixed(w) => w.next_wait(state),
            Shape::Random(w) => w.next_wait(state),
            Shape::Incrementing(w) => w.next_wait(state),
            Shape::Exponential(w) => w.next_wait(state),
            Shape::RandomExponential(w) => w.next_wait(state),
            Shape::ExponentialJitter(w) => w.next_wait(state),
            Shape::DecorrelatedJitter(w) => w.next_wait(state),
        }
    }
    fn memory_slots(&self) -> usize {
        match self {
            Shape::DecorrelatedJitter(w) => Wait::<T, E>::memory_slots(w),
            _ => 0,
        }
    }
    fn needs_clock() -> bool {
        false
    }
}

/// `retry.codes`, shared between the conditions built from it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Codes(Arc<[String]>);

impl CodeSet for Codes {
    fn has(&self, code: &str) -> bool {
        self.0.has(code)
    }
}

/// `retry.statuses`, shared between the conditions built from it.
#[cfg(feature = "http")]
#[derive(Debug, Clone, PartialEq, Eq)]
struct StatusList(Arc<[u16]>);

#[cfg(feature = "http")]
impl crate::http::StatusSet for StatusList {
    fn has(&self, status: ::http::StatusCode) -> bool {
        self.0.contains(&status.as_u16())
    }
}
