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
    pub fn any_method(mut self) -> Self {
        self.any_method = true;
        self
    }

    /// Sends the attempt's number (1 for the first) to the server in this header, on every
    /// attempt, so that the server's logs tell retries apart.
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
