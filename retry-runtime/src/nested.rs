//! Retries nested inside retries: a retried call made inside an attempt of another retried call,
//! on the same thread (sync) or while the same task polls the outer attempt (async).
//!
//! With `R` retries at each of `L` layers, one request at the top can become `(R+1)^L` at the
//! bottom: a service retrying 3 times over a client retrying 3 times sends up to 4 × 4 = 16
//! requests for one, and a third layer makes it 64, just when the bottom is failing. persevere
//! notices it:
//!
//! - An inner call whose first attempt fails, retryably, while an outer call is retrying logs it
//!   at WARN (one that ends on an error it does not retry never retries, and is not reported),
//!   once per pair of functions and depth (both names, the layers, and the worst-case attempt
//!   count: the product of each layer's attempt limit, which is `(R+1)^L` when every layer
//!   allows `R` retries), and its [`Report::nested_in`](crate::Report::nested_in) names the
//!   outer call.
//! - [`Nested::Once`] (`nested = once` in the attribute, [`Policy::nested`](crate::Policy::nested),
//!   or the process-wide [`set_default`]) makes such an inner call a single attempt: it returns
//!   its first failure with [`Ending::Nested`](crate::Ending::Nested) and leaves the retrying to
//!   the outer call. The worst case becomes the outer layer's attempts plus what the inner layers
//!   make during the outer's first attempt.
//!
//! What counts as "retrying": an outer call is marked from its second attempt on, while that
//! attempt runs (for an async call, while the task polls it). Its first attempt is not marked,
//! so a call that succeeds at once costs nothing for this, and an inner call that fails during an
//! outer's first attempt is not yet nested; when the outer retries, the inner call is. The inner
//! side is checked only when an inner call fails: one thread-local read, off the happy path.
//!
//! The same holds for a layer in between: with `top` retrying `middle` retrying `leaf`, a `leaf`
//! failing while `middle` is on its first attempt is reported inside `top`, with the two layers
//! seen so far; once `middle` retries too, `leaf` is reported again inside it, with all three
//! layers and their full product.
//!
//! Only attempts are marked: a sync attempt while it runs, an async one while it is polled (so
//! other tasks on the thread are not marked, unless the attempt itself runs them, as a
//! `block_on` inside a sync attempt does). A call's hooks (`on_give_up`, `on_finish`, ...) and its
//! sleeps run outside its retry, so a fallback called from `on_give_up` retries in full.
//!
//! `nested = once` ends a call only where it would otherwise sleep and retry: a call whose stop,
//! deadline or error handler ends it anyway ends as it would have, and a call that can make only
//! one attempt is not reported at all.
//!
//! ```
//! # use persevere_runtime as persevere;
//! use persevere::nested::Nested;
//! use persevere::stop::attempts;
//! use persevere::wait::none;
//! use persevere::{Ending, Policy};
//!
//! let inner = Policy::new().stop(attempts(4)).wait(none()).nested(Nested::Once);
//! let outer = Policy::new().stop(attempts(4)).wait(none());
//! let mut requests = 0;
//! let outcome: Result<(), &str> = outer.call(|| {
//!     let (outcome, report) = inner.call_reported(|| {
//!         requests += 1;
//!         Err("down")
//!     });
//!     assert_eq!(report.ending() == Ending::Nested, report.nested_in().is_some());
//!     outcome
//! });
//! assert_eq!(outcome, Err("down"));
//! // 4 during the outer's first attempt, then 1 for each of its 3 retries: 7, not 16.
//! assert_eq!(requests, 7);
//! ```

use std::cell::Cell;
use std::collections::HashSet;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};

use crate::Name;
use crate::engine::Naming;

/// What an inner retried call does while an outer one is retrying: `nested = once` or
/// `nested = retry` in the attribute, [`Policy::nested`](crate::Policy::nested), or the
/// process-wide [`set_default`].
///
/// ```standalone_crate
/// # extern crate persevere_runtime as persevere;
/// use persevere::retry;
///
/// // A client that leaves retrying to a service that already retries it.
/// #[retry(stop = attempts(3), wait = fixed(0ms), nested = once)]
/// fn fetch(calls: &mut u32) -> Result<(), &'static str> {
///     *calls += 1;
///     Err("down")
/// }
///
/// let mut calls = 0;
/// assert_eq!(fetch(&mut calls), Err("down"));
/// assert_eq!(calls, 3, "not nested: it retries as its stop says");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Nested {
    /// Retry as its policy says (the default), logging the nesting once per pair of functions
    /// and depth.
    #[default]
    Retry,
    /// Make a single attempt, and leave the retrying to the outer call.
    Once,
}

