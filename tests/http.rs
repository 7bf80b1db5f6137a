#![cfg(feature = "http")]
//! The `http` feature: status classification, `Retry-After` parsing (seconds, the three date
//! forms, the server's clock), the status conditions on errors and on `Ok` responses through
//! `Policy` and `#[retry]`, and `server_hint()` honouring a response's `Retry-After`.

use std::cell::{Cell, RefCell};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::{DATE, RETRY_AFTER};
use http::{HeaderMap, HeaderValue, Response, StatusCode};
use persevere::condition::{Condition, any_error, on_error};
use persevere::hint::ServerHint;
use persevere::http::*;
use persevere::sleep::RecordingSleeper;
use persevere::stop::attempts;
use persevere::wait::{fixed, none, server_hint};
use persevere::{Policy, retry};

const SECOND: Duration = Duration::from_secs(1);
const RETRYABLE: [u16; 6] = [408, 429, 500, 502, 503, 504];

/// Sun, 06 Nov 1994 08:49:37 GMT, HTTP's example date.
fn example_date() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(784_111_777)
}

/// Our clock in these tests: some instant in 2025.
fn our_now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_750_000_000)
}

/// A time's calendar fields (UTC): weekday (0 = Sunday), day, month (1 = January), year, hour,
/// minute, second. Howard Hinnant's `civil_from_days`, written here so that the dates the tests
/// send do not come from the parser's own crate.
fn civil(time: SystemTime) -> (usize, u64, usize, u64, u64, u64, u64) {
    let secs = time.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let weekday = ((days + 4) % 7) as usize; // 1970-01-01 was a Thursday.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as usize;
    let year = yoe + era * 400 + u64::from(month <= 2);
    (
        weekday,
        day,
        month,
        year,
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
    )
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Sun, 06 Nov 1994 08:49:37 GMT`
fn imf_fixdate(time: SystemTime) -> String {
    let (w, d, m, y, h, mi, s) = civil(time);
    format!(
        "{}, {d:02} {} {y} {h:02}:{mi:02}:{s:02} GMT",
        DAYS[w],
        MONTHS[m - 1]
    )
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`
fn rfc850(time: SystemTime) -> String {
    let (w, d, m, y, h, mi, s) = civil(time);
    format!(
        "{}, {d:02}-{}-{:02} {h:02}:{mi:02}:{s:02} GMT",
        LONG_DAYS[w],
        MONTHS[m - 1],
        y % 100
    )
}

/// `Sun Nov  6 08:49:37 1994`
fn asctime(time: SystemTime) -> String {
    let (w, d, m, y, h, mi, s) = civil(time);
    format!(
        "{} {} {d:>2} {h:02}:{mi:02}:{s:02} {y}",
        DAYS[w],
        MONTHS[m - 1]
    )
}

type Format = fn(SystemTime) -> String;
const FORMATS: [(&str, Format); 3] = [
    ("IMF-fixdate", imf_fixdate),
    ("RFC 850", rfc850),
    ("asctime", asctime),
];

/// `value`'s hint, through the impl for `H` itself (a box here, not what it points to).
fn hint_of<H: ServerHint>(value: H) -> Option<Duration> {
    value.retry_after()
}

/// `value`'s hint, through the impl for `&H`.
fn hint_through_ref<H: ServerHint>(value: &H) -> Option<Duration> {
    <&H as ServerHint>::retry_after(&value)
}

/// `value`'s status, through the impl for `&H`.
fn status_through_ref<H: HttpStatus + ?Sized>(value: &H) -> Option<StatusCode> {
    <&H as HttpStatus>::http_status(&value)
}

/// `condition`'s decision, through the impl for `&C`.
fn decides_through_ref<C, T, E>(condition: &C, outcome: &Result<T, E>) -> bool
where
    for<'a> &'a C: Condition<T, E>,
{
    <&C as Condition<T, E>>::should_retry(&condition, outcome)
}

fn headers(pairs: &[(http::HeaderName, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(name.clone(), HeaderValue::from_str(value).unwrap());
    }
    map
}

// ---------------------------------------------------------------------------------------------
// Retry-After

#[test]
fn the_test_dates_are_written_as_http_writes_them() {
    assert_eq!(imf_fixdate(example_date()), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(rfc850(example_date()), "Sunday, 06-Nov-94 08:49:37 GMT");
    assert_eq!(asctime(example_date()), "Sun Nov  6 08:49:37 1994");
}

#[test]
fn delay_seconds_are_whole_non_negative_seconds() {
    let now = our_now();
    for (value, secs) in [
        ("0", 0),
        ("1", 1),
        ("120", 120),
        ("007", 7),
        (" 30", 30),
        ("30 ", 30),
        ("\t30\t", 30),
        ("  86400  ", 86_400),
        ("18446744073709551615", u64::MAX),
    ] {
        let expected = Some(Duration::from_secs(secs));
        assert_eq!(retry_after_value(value, None, now), expected, "{value:?}");
        assert_eq!(
            retry_after(&headers(&[(RETRY_AFTER, value)]), now),
            expected,
            "{value:?}"
        );
    }
    // A `Date` header does not change a delay in seconds.
    let with_date = headers(&[(RETRY_AFTER, "5"), (DATE, "Sun, 06 Nov 1994 08:49:37 GMT")]);
    assert_eq!(retry_after(&with_date, now), Some(5 * SECOND));
}

#[test]
fn each_date_form_is_measured_from_now_without_a_date_header() {
    let now = example_date();
    for literal in [
        "Sun, 06 Nov 1994 08:50:07 GMT",
        "Sunday, 06-Nov-94 08:50:07 GMT",
        "Sun Nov  6 08:50:07 1994",
    ] {
        assert_eq!(
            retry_after_value(literal, None, now),
            Some(30 * SECOND),
            "{literal}"
        );
        assert_eq!(
            retry_after(&headers(&[(RETRY_AFTER, literal)]), now),
            Some(30 * SECOND),
            "{literal}"
        );
    }
    for (form, format) in FORMATS {
        let later = our_now() + Duration::from_secs(3_725);
        assert_eq!(
            retry_after_value(&format(later), None, our_now()),
            Some(Duration::from_secs(3_725)),
            "{form}: {}",
            format(later)
        );
    }
}

#[test]
fn a_date_is_measured_on_the_servers_clock_when_the_response_has_one() {
    let now = our_now();
    for (form, format) in FORMATS {
        for (date_form, date_format) in FORMATS {
            // The server's clock is 10 minutes behind ours: against our clock the date would be
            // long past (0 s); against the server's `Date` it is 30 s away.
            let server = now - Duration::from_secs(600);
            let date = date_format(server);
            let until = format(server + 30 * SECOND);
            let map = headers(&[(RETRY_AFTER, &until), (DATE, &date)]);
            assert_eq!(
                retry_after(&map, now),
                Some(30 * SECOND),
                "{form} after a {date_form} Date"
            );
            assert_eq!(
                retry_after_value(&until, Some(&date), now),
                Some(30 * SECOND)
            );

            // 10 minutes ahead: 30 s, not 10 min 30 s.
            let server = now + Duration::from_secs(600);
            let date = date_format(server);
            let until = format(server + 30 * SECOND);
            let map = headers(&[(RETRY_AFTER, &until), (DATE, &date)]);
            assert_eq!(retry_after(&map, now), Some(30 * SECOND));
        }
    }
}

#[test]
fn a_date_header_that_does_not_parse_leaves_our_clock() {
    let now = our_now();
    let until = imf_fixdate(now + 45 * SECOND);
    for date in ["yesterday", "", "Sun, 06 Nov 1994", "1750000000"] {
        let map = headers(&[(RETRY_AFTER, &until), (DATE, date)]);
        assert_eq!(retry_after(&map, now), Some(45 * SECOND), "Date: {date:?}");
        assert_eq!(
            retry_after_value(&until, Some(date), now),
            Some(45 * SECOND)
        );
    }
    // Whitespace around the `Date` value is tolerated too.
    let padded = format!("  {}  ", imf_fixdate(now - 15 * SECOND));
    assert_eq!(
        retry_after_value(&until, Some(&padded), now),
        Some(60 * SECOND)
    );
}

#[test]
fn a_date_in_the_past_means_retry_now() {
    let now = our_now();
    for (_, format) in FORMATS {
        let past = format(now - Duration::from_secs(3_600));
        assert_eq!(retry_after_value(&past, None, now), Some(Duration::ZERO));
        // Before the server's own `Date`, and equal to it.
        let date = imf_fixdate(now);
        assert_eq!(
            retry_after_value(&format(now - SECOND), Some(&date), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after_value(&format(now), Some(&date), now),
            Some(Duration::ZERO)
        );
    }
    let map = headers(&[(RETRY_AFTER, "Sun, 06 Nov 1994 08:49:37 GMT")]);
    assert_eq!(retry_after(&map, now), Some(Duration::ZERO));
}

#[test]
fn garbage_negative_huge_and_empty_values_are_none() {
    let now = our_now();
    for value in [
        // Garbage.
        "soon",
        "12abc",
        "1.5",
        "+5",
        "0x10",
        "5 s",
        "5s",
        "1e3",
        "5 5",
        "١٢٣",
        "Sun, 06 Nov 1994",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Mon, 06 Nov 1994 08:49:37 GMT", // the wrong weekday
        "sun, 06 nov 1994 08:49:37 gmt",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "2025-06-15T12:00:00Z",
        // A list joined into one value.
        "5, 10",
        // Negative.
        "-5",
        "-0",
        "- 5",
        // Too large for a u64 (and so for a Duration).
        "99999999999999999999999",
        "18446744073709551616",
        // Empty.
        "",
        " ",
        "\t \t",
    ] {
        assert_eq!(retry_after_value(value, None, now), None, "{value:?}");
        assert_eq!(
            retry_after_value(value, Some("Sun, 06 Nov 1994 08:49:37 GMT"), now),
            None,
            "{value:?}"
        );
        if let Ok(header) = HeaderValue::from_str(value) {
            let mut map = HeaderMap::new();
            map.insert(RETRY_AFTER, header);
            assert_eq!(retry_after(&map, now), None, "{value:?}");
        }
    }
    // No header at all, and a value that is not text.
    assert_eq!(retry_after(&HeaderMap::new(), now), None);
    let mut map = HeaderMap::new();
    map.insert(RETRY_AFTER, HeaderValue::from_bytes(b"\xff5").unwrap());
    assert_eq!(retry_after(&map, now), None);
}

#[test]
fn a_repeated_header_asks_for_the_longest_delay_that_parses() {
    let now = our_now();
    let both = headers(&[(RETRY_AFTER, "5"), (RETRY_AFTER, "10")]);
    assert_eq!(retry_after(&both, now), Some(10 * SECOND));
    let reversed = headers(&[(RETRY_AFTER, "10"), (RETRY_AFTER, "5")]);
    assert_eq!(retry_after(&reversed, now), Some(10 * SECOND));

    let date = imf_fixdate(now + 20 * SECOND);
    let mixed = headers(&[(RETRY_AFTER, "5"), (RETRY_AFTER, &date)]);
    assert_eq!(retry_after(&mixed, now), Some(20 * SECOND));

    let one_bad = headers(&[(RETRY_AFTER, "soon"), (RETRY_AFTER, "7")]);
    assert_eq!(retry_after(&one_bad, now), Some(7 * SECOND));
    let all_bad = headers(&[(RETRY_AFTER, "soon"), (RETRY_AFTER, "-7")]);
    assert_eq!(retry_after(&all_bad, now), None);

    let mut not_text = HeaderMap::new();
    not_text.append(RETRY_AFTER, HeaderValue::from_bytes(b"\xff").unwrap());
    not_text.append(RETRY_AFTER, HeaderValue::from_static("3"));
    assert_eq!(retry_after(&not_text, now), Some(3 * SECOND));
}

#[test]
fn a_response_is_a_server_hint() {
    let response = Response::builder()
        .status(503)
        .header(RETRY_AFTER, "4")
        .body(())
        .unwrap();
    assert_eq!(response.retry_after(), Some(4 * SECOND));
    assert_eq!(hint_through_ref(&response), Some(4 * SECOND));
    assert_eq!(hint_of(Box::new(response)), Some(4 * SECOND));
    assert_eq!(Response::new(()).retry_after(), None);

    // With a `Date`, our clock plays no part.
    let response = Response::builder()
        .header(DATE, "Sun, 06 Nov 1994 08:49:37 GMT")
        .header(RETRY_AFTER, "Sun, 06 Nov 1994 08:51:37 GMT")
        .body(())
        .unwrap();
    assert_eq!(response.retry_after(), Some(120 * SECOND));
    let (parts, ()) = response.into_parts();
    assert_eq!(parts.retry_after(), Some(120 * SECOND));

    // Without one, the date is measured from the current time (to the second).
    let until = imf_fixdate(SystemTime::now() + 100 * SECOND);
    let response = Response::builder()
        .header(RETRY_AFTER, until)
        .body(())
        .unwrap();
    let hint = response.retry_after().unwrap();
    assert!(hint > 95 * SECOND && hint <= 100 * SECOND, "{hint:?}");
}

// ---------------------------------------------------------------------------------------------
// Classification

#[test]
fn every_status_is_classified_by_the_rule() {
    // 100..=599 are HTTP's classes; 600..=999 are what `StatusCode` also accepts.
    let mut retryable = Vec::new();
    for code in 100..=999 {
        let status = StatusCode::from_u16(code).unwrap();
        assert_eq!(
            is_retryable_status(status),
            RETRYABLE.contains(&code),
            "{code}"
        );
        if is_retryable_status(status) {
            retryable.push(code);
        }
    }
    assert_eq!(retryable, RETRYABLE);
    // The ones a reader might expect, declined on purpose.
    for code in [501, 505, 506, 507, 508, 510, 511, 520, 599, 425, 409] {
        assert!(!is_retryable_status(StatusCode::from_u16(code).unwrap()));
    }
    const BUSY: bool = is_retryable_status(StatusCode::SERVICE_UNAVAILABLE);
    const MISSING: bool = is_retryable_status(StatusCode::NOT_FOUND);
    const { assert!(BUSY && !MISSING) };
}

#[test]
fn status_carriers_report_their_status() {
    let response = Response::builder().status(429).body(()).unwrap();
    assert_eq!(response.http_status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(
        status_through_ref(&response),
        Some(StatusCode::TOO_MANY_REQUESTS)
    );
    assert_eq!(
        status_through_ref(&Box::new(&response)),
        Some(StatusCode::TOO_MANY_REQUESTS)
    );
    let (parts, ()) = response.into_parts();
    assert_eq!(parts.http_status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(StatusCode::OK.http_status(), Some(StatusCode::OK));
    let boxed: Box<dyn HttpStatus> = Box::new(StatusCode::BAD_GATEWAY);
    assert_eq!(boxed.http_status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(ApiError::Connect.http_status(), None);
}

// ---------------------------------------------------------------------------------------------
// Conditions

#[derive(Debug, PartialEq)]
enum ApiError {
    Status(StatusCode),
    Connect,
}

impl HttpStatus for ApiError {
    fn http_status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Status(status) => Some(*status),
            ApiError::Connect => None,
        }
    }
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap()
}

fn err(code: u16) -> Result<(), ApiError> {
    Err(ApiError::Status(status(code)))
}

fn response(code: u16) -> Response<&'static str> {
    Response::builder().status(code).body("").unwrap()
}

fn ok(code: u16) -> Result<Response<&'static str>, ApiError> {
    Ok(response(code))
}

fn retries_ok<C: Condition<Response<&'static str>, ApiError>>(_: &C) -> bool {
    C::retries_ok()
}

#[test]
fn retryable_status_retries_errors_by_status_and_no_ok() {
    let condition = retryable_status();
    for code in 100..=599 {
        let expected = RETRYABLE.contains(&code);
        assert_eq!(condition.should_retry(&err(code)), expected, "{code}");
        assert!(!condition.should_retry(&ok(code)), "{code}");
    }
    assert!(!condition.should_retry(&Err::<(), _>(ApiError::Connect)));
    assert!(!retries_ok(&condition));
    // Errors that are responses, or boxed.
    assert!(condition.should_retry(&Err::<(), _>(response(503))));
    assert!(condition.should_retry(&Err::<(), _>(Box::new(response(503)))));
}

#[test]
fn from_ok_retries_ok_values_by_status_and_no_error() {
    let condition = retryable_status().from_ok();
    for code in 100..=599 {
        let expected = RETRYABLE.contains(&code);
        assert_eq!(condition.should_retry(&ok(code)), expected, "{code}");
        let failed: Result<Response<&str>, ApiError> = Err(ApiError::Status(status(code)));
        assert!(!condition.should_retry(&failed), "{code}");
    }
    assert!(retries_ok(&condition));
}

#[test]
fn statuses_takes_any_list_of_codes() {
    let codes = vec![502u16, 503];
    let named = vec![StatusCode::BAD_GATEWAY, StatusCode::SERVICE_UNAVAILABLE];
    let boxed: Box<[u16]> = Box::new([502, 503]);
    let conditions: [&dyn Condition<(), ApiError>; 8] = [
        &statuses([502, 503]),
        &statuses([StatusCode::BAD_GATEWAY, StatusCode::SERVICE_UNAVAILABLE]),
        &statuses(&[502u16, 503][..]),
        &statuses(codes.clone()),
        &statuses(&codes),
        &statuses(&named),
        &statuses(&boxed),
        &statuses(boxed.clone()),
    ];
    for condition in conditions {
        for code in 100..=599 {
            let expected = code == 502 || code == 503;
            assert_eq!(condition.should_retry(&err(code)), expected, "{code}");
        }
        assert!(!condition.should_retry(&Err(ApiError::Connect)));
        assert!(!condition.should_retry(&Ok(())));
    }
    // A number that is no status matches nothing.
    assert!(!statuses([0, 1000, 65535]).should_retry(&err(503)));
    // An empty set retries nothing.
    assert!(!statuses::<[u16; 0]>([]).should_retry(&err(503)));
    assert!(!retries_ok(&statuses([503])));
    // One status alone is a set of one.
    for alone in [
        &statuses(503) as &dyn Condition<(), ApiError>,
        &statuses(StatusCode::SERVICE_UNAVAILABLE),
    ] {
        for code in 100..=599 {
            assert_eq!(alone.should_retry(&err(code)), code == 503, "{code}");
        }
    }
}

/// `statuses(503)` in the attribute, as in `Policy`.
#[retry(stop = attempts(3), wait = fixed(0s), retry_if = statuses(503))]
fn one_status_alone(codes: &RefCell<Vec<u16>>) -> Result<(), ApiError> {
    let code = codes.borrow_mut().remove(0);
    Err(err(code).unwrap_err())
}

#[test]
fn one_status_alone_through_the_attribute() {
    let codes = RefCell::new(vec![503, 503, 503]);
    assert!(one_status_alone(&codes).is_err());
    assert!(codes.borrow().is_empty());
    let codes = RefCell::new(vec![502, 503]);
    assert!(one_status_alone(&codes).is_err());
    assert_eq!(*codes.borrow(), [503]);
}

#[test]
fn statuses_from_ok_retries_ok_values_in_the_set() {
    let condition = statuses([429]).from_ok();
    assert!(condition.should_retry(&ok(429)));
    assert!(!condition.should_retry(&ok(503)));
    assert!(!condition.should_retry(&Err::<Response<&str>, _>(ApiError::Status(status(429)))));
    assert!(retries_ok(&condition));
    let from_config = vec![StatusCode::CONFLICT];
    assert!(statuses(&from_config).from_ok().should_retry(&ok(409)));
}

#[test]
fn the_conditions_combine_with_the_operators() {
    // Widen the default set.
    let wider = retryable_status() | statuses([501]);
    assert!(wider.should_retry(&err(501)));
    assert!(wider.should_retry(&err(503)));
    assert!(!wider.should_retry(&err(505)));

    // Narrow it.
    let idempotent = Cell::new(false);
    let narrow = retryable_status() & on_error(|_: &ApiError| idempotent.get());
    assert!(!narrow.should_retry(&err(503)));
    idempotent.set(true);
    assert!(narrow.should_retry(&err(503)));
    assert!(!narrow.should_retry(&err(404)));

    // Negate within errors: statuses that are not retryable, and errors with none; never an Ok.
    let not = !retryable_status();
    assert!(not.should_retry(&err(404)));
    assert!(not.should_retry(&Err::<(), _>(ApiError::Connect)));
    assert!(!not.should_retry(&err(503)));
    assert!(!not.should_retry(&ok(404)));
    assert!(!retries_ok(&not));
    let not_gateway = !statuses([502]);
    assert!(not_gateway.should_retry(&err(503)) && !not_gateway.should_retry(&err(502)));

    // Errors and Ok responses at once.
    let both = retryable_status().from_ok() | any_error();
    assert!(both.should_retry(&ok(503)));
    assert!(!both.should_retry(&ok(200)));
    assert!(both.should_retry(&Err::<Response<&str>, _>(ApiError::Connect)));
    assert!(retries_ok(&both));
    let both = statuses([429]).from_ok() | retryable_status();
    assert!(both.should_retry(&ok(429)) && !both.should_retry(&ok(503)));
    let both_err: Result<Response<&str>, ApiError> = Err(ApiError::Status(status(500)));
    assert!(both.should_retry(&both_err));
    let from_ok_not = !retryable_status().from_ok();
    assert!(from_ok_not.should_retry(&ok(200)) && !from_ok_not.should_retry(&ok(503)));
    let all = retryable_status().from_ok() & statuses([503]).from_ok();
    assert!(all.should_retry(&ok(503)) && !all.should_retry(&ok(502)));

    // References are conditions, answering as their referents do.
    let kept = retryable_status();
    assert!(decides_through_ref(&kept, &err(429)));
    assert!(!decides_through_ref(&kept, &err(404)));
    assert!(!retries_ok(&&kept));
    let kept = statuses([503]).from_ok();
    assert!(decides_through_ref(&kept, &ok(503)));
    assert!(!decides_through_ref(&kept, &ok(200)));
    assert!(retries_ok(&&kept));
}

// ---------------------------------------------------------------------------------------------
// Through `Policy`

/// A server's answers, one per call; the last repeats.
struct Server {
    answers: Vec<Answer>,
    calls: Cell<usize>,
}

#[derive(Clone, Copy)]
enum Answer {
    Status(u16),
    /// A status with `Retry-After`, and maybe a `Date`.
    Hinted(u16, &'static str, Option<&'static str>),
    /// A status with `Retry-After` as an IMF-fixdate, seconds after a `Date` 10 minutes behind
    /// our clock.
    SkewedDate(u16, u64),
    Connect,
}

impl Server {
    fn new(answers: &[Answer]) -> Self {
        Server {
            answers: answers.to_vec(),
            calls: Cell::new(0),
        }
    }

    fn calls(&self) -> usize {
        self.calls.get()
    }

    fn respond(&self) -> Result<Response<&'static str>, ApiError> {
        let index = self.calls.get().min(self.answers.len() - 1);
        self.calls.set(self.calls.get() + 1);
        let builder = Response::builder();
        let builder = match self.answers[index] {
            Answer::Connect => return Err(ApiError::Connect),
            Answer::Status(code) => builder.status(code),
            Answer::Hinted(code, after, date) => {
                let builder = builder.status(code).header(RETRY_AFTER, after);
                match date {
                    Some(date) => builder.header(DATE, date),
                    None => builder,
                }
            }
            Answer::SkewedDate(code, after) => {
                let server = SystemTime::now() - Duration::from_secs(600);
                builder
                    .status(code)
                    .header(DATE, imf_fixdate(server))
                    .header(
                        RETRY_AFTER,
                        imf_fixdate(server + Duration::from_secs(after)),
                    )
            }
        };
        Ok(builder.body("body").unwrap())
    }

    /// The answer as an error when its status is not 2xx.
    fn fail(&self) -> Result<&'static str, ApiError> {
        let response = self.respond()?;
        if response.status().is_success() {
            Ok(response.into_body())
        } else {
            Err(ApiError::Status(response.status()))
        }
    }

    /// The answer as an error that is the response itself (boxed, as clippy would have it).
    fn fail_with_response(&self) -> Result<&'static str, Box<Response<&'static str>>> {
        match self.respond() {
            Ok(response) if response.status().is_success() => Ok(response.into_body()),
            Ok(response) => Err(Box::new(response)),
            Err(_) => Err(Box::new(response(599))),
        }
    }
}

