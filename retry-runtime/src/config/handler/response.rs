//! How an error handler sees an attempt's outcome: as a response ([`AsResponse`]), looked at
//! through a [`Seen`] that decodes its body at most once.

use std::borrow::Cow;
use std::cell::OnceCell;

use ::http::{HeaderMap, StatusCode};

/// A value an error handler can read as an HTTP response: its status, its headers, its body's
/// text and, for an error, its message. The handler's filters read nothing else, so this is all
/// a type needs (no [`ErrorCode`](crate::condition::ErrorCode), no `ServerHint`).
///
/// Implemented for `http::Response<B>` whose body is text-like (`String`, `&str`, `Vec<u8>`,
/// `Bytes`: anything `AsRef<[u8]>`, read as UTF-8), for `persevere::reqwest::HttpError` (feature
/// `reqwest`), and through `&R` and `Box<R>`. For a type of your own, implement what it has;
/// each method but [`status`](Self::status) defaults to "not there":
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::borrow::Cow;
/// use http::StatusCode;
/// use persevere::config::handler::AsResponse;
///
/// /// What the connector's client returns when a page cannot be read.
/// struct PageError { status: u16, body: String }
///
/// impl AsResponse for PageError {
///     fn status(&self) -> Option<StatusCode> {
///         StatusCode::from_u16(self.status).ok()
///     }
///     fn body(&self) -> Option<&str> {
///         Some(&self.body)
///     }
///     fn message(&self) -> Option<Cow<'_, str>> {
///         Some(format!("HTTP {}", self.status).into())
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "an error handler cannot read `{Self}` as a response",
    label = "not readable as a response",
    note = "implement `persevere::config::handler::AsResponse` for `{Self}` (its `status()`, and `headers()`, `body()`, `message()` where it has them)"
)]
pub trait AsResponse {
    /// The response's status; `None` when no response came (a transport failure).
    fn status(&self) -> Option<StatusCode>;

    /// The response's headers, read by the `WaitTimeFromHeader` and `WaitUntilTimeFromHeader`
    /// backoff strategies. Default: none.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use http::{HeaderMap, StatusCode};
    /// use persevere::RetryState;
    /// use persevere::config::handler::{AsResponse, ErrorHandler};
    /// use persevere::wait::Wait;
    ///
    /// /// A throttled call, with the headers the server sent.
    /// struct Throttled { headers: HeaderMap }
    /// impl AsResponse for Throttled {
    ///     fn status(&self) -> Option<StatusCode> {
    ///         Some(StatusCode::TOO_MANY_REQUESTS)
    ///     }
    ///     fn headers(&self) -> Option<&HeaderMap> {
    ///         Some(&self.headers)
    ///     }
    /// }
    ///
    /// let handler: ErrorHandler = serde_norway::from_str("
    /// backoff_strategies:
    ///   - type: WaitTimeFromHeader
    ///     header: wait_time
    /// ")?;
    /// let wait = handler.errors().wait();
    /// let mut headers = HeaderMap::new();
    /// headers.insert("wait_time", "7".parse().unwrap());
    /// let throttled = Err::<(), _>(Throttled { headers });
    /// let state = RetryState::new(1).with_outcome(&throttled);
    /// assert_eq!(wait.next_wait(&state), Duration::from_secs(7));
    /// # Ok::<(), serde_norway::Error>(())
    /// ```
    fn headers(&self) -> Option<&HeaderMap> {
        None
    }

    /// The response's body as text, read by `error_message_contains` and decoded as JSON for
    /// predicates. Default: none.
    fn body(&self) -> Option<&str> {
        None
    }