/// The process-wide default, for calls whose policy does not choose: 0 retry, 1 once.
static DEFAULT: AtomicU8 = AtomicU8::new(0);

/// Sets what every inner call does that does not choose for itself (`nested = ...`,
/// [`Policy::nested`](crate::Policy::nested)), from now on, in every thread.
///
/// ```standalone_crate
/// # use persevere_runtime as persevere;
/// use persevere::nested::{self, Nested};
///
/// nested::set_default(Nested::Once);
/// assert_eq!(nested::default(), Nested::Once);
/// nested::set_default(Nested::Retry);
/// ```
pub fn set_default(nested: Nested) {
    DEFAULT.store(u8::from(nested == Nested::Once), Ordering::Relaxed);
}

/// The process-wide default (see [`set_default`]).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::nested::{self, Nested};
///
/// // Unless a program sets it, inner calls retry as their policy says.
/// assert_eq!(nested::default(), Nested::Retry);
/// ```
pub fn default() -> Nested {
    if DEFAULT.load(Ordering::Relaxed) == 1 {
        Nested::Once
    } else {
        Nested::Retry
    }
}

/// A call's mark, as it keeps it: its name as the call keeps that (see [`Naming`]), and its
/// layers, counted from its first failure on (depth 0 until then). The calls inside its attempts
/// read it as an [`Outer`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark<N> {
    /// The function, as the call names it.
    pub(crate) who: N,
    /// See [`Outer::worst`].
    pub(crate) worst: u32,
    /// See [`Outer::depth`].
    pub(crate) depth: u8,
}

/// A retrying outer call, as the calls inside its attempt see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outer {
    /// The outer function.
    pub(crate) function: Name,
    /// The worst-case attempts of one call at this depth: the product of each enclosing layer's
    /// attempt limit (`u32::MAX` where one is not a count, or beyond).
    pub(crate) worst: u32,
    /// The layers, this one included.
    pub(crate) depth: u8,
}

/// How many layers a call makes with the retrying calls around it, and their worst case
/// (`u32::MAX` when unknown or beyond).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layers {
    pub(crate) worst: u32,
    pub(crate) depth: u8,
}

/// A mark lent to the calls inside an attempt: its address, and the function that reads it as
/// an [`Outer`] for its kind of name. Two words, so that marking and unmarking each attempt is a
/// store, not a copy of the mark.
#[derive(Clone, Copy)]
struct Lent {
    mark: NonNull<()>,
    read: unsafe fn(NonNull<()>) -> Outer,
}

impl<N: Naming> Mark<N> {
    /// This mark, lent.
    #[inline]
    fn lend(&self) -> Lent {
        Lent {
            mark: NonNull::from(self).cast(),
            read: Self::read,
        }
    }

    /// The mark at `mark`, as the calls inside its attempt see it.
    ///
    /// # Safety
    ///
    /// `mark` is a live `&Mark<N>`.
    unsafe fn read(mark: NonNull<()>) -> Outer {
        // SAFETY: the caller's.
        let mark = unsafe { mark.cast::<Self>().as_ref() };
        Outer {
            function: mark.who.who().name(),
            worst: mark.worst,
            depth: mark.depth,
        }
    }
}

thread_local! {
    /// The innermost outer call retrying on this thread, while its attempt runs (is polled): its
    /// mark, lent, `None` for none.
    static RETRYING: Cell<Option<Lent>> = const { Cell::new(None) };
}

/// The outer call retrying around this code, if there is one. One thread-local read.
#[inline]
pub(crate) fn outer() -> Option<Outer> {
    let lent = RETRYING.with(Cell::get)?;
    // SAFETY: a mark is lent only by `Restore::enter`, from a reference that outlives the
    // `Restore` it returns, and that `Restore` puts back the mark before it when it drops (also
    // when unwinding). So a mark read here is that live reference, read as its own type.
    Some(unsafe { (lent.read)(lent.mark) })
}

/// Runs `attempt` marked as an attempt of `mark` (an outer call that is retrying), if given.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn during<R, N: Naming>(mark: Option<&Mark<N>>, attempt: impl FnOnce() -> R) -> R {
    match mark {
        None => attempt(),
        Some(mark) => during_retry(mark, attempt),
    }
}