use Answer::{Connect, Hinted, SkewedDate, Status};

fn sleeps_within(sleeps: &[Duration], bounds: &[(Duration, Duration)]) {
    assert_eq!(sleeps.len(), bounds.len(), "{sleeps:?}");
    for (slept, (low, high)) in sleeps.iter().zip(bounds) {
        assert!(
            slept >= low && slept <= high,
            "{slept:?} not in {low:?}..={high:?}"
        );
    }
}

#[test]
fn a_policy_retries_errors_with_a_retryable_status() {
    let policy = Policy::new()
        .stop(attempts(3))
        .wait(none())
        .retry_if(retryable_status());

    let server = Server::new(&[Status(503), Status(429), Status(200)]);
    assert_eq!(policy.call(|| server.fail()), Ok("body"));
    assert_eq!(server.calls(), 3);

    let server = Server::new(&[Status(404), Status(200)]);
    assert_eq!(
        policy.call(|| server.fail()),
        Err(ApiError::Status(status(404)))
    );
    assert_eq!(server.calls(), 1);

    let server = Server::new(&[Connect, Status(200)]);
    assert_eq!(policy.call(|| server.fail()), Err(ApiError::Connect));
    assert_eq!(server.calls(), 1);

    let server = Server::new(&[Status(502)]);
    assert_eq!(
        policy.call(|| server.fail()),
        Err(ApiError::Status(status(502)))
    );
    assert_eq!(server.calls(), 3);

    let custom = policy.retry_if(statuses([502]));
    let server = Server::new(&[Status(502), Status(503), Status(200)]);
    assert_eq!(
        custom.call(|| server.fail()),
        Err(ApiError::Status(status(503)))
    );
    assert_eq!(server.calls(), 2);
}

