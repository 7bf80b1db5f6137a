//! A header of the server's own naming that says how long to wait, or until when: the connector
//! seed's `WaitTimeFromHeader` and `WaitUntilTimeFromHeader`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ::http::{HeaderMap, HeaderName};

/// A header of your server's own that holds a wait in seconds ([`wait_time`](Self::wait_time))
/// or a Unix timestamp to wait until ([`wait_until`](Self::wait_until)), optionally extracted
/// from the value by a regular expression (the `regex` feature) and raised to a
/// [`min_wait`](Self::min_wait). Put it in an order with [`HintHeader::Custom`](crate::http::HintHeader::Custom).
///
/// The number may have a fraction (`1.5`). A value that does not parse, a negative wait, or a
/// regular expression that does not match is no hint, and the next header in the order is tried.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use http::{HeaderMap, HeaderName};
/// use persevere::http::HeaderHint;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("wait_time", "2.5".parse().unwrap());
/// headers.insert("wait_until", "1800000010".parse().unwrap());
///
/// let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
/// let wait = HeaderHint::wait_time(HeaderName::from_static("wait_time"));
/// assert_eq!(wait.read(&headers, now), Some(Duration::from_millis(2500)));
///
/// let until = HeaderHint::wait_until(HeaderName::from_static("wait_until"));
/// assert_eq!(until.read(&headers, now), Some(Duration::from_secs(10)));
/// let at_least = until.min_wait(Duration::from_secs(30));
/// assert_eq!(at_least.read(&headers, now), Some(Duration::from_secs(30)));
/// ```
#[derive(Debug, Clone)]
pub struct HeaderHint {
    name: HeaderName,
    until: bool,
    min_wait: Duration,
    #[cfg(feature = "regex")]
    pattern: Option<regex::Regex>,
}

impl PartialEq for HeaderHint {
    fn eq(&self, other: &Self) -> bool {
        #[cfg(feature = "regex")]
        let same_pattern = self.pattern.as_ref().map(regex::Regex::as_str)
            == other.pattern.as_ref().map(regex::Regex::as_str);
        #[cfg(not(feature = "regex"))]
        let same_pattern = true;
        self.name == other.name
            && self.until == other.until
            && self.min_wait == other.min_wait
            && same_pattern
    }
}

impl Eq for HeaderHint {}

impl HeaderHint {
    /// The header `name` holds the wait, in seconds.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, SystemTime};
    /// use http::{HeaderMap, HeaderName};
    /// use persevere::http::HeaderHint;
    ///
    /// let hint = HeaderHint::wait_time(HeaderName::from_static("x-wait-seconds"));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-wait-seconds", "3".parse().unwrap());
    /// assert_eq!(hint.read(&headers, SystemTime::now()), Some(Duration::from_secs(3)));
    /// headers.insert("x-wait-seconds", "soon".parse().unwrap());
    /// assert_eq!(hint.read(&headers, SystemTime::now()), None); // no hint: the next header is tried
    /// ```
    pub fn wait_time(name: HeaderName) -> HeaderHint {
        HeaderHint {
            name,
            until: false,
            min_wait: Duration::ZERO,
            #[cfg(feature = "regex")]
            pattern: None,
        }
    }

    /// The header `name` holds the instant to wait until, as a Unix timestamp in seconds,
    /// measured from the response's `Date` when it has one (else from `now`); an instant already
    /// past is no wait (or [`min_wait`](Self::min_wait)).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use http::{HeaderMap, HeaderName};
    /// use persevere::http::HeaderHint;
    ///
    /// let hint = HeaderHint::wait_until(HeaderName::from_static("x-ratelimit-reset"));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-ratelimit-reset", "1800000060".parse().unwrap());
    /// let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    /// assert_eq!(hint.read(&headers, now), Some(Duration::from_secs(60)));
    /// let later = now + Duration::from_secs(120);
    /// assert_eq!(hint.read(&headers, later), Some(Duration::ZERO)); // already past
    ///
    /// // Measured on the server's clock when the response has a `Date`: an hour ahead of ours.
    /// headers.insert("date", "Fri, 15 Jan 2027 09:00:00 GMT".parse().unwrap()); // 1800003600
    /// headers.insert("x-ratelimit-reset", "1800003660".parse().unwrap());
    /// assert_eq!(hint.read(&headers, now), Some(Duration::from_secs(60)));
    /// ```
    pub fn wait_until(name: HeaderName) -> HeaderHint {
        HeaderHint {
            until: true,
            ..HeaderHint::wait_time(name)
        }
    }

    /// Never wait less than `min_wait` when the header is there.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, SystemTime};
    /// use http::{HeaderMap, HeaderName};
    /// use persevere::http::HeaderHint;
    ///
    /// let hint = HeaderHint::wait_time(HeaderName::from_static("wait_time"))
    ///     .min_wait(Duration::from_secs(1));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("wait_time", "0".parse().unwrap());
    /// assert_eq!(hint.read(&headers, SystemTime::now()), Some(Duration::from_secs(1)));
    /// assert_eq!(hint.read(&HeaderMap::new(), SystemTime::now()), None); // no header, no wait
    /// ```
    pub fn min_wait(mut self, min_wait: Duration) -> HeaderHint {
        self.min_wait = min_wait;
        self
    }

