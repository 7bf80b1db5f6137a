//! Items only the `#[retry]` expansion uses. Not part of the public API: the version in the path
//! lets a future expansion change them without breaking code compiled against this one.
//!
//! Across the runtime, what the happy path needs inlined is `inline(always)` only where debug
//! assertions are off (`#[cfg_attr(not(debug_assertions), inline(always))]`) and plain `inline`
//! where they are on: LLVM honours `inline(always)` even unoptimised, which copied these helpers
//! into every retried function of a debug build and made it an eighth slower to compile.

/// The first version of the expansion's support items.
pub mod v1 {
    use std::future::Future;
    use std::marker::PhantomData;
    use std::time::{Duration, Instant};

    use crate::engine::{Call, End, Rules, Step};
    pub use crate::name::Site;
    use crate::outcome::Outcome;
    use crate::policy::Policy;
    use crate::sleep::{AsyncSleeper, SyncSleeper};
    use crate::{Attempt, RetryState, Timeout};

    /// `core`, for the expansion: an edition 2015 crate has no `::core`.
    pub use ::core;

    // The strategies the expansion writes around the user's tokens, under names no glob of a
    // value's brings, so that `unused_qualifications` finds nothing to shorten.
    pub use crate::stop::from_fn as stop_from_fn;
    pub use crate::wait::fixed as leading_fixed;
    pub use crate::wait::from_fn as wait_from_fn;

    /// A duration literal (`2s`, `150ms`), as the attribute writes it at the literal: a name no
    /// scope of the user's holds, so that `unused_qualifications` finds nothing to shorten.
    #[inline(always)]
    pub const fn duration_literal(secs: u64, nanos: u32) -> Duration {
        Duration::new(secs, nanos)
    }

    pub use crate::__emit_log as emit_log;
    pub use crate::Name;
    pub use crate::hook::{LogEvent, LogSite};
    pub use crate::policy::Policy as PolicyBuilder;
    pub use crate::sleep::DefaultSleeper;
    pub use crate::{condition, hook, stop, wait};
    pub use tracing;

    /// What an attribute value sees by plain name: everything public in its family's module.
    /// The macro imports one of these around each value and keeps no list of its own, so a
    /// strategy added to the runtime is usable in the attribute at once.
    pub mod names {
        /// `stop = ...`
        pub mod stop {
            pub use crate::renamed::stop::*;
            pub use crate::stop::*;
        }
        /// `wait = ...`
        pub mod wait {
            #[cfg(feature = "http")]
            pub use crate::http::{HeaderHint, HintHeader};
            pub use crate::renamed::wait::*;
            pub use crate::wait::*;
        }
        /// `nested = once` or `nested = retry`.
        pub mod nested {
            /// `nested = once`: see [`Nested::Once`](crate::nested::Nested::Once).
            #[allow(non_upper_case_globals)]
            pub const once: crate::nested::Nested = crate::nested::Nested::Once;
            /// `nested = retry`: see [`Nested::Retry`](crate::nested::Nested::Retry).
            #[allow(non_upper_case_globals)]
            pub const retry: crate::nested::Nested = crate::nested::Nested::Retry;
            pub use crate::nested::Nested;
        }
        /// `hedge = ...`: [`after`](crate::hedge::after) and the limit on hedges in flight.
        pub mod hedge {
            pub use crate::hedge::*;
            pub use crate::renamed::hedge::*;
        }
        /// `retry_if = ...`: the conditions, and `persevere::http`'s (a function or import of
        /// the user's own with the same name wins, as every name of theirs does).
        pub mod condition {
            // A call with no arguments in a condition goes through `CalledBare`'s method.
            pub use crate::__private::v1::CallTakingNothing as _;
            pub use crate::condition::*;
            #[cfg(feature = "http")]
            pub use crate::http::{retryable_status, statuses};
            pub use crate::renamed::condition::*;
        }
        /// `retry_if_ok = ...`: a predicate on the `Ok` value, so only the conditions' names,
        /// each telling where it goes.
        pub mod retry_if_ok {
            pub use crate::renamed::retry_if_ok::*;
        }
        /// `on_give_up = ...`: the level names, and a `log` that says it goes in `on_finish`.
        pub mod give_up {
            pub use crate::hook::level::*;
            pub use crate::renamed::give_up::*;
        }
        /// `log(..)` as a whole `stop`, `wait` or `retry_if`: the key's names, the level names,
        /// and a `log` that says it goes in a hook's key (a `log` of the user's wins, as every
        /// name of theirs does, and may take the key's names).
        pub mod log_in_stop {
            pub use super::stop::*;
            pub use crate::hook::level::*;
            pub use crate::renamed::log_elsewhere::*;
        }
        /// See [`log_in_stop`].
        pub mod log_in_wait {
            pub use super::wait::*;
            pub use crate::hook::level::*;
            pub use crate::renamed::log_elsewhere::*;
        }
        /// See [`log_in_stop`].
        pub mod log_in_condition {
            pub use super::condition::*;
            pub use crate::hook::level::*;
            pub use crate::renamed::log_elsewhere::*;
        }
        /// `before = ...`, `after = ...`, `before_sleep = ...`: the hooks, and the level names
        /// `log(warn)` takes.
        pub mod hook {
            pub use crate::hook::level::*;
            pub use crate::hook::*;
            pub use crate::renamed::hook::*;

            /// What a level name of another logger makes: not a level, so `log` says which are.
            #[derive(Debug)]
            pub struct NotALevel {}

            /// Level names of other loggers (`warning`, tenacity's `WARNING`, `tracing`'s `WARN`
            /// without its type), so that `log(warning)` is told to write `warn` instead of
            /// finding no such name. Functions, as the level names are, not unit structs: a
            /// value's own `let warning` binds a name rather than matching a pattern.
            macro_rules! not_levels {
                ($($name:ident)*) => {$(
                    #[allow(non_snake_case)]
                    #[doc(hidden)]
                    pub fn $name() -> NotALevel {
                        NotALevel {}
                    }
                )*};
            }
            not_levels!(warning critical fatal TRACE DEBUG INFO WARN WARNING ERROR CRITICAL FATAL Trace Info Warn Warning Critical Fatal);
        }
    }

    // ---------------------------------------------------------------------------------------
    // The call: its engine state, and the outcome kept across a sleep.

    /// A retried call as the expansion drives it: the engine's state (made at the first failure,
    /// or before the first attempt when a `before` hook needs it), when it started, and the
    /// outcome kept across a sleep in case the sleep overruns a deadline.
    pub struct Run<R, K> {
        stage: Stage<R>,
        kept: K,
    }

    /// Before the first failure, only what the call will need; after it, the engine's state.
    /// The two share their space in the future.
    enum Stage<R> {
        Fresh { started: Option<Instant> },
        Called(Engine<R>),
    }

    /// The engine's state as the attribute keeps it: named by the function that makes the
    /// call's [`Site`]. The expansion hands that function (a plain `fn`, so the steps are not
    /// instantiated per closure) to each step that may make the state: a first attempt that
    /// succeeds never builds the name, and the state keeps a pointer, not the name.
    type Engine<R> = Call<R, fn() -> Site>;

    // Every async call's future holds the engine's state across each sleep, beside tokio's
    // 96-byte `Sleep` and the kept outcome: at 96 bytes, a retried future is no larger than
    // backon's. Whatever is added to the state makes every one larger.
    const _: () = assert!(size_of::<Engine<Result<(), ()>>>() <= 96);

