//! Policies as values: a [`Policy`] whose parts' types are erased, so that it can be kept in a
//! `static`, a `LazyLock`, a struct field or a `HashMap` without spelling its type.
//!
//! A [`Policy`]'s type names each of its twelve parts, which is what lets a call that succeeds
//! first time cost almost nothing; but it is a type no one wants to write. [`Policy::boxed`]
//! turns any policy into a [`DynPolicy<T, E>`](DynPolicy), named by the outcome it retries
//! alone. It is still a `Policy`, so everything a policy does it does: [`call`](Policy::call),
//! [`call_async`](Policy::call_async), their reported forms, [`schedule`](Policy::schedule), the
//! setters (which replace a part with one of its own type) and `#[retry(policy = ...)]`.
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::collections::HashMap;
//! use std::sync::LazyLock;
//! use persevere::{DynPolicy, Policy};
//! use persevere::stop::attempts;
//! use persevere::wait::{exponential, none};
//!
//! #[derive(Debug, PartialEq)]
//! struct ApiError(u16);
//!
//! static DEFAULT: LazyLock<DynPolicy<String, ApiError>> = LazyLock::new(|| {
//!     Policy::new()
//!         .stop(attempts(3))
//!         .wait(none())
//!         .retry_if(|error: &ApiError| error.0 >= 500)
//!         .boxed()
//! });
//!
//! // Chosen by name at run time: one type for every entry.
//! let mut by_endpoint: HashMap<&str, DynPolicy<String, ApiError>> = HashMap::new();
//! by_endpoint.insert("search", DEFAULT.clone());
//! by_endpoint.insert("upload", Policy::new().stop(attempts(5)).wait(exponential()).boxed());
//!
//! let mut calls = 0;
//! let outcome = by_endpoint["search"].call(|| {
//!     calls += 1;
//!     Err::<String, _>(ApiError(503))
//! });
//! assert_eq!((outcome, calls), (Err(ApiError(503)), 3));
//! ```
//!
//! In the attribute, `policy = ...` takes one by reference, from a `static`, a `LazyLock` or a
//! field, and the other keys adjust it as they adjust any policy:
//!
//! ```standalone_crate
//! # extern crate persevere_runtime as persevere;
//! # use std::sync::LazyLock;
//! # use persevere::{retry, DynPolicy, Policy};
//! # use persevere::stop::attempts;
//! # use persevere::wait::none;
//! # #[derive(Debug, PartialEq)]
//! # struct ApiError(u16);
//! # static DEFAULT: LazyLock<DynPolicy<String, ApiError>> = LazyLock::new(|| {
//! #     Policy::new().stop(attempts(3)).wait(none()).retry_if(|error: &ApiError| error.0 >= 500).boxed()
//! # });
//! #[retry(policy = &DEFAULT, stop = attempts(2))]
//! fn search(calls: &std::cell::Cell<u32>) -> Result<String, ApiError> {
//!     calls.set(calls.get() + 1);
//!     Err(ApiError(503))
//! }
//!
//! let calls = std::cell::Cell::new(0);
//! assert_eq!(search(&calls), Err(ApiError(503)));
//! assert_eq!(calls.get(), 2);
//! ```
//!
//! **The parts.** Each part is a [`DynStop`], [`DynWait`], [`DynCondition`], [`DynHook`] or
//! [`DynGiveUp`]: the part behind a shared pointer (`Arc`), with the answers its own type gave.
//! A `Box<dyn Stop<T, E>>` is a stop too, but its type can say nothing about what it holds, so
//! a call must assume the worst of it (it reads the clock, it can be cancelled, a hook is set).
//! These keep their type's answers and give them when the call asks the value (see
//! [`Rules::answers`](crate::engine::Rules::answers)), so a policy that reads no clock and has
//! no hook still reads none and runs none once erased. A reference to a part is the same part,
//! for a policy borrowed from one kept elsewhere ([`Policy::borrowed`]).
//!
//! **What it costs.** A clone is a counter increment per part, and each decision a virtual call
//! per part it asks. A call that succeeds first time asks its conditions (two virtual calls
//! through `Policy::call`, none through the attribute, which asks the value whether an `Ok` can
//! be retried) and, like any policy, allocates nothing; boxing allocates the parts once.
//! `cargo bench --bench happy_path -- dyn` measures it beside the generic form.
//!
//! **What stays in the type.** The sleeper (`L`, the default sleeper unless you set one: a test's
//! `RecordingSleeper` makes `DynPolicy<T, E, RecordingSleeper>`) and the time limits (`X`:
//! `TimeLimits` once a `timeout` is set), because each decides what a call may do: a sync call
//! cannot honour a time limit, and that is a compile error only while the type says so. The
//! budget must be a `static` one ([`IntoDynBudget`]), and each part `Send`, `Sync` and
//! `'static`, so that the policy can be shared by threads and kept in a `static`.

mod budget;
mod parts;

pub use budget::{DynBudget, IntoDynBudget};
pub use parts::{DynCondition, DynGiveUp, DynHook, DynStop, DynWait};

use crate::Policy;
use crate::condition::Condition;
use crate::hook::{GiveUp, Hook};
use crate::sleep::DefaultSleeper;
use crate::stop::Stop;
use crate::timeout::NoLimits;
use crate::wait::Wait;