#[test]
fn a_policy_retries_ok_responses_with_a_retryable_status() {
    let policy = Policy::new()
        .stop(attempts(3))
        .wait(none())
        .retry_if(retryable_status().from_ok());

    let server = Server::new(&[Status(503), Status(504), Status(200)]);
    assert_eq!(policy.call(|| server.respond()).unwrap().status(), 200);
    assert_eq!(server.calls(), 3);

    // Out of attempts: the last response, as it came.
    let server = Server::new(&[Status(503)]);
    assert_eq!(policy.call(|| server.respond()).unwrap().status(), 503);
    assert_eq!(server.calls(), 3);

    let server = Server::new(&[Status(404), Status(200)]);
    assert_eq!(policy.call(|| server.respond()).unwrap().status(), 404);
    assert_eq!(server.calls(), 1);

    // The condition is about `Ok` values: errors are not retried unless asked for.
    let server = Server::new(&[Connect, Status(200)]);
    assert!(policy.call(|| server.respond()).is_err());
    assert_eq!(server.calls(), 1);
    let both = policy.retry_if(retryable_status().from_ok() | any_error());
    let server = Server::new(&[Connect, Status(503), Status(200)]);
    assert_eq!(both.call(|| server.respond()).unwrap().status(), 200);
    assert_eq!(server.calls(), 3);

    // `statuses(..).from_ok()`, and `retry_if_ok` with the classification.
    let server = Server::new(&[Status(429), Status(503), Status(200)]);
    let only_429 = policy.retry_if(statuses(vec![429u16]).from_ok());
    assert_eq!(only_429.call(|| server.respond()).unwrap().status(), 503);
    assert_eq!(server.calls(), 2);
    let predicate = Policy::new()
        .stop(attempts(3))
        .wait(none())
        .retry_if_ok(|response: &Response<&str>| is_retryable_status(response.status()));
    let server = Server::new(&[Connect, Status(429), Status(200)]);
    assert_eq!(predicate.call(|| server.respond()).unwrap().status(), 200);
    assert_eq!(server.calls(), 3);
}

