//! [`Retry`]: the service the layer makes, sending each request until the policy is done.

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};

use ::http::{HeaderValue, Request, Response};
use tower_service::Service;

use super::{CloneRequest, Failure, Rebuild, RetryLayer};
use crate::engine::Rules;
use crate::http::Resend;
use crate::http::polling;
use crate::sleep::AsyncSleeper;
use crate::timeout::Limits;
use crate::{Policy, Report};

/// A service that sends each request to the service it wraps until the policy is done with it.
/// Made by [`RetryLayer`]; see [`RetryLayer::new`] and [the module](super) for examples.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::convert::Infallible;
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use http::{Request, Response};
/// use persevere::Policy;
/// use persevere::stop::attempts;
/// use persevere::tower::{Failure, Retry, RetryLayer};
/// use persevere::wait::none;
/// use tower::{Layer, ServiceExt};
///
/// static SENT: AtomicU32 = AtomicU32::new(0);
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// // Answers 503 to the first request, then 200.
/// let inner = tower::service_fn(|_: Request<String>| async {
///     let status = if SENT.fetch_add(1, Ordering::Relaxed) == 0 { 503 } else { 200 };
///     Ok::<_, Infallible>(Response::builder().status(status).body(String::new()).unwrap())
/// });
/// let policy = Policy::new().stop(attempts(3)).wait(none()).retry_if(Failure::is_transient);
/// let service: Retry<_, _> = RetryLayer::new(policy).layer(inner);
/// let response = service.oneshot(Request::new(String::new())).await.unwrap();
/// assert_eq!(response.status(), 200);
/// assert_eq!(SENT.load(Ordering::Relaxed), 2);
/// # }
/// ```
pub struct Retry<S, P, R = CloneRequest> {
    pub(super) inner: S,
    pub(super) layer: RetryLayer<P, R>,
}

