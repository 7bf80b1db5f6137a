//! Other libraries' names for the attribute's strategies, settings written without what they set,
//! and names used in the wrong key (tenacity's `wait_fixed`,
//! `stop_after_attempt`, ...), each of which fails to compile with the name to write here.
//!
//! They are in the attribute's name scopes only, below the user's own names: a function of the
//! user's called `wait_fixed` is the one a value calls. Each takes what tenacity's takes and
//! returns a value of the right kind, so that the one error is the bound naming the fix.

use std::time::Duration;

/// Declares a trait nothing implements, whose unmet bound says `$message`.
macro_rules! never_met {
    ($($trait:ident: $message:literal, $label:literal;)*) => {$(
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(message = $message, label = $label)]
        pub trait $trait {}
    )*};
}

never_met! {
    StopAfterAttempt: "tenacity's `stop_after_attempt(n)` is written `attempts(n)`", "tenacity's name";
    StopAfterDelay: "tenacity's `stop_after_delay(seconds)` is written `elapsed(..)`, with a unit: `elapsed(10s)`", "tenacity's name";
    StopBeforeDelay: "tenacity's `stop_before_delay(seconds)` is written `deadline(..)`, with a unit: `deadline(10s)`", "tenacity's name";
    WaitFixed: "tenacity's `wait_fixed(seconds)` is written `fixed(..)`, its duration with a unit, as in `fixed(2s)`", "tenacity's name";
    WaitRandom: "tenacity's `wait_random(min, max)` is written `random(..)`, with units: `random(1s, 2s)`", "tenacity's name";
    RetryIfExceptionType: "tenacity's `retry_if_exception_type` is written `error_type::<{Self}>()`", "tenacity's name";
    RetryIfNotExceptionType: "tenacity's `retry_if_not_exception_type` is written `!error_type::<{Self}>()`", "tenacity's name";
    RetryIfExceptionMessage: "tenacity's `retry_if_exception_message` is written `message_is(\"..\")` (its `message=`) or `message_matches(r\"..\")` (its `match=`)", "tenacity's name";
    RetryIfException: "tenacity's `retry_if_exception(predicate)` is written `on_error(predicate)`", "tenacity's name";
    RetryIfResult: "tenacity's `retry_if_result(predicate)` is written `on_ok(predicate)`", "tenacity's name";
    LogTo: "tenacity's loggers are written `log(level)`, which logs through `tracing`: `log(warn)`", "tenacity's name";
    WaitExponential: "tenacity's `wait_exponential` is written `exponential(..)`, its durations with units and `exp_base` as `base`: `exponential(multiplier = 1s, min = 4s, max = 10s)`", "tenacity's name";
    WaitRandomExponential: "tenacity's `wait_random_exponential` is written `random_exponential(..)`, its durations with units and `exp_base` as `base`: `random_exponential(multiplier = 1s, max = 60s)`", "tenacity's name";
    WaitExponentialJitter: "tenacity's `wait_exponential_jitter` is written `exponential_jitter(..)`, its durations with units, `initial` as `multiplier` and `exp_base` as `base`: `exponential_jitter(multiplier = 1s, max = 60s, jitter = 1s)`", "tenacity's name";
    WaitIncrementing: "tenacity's `wait_incrementing` is written `incrementing(..)`, its durations with units: `incrementing(start = 0s, increment = 100ms, max = 10s)`", "tenacity's name";
    WaitNone: "tenacity's `wait_none()` is written `none()`, or `0s`", "tenacity's name";
    StopNever: "tenacity's `stop_never` is written `never`", "tenacity's name";
    RetryUnlessExceptionType: "tenacity's `retry_unless_exception_type` retries every `Ok` too: it is written `!error_type::<{Self}>() | on_ok(|_| true)`", "tenacity's name";
    RetryIfExceptionCauseType: "tenacity's `retry_if_exception_cause_type` is written `error_type::<{Self}>().in_causes()`, which looks among an error's causes, not at the error itself", "tenacity's name";
    RetryIfNotResult: "tenacity's `retry_if_not_result(predicate)` is written `on_ok(|value| !predicate(value))`", "tenacity's name";
    Constant: "`constant(..)` is written `fixed(..)` here, its duration with a unit: `wait = fixed(1s)`", "another library's name";
    Linear: "a wait growing by a step each retry is written `incrementing(..)` here: `wait = incrementing(start = 1s, increment = 1s, max = 10s)`", "another library's name";
    Fibonacci: "there is no Fibonacci wait here: `exponential(..)` grows as fast (`wait = exponential(min = 1s, max = 60s)`), or `chain(1s, 1s, 2s, 3s, 5s)` lists each wait", "another library's name";
    Expo: "`expo` is written `exponential(..)` here, its durations with units: `wait = exponential(min = 1s, max = 60s)`", "another library's name";
    Times: "a count of attempts is written `attempts(n)` here (the first call counts), or `retries(n)` (it does not)", "another library's name";
    StopTimeout: "a stop after a time is written `elapsed(30s)` here (or `deadline(30s)`, which never sleeps past it); the key `timeout = 30s` limits each attempt instead", "a key's name, not a stop";
    LogElsewhere: "`log(..)` writes a log line, a hook: write it in `before_sleep = log(..)` (before each sleep), `after`, `before` or `on_finish`", "a hook, not a strategy or a condition";
    LogOnGiveUp: "`log(..)` is a hook, and `on_give_up` makes what the call returns: to log once when the call ends, write `on_finish = log(..)` with the same level, whose line says how it ended", "a hook, not a give-up handler";
    CombineAny: "`any(a, b)` is written `a | b`: strategies combine with `|` (either), `&` (both) and `!` (not)", "combine with an operator";
    CombineAll: "`all(a, b)` is written `a & b`: strategies combine with `|` (either), `&` (both) and `!` (not)", "combine with an operator";
    CombineNot: "`not(a)` is written `!a`: strategies combine with `|` (either), `&` (both) and `!` (not)", "combine with an operator";
    StopAny: "tenacity's `stop_any(a, b)` is written `a | b`", "tenacity's name";
    StopAll: "tenacity's `stop_all(a, b)` is written `a & b`", "tenacity's name";
    RetryAny: "tenacity's `retry_any(a, b)` is written `a | b`", "tenacity's name";
    RetryAll: "tenacity's `retry_all(a, b)` is written `a & b`", "tenacity's name";
    WaitCombine: "tenacity's `wait_combine(a, b)` is written `a + b`", "tenacity's name";
    WaitChain: "tenacity's `wait_chain(a, b, ..)` is written `chain(a, b, ..)`, its waits with units: `chain(1s, 2s, 5s)`", "tenacity's name";
    BackonExponential: "backon's `ExponentialBuilder` is written `exponential(..)` here, its settings by name: `wait = exponential(min = 1s, max = 60s)`; its `with_max_times(n)` is `stop = retries(n)`, and its jitter `exponential_jitter(..)`", "backon's builder";
    BackonConstant: "backon's `ConstantBuilder` is written `fixed(..)` here: `wait = fixed(1s)`; its `with_max_times(n)` is `stop = retries(n)`", "backon's builder";
    BackonFibonacci: "backon's `FibonacciBuilder` has no counterpart here: `wait = exponential(..)` grows as fast as it does, or `chain(..)` lists each wait; its `with_max_times(n)` is `stop = retries(n)`", "backon's builder";
    MaxInFlightAlone: "`max_in_flight` is a setting of `after`: write `hedge = after(50ms).max_in_flight(3)`", "a setting, not a hedge";
    ConditionInRetryIfOk: "`retry_if_ok` takes the predicate itself (`retry_if_ok = |value| ..`); `on_ok(..)` and `on_error(..)` are conditions, for `retry_if`", "a condition, not a predicate";
}

