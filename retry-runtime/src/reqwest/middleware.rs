//! The same policy where the HTTP stack lives: [`RetryMiddleware`] for reqwest-middleware (the
//! `reqwest-middleware` feature).

use std::sync::{Arc, Mutex};

use ::http::{Extensions, HeaderName, HeaderValue};
use reqwest_middleware::{Middleware, Next};

use crate::Policy;
use crate::engine::Rules;
use crate::http::{Resend, polling};
use crate::reqwest::HttpError;
use crate::sleep::AsyncSleeper;
use crate::timeout::Limits;

/// A reqwest-middleware [`Middleware`] that runs a persevere [`Policy`] around each request:
/// its strategies, the server's hints (where its wait reads them with `server_hint()`: never
/// less, never with a backoff on top, with its small jitter), budgets, time limits, hooks, log
/// lines and report.
///
/// The policy sees each attempt as `Result<reqwest::Response, HttpError>`: a response whose
/// status is not a success is an [`HttpError`] (its body left unread), so the policy you write
/// for `#[retry]` functions returning `HttpError` works here unchanged. When the policy ends
/// on such a response, the caller gets the response itself, as without the middleware. A POST
/// or PATCH is sent again only when it never reached the server, unless it carries an
/// `Idempotency-Key` or the middleware was built with [`any_method`](Self::any_method).
///
/// The [`Report`](crate::Report) of the call is in the returned response's extensions. A
/// request whose body cannot be cloned (a stream) is sent once, with a warning in the log, and
/// outside the policy: no time limit, hook, budget or report applies to it.
///
/// ```no_run
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::Policy;
/// use persevere::reqwest::{HttpError, RetryMiddleware};
/// use persevere::stop::attempts;
/// use persevere::wait::{exponential, server_hint};
///
/// # async fn run() -> Result<(), reqwest_middleware::Error> {
/// let policy = Policy::new()
///     .stop(attempts(4))
///     .retry_if(HttpError::is_transient)
///     .wait(server_hint().fallback(exponential().max(Duration::from_secs(10))));
/// let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
///     .with(RetryMiddleware::new(policy))
///     .build();
/// let response = client.get("http://localhost:8080/status").send().await?;
/// let report = response.extensions().get::<persevere::Report>();
/// # Ok(()) }
/// ```
pub struct RetryMiddleware<P> {
    policy: Arc<P>,
    any_method: bool,
    attempt_header: Option<HeaderName>,
}

impl<P> Clone for RetryMiddleware<P> {
    fn clone(&self) -> Self {
        RetryMiddleware {
            policy: Arc::clone(&self.policy),
            any_method: self.any_method,
            attempt_header: self.attempt_header.clone(),
        }
    }
}

impl<P> std::fmt::Debug for RetryMiddleware<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryMiddleware")
            .field("any_method", &self.any_method)
            .field("attempt_header", &self.attempt_header)
            .finish_non_exhaustive()
    }
}

impl<P> RetryMiddleware<P> {
    /// A middleware running `policy` around each request.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use std::io::{Read, Write};
    /// # /// A server on a free local port that answers each request with the next status.
    /// # fn serve(statuses: &'static [u16]) -> String {
    /// #     let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// #     let url = format!("http://{}/orders", listener.local_addr().unwrap());
    /// #     std::thread::spawn(move || {
    /// #         for (status, stream) in statuses.iter().zip(listener.incoming()) {
    /// #             let mut stream = stream.unwrap();
    /// #             let (mut seen, mut buffer) = (Vec::new(), [0; 1024]);
    /// #             // The whole request, headers and body, before answering.
    /// #             while let Ok(n @ 1..) = stream.read(&mut buffer) {
    /// #                 seen.extend_from_slice(&buffer[..n]);
    /// #                 let text = String::from_utf8_lossy(&seen);
    /// #                 if let Some(end) = text.find("\r\n\r\n") {
    /// #                     let length = text.lines()
    /// #                         .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()))
    /// #                         .unwrap_or(0);
    /// #                     if seen.len() >= end + 4 + length { break }
    /// #                 }
    /// #             }
    /// #             let reply = format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    /// #             stream.write_all(reply.as_bytes()).unwrap();
    /// #         }
    /// #     });
    /// #     url
    /// # }
    /// use persevere::Policy;
    /// use persevere::reqwest::{HttpError, RetryMiddleware};
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// // A server that answers 503, then 200.
    /// let url = serve(&[503, 200]);
    /// let policy = Policy::new().stop(attempts(3)).wait(none()).retry_if(HttpError::is_transient);
    /// let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
    ///     .with(RetryMiddleware::new(policy))
    ///     .build();
    /// let response = client.get(&url).send().await.unwrap();
    /// assert_eq!(response.status(), 200); // the GET was sent again
    /// let report = response.extensions().get::<persevere::Report>().unwrap();
    /// assert_eq!(report.attempts(), 2);
    /// # }
    /// ```
    pub fn new(policy: P) -> Self {
        RetryMiddleware {
            policy: Arc::new(policy),
            any_method: false,
            attempt_header: None,
        }
    }

