//! Every header family servers use to say when to come back, read in one order.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ::http::HeaderMap;

use crate::http::{HeaderHint, retry_after};

/// A header a server uses to say when to come back. [`server_wait`] reads them in an order you
/// choose; [`HINT_HEADERS`] is the order a response's [`ServerHint`](crate::hint::ServerHint)
/// uses, and [`ServerHintWait::headers`](crate::wait::ServerHintWait::headers) sets the order
/// a wait strategy reads.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, SystemTime};
/// use http::HeaderMap;
/// use persevere::http::HintHeader;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("ratelimit", "limit=100, remaining=0, reset=30".parse().unwrap());
/// headers.insert("grpc-retry-pushback-ms", "-1".parse().unwrap());
/// let now = SystemTime::now();
/// assert_eq!(HintHeader::RateLimit.read(&headers, now), Some(Duration::from_secs(30)));
/// assert_eq!(HintHeader::GrpcRetryPushback.read(&headers, now), Some(Duration::MAX)); // "do not retry"
/// assert_eq!(HintHeader::RetryAfter.read(&headers, now), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HintHeader {
    /// `Retry-After` (RFC 9110): delay-seconds or an HTTP-date (see [`retry_after`]).
    RetryAfter,
    /// `RateLimit` (the IETF draft): the seconds until the quota resets, as `reset=30` in the
    /// earlier drafts' `limit=100, remaining=0, reset=30`, or as `t=30` in the later drafts'
    /// `"default";r=0;t=30`. A quota that says requests remain (`remaining=5`, `r=5`) gives no
    /// hint (the next family, or the wait's fallback, decides); where a response lists several
    /// spent quotas, the longest reset.
    RateLimit,
    /// `RateLimit-Reset` (the earlier IETF drafts): seconds until the quota resets.
    RateLimitReset,
    /// `X-RateLimit-Reset`: seconds until the reset, or the reset as a Unix timestamp in seconds
    /// (GitHub's). A value of 1 000 000 000 or more (September 2001 as a timestamp, 31 years as a
    /// delay) is read as a timestamp and measured from the response's `Date` when it has one,
    /// else from `now`, as a `Retry-After` date is; a timestamp already past is no wait.
    XRateLimitReset,
    /// `x-amz-retry-after` (AWS): milliseconds.
    AmzRetryAfter,
    /// `grpc-retry-pushback-ms` (gRPC): milliseconds; a negative or unreadable value means "do
    /// not retry" (gRPC's proposal A6), which reads as [`Duration::MAX`], so the call ends.
    GrpcRetryPushback,
    /// A header of the server's own: a wait, or an instant to wait until (see [`HeaderHint`]).
    Custom(HeaderHint),
}

/// Every family, in the order a response's [`ServerHint`](crate::hint::ServerHint) reads them:
/// `Retry-After`, `RateLimit`, `RateLimit-Reset`, `X-RateLimit-Reset`, `x-amz-retry-after`,
/// `grpc-retry-pushback-ms`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, SystemTime};
/// use http::HeaderMap;
/// use persevere::http::{server_wait, HINT_HEADERS};
///
/// // Both present: `Retry-After` comes first.
/// let mut headers = HeaderMap::new();
/// headers.insert("ratelimit-reset", "20".parse().unwrap());
/// headers.insert("retry-after", "5".parse().unwrap());
/// assert_eq!(server_wait(&headers, HINT_HEADERS, SystemTime::now()), Some(Duration::from_secs(5)));
/// ```
pub const HINT_HEADERS: &[HintHeader] = &[
    HintHeader::RetryAfter,
    HintHeader::RateLimit,
    HintHeader::RateLimitReset,
    HintHeader::XRateLimitReset,
    HintHeader::AmzRetryAfter,
    HintHeader::GrpcRetryPushback,
];