// The runtime's names behind a feature that is off (see `condition::retryable_status`).
#[cfg(not(feature = "http"))]
never_met! {
    HttpFeature: "`retryable_status` and `statuses` need persevere's `http` feature: add `features = [\"http\"]` to persevere's entry in Cargo.toml", "needs the `http` feature";
}
#[cfg(not(feature = "regex"))]
never_met! {
    RegexFeature: "`message_matches` needs persevere's `regex` feature: add `features = [\"regex\"]` to persevere's entry in Cargo.toml, or match a fixed text with `message_contains(..)`", "needs the `regex` feature";
}

/// Other libraries' names for a wait's settings, as methods of the runtime's waits that the
/// attribute's wait values see (`exponential(max_delay = 10s)` calls `.max_delay(..)`): each
/// has a bound nothing meets, which says the name to write. They take `&mut self`, the last
/// receiver Rust tries, so a setting of the wait's own, or a method of a trait of the user's
/// that takes `self` or `&self`, is always found first.
pub mod settings {
    macro_rules! foreign_settings {
        ($trait:ident for [$($wait:ty),*] { $($setting:ident: $bound:ident: $message:literal;)* }) => {
            $(
                #[doc(hidden)]
                #[diagnostic::on_unimplemented(message = $message, label = "another library's name")]
                pub trait $bound {}
            )*
            /// See the module's page.
            #[doc(hidden)]
            pub trait $trait: Sized + Clone {
                $(
                    #[doc(hidden)]
                    fn $setting<V>(&mut self, _: V) -> Self
                    where
                        Self: $bound,
                    {
                        self.clone()
                    }
                )*
            }
            $(impl $trait for $wait {})*
        };
    }

