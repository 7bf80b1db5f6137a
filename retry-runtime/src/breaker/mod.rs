//! Circuit breakers: calls to an upstream that keeps failing stop being made for a while, and
//! fail at once instead, so the upstream gets room to recover and callers stop waiting on it.
//!
//! A [`CircuitBreaker`] lives in a `static` and is named by the calls that share it:
//! `#[retry(breaker = UPSTREAM)]` or [`Policy::breaker`](crate::Policy::breaker). Only outcomes
//! the call's condition would retry count as failures: a 404 that is not retried counts as a
//! success (the upstream answered), and so does every `Ok` that is not retried.
//!
//! While it is open, a call makes no attempt: it returns at once with a [`BreakerOpen`] converted
//! into its error type (which must implement `From<BreakerOpen>`), and a call that is already
//! retrying gives up, with that error, as soon as the breaker is open (it does not sleep towards an
//! attempt the breaker would refuse; a call whose wait outlasts the cool-down sleeps, and its next
//! attempt is let through as a probe). The report's ending is
//! [`Ending::BreakerOpen`](crate::Ending::BreakerOpen).
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::Duration;
//! use persevere::breaker::{BreakerOpen, CircuitBreaker};
//! use persevere::sleep::RecordingSleeper;
//! use persevere::Policy;
//! use persevere::stop::attempts;
//!
//! static UPSTREAM: CircuitBreaker = CircuitBreaker::new()
//!     .consecutive_failures(3)
//!     .cool_down(Duration::from_secs(30))
//!     .jitter(0);
//!
//! #[derive(Debug, PartialEq)]
//! enum Error { Down, Open(Duration) }
//! impl From<BreakerOpen> for Error {
//!     fn from(open: BreakerOpen) -> Self { Error::Open(open.retry_after()) }
//! }
//!
//! let clock = RecordingSleeper::new();
//! let policy = Policy::new()
//!     .stop(attempts(5))
//!     .wait(Duration::from_secs(1))
//!     .sleeper(clock.clone())
//!     .breaker(&UPSTREAM);
//! // The third failure opens the breaker: the call ends there, with no sleep towards a fourth
//! // attempt the breaker would refuse.
//! let mut attempts_made = 0;
//! let outcome = policy.call(|| { attempts_made += 1; Err::<(), _>(Error::Down) });
//! assert_eq!((attempts_made, outcome), (3, Err(Error::Open(Duration::from_secs(30)))));
//! assert_eq!(clock.sleeps().len(), 2);
//! ```

pub(crate) mod events;
mod keyed;
mod open;
mod slot;
mod state;

pub use keyed::KeyedBreaker;
pub use open::{BreakerOpen, FromBreakerOpen, Guard};
pub use slot::{ErasableBreaker, Guarded, WithBreaker, WithBudget};
pub use state::{BreakerState, CircuitBreaker};
