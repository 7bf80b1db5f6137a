//! Parsing `Retry-After`: [`retry_after`], [`retry_after_value`], and [`ServerHint`] for responses.

use std::time::{Duration, SystemTime};

use ::http::HeaderMap;
use ::http::header::{DATE, RETRY_AFTER};

use crate::hint::ServerHint;

/// The delay a response's `Retry-After` header asks for (RFC 9110, section 10.2.3), or `None`
/// when it has none or none that parses.
///
/// - **Delay-seconds**: a non-negative whole number of seconds, `"120"`. A sign, a fraction, a
///   unit or a number above `u64::MAX` is not a delay: `None`.
/// - **An HTTP-date**, in any of the three forms HTTP allows: IMF-fixdate
///   (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
///   (`Sun Nov  6 08:49:37 1994`). The delay is measured on the server's clock: from the
///   response's own `Date` header when it has one that parses, so a client whose clock is off
///   still waits what the server meant; from `now` otherwise. A date already past is
///   `Some(Duration::ZERO)`: the server allows a retry now.
///
/// Whitespace around a value is ignored. `Retry-After` is a single value; when a response
/// repeats the header, the longest delay among the values that parse is returned, so the
/// call never comes back earlier than any of them asked. A list joined by commas into one
/// value (`"5, 10"`) does not parse.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, SystemTime};
/// use http::HeaderMap;
/// use http::header::{DATE, RETRY_AFTER};
/// use persevere::http::retry_after;
///
/// let now = SystemTime::now();
/// let mut headers = HeaderMap::new();
/// headers.insert(RETRY_AFTER, "120".parse().unwrap());
/// assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(120)));
///
/// // A date, 30 s after the server's `Date`, whatever our own clock says.
/// headers.insert(RETRY_AFTER, "Sun, 06 Nov 1994 08:50:07 GMT".parse().unwrap());
/// headers.insert(DATE, "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap());
/// assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
///
/// // Without a `Date`, measured from `now`: this date is long past.
/// headers.remove(DATE);
/// assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
///
/// assert_eq!(retry_after(&HeaderMap::new(), now), None);
/// ```
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let now = server_now(headers, now);
    headers
        .get_all(RETRY_AFTER)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| retry_after_value(value, None, now))
        .max()
}

/// The delay one `Retry-After` value asks for, for clients that expose headers as strings:
/// `value` is the `Retry-After` value, `date` the response's `Date` value if it has one, `now`
/// the current time. The rules are those of [`retry_after`]; a `date` that does not parse is
/// ignored (the delay is then measured from `now`).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use persevere::http::retry_after_value;
///
/// let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
/// assert_eq!(retry_after_value(" 5 ", None, now), Some(Duration::from_secs(5)));
/// assert_eq!(retry_after_value("-5", None, now), None);
/// assert_eq!(retry_after_value("soon", None, now), None);
///
/// // The three date forms.
/// for later in [
///     "Sun, 06 Nov 1994 08:49:47 GMT",
///     "Sunday, 06-Nov-94 08:49:47 GMT",
///     "Sun Nov  6 08:49:47 1994",
/// ] {
///     assert_eq!(retry_after_value(later, None, now), Some(Duration::from_secs(10)));
/// }
///
/// // A date already past, from before 1970 too, asks for no wait.
/// assert_eq!(retry_after_value("Sun, 06 Nov 1994 08:49:27 GMT", None, now), Some(Duration::ZERO));
/// assert_eq!(retry_after_value("Mon, 01 Jan 1900 00:00:00 GMT", None, now), Some(Duration::ZERO));
/// assert_eq!(retry_after_value("Mon Jan  1 00:00:00 1900", None, now), Some(Duration::ZERO));
/// assert_eq!(retry_after_value("Mon, 01 Jan 1900 25:00 GMT", None, now), None);
///
/// // The server's `Date` wins over our clock, 10 minutes ahead here.
/// let ours = now + Duration::from_secs(600);
/// let date = Some("Sun, 06 Nov 1994 08:49:37 GMT");
/// assert_eq!(
///     retry_after_value("Sun, 06 Nov 1994 08:50:07 GMT", date, ours),
///     Some(Duration::from_secs(30)),
/// );
/// ```
pub fn retry_after_value(value: &str, date: Option<&str>, now: SystemTime) -> Option<Duration> {
    let value = value.trim_ascii();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|byte| byte.is_ascii_digit()) {
        // Delay-seconds. Every `u64` of seconds fits in a `Duration`; more does not parse.
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let Ok(until) = httpdate::parse_http_date(value) else {
        // `httpdate` reads years from 1970 on; an earlier date is already past.
        return before_1970(value).then_some(Duration::ZERO);
    };
    Some(
        until
            .duration_since(server_time(date, now))
            .unwrap_or(Duration::ZERO),
    )
}