#[test]
fn a_policy_honours_retry_after_on_ok_responses() {
    let sleeper = RecordingSleeper::new();
    let policy = Policy::new()
        .stop(attempts(5))
        .retry_if(retryable_status().from_ok())
        .wait(
            server_hint()
                .fallback(fixed(Duration::from_millis(250)))
                .max(Duration::from_secs(60))
                .from_ok(),
        )
        .sleeper(sleeper.clone());
    let server = Server::new(&[
        Hinted(503, "2", None),
        SkewedDate(429, 5),
        Status(503),
        Hinted(
            503,
            "Sun, 06 Nov 1994 08:49:47 GMT",
            Some("Sun, 06 Nov 1994 08:49:37 GMT"),
        ),
        Status(200),
    ]);
    assert_eq!(policy.call(|| server.respond()).unwrap().status(), 200);
    assert_eq!(server.calls(), 5);
    // Each wait is at least the hint and at most 1 s (the default jitter) above it; the
    // response without a hint waits the fallback.
    sleeps_within(
        &sleeper.sleeps(),
        &[
            (2 * SECOND, 3 * SECOND),
            (5 * SECOND, 6 * SECOND),
            (Duration::from_millis(250), Duration::from_millis(250)),
            (10 * SECOND, 11 * SECOND),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Through `#[retry]`

#[retry(stop = attempts(3), wait = 0s, retry_if = retryable_status())]
fn fetch(server: &Server) -> Result<&'static str, ApiError> {
    server.fail()
}

#[retry(stop = attempts(3), wait = 0s, retry_if = persevere::http::statuses([502, 503]))]
fn fetch_gateway(server: &Server) -> Result<&'static str, ApiError> {
    server.fail()
}

#[retry(stop = attempts(3), wait = 0s, retry_if = retryable_status() | statuses([501]))]
fn fetch_wider(server: &Server) -> Result<&'static str, ApiError> {
    server.fail()
}

