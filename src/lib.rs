#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs`: each item says which feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

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
///   [`chain`](wait::chain), [`when`](wait::when), [`from_fn`](wait::from_fn),
///   [`from_error`](wait::from_error); added with `+`.
/// - `retry_if`: [`on_error`](condition::on_error), [`any_error`](condition::any_error),
///   [`always`](condition::always), [`never`](condition::never),
///   [`error_type`](condition::error_type), [`message_contains`](condition::message_contains),
///   `message_matches` (feature `regex`), [`error_codes`](condition::error_codes),
///   [`network`](condition::network), and with the `http` feature `retryable_status` and
///   `statuses`; combined with `|`, `&` and `!`.
/// - `before`, `after`, `before_sleep`, `on_finish`: [`log`](hook::log) and its levels.
/// - `budget`: a [`RetryBudget`](budget::RetryBudget); `timeout` and `total_timeout`: a
///   [`Timeout`] reaches your error through `From`; `policy`: a [`Policy`].
/// Retries a function whose attempts can fail for a while and then work.
///
/// What the keys below take, by key:
///
/// - `stop`: [`attempts`](stop::attempts), [`retries`](stop::retries),
///   [`elapsed`](stop::elapsed), [`deadline`](stop::deadline), [`never`](stop::never),
///   [`cancelled`](stop::cancelled), [`from_fn`](stop::from_fn), and any [`Stop`](stop::Stop).
/// - `wait`: [`fixed`](wait::fixed), [`none`](wait::none), [`exponential`](wait::exponential),
///   [`incrementing`](wait::incrementing), [`random`](wait::random),
///   [`random_exponential`](wait::random_exponential), [`chain`](wait::chain),
///   [`when`](wait::when), [`server_hint`](wait::server_hint), and any [`Wait`](wait::Wait).
/// - `retry_if`: [`on_error`](condition::on_error), [`error_type`](condition::error_type),
///   [`message_contains`](condition::message_contains), [`network`](condition::network),
///   [`error_codes`](condition::error_codes), and any
///   [`Condition`](condition::Condition).
/// - hooks: [`log`](hook::log) and the [`RetryState`] they read, with its
///   [`Report`]; `on_give_up`: [`GiveUp`](hook::GiveUp).
/// - `sleep`: [`SyncSleeper`](sleep::SyncSleeper), [`AsyncSleeper`](sleep::AsyncSleeper).
/// - `attempt`: [`Attempt`]; `timeout` and `total_timeout`: [`Timeout`]; `hedge`:
///   [`hedge::after`]; `nested`: [`nested`] and [`nested::set_default`]; `budget`:
///   [`RetryBudget`](budget::RetryBudget) and [`KeyedBudget`](budget::KeyedBudget); `breaker`:
///   [`CircuitBreaker`](breaker::CircuitBreaker), [`KeyedBreaker`](breaker::KeyedBreaker) and
///   [`BreakerOpen`]; `policy`: [`Policy`] and [`DynPolicy`].
#[doc(inline)]
pub use persevere_macros::retry;
pub use persevere_runtime::*;
