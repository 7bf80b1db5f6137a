//! reqwest's blocking client (the `reqwest-blocking` feature): the same [`HttpError`], for sync
//! functions.
//!
//! ```no_run,standalone_crate
//! # extern crate persevere_runtime as persevere;
//! use persevere::retry;
//! use persevere::reqwest::HttpError;
//! use persevere::reqwest::blocking::SendChecked;
//!
//! #[retry(
//!     stop = attempts(5),
//!     retry_if = HttpError::is_transient,
//!     wait = server_hint(fallback = exponential(max = 30s)),
//! )]
//! fn fetch(client: &reqwest::blocking::Client, url: &str) -> Result<String, HttpError> {
//!     Ok(client.get(url).send_checked()?.text()?)
//! }
//! ```

use crate::http::Resend;
use crate::reqwest::HttpError;

/// `response.check_status()?`: the response if its status is a success, else an [`HttpError`]
/// keeping its status, headers and body's text.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::reqwest::blocking::CheckStatus;
///
/// // What `client.get(url).send()?` might return.
/// let response: reqwest::blocking::Response =
///     http::Response::builder().status(500).body("database unavailable").unwrap().into();
/// let error = response.check_status().unwrap_err();
/// assert_eq!(error.body(), Some("database unavailable"));
/// assert!(error.is_transient());
/// ```
pub trait CheckStatus: Sized {
    /// The response if its status is a success, else an [`HttpError`] keeping what it said.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::reqwest::blocking::CheckStatus;
    ///
    /// let response: reqwest::blocking::Response =
    ///     http::Response::builder().status(200).body("42 orders").unwrap().into();
    /// let response = response.check_status().unwrap(); // a success comes back as it was
    /// assert_eq!(response.text().unwrap(), "42 orders");
    /// ```
    fn check_status(self) -> Result<Self, HttpError>;
}

impl CheckStatus for ::reqwest::blocking::Response {
    fn check_status(self) -> Result<Self, HttpError> {
        let status = self.status();
        if status.is_success() {
            return Ok(self);
        }
        let headers = self.headers().clone();
        let body = self.text().ok();
        Err(HttpError::from_parts(status, headers, body))
    }
}

/// `client.post(url).send_checked()?`: sends the request and checks its status; the error knows
/// whether the request may be sent again (see [`crate::reqwest::SendChecked`]).
///
/// ```no_run
/// # use persevere_runtime as persevere;
/// use persevere::reqwest::HttpError;
/// use persevere::reqwest::blocking::SendChecked;
///
/// # fn run(client: reqwest::blocking::Client) -> Result<(), HttpError> {
/// // A 503 to this POST is retried: the key tells the server to apply it once.
/// let response = client
///     .post("http://localhost:8080/orders")
///     .header("idempotency-key", "order-42")
///     .send_checked()?;
/// # Ok(()) }
/// ```
pub trait SendChecked {
    /// Sends the request; a status that is not a success is an [`HttpError`] too.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::reqwest::blocking::SendChecked;
    ///
    /// // A port nothing listens on: the connection is refused.
    /// let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    /// let client = reqwest::blocking::Client::new();
    /// let error = client.post(format!("http://{closed}/orders")).send_checked().unwrap_err();
    /// assert!(error.never_sent());
    /// assert!(error.is_transient()); // even a POST: the server never saw it
    /// ```
    fn send_checked(self) -> Result<::reqwest::blocking::Response, HttpError>;
}

impl SendChecked for ::reqwest::blocking::RequestBuilder {
    fn send_checked(self) -> Result<::reqwest::blocking::Response, HttpError> {
        let (client, request) = self.build_split();
        let request = request?;
        let resend = Resend::of(request.method(), request.headers());
        let response = client
            .execute(request)
            .map_err(|error| HttpError::from(error).with_resend(resend))?;
        let mut response = response
            .check_status()
            .map_err(|error| error.with_resend(resend))?;
        // For `ReadChecked`: a body cut short is of this request.
        response.extensions_mut().insert(resend);
        Ok(response)
    }
}

/// `response.text_checked()?`: the blocking client's
/// [`ReadChecked`](crate::reqwest::ReadChecked): a body cut short while it is read is an
/// [`HttpError`] that knows the request.
///
/// ```no_run
/// # use persevere_runtime as persevere;
/// use persevere::reqwest::HttpError;
/// use persevere::reqwest::blocking::{ReadChecked, SendChecked};
///
/// # fn run(client: reqwest::blocking::Client) -> Result<String, HttpError> {
/// client.get("http://localhost:8080/report").send_checked()?.text_checked()
/// # }
/// ```
pub trait ReadChecked {
    /// The body as text, as reqwest's `text()` decodes it.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::reqwest::blocking::ReadChecked;
    ///
    /// // What `client.get(url).send_checked()?` might return.
    /// let response: reqwest::blocking::Response = http::Response::new("report ready").into();
    /// assert_eq!(response.text_checked().unwrap(), "report ready");
    /// ```
    fn text_checked(self) -> Result<String, HttpError>;
    /// The body's bytes.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::reqwest::blocking::ReadChecked;
    ///
    /// let response: reqwest::blocking::Response = http::Response::new(vec![0xCA, 0xFE]).into();
    /// assert_eq!(response.bytes_checked().unwrap(), [0xCA, 0xFE][..]);
    /// ```
    fn bytes_checked(self) -> Result<bytes::Bytes, HttpError>;
}

impl ReadChecked for ::reqwest::blocking::Response {
    fn text_checked(self) -> Result<String, HttpError> {
        let resend = crate::reqwest::send::sent_as(self.extensions());
        self.text()
            .map_err(|error| HttpError::from(error).with_resend(resend))
    }

    fn bytes_checked(self) -> Result<bytes::Bytes, HttpError> {
        let resend = crate::reqwest::send::sent_as(self.extensions());
        self.bytes()
            .map_err(|error| HttpError::from(error).with_resend(resend))
    }
}
