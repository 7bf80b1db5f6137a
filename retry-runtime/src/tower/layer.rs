//! [`RetryLayer`]: a policy, and how to send a request again, for any number of services.

use std::fmt;
use std::sync::Arc;

use ::http::HeaderName;
use tower_layer::Layer;

use super::{CloneRequest, Retry};

/// A tower [`Layer`] that runs a persevere [`Policy`](crate::Policy) around each request of the
/// HTTP service it wraps, making a [`Retry`] service.
///
/// The policy and the rebuild function are kept in an [`Arc`], so the layer and its services
/// are cheap to clone. See [the module](super) for what the policy sees and what the caller
/// gets.
///
/// A layer built apart from the service it wraps names how to read the service's error
/// ([`transient`](super::transient)); next to its service, `.retry_if(Failure::is_transient)`
/// is enough (see [the module](super)).
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::Policy;
/// use persevere::condition::Plain;
/// use persevere::stop::attempts;
/// use persevere::tower::{RetryLayer, transient};
/// use persevere::wait::{exponential, server_hint};
///
/// let layer = RetryLayer::new(
///     Policy::new()
///         .stop(attempts(4))
///         .retry_if(transient::<Plain>())
///         .wait(server_hint().fallback(exponential().max(Duration::from_secs(10)))),
/// )
/// .attempt_header(http::HeaderName::from_static("x-retry-attempt"));
/// ```
pub struct RetryLayer<P, R = CloneRequest> {
    pub(super) policy: Arc<P>,
    pub(super) rebuild: Arc<R>,
    pub(super) any_method: bool,
    pub(super) attempt_header: Option<HeaderName>,
}

impl<P> RetryLayer<P> {
    /// A layer running `policy` around each request, copying requests with
    /// [`CloneRequest`] (bodies that are `Clone`).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use std::convert::Infallible;
    /// # use std::sync::{Arc, Mutex};
    /// # use http::{HeaderMap, Request, Response};
    /// # /// A service answering each request with the next status, keeping each request's headers.
    /// # fn flaky(
    /// #     statuses: &'static [u16],
    /// # ) -> (
    /// #     impl tower::Service<Request<String>, Response = Response<String>, Error = Infallible, Future: Send> + Clone + Send + 'static,
    /// #     Arc<Mutex<Vec<HeaderMap>>>,
    /// # ) {
    /// #     let seen = Arc::new(Mutex::new(Vec::new()));
    /// #     let kept = Arc::clone(&seen);
    /// #     let service = tower::service_fn(move |request: Request<String>| {
    /// #         let mut seen = kept.lock().unwrap();
    /// #         seen.push(request.headers().clone());
    /// #         let status = statuses[(seen.len() - 1).min(statuses.len() - 1)];
    /// #         std::future::ready(Ok(Response::builder().status(status).body(String::new()).unwrap()))
    /// #     });
    /// #     (service, seen)
    /// # }
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    /// use persevere::tower::{Failure, RetryLayer};
    /// use persevere::wait::none;
    /// use tower::{Layer, ServiceExt};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// // A service that answers 502, then 200.
    /// let (service, seen) = flaky(&[502, 200]);
    /// let policy = Policy::new().stop(attempts(3)).wait(none()).retry_if(Failure::is_transient);
    /// let service = RetryLayer::new(policy).layer(service);
    /// let response = service.oneshot(Request::get("/health").body(String::new()).unwrap()).await.unwrap();
    /// assert_eq!(response.status(), 200);
    /// assert_eq!(seen.lock().unwrap().len(), 2);
    /// # }
    /// ```
    pub fn new(policy: P) -> Self {
        RetryLayer {
            policy: Arc::new(policy),
            rebuild: Arc::new(CloneRequest),
            any_method: false,
            attempt_header: None,
        }
    }
}

impl<P, R> RetryLayer<P, R> {
    /// Copies each request with `rebuild` instead of `Clone`, for bodies that are not `Clone`
    /// (a tonic `Body`, a stream): it gets the request about to be sent and returns a copy to
    /// send next, or `None` when the request cannot be sent twice, which is then sent once and
    /// not retried.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Request;
    /// use persevere::Policy;
    /// use persevere::tower::RetryLayer;
    ///
    /// /// A body that cannot be cloned, but whose bytes are known.
    /// struct Payload(Vec<u8>);
    ///
    /// let layer = RetryLayer::new(Policy::new()).rebuild_with(|request: &Request<Payload>| {
    ///     let mut copy = Request::new(Payload(request.body().0.clone()));
    ///     *copy.method_mut() = request.method().clone();
    ///     *copy.uri_mut() = request.uri().clone();
    ///     *copy.headers_mut() = request.headers().clone();
    ///     Some(copy)
    /// });
    /// ```
    pub fn rebuild_with<R2>(self, rebuild: R2) -> RetryLayer<P, R2> {
        RetryLayer {
            policy: self.policy,
            rebuild: Arc::new(rebuild),
            any_method: self.any_method,
            attempt_header: self.attempt_header,
        }
    }