#[retry(stop = attempts(3), wait = 0s, retry_if = retryable_status().from_ok())]
fn get(server: &Server) -> Result<Response<&'static str>, ApiError> {
    server.respond()
}

#[retry(
    stop = attempts(3),
    wait = 0s,
    retry_if_ok = |response: &Response<&'static str>| is_retryable_status(response.status())
)]
fn get_by_predicate(server: &Server) -> Result<Response<&'static str>, ApiError> {
    server.respond()
}

#[test]
fn the_attribute_retries_errors_with_a_retryable_status() {
    let server = Server::new(&[Status(503), Status(408), Status(200)]);
    assert_eq!(fetch(&server), Ok("body"));
    assert_eq!(server.calls(), 3);

    let server = Server::new(&[Status(403), Status(200)]);
    assert_eq!(fetch(&server), Err(ApiError::Status(status(403))));
    assert_eq!(server.calls(), 1);

    let server = Server::new(&[Status(500)]);
    assert_eq!(fetch(&server), Err(ApiError::Status(status(500))));
    assert_eq!(server.calls(), 3);

    let server = Server::new(&[Status(502), Status(500), Status(200)]);
    assert_eq!(fetch_gateway(&server), Err(ApiError::Status(status(500))));
    assert_eq!(server.calls(), 2);

    let server = Server::new(&[Status(501), Status(503), Status(200)]);
    assert_eq!(fetch_wider(&server), Ok("body"));
    assert_eq!(server.calls(), 3);
}