/// A [`Policy`] for `Result<T, E>` whose parts' types are erased: its type names only the
/// outcome, the sleeper and the time limits. Made by [`Policy::boxed`]; see the
/// [module documentation](self).
///
/// Policies of different types, chosen at run time, fit one field:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::stop::{attempts, never};
/// use persevere::wait::{fixed, none};
/// use persevere::{DynPolicy, Policy};
///
/// struct Client {
///     retries: DynPolicy<u32, String>,
/// }
///
/// impl Client {
///     fn new(patient: bool) -> Self {
///         let retries = if patient {
///             Policy::new().stop(never()).wait(fixed(std::time::Duration::from_secs(1))).boxed()
///         } else {
///             Policy::new().stop(attempts(2)).wait(none()).boxed()
///         };
///         Client { retries }
///     }
/// }
///
/// let client = Client::new(false);
/// let mut calls = 0;
/// let outcome = client.retries.call(|| { calls += 1; Err("refused".to_string()) });
/// assert_eq!((outcome, calls), (Err("refused".to_string()), 2));
/// ```
pub type DynPolicy<T, E, L = DefaultSleeper, X = NoLimits> = Policy<
    DynStop<T, E>,
    DynWait<T, E>,
    DynCondition<T, E>,
    DynCondition<T, E>,
    DynHook<T, E>,
    DynHook<T, E>,
    DynHook<T, E>,
    DynGiveUp<T, E>,
    L,
    DynBudget,
    X,
    DynHook<T, E>,
>;

impl<S, W, C, O, B, A, Z, G, L, U, X, N> Policy<S, W, C, O, B, A, Z, G, L, U, X, N> {
    /// This policy with its parts' types erased: a [`DynPolicy<T, E>`](DynPolicy), to keep in
    /// a `static`, a struct field or a map (see the [module documentation](self)). The policy
    /// behaves as before, and keeps its name, span, sleeper, budget and time limits.
    ///
    /// `T` and `E` are those of the outcome it will retry, usually inferred from where the
    /// policy goes.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::sync::LazyLock;
    /// use persevere::{DynPolicy, Policy};
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// static POLICY: LazyLock<DynPolicy<u8, &str>> =
    ///     LazyLock::new(|| Policy::new().stop(attempts(2)).wait(none()).boxed());
    ///
    /// assert_eq!(POLICY.call(|| Err("down")), Err("down"));
    /// ```
    // A policy's type names each of its parts; that is the point of it.
    #[allow(clippy::type_complexity)]
    pub fn boxed<T, E>(self) -> DynPolicy<T, E, L, X>
    where
        S: Stop<T, E> + Send + Sync + 'static,
        W: Wait<T, E> + Send + Sync + 'static,
        C: Condition<T, E> + Send + Sync + 'static,
        O: Condition<T, E> + Send + Sync + 'static,
        B: Hook<T, E> + Send + Sync + 'static,
        A: Hook<T, E> + Send + Sync + 'static,
        Z: Hook<T, E> + Send + Sync + 'static,
        G: GiveUp<T, E> + Send + Sync + 'static,
        U: IntoDynBudget,
        N: Hook<T, E> + Send + Sync + 'static,
    {
        Policy {
            function: self.function,
            stop: DynStop::new(self.stop),
            wait: DynWait::new(self.wait),
            retry_if: DynCondition::new(self.retry_if),
            retry_if_ok: DynCondition::new(self.retry_if_ok),
            before: DynHook::new(self.before),
            after: DynHook::new(self.after),
            before_sleep: DynHook::new(self.before_sleep),
            on_give_up: DynGiveUp::new(self.on_give_up),
            sleeper: self.sleeper,
            budget: self.budget.into_dyn_budget(),
            limits: self.limits,
            on_finish: DynHook::new(self.on_finish),
            traced: self.traced,
            hedge: self.hedge,
            nested: self.nested,
        }
    }

    /// This policy, borrowing its parts: to run or adjust a policy kept elsewhere (a `static`,
    /// a field) without cloning it. `#[retry(policy = &POLICY)]` borrows it this way.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::{DynPolicy, Policy};
    /// use persevere::stop::attempts;
    /// use persevere::wait::none;
    ///
    /// let kept: DynPolicy<(), &str> = Policy::new().stop(attempts(5)).wait(none()).boxed();
    /// // The same policy, with one attempt fewer, for this call only.
    /// let mut calls = 0;
    /// let outcome = kept.borrowed().stop(attempts(4)).call(|| {
    ///     calls += 1;
    ///     Err("down")
    /// });
    /// assert_eq!((outcome, calls), (Err("down"), 4));
    /// ```
    // A policy's type names each of its parts; that is the point of it.
    #[allow(clippy::type_complexity)]
    pub fn borrowed(&self) -> Policy<&S, &W, &C, &O, &B, &A, &Z, &G, L, U, X, &N>
    where
        L: Clone,
        U: Copy,
        X: Copy,
    {
        Policy {
            function: self.function,
            stop: &self.stop,
            wait: &self.wait,
            retry_if: &self.retry_if,
            retry_if_ok: &self.retry_if_ok,
            before: &self.before,
            after: &self.after,
            before_sleep: &self.before_sleep,
            on_give_up: &self.on_give_up,
            sleeper: self.sleeper.clone(),
            budget: self.budget,
            limits: self.limits,
            on_finish: &self.on_finish,
            traced: self.traced,
            hedge: self.hedge,
            nested: self.nested,
        }
    }
}
