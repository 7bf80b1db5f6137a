//! [`Rebuild`]: how the layer gets a copy of a request to send again.

use ::http::Request;

/// Makes a copy of a request, to send it again: [`CloneRequest`] for a body that is `Clone`
/// (`Full<Bytes>`, `String`, `Bytes`, `()`), or a closure
/// `Fn(&http::Request<B>) -> Option<http::Request<B>>` given to
/// [`RetryLayer::rebuild_with`](super::RetryLayer::rebuild_with) for one that is not.
///
/// The layer makes the copy before it sends the request, so a service that consumes its request
/// still leaves one to retry with. `None` says the request cannot be sent twice (a body that
/// streams): it is sent once, and its outcome is the call's.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::Request;
/// use persevere::tower::Rebuild;
///
/// /// A body that is either bytes in hand or a stream that can be read once.
/// enum Body { Bytes(Vec<u8>), Stream }
///
/// /// Copies requests whose body is in hand; a streamed one is sent once.
/// struct CopyBytes;
///
/// impl Rebuild<Body> for CopyBytes {
///     fn rebuild(&self, request: &Request<Body>) -> Option<Request<Body>> {
///         let Body::Bytes(bytes) = request.body() else { return None };
///         let mut copy = Request::new(Body::Bytes(bytes.clone()));
///         *copy.method_mut() = request.method().clone();
///         *copy.uri_mut() = request.uri().clone();
///         *copy.headers_mut() = request.headers().clone();
///         Some(copy)
///     }
/// }
///
/// assert!(CopyBytes.rebuild(&Request::new(Body::Bytes(b"42".to_vec()))).is_some());
/// assert!(CopyBytes.rebuild(&Request::new(Body::Stream)).is_none());
/// // Given to the layer with `RetryLayer::new(policy).rebuild_with(CopyBytes)`.
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot copy an `http::Request<{B}>` to send it again",
    label = "the request body `{B}` is not `Clone`",
    note = "give the layer a way to rebuild the request: `RetryLayer::new(policy).rebuild_with(|request: &http::Request<{B}>| ...)`, returning `None` for a request that cannot be sent twice"
)]
pub trait Rebuild<B> {
    /// A copy of `request` to send in its place, or `None` if it cannot be sent twice.
    fn rebuild(&self, request: &Request<B>) -> Option<Request<B>>;
}

/// Copies a request whose body is `Clone`, with its method, URI, version, headers and
/// extensions: the default of [`RetryLayer`](super::RetryLayer).
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::Request;
/// use persevere::tower::{CloneRequest, Rebuild};
///
/// let request = Request::put("/items/7").header("if-match", "\"v3\"").body("{}".to_string()).unwrap();
/// let copy = CloneRequest.rebuild(&request).unwrap();
/// assert_eq!(copy.uri(), "/items/7");
/// assert_eq!(copy.headers()["if-match"], "\"v3\"");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CloneRequest;

// Not recommended in errors: a body that is not `Clone` is told to use `rebuild_with`, by the
// trait's own message, rather than to implement `Clone`.
#[diagnostic::do_not_recommend]
impl<B: Clone> Rebuild<B> for CloneRequest {
    fn rebuild(&self, request: &Request<B>) -> Option<Request<B>> {
        Some(request.clone())
    }
}

impl<B, F> Rebuild<B> for F
where
    F: Fn(&Request<B>) -> Option<Request<B>>,
{
    fn rebuild(&self, request: &Request<B>) -> Option<Request<B>> {
        self(request)
    }
}