#[test]
fn the_attribute_retries_ok_responses_with_a_retryable_status() {
    let server = Server::new(&[Status(503), Status(429), Status(200)]);
    assert_eq!(get(&server).unwrap().status(), 200);
    assert_eq!(server.calls(), 3);

    let server = Server::new(&[Status(503)]);
    assert_eq!(get(&server).unwrap().status(), 503);
    assert_eq!(server.calls(), 3);

    let server = Server::new(&[Status(400), Status(200)]);
    assert_eq!(get(&server).unwrap().status(), 400);
    assert_eq!(server.calls(), 1);

    let server = Server::new(&[Connect, Status(200)]);
    assert_eq!(get(&server).unwrap_err(), ApiError::Connect);
    assert_eq!(server.calls(), 1);

    // `retry_if_ok` keeps the default (every error retried) beside it.
    let server = Server::new(&[Connect, Status(504), Status(200)]);
    assert_eq!(get_by_predicate(&server).unwrap().status(), 200);
    assert_eq!(server.calls(), 3);
}

#[retry(
    stop = attempts(4),
    wait = server_hint(fallback = fixed(250ms)).from_ok(),
    retry_if = retryable_status().from_ok(),
    sleep = sleeper.clone()
)]
fn get_hinted(
    server: &Server,
    sleeper: &RecordingSleeper,
) -> Result<Response<&'static str>, ApiError> {
    server.respond()
}