    use crate::wait::{
        DecorrelatedJitter, Exponential, ExponentialJitter, Incrementing, Random, RandomExponential,
    };

    foreign_settings!(CurveSettings for [Exponential, RandomExponential, ExponentialJitter] {
        max_delay: MaxDelay: "a wait's cap is `max` here: write `max = ..` (`exponential(max = 10s)`)";
        maximum: Maximum: "a wait's cap is `max` here: write `max = ..` (`exponential(max = 10s)`)";
        cap: Cap: "a wait's cap is `max` here: write `max = ..` (`exponential(max = 10s)`)";
        max_interval: MaxInterval: "a wait's cap is `max` here: write `max = ..` (`exponential(max = 10s)`)";
        min_delay: MinDelay: "a wait's floor is `min` here: write `min = ..` (`exponential(min = 1s)`)";
        minimum: Minimum: "a wait's floor is `min` here: write `min = ..` (`exponential(min = 1s)`)";
        exp_base: ExpBase: "tenacity's `exp_base` is `base` here: write `base = ..` (`exponential(base = 3)`)";
        factor: Factor: "the growth factor is `base` here: write `base = ..` (`exponential(base = 3)`)";
        initial: Initial: "the first wait is `multiplier` here: write `multiplier = ..` (`exponential(multiplier = 100ms)`), the waits being multiplier · base^(n−1)";
        start: Start: "the first wait is `multiplier` here: write `multiplier = ..` (`exponential(multiplier = 100ms)`), the waits being multiplier · base^(n−1)";
        initial_delay: InitialDelay: "the first wait is `multiplier` here: write `multiplier = ..` (`exponential(multiplier = 100ms)`), the waits being multiplier · base^(n−1)";
        initial_interval: InitialInterval: "the first wait is `multiplier` here: write `multiplier = ..` (`exponential(multiplier = 100ms)`), the waits being multiplier · base^(n−1)";
        max_retries: MaxRetries: "how many times to retry is a stop, not a wait's setting: write `stop = retries(n)` (or `stop = attempts(n)`, counting the first)";
        max_times: MaxTimes: "how many times to retry is a stop, not a wait's setting: write `stop = retries(n)` (or `stop = attempts(n)`, counting the first)";
        max_attempts: MaxAttempts: "how many attempts to make is a stop, not a wait's setting: write `stop = attempts(n)`";
    });
    foreign_settings!(PlainJitterSettings for [Exponential, RandomExponential] {
        jitter: Jitter: "noise on top of an exponential wait is `exponential_jitter(jitter = ..)`; or add a random wait: `exponential(..) + random(0s, 1s)`";
    });
    foreign_settings!(IncrementSettings for [Incrementing] {
        step: Step: "the growth at each attempt is `increment` here: write `increment = ..` (`incrementing(start = 1s, increment = 1s)`)";
        initial: InitialIncrement: "the first wait is `start` here: write `start = ..` (`incrementing(start = 1s, increment = 1s)`)";
        max_delay: MaxDelayIncrement: "a wait's cap is `max` here: write `max = ..` (`incrementing(max = 10s)`)";
    });
    foreign_settings!(RandomSettings for [Random] {
        low: Low: "the lower bound is `min` here: write `random(min = .., max = ..)`, or `random(1s, 3s)`";
        high: High: "the upper bound is `max` here: write `random(min = .., max = ..)`, or `random(1s, 3s)`";
    });
    foreign_settings!(DecorrelatedSettings for [DecorrelatedJitter] {
        base: BaseDecorrelated: "the first wait is `initial` here: write `decorrelated_jitter(initial = .., max = ..)`";
        max_delay: MaxDelayDecorrelated: "a wait's cap is `max` here: write `max = ..` (`decorrelated_jitter(max = 10s)`)";
    });
    // tenacity's `retry_if_exception_message(message = ..)`, by its keyword: its stand-in starts
    // from `AnyError`.
    foreign_settings!(ExceptionMessageSettings for [crate::condition::AnyError] {
        message: ExceptionMessage: "tenacity's `retry_if_exception_message(message = ..)` is written `message_is(\"..\")`, or `message_matches(r\"..\")` for its `match=`";
    });
}