    /// A call that has made no attempt yet.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn run<R: Outcome, K: Keeper<R>>(kept: K) -> Run<R, K> {
        Run {
            stage: Stage::Fresh { started: None },
            kept,
        }
    }

    impl<R: Outcome, K> Run<R, K> {
        /// The engine's state, made now if no attempt has failed yet.
        fn call(&mut self, site: fn() -> Site) -> &mut Engine<R> {
            self.call_and_kept(site).0
        }

        /// [`call`](Self::call), and where the last outcome is kept, borrowed apart.
        #[inline]
        fn call_and_kept(&mut self, site: fn() -> Site) -> (&mut Engine<R>, &mut K) {
            if let Stage::Fresh { started } = self.stage {
                self.stage = Stage::Called(Call::named(site, started));
            }
            match (&mut self.stage, &mut self.kept) {
                (Stage::Called(call), kept) => (call, kept),
                (Stage::Fresh { .. }, _) => unreachable!("the stage was made `Called` just above"),
            }
        }

        /// The engine's state, if it has been made.
        fn called(&self) -> Option<&Engine<R>> {
            match &self.stage {
                Stage::Called(call) => Some(call),
                Stage::Fresh { .. } => None,
            }
        }

        /// When the call started, if it is timed.
        fn started(&self) -> Option<Instant> {
            match &self.stage {
                Stage::Fresh { started } => *started,
                Stage::Called(call) => call.started(),
            }
        }

        /// Starts the clock, if it has not started (only before the first failure: the engine's
        /// state is made with the start it will keep).
        fn start(&mut self, now: impl FnOnce() -> Instant) {
            if let Stage::Fresh { started } = &mut self.stage
                && started.is_none()
            {
                *started = Some(now());
            }
        }
    }

    /// Holds the outcome being retried across a sleep: `Option<R>`, or [`Discard`] where the
    /// outcome is not `Send` and holding it across an await would make the future not `Send`.
    pub trait Keeper<R> {
        /// Keeps `outcome` (or drops it).
        fn put(&mut self, outcome: R);
        /// The kept outcome, if any.
        fn take(&mut self) -> Option<R>;
    }

    impl<R> Keeper<R> for Option<R> {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn put(&mut self, outcome: R) {
            *self = Some(outcome);
        }
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn take(&mut self) -> Option<R> {
            Option::take(self)
        }
    }

    /// Keeps nothing (see [`Keeper`]).
    pub struct Discard<R>(PhantomData<fn() -> R>);

    impl<R> Keeper<R> for Discard<R> {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn put(&mut self, _: R) {}
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn take(&mut self) -> Option<R> {
            None
        }
    }

    /// The keeper for a sync function: its outcome crosses no await.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn sync_keeper<R>() -> Option<R> {
        None
    }

    /// Chooses an async function's keeper by whether its outcome is `Send`, through method
    /// resolution: `(&&KeepProbe::<R>::new()).__persevere_keeper()` finds [`ViaSend`] when
    /// `R: Send` and falls back to [`ViaAny`] otherwise (and in generic code that cannot tell).
    /// The method's name is the runtime's own, so no trait of the user's in scope can compete.
    pub struct KeepProbe<R>(PhantomData<fn() -> R>);

    impl<R> KeepProbe<R> {
        /// The probe.
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub fn new() -> Self {
            KeepProbe(PhantomData)
        }
    }

    impl<R> Default for KeepProbe<R> {
        fn default() -> Self {
            Self::new()
        }
    }

    /// See [`KeepProbe`].
    pub trait ViaSend<R> {
        /// An empty `Option<R>`.
        fn __persevere_keeper(&self) -> Option<R>;
    }
    impl<R: Send> ViaSend<R> for &KeepProbe<R> {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn __persevere_keeper(&self) -> Option<R> {
            None
        }
    }

    /// See [`KeepProbe`].
    pub trait ViaAny<R> {
        /// A [`Discard`].
        fn __persevere_keeper(&self) -> Discard<R>;
    }
    impl<R> ViaAny<R> for KeepProbe<R> {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn __persevere_keeper(&self) -> Discard<R> {
            Discard(PhantomData)
        }
    }

    /// Other libraries' names for a wait's settings, in scope where the attribute writes a
    /// call's named settings (`exponential(max_delay = 10s)`), and only there: a method chain of
    /// the user's keeps to the wait's own methods and the user's traits.
    pub mod foreign_settings {
        pub use crate::renamed::settings::{
            CurveSettings as _, DecorrelatedSettings as _, ExceptionMessageSettings as _,
            IncrementSettings as _, PlainJitterSettings as _, RandomSettings as _,
        };
    }

    /// A bare name beside an operator in a value (see [`crate::operand`]).
    pub use crate::operand;

    // ---------------------------------------------------------------------------------------
    // A function called with no arguments as a condition (`retry_if = is_transient()`):
    // `(&&CalledBare(&f)).__persevere_call()` finds [`CallTakingNothing`] for a function that takes
    // nothing (`any_error()`), and calls it; any other, a predicate on the error called rather
    // than named most often, meets the inherent method's bound: one error, at the call, naming
    // the function's signature.

    /// A function called with no arguments in a condition.
    pub struct CalledBare<'a, F>(pub &'a F);

    /// See [`CalledBare`].
    pub trait CallTakingNothing {
        /// What the function returns.
        type Out;
        /// The function's value.
        fn __persevere_call(&self) -> Self::Out;
    }
    impl<F: Fn() -> C, C> CallTakingNothing for &CalledBare<'_, F> {
        type Out = C;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn __persevere_call(&self) -> C {
            (self.0)()
        }
    }

    impl<F> CalledBare<'_, F> {
        /// A function that takes arguments: the bound fails, at the call.
        pub fn __persevere_call(&self) -> crate::condition::AnyError
        where
            F: NamedNotCalled,
        {
            crate::condition::AnyError
        }
    }

    /// Implemented by no type: see [`CalledBare`].
    #[diagnostic::on_unimplemented(
        message = "this function takes arguments, and is called here with none: `{Self}`",
        label = "called without its arguments",
        note = "a predicate on the error is named, not called: `retry_if = is_transient`, without `()`"
    )]
    pub trait NamedNotCalled {}

    // ---------------------------------------------------------------------------------------
    // An argument a value moves. Values read the function's arguments through references, and
    // are evaluated again at each retry, so a value that passes an argument on by value
    // (`message_contains(needle)`) gets a copy of it: `(&&ByValue(&arg)).__persevere_read()`
    // finds [`ReadCopy`] for a `Copy` argument, [`ReadShared`] for a `&mut` one (read as the `&`
    // rustc's coercion would make of it), and for any other the inherent method, whose bound
    // is one error at the argument saying what to write (rustc's would be two, naming the
    // reference).

    /// An argument a value reads by value.
    pub struct ByValue<'a, T: ?Sized>(pub &'a T);

    impl<T: ?Sized> Clone for ByValue<'_, T> {
        fn clone(&self) -> Self {
            *self
        }
    }
    impl<T: ?Sized> Copy for ByValue<'_, T> {}

    /// See [`ByValue`].
    pub trait ReadCopy {
        /// The argument's type.
        type Out;
        /// A copy of the argument.
        fn __persevere_read(&self) -> Self::Out;
    }
    impl<T: Copy> ReadCopy for &ByValue<'_, T> {
        type Out = T;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn __persevere_read(&self) -> T {
            *self.0
        }
    }

    /// See [`ByValue`].
    pub trait ReadShared {
        /// What the argument's `&mut` points to.
        type Out;
        /// The argument, shared.
        fn __persevere_read(&self) -> Self::Out;
    }
    impl<'a, T: ?Sized> ReadShared for ByValue<'a, &mut T> {
        type Out = &'a T;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn __persevere_read(&self) -> &'a T {
            self.0
        }
    }

    impl<T> ByValue<'_, T> {
        /// An argument that is neither `Copy` nor a `&mut`: the bound fails, at the argument.
        pub fn __persevere_read(self) -> T
        where
            T: MovedByAValue,
        {
            T::moved(self.0)
        }
    }

    /// Implemented by no type: see [`ByValue`].
    #[diagnostic::on_unimplemented(
        message = "a value of `#[retry]` cannot take this argument by value: `{Self}` is not `Copy`",
        label = "moved here",
        note = "the attribute's values run again at each retry, so they read the function's arguments by reference: write `.clone()` after the argument (or `&` before it, where what takes it borrows)"
    )]
    pub trait MovedByAValue: Sized {
        /// Never called.
        fn moved(from: &Self) -> Self;
    }
    /// Closures in a value typed by the function's outcome (see [`crate::outcome_type`]).
    pub use crate::outcome_type;

    // ---------------------------------------------------------------------------------------
    // `clone(x)`: the copy kept aside for later attempts.

    /// A `clone(..)` argument's copy, kept aside before the first attempt. Its `Clone` bound is
    /// checked once, where it is made (`keep`): restoring from it needs none, so a type that is
    /// not `Clone` is reported once.
    pub struct Kept<T> {
        value: T,
        clone: fn(&T) -> T,
    }

    /// Keeps a clone of `value` aside.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn keep<T: Clone>(value: &T) -> Kept<T> {
        Kept {
            value: value.clone(),
            clone: T::clone,
        }
    }

    impl<T> Kept<T> {
        /// A fresh clone, for the next attempt.
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub fn fresh(&self) -> T {
            (self.clone)(&self.value)
        }

        /// The copy, as values read it.
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub fn get(&self) -> &T {
            &self.value
        }
    }

    // ---------------------------------------------------------------------------------------
    // A by-value argument the body moves: reusable by the next attempt only if it is `Copy`, or a
    // `&mut` that the move reborrows.

    /// The type of an argument at a place where the body moves it (see [`MoveProbe::of`]).
    pub struct MoveProbe<T: ?Sized>(PhantomData<*const T>);

    impl<T: ?Sized> MoveProbe<T> {
        /// The probe for the place `argument` points to (a raw pointer: taking it moves nothing).
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub fn of(_argument: *const T) -> Self {
            MoveProbe(PhantomData)
        }
    }

    /// The next attempt can use the argument again.
    pub struct Reusable;
    /// The first attempt used the argument up.
    pub struct Consumed;

    /// See [`MoveProbe`]: `Copy` arguments are reusable.
    pub trait ProbeCopy {
        /// [`Reusable`].
        fn __persevere_moved(&self) -> Reusable;
    }
    impl<T: Copy> ProbeCopy for &MoveProbe<T> {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn __persevere_moved(&self) -> Reusable {
            Reusable
        }
    }
    /// See [`MoveProbe`]: a `&mut` passed on is reborrowed where its type is known.
    pub trait ProbeMut {
        /// [`Reusable`].
        fn __persevere_moved(&self) -> Reusable;
    }
    impl<T: ?Sized> ProbeMut for &MoveProbe<&mut T> {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn __persevere_moved(&self) -> Reusable {
            Reusable
        }
    }
    /// See [`MoveProbe`]: anything else is consumed.
    pub trait ProbeAny {
        /// [`Consumed`].
        fn __persevere_moved(&self) -> Consumed;
    }
    impl<T: ?Sized> ProbeAny for MoveProbe<T> {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn __persevere_moved(&self) -> Consumed {
            Consumed
        }
    }

    // ---------------------------------------------------------------------------------------
    // Each iteration of the loop.

    /// The policy's clock and sleeper, for a sync or an async function.
    pub trait Clocked {
        /// The sleeper's current time.
        fn now(&self) -> Instant;
        /// What an attempt's time limit waits on.
        type Timer: Future<Output = ()>;
        /// A timer of `limit` on the sleeper's clock (async only).
        fn timer(&self, limit: Duration) -> Option<Self::Timer>;
    }

    /// A policy whose sleeper blocks: a sync function's.
    pub struct SyncPolicy<P>(pub P);
    /// A policy whose sleeper returns a future: an async function's.
    pub struct AsyncPolicy<P>(pub P);

    impl<S, W, C, O, B, A, Z, G, L: SyncSleeper, U, X: crate::timeout::SyncLimits, N> Clocked
        for SyncPolicy<Policy<S, W, C, O, B, A, Z, G, L, U, X, N>>
    {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn now(&self) -> Instant {
            SyncSleeper::now(self.0.sleeper_ref())
        }
        type Timer = std::future::Pending<()>;
        fn timer(&self, _: Duration) -> Option<Self::Timer> {
            None
        }
    }
    impl<S, W, C, O, B, A, Z, G, L: AsyncSleeper, U, X, N> Clocked
        for AsyncPolicy<Policy<S, W, C, O, B, A, Z, G, L, U, X, N>>
    {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn now(&self) -> Instant {
            AsyncSleeper::now(self.0.sleeper_ref())
        }
        type Timer = L::Sleeping;
        fn timer(&self, limit: Duration) -> Option<L::Sleeping> {
            Some(AsyncSleeper::time_limit(self.0.sleeper_ref(), limit))
        }
    }

    /// What the attempt about to run needs to know.
    ///
    /// One byte, borrowed where the attempt ends: an async function's future keeps it beside its
    /// own flags, where it takes no room. The budget's handle comes beside it ([`Refund`]), and
    /// the [`Attempt`] the body may read, dropped unless `attempt = name` binds it, in
    /// [`Ready::Go`].
    #[derive(Clone, Copy)]
    pub struct Go {
        /// Whether a success ends the call here: no part can retry an `Ok`, and no earlier
        /// attempt failed (a success after one ends the call through the policy, which reports
        /// it). One flag rather than two: it is copied across the attempt's await.
        ends_on_ok: bool,
    }

    /// The budget to refund on a first-time success (`NoBudget` when the policy has none: the
    /// slot itself rather than an `Option`, so that with no budget it takes no room). Not
    /// `Copy`: it moves into [`done`], so that an async function's future holds it across the
    /// attempt's await alone, not across the sleep.
    pub struct Refund<U>(U);

    /// An attempt's time limit: the timer, the timeout it stands for, and how the function's error
    /// type receives it.
    pub struct Timer<F, E> {
        timer: F,
        timeout: Timeout,
        convert: fn(Timeout) -> Option<E>,
    }

    /// Runs an attempt within its time limit, if it has one (see [`crate::Timeout`]); the flag
    /// says whether the limit cancelled it. An opaque future, so that awaiting it asks nothing
    /// more of `R`: a return type that is not a `Result` is reported once, at this call.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn within<R: Outcome, F: Future<Output = R>, T: Future<Output = ()>>(
        attempt: F,
        timer: Option<Timer<T, R::Err>>,
    ) -> impl Future<Output = (R, bool)> {
        match timer {
            Some(Timer {
                timer,
                timeout,
                convert,
            }) => crate::timeout::within(attempt, Some((timer, timeout)), convert),
            None => crate::timeout::within(attempt, None, |_| None),
        }
    }

    /// What [`prepare`] gives for the outcome `R` under the policy `P`.
    type ReadyFor<R, P> = Ready<
        R,
        <P as Consult<<R as Outcome>::Ok, <R as Outcome>::Err>>::Budget,
        <P as Clocked>::Timer,
        <R as Outcome>::Err,
    >;

    /// Before an attempt: go ahead, or return (a sleep overran the deadline).
    pub enum Ready<R, U, T, E> {
        /// Make the attempt, within the timer if there is one; the attempt as the body may read it.
        Go(Go, Refund<U>, Option<Timer<T, E>>, Attempt),
        /// The call is over.
        Return(R),
    }

    /// Before each attempt. Builds the policy (calls `policy`) only when something needs it now:
    /// the clock at the start of a timed call, the deadline after a sleep, a `before` hook, or
    /// `attempt = name`. Otherwise only the policy's type is consulted, so a first attempt of an
    /// untimed policy without hooks evaluates none of the attribute's values.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn prepare<R, K, P, F>(
        run: &mut Run<R, K>,
        first: bool,
        wants_attempt: bool,
        wants_timer: bool,
        site: fn() -> Site,
        policy: F,
    ) -> Ready<R, P::Budget, P::Timer, R::Err>
    where
        R: Outcome,
        K: Keeper<R>,
        F: FnOnce() -> P,
        P: Clocked + Consult<R::Ok, R::Err>,
    {
        // The decision is compiled once per policy type, not once per function (per `policy`).
        match prepare_without::<R, K, P>(run, first, wants_attempt, wants_timer) {
            Some(ready) => ready,
            None => prepare_with(run, wants_attempt, site, policy()),
        }
    }

    /// [`prepare`] as far as the policy's type decides: the attempt goes ahead without the
    /// policy, or `None` when something needs its values.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn prepare_without<R, K, P>(
        run: &mut Run<R, K>,
        first: bool,
        wants_attempt: bool,
        wants_timer: bool,
    ) -> Option<ReadyFor<R, P>>
    where
        R: Outcome,
        K: Keeper<R>,
        P: Clocked + Consult<R::Ok, R::Err>,
    {
        // `first` is the expansion's own local, not read from the call's state: the compiler
        // sees it constant on the first pass and lays that pass out with none of this.
        let called = if first { None } else { run.called() };
        let resuming = called.is_some_and(Call::checks_before_attempt);
        // A budget is refunded on success, so a call with one builds the policy to hold it.
        let needs_policy = P::has_before()
            || P::has_budget()
            || wants_timer
            || wants_attempt
            || resuming
            || (first && P::needs_clock());
        // A slot that can be empty without the policy: every slot of a policy without a budget.
        if !needs_policy && let Some(budget) = <P::Budget as crate::budget::Budget>::absent() {
            return Some(Ready::Go(
                Go {
                    ends_on_ok: !P::retries_ok() && called.is_none_or(|call| call.attempt() <= 1),
                },
                Refund(budget),
                None,
                attempt_of(called, Duration::ZERO),
            ));
        }
        None
    }

    #[inline(never)]
    fn prepare_with<R, K, P>(
        run: &mut Run<R, K>,
        wants_attempt: bool,
        site: fn() -> Site,
        policy: P,
    ) -> Ready<R, P::Budget, P::Timer, R::Err>
    where
        R: Outcome,
        K: Keeper<R>,
        P: Clocked + Consult<R::Ok, R::Err>,
    {
        let now = || policy.now();
        let (attempt_limit, total_limit) = policy.limits();
        // The value's answers: a type-erased policy's say less than its type's.
        let answers = policy.rules().answers();
        // A time limit sets a timer anyway: the clock costs little beside it.
        if answers.needs_clock || wants_attempt || total_limit.is_some() || attempt_limit.is_some()
        {
            run.start(now);
        }
        if let Some(last) = resume(run, policy.rules(), now) {
            return Ready::Return(last);
        }
        // An open circuit breaker refuses the attempt; the budget slot holds the breaker.
        if answers.has_budget
            && let Some((open, error)) = crate::engine::admit(policy.rules(), now)
        {
            let _ = run.kept.take();
            return Ready::Return(run.call(site).refused(open, error, policy.rules(), now));
        }
        if answers.has_hook(crate::hook::Moment::Before) {
            run.call(site).before(policy.rules(), now);
            // Time spent in `before` counts against the deadline too.
            if let Some(last) = resume(run, policy.rules(), now) {
                return Ready::Return(last);
            }
        }
        if let Stage::Called(call) = &mut run.stage {
            call.begin_attempt();
        }
        let _ = run.kept.take();
        let elapsed = match (wants_attempt, run.called(), run.started()) {
            (false, ..) => Duration::ZERO,
            (true, Some(call), _) => call.elapsed(now),
            (true, None, Some(start)) => now().saturating_duration_since(start),
            (true, None, None) => Duration::ZERO,
        };
        let timer = limit_of(run, attempt_limit, total_limit, now).and_then(|timeout| {
            Some(Timer {
                timer: policy.timer(timeout.limit())?,
                timeout,
                convert: P::convert,
            })
        });
        let mut attempt = attempt_of(run.called(), elapsed);
        attempt.limit = timer.as_ref().map(|timer| timer.timeout.limit());
        Ready::Go(
            Go {
                ends_on_ok: !answers.retries_ok
                    && run.called().is_none_or(|call| call.attempt() <= 1),
            },
            // A slot without a budget refunds nothing and has no breaker.
            Refund(policy.budget()),
            timer,
            attempt,
        )
    }

    /// The call's check before an attempt (see [`Call::resume`]).
    fn resume<R: Outcome, K: Keeper<R>, P: Rules<R::Ok, R::Err>>(
        run: &mut Run<R, K>,
        rules: &P,
        now: impl Fn() -> Instant,
    ) -> Option<R> {
        let Run {
            stage: Stage::Called(call),
            kept,
            ..
        } = run
        else {
            return None;
        };
        call.resume(|| kept.take(), rules, now)
    }

    /// The attempt's time limit, from the call's state (or its start, before the first failure).
    fn limit_of<R: Outcome, K>(
        run: &Run<R, K>,
        attempt_limit: Option<Duration>,
        total_limit: Option<Duration>,
        now: impl Fn() -> Instant,
    ) -> Option<Timeout> {
        if attempt_limit.is_none() && total_limit.is_none() {
            return None;
        }
        match run.called() {
            Some(call) => call.attempt_limit(attempt_limit, total_limit, now),
            None => {
                let elapsed = run.started().map_or(Duration::ZERO, |start| {
                    now().saturating_duration_since(start)
                });
                let left = total_limit.map(|total| total.saturating_sub(elapsed));
                Timeout::for_attempt(attempt_limit, left)
            }
        }
    }

    fn attempt_of<R: Outcome>(call: Option<&Engine<R>>, elapsed: Duration) -> Attempt {
        Attempt {
            limit: None,
            number: call.map_or(1, Call::attempt),
            elapsed,
            slept: call.map_or(Duration::ZERO, Call::slept),
        }
    }

    /// Whether the attempt's outcome is final without consulting the policy: a first-time
    /// success that no part can retry. The other branch is marked cold, so the compiler lays the
    /// retry loop out of the happy path's way.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn done<R: Outcome, U: crate::budget::Budget>(
        outcome: &R,
        go: &Go,
        refund: Refund<U>,
        site: fn() -> Site,
    ) -> bool {
        if done_sync(outcome, go, refund, site) {
            true
        } else {
            failed();
            false
        }
    }

    #[cold]
    #[inline(never)]
    fn failed() {}

    /// [`done`] for a sync function, without its marker: what follows a failure there decides
    /// through a cold function ([`decide_sync`]), which marks the branch as well, and one call
    /// fewer is made at each retry.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn done_sync<R: Outcome, U: crate::budget::Budget>(
        outcome: &R,
        go: &Go,
        refund: Refund<U>,
        site: fn() -> Site,
    ) -> bool {
        if outcome.as_result().is_ok() && go.ends_on_ok {
            refund.0.refund();
            if let Some(breaker) = refund.0.breaker() {
                crate::breaker::events::first_time_success(breaker, || site().name);
            }
            true
        } else {
            false
        }
    }

    /// Ends a call that [`done`] says is over. A call that never failed holds nothing to drop,
    /// so its state is forgotten here, in line, rather than dropped through its drop glue, which
    /// the compiler keeps out of line.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn end<R, K: Keeper<R>>(mut run: Run<R, K>) {
        if let Stage::Fresh { .. } = run.stage {
            // Nothing is kept before a first failure (only `settle_*` keep an outcome, and they
            // make the engine's state first), and `Fresh` holds only an instant.
            debug_assert!(
                run.kept.take().is_none(),
                "an outcome kept before a failure"
            );
            std::mem::forget(run);
        }
    }

    /// Where [`decide_sync`] writes how the call ends, for [`conclude_sync`]: a local of the
    /// expansion, made after a failure, so that it is written and read in place (moved with
    /// the decision, it would be copied at every retry).
    pub struct EndSlot<R: Outcome>(Option<End<R::Err>>);

    /// An empty [`EndSlot`].
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn end_slot<R: Outcome>() -> EndSlot<R> {
        EndSlot(None)
    }

    /// What [`decide_sync`] decided, for [`conclude_sync`], with the call it decided for.
    pub struct Decided<'a, R, K> {
        /// The sleep before the next attempt, or `None` when the call ends.
        verdict: Option<Duration>,
        call: &'a mut Engine<R>,
        kept: &'a mut K,
    }

    /// After an attempt of a sync function, before its outcome moves: the engine's decision
    /// (condition, `after`, wait, stop, `before_sleep`), made on the outcome where the attempt
    /// wrote it, and how the call ends, if it does, in `end`. Moving the outcome at once, by
    /// value, would copy it whole while the attempt's stores of its fields are still in flight,
    /// which stalls the load (store-to-load forwarding fails); once the decision is made, they
    /// have long landed. [`conclude_sync`] acts on it.
    #[allow(clippy::type_complexity)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn decide_sync<'a, R, K, S, W, C, O, B, A, Z, G, L, U, X, N>(
        run: &'a mut Run<R, K>,
        outcome: &R,
        end: &mut EndSlot<R>,
        site: fn() -> Site,
        policy: &Policy<S, W, C, O, B, A, Z, G, L, U, X, N>,
    ) -> Decided<'a, R, K>
    where
        R: Outcome,
        L: SyncSleeper,
        Policy<S, W, C, O, B, A, Z, G, L, U, X, N>: Rules<R::Ok, R::Err>,
    {
        let sleeper = policy.sleeper_ref();
        let (call, kept) = run.call_and_kept(site);
        // Out of line, and cold: a retry is the slow path, and the call marks it so.
        let verdict = call.verdict_cold(outcome, policy, || sleeper.now(), &mut end.0);
        Decided {
            verdict,
            call,
            kept,
        }
    }

    /// Carries out [`decide_sync`]'s decision on the outcome it was made on: the outcome to
    /// return (through `on_give_up` and `on_finish`), or `None` after keeping it and sleeping.
    #[allow(clippy::type_complexity)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn conclude_sync<R, K, S, W, C, O, B, A, Z, G, L, U, X, N>(
        decided: Decided<'_, R, K>,
        end: &mut EndSlot<R>,
        outcome: R,
        policy: &Policy<S, W, C, O, B, A, Z, G, L, U, X, N>,
    ) -> Option<R>
    where
        R: Outcome,
        K: Keeper<R>,
        L: SyncSleeper,
        Policy<S, W, C, O, B, A, Z, G, L, U, X, N>: Rules<R::Ok, R::Err>,
    {
        let Decided {
            verdict,
            call,
            kept,
        } = decided;
        match verdict {
            // No ending written: the outcome as it is (a plain call was finished by the verdict).
            None if end.0.is_none() => Some(outcome),
            None => Some(call.end_out_of_line(&mut end.0, outcome, policy)),
            Some(wait) => {
                kept.put(outcome);
                crate::engine::sleep_sync(policy.sleeper_ref(), wait);
                None
            }
        }
    }

    /// A `policy = ..` that hedges, under an attribute without the `hedge` key: the expansion
    /// runs one attempt at a time, so it says so rather than drop the hedge unseen.
    #[cold]
    #[inline(never)]
    fn hedge_unused(function: crate::Name) {
        tracing::warn!(
            function = %function,
            "persevere: {function}'s policy hedges, but #[retry] hedges only with its own `hedge` key; this call makes one attempt at a time"
        );
    }

    /// After an attempt of an async function: return, or await the sleep (`None` when sleeps are
    /// skipped). The policy is not needed for the await, so it is dropped before it.
    pub enum Next<R, F> {
        /// The call is over.
        Return(R),
        /// Await this, then make the next attempt.
        Sleep(Option<F>),
    }

    pin_project_lite::pin_project! {
        /// The sleep after a failed attempt, or nothing when sleeps are skipped: awaited where it
        /// is made, so the future holds it in one place (a sleep moved into a local and then
        /// awaited can take its size twice).
        pub struct Sleeping<F> {
            #[pin]
            sleep: Option<F>,
        }
    }

    impl<F> Sleeping<F> {
        /// The sleep to await (none when sleeps are skipped). A function of its own rather than
        /// `From`, which a `#![no_implicit_prelude]` module does not have in scope.
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub fn new(sleep: Option<F>) -> Self {
            Sleeping { sleep }
        }
    }

    impl<F: Future<Output = ()>> Future for Sleeping<F> {
        type Output = ();
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn poll(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<()> {
            match self.project().sleep.as_pin_mut() {
                Some(sleep) => sleep.poll(cx),
                None => std::task::Poll::Ready(()),
            }
        }
    }

    /// See [`Next`]. Asked to be in line: the engine's decision is out of line already, and a
    /// call of this one as well copied the outcome and the answer through memory at each retry
    /// (an eighth more instructions for three failures).
    #[allow(clippy::type_complexity)]
    #[inline]
    pub fn settle_async<R, K, S, W, C, O, B, A, Z, G, L, U, X, N>(
        run: &mut Run<R, K>,
        outcome: R,
        timed_out: bool,
        site: fn() -> Site,
        policy: &Policy<S, W, C, O, B, A, Z, G, L, U, X, N>,
    ) -> Next<R, <X as crate::timeout::Limits<R::Err>>::Sleep<L::Sleeping>>
    where
        R: Outcome,
        K: Keeper<R>,
        L: AsyncSleeper,
        X: crate::timeout::Limits<R::Err>,
        Policy<S, W, C, O, B, A, Z, G, L, U, X, N>: Rules<R::Ok, R::Err>,
    {
        let sleeper = policy.sleeper_ref();
        let call = run.call(site);
        if timed_out {
            call.attempt_timed_out();
        }
        if call.attempt() == 1 && policy.hedge.is_some() {
            hedge_unused(call.function());
        }
        match call.settle(outcome, policy, || sleeper.now()) {
            Step::Return(outcome) => Next::Return(outcome),
            Step::Sleep(wait, last) => {
                let now = || sleeper.now();
                let sleeping = crate::engine::sleep_async(sleeper, wait)
                    .map(|sleeping| crate::engine::cut_at_limit(policy, sleeping, call, now));
                run.kept.put(last);
                Next::Sleep(sleeping)
            }
        }
    }

    /// The policy as [`prepare`] consults it: its rules, and their type-level answers.
    pub trait Consult<T, E> {
        /// The policy's rules.
        type Rules: Rules<T, E>;
        /// The policy.
        fn rules(&self) -> &Self::Rules;
        /// See [`Rules::retries_ok`].
        fn retries_ok() -> bool;
        /// See [`Rules::needs_clock`].
        fn needs_clock() -> bool;
        /// Whether a `before` hook is set.
        fn has_before() -> bool;
        /// The budget slot.
        type Budget: crate::budget::Budget;
        /// The budget handle, to refund a success without the policy.
        fn budget(&self) -> Self::Budget;
        /// Whether the policy has a budget.
        fn has_budget() -> bool;
        /// `(each attempt's limit, the whole call's limit)`.
        fn limits(&self) -> (Option<Duration>, Option<Duration>);
        /// The error for a timed-out attempt.
        fn convert(timeout: Timeout) -> Option<E>;
    }

    macro_rules! consult {
        ($wrapper:ident) => {
            impl<
                T,
                E,
                S,
                W,
                C,
                O,
                B,
                A,
                Z,
                G,
                L,
                U: crate::budget::Budget,
                X: crate::timeout::Limits<E>,
                N,
            > Consult<T, E> for $wrapper<Policy<S, W, C, O, B, A, Z, G, L, U, X, N>>
            where
                Policy<S, W, C, O, B, A, Z, G, L, U, X, N>: Rules<T, E>,
            {
                type Rules = Policy<S, W, C, O, B, A, Z, G, L, U, X, N>;
                #[cfg_attr(not(debug_assertions), inline(always))]
                #[cfg_attr(debug_assertions, inline)]
                fn rules(&self) -> &Self::Rules {
                    &self.0
                }
                #[cfg_attr(not(debug_assertions), inline(always))]
                #[cfg_attr(debug_assertions, inline)]
                fn retries_ok() -> bool {
                    <Self::Rules as Rules<T, E>>::retries_ok()
                }
                #[cfg_attr(not(debug_assertions), inline(always))]
                #[cfg_attr(debug_assertions, inline)]
                fn needs_clock() -> bool {
                    <Self::Rules as Rules<T, E>>::needs_clock()
                }
                #[cfg_attr(not(debug_assertions), inline(always))]
                #[cfg_attr(debug_assertions, inline)]
                fn has_before() -> bool {
                    <Self::Rules as Rules<T, E>>::has_hook(crate::hook::Moment::Before)
                }
                type Budget = U;
                #[cfg_attr(not(debug_assertions), inline(always))]
                #[cfg_attr(debug_assertions, inline)]
                fn budget(&self) -> U {
                    *self.0.budget_ref()
                }
                #[cfg_attr(not(debug_assertions), inline(always))]
                #[cfg_attr(debug_assertions, inline)]
                fn has_budget() -> bool {
                    <U as crate::budget::Budget>::is_budget()
                }
                #[cfg_attr(not(debug_assertions), inline(always))]
                #[cfg_attr(debug_assertions, inline)]
                fn limits(&self) -> (Option<Duration>, Option<Duration>) {
                    crate::timeout::Limits::<E>::limits(self.0.limits_ref())
                }
                fn convert(timeout: Timeout) -> Option<E> {
                    <X as crate::timeout::Limits<E>>::convert(timeout)
                }
            }
        };
    }
    consult!(SyncPolicy);
    consult!(AsyncPolicy);

    // ---------------------------------------------------------------------------------------
    // Named settings on a function called with none of its positional arguments.

    /// What `f(name = value, ..)` starts from before its settings: `f()` for a function without
    /// parameters, and the strategy's `Default` for one whose parameters all have defaults
    /// (`random(min = 1s, max = 3s)` starts from `Random::default()`, tenacity's 0 to 1 s).
    #[diagnostic::on_unimplemented(
        message = "`{Self}` takes its arguments by position, not by name",
        label = "takes arguments, and its strategy has no `Default` for settings to start from",
        note = "write the arguments in order, without their names (`attempts(3)`, `fixed(2s)`); named settings can follow them, as in `f(a, b, name = value)`"
    )]
    pub trait Named<M> {
        /// The strategy the settings are applied to.
        type Strategy;
        /// Makes it.
        fn start(self) -> Self::Strategy;
    }
    impl<F: FnOnce() -> W, W> Named<()> for F {
        type Strategy = W;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn start(self) -> W {
            self()
        }
    }
    impl<F: FnOnce(A) -> W, A, W: Default> Named<(A,)> for F {
        type Strategy = W;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn start(self) -> W {
            W::default()
        }
    }
    impl<F: FnOnce(A, B) -> W, A, B, W: Default> Named<(A, B)> for F {
        type Strategy = W;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn start(self) -> W {
            W::default()
        }
    }

    /// See [`Named`].
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn named<M, F: Named<M>>(f: F) -> F::Strategy {
        f.start()
    }

    // ---------------------------------------------------------------------------------------
    // The attribute's values, checked where they are written.
    //
    // Every item that needs `R: Outcome` is a free function, and the expansion spans each call at
    // the function's return type: for a return type that is not a `Result`, rustc then reports the
    // one unmet bound once, with `Outcome`'s message, at the return type.

    /// Marks a value that is itself a strategy.
    pub enum Itself {}
    /// Marks a function named without its parentheses that makes a strategy (`stop = never`).
    pub enum Called {}

    macro_rules! value_kind {
        ($(#[$doc:meta])* $Into:ident, $Trait:path, $message:literal, $label:literal, $($note:literal),+) => {
            $(#[$doc])*
            #[diagnostic::on_unimplemented(message = $message, label = $label, $(note = $note),+)]
            pub trait $Into<T, E, M> {
                /// The strategy.
                type Output: $Trait;
                /// Makes the strategy.
                fn make(self) -> Self::Output;
            }
            impl<T, E, V: $Trait> $Into<T, E, Itself> for V {
                type Output = V;
                #[cfg_attr(not(debug_assertions), inline(always))]
                #[cfg_attr(debug_assertions, inline)]
                fn make(self) -> V {
                    self
                }
            }
            impl<T, E, F: FnOnce() -> V, V: $Trait> $Into<T, E, Called> for F {
                type Output = V;
                #[cfg_attr(not(debug_assertions), inline(always))]
                #[cfg_attr(debug_assertions, inline)]
                fn make(self) -> V {
                    self()
                }
            }
        };
    }

    value_kind!(
        /// A stop strategy, or a function that makes one.
        IntoStop, crate::stop::Stop<T, E>,
        "`{Self}` is not a stop strategy for `Result<{T}, {E}>`",
        "not a stop strategy",
        "a stop strategy is `attempts(n)`, `retries(n)`, `elapsed(d)` (a duration alone is no stop), `deadline(d)`, `never`, a closure `|state| -> bool`, or a type implementing `persevere::stop::Stop`; several combine with `|` (either) or `&` (both), not in a tuple or a list",
        "a wait (`fixed`, `exponential`, `random`, ..) goes in `wait = ..`, a condition (`on_error`, `error_type`, ..) in `retry_if = ..`"
    );
    value_kind!(
        /// A wait strategy, or a function that makes one.
        IntoWait, crate::wait::Wait<T, E>,
        "`{Self}` is not a wait strategy for `Result<{T}, {E}>`",
        "not a wait strategy",
        "a wait strategy is a `Duration` (`250ms`), `fixed(d)`, `exponential(..)`, `random(..)`, `chain(a, b)` (waits in turn; `chain_vec(list)` for a list made at run time), a closure `|state| -> Duration`, or a type implementing `persevere::wait::Wait`; `server_hint()` also needs `{E}` to implement `persevere::hint::ServerHint` (`{T}`, with `.from_ok()`)",
        "a stop (`attempts`, `elapsed`, `deadline`, ..) goes in `stop = ..`, a condition (`on_error`, `error_type`, ..) in `retry_if = ..`"
    );
    value_kind!(
        /// A condition, or a function that makes one.
        IntoCondition, crate::condition::Condition<T, E>,
        "`{Self}` is not a retry condition for `Result<{T}, {E}>`",
        "not a condition on this function's outcome",
        "a condition is a closure or function taking `&{E}` and returning `bool`, or `on_error(..)`, `error_type::<T>()`, `message_contains(..)`, combined with `|`, `&`, `!`; some need a trait of `{E}`: `error_codes([..])` takes a list of codes and needs `persevere::condition::ErrorCode`, `retryable_status()` and `statuses(..)` need `persevere::http::HttpStatus` (of `{T}`, with `.from_ok()`), `error_type` and `network()` need `std::error::Error`, `message_contains` needs `Display`",
        "a stop (`attempts`, `elapsed`, `deadline`, ..) goes in `stop = ..`, a wait (`fixed`, `exponential`, ..) in `wait = ..`",
        "a predicate is named, not called: `retry_if = is_transient`, not `is_transient()`; to retry every error, `retry_if = any_error()`; one variant of an error is `|e| matches!(e, Error::Busy)`, a method of `self` `|e| self.is_transient(e)`"
    );
    value_kind!(
        /// A hook, or a function that makes one.
        IntoHook, crate::hook::Hook<T, E>,
        "`{Self}` is not a hook for `Result<{T}, {E}>`",
        "not a hook for this function",
        "a hook is a closure or function taking `&RetryState`, or `log(level)`, which needs the error type `{E}` to implement `Display`; `log(level).values()` also needs the value type `{T}` to implement `Debug`; a statement such as `println!(..)` runs once, where it is written: make it a closure, `|state| println!(..)`"
    );
    value_kind!(
        /// A give-up handler, or a function that makes one.
        IntoGiveUp, crate::hook::GiveUp<T, E>,
        "`{Self}` cannot decide what `Result<{T}, {E}>` to return on giving up",
        "not a give-up handler",
        "write a closure `|last, state| ...` that takes the last `Result<{T}, {E}>` and returns one"
    );

    /// The function's `Ok` and `Err` types, for the values' checks: made from the return type
    /// where it is written ([`parts`]), so that a return type that is not a `Result` is one
    /// error there, rather than one more at every value (whose checks then see no types to
    /// fault).
    pub struct Parts<T, E>(PhantomData<fn() -> (T, E)>);

    /// See [`Parts`].
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn parts<R: Outcome>() -> Parts<R::Ok, R::Err> {
        Parts(PhantomData)
    }

    // Each checks an attribute value where it is written (written out, not generated, so that a
    // failed bound is reported without a macro backtrace).

    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn stop_value<T, E, M, V: IntoStop<T, E, M>>(_: Parts<T, E>, value: V) -> V::Output {
        value.make()
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn wait_value<T, E, M, V: IntoWait<T, E, M>>(_: Parts<T, E>, value: V) -> V::Output {
        value.make()
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn condition_value<T, E, M, V: IntoCondition<T, E, M>>(
        _: Parts<T, E>,
        value: V,
    ) -> V::Output {
        value.make()
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn hook_value<T, E, M, V: IntoHook<T, E, M>>(_: Parts<T, E>, value: V) -> V::Output {
        value.make()
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn give_up_value<T, E, M, V: IntoGiveUp<T, E, M>>(_: Parts<T, E>, value: V) -> V::Output {
        value.make()
    }

    /// A sync function's sleeper, or a function that makes one. Like the strategies' checks, the
    /// check returns an associated type that stays unresolved when no impl applies, so a sleeper
    /// of the wrong kind is reported once, where it is written.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot sleep in a sync function",
        label = "not a blocking sleeper",
        note = "a sync function's sleeper is `|d: Duration| ...` returning `()`, or a type implementing `persevere::sleep::SyncSleeper`; a sleeper that returns a future, such as `tokio::time::sleep`, needs an `async fn`",
        note = "`sleep` takes the sleeper itself, not a call of it: `sleep = std::thread::sleep`, not `sleep = std::thread::sleep(1s)` (the time between attempts is `wait`)"
    )]
    pub trait IntoSyncSleeper<M> {
        /// The sleeper.
        type Sleeper: SyncSleeper;
        /// Makes the sleeper.
        fn make(self) -> Self::Sleeper;
    }
    impl<S: SyncSleeper> IntoSyncSleeper<Itself> for S {
        type Sleeper = S;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn make(self) -> S {
            self
        }
    }
    impl<F: FnOnce() -> S, S: SyncSleeper> IntoSyncSleeper<Called> for F {
        type Sleeper = S;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn make(self) -> S {
            self()
        }
    }

    /// An async function's sleeper, or a function that makes one (see [`IntoSyncSleeper`]).
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot sleep in an async function",
        label = "not an async sleeper",
        note = "an async function's sleeper is `|d: Duration| ...` returning a future, or a type implementing `persevere::sleep::AsyncSleeper`; a sleeper that blocks, such as `std::thread::sleep`, needs a sync `fn`",
        note = "`sleep` takes the sleeper itself, not a call of it: `sleep = tokio::time::sleep`, not `sleep = tokio::time::sleep(1s)` (the time between attempts is `wait`)"
    )]
    pub trait IntoAsyncSleeper<M> {
        /// The sleeper.
        type Sleeper: AsyncSleeper;
        /// Makes the sleeper.
        fn make(self) -> Self::Sleeper;
    }
    impl<S: AsyncSleeper> IntoAsyncSleeper<Itself> for S {
        type Sleeper = S;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn make(self) -> S {
            self
        }
    }
    impl<F: FnOnce() -> S, S: AsyncSleeper> IntoAsyncSleeper<Called> for F {
        type Sleeper = S;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn make(self) -> S {
            self()
        }
    }

    /// Checks a sync function's sleeper where it is written.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn sync_sleeper_value<M, S: IntoSyncSleeper<M>>(sleeper: S) -> S::Sleeper {
        sleeper.make()
    }

    /// Checks an async function's sleeper where it is written.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn async_sleeper_value<M, S: IntoAsyncSleeper<M>>(sleeper: S) -> S::Sleeper {
        sleeper.make()
    }

    // Closure typing for the attribute's values: each returns its argument, bounded so that a
    // closure written in the attribute gets its parameter types from the function's `Result`.

    // Each keeps the closure with its call proven here (see `crate::proven`), so a closure of
    // the wrong type is reported here and not again where the policy is used.

    pub use crate::proven::Proven;
    use crate::proven::{
        ConditionCall, GiveUpCall, HookCall, OkCall, ProvenSleep, SleepCall, SleepingCall,
        StopCall, WaitCall,
    };

    /// A stop closure, as one bound (its signature still types the closure).
    pub trait StopClosure<T, E>: Fn(&RetryState<'_, T, E>) -> bool {}
    impl<T, E, F: Fn(&RetryState<'_, T, E>) -> bool> StopClosure<T, E> for F {}
    /// A wait closure, as one bound.
    pub trait WaitClosure<T, E>: Fn(&RetryState<'_, T, E>) -> Duration {}
    impl<T, E, F: Fn(&RetryState<'_, T, E>) -> Duration> WaitClosure<T, E> for F {}
    /// An `on_give_up` closure, as one bound.
    pub trait GiveUpClosure<T, E>: Fn(Result<T, E>, &RetryState<'_, T, E>) -> Result<T, E> {}
    impl<T, E, F> GiveUpClosure<T, E> for F where
        F: Fn(Result<T, E>, &RetryState<'_, T, E>) -> Result<T, E>
    {
    }
    /// A hook closure, as one bound.
    pub trait HookClosure<T, E>: Fn(&RetryState<'_, T, E>) {}
    impl<T, E, F: Fn(&RetryState<'_, T, E>)> HookClosure<T, E> for F {}

    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn stop_fn<T, E, F: StopClosure<T, E>>(
        _: Parts<T, E>,
        f: F,
    ) -> Proven<F, StopCall<F, T, E>> {
        Proven::new(f, |f, state| f(state))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn wait_fn<T, E, F: WaitClosure<T, E>>(
        _: Parts<T, E>,
        f: F,
    ) -> Proven<F, WaitCall<F, T, E>> {
        Proven::new(f, |f, state| f(state))
    }
    /// A predicate on the error, as one bound (its signature still types the closure).
    #[diagnostic::on_unimplemented(
        message = "this closure is not a condition on `&{E}`",
        label = "expected a closure taking `&{E}` and returning `bool`"
    )]
    pub trait ErrorPredicate<E>: Fn(&E) -> bool {}
    impl<E, F: Fn(&E) -> bool> ErrorPredicate<E> for F {}

    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn error_fn<T, E, F: ErrorPredicate<E>>(
        _: Parts<T, E>,
        f: F,
    ) -> Proven<F, ConditionCall<F, T, E>> {
        Proven::new(f, |f, outcome| outcome.as_ref().is_err_and(f))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn ok_fn<T, E, F: Fn(&T) -> bool>(_: Parts<T, E>, f: F) -> Proven<F, OkCall<F, T>> {
        Proven::new(f, |f, value| f(value))
    }

    value_kind!(
        /// `retry_if_ok = ..` written as other than a closure: a predicate on the `Ok` value, or
        /// a function that makes one.
        IntoOkPredicate, Fn(&T) -> bool,
        "`retry_if_ok` takes a predicate on the function's `Ok` value, not `{Self}`",
        "expected a closure or function taking `&{T}` and returning `bool`",
        "write `retry_if_ok = |value| ..` or the name of a `fn(&{T}) -> bool`; a condition (`on_ok(..)`, `retryable_status().from_ok()`) goes in `retry_if`"
    );

    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn ok_value<T, E, M, V: IntoOkPredicate<T, E, M>>(_: Parts<T, E>, value: V) -> V::Output {
        value.make()
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn hook_fn<T, E, F: HookClosure<T, E>>(
        _: Parts<T, E>,
        f: F,
    ) -> Proven<F, HookCall<F, T, E>> {
        Proven::new(f, |f, state| f(state))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn give_up_fn<T, E, F: GiveUpClosure<T, E>>(
        _: Parts<T, E>,
        f: F,
    ) -> Proven<F, GiveUpCall<F, T, E>> {
        Proven::new(f, |f, last, state| f(last, state))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn sync_sleeper<F: Fn(Duration) -> O, O: crate::sleep::Blocked>(
        f: F,
    ) -> Proven<F, SleepCall<F>> {
        Proven::new(f, |f, duration| {
            f(duration);
        })
    }
    /// What an async sleeper closure returns, as one bound.
    #[diagnostic::on_unimplemented(
        message = "an async function's sleeper returns a future (whose output is `()`); this one returns `{Self}`, which is not a future",
        label = "not a future of `()`",
        note = "write `sleep = |d| tokio::time::sleep(d)` (or a closure returning another future of `()`); a blocking sleeper such as `std::thread::sleep` needs a sync `fn`"
    )]
    pub trait SleepFuture: Future<Output = ()> {}
    impl<Fut: Future<Output = ()>> SleepFuture for Fut {}

    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn async_sleeper<F: Fn(Duration) -> Fut, Fut: SleepFuture>(
        f: F,
    ) -> Proven<F, SleepingCall<F, Fut>> {
        Proven::new(f, |f, duration| ProvenSleep::new(f(duration)))
    }

    /// What `budget = NAME` takes: a [`RetryBudget`](crate::budget::RetryBudget), or something
    /// that derefs to one (a `LazyLock`, a reference), through any number of derefs.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a retry budget",
        label = "not a `RetryBudget`",
        note = "`budget` takes a `RetryBudget` kept in a `static` (`budget = BUDGET`); a `KeyedBudget` gives one per key: `budget = BUDGETS.key(&host)`"
    )]
    pub trait BudgetValue {
        /// The budget.
        fn budget(&self) -> &crate::budget::RetryBudget;
    }
    impl BudgetValue for crate::budget::RetryBudget {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn budget(&self) -> &crate::budget::RetryBudget {
            self
        }
    }
    impl<T: std::ops::Deref<Target: BudgetValue>> BudgetValue for T {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn budget(&self) -> &crate::budget::RetryBudget {
            (**self).budget()
        }
    }

    /// What `breaker = NAME` takes: a [`CircuitBreaker`](crate::breaker::CircuitBreaker), or
    /// something that derefs to one.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a circuit breaker",
        label = "not a `CircuitBreaker`",
        note = "`breaker` takes a `CircuitBreaker` kept in a `static` (`breaker = UPSTREAM`); a `KeyedBreaker` gives one per key: `breaker = BREAKERS.key(&host)`"
    )]
    pub trait BreakerValue {
        /// The breaker.
        fn breaker(&self) -> &crate::breaker::CircuitBreaker;
    }
    impl BreakerValue for crate::breaker::CircuitBreaker {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn breaker(&self) -> &crate::breaker::CircuitBreaker {
            self
        }
    }
    impl<T: std::ops::Deref<Target: BreakerValue>> BreakerValue for T {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn breaker(&self) -> &crate::breaker::CircuitBreaker {
            (**self).breaker()
        }
    }

    /// Checks `budget = ...` where it is written, other than a name: a reference to a
    /// [`RetryBudget`](crate::budget::RetryBudget), by coercion (so that a `&'static` one held in
    /// a temporary, as `BUDGETS.key(host)` gives, keeps its lifetime).
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn budget_value(budget: &crate::budget::RetryBudget) -> &crate::budget::RetryBudget {
        budget
    }

    /// `budget = NAME`, borrowed for the whole call: a `static`'s budget, shared by every call.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn shared_budget<B: BudgetValue + ?Sized>(
        budget: &'static B,
    ) -> &'static crate::budget::RetryBudget {
        budget.budget()
    }

    /// `breaker = NAME`, borrowed for the whole call: a `static`'s breaker, shared by every call.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn shared_breaker<B: BreakerValue + ?Sized>(
        breaker: &'static B,
    ) -> &'static crate::breaker::CircuitBreaker {
        breaker.breaker()
    }

    /// Checks `breaker = ...` where it is written, other than a name (see [`budget_value`]).
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn breaker_value(
        breaker: &crate::breaker::CircuitBreaker,
    ) -> &crate::breaker::CircuitBreaker {
        breaker
    }

    /// A whole policy as `policy = ...` takes it: a [`Policy`], or a reference to one kept
    /// elsewhere (in a `static`, a `LazyLock` or a field), which the call borrows.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a policy",
        label = "expected a `Policy`, or a reference to one",
        note = "`policy = ...` takes a `persevere::Policy` (`Policy::new().stop(..)`, `CONFIG.policy()`), or a reference to one kept in a `static`, a `LazyLock` or a field (`policy = &POLICY`)"
    )]
    pub trait PolicyValue {
        /// The policy the other keys adjust.
        type Policy;
        /// Makes it.
        fn into_policy(self) -> Self::Policy;
    }
    // Not listed in errors: the trait's own message says what `policy = ...` takes.
    #[diagnostic::do_not_recommend]
    impl<S, W, C, O, B, A, Z, G, L, U, X, N> PolicyValue
        for Policy<S, W, C, O, B, A, Z, G, L, U, X, N>
    {
        type Policy = Self;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn into_policy(self) -> Self {
            self
        }
    }
    #[diagnostic::do_not_recommend]
    impl<'a, S, W, C, O, B, A, Z, G, L: Clone, U: Copy, X: Copy, N> PolicyValue
        for &'a Policy<S, W, C, O, B, A, Z, G, L, U, X, N>
    {
        type Policy =
            Policy<&'a S, &'a W, &'a C, &'a O, &'a B, &'a A, &'a Z, &'a G, L, U, X, &'a N>;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn into_policy(self) -> Self::Policy {
            self.borrowed()
        }
    }
    #[diagnostic::do_not_recommend]
    impl<'a, P, F: FnOnce() -> P> PolicyValue for &'a std::sync::LazyLock<P, F>
    where
        &'a P: PolicyValue,
    {
        type Policy = <&'a P as PolicyValue>::Policy;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn into_policy(self) -> Self::Policy {
            std::sync::LazyLock::force(self).into_policy()
        }
    }

    /// `policy = self.policy`, a field of a place: copied where its type is `Copy` and a policy
    /// (as Rust would copy it), else borrowed, and then checked by [`policy_value`] as written.
    /// Which is chosen by method resolution: `(&PolicyField(&field)).__persevere_policy()` finds
    /// [`PolicyByCopy`] first.
    pub struct PolicyField<'a, P>(pub &'a P);

    /// See [`PolicyField`].
    pub trait PolicyByCopy<P> {
        /// A copy of the field.
        fn __persevere_policy(&self) -> P;
    }
    impl<P: Copy + PolicyValue> PolicyByCopy<P> for PolicyField<'_, P> {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn __persevere_policy(&self) -> P {
            *self.0
        }
    }

    /// See [`PolicyField`].
    pub trait PolicyByRef<'a, P> {
        /// The field, borrowed.
        fn __persevere_policy(&self) -> &'a P;
    }
    impl<'a, P> PolicyByRef<'a, P> for &PolicyField<'a, P> {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn __persevere_policy(&self) -> &'a P {
            self.0
        }
    }

    /// Checks `policy = ...` where it is written: a whole [`Policy`], or a reference to one,
    /// which the other keys adjust.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn policy_value<P: PolicyValue>(policy: P) -> P::Policy {
        policy.into_policy()
    }

    /// Retry settings for a function's outcome, or a function that makes them: a
    /// [`SettingsSource`](crate::settings::SettingsSource) for an error type the SDK's default
    /// condition can read. Like the strategies' checks, `Settings` stays unresolved when no impl
    /// applies, so a mistake is reported once, at the value.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not retry settings for `Result<{T}, {E}>`",
        label = "not settings this function can use",
        note = "`settings = ...` takes a `persevere::settings::GlobalSettings` (`settings = SDK`) or `RetrySettings` (`settings = SDK.overridden_by(options)`), for an error type that implements `persevere::settings::ServiceError` (and `persevere::condition::ErrorCode`), which the SDK's default condition reads"
    )]
    pub trait IntoSettings<T, E, M> {
        /// The settings the call reads.
        type Settings;
        /// Reads them.
        fn read_settings(&self) -> Self::Settings;
    }
    impl<T, E, S> IntoSettings<T, E, Itself> for S
    where
        S: crate::settings::SettingsSource<Error = E> + ?Sized,
        E: crate::settings::ServiceError,
    {
        type Settings = crate::settings::RetrySettings<E>;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn read_settings(&self) -> crate::settings::RetrySettings<E> {
            self.read()
        }
    }
    impl<T, E, F, S> IntoSettings<T, E, Called> for F
    where
        F: Fn() -> S,
        S: crate::settings::SettingsSource<Error = E>,
        E: crate::settings::ServiceError,
    {
        type Settings = crate::settings::RetrySettings<E>;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn read_settings(&self) -> crate::settings::RetrySettings<E> {
            self().read()
        }
    }

    /// Reads `settings = ...` where it is written, borrowed: once per call, into the call's
    /// slot (`let mut slot = None;`), at the call's first use of its policy.
    #[inline(never)]
    pub fn settings_value<R: Outcome, M, S: IntoSettings<R::Ok, R::Err, M> + ?Sized>(
        source: &S,
    ) -> S::Settings {
        source.read_settings()
    }

    /// `name = ..` other than a string literal: a constant or a `static` holding one (any
    /// spelling of it), or a macro writing one (`concat!`); anything else is one error saying
    /// what to write.
    #[diagnostic::on_unimplemented(
        message = "`name` is the call's name in log lines, spans and metrics, as a string literal or a constant holding one",
        label = "this is `{Self}`, not a `&'static str`",
        note = "write the name in quotes, as in `name = \"Db::connect\"`"
    )]
    pub trait NameValue {
        /// The name.
        fn name(self) -> &'static str;
    }

    #[diagnostic::do_not_recommend]
    impl NameValue for &'static str {
        #[inline]
        fn name(self) -> &'static str {
            self
        }
    }

    /// Reads `name = ..`'s value (see [`NameValue`]).
    #[inline]
    pub fn name_value<N: NameValue>(name: N) -> &'static str {
        name.name()
    }

    /// Where an unmet `Outcome` bound is reported, once, at the return type: the expansion's first
    /// statement. (rustc reports the same unmet bound at the same span once, so the later items'
    /// bounds add nothing.)
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn returns_result<R: Outcome>() {}

    /// The policy, as an argument spanned at the return type, so that an unmet need of it (such
    /// as a time limit's `From<Timeout>`) is reported there, once, with the others.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn policy_ref<P>(policy: &P) -> &P {
        policy
    }

    // ---------------------------------------------------------------------------------------
    // Hedging: `hedge = ...` on an async fn.

    /// `hedge = ...`'s value: a [`Hedge`](crate::hedge::Hedge), or a delay alone, meaning
    /// [`after`](crate::hedge::after) it.
    #[diagnostic::on_unimplemented(
        message = "`hedge` takes a delay or a hedge, not `{Self}`",
        label = "not a delay or a hedge",
        note = "write `hedge = 50ms`, or `hedge = after(50ms).max_in_flight(3)`"
    )]
    pub trait IntoHedge {
        /// The hedge it stands for.
        fn into_hedge(self) -> crate::hedge::Hedge;
    }
    impl IntoHedge for crate::hedge::Hedge {
        fn into_hedge(self) -> crate::hedge::Hedge {
            self
        }
    }
    impl IntoHedge for Duration {
        fn into_hedge(self) -> crate::hedge::Hedge {
            crate::hedge::after(self)
        }
    }

    /// See [`IntoHedge`].
    pub fn hedge_value<H: IntoHedge>(hedge: H) -> crate::hedge::Hedge {
        hedge.into_hedge()
    }

    /// The call of a function with `hedge = ...`: the policy's hedged loop (see
    /// [`crate::hedge`]), making each attempt's future with `attempt`, and keeping the last
    /// outcome across a sleep in `kept` (see [`KeepProbe`]). Generic over the outcome and
    /// opaque, so that a return type that is not a `Result` is reported once, at this call.
    #[allow(clippy::type_complexity)]
    pub fn hedged<'a, R, S, W, C, O, B, A, Z, G, L, U, X, N, F, Fut, K>(
        policy: &'a Policy<S, W, C, O, B, A, Z, G, L, U, X, N>,
        site: fn() -> Site,
        mut attempt: F,
        kept: K,
    ) -> impl Future<Output = R> + 'a
    where
        R: Outcome + 'a,
        K: Keeper<R> + 'a,
        F: FnMut() -> Fut + 'a,
        Fut: Future<Output = R>,
        L: AsyncSleeper,
        X: crate::timeout::Limits<R::Err>,
        Policy<S, W, C, O, B, A, Z, G, L, U, X, N>: Rules<R::Ok, R::Err>,
    {
        // `hedge = ...` always sets one; a policy read from elsewhere cannot take it away.
        let hedge = policy.hedge.unwrap_or(crate::hedge::after(Duration::MAX));
        let attempt = move || {
            let attempt = attempt();
            async move { attempt.await.into_result() }
        };
        async move {
            let (last, _) = crate::hedge::run(
                policy,
                site,
                hedge,
                attempt,
                false,
                KeptAs(kept, PhantomData),
            )
            .await;
            R::from_result(last)
        }
    }

    /// A keeper of the function's outcome, keeping the plain `Result` the hedged loop holds.
    struct KeptAs<K, R>(K, PhantomData<fn() -> R>);

    impl<R: Outcome, K: Keeper<R>> Keeper<Result<R::Ok, R::Err>> for KeptAs<K, R> {
        fn put(&mut self, outcome: Result<R::Ok, R::Err>) {
            self.0.put(R::from_result(outcome));
        }
        fn take(&mut self) -> Option<Result<R::Ok, R::Err>> {
            self.0.take().map(R::into_result)
        }
    }

    // ---------------------------------------------------------------------------------------
    // Nested retries: each async attempt is polled marked, once the call is retrying (see
    // crate::nested); a sync call marks its thread when it settles a failure.

    /// A sync attempt, marked for the calls inside it once the call is retrying. On the first
    /// pass (`first`, constant to the compiler there) there is nothing to mark or to check.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn during<R, K, T>(run: &Run<R, K>, first: bool, attempt: impl FnOnce() -> T) -> T {
        crate::nested::during(if first { None } else { run.mark() }, attempt)
    }

    /// An async attempt, marked while it is polled once the call is retrying.
    /// It borrows the call's mark alone (a plain, `Sync` value), not the call, so the future
    /// stays `Send`, and holds one pointer, so the future barely grows.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn marked<'a, R, K, F>(
        run: &'a Run<R, K>,
        first: bool,
        attempt: F,
    ) -> crate::nested::Marked<'a, fn() -> Site, F> {
        // A first attempt is never a retry: no need to look.
        crate::nested::Marked::new(if first { None } else { run.mark() }, attempt)
    }

    impl<R, K> Run<R, K> {
        /// The call's mark for the calls inside its attempt (see [`Call::mark`]); no bound on
        /// `R`, so a return type that is not a `Result` is reported once, elsewhere.
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn mark(&self) -> Option<&crate::nested::Mark<fn() -> Site>> {
            match &self.stage {
                Stage::Called(call) => call.mark(),
                Stage::Fresh { .. } => None,
            }
        }
    }

    /// `nested = ...`'s value.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn nested_value(nested: crate::nested::Nested) -> crate::nested::Nested {
        nested
    }
}
