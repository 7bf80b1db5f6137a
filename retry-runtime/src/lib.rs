//! The runtime of [persevere](https://docs.rs/persevere): stop, wait and condition strategies,
//! hooks, sleepers, and the per-call engine the `#[retry]` attribute drives.
//!
//! Depend on `persevere`, which re-exports all of this next to the attribute.

#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs`: each item says which feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod attempt;
pub mod breaker;
pub mod budget;
pub mod cancel;
pub mod condition;
#[cfg(feature = "serde")]
pub mod config;
pub mod engine;
pub mod erased;
pub mod hedge;
pub mod hint;
pub mod hook;
#[cfg(feature = "http")]
pub mod http;
mod indirect;
pub mod jitter;
mod keyed;
pub mod metrics;
mod name;
pub mod nested;
#[doc(hidden)]
pub mod operand;
mod operators;
mod outcome;
#[doc(hidden)]
pub mod outcome_type;
mod policy;
mod proven;
mod renamed;
mod report;
#[cfg(feature = "reqwest")]
pub mod reqwest;
pub mod settings;
pub mod sleep;
mod state;
pub mod stop;
pub mod testing;
mod timeout;
#[cfg(feature = "tower")]
pub mod tower;
pub mod wait;
mod watch;

#[doc(hidden)]
pub mod __private;

/// The `#[retry]` attribute, for this crate's own examples (feature `attribute`): they name this
/// crate `persevere`, as users name the crate that re-exports it.
#[cfg(feature = "attribute")]
#[doc(hidden)]
pub use persevere_macros::retry;

pub use attempt::Attempt;
pub use breaker::BreakerOpen;
pub use erased::DynPolicy;
pub use name::Name;
pub use outcome::Outcome;
pub use policy::{DEFAULT_STOP, DEFAULT_WAIT, Policy, Schedule};
pub use report::{Attempted, OutcomeKind, Report};
pub use state::{Ending, RetryState};
pub use timeout::{FromTimeout, Limits, NoLimits, SyncLimits, TimeLimits, Timeout};