/// `retry_if_ok = ...`: the conditions' wrappers, which belong in `retry_if`.
pub mod retry_if_ok {
    use super::*;

    /// Hands the predicate back, so that the one error is the bound.
    #[doc(hidden)]
    pub fn on_ok<P: ConditionInRetryIfOk>(predicate: P) -> P {
        predicate
    }
    #[doc(hidden)]
    pub fn on_error<P: ConditionInRetryIfOk>(predicate: P) -> P {
        predicate
    }
}

/// `stop = ...`
pub mod stop {
    use super::*;
    use crate::stop::Never;

    #[doc(hidden)]
    pub fn stop_after_attempt<N: StopAfterAttempt>(_: N) -> Never {
        Never
    }
    #[doc(hidden)]
    pub fn stop_after_delay<D: StopAfterDelay>(_: D) -> Never {
        Never
    }
    #[doc(hidden)]
    pub fn stop_before_delay<D: StopBeforeDelay>(_: D) -> Never {
        Never
    }

    /// What `stop_never`, tenacity's constant, names here: a function whose stop is one for a
    /// function whose `Ok` type is `T`, under a bound on `T` that nothing meets.
    #[doc(hidden)]
    pub struct TenacityStop<T>(std::marker::PhantomData<fn() -> T>);

    impl<T, E> crate::stop::Stop<T, E> for TenacityStop<T> {
        fn should_stop(&self, _: &crate::RetryState<'_, T, E>) -> bool {
            false
        }
    }

    /// Other libraries' names for a count or a time.
    #[doc(hidden)]
    pub fn times<N: Times>(_: N) -> Never {
        Never
    }
    #[doc(hidden)]
    pub fn max_tries<N: Times>(_: N) -> Never {
        Never
    }
    #[doc(hidden)]
    pub fn after_attempts<N: Times>(_: N) -> Never {
        Never
    }
    #[doc(hidden)]
    pub fn timeout<D: StopTimeout>(_: D) -> Never {
        Never
    }

    #[doc(hidden)]
    pub fn stop_never<T: StopNever>() -> TenacityStop<T> {
        TenacityStop(std::marker::PhantomData)
    }
    /// Takes two stops, as tenacity's is most often given (more is a count error of rustc's),
    /// and makes a stop for a function whose `Ok` type is `T`, whose bound is reported at the
    /// name.
    #[doc(hidden)]
    pub fn any<A, B, T: CombineAny>(_: A, _: B) -> TenacityStop<T> {
        TenacityStop(std::marker::PhantomData)
    }
    #[doc(hidden)]
    pub fn all<A, B, T: CombineAll>(_: A, _: B) -> TenacityStop<T> {
        TenacityStop(std::marker::PhantomData)
    }
    #[doc(hidden)]
    pub fn stop_any<A, B, T: StopAny>(_: A, _: B) -> TenacityStop<T> {
        TenacityStop(std::marker::PhantomData)
    }
    #[doc(hidden)]
    pub fn stop_all<A, B, T: StopAll>(_: A, _: B) -> TenacityStop<T> {
        TenacityStop(std::marker::PhantomData)
    }
}

/// `wait = ...`
pub mod wait {
    use super::*;

    use stand_in::{ArgumentsFixed, ArgumentsRandom, StandIn};

    /// What the other libraries' wait makers make here: a wait for a function whose `Ok` type
    /// is `T`, which takes their settings by name (each taking anything, or nothing) and adds to
    /// anything (tenacity's `wait_fixed(3) + wait_random(0, 2)`), so that the one error is the
    /// bound that says what to write: the maker's, on `T`, or, for a maker that takes arguments
    /// and is given its settings by name, its `Default`'s (`K` says which maker). In a module of
    /// its own, out of the attribute's scope of names, and a type of the runtime's, so that
    /// `Duration`'s `+` keeps its one meaning.
    mod stand_in {
        use std::marker::PhantomData;
        use std::time::Duration;

