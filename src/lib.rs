//! # persevere
//!
//! Retry any function with one attribute:
//!
//! ```
//! use persevere::retry;
//!
//! #[derive(Debug)]
//! enum SendError { Throttled, Rejected }
//!
//! fn is_transient(error: &SendError) -> bool {
//!     matches!(error, SendError::Throttled)
//! }
//!
//! #[retry(stop = attempts(4), wait = exponential(min = 4s, max = 10s), retry_if = is_transient)]
//! async fn send_message(text: &str) -> Result<usize, SendError> {
//!     if text.is_empty() { Err(SendError::Rejected) } else { Ok(text.len()) }
//! }
//! ```
//!
//! The attribute keeps the function's signature, runs its body once per attempt (so `return` and
//! `?` end one attempt), and follows tenacity's semantics: `attempts(4)` counts every call, the
//! first included; the exponential wait is `clamp(multiplier · base^(n−1), min, max)`; when the
//! retries run out the function returns its own last outcome, never a wrapper.
//!
//! The same strategies are plain values in the runtime ([`stop`], [`wait`], [`condition`],
//! [`hook`]), so a policy can also live in a `const`, be built at run time, and run closures
//! through [`Policy::call`] and [`Policy::call_async`].
//!
//! ## Features
//!
//! - `tokio` (default): async functions sleep on tokio's timer and read tokio's clock, so
//!   `#[tokio::test(start_paused = true)]` tests run instantly. Without it, give async functions a
//!   `sleep = ...`.
//! - `regex` (opt-in): `condition::message_matches`.
//! - `http` (default): `persevere::http`: status conditions, `Retry-After`, [`hint::ServerHint`] for
//!   `http::Response`.
//! - `serde`: `config`: policies from TOML, YAML, JSON or environment variables; SDK-style
//!   settings (`config::SettingsConfig`); with `http`, a connector's declarative error handler
//!   (`config::handler`).
//! - `metrics`: counters and a histogram through the `metrics` facade.
//! - `reqwest`: `persevere::reqwest`: `HttpError` keeps a failed response's status, headers and
//!   body, knows idempotency, and honours every hint header; `reqwest-blocking` for the blocking
//!   client; `reqwest-middleware`: `RetryMiddleware`.
//! - `tower`: `persevere::tower`: `RetryLayer`, a tower layer running a [`Policy`] around each
//!   request of an HTTP service (hyper-util's client, tonic's channels).
//!
//! Beyond the attribute: server hints ([`wait::server_hint`]), retry budgets
//! ([`budget::RetryBudget`], `budget = ...`, one per key with [`budget::KeyedBudget`]), circuit
//! breakers ([`breaker::CircuitBreaker`], `breaker = ...`), hedging (`hedge = ...`), SDK-style
//! global and per-call settings ([`settings`]), policies as values ([`DynPolicy`]), async time limits (`timeout = ...`,
//! `total_timeout = ...`, [`Timeout`]) and graceful shutdown of sync retries ([`cancel::Shutdown`]).

#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs`: each item says which feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

/// # Where each key's names come from
///
/// Each name a value uses that your code does not define comes from the key's runtime module:
///
/// - `stop`: [`attempts`](stop::attempts), [`retries`](stop::retries),
///   [`elapsed`](stop::elapsed), [`deadline`](stop::deadline), [`never`](stop::never),
///   [`cancelled`](stop::cancelled), [`from_fn`](stop::from_fn); combined with `|` and `&`.
/// - `wait`: [`fixed`](wait::fixed), [`none`](wait::none), [`exponential`](wait::exponential),
///   [`incrementing`](wait::incrementing), [`random`](wait::random),
///   [`random_exponential`](wait::random_exponential),
///   [`exponential_jitter`](wait::exponential_jitter),
///   [`decorrelated_jitter`](wait::decorrelated_jitter), [`server_hint`](wait::server_hint),
///   [`chain`](wait::chain), [`when`](wait::when), [`from_fn`](wait::from_fn),
///   [`from_error`](wait::from_error); added with `+`.
/// - `retry_if`: [`on_error`](condition::on_error), [`any_error`](condition::any_error),
///   [`always`](condition::always), [`never`](condition::never),
///   [`error_type`](condition::error_type), [`message_contains`](condition::message_contains),
///   `message_matches` (feature `regex`), [`error_codes`](condition::error_codes),
///   [`network`](condition::network), and with the `http` feature `retryable_status` and
///   `statuses`; combined with `|`, `&` and `!`.
/// - `before`, `after`, `before_sleep`, `on_finish`: [`log`](hook::log) and its levels.
/// - `budget`: a [`RetryBudget`](budget::RetryBudget); `timeout` and `total_timeout`: a
///   [`Timeout`] reaches your error through `From`; `policy`: a [`Policy`].
#[doc(inline)]
pub use persevere_macros::retry;
pub use persevere_runtime::*;