#[retry(
    stop = attempts(4),
    wait = server_hint(fallback = fixed(250ms), max = 10s, jitter = 500ms).from_ok(),
    retry_if = retryable_status().from_ok(),
    sleep = sleeper.clone()
)]
fn get_capped(
    server: &Server,
    sleeper: &RecordingSleeper,
) -> Result<Response<&'static str>, ApiError> {
    server.respond()
}

#[retry(
    stop = attempts(3),
    wait = server_hint(fallback = fixed(250ms), jitter = 0s),
    retry_if = retryable_status(),
    sleep = sleeper.clone()
)]
fn fetch_hinted(
    server: &Server,
    sleeper: &RecordingSleeper,
) -> Result<&'static str, Box<Response<&'static str>>> {
    server.fail_with_response()
}

#[test]
fn server_hint_honours_retry_after_on_ok_responses_in_the_attribute() {
    let sleeper = RecordingSleeper::new();
    let server = Server::new(&[
        Hinted(503, "3", None),
        SkewedDate(429, 30),
        Status(503),
        Status(200),
    ]);
    assert_eq!(get_hinted(&server, &sleeper).unwrap().status(), 200);
    assert_eq!(server.calls(), 4);
    sleeps_within(
        &sleeper.sleeps(),
        &[
            (3 * SECOND, 4 * SECOND),
            // 30 s after the server's `Date`, though that date is 9.5 minutes past on our clock.
            (30 * SECOND, 31 * SECOND),
            (Duration::from_millis(250), Duration::from_millis(250)),
        ],
    );

    // A jitter of 500 ms keeps each wait within [hint, hint + 500 ms], and never past `max`.
    let sleeper = RecordingSleeper::new();
    let server = Server::new(&[Hinted(503, "2", None), Hinted(503, "10", None), Status(200)]);
    assert_eq!(get_capped(&server, &sleeper).unwrap().status(), 200);
    sleeps_within(
        &sleeper.sleeps(),
        &[
            (2 * SECOND, Duration::from_millis(2_500)),
            (10 * SECOND, 10 * SECOND),
        ],
    );
}

#[test]
fn a_hint_above_max_ends_the_call_after_one_attempt() {
    let sleeper = RecordingSleeper::new();
    let server = Server::new(&[Hinted(503, "60", None), Status(200)]);
    let response = get_capped(&server, &sleeper).unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()[RETRY_AFTER], "60");
    assert_eq!(server.calls(), 1);
    assert_eq!(sleeper.sleeps(), []);

    // A date too far off ends it too, measured on the server's clock.
    let sleeper = RecordingSleeper::new();
    let server = Server::new(&[SkewedDate(503, 11), Status(200)]);
    assert_eq!(get_capped(&server, &sleeper).unwrap().status(), 503);
    assert_eq!(server.calls(), 1);
    assert_eq!(sleeper.sleeps(), []);

    // The same through `Policy`.
    let sleeper = RecordingSleeper::new();
    let policy = Policy::new()
        .stop(attempts(4))
        .retry_if(retryable_status().from_ok())
        .wait(server_hint().max(Duration::from_secs(30)).from_ok())
        .sleeper(sleeper.clone());
    let server = Server::new(&[Hinted(429, "31", None), Status(200)]);
    assert_eq!(policy.call(|| server.respond()).unwrap().status(), 429);
    assert_eq!(server.calls(), 1);
    assert_eq!(sleeper.sleeps(), []);
}

#[test]
fn server_hint_reads_an_error_that_is_a_response() {
    let sleeper = RecordingSleeper::new();
    let server = Server::new(&[Hinted(503, "7", None), Status(502), Status(200)]);
    assert_eq!(fetch_hinted(&server, &sleeper).ok(), Some("body"));
    assert_eq!(server.calls(), 3);
    assert_eq!(sleeper.sleeps(), [7 * SECOND, Duration::from_millis(250)]);

    let sleeper = RecordingSleeper::new();
    let server = Server::new(&[Hinted(404, "7", None), Status(200)]);
    assert_eq!(fetch_hinted(&server, &sleeper).unwrap_err().status(), 404);
    assert_eq!(server.calls(), 1);
    assert_eq!(sleeper.sleeps(), []);
}

#[retry(
    stop = attempts(3),
    wait = server_hint(fallback = 0s, jitter = 0s).from_ok(),
    retry_if = retryable_status().from_ok() | any_error(),
    sleep = sleeper.clone()
)]
async fn get_async(
    server: &Server,
    sleeper: &RecordingSleeper,
) -> Result<Response<&'static str>, ApiError> {
    tokio::task::yield_now().await;
    server.respond()
}

#[tokio::test(start_paused = true)]
async fn the_attribute_on_an_async_fn() {
    let sleeper = RecordingSleeper::new();
    let server = Server::new(&[Connect, Hinted(503, "4", None), Status(200)]);
    assert_eq!(get_async(&server, &sleeper).await.unwrap().status(), 200);
    assert_eq!(server.calls(), 3);
    assert_eq!(sleeper.sleeps(), [Duration::ZERO, 4 * SECOND]);
}