        use super::super::{WaitFixed, WaitRandom};

        #[doc(hidden)]
        pub struct StandIn<T, K = ()>(PhantomData<fn() -> (T, K)>);

        /// `K` for `wait_fixed`, whose `Default` says what to write.
        #[doc(hidden)]
        pub enum ArgumentsFixed {}
        /// `K` for `wait_random`.
        #[doc(hidden)]
        pub enum ArgumentsRandom {}

        impl<T, K> StandIn<T, K> {
            pub(crate) const NEW: Self = StandIn(PhantomData);
        }

        impl<T: WaitFixed> Default for StandIn<T, ArgumentsFixed> {
            fn default() -> Self {
                Self::NEW
            }
        }
        impl<T: WaitRandom> Default for StandIn<T, ArgumentsRandom> {
            fn default() -> Self {
                Self::NEW
            }
        }

        /// tenacity's and backon's settings, each taking anything, and backon's switches.
        macro_rules! settings {
            ([$($setting:ident)*] [$($switch:ident)*]) => {
                impl<T, K> StandIn<T, K> {
                    $(
                        #[doc(hidden)]
                        pub fn $setting<V>(self, _: V) -> Self {
                            self
                        }
                    )*
                    $(
                        #[doc(hidden)]
                        pub fn $switch(self) -> Self {
                            self
                        }
                    )*
                }
            };
        }
        settings!(
            [multiplier min max exp_base initial jitter start increment wait
             with_min_delay with_max_delay with_factor with_max_times with_delay with_total_delay
             with_jitter_seed]
            [with_jitter without_max_times without_max_delay]
        );

        impl<T, K, E> crate::wait::Wait<T, E> for StandIn<T, K> {
            fn next_wait(&self, _: &crate::RetryState<'_, T, E>) -> Duration {
                Duration::ZERO
            }
        }

        impl<T, K, W> std::ops::Add<W> for StandIn<T, K> {
            type Output = Self;
            fn add(self, _: W) -> Self {
                self
            }
        }
    }

    /// backon's builders, by name: each makes a wait whose bound on `T` says what to write.
    macro_rules! backon_builders {
        ($($builder:ident: $bound:ident;)*) => {$(
            #[doc(hidden)]
            pub struct $builder;
            impl $builder {
                #[doc(hidden)]
                #[allow(clippy::should_implement_trait)]
                pub fn default<T: $bound>() -> StandIn<T> {
                    StandIn::NEW
                }
                #[doc(hidden)]
                #[allow(clippy::new_ret_no_self)]
                pub fn new<T: $bound>() -> StandIn<T> {
                    StandIn::NEW
                }
            }
        )*};
    }
    backon_builders! {
        ExponentialBuilder: BackonExponential;
        ConstantBuilder: BackonConstant;
        FibonacciBuilder: BackonFibonacci;
    }

    /// Takes tenacity's argument positionally; by name (`wait_fixed(wait = 2)`), the attribute
    /// starts from its return type's `Default`, which has the same bound, on the function's
    /// `Ok` type.
    #[doc(hidden)]
    pub fn wait_fixed<D: WaitFixed, T>(_: D) -> StandIn<T, ArgumentsFixed> {
        StandIn::NEW
    }
    /// Takes tenacity's two arguments positionally; with its settings by name
    /// (`wait_random(min = 1, max = 2)`), as `wait_fixed` does.
    #[doc(hidden)]
    pub fn wait_random<D: WaitRandom, M, T>(_: D, _: M) -> StandIn<T, ArgumentsRandom> {
        StandIn::NEW
    }
    /// Other libraries' wait makers, each taking its one argument positionally.
    #[doc(hidden)]
    pub fn constant<D: Constant, T>(_: D) -> StandIn<T> {
        StandIn::NEW
    }
    #[doc(hidden)]
    pub fn linear<D: Linear, T>(_: D) -> StandIn<T> {
        StandIn::NEW
    }
    #[doc(hidden)]
    pub fn fibonacci<D: Fibonacci, T>(_: D) -> StandIn<T> {
        StandIn::NEW
    }
    #[doc(hidden)]
    pub fn expo<D: Expo, T>(_: D) -> StandIn<T> {
        StandIn::NEW
    }

