//! Which outcomes a handler acts on: its response filters, and the default for those no filter
//! matches.

use crate::config::handler::actions::Action;
use crate::config::handler::predicates::Predicate;
use crate::config::handler::response::Seen;

/// One of a handler's `response_filters`: the outcomes it matches, and its [`Action`].
///
/// A filter matches an outcome when any of its tests does: its status is one of `http_codes`,
/// its body or its error's text contains `error_message_contains`, or its `predicate` holds.
/// Made by reading a file (see [`ErrorHandler`](crate::config::handler::ErrorHandler)); a
/// filter with no test at all is refused there, since it could never match.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::Response;
/// use persevere::config::handler::{Action, ErrorHandler, Seen};
///
/// let handler: ErrorHandler = serde_norway::from_str("
/// response_filters:
///   - http_codes: [403]
///     error_message_contains: try again later
///     action: RETRY
/// ")?;
/// let filter = &handler.handlers()[0].response_filters()[0];
/// assert_eq!(filter.action(), Action::Retry);
/// assert_eq!(filter.http_codes(), [403]);
/// assert_eq!(filter.error_message_contains(), Some("try again later"));
/// assert!(filter.predicate().is_none());
///
/// // Either test matches.
/// let busy = Response::builder().status(400).body("busy, try again later").unwrap();
/// assert!(filter.matches(&Seen::new(&busy, true)));
/// let bad = Response::builder().status(400).body("no such field").unwrap();
/// assert!(!filter.matches(&Seen::new(&bad, true)));
/// # Ok::<(), serde_norway::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseFilter {
    pub(crate) action: Action,
    pub(crate) http_codes: Vec<u16>,
    pub(crate) error_message_contains: Option<String>,
    pub(crate) predicate: Option<Predicate>,
}

impl ResponseFilter {
    /// What the filter does with what it matches.
    ///
    /// See [`ResponseFilter`] for an example.
    pub fn action(&self) -> Action {
        self.action
    }

    /// The statuses it matches (`http_codes`), possibly none.
    ///
    /// See [`ResponseFilter`] for an example.
    pub fn http_codes(&self) -> &[u16] {
        &self.http_codes
    }

    /// The text it looks for in the body and the error's text (`error_message_contains`).
    ///
    /// See [`ResponseFilter`] for an example.
    pub fn error_message_contains(&self) -> Option<&str> {
        self.error_message_contains.as_deref()
    }

    /// Its `predicate`.
    ///
    /// See [`ResponseFilter`] for an example.
    pub fn predicate(&self) -> Option<&Predicate> {
        self.predicate.as_ref()
    }

    /// Whether the filter matches `seen`. The cheap tests go first; a predicate, which may
    /// decode the body, last.
    ///
    /// See [`ResponseFilter`] for an example.
    pub fn matches(&self, seen: &Seen<'_>) -> bool {
        let status = seen.status().map(|status| status.as_u16());
        if status.is_some_and(|status| self.http_codes.contains(&status)) {
            return true;
        }
        if let Some(text) = &self.error_message_contains {
            let in_body = seen.body().is_some_and(|body| body.contains(text.as_str()));
            if in_body || seen.message().is_some_and(|m| m.contains(text.as_str())) {
                return true;
            }
        }
        self.predicate
            .as_ref()
            .is_some_and(|predicate| predicate.test(seen))
    }
}

/// The action for an outcome no filter matches, as the connector's default handler decides:
/// 429 and 5xx are retried; any other error fails, as does an `Ok` value with a 4xx status; any
/// other `Ok` value is a success. An error with no response (a transport failure) fails.
pub(crate) fn default_action(seen: &Seen<'_>) -> Action {
    match seen.status().map(|status| status.as_u16()) {
        Some(429 | 500..=599) => Action::Retry,
        _ if seen.is_error() => Action::Fail,
        Some(400..=499) => Action::Fail,
        _ => Action::Success,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> ::http::Response<String> {
        ::http::Response::builder()
            .status(status)
            .body(body.to_owned())
            .unwrap()
    }

    #[test]
    fn the_default_retries_5xx_and_429_and_fails_other_errors() {
        let action = |status, failed| default_action(&Seen::new(&response(status, ""), failed));
        for status in [429, 500, 503, 599] {
            assert_eq!(action(status, true), Action::Retry, "{status}");
            assert_eq!(action(status, false), Action::Retry, "{status}");
        }
        for status in [400, 403, 404, 408] {
            assert_eq!(action(status, true), Action::Fail, "{status}");
            assert_eq!(action(status, false), Action::Fail, "{status}");
        }
        assert_eq!(action(200, true), Action::Fail);
        assert_eq!(action(200, false), Action::Success);
        assert_eq!(action(304, false), Action::Success);
    }

    #[test]
    fn a_message_filter_reads_the_body() {
        let filter = ResponseFilter {
            action: Action::Ignore,
            http_codes: Vec::new(),
            error_message_contains: Some("ignorethisresponse".into()),
            predicate: None,
        };
        let seen = |body| filter.matches(&Seen::new(&response(400, body), true));
        assert!(seen("please ignorethisresponse now"));
        assert!(!seen("bad request"));
    }
}