#[test]
fn a_policy_reads_the_hint_from_the_error_side_too() {
    let seen = RefCell::new(Vec::new());
    let sleeper = RecordingSleeper::new();
    let policy = Policy::new()
        .stop(attempts(3))
        .retry_if(statuses([429]))
        .wait(server_hint().jitter(Duration::ZERO))
        .before_sleep(
            |state: &persevere::RetryState<'_, &str, Box<Response<&str>>>| {
                seen.borrow_mut().push(state.upcoming_sleep())
            },
        )
        .sleeper(sleeper.clone());
    let server = Server::new(&[Hinted(429, " 12 ", None), Status(200)]);
    assert_eq!(
        policy.call(|| server.fail_with_response()).ok(),
        Some("body")
    );
    assert_eq!(sleeper.sleeps(), [12 * SECOND]);
    assert_eq!(*seen.borrow(), [Some(12 * SECOND)]);
}

// ---- Every rate-limit header family ----

fn answered(status: u16, header: (&'static str, &'static str)) -> Response<&'static str> {
    Response::builder()
        .status(status)
        .header(header.0, header.1)
        .body("")
        .unwrap()
}

/// A 429 answered with each family's header, then a 200: the wait is the header's, exactly
/// (no jitter), through `Policy` and through the attribute.
#[test]
fn every_family_is_honoured_through_policy() {
    for (header, wanted) in [
        (("retry-after", "2"), Duration::from_secs(2)),
        (
            ("ratelimit", "limit=10, remaining=0, reset=3"),
            Duration::from_secs(3),
        ),
        (("ratelimit", "\"default\";r=0;t=4"), Duration::from_secs(4)),
        (("ratelimit-reset", "5"), Duration::from_secs(5)),
        (("x-ratelimit-reset", "6"), Duration::from_secs(6)),
        (("x-amz-retry-after", "700"), Duration::from_millis(700)),
        (("grpc-retry-pushback-ms", "80"), Duration::from_millis(80)),
    ] {
        let sleeper = RecordingSleeper::new();
        let mut answers = vec![
            Response::builder().status(200).body("ok").unwrap(),
            answered(429, header),
        ];
        let policy = Policy::new()
            .stop(attempts(3))
            .retry_if(retryable_status().from_ok())
            .wait(
                server_hint()
                    .jitter(Duration::ZERO)
                    .fallback(fixed(Duration::from_secs(60)))
                    .from_ok(),
            )
            .sleeper(sleeper.clone());
        let response = policy
            .call(|| Ok::<_, std::io::Error>(answers.pop().unwrap()))
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(sleeper.sleeps(), [wanted], "{header:?}");
    }
}

#[retry(
    stop = attempts(3),
    retry_if = retryable_status().from_ok(),
    wait = server_hint(jitter = 0s, fallback = fixed(1m)).from_ok(),
    sleep = sleeper.clone()
)]
fn pushed_back(
    answers: &RefCell<Vec<Response<&'static str>>>,
    sleeper: &RecordingSleeper,
) -> Result<Response<&'static str>, std::io::Error> {
    Ok(answers.borrow_mut().pop().unwrap())
}

#[test]
fn grpc_says_do_not_retry_and_garbage_falls_through_to_the_next_family() {
    // A negative pushback: the call ends at once with the last answer.
    let sleeper = RecordingSleeper::new();
    let answers = RefCell::new(vec![
        Response::builder().status(200).body("ok").unwrap(),
        answered(503, ("grpc-retry-pushback-ms", "-1")),
    ]);
    let response = pushed_back(&answers, &sleeper).unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(sleeper.sleeps().is_empty());
    assert_eq!(answers.borrow().len(), 1);

    // An unusable `Retry-After`, then a usable `X-RateLimit-Reset`.
    let sleeper = RecordingSleeper::new();
    let answers = RefCell::new(vec![
        Response::builder().status(200).body("ok").unwrap(),
        Response::builder()
            .status(429)
            .header("retry-after", "in a bit")
            .header("x-ratelimit-reset", "9")
            .body("")
            .unwrap(),
    ]);
    assert_eq!(
        pushed_back(&answers, &sleeper).unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(9)]);
}

/// gRPC's pushback (proposal A6): a negative or unreadable `grpc-retry-pushback-ms` means "do not
/// retry". The call ends on the response at once, saying why, with no refused wait to reschedule
/// for.
#[test]
fn a_negative_or_unreadable_grpc_pushback_ends_the_call() {
    for value in ["-1", "later", "1.5"] {
        let calls = Cell::new(0);
        let sleeper = RecordingSleeper::new();
        let (outcome, report) = Policy::new()
            .stop(attempts(3))
            .wait(server_hint().max(Duration::from_secs(60)))
            .sleeper(sleeper.clone())
            .call_reported(|| {
                calls.set(calls.get() + 1);
                let response = Response::builder()
                    .status(StatusCode::SERVICE_UNAVAILABLE)
                    .header("grpc-retry-pushback-ms", value)
                    .body(())
                    .unwrap();
                Err::<(), _>(response)
            });
        assert!(outcome.is_err());
        assert_eq!(calls.get(), 1, "{value}");
        assert!(sleeper.sleeps().is_empty(), "{value}");
        assert_eq!(report.ending(), persevere::Ending::ServerRefused, "{value}");
        assert_eq!(report.refused_wait(), None, "{value}");
    }
    // A pushback it can read is a wait.
    let sleeper = RecordingSleeper::new();
    let _ = Policy::new()
        .stop(attempts(2))
        .wait(
            server_hint()
                .max(Duration::from_secs(60))
                .jitter(Duration::ZERO),
        )
        .sleeper(sleeper.clone())
        .call(|| {
            Err::<(), _>(
                Response::builder()
                    .status(StatusCode::SERVICE_UNAVAILABLE)
                    .header("grpc-retry-pushback-ms", "40")
                    .body(())
                    .unwrap(),
            )
        });
    assert_eq!(sleeper.sleeps(), [Duration::from_millis(40)]);
}
