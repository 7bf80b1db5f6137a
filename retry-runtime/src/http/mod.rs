//! HTTP: which status codes to retry, and how long a server's `Retry-After` asks to wait.
//! Behind the `http` feature (on by default), on the types of the [`http`](https://docs.rs/http/1)
//! crate (version 1), which hyper and the clients built on it share; reqwest 0.12's `StatusCode`
//! and `HeaderMap` are these too. For a client with types of its own, implement [`HttpStatus`]
//! and [`ServerHint`](crate::hint::ServerHint) for its error or response, using
//! [`retry_after_value`] on the header's text.
//!
//! - [`is_retryable_status`]: the statuses worth another try (408, 429, 500, 502, 503, 504).
//! - [`HttpStatus`]: a value carrying a status, such as an error wrapping a response; the
//!   conditions [`retryable_status`] and [`statuses`] retry errors by it, and with `.from_ok()`
//!   retry `Ok` responses by it, for clients that return `Ok(response)` whatever its status.
//! - [`retry_after`] and [`retry_after_value`]: parse `Retry-After` (seconds or an HTTP-date,
//!   measured on the server's clock when the response has a `Date`).
//! - [`server_wait`] and [`HintHeader`]: every header family servers use to say when to come
//!   back (`Retry-After`, `RateLimit`, `RateLimit-Reset`, `X-RateLimit-Reset`,
//!   `x-amz-retry-after`, `grpc-retry-pushback-ms`), read in an order you choose, and
//!   [`HeaderHint`]: a header of your server's own holding a wait or an instant, with a regular
//!   expression to extract it.
//! - [`may_resend`], [`is_idempotent_method`] and [`Resend`]: which requests may be sent again
//!   once the server may have seen them (RFC 9110's idempotent methods, or an `Idempotency-Key`).
//! - [`ServerHint`](crate::hint::ServerHint) for `http::Response`, so
//!   [`server_hint`](crate::wait::server_hint) honours a response's hint, whichever family it
//!   comes in ([`HINT_HEADERS`] order).
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::Duration;
//! use http::{Response, StatusCode};
//! use persevere::Policy;
//! use persevere::http::retryable_status;
//! use persevere::sleep::RecordingSleeper;
//! use persevere::stop::attempts;
//! use persevere::wait::{fixed, server_hint};
//!
//! let sleeper = RecordingSleeper::new();
//! let policy = Policy::new()
//!     .stop(attempts(3))
//!     .retry_if(retryable_status().from_ok())
//!     .wait(server_hint().fallback(fixed(Duration::from_millis(100))).from_ok())
//!     .sleeper(sleeper.clone());
//!
//! let mut answers = vec![
//!     Response::builder().status(200).body("hello").unwrap(),
//!     Response::builder().status(503).header("retry-after", "2").body("").unwrap(),
//! ];
//! let response = policy.call(|| Ok::<_, std::io::Error>(answers.pop().unwrap())).unwrap();
//!
//! assert_eq!(response.status(), StatusCode::OK);
//! // The server asked for 2 s; up to a tenth of it is added above, as jitter.
//! let waited = sleeper.sleeps()[0];
//! assert!(waited >= Duration::from_secs(2) && waited <= Duration::from_millis(2200));
//! ```

mod header_hint;
mod idempotency;
mod rate_limit;
mod retry_after;
mod status;

pub use header_hint::HeaderHint;
pub use idempotency::{IDEMPOTENCY_KEY, Resend, is_idempotent_method, may_resend};
// Used by the integrations (reqwest, reqwest-middleware, tower), each behind its feature.
#[allow(unused_imports)]
pub(crate) use idempotency::{attempt_polling, polled_resend, polling, record_sent};
pub use rate_limit::{HINT_HEADERS, HintHeader, server_wait};
pub use retry_after::{retry_after, retry_after_value};
pub use status::{
    HttpStatus, RetryableStatus, StatusSet, Statuses, is_retryable_status, retryable_status,
    statuses,
};