    /// Takes two waits, as tenacity's is most often given.
    #[doc(hidden)]
    pub fn wait_combine<A, B, T: WaitCombine>(_: A, _: B) -> StandIn<T> {
        StandIn::NEW
    }
    /// Takes two waits; a longer chain is a count error of rustc's.
    #[doc(hidden)]
    pub fn wait_chain<A, B, T: WaitChain>(_: A, _: B) -> StandIn<T> {
        StandIn::NEW
    }

    /// tenacity's wait makers called without arguments: their settings by name
    /// (`wait_exponential(multiplier = 1, max = 10)` is
    /// `wait_exponential().multiplier(1).max(10)`) are the stand-in's.
    macro_rules! tenacity_waits {
        ($($name:ident: $bound:ident;)*) => {$(
            #[doc(hidden)]
            pub fn $name<T: $bound>() -> StandIn<T> {
                StandIn::NEW
            }
        )*};
    }
    tenacity_waits! {
        wait_exponential: WaitExponential;
        wait_random_exponential: WaitRandomExponential;
        wait_exponential_jitter: WaitExponentialJitter;
        wait_incrementing: WaitIncrementing;
        wait_none: WaitNone;
    }
}

/// `retry_if = ...`
pub mod condition {
    use super::*;
    use crate::condition::AnyError;

    #[doc(hidden)]
    pub fn retry_if_exception_type<X: RetryIfExceptionType + ?Sized>() -> AnyError {
        AnyError
    }
    #[doc(hidden)]
    pub fn retry_if_not_exception_type<X: RetryIfNotExceptionType + ?Sized>() -> AnyError {
        AnyError
    }
    /// Takes tenacity's one argument positionally (a named `message = ..` meets no such setting).
    #[doc(hidden)]
    pub fn retry_if_exception_message<M: RetryIfExceptionMessage>(_: M) -> AnyError {
        AnyError
    }
    #[doc(hidden)]
    pub fn retry_if_exception<P: RetryIfException>(_: P) -> AnyError {
        AnyError
    }
    #[doc(hidden)]
    pub fn retry_if_result<P: RetryIfResult>(_: P) -> AnyError {
        AnyError
    }
    #[doc(hidden)]
    pub fn retry_if_not_result<P: RetryIfNotResult>(_: P) -> AnyError {
        AnyError
    }
    #[doc(hidden)]
    pub fn retry_unless_exception_type<X: RetryUnlessExceptionType + ?Sized>() -> AnyError {
        AnyError
    }
    #[doc(hidden)]
    pub fn retry_if_exception_cause_type<X: RetryIfExceptionCauseType + ?Sized>() -> AnyError {
        AnyError
    }
    /// Takes two conditions, as tenacity's is most often given, and makes a condition whose bound
    /// is reported at the name.
    #[doc(hidden)]
    pub fn retry_any<A, B, T: RetryAny>(_: A, _: B) -> TenacityCondition<T> {
        TenacityCondition(std::marker::PhantomData)
    }
    #[doc(hidden)]
    pub fn retry_all<A, B, T: RetryAll>(_: A, _: B) -> TenacityCondition<T> {
        TenacityCondition(std::marker::PhantomData)
    }
    #[doc(hidden)]
    pub fn any<A, B, T: CombineAny>(_: A, _: B) -> TenacityCondition<T> {
        TenacityCondition(std::marker::PhantomData)
    }
    #[doc(hidden)]
    pub fn all<A, B, T: CombineAll>(_: A, _: B) -> TenacityCondition<T> {
        TenacityCondition(std::marker::PhantomData)
    }
    #[doc(hidden)]
    pub fn not<A, T: CombineNot>(_: A) -> TenacityCondition<T> {
        TenacityCondition(std::marker::PhantomData)
    }

    /// What [`retry_any`] and [`retry_all`] make: a condition for a function whose `Ok` type is
    /// `T`, so that their bound on `T` is reported at their name.
    #[doc(hidden)]
    pub struct TenacityCondition<T>(std::marker::PhantomData<fn() -> T>);

    impl<T, E> crate::condition::Condition<T, E> for TenacityCondition<T> {
        fn should_retry(&self, _: &Result<T, E>) -> bool {
            false
        }
    }