/// The wait the first family in `order` that `headers` carry a usable value of asks for. A value
/// that does not parse (garbage, a sign where none belongs, a number that overflows) is no hint,
/// and the next family is tried; except `grpc-retry-pushback-ms`, where gRPC (proposal A6) reads
/// a negative or unreadable value as "do not retry" ([`Duration::MAX`]).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, SystemTime};
/// use http::HeaderMap;
/// use persevere::http::{HintHeader, HINT_HEADERS, server_wait};
///
/// let now = SystemTime::now();
/// let mut headers = HeaderMap::new();
/// headers.insert("x-ratelimit-reset", "12".parse().unwrap());
/// headers.insert("retry-after", "soon".parse().unwrap()); // unusable: the next family
/// assert_eq!(server_wait(&headers, HINT_HEADERS, now), Some(Duration::from_secs(12)));
///
/// headers.insert("x-amz-retry-after", "1500".parse().unwrap());
/// let amazon_first = [HintHeader::AmzRetryAfter, HintHeader::XRateLimitReset];
/// assert_eq!(server_wait(&headers, &amazon_first, now), Some(Duration::from_millis(1500)));
/// ```
pub fn server_wait(headers: &HeaderMap, order: &[HintHeader], now: SystemTime) -> Option<Duration> {
    order.iter().find_map(|header| header.read(headers, now))
}

impl HintHeader {
    /// The wait this family's header in `headers` asks for, if it has a usable one. `now` is the
    /// instant a timestamp or an HTTP-date is measured from.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use http::HeaderMap;
    /// use persevere::http::HintHeader;
    ///
    /// // GitHub's reset, a Unix timestamp.
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-ratelimit-reset", "1800000045".parse().unwrap());
    /// let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    /// assert_eq!(HintHeader::XRateLimitReset.read(&headers, now), Some(Duration::from_secs(45)));
    /// ```
    pub fn read(&self, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
        let values = |name: &str| {
            headers
                .get_all(name)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .map(str::trim)
                .collect::<Vec<_>>()
        };
        match self {
            HintHeader::RetryAfter => retry_after(headers, now),
            HintHeader::RateLimit => values("ratelimit")
                .into_iter()
                .flat_map(quotas)
                .filter_map(|quota| quota_reset(&quota))
                .max(),
            HintHeader::RateLimitReset => values("ratelimit-reset")
                .into_iter()
                .filter_map(seconds)
                .max(),
            HintHeader::XRateLimitReset => values("x-ratelimit-reset")
                .into_iter()
                .filter_map(|value| reset(value, super::retry_after::server_now(headers, now)))
                .max(),
            HintHeader::AmzRetryAfter => values("x-amz-retry-after")
                .into_iter()
                .filter_map(|value| digits(value).map(Duration::from_millis))
                .max(),
            // gRPC (proposal A6): a negative or unreadable pushback means "do not retry",
            // which a hint of `Duration::MAX` says.
            HintHeader::GrpcRetryPushback => values("grpc-retry-pushback-ms")
                .into_iter()
                .map(|value| match value.strip_prefix('-') {
                    None => digits(value).map_or(Duration::MAX, Duration::from_millis),
                    Some("0") => Duration::ZERO,
                    Some(_) => Duration::MAX,
                })
                .max(),
            HintHeader::Custom(header) => header.read(headers, now),
        }
    }
}

/// The quotas of a `RateLimit` value, each as its parameters: the earlier drafts' one quota
/// (`limit=100, remaining=0, reset=30`), or the later drafts' list of them
/// (`"a";r=0;t=30, "b";r=5;t=60`). A quoted name is the quota's own: what it holds is not read.
fn quotas(value: &str) -> Vec<Vec<(&str, &str)>> {
    let is_earlier = outside_quotes(value, &[',', ';']).any(|parameter| {
        parameter
            .split_once('=')
            .is_some_and(|(key, _)| key.trim() == "reset")
    });
    if is_earlier {
        vec![parameters(value, &[',', ';'])]
    } else {
        outside_quotes(value, &[','])
            .map(|quota| parameters(quota, &[';']))
            .collect()
    }
}

/// `text` split at `separators` that stand outside a quoted string.
fn outside_quotes<'a>(text: &'a str, separators: &'a [char]) -> impl Iterator<Item = &'a str> {
    let mut quoted = false;
    let mut escaped = false;
    text.split(move |c: char| {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            _ => return !quoted && separators.contains(&c),
        }
        false
    })
}