impl<S, P, R> Retry<S, P, R> {
    /// The wrapped service.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    /// use persevere::tower::RetryLayer;
    /// use tower::Layer;
    ///
    /// let service = RetryLayer::new(Policy::new()).layer(String::from("the inner service"));
    /// assert_eq!(service.get_ref(), "the inner service");
    /// ```
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The wrapped service, unwrapped.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Policy;
    /// use persevere::tower::RetryLayer;
    /// use tower::Layer;
    ///
    /// let service = RetryLayer::new(Policy::new()).layer(vec![1, 2, 3]);
    /// assert_eq!(service.into_inner(), [1, 2, 3]);
    /// ```
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: Clone, P, R> Clone for Retry<S, P, R> {
    fn clone(&self) -> Self {
        Retry {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S: fmt::Debug, P, R> fmt::Debug for Retry<S, P, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Retry")
            .field("inner", &self.inner)
            .field("layer", &self.layer)
            .finish()
    }
}

/// The future of a [`Retry`] service: boxed, as the policy's call is an `async fn` whose type
/// cannot be named. It is `Send`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::convert::Infallible;
/// use http::{Request, Response};
/// use persevere::Policy;
/// use persevere::tower::{ResponseFuture, RetryLayer};
/// use tower::{Layer, Service, ServiceExt};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let inner = tower::service_fn(|_: Request<String>| async {
///     Ok::<_, Infallible>(Response::new(String::from("hello")))
/// });
/// let mut service = RetryLayer::new(Policy::new()).layer(inner);
/// let ready = service.ready().await.unwrap();
/// let future: ResponseFuture<Response<String>, Infallible> = ready.call(Request::default());
/// // `Send` and `'static`: it may be spawned.
/// let response = tokio::spawn(future).await.unwrap().unwrap();
/// assert_eq!(response.body(), "hello");
/// # }
/// ```
pub type ResponseFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

/// One attempt's outcome, as the policy sees it.
type Attempt<B, E> = Result<Response<B>, Failure<B, E>>;

/// Each request is sent by a clone of the wrapped service, readied before it is called; the
/// first attempt uses the service this one was readied as (tower's pattern for retries).
///
/// The caller gets the last response whatever its status, or the service's error when the last
/// attempt got no response; a response also carries the call's [`Report`] in its extensions.
impl<Svc, ReqB, ResB, R, S, W, C, O, B, A, Z, G, L, U, X, N> Service<Request<ReqB>>
    for Retry<Svc, Policy<S, W, C, O, B, A, Z, G, L, U, X, N>, R>
where
    Svc: Service<Request<ReqB>, Response = Response<ResB>> + Clone + Send + 'static,
    Svc::Future: Send,
    Svc::Error: Send + 'static,
    ReqB: Send + 'static,
    ResB: Send + 'static,
    R: Rebuild<ReqB> + Send + Sync + 'static,
    Policy<S, W, C, O, B, A, Z, G, L, U, X, N>:
        Rules<Response<ResB>, Failure<ResB, Svc::Error>> + Send + Sync + 'static,
    L: AsyncSleeper,
    L::Sleeping: Send,
    X: Limits<Failure<ResB, Svc::Error>>,
    X::Sleep<L::Sleeping>: Send,
{
    type Response = Response<ResB>;
    type Error = Svc::Error;
    type Future = ResponseFuture<Response<ResB>, Svc::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Svc::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqB>) -> Self::Future {
        // The readied service answers the first attempt; the one left behind is readied anew.
        let fresh = self.inner.clone();
        let ready = std::mem::replace(&mut self.inner, fresh);
        let RetryLayer {
            policy,
            rebuild,
            any_method,
            attempt_header,
        } = self.layer.clone();
        let resend = if any_method {
            Resend::Safe
        } else {
            Resend::of(request.method(), request.headers())
        };
        Box::pin(async move {
            let source = ready.clone();
            let mut ready = Some(ready);
            // The request the next attempt sends: copied before each attempt sends its own.
            let mut next = Some(request);
            // The outcome of an attempt after which no copy was left, if the policy would retry it.
            let cut = Mutex::new(None::<Attempt<ResB, Svc::Error>>);
            let mut number: u32 = 0;
            let kept = &cut;
            let rules = &*policy;
            // Owns its state: a service borrowed across the attempts would have to be `Sync`.
            let calls = policy.call_async_reported(move || {
                number += 1;
                let request = next.take();
                next = request
                    .as_ref()
                    .and_then(|request| rebuild.rebuild(request));
                let last = next.is_none();
                let service = match ready.take() {
                    Some(ready) => Sender::Ready(ready),
                    None => Sender::Fresh(source.clone()),
                };
                let header = attempt_header.clone();
                let number = number;
                async move {
                    // Only after a cut, which ends the call before this is polled again.
                    let Some(mut request) = request else {
                        return std::future::pending().await;
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
                            url.full = %request.uri(),
                            "persevere: resending the request"
                        );
                    } else if last {
                        tracing::debug!(
                            http.request.method = %request.method(),
                            url.full = %request.uri(),
                            "persevere: the request cannot be rebuilt, so it is sent once"
                        );
                    }
                    let outcome = send(service, request, resend).await;
                    if last && rules.retries(&outcome) {
                        // No copy to send again: this outcome is the call's. One the policy
                        // would not retry anyway goes to it, to end the call as usual.
                        *kept.lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
                        return std::future::pending().await;
                    }
                    outcome
                }
            });
            let mut calls = pin!(calls);
            let (outcome, report) = poll_fn(|cx| {
                let polled = polling(resend, || calls.as_mut().poll(cx));
                let cut = cut.lock().unwrap_or_else(PoisonError::into_inner).take();
                match cut {
                    Some(outcome) => Poll::Ready((outcome, None)),
                    None => polled.map(|(outcome, report)| (outcome, Some(report))),
                }
            })
            .await;
            let mut response = outcome.or_else(Failure::into_response)?;
            if let Some(report) = report {
                response.extensions_mut().insert::<Report>(report);
            }
            Ok(response)
        })
    }
}

/// The service an attempt sends its request through.
enum Sender<S> {
    /// The one the caller readied: the first attempt's.
    Ready(S),
    /// A clone, to ready before it is called.
    Fresh(S),
}

/// Sends `request` once.
async fn send<Svc, ReqB, ResB>(
    service: Sender<Svc>,
    request: Request<ReqB>,
    resend: Resend,
) -> Attempt<ResB, Svc::Error>
where
    Svc: Service<Request<ReqB>, Response = Response<ResB>>,
{
    let mut service = match service {
        Sender::Ready(ready) => ready,
        Sender::Fresh(mut fresh) => {
            if let Err(error) = poll_fn(|cx| fresh.poll_ready(cx)).await {
                return Err(Failure::from_error(error, resend));
            }
            fresh
        }
    };
    match service.call(request).await {
        Ok(response) if response.status().is_success() => Ok(response),
        Ok(response) => Err(Failure::from_response(response, resend)),
        Err(error) => Err(Failure::from_error(error, resend)),
    }
}
