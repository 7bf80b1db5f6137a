#![doc = include_str!("../docs/guide.md")]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs`: each item says which feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

/// Retries a function whose attempts can fail for a while and then work.
///
/// ```
/// use persevere::retry;
///
/// #[derive(Debug)]
/// struct SendError { transient: bool }
///
/// fn is_transient(error: &SendError) -> bool {
///     error.transient
/// }
///
/// #[retry(stop = attempts(4), wait = exponential(min = 4s, max = 10s), retry_if = is_transient)]
/// async fn send_message(text: &str) -> Result<usize, SendError> {
///     # let _ = text;
///     Ok(text.len())
/// }
/// ```
///
/// # Keys
///
/// | key | takes | default |
/// |---|---|---|
/// | `stop` | a stop strategy: `attempts(n)`, `elapsed(d)`, `deadline(d)`, `never`, a closure over the state, `a \| b`, `a & b` | `attempts(3)` |
/// | `wait` | a wait strategy: `fixed(d)`, `exponential(..)`, `random(min, max)`, `chain(..)`, `a + b`, a closure, … | `exponential(multiplier = 100ms, max = 10s)` |
/// | `retry_if` | a condition: a path or closure taking `&E`, or `on_error(..)`, `error_type::<T>()`, `message_contains(..)`, combined with `\|`, `&`, `!` | every `Err` |
/// | `retry_if_ok` | a path or closure taking `&T`: true retries the `Ok` value | none |
/// | `before`, `after`, `before_sleep` | a hook: a path or closure taking the retry state, or `log(level)` | none |
/// | `on_give_up` | a closure `(last outcome, &state) -> Result<T, E>` | return the last outcome |
/// | `on_finish` | a hook run once when a call ends, unless its first attempt succeeded; `state.report()` says what it went through | none |
/// | `span` | a `bool`: open a `tracing` span (target `persevere`) for each call that fails, with an event per failed attempt | `false` |
/// | `sleep` | `Fn(Duration)` (sync) or `Fn(Duration) -> impl Future` (async) | `std::thread::sleep` / tokio |
/// | `clone(a, b)` | by-value arguments (or `self`) to clone before each attempt, so the body may consume or change them afresh | borrow them: a `mut` argument the body changes keeps its changes into the next attempt |
/// | `attempt = name` | a name for the body to read its `persevere::Attempt` by (`name.number()`, `name.elapsed()`) | not bound |
/// | `timeout`, `total_timeout` | a `Duration`: each attempt's limit, and the whole call's (async only; the error type needs `From<persevere::Timeout>`) | none |
/// | `hedge` | a delay (`50ms`) or `after(50ms).max_in_flight(3)`: when an attempt has not finished after the delay, another starts beside it; the first outcome the condition accepts wins (async only; no `&mut self` or `&mut` argument, no `attempt` or `clone`; the operation must be safe to send twice at once) | none |
/// | `nested` | `once` or `retry`: what the call does when it runs inside an attempt of another retried call that is retrying; `once` makes it a single attempt (see `persevere::nested`) | the process-wide `nested::set_default`, itself `retry` |
/// | `budget` | a `persevere::budget::RetryBudget` (usually a `static`) the call spends its retries from | none |
/// | `breaker` | a `persevere::breaker::CircuitBreaker` (usually a `static`, or `BREAKERS.key(&host)` of a `KeyedBreaker`) consulted before each attempt; the error type needs `From<persevere::BreakerOpen>` | none |
/// | `name` | the call's name in log lines, spans and metrics: a string literal, a constant or `static` holding one, or a macro writing one (`concat!(..)`); not an argument | `module::function`, or `module::Type::function` in an `impl` |
/// | `policy` | a whole `Policy` (one built at run time, or from configuration) that the other keys adjust | `Policy::new()` |
/// | `settings` | SDK-style retry settings: a `persevere::settings::GlobalSettings` (`settings = SDK`) or `RetrySettings` (`settings = SDK.overridden_by(options)`), read once per call; they set `stop`, `wait` and `retry_if`, which other keys adjust | none |
/// | `crate` | the path to `persevere` if it is renamed or re-exported | `::persevere` |
///
/// Values are Rust expressions, evaluated inside the function each time the call consults them
/// (never during an attempt), so they may use the arguments and `self`. A name in a value means
/// what it means in your code (a parameter, then an item or import of the function's module);
/// a name you do not have comes from the key's runtime module, `name = value` arguments of
/// any call are settings (`exponential(min = 4s, max = 10s)` is
/// `exponential().min(4s).max(10s)`), and duration literals (`250ms`, `4s`, `1.5s`, `2m`, `1h`)
/// are `Duration`s. What a value means comes from its type: whether it can retry an `Ok`, whether
/// it reads the clock. A call that succeeds first time with an untimed policy evaluates no value.
///
/// # Where each key's names come from
///
/// Each name a value uses that your code does not define comes from the key's runtime module:
///
/// - `stop`: [`attempts`](stop::attempts), [`retries`](stop::retries),
///   [`elapsed`](stop::elapsed), [`deadline`](stop::deadline), [`never`](stop::never),
///   [`cancelled`](stop::cancelled), [`from_fn`](stop::from_fn); combined with `|` and `&`.
/// - `wait`: [`fixed`](wait::fixed), [`none`](wait::none), [`exponential`](wait::exponential),
///   [`incrementing`](wait::incrementing), [`random`](wait::random),
///   [`random_exponential`](wait::random_exponential),
///   [`exponential_jitter`](wait::exponential_jitter),
///   [`decorrelated_jitter`](wait::decorrelated_jitter), [`server_hint`](wait::server_hint),
///   [`chain`](wait::chain), [`chain_vec`](wait::chain_vec), [`when`](wait::when),
///   [`from_fn`](wait::from_fn), [`from_error`](wait::from_error); added with `+`.
/// - `retry_if`: [`on_error`](condition::on_error), [`any_error`](condition::any_error),
///   [`always`](condition::always), [`never`](condition::never),
///   [`on_ok`](condition::on_ok), [`error_type`](condition::error_type),
///   [`message_contains`](condition::message_contains), [`message_is`](condition::message_is),
///   [`message_matches`] (feature `regex`), [`error_codes`](condition::error_codes),
///   [`network`](condition::network), and with the `http` feature [`retryable_status`] and
///   [`statuses`]; combined with `|`, `&` and `!`.
/// - `before`, `after`, `before_sleep`, `on_finish`: [`log`](hook::log) and its levels, or
///   [`from_fn`](hook::from_fn).
/// - `on_give_up`: a closure, or any [`GiveUp`](hook::GiveUp); every hook reads the
///   [`RetryState`], and `on_finish` its [`Report`].
/// - `sleep`: a closure, or any [`SyncSleeper`](sleep::SyncSleeper) or
///   [`AsyncSleeper`](sleep::AsyncSleeper).
/// - `attempt`: the body reads an [`Attempt`]; `timeout` and `total_timeout`: a [`Timeout`]
///   reaches your error through `From`.
/// - `hedge`: [`after`](hedge::after); `nested`: [`Nested`](nested::Nested), with the
///   process-wide [`nested::set_default`].
/// - `budget`: a [`RetryBudget`](budget::RetryBudget) or a key of a
///   [`KeyedBudget`](budget::KeyedBudget); `breaker`: a
///   [`CircuitBreaker`](breaker::CircuitBreaker) or a key of a
///   [`KeyedBreaker`](breaker::KeyedBreaker), refusing with [`BreakerOpen`].
/// - `policy`: a [`Policy`], or a type-erased [`DynPolicy`].
///
// The feature-gated names link to their pages here when the feature is on, else to docs.rs.
#[cfg_attr(
    feature = "regex",
    doc = "[`message_matches`]: condition::message_matches"
)]
#[cfg_attr(
    not(feature = "regex"),
    doc = "[`message_matches`]: https://docs.rs/persevere/latest/persevere/condition/fn.message_matches.html"
)]
#[cfg_attr(
    feature = "http",
    doc = "[`retryable_status`]: http::retryable_status\n[`statuses`]: http::statuses"
)]
#[cfg_attr(
    not(feature = "http"),
    doc = "[`retryable_status`]: https://docs.rs/persevere/latest/persevere/http/fn.retryable_status.html\n[`statuses`]: https://docs.rs/persevere/latest/persevere/http/fn.statuses.html"
)]
#[doc(inline)]
pub use persevere_macros::retry;
pub use persevere_runtime::*;