    /// Sends POST and PATCH requests again like any other: for servers known to apply each
    /// request once.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use std::io::{Read, Write};
    /// # /// A server on a free local port that answers each request with the next status.
    /// # fn serve(statuses: &'static [u16]) -> String {
    /// #     let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// #     let url = format!("http://{}/orders", listener.local_addr().unwrap());
    /// #     std::thread::spawn(move || {
    /// #         for (status, stream) in statuses.iter().zip(listener.incoming()) {
    /// #             let mut stream = stream.unwrap();
    /// #             let (mut seen, mut buffer) = (Vec::new(), [0; 1024]);
    /// #             // The whole request, headers and body, before answering.
    /// #             while let Ok(n @ 1..) = stream.read(&mut buffer) {
    /// #                 seen.extend_from_slice(&buffer[..n]);
    /// #                 let text = String::from_utf8_lossy(&seen);
    /// #                 if let Some(end) = text.find("\r\n\r\n") {
    /// #                     let length = text.lines()
    /// #                         .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()))
    /// #                         .unwrap_or(0);
    /// #                     if seen.len() >= end + 4 + length { break }
    /// #                 }
    /// #             }
    /// #             let reply = format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    /// #             stream.write_all(reply.as_bytes()).unwrap();
    /// #         }
    /// #     });
    /// #     url
    /// # }
    /// use persevere::Policy;
    /// use persevere::reqwest::{HttpError, RetryMiddleware};
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let policy = Policy::new().stop(attempts(3)).wait(none()).retry_if(HttpError::is_transient);
    ///
    /// // By default a POST that got a 503 is not sent again: the server may have acted on it.
    /// let cautious = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
    ///     .with(RetryMiddleware::new(policy))
    ///     .build();
    /// let response = cautious.post(serve(&[503, 201])).body("order 42").send().await.unwrap();
    /// assert_eq!(response.status(), 503);
    ///
    /// // This server applies each order once: send it again.
    /// let trusting = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
    ///     .with(RetryMiddleware::new(policy).any_method())
    ///     .build();
    /// let response = trusting.post(serve(&[503, 201])).body("order 42").send().await.unwrap();
    /// assert_eq!(response.status(), 201);
    /// # }
    /// ```
    pub fn any_method(mut self) -> Self {
        self.any_method = true;
        self
    }

    /// Sends the attempt's number (1 for the first) to the server in this header.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    /// use persevere::reqwest::RetryMiddleware;
    ///
    /// let middleware = RetryMiddleware::new(Policy::new())
    ///     .attempt_header(http::HeaderName::from_static("x-retry-attempt"));
    /// ```
    pub fn attempt_header(mut self, name: HeaderName) -> Self {
        self.attempt_header = Some(name);
        self
    }
}

/// One attempt's outcome as the policy sees it.
type Attempt = Result<::reqwest::Response, HttpError>;