    /// The error's own text (usually its `Display`), read by `error_message_contains` besides
    /// the body. Default: none.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::borrow::Cow;
    /// use http::StatusCode;
    /// use persevere::condition::Condition;
    /// use persevere::config::handler::{AsResponse, ErrorHandler};
    ///
    /// /// A transport failure: no response, only its text.
    /// struct Transport(&'static str);
    /// impl AsResponse for Transport {
    ///     fn status(&self) -> Option<StatusCode> {
    ///         None
    ///     }
    ///     fn message(&self) -> Option<Cow<'_, str>> {
    ///         Some(self.0.into())
    ///     }
    /// }
    ///
    /// let handler: ErrorHandler = serde_norway::from_str("
    /// response_filters:
    ///   - error_message_contains: connection reset
    ///     action: RETRY
    /// ")?;
    /// let condition = handler.errors().condition();
    /// assert!(condition.should_retry(&Err::<(), _>(Transport("connection reset by peer"))));
    /// // No filter matches: the default fails an error without a response.
    /// assert!(!condition.should_retry(&Err::<(), _>(Transport("certificate expired"))));
    /// # Ok::<(), serde_norway::Error>(())
    /// ```
    fn message(&self) -> Option<Cow<'_, str>> {
        None
    }
}

impl<R: AsResponse + ?Sized> AsResponse for &R {
    fn status(&self) -> Option<StatusCode> {
        (**self).status()
    }
    fn headers(&self) -> Option<&HeaderMap> {
        (**self).headers()
    }
    fn body(&self) -> Option<&str> {
        (**self).body()
    }
    fn message(&self) -> Option<Cow<'_, str>> {
        (**self).message()
    }
}

impl<R: AsResponse + ?Sized> AsResponse for Box<R> {
    fn status(&self) -> Option<StatusCode> {
        (**self).status()
    }
    fn headers(&self) -> Option<&HeaderMap> {
        (**self).headers()
    }
    fn body(&self) -> Option<&str> {
        (**self).body()
    }
    fn message(&self) -> Option<Cow<'_, str>> {
        (**self).message()
    }
}

/// A response with a text-like body; a body that is not UTF-8 is no body.
impl<B: AsRef<[u8]>> AsResponse for ::http::Response<B> {
    fn status(&self) -> Option<StatusCode> {
        Some(self.status())
    }
    fn headers(&self) -> Option<&HeaderMap> {
        Some(self.headers())
    }
    fn body(&self) -> Option<&str> {
        std::str::from_utf8(self.body().as_ref()).ok()
    }
}

/// A failed request: its status, headers and body when a response came, and its text (`HTTP 404
/// Not Found`, or the transport error's) as its message.
#[cfg(feature = "reqwest")]
impl AsResponse for crate::reqwest::HttpError {
    fn status(&self) -> Option<StatusCode> {
        crate::reqwest::HttpError::status(self)
    }
    fn headers(&self) -> Option<&HeaderMap> {
        Some(crate::reqwest::HttpError::headers(self))
    }
    fn body(&self) -> Option<&str> {
        crate::reqwest::HttpError::body(self)
    }
    fn message(&self) -> Option<Cow<'_, str>> {
        Some(self.to_string().into())
    }
}

/// One outcome as a handler looks at it: the response, whether it came as an error, and its
/// message and decoded body, each worked out once, when first asked for. Predicates the program
/// registers ([`Predicates::with`](crate::config::handler::Predicates::with)) receive one.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::Response;
/// use persevere::config::handler::Seen;
///
/// let response = Response::builder().status(200).body(r#"{"code": "PENDING"}"#).unwrap();
/// let seen = Seen::new(&response, false);
/// assert_eq!(seen.status().map(|s| s.as_u16()), Some(200));
/// assert_eq!(seen.json().and_then(|body| body.get("code")), Some(&"PENDING".into()));
/// ```
pub struct Seen<'a> {
    response: &'a dyn AsResponse,
    failed: bool,
    message: OnceCell<Option<Cow<'a, str>>>,
    json: OnceCell<Option<serde_json::Value>>,
}

impl std::fmt::Debug for Seen<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seen")
            .field("status", &self.status())
            .field("failed", &self.failed)
            .field("body", &self.body())
            .finish_non_exhaustive()
    }
}