/// [`during`] a retry: kept out of line, so the first attempt's path holds no thread-local
/// access and no unwinding guard. The mark is read where the call keeps it: a copy passed by
/// value is stored in pieces and read back whole, which stalls on store forwarding.
#[cold]
#[inline(never)]
fn during_retry<R, N: Naming>(mark: &Mark<N>, attempt: impl FnOnce() -> R) -> R {
    let _restore = Restore::enter(mark);
    attempt()
}

/// Puts back the mark in force before, when an attempt returns (or unwinds).
struct Restore<'a> {
    before: Option<Lent>,
    /// The mark in force until this drops.
    _mark: PhantomData<&'a ()>,
}

impl<'a> Restore<'a> {
    /// Marks what runs next as an attempt of `mark`, until the `Restore` drops.
    #[inline]
    fn enter<N: Naming>(mark: &'a Mark<N>) -> Restore<'a> {
        Restore::lend(mark.lend())
    }

    /// [`enter`](Self::enter), not generic, so the thread-local access is compiled once, not
    /// once per retried function.
    #[inline]
    fn lend(mark: Lent) -> Restore<'a> {
        let before = RETRYING.with(|cell| cell.replace(Some(mark)));
        Restore {
            before,
            _mark: PhantomData,
        }
    }
}

impl Drop for Restore<'_> {
    #[inline]
    fn drop(&mut self) {
        RETRYING.with(|cell| cell.set(self.before));
    }
}

pin_project_lite::pin_project! {
    /// An async attempt, marked while it is polled (see [`during`]). The expansion's; it has
    /// nothing to offer other code.
    #[doc(hidden)]
    pub struct Marked<'a, N, F> {
        mark: Option<&'a Mark<N>>,
        #[pin]
        attempt: F,
    }
}

impl<'a, N, F> Marked<'a, N, F> {
    /// `attempt`, marked as an attempt of `mark` while it is polled.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn new(mark: Option<&'a Mark<N>>, attempt: F) -> Self {
        Marked { mark, attempt }
    }
}

impl<N: Naming, F: Future> Future for Marked<'_, N, F> {
    type Output = F::Output;
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        match *this.mark {
            None => this.attempt.poll(cx),
            Some(mark) => poll_marked(mark, this.attempt, cx),
        }
    }
}

/// [`Marked`]'s poll during a retry, out of line as [`during_retry`] is; without a closure, so
/// that each retried function compiles one function for it, not three.
#[cold]
#[inline(never)]
fn poll_marked<N: Naming, F: Future>(
    mark: &Mark<N>,
    attempt: Pin<&mut F>,
    cx: &mut Context<'_>,
) -> Poll<F::Output> {
    let _restore = Restore::enter(mark);
    attempt.poll(cx)
}

/// The layers of a call that is now retrying, under `outer` if it is nested, with `most`
/// attempts of its own.
#[inline]
pub(crate) fn layers(most: Option<u32>, outer: Option<Outer>) -> Layers {
    let (worst, depth) = outer.map_or((1, 0), |outer| (outer.worst, outer.depth));
    Layers {
        worst: most.map_or(u32::MAX, |most| worst.saturating_mul(most)),
        depth: depth.saturating_add(1),
    }
}

/// Logs an inner call of `inner` found retrying inside `outer`, once per pair of functions and
/// depth: a pair found again deeper (a layer between them has started retrying) is logged again,
/// with the larger count.
#[cold]
pub(crate) fn found(inner: Name, most: Option<u32>, outer: Outer, once: bool) {
    static SEEN: Mutex<Option<HashSet<(Name, Name, u8)>>> = Mutex::new(None);
    let first = SEEN
        .lock()
        .map(|mut seen| {
            seen.get_or_insert_with(HashSet::new)
                .insert((outer.function, inner, outer.depth))
        })
        .unwrap_or(true);
    if !first {
        return;
    }
    let this = layers(most, Some(outer));
    let worst = match this.worst {
        u32::MAX => "an unknown number of".to_owned(),
        worst => worst.to_string(),
    };
    let what = if once {
        "it makes a single attempt instead (nested = once)"
    } else {
        "it retries as well; `nested = once` would make it a single attempt"
    };
    tracing::warn!(
        function = %inner,
        outer = %outer.function,
        layers = this.depth,
        worst_case_attempts = %worst,
        "persevere: {inner} is retried inside a retry of {}: {} layers, up to {worst} attempts for one outer call; {what}",
        outer.function,
        this.depth,
    );
}
