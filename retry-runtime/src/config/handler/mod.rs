//! Error handlers from configuration: a data connector's declarative HTTP error handler, read
//! from YAML, JSON or TOML with its field names and values as the connector writes them, and
//! run as persevere strategies (features `serde` and `http`).
//!
//! ```yaml
//! type: "CompositeErrorHandler"        # handlers tried in order; or one handler, without this
//! error_handlers:
//!   - response_filters:                # the first filter that matches decides
//!       - predicate: "{{ 'code' in response }}"
//!         action: RETRY                # RETRY, FAIL, IGNORE or SUCCESS
//!     backoff_strategies:              # tried in order, the first that can say winning
//!       - type: "ConstantBackoffStrategy"
//!         backoff_time_in_seconds: 5
//!   - response_filters:
//!       - http_codes: [ 403 ]
//!         action: RETRY
//!       - error_message_contains: "ignorethisresponse"
//!         action: IGNORE
//!     max_retries: 2                   # this handler's own; 5 when left out
//!     backoff_strategies:
//!       - type: "WaitTimeFromHeader"
//!         header: "wait_time"
//!         regex: '[-+]?\d+'            # single quotes: YAML reads `\d` in double ones as an escape
//!       - type: "ExponentialBackoffStrategy"
//!         factor: 5
//! ```
//!
//! **A handler** has `response_filters`, `max_retries` and `backoff_strategies`, each
//! optional (`type: "DefaultErrorHandler"` may name it). **A composite**
//! (`type: "CompositeErrorHandler"`) has only `error_handlers`, a list of handlers (composites
//! among them, flattened in order). A file with no handler at all, or an empty table, is the
//! connector's default ([`ErrorHandler::default`]).
//!
//! **Filters.** A filter matches an outcome when its status is one of `http_codes`, or its body
//! or its error's text contains `error_message_contains`, or its `predicate` holds (see
//! [`Predicate`] for the expressions, and [`Predicates`] for those the program registers). The
//! first filter that matches, handler after handler, gives the [`Action`], and its handler's
//! `max_retries` and backoff apply. When no filter matches, the default decides: 429 and 5xx
//! are retried, any other error fails, as does an `Ok` response with another 4xx status (the
//! call ends [`Rejected`](crate::Ending::Rejected)), and any other `Ok` value is a success; the first
//! handler's settings apply, so that a lone handler's `http_codes: [ 404 ], action: RETRY`
//! retries 404 *as well as* 5xx and 429, as the connector's documentation says.
//!
//! **Actions** reach the caller honestly (see [`Action`]): `RETRY` retries, `FAIL` returns at
//! once, and `IGNORE` (and `SUCCESS` on an error) end the call with the outcome as it is and an
//! ending of their own, [`Ending::Ignored`](crate::Ending::Ignored) (and
//! [`Ending::Accepted`](crate::Ending::Accepted)), in the [`Report`](crate::Report) and in
//! `on_give_up`'s state, so the program decides what an ignored error becomes: an error is never
//! turned into an `Ok` behind its back.
//!
//! **Retries.** The call gives up once it has made as many retries as the `max_retries` of the
//! handler that decides its latest outcome (with [`Ending::Attempts`](crate::Ending::Attempts)),
//! counting every retry of the call: a 429 after two 503s has two behind it. See [`Backoff`] for
//! the waits.
//!
//! **Errors when the file is read**, never when a request fails: each names the setting by its
//! path from the handler's root (`error_handlers[1].response_filters[0].action`), says what it
//! takes, and is placed at the value by the format (TOML's span, YAML's and JSON's line and
//! column). Among them: an unknown setting (with a guess at the one meant), a value of the wrong
//! type or null, an action, a strategy `type` or a handler `type` not in the list, a setting the
//! strategy's `type` does not take, a required setting left out, a predicate persevere cannot
//! read or whose name the program does not register, a bad regular expression, a header name
//! that is not one, a status out of 100–599, and a filter that can never match: one that tests
//! nothing, or a status an earlier filter already matches. `$parameters` and `{{ }}`
//! templates outside `predicate` are refused: persevere does not interpolate.
//!
//! **Using it.** [`ErrorHandler::errors`] reads errors only (for a client whose error carries
//! the response, such as `persevere::reqwest::HttpError`); [`ErrorHandler::outcomes`] reads
//! `Ok` values too (for "200 with a `code` field"). Each gives a
//! [`condition`](Strategies::condition), a [`wait`](Strategies::wait), a
//! [`stop`](Strategies::stop) and the whole [`policy`](Strategies::policy), the same in
//! `Policy::call`, `Policy::call_async` and the attribute. The outcome needs only
//! [`AsResponse`], implemented for `http::Response<B>`, `HttpError` and your own types; a file
//! with no error codes asks for no [`ErrorCode`](crate::condition::ErrorCode).
//!
//! ```standalone_crate
//! # extern crate persevere_runtime as persevere;
//! use std::sync::LazyLock;
//! use std::time::Duration;
//! use http::Response;
//! use persevere::{Ending, retry};
//! use persevere::config::handler::ErrorHandler;
//! use persevere::sleep::RecordingSleeper;
//!
//! static HANDLER: LazyLock<ErrorHandler> = LazyLock::new(|| {
//!     serde_norway::from_str("
//! response_filters:
//!   - http_codes: [ 404 ]
//!     action: IGNORE
//! max_retries: 2
//! backoff_strategies:
//!   - type: ConstantBackoff
//!     backoff_time_in_seconds: 3
//! ").unwrap_or_else(|error| panic!("error handler: {error}"))
//! });
//!
//! #[retry(
//!     policy = HANDLER.errors().policy(),
//!     sleep = sleeper.clone(),
//!     on_give_up = |last, state| match state.ending() {
//!         Some(Ending::Ignored) => Ok(None), // the program's choice: an ignored page is no page
//!         _ => last,
//!     },
//! )]
//! fn fetch(status: u16, sleeper: &RecordingSleeper) -> Result<Option<String>, Response<String>> {
//!     Err(Response::builder().status(status).body(String::new()).unwrap())
//! }
//!
//! let sleeper = RecordingSleeper::new();
//! assert_eq!(fetch(404, &sleeper).ok(), Some(None));
//! assert_eq!(fetch(503, &sleeper).unwrap_err().status(), 503);
//! assert_eq!(sleeper.sleeps(), [Duration::from_secs(3); 2]);
//! ```
//!
//! **Cost.** The feature `serde` brings `serde_json` with it, to decode bodies for predicates
//! (about a second of a cold debug build). A handler decides in each of its strategies: a
//! failed attempt is read three times (the condition, the wait, the stop), and a body is decoded
//! once per reading, only when a predicate asks. With [`ErrorHandler::errors`], a successful
//! attempt costs nothing; with [`ErrorHandler::outcomes`], each `Ok` value is read once.

mod actions;
mod backoff;
mod build;
mod filters;
mod model;
mod predicates;
mod read;
mod response;

pub use actions::Action;
pub use backoff::Backoff;
pub use build::{
    Errors, HandlerCondition, HandlerPolicy, HandlerStop, HandlerWait, Lens, Outcomes, Strategies,
};
pub use filters::ResponseFilter;
pub use model::{Decision, ErrorHandler, Handler};
pub use predicates::{Predicate, Predicates};
pub use response::{AsResponse, Seen};