    /// Sends POST, PATCH and every other method again like GET: for servers known to apply
    /// each request once. Without it, a request whose method is not idempotent and that carries
    /// no `Idempotency-Key` is sent again only when it never reached the server (see
    /// [`Resend`](crate::http::Resend)).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use std::convert::Infallible;
    /// # use std::sync::{Arc, Mutex};
    /// # use http::{HeaderMap, Request, Response};
    /// # /// A service answering each request with the next status, keeping each request's headers.
    /// # fn flaky(
    /// #     statuses: &'static [u16],
    /// # ) -> (
    /// #     impl tower::Service<Request<String>, Response = Response<String>, Error = Infallible, Future: Send> + Clone + Send + 'static,
    /// #     Arc<Mutex<Vec<HeaderMap>>>,
    /// # ) {
    /// #     let seen = Arc::new(Mutex::new(Vec::new()));
    /// #     let kept = Arc::clone(&seen);
    /// #     let service = tower::service_fn(move |request: Request<String>| {
    /// #         let mut seen = kept.lock().unwrap();
    /// #         seen.push(request.headers().clone());
    /// #         let status = statuses[(seen.len() - 1).min(statuses.len() - 1)];
    /// #         std::future::ready(Ok(Response::builder().status(status).body(String::new()).unwrap()))
    /// #     });
    /// #     (service, seen)
    /// # }
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    /// use persevere::tower::{Failure, RetryLayer};
    /// use persevere::wait::none;
    /// use tower::{Layer, ServiceExt};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let policy = Policy::new().stop(attempts(3)).wait(none()).retry_if(Failure::is_transient);
    /// let order = || Request::post("/orders").body("42 apples".to_string()).unwrap();
    ///
    /// // A POST that got a 503 may have been acted on: by default it is not sent again.
    /// let (service, _) = flaky(&[503, 201]);
    /// let response = RetryLayer::new(policy).layer(service).oneshot(order()).await.unwrap();
    /// assert_eq!(response.status(), 503);
    ///
    /// // This server applies each order once: send it again.
    /// let (service, _) = flaky(&[503, 201]);
    /// let response = RetryLayer::new(policy).any_method().layer(service).oneshot(order()).await.unwrap();
    /// assert_eq!(response.status(), 201);
    /// # }
    /// ```
    pub fn any_method(mut self) -> Self {
        self.any_method = true;
        self
    }

    /// Sends the attempt's number (1 for the first) to the server in this header, on every
    /// attempt, so that the server's logs tell retries apart.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// # use std::convert::Infallible;
    /// # use std::sync::{Arc, Mutex};
    /// # use http::{HeaderMap, Request, Response};
    /// # /// A service answering each request with the next status, keeping each request's headers.
    /// # fn flaky(
    /// #     statuses: &'static [u16],
    /// # ) -> (
    /// #     impl tower::Service<Request<String>, Response = Response<String>, Error = Infallible, Future: Send> + Clone + Send + 'static,
    /// #     Arc<Mutex<Vec<HeaderMap>>>,
    /// # ) {
    /// #     let seen = Arc::new(Mutex::new(Vec::new()));
    /// #     let kept = Arc::clone(&seen);
    /// #     let service = tower::service_fn(move |request: Request<String>| {
    /// #         let mut seen = kept.lock().unwrap();
    /// #         seen.push(request.headers().clone());
    /// #         let status = statuses[(seen.len() - 1).min(statuses.len() - 1)];
    /// #         std::future::ready(Ok(Response::builder().status(status).body(String::new()).unwrap()))
    /// #     });
    /// #     (service, seen)
    /// # }
    /// use http::HeaderName;
    /// use persevere::Policy;
    /// use persevere::stop::attempts;
    /// use persevere::tower::{Failure, RetryLayer};
    /// use persevere::wait::none;
    /// use tower::{Layer, ServiceExt};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (service, seen) = flaky(&[503, 503, 200]);
    /// let policy = Policy::new().stop(attempts(3)).wait(none()).retry_if(Failure::is_transient);
    /// let service = RetryLayer::new(policy)
    ///     .attempt_header(HeaderName::from_static("x-retry-attempt"))
    ///     .layer(service);
    /// let _ = service.oneshot(Request::get("/health").body(String::new()).unwrap()).await;
    /// let sent: Vec<_> = seen.lock().unwrap().iter().map(|headers| headers["x-retry-attempt"].clone()).collect();
    /// assert_eq!(sent, ["1", "2", "3"]);
    /// # }
    /// ```
    pub fn attempt_header(mut self, name: HeaderName) -> Self {
        self.attempt_header = Some(name);
        self
    }
}

impl<P, R> Clone for RetryLayer<P, R> {
    fn clone(&self) -> Self {
        RetryLayer {
            policy: Arc::clone(&self.policy),
            rebuild: Arc::clone(&self.rebuild),
            any_method: self.any_method,
            attempt_header: self.attempt_header.clone(),
        }
    }
}

impl<P, R> fmt::Debug for RetryLayer<P, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryLayer")
            .field("any_method", &self.any_method)
            .field("attempt_header", &self.attempt_header)
            .finish_non_exhaustive()
    }
}

impl<S, P, R> Layer<S> for RetryLayer<P, R> {
    type Service = Retry<S, P, R>;

    fn layer(&self, inner: S) -> Retry<S, P, R> {
        Retry {
            inner,
            layer: self.clone(),
        }
    }
}
