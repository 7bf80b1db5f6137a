//! A reqwest response as an `Ok` outcome: its status ([`HttpStatus`]) and its server hint
//! ([`ServerHint`], every header family, see [`server_wait`](crate::http::server_wait)), so that
//! a function returning `Result<reqwest::Response, _>` reads them with `.from_ok()` as it would
//! from an `http::Response`:
//!
//! ```no_run,standalone_crate
//! # extern crate persevere_runtime as persevere;
//! use persevere::retry;
//!
//! #[retry(
//!     stop = attempts(4),
//!     retry_if = retryable_status().from_ok() | any_error(),
//!     wait = server_hint(fallback = exponential(max = 30s)).from_ok(),
//! )]
//! async fn get(client: &reqwest::Client, url: &str) -> Result<reqwest::Response, reqwest::Error> {
//!     client.get(url).send().await
//! }
//! ```

use std::time::{Duration, SystemTime};

use ::http::{HeaderMap, StatusCode};

use crate::hint::ServerHint;
use crate::http::{HINT_HEADERS, HttpStatus, server_wait};

impl HttpStatus for reqwest::Response {
    fn http_status(&self) -> Option<StatusCode> {
        Some(self.status())
    }
}

impl ServerHint for reqwest::Response {
    fn retry_after(&self) -> Option<Duration> {
        server_wait(self.headers(), HINT_HEADERS, SystemTime::now())
    }
    fn hint_headers(&self) -> Option<&HeaderMap> {
        Some(self.headers())
    }
}

#[cfg(feature = "reqwest-blocking")]
impl HttpStatus for reqwest::blocking::Response {
    fn http_status(&self) -> Option<StatusCode> {
        Some(self.status())
    }
}

#[cfg(feature = "reqwest-blocking")]
impl ServerHint for reqwest::blocking::Response {
    fn retry_after(&self) -> Option<Duration> {
        server_wait(self.headers(), HINT_HEADERS, SystemTime::now())
    }
    fn hint_headers(&self) -> Option<&HeaderMap> {
        Some(self.headers())
    }
}
