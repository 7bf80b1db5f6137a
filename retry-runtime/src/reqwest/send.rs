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
    fn send_checked(self) -> impl Future<Output = Result<::reqwest::Response, HttpError>> + Send;
}

impl SendChecked for ::reqwest::RequestBuilder {
    fn send_checked(self) -> impl Future<Output = Result<::reqwest::Response, HttpError>> + Send {
        let (client, request) = self.build_split();
        async move {
            let request = request?;
            let resend = Resend::of(request.method(), request.headers());
            let response = client
                .execute(request)
                .await
                .map_err(|error| HttpError::from(error).with_resend(resend))?;
            HttpError::check(response)
                .await
                .map_err(|error| error.with_resend(resend))
        }
    }
}
