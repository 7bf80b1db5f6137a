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
//! - `serde`: `config`: policies from TOML, YAML, JSON or environment variables.
//! - `tower`: `persevere::tower`: `RetryLayer`, a tower layer running a [`Policy`] around each
//!   request of an HTTP service (hyper-util's client, tonic's channels).
//!
//! Beyond the attribute: server hints ([`wait::server_hint`]), retry budgets
//! ([`budget::RetryBudget`], `budget = ...`), async time limits (`timeout = ...`,
//! `total_timeout = ...`, [`Timeout`]) and graceful shutdown of sync retries ([`cancel::Shutdown`]).

#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs`: each item says which feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use persevere_macros::retry;
pub use persevere_runtime::*;
