use std::borrow::Cow;
use std::fmt::Display;

use crate::condition::Condition;

/// Retries errors whose message contains a substring. Built by [`message_contains`], whose page
/// has an example.
///
/// The substring may be owned, as one read from configuration is:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{message_contains, Condition, MessageContains};
///
/// let needle = String::from("try again");
/// let retry: MessageContains = message_contains(needle);
/// assert!(retry.should_retry(&Err::<(), _>(std::io::Error::other("busy, try again later"))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageContains {
    needle: Cow<'static, str>,
}

/// Retries errors whose `Display` text contains `needle`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{message_contains, Condition};
///
/// let busy = message_contains("busy");
/// assert!(busy.should_retry(&Err::<(), &str>("server busy")));
/// assert!(!busy.should_retry(&Err::<(), &str>("not found")));
/// ```
pub fn message_contains(needle: impl Into<Cow<'static, str>>) -> MessageContains {
    MessageContains {
        needle: needle.into(),
    }
}

impl<T, E: Display> Condition<T, E> for MessageContains {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome
            .as_ref()
            .is_err_and(|e| e.to_string().contains(&*self.needle))
    }
    fn retries_ok() -> bool {
        false
    }
}

/// Retries errors whose message is exactly a text. Built by [`message_is`], whose page has an
/// example.
///
/// The text may be owned, as one read from configuration is:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{message_is, Condition, MessageIs};
///
/// let text = String::from("try again");
/// let retry: MessageIs = message_is(text);
/// assert!(retry.should_retry(&Err::<(), _>(std::io::Error::other("try again"))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageIs {
    text: Cow<'static, str>,
}

/// Retries errors whose `Display` text is exactly `text` (tenacity's
/// `retry_if_exception_message(message=...)`); [`message_contains`] looks for it anywhere in
/// the text.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{message_is, Condition};
///
/// let busy = message_is("busy");
/// assert!(busy.should_retry(&Err::<(), &str>("busy")));
/// assert!(!busy.should_retry(&Err::<(), &str>("not busy")));
/// ```
pub fn message_is(text: impl Into<Cow<'static, str>>) -> MessageIs {
    MessageIs { text: text.into() }
}

impl<T, E: Display> Condition<T, E> for MessageIs {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        // Compared as it is written, without building the whole text first.
        outcome.as_ref().is_err_and(|e| {
            let mut rest: &str = &self.text;
            let mut equal = true;
            let _ = std::fmt::write(
                &mut Compare {
                    rest: &mut rest,
                    equal: &mut equal,
                },
                format_args!("{e}"),
            );
            equal && rest.is_empty()
        })
    }
    fn retries_ok() -> bool {
        false
    }
}

/// A writer that compares what is written with the rest of a text, and stops at a difference.
struct Compare<'a, 'b> {
    rest: &'a mut &'b str,
    equal: &'a mut bool,
}

impl std::fmt::Write for Compare<'_, '_> {
    fn write_str(&mut self, written: &str) -> std::fmt::Result {
        match self.rest.strip_prefix(written) {
            Some(rest) => {
                *self.rest = rest;
                Ok(())
            }
            None => {
                *self.equal = false;
                Err(std::fmt::Error)
            }
        }
    }
}

/// Retries errors whose message matches a regular expression at its start. See
/// `message_matches` (with the `regex` feature).
///
/// Built from a malformed pattern by `message_matches`, it retries nothing:
///
/// ```
/// # use persevere_runtime as persevere;
/// # #[cfg(feature = "regex")] fn main() {
/// use persevere::condition::{message_matches, Condition, MessageMatches};
///
/// let server_error: MessageMatches = message_matches(r"5\d\d ");
/// assert!(server_error.should_retry(&Err::<(), _>("502 Bad Gateway")));
/// let broken = message_matches(r"5\d\d (");
/// assert!(!broken.should_retry(&Err::<(), _>("502 (Bad Gateway)")));
/// # }
/// # #[cfg(not(feature = "regex"))] fn main() {}
/// ```
#[derive(Debug, Clone)]
pub struct MessageMatches {
    #[cfg(feature = "regex")]
    pattern: Result<regex::Regex, String>,
}

#[cfg(feature = "regex")]
impl MessageMatches {
    /// Compiles `pattern`, matched from the start of the message; returns the compile error for
    /// a malformed pattern.
    ///
    /// The pattern is compiled as written, not wrapped in an anchoring group: one that only
    /// parses inside such a group (`x)|(503`) is rejected, and a verbose-mode pattern may end in a
    /// comment (`(?x) 5\d\d  # a server error`).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::condition::MessageMatches;
    ///
    /// assert!(MessageMatches::new(r"5\d\d ").is_ok());
    /// assert!(MessageMatches::new(r"5\d\d (").is_err());
    /// assert!(MessageMatches::new("x)|(503").is_err());
    /// assert!(MessageMatches::new(r"(?x) 5\d\d  # a server error").is_ok());
    /// ```
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        regex::Regex::new(pattern).map(|regex| MessageMatches { pattern: Ok(regex) })
    }
}

/// Retries errors whose `Display` text matches `pattern` from its first character (Python's
/// `re.match`, as tenacity's `retry_if_exception_message(match=...)`). Needs the `regex` feature.
///
/// A malformed pattern cannot be honoured: the condition then retries nothing and reports the
/// pattern's error through `tracing` each time it is asked. Use [`MessageMatches::new`] to handle
/// the error yourself.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::{message_matches, Condition};
///
/// let server_error = message_matches(r"5\d\d ");
/// assert!(server_error.should_retry(&Err::<(), &str>("503 Service Unavailable")));
/// assert!(!server_error.should_retry(&Err::<(), &str>("got 503 from upstream")));
/// ```
#[cfg(feature = "regex")]
pub fn message_matches(pattern: &str) -> MessageMatches {
    MessageMatches::new(pattern).unwrap_or_else(|error| MessageMatches {
        pattern: Err(error.to_string()),
    })
}

#[cfg(feature = "regex")]
impl<T, E: Display> Condition<T, E> for MessageMatches {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        let Err(error) = outcome else { return false };
        match &self.pattern {
            // The leftmost match starts at 0 exactly when one starting there exists.
            Ok(regex) => regex
                .find(&error.to_string())
                .is_some_and(|found| found.start() == 0),
            Err(problem) => {
                tracing::error!(
                    problem = %problem,
                    "persevere: `message_matches` has a malformed pattern, so no error is retried",
                );
                false
            }
        }
    }
    fn retries_ok() -> bool {
        false
    }
}
