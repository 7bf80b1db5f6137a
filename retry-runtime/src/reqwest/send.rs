//! Sending an async reqwest request so that a failure keeps what retrying needs.

use std::future::Future;

use crate::http::Resend;
use crate::reqwest::HttpError;

/// `response.check_status().await?`: [`HttpError::check`] as a method.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::StatusCode;
/// use persevere::reqwest::CheckStatus;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// // What `client.get(url).send().await?` might return.
/// let response: reqwest::Response = http::Response::builder().status(503).body("").unwrap().into();
/// let error = response.check_status().await.unwrap_err();
/// assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
/// assert!(error.is_transient());
/// # }
/// ```
pub trait CheckStatus: Sized {
    /// The response if its status is a success, else an [`HttpError`] keeping what it said.
    fn check_status(self) -> impl Future<Output = Result<Self, HttpError>> + Send;
}

impl CheckStatus for ::reqwest::Response {
    fn check_status(self) -> impl Future<Output = Result<Self, HttpError>> + Send {
        HttpError::check(self)
    }
}

/// `client.post(url).send_checked().await?`: sends the request and checks its status, and the
/// error knows the request's method and whether it carries an `Idempotency-Key`, so that
/// [`HttpError::is_transient`] sends a POST or a PATCH again only when it never reached the
/// server (see [`Resend`]).
///
/// ```no_run
/// # use persevere_runtime as persevere;
/// use persevere::reqwest::{HttpError, SendChecked};
///
/// # async fn run(client: reqwest::Client) -> Result<(), HttpError> {
/// // Retried on a 503: the key tells the server to apply it once.
/// let response = client
///     .post("http://localhost:8080/orders")
///     .header("idempotency-key", "order-42")
///     .send_checked()
///     .await?;
/// # Ok(()) }
/// ```
pub trait SendChecked {
    /// Sends the request; a status that is not a success is an [`HttpError`] too.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::reqwest::SendChecked;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// // A port nothing listens on: the connection is refused.
    /// let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    /// let client = reqwest::Client::new();
    /// let error = client.post(format!("http://{closed}/orders")).send_checked().await.unwrap_err();
    /// assert!(error.never_sent());
    /// assert!(error.is_transient()); // even a POST: the server never saw it
    /// # }
    /// ```
    fn send_checked(self) -> impl Future<Output = Result<::reqwest::Response, HttpError>> + Send;
}

impl SendChecked for ::reqwest::RequestBuilder {
    fn send_checked(self) -> impl Future<Output = Result<::reqwest::Response, HttpError>> + Send {
        let (client, request) = self.build_split();
        async move {
            let request = request?;
            let resend = Resend::of(request.method(), request.headers());
            // A time limit that cuts this attempt from here on knows what it may have cut.
            crate::http::record_sent(resend);
            let response = client
                .execute(request)
                .await
                .map_err(|error| HttpError::from(error).with_resend(resend))?;
            let mut response = HttpError::check(response)
                .await
                .map_err(|error| error.with_resend(resend))?;
            // For `ReadChecked`: a body cut short is of this request.
            response.extensions_mut().insert(resend);
            Ok(response)
        }
    }
}

/// `response.text_checked().await?`: reads the body of a response [`SendChecked`] returned, and
/// a body cut short is an [`HttpError`] that knows the request, so that
/// [`HttpError::is_transient`] retries it as a cut-short connection: a GET again, a POST without
/// an `Idempotency-Key` not (it was delivered). reqwest's own `text()` and `bytes()` lose the
/// request, and their cut-short bodies are not sent again.
///
/// ```no_run
/// # use persevere_runtime as persevere;
/// use persevere::reqwest::{HttpError, ReadChecked, SendChecked};
///
/// # async fn run(client: reqwest::Client) -> Result<String, HttpError> {
/// client.get("http://localhost:8080/report").send_checked().await?.text_checked().await
/// # }
/// ```
pub trait ReadChecked {
    /// The body as text, as reqwest's `text()` decodes it.
    ///
    /// A body cut short is retried as the request allows:
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::io::{Read, Write};
    /// use persevere::reqwest::{ReadChecked, SendChecked};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// // A server that promises 100 bytes, sends 5 and hangs up.
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// let server = listener.local_addr().unwrap();
    /// std::thread::spawn(move || {
    ///     for stream in listener.incoming().take(2) {
    ///         let mut stream = stream.unwrap();
    ///         let _ = stream.read(&mut [0; 4096]);
    ///         let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nshort");
    ///     }
    /// });
    /// let client = reqwest::Client::new();
    ///
    /// let get = client.get(format!("http://{server}/report")).send_checked().await.unwrap();
    /// assert!(get.text_checked().await.unwrap_err().is_transient()); // read it again
    /// let post = client.post(format!("http://{server}/orders")).send_checked().await.unwrap();
    /// assert!(!post.text_checked().await.unwrap_err().is_transient()); // delivered: not twice
    /// # }
    /// ```
    fn text_checked(self) -> impl Future<Output = Result<String, HttpError>> + Send;
    /// The body's bytes.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::reqwest::ReadChecked;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// // What `client.get(url).send_checked().await?` might return.
    /// let response: reqwest::Response = http::Response::new(vec![0xCA, 0xFE]).into();
    /// assert_eq!(response.bytes_checked().await.unwrap(), [0xCA, 0xFE][..]);
    /// # }
    /// ```
    fn bytes_checked(self) -> impl Future<Output = Result<bytes::Bytes, HttpError>> + Send;
}

impl ReadChecked for ::reqwest::Response {
    fn text_checked(self) -> impl Future<Output = Result<String, HttpError>> + Send {
        let resend = sent_as(self.extensions());
        async move {
            self.text()
                .await
                .map_err(|error| HttpError::from(error).with_resend(resend))
        }
    }

    fn bytes_checked(self) -> impl Future<Output = Result<bytes::Bytes, HttpError>> + Send {
        let resend = sent_as(self.extensions());
        async move {
            self.bytes()
                .await
                .map_err(|error| HttpError::from(error).with_resend(resend))
        }
    }
}

/// What `send_checked` noted of the request a response answers ([`Resend::Unknown`] for one it
/// did not send).
pub(crate) fn sent_as(extensions: &::http::Extensions) -> Resend {
    extensions.get::<Resend>().copied().unwrap_or_default()
}