fn attempt_outcome(
    outcome: reqwest_middleware::Result<::reqwest::Response>,
    resend: Resend,
) -> Attempt {
    match outcome {
        Ok(response) if response.status().is_success() => Ok(response),
        Ok(response) => {
            let mut error =
                HttpError::from_parts(response.status(), response.headers().clone(), None);
            error.keep_response(response);
            Err(error.with_resend(resend))
        }
        Err(reqwest_middleware::Error::Reqwest(error)) => {
            Err(HttpError::from(error).with_resend(resend))
        }
        Err(error) => Err(HttpError::other(Box::new(error)).with_resend(resend)),
    }
}

/// What the caller gets: the last response whatever its status, or the error.
fn handed_back(outcome: Attempt) -> reqwest_middleware::Result<::reqwest::Response> {
    match outcome {
        Ok(response) => Ok(response),
        Err(error) => Err(match error.into_response_or_cause() {
            Ok(response) => return Ok(response),
            Err(cause) => cause,
        }),
    }
}

#[async_trait::async_trait]
impl<S, W, C, O, B, A, Z, G, L, U, X, N> Middleware
    for RetryMiddleware<Policy<S, W, C, O, B, A, Z, G, L, U, X, N>>
where
    Policy<S, W, C, O, B, A, Z, G, L, U, X, N>:
        Rules<::reqwest::Response, HttpError> + Send + Sync + 'static,
    L: AsyncSleeper + Send + Sync,
    L::Sleeping: Send,
    X: Limits<HttpError> + Send + Sync,
    X::Sleep<L::Sleeping>: Send,
    S: Send + Sync,
    W: Send + Sync,
    C: Send + Sync,
    O: Send + Sync,
    B: Send + Sync,
    A: Send + Sync,
    Z: Send + Sync,
    G: Send + Sync,
    U: Send + Sync,
    N: Send + Sync,
{
    async fn handle(
        &self,
        request: ::reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<::reqwest::Response> {
        if request.try_clone().is_none() {
            tracing::warn!(
                method = %request.method(),
                url = %request.url(),
                "persevere: the request's body cannot be cloned, so it is sent once"
            );
            return next.run(request, extensions).await;
        }
        let resend = if self.any_method {
            Resend::Safe
        } else {
            Resend::of(request.method(), request.headers())
        };
        // Each attempt runs with a copy of the extensions; the last attempt's are handed back.
        let last_extensions = Mutex::new(None::<Extensions>);
        let mut attempt: u32 = 0;
        // A time limit that cuts an attempt makes its error while the call is polled: it learns
        // the request's `Resend` from there.
        let (outcome, report) = {
            let calls = self.policy.call_async_reported(|| {
                attempt += 1;
                let request = request.try_clone();
                let mut attempt_extensions = extensions.clone();
                let next = next.clone();
                let last_extensions = &last_extensions;
                let header = self.attempt_header.clone();
                let number = attempt;
                async move {
                    let Some(mut request) = request else {
                        return Err(HttpError::other(
                            "the request's body could not be cloned".into(),
                        ));
                    };
                    if let Some(name) = header {
                        request
                            .headers_mut()
                            .insert(name, HeaderValue::from(number));
                    }
                    if number > 1 {
                        tracing::debug!(
                            http.request.resend_count = number - 1,
                            http.request.method = %request.method(),
                            url.full = %request.url(),
                            "persevere: resending the request"
                        );
                    }
                    let outcome = next.run(request, &mut attempt_extensions).await;
                    *last_extensions
                        .lock()
                        .unwrap_or_else(|poison| poison.into_inner()) = Some(attempt_extensions);
                    attempt_outcome(outcome, resend)
                }
            });
            let mut calls = std::pin::pin!(calls);
            std::future::poll_fn(|cx| polling(resend, || calls.as_mut().poll(cx))).await
        };
        if let Some(last) = last_extensions
            .into_inner()
            .unwrap_or_else(|poison| poison.into_inner())
        {
            extensions.extend(last);
        }
        let mut response = handed_back(outcome)?;
        response.extensions_mut().insert(report);
        Ok(response)
    }
}