/// The `key=value` parameters of `text`, split at `separators` outside quoted strings.
fn parameters<'a>(text: &'a str, separators: &'a [char]) -> Vec<(&'a str, &'a str)> {
    outside_quotes(text, separators)
        .filter_map(|parameter| {
            let (key, value) = parameter.split_once('=')?;
            Some((key.trim(), value.trim()))
        })
        .collect()
}

/// When a quota resets, if it is spent: a quota that says requests remain (`remaining=5`,
/// `r=5`) gives no hint. A parameter given twice counts as last given, as in HTTP's
/// structured fields.
fn quota_reset(quota: &[(&str, &str)]) -> Option<Duration> {
    let last = |keys: [&str; 2]| {
        quota
            .iter()
            .rev()
            .find(|(key, _)| keys.contains(key))
            .map(|(_, value)| *value)
    };
    // A count too long for a `u64` still says requests remain.
    let remains = last(["remaining", "r"]).is_some_and(|count| {
        !count.is_empty()
            && count.bytes().all(|byte| byte.is_ascii_digit())
            && count.bytes().any(|byte| byte != b'0')
    });
    if remains {
        return None;
    }
    last(["reset", "t"]).and_then(seconds)
}

/// Whole seconds, without a sign.
fn seconds(value: &str) -> Option<Duration> {
    digits(value).map(Duration::from_secs)
}