    /// Extract the number from the value with `pattern`: its first capture group if it has one,
    /// else its whole match (the `regex` feature).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, SystemTime};
    /// use http::{HeaderMap, HeaderName};
    /// use persevere::http::HeaderHint;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("wait_time", "retry in 12 seconds".parse().unwrap());
    /// let hint = HeaderHint::wait_time(HeaderName::from_static("wait_time"))
    ///     .regex(r"[-+]?\d+")
    ///     .unwrap();
    /// assert_eq!(hint.read(&headers, SystemTime::now()), Some(Duration::from_secs(12)));
    /// ```
    #[cfg(feature = "regex")]
    pub fn regex(mut self, pattern: &str) -> Result<HeaderHint, regex::Error> {
        self.pattern = Some(regex::Regex::new(pattern)?);
        Ok(self)
    }

    /// The header's name.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::HeaderName;
    /// use persevere::http::HeaderHint;
    ///
    /// let hint = HeaderHint::wait_time(HeaderName::from_static("wait_time"));
    /// assert_eq!(hint.name(), "wait_time");
    /// ```
    pub fn name(&self) -> &HeaderName {
        &self.name
    }

    /// The wait the header in `headers` asks for, if it carries a usable value. `now` is the
    /// instant a [`wait_until`](Self::wait_until) timestamp is measured from.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, SystemTime};
    /// use http::{HeaderMap, HeaderName};
    /// use persevere::http::HeaderHint;
    ///
    /// let hint = HeaderHint::wait_time(HeaderName::from_static("wait_time"));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("wait_time", " 1.25 ".parse().unwrap());
    /// assert_eq!(hint.read(&headers, SystemTime::now()), Some(Duration::from_millis(1250)));
    /// headers.insert("wait_time", "-4".parse().unwrap());
    /// assert_eq!(hint.read(&headers, SystemTime::now()), None); // a negative wait is no hint
    /// ```
    pub fn read(&self, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
        let value = headers.get(&self.name)?.to_str().ok()?.trim();
        let number = self.extract(value)?;
        let seconds: f64 = number.trim().parse().ok()?;
        if !seconds.is_finite() {
            return None;
        }
        let wait = if self.until {
            let at = UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)?;
            at.duration_since(super::retry_after::server_now(headers, now))
                .unwrap_or(Duration::ZERO)
        } else {
            Duration::try_from_secs_f64(seconds).ok()?
        };
        Some(wait.max(self.min_wait))
    }

    #[cfg(feature = "regex")]
    fn extract<'v>(&self, value: &'v str) -> Option<&'v str> {
        let Some(pattern) = &self.pattern else {
            return Some(value);
        };
        let found = pattern.captures(value)?;
        found.get(1).or_else(|| found.get(0)).map(|m| m.as_str())
    }

    #[cfg(not(feature = "regex"))]
    fn extract<'v>(&self, value: &'v str) -> Option<&'v str> {
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &'static str, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, value.parse().unwrap());
        headers
    }

    #[test]
    fn unusable_values_are_no_hint() {
        let hint = HeaderHint::wait_time(HeaderName::from_static("wait_time"));
        let now = SystemTime::now();
        for garbage in ["soon", "-3", "NaN", "inf", "1e400", ""] {
            assert_eq!(
                hint.read(&headers("wait_time", garbage), now),
                None,
                "{garbage}"
            );
        }
        assert_eq!(hint.read(&HeaderMap::new(), now), None);
        assert_eq!(
            hint.read(&headers("wait_time", " 3 "), now),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn an_instant_past_is_no_wait_or_the_minimum() {
        let now = UNIX_EPOCH + Duration::from_secs(2_000);
        let until = HeaderHint::wait_until(HeaderName::from_static("wait_until"));
        assert_eq!(
            until.read(&headers("wait_until", "1000"), now),
            Some(Duration::ZERO)
        );
        let until = until.min_wait(Duration::from_secs(5));
        assert_eq!(
            until.read(&headers("wait_until", "1000"), now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            until.read(&headers("wait_until", "2010.5"), now),
            Some(Duration::from_millis(10_500))
        );
    }

    #[cfg(feature = "regex")]
    #[test]
    fn a_pattern_that_does_not_match_is_no_hint() {
        let hint = HeaderHint::wait_until(HeaderName::from_static("wait_until"))
            .regex(r"at=(\d+)")
            .unwrap();
        let now = UNIX_EPOCH;
        assert_eq!(hint.read(&headers("wait_until", "later"), now), None);
        assert_eq!(
            hint.read(&headers("wait_until", "reset at=42;"), now),
            Some(Duration::from_secs(42))
        );
        assert!(
            HeaderHint::wait_time(HeaderName::from_static("x"))
                .regex("(")
                .is_err()
        );
    }
}