/// Whether `value` is an IMF-fixdate (`Mon, 01 Jan 1900 00:00:00 GMT`) or an asctime date
/// (`Mon Jan  1 00:00:00 1900`) of a year before 1970, which `httpdate` does not read.
fn before_1970(value: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let digits = |token: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&token.len()) && token.bytes().all(|byte| byte.is_ascii_digit())
    };
    let time = |token: &str| token.len() == 8 && token.split(':').all(|part| digits(part, 2..=2));
    let early = |year: &str| digits(year, 4..=4) && year < "1970";
    match value
        .split_ascii_whitespace()
        .collect::<Vec<_>>()
        .as_slice()
    {
        [weekday, day, month, year, clock, "GMT"] => {
            weekday.len() == 4
                && weekday.ends_with(',')
                && digits(day, 2..=2)
                && MONTHS.contains(month)
                && early(year)
                && time(clock)
        }
        [weekday, month, day, clock, year] => {
            weekday.len() == 3
                && MONTHS.contains(month)
                && digits(day, 1..=2)
                && time(clock)
                && early(year)
        }
        _ => false,
    }
}

/// The server's time: the response's own `Date` when it has one that parses, else `now`. An
/// instant a header names (an HTTP-date, a Unix timestamp) is measured from it, so that a client
/// whose clock is off still waits what the server meant.
pub(crate) fn server_now(headers: &HeaderMap, now: SystemTime) -> SystemTime {
    server_time(headers.get(DATE).and_then(|value| value.to_str().ok()), now)
}

/// `date`, a `Date` value, when it parses; else `now`.
fn server_time(date: Option<&str>, now: SystemTime) -> SystemTime {
    date.and_then(|date| httpdate::parse_http_date(date.trim_ascii()).ok())
        .unwrap_or(now)
}

/// A response's `Retry-After`, as [`retry_after`] reads it at the current time
/// (`SystemTime::now()`, used only for an HTTP-date when the response has no `Date`).
///
/// With this, [`server_hint`](crate::wait::server_hint) honours the header of an `Ok`
/// response (`server_hint().from_ok()`) or of an error that is a response.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use http::Response;
/// use persevere::hint::ServerHint;
///
/// let throttled = Response::builder()
///     .status(429)
///     .header("retry-after", "7")
///     .body(())
///     .unwrap();
/// assert_eq!(throttled.retry_after(), Some(Duration::from_secs(7)));
/// assert_eq!(Response::new(()).retry_after(), None);
/// ```
/// A response's hint, from the first header family in [`HINT_HEADERS`](crate::http::HINT_HEADERS)
/// that it carries a usable value of (`Retry-After` first).
impl<B> ServerHint for ::http::Response<B> {
    fn retry_after(&self) -> Option<Duration> {
        crate::http::server_wait(self.headers(), crate::http::HINT_HEADERS, SystemTime::now())
    }
    fn hint_headers(&self) -> Option<&::http::HeaderMap> {
        Some(self.headers())
    }
}

/// The hint of a response taken apart (`http::Response::into_parts`), as for a
/// whole response.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use http::Response;
/// use persevere::hint::ServerHint;
///
/// let (parts, _body) = Response::builder()
///     .status(503)
///     .header("retry-after", "3")
///     .body(())
///     .unwrap()
///     .into_parts();
/// assert_eq!(parts.retry_after(), Some(Duration::from_secs(3)));
/// ```
impl ServerHint for ::http::response::Parts {
    fn retry_after(&self) -> Option<Duration> {
        crate::http::server_wait(&self.headers, crate::http::HINT_HEADERS, SystemTime::now())
    }
    fn hint_headers(&self) -> Option<&::http::HeaderMap> {
        Some(&self.headers)
    }
}