impl<'a> Seen<'a> {
    /// `response` as a handler sees it; `failed` when it came as the attempt's error rather than
    /// its `Ok` value.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::config::handler::Seen;
    ///
    /// let response = Response::builder().status(503).body("").unwrap();
    /// let seen = Seen::new(&response, true); // it came as the attempt's error
    /// assert!(seen.is_error());
    /// ```
    pub fn new(response: &'a dyn AsResponse, failed: bool) -> Self {
        Seen {
            response,
            failed,
            message: OnceCell::new(),
            json: OnceCell::new(),
        }
    }

    /// Whether the outcome was an error (`false` for an `Ok` value).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::config::handler::Seen;
    ///
    /// let response = Response::builder().status(200).body("").unwrap();
    /// assert!(!Seen::new(&response, false).is_error());
    /// ```
    pub fn is_error(&self) -> bool {
        self.failed
    }

    /// The response's status, if a response came.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::config::handler::Seen;
    ///
    /// let response = Response::builder().status(429).body("").unwrap();
    /// assert_eq!(Seen::new(&response, true).status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        self.response.status()
    }

    /// The response's headers, if it has any.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::config::handler::Seen;
    ///
    /// let response = Response::builder().status(503).header("retry-after", "5").body("").unwrap();
    /// let seen = Seen::new(&response, true);
    /// assert_eq!(seen.headers().map(|headers| headers.len()), Some(1));
    /// ```
    pub fn headers(&self) -> Option<&'a HeaderMap> {
        self.response.headers()
    }

    /// The value of the header `name` (case-insensitive), if it is there and is text.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::config::handler::Seen;
    ///
    /// let response = Response::builder().status(503).header("X-Maintenance", "until 14:00").body("").unwrap();
    /// let seen = Seen::new(&response, true);
    /// assert_eq!(seen.header("x-maintenance"), Some("until 14:00"));
    /// assert_eq!(seen.header("retry-after"), None);
    /// ```
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers()?.get(name)?.to_str().ok()
    }

    /// The response's body, as text.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::config::handler::Seen;
    ///
    /// let response = Response::builder().status(500).body("upstream timed out").unwrap();
    /// assert_eq!(Seen::new(&response, true).body(), Some("upstream timed out"));
    /// let binary = Response::builder().status(500).body(vec![0xff, 0xfe]).unwrap();
    /// assert_eq!(Seen::new(&binary, true).body(), None); // not UTF-8: no body
    /// ```
    pub fn body(&self) -> Option<&'a str> {
        self.response.body()
    }

    /// The error's own text, if it has one.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::borrow::Cow;
    /// use http::StatusCode;
    /// use persevere::config::handler::{AsResponse, Seen};
    ///
    /// struct Refused;
    /// impl AsResponse for Refused {
    ///     fn status(&self) -> Option<StatusCode> { None } // no response came
    ///     fn message(&self) -> Option<Cow<'_, str>> { Some("connection refused".into()) }
    /// }
    ///
    /// let seen = Seen::new(&Refused, true);
    /// assert_eq!(seen.message(), Some("connection refused"));
    /// assert_eq!(seen.status(), None);
    /// ```
    pub fn message(&self) -> Option<&str> {
        self.message
            .get_or_init(|| self.response.message())
            .as_deref()
    }

    /// The body decoded as JSON: `None` without a body, or when the body is not JSON. Decoded
    /// once, at the first call.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::config::handler::Seen;
    ///
    /// let response = Response::builder().status(200).body(r#"{"state": "queued"}"#).unwrap();
    /// let seen = Seen::new(&response, false);
    /// assert_eq!(seen.json().and_then(|body| body["state"].as_str()), Some("queued"));
    ///
    /// let page = Response::builder().status(502).body("<html>Bad Gateway</html>").unwrap();
    /// assert!(Seen::new(&page, true).json().is_none());
    /// ```
    pub fn json(&self) -> Option<&serde_json::Value> {
        self.json
            .get_or_init(|| serde_json::from_str(self.body()?).ok())
            .as_ref()
    }
}