/// A number written in digits alone: no sign (which `str::parse` would take), no point.
fn digits(value: &str) -> Option<u64> {
    if !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// `X-RateLimit-Reset`: seconds from now, or a Unix timestamp.
fn reset(value: &str, now: SystemTime) -> Option<Duration> {
    const TIMESTAMPS_FROM: u64 = 1_000_000_000;
    let value = seconds(value)?;
    if value.as_secs() < TIMESTAMPS_FROM {
        return Some(value);
    }
    let at = UNIX_EPOCH.checked_add(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, value.parse().unwrap());
        }
        headers
    }

    fn read(header: HintHeader, pairs: &[(&'static str, &'static str)]) -> Option<Duration> {
        header.read(
            &headers(pairs),
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )
    }

    #[test]
    fn each_family_and_its_garbage() {
        use HintHeader::*;
        let secs = Duration::from_secs;
        let ms = Duration::from_millis;
        // RateLimit, both drafts' forms; the longest of several quotas.
        assert_eq!(
            read(
                RateLimit,
                &[("ratelimit", "limit=100, remaining=0, reset=30")]
            ),
            Some(secs(30))
        );
        assert_eq!(
            read(RateLimit, &[("ratelimit", "\"default\";r=0;t=7")]),
            Some(secs(7))
        );
        assert_eq!(
            read(RateLimit, &[("ratelimit", "\"a\";r=0;t=5, \"b\";r=0;t=50")]),
            Some(secs(50))
        );
        // A quota with requests left gives no hint: the spent one's reset counts.
        assert_eq!(
            read(
                RateLimit,
                &[("ratelimit", "\"a\";r=0;t=5, \"b\";r=10;t=50")]
            ),
            Some(secs(5))
        );
        assert_eq!(
            read(
                RateLimit,
                &[("ratelimit", "\"a\";r=3;t=5, \"b\";r=10;t=50")]
            ),
            None
        );
        assert_eq!(
            read(
                RateLimit,
                &[("ratelimit", "limit=100, remaining=4, reset=30")]
            ),
            None
        );
        // A quoted name is not read; a parameter given twice counts as last given; a count too
        // long for a number still says requests remain.
        assert_eq!(
            read(RateLimit, &[("ratelimit", "\"a;t=99\";r=0;t=5")]),
            Some(secs(5))
        );
        assert_eq!(
            read(RateLimit, &[("ratelimit", "\"x;reset=1, \\\"y\";r=0;t=5")]),
            Some(secs(5))
        );
        assert_eq!(
            read(RateLimit, &[("ratelimit", "\"a\";r=0;t=5;t=7")]),
            Some(secs(7))
        );
        assert_eq!(
            read(RateLimit, &[("ratelimit", "\"a\";r=5;r=0;t=5")]),
            Some(secs(5))
        );
        assert_eq!(
            read(
                RateLimit,
                &[("ratelimit", "\"a\";r=99999999999999999999999;t=5")]
            ),
            None
        );
        // A quota that does not say what remains is taken as spent.
        assert_eq!(
            read(RateLimit, &[("ratelimit", "\"a\";t=9, \"b\";r=10;t=50")]),
            Some(secs(9))
        );
        assert_eq!(read(RateLimit, &[("ratelimit", "reset=-3")]), None);
        assert_eq!(read(RateLimit, &[("ratelimit", "limit=100")]), None);
        // RateLimit-Reset.
        assert_eq!(
            read(RateLimitReset, &[("ratelimit-reset", "9")]),
            Some(secs(9))
        );
        assert_eq!(read(RateLimitReset, &[("ratelimit-reset", "+9")]), None);
        assert_eq!(read(RateLimitReset, &[("ratelimit-reset", "9.5")]), None);
        // X-RateLimit-Reset: a delay, or a timestamp (ours is 1 700 000 000).
        assert_eq!(
            read(XRateLimitReset, &[("x-ratelimit-reset", "60")]),
            Some(secs(60))
        );
        assert_eq!(
            read(XRateLimitReset, &[("x-ratelimit-reset", "1700000042")]),
            Some(secs(42))
        );
        assert_eq!(
            read(XRateLimitReset, &[("x-ratelimit-reset", "1600000000")]),
            Some(Duration::ZERO)
        );
        // A timestamp is measured on the server's clock, from its `Date`: here an hour behind
        // ours, so 60 s after the server's time, not already past.
        assert_eq!(
            read(
                XRateLimitReset,
                &[
                    ("x-ratelimit-reset", "1699996460"),
                    ("date", "Tue, 14 Nov 2023 21:13:20 GMT"),
                ]
            ),
            Some(secs(60))
        );
        assert_eq!(
            read(
                XRateLimitReset,
                &[("x-ratelimit-reset", "99999999999999999999999")]
            ),
            None
        );
        // Milliseconds.
        assert_eq!(
            read(AmzRetryAfter, &[("x-amz-retry-after", "250")]),
            Some(ms(250))
        );
        assert_eq!(read(AmzRetryAfter, &[("x-amz-retry-after", "-1")]), None);
        assert_eq!(
            read(GrpcRetryPushback, &[("grpc-retry-pushback-ms", "40")]),
            Some(ms(40))
        );
        // gRPC's "do not retry".
        assert_eq!(
            read(GrpcRetryPushback, &[("grpc-retry-pushback-ms", "-1")]),
            Some(Duration::MAX)
        );
        assert_eq!(
            read(GrpcRetryPushback, &[("grpc-retry-pushback-ms", "later")]),
            Some(Duration::MAX)
        );
        // Digits alone, as every other family: a sign is not a number of milliseconds.
        assert_eq!(read(AmzRetryAfter, &[("x-amz-retry-after", "+250")]), None);
        assert_eq!(
            read(GrpcRetryPushback, &[("grpc-retry-pushback-ms", "+40")]),
            Some(Duration::MAX)
        );
        assert_eq!(
            read(GrpcRetryPushback, &[("grpc-retry-pushback-ms", "-0")]),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn the_first_usable_family_in_the_order_wins() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let all = headers(&[
            ("retry-after", "not a number"),
            ("ratelimit-reset", "8"),
            ("x-amz-retry-after", "100"),
        ]);
        assert_eq!(
            server_wait(&all, HINT_HEADERS, now),
            Some(Duration::from_secs(8))
        );
        assert_eq!(
            server_wait(
                &all,
                &[HintHeader::AmzRetryAfter, HintHeader::RateLimitReset],
                now
            ),
            Some(Duration::from_millis(100))
        );
        assert_eq!(server_wait(&all, &[HintHeader::RateLimit], now), None);
        assert_eq!(server_wait(&HeaderMap::new(), HINT_HEADERS, now), None);
    }
}