    impl<T> TenacityCondition<T> {
        /// `retryable_status().from_ok()` without the `http` feature: one error, the name's.
        #[doc(hidden)]
        pub fn from_ok(self) -> Self {
            self
        }
    }

    // The runtime's names behind a feature that is off: a condition whose bound says which
    // feature to turn on (without them, "cannot find function").
    #[cfg(not(feature = "http"))]
    #[doc(hidden)]
    pub fn retryable_status<T: HttpFeature>() -> TenacityCondition<T> {
        TenacityCondition(std::marker::PhantomData)
    }
    #[cfg(not(feature = "http"))]
    #[doc(hidden)]
    pub fn statuses<C, T: HttpFeature>(_: C) -> TenacityCondition<T> {
        TenacityCondition(std::marker::PhantomData)
    }
    #[cfg(not(feature = "regex"))]
    #[doc(hidden)]
    pub fn message_matches<P, T: RegexFeature>(_: P) -> TenacityCondition<T> {
        TenacityCondition(std::marker::PhantomData)
    }
}

/// `before = ...`, `after = ...`, `before_sleep = ...`
pub mod hook {
    use super::*;
    use crate::hook::NoHook;

    #[doc(hidden)]
    pub fn before_sleep_log<L: LogTo, V>(_: L, _: V) -> NoHook {
        NoHook
    }
    #[doc(hidden)]
    pub fn before_log<L: LogTo, V>(_: L, _: V) -> NoHook {
        NoHook
    }
    #[doc(hidden)]
    pub fn after_log<L: LogTo, V>(_: L, _: V) -> NoHook {
        NoHook
    }
}

/// `on_give_up = ...`: `log`, which belongs in `on_finish`.
pub mod give_up {
    use super::*;
    use crate::RetryState;
    use crate::hook::GiveUp;

    /// What `log(level)` makes under `on_give_up`: it returns the last outcome, so that the one
    /// error is `log`'s bound.
    #[doc(hidden)]
    #[derive(Debug, Clone, Copy)]
    pub struct LogOnGiveUpStub;

    impl LogOnGiveUpStub {
        /// `log(level).values()`, as the hook is written.
        #[doc(hidden)]
        pub fn values(self) -> Self {
            self
        }
    }

    impl<T, E> GiveUp<T, E> for LogOnGiveUpStub {
        fn give_up(&self, last: Result<T, E>, _: &RetryState<'_, T, E>) -> Result<T, E> {
            last
        }
    }

    #[doc(hidden)]
    pub fn log<L: LogOnGiveUp>(_: L) -> LogOnGiveUpStub {
        LogOnGiveUpStub
    }
}

/// `stop = ...`, `wait = ...` or `retry_if = ...` written `log(..)`: a hook, in the wrong key.
pub mod log_elsewhere {
    use super::*;

    /// What `log(level)` makes in a key that takes no hook: nothing the key takes, so that the
    /// one error is `log`'s bound.
    #[doc(hidden)]
    #[derive(Debug, Clone, Copy)]
    pub struct LogElsewhereStub;

    impl LogElsewhereStub {
        /// `log(level).values()`, as the hook is written.
        #[doc(hidden)]
        pub fn values(self) -> Self {
            self
        }
    }

    impl<T, E> crate::stop::Stop<T, E> for LogElsewhereStub {
        fn should_stop(&self, _: &crate::RetryState<'_, T, E>) -> bool {
            true
        }
    }

    impl<T, E> crate::wait::Wait<T, E> for LogElsewhereStub {
        fn next_wait(&self, _: &crate::RetryState<'_, T, E>) -> Duration {
            Duration::ZERO
        }
    }

    impl<T, E> crate::condition::Condition<T, E> for LogElsewhereStub {
        fn should_retry(&self, _: &Result<T, E>) -> bool {
            false
        }
    }

    #[doc(hidden)]
    pub fn log<L: LogElsewhere>(_: L) -> LogElsewhereStub {
        LogElsewhereStub
    }
}

/// `hedge = ...`
pub mod hedge {
    use super::*;
    use crate::hedge::Hedge;

    /// `hedge = max_in_flight(3)`: the setting without the hedge it sets.
    #[doc(hidden)]
    pub fn max_in_flight<N: MaxInFlightAlone>(_: N) -> Hedge {
        crate::hedge::after(Duration::ZERO)
    }
}
