//! Validating the parsed entries into a typed configuration: known keys, no duplicates, values
//! lowered to runtime calls.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident};

use crate::args::Entry;
use crate::errors::Errors;
use crate::scope;
use crate::suggest;
use crate::value::{self, Family};

pub(crate) const KEYS: &[&str] = &[
    "stop",
    "wait",
    "retry_if",
    "retry_if_ok",
    "before",
    "after",
    "before_sleep",
    "on_give_up",
    "on_finish",
    "span",
    "sleep",
    "policy",
    "settings",
    "budget",
    "breaker",
    "timeout",
    "total_timeout",
    "hedge",
    "nested",
    "attempt",
    "name",
    "clone",
    "crate",
];

/// One key's value, lowered. What it means (whether it reads the clock, whether it can retry an
/// `Ok`) is for its type to say, in the runtime.
pub(crate) struct Value {
    pub(crate) expr: Expr,
    /// Written as a closure literal, which needs its parameter types supplied.
    pub(crate) closure: bool,
    /// The runtime module whose names the value sees: its family's, or, for `log(..)` written
    /// as a whole `stop`, `wait` or `retry_if`, its family's with a `log` that says where a hook
    /// goes.
    pub(crate) names: Option<Family>,
}

/// The attribute's configuration.
#[derive(Default)]
pub(crate) struct Config {
    /// `crate = path`, or `::persevere`.
    pub(crate) krate: Option<syn::Path>,
    /// Whether a value reads the function's outcome type (see [`value::outcome_type`]).
    pub(crate) outcome_type: bool,
    pub(crate) stop: Option<Value>,
    pub(crate) wait: Option<Value>,
    pub(crate) retry_if: Option<Value>,
    pub(crate) retry_if_ok: Option<Value>,
    pub(crate) before: Option<Value>,
    pub(crate) after: Option<Value>,
    pub(crate) before_sleep: Option<Value>,
    pub(crate) on_give_up: Option<Value>,
    pub(crate) on_finish: Option<Value>,
    /// `span = bool`: a tracing span for each call that fails.
    pub(crate) span: Option<Value>,
    pub(crate) sleep: Option<Value>,
    /// `policy = ...`: a whole `Policy` the other keys then adjust.
    pub(crate) policy: Option<Value>,
    /// `settings = ...`: retry settings, read once per call, that set the stop, the wait and
    /// the condition.
    pub(crate) settings: Option<Value>,
    /// `budget = ...`: a `RetryBudget` the call spends retries from.
    pub(crate) budget: Option<Value>,
    /// `breaker = ...`: a `CircuitBreaker` the call consults before each attempt.
    pub(crate) breaker: Option<Value>,
    /// `timeout = ...`, `total_timeout = ...`: async time limits.
    pub(crate) timeout: Option<Value>,
    pub(crate) total_timeout: Option<Value>,
    /// `hedge = ...`: async only (see `hedging`).
    pub(crate) hedge: Option<Value>,
    /// `nested = once` or `nested = retry` (see the runtime's `nested`).
    pub(crate) nested: Option<Value>,
    /// Arguments cloned for each attempt.
    pub(crate) clones: Vec<Ident>,
    /// `attempt = name`: the body sees the attempt under this name.
    pub(crate) attempt: Option<Ident>,
    /// `name = "..."`: the call's name in log lines, spans and metrics.
    pub(crate) name: Option<Expr>,
    /// The parameters the values read, through references (see `scope`).
    pub(crate) reads: BTreeSet<String>,
    /// Whether a value names a parameter or `self` anywhere, inside closures and macro calls
    /// too (see [`scope::names_the_call`]).
    pub(crate) names_the_call: bool,
}

impl Config {
    /// Whether the call may have time limits: given by key, or by a whole `policy`.
    pub(crate) fn may_time_out(&self) -> bool {
        self.timeout.is_some() || self.total_timeout.is_some() || self.policy.is_some()
    }

    /// The path generated code reaches the runtime through: the import
    /// [`crate_alias`](Self::crate_alias) makes, so that a path that does not resolve (a
    /// renamed dependency without `crate = ..`) is one error, at the import, and not one per use
    /// of the runtime.
    pub(crate) fn runtime(&self) -> TokenStream {
        let alias = crate_alias(Span::call_site());
        quote!(#alias)
    }

    /// `use path::__private::v1 as ALIAS;`, first in the function's body: `::persevere`'s, or a
    /// `crate = path`'s.
    pub(crate) fn crate_alias(&self) -> TokenStream {
        match &self.krate {
            // At the path: an unresolved one is reported there, in the user's words (`could
            // not find `__private` in `persevere``).
            Some(path) => {
                let alias = crate_alias(path.span());
                quote_spanned!(path.span()=> use #path::__private::v1 as #alias;)
            }
            None => {
                let alias = crate_alias(Span::call_site());
                quote!(use ::persevere::__private::v1 as #alias;)
            }
        }
    }
}

/// The name a `crate = path`'s runtime is imported as, so that the paths that fail to resolve
/// through a failed import are not reported again. An import is an item, which mixed-site
/// hygiene does not hide from the body, so the name is one no user writes: the path's own last
/// name would hide a module of the user's that shares it.
fn crate_alias(span: Span) -> Ident {
    Ident::new("__persevere_runtime", span)
}

/// Validates `entries`, recording every problem in `errors`. `parameters` are the names the
/// function's parameters bind, which values read before any runtime name.
/// `safe`: whether the function is a safe one (see [`value::lower`]).
pub(crate) fn validate(
    entries: Vec<Entry>,
    parameters: &[Ident],
    safe: bool,
    errors: &mut Errors,
) -> Config {
    let mut config = Config::default();
    let mut seen: Vec<String> = Vec::new();
    let mut first_sighting = |name: &str, span: Span, errors: &mut Errors| {
        if seen.iter().any(|key| key == name) {
            let fix = match name {
                "stop" => {
                    "; combine the two in one with `|` (either), as in `stop = attempts(3) | elapsed(10s)`"
                }
                "retry_if" => {
                    "; combine the two in one with `|` (either), as in `retry_if = is_timeout | is_busy`"
                }
                "clone" => "; list every argument in one, as in `clone(a, b)`",
                _ => "; keep one",
            };
            errors.error(span, format!("`{name}` is given twice{fix}"));
            false
        } else {
            seen.push(name.to_owned());
            true
        }
    };

    // `crate` first: every lowered value names the runtime through it.
    for entry in &entries {
        if let Entry::Crate { key, path } = entry
            && first_sighting("crate", key.span, errors)
        {
            config.krate = Some(path.clone());
        }
    }
    let runtime = config.runtime();
    // Whether the expansion writes the values twice (where the policy is made before an attempt,
    // and after a failure): when one names the call, or with `settings` or `hedge`.
    let written_twice = entries.iter().any(|entry| match entry {
        Entry::Value { key, value } => {
            key == "settings" || key == "hedge" || scope::names_the_call(value, parameters)
        }
        _ => false,
    });

    for entry in entries {
        match entry {
            Entry::Crate { .. } => {}
            Entry::Clone { key, names } => {
                if names.is_empty() {
                    errors.error(
                        key.span(),
                        "`clone()` lists no arguments; name the by-value arguments to clone for each attempt, or remove it",
                    );
                } else if first_sighting("clone", key.span(), errors) {
                    config.clones = names;
                }
            }
            Entry::Value { key, value } if key == "attempt" => {
                if !first_sighting("attempt", key.span(), errors) {
                    continue;
                }
                match &value {
                    Expr::Path(path)
                        if path.qself.is_none()
                            && path
                                .path
                                .get_ident()
                                .is_some_and(|name| !value::is_keyword(name)) =>
                    {
                        config.attempt = path.path.get_ident().cloned();
                    }
                    other => {
                        // `attempt = "n"`: the name in the quotes.
                        let name = match other {
                            Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(text),
                                ..
                            }) if syn::parse_str::<Ident>(&text.value()).is_ok() => text.value(),
                            _ => "this".to_owned(),
                        };
                        errors.error(
                            other.span(),
                            format!("`attempt` names the variable the body reads its attempt from: write `attempt = {name}`, then `{name}.number()`"),
                        );
                    }
                }
            }
            Entry::Value { key, value } if key == "name" => {
                if !first_sighting("name", key.span(), errors) {
                    continue;
                }
                match value {
                    Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(_),
                        ..
                    }) => config.name = Some(value),
                    // An argument, or `self`: the name is the function's, fixed before any call.
                    other if scope::reads_the_call(&other, parameters) => {
                        errors.push(syn::Error::new_spanned(
                            &other,
                            "`name` is the function's name in log lines, spans and metrics, the same for every call, so it cannot read an argument: write a string literal or a constant holding one, as in `name = \"Db::connect\"`",
                        ));
                    }
                    // `name = CALL_NAME`, `name = Db::NAME`, `name = concat!(..)`, a macro
                    // fragment: a constant (or a `static`) holding the name, or an expression
                    // making one. Whether it is one is its type's to say (`name = Db::connect`,
                    // a function, is an error there).
                    other => config.name = Some(wrap_name(other, &runtime)),
                }
            }
            Entry::Value { key, mut value } => {
                let name = key.to_string();
                let family = match name.as_str() {
                    "stop" => Some(Family::Stop),
                    "wait" => Some(Family::Wait),
                    "retry_if" => Some(Family::Condition),
                    "before" | "after" | "before_sleep" | "on_finish" => Some(Family::Hook),
                    // Only `log(..)`, which belongs in `on_finish`, sees names: the others
                    // (closures, functions) stay as they were written, the user's alone.
                    "on_give_up" if is_log_call(&value) => Some(Family::GiveUp),
                    "on_give_up" => None,
                    "retry_if_ok" | "sleep" | "policy" | "settings" | "budget" | "breaker"
                    | "timeout" | "total_timeout" | "span" | "hedge" | "nested" => None,
                    _ => {
                        errors.error(key.span(), unknown_key(&name, &value));
                        continue;
                    }
                };
                if !first_sighting(&name, key.span(), errors) {
                    continue;
                }
                // `retry_if = log(warn)`: a hook, told where it goes, by the key's names and a
                // `log` of the runtime's beside them (unless `log` is an argument, which wins).
                let log_parameter = parameters.iter().any(|p| p == "log");
                let names = match name.as_str() {
                    "stop" | "wait" | "retry_if" if is_log_call(&value) && !log_parameter => {
                        Some(Family::LogIn(match name.as_str() {
                            "stop" => "log_in_stop",
                            "wait" => "log_in_wait",
                            _ => "log_in_condition",
                        }))
                    }
                    _ => family,
                };
                crate::mistakes::check(&name, &value, errors);
                // In parentheses, or in a macro's `expr` fragment, a closure all the same.
                let closure = matches!(value::strip_groups(&value), Expr::Closure(_));
                config.names_the_call |= scope::names_the_call(&value, parameters);
                // Values read parameters through references, which no runtime name can hide
                // (and which read a `clone(..)` argument's kept copy).
                // `policy`, `settings`, `budget` and `breaker` borrow a name given alone.
                let by_value = !matches!(
                    name.as_str(),
                    "policy" | "settings" | "budget" | "breaker" | "name"
                );
                scope::read_parameters(
                    &mut value,
                    parameters,
                    &runtime,
                    by_value,
                    &mut config.reads,
                );
                config.outcome_type |= value::lower(
                    &mut value,
                    family,
                    name == "policy",
                    &runtime,
                    (parameters, safe, written_twice),
                    errors,
                );
                let value = Some(Value {
                    expr: value,
                    closure,
                    names,
                });
                match name.as_str() {
                    "stop" => config.stop = value,
                    "wait" => config.wait = value,
                    "retry_if" => config.retry_if = value,
                    "retry_if_ok" => config.retry_if_ok = value,
                    "before" => config.before = value,
                    "after" => config.after = value,
                    "before_sleep" => config.before_sleep = value,
                    "on_give_up" => config.on_give_up = value,
                    "on_finish" => config.on_finish = value,
                    "span" => config.span = value,
                    "policy" => config.policy = value,
                    "settings" => config.settings = value,
                    "budget" => config.budget = value,
                    "breaker" => config.breaker = value,
                    "timeout" => config.timeout = value,
                    "total_timeout" => config.total_timeout = value,
                    "hedge" => config.hedge = value,
                    "nested" => config.nested = value,
                    _ => config.sleep = value,
                }
            }
        }
    }
    config
}

/// `log(..)`, or `log(..).values()`: a hook's spelling, under a key that takes none.
fn is_log_call(value: &Expr) -> bool {
    match value {
        Expr::Call(call) => matches!(&*call.func, Expr::Path(path) if path.path.is_ident("log")),
        Expr::MethodCall(call) => is_log_call(&call.receiver),
        Expr::Paren(inner) => is_log_call(&inner.expr),
        _ => false,
    }
}

/// The error for an unknown key: a stop written as a key (`attempts = 3`, tenacity's
/// `stop_after_attempt = 3`) is told the `stop = ..` to write; anything else, the likely key.
fn unknown_key(name: &str, value: &Expr) -> String {
    let value = quote::ToTokens::to_token_stream(value).to_string();
    // `maxAttempts`, `beforeSleep`: other languages' spelling of the same words.
    let snake = suggest::snake_case(name);
    match stop_maker(&snake) {
        Some(stop) => {
            format!(
                "unknown key `{name}`; a limit is a stop strategy: write `stop = {stop}({value})`"
            )
        }
        None => other_librarys_key(name, &snake, &value),
    }
}

/// The stop strategy that takes the limit a name (in snake case) stands for, in this library or
/// another: `max_attempts` is `attempts`.
pub(crate) fn stop_maker(snake: &str) -> Option<&'static str> {
    Some(match snake {
        "attempts" | "max_attempts" | "stop_after_attempt" | "stop_after" | "tries"
        | "max_tries" | "times" => "attempts",
        "retries" | "max_retries" | "max_times" | "with_max_times" => "retries",
        "stop_after_delay" | "max_elapsed_time" | "max_elapsed" | "max_duration" | "elapsed" => {
            "elapsed"
        }
        "stop_before_delay" | "deadline" => "deadline",
        _ => return None,
    })
}

/// Keys other retry libraries take, told what they are here; anything else, the likely key.
fn other_librarys_key(name: &str, snake: &str, value: &str) -> String {
    let fix = match snake {
        "reraise" => {
            "the last error is always what the call returns, as with tenacity's `reraise=True`: remove it".to_owned()
        }
        "retry_error_callback" | "recover" | "fallback" | "on_exhausted" => {
            "what a call that gives up returns is `on_give_up`: write `on_give_up = |last, state| ...`".to_owned()
        }
        // `retry = true`: a switch, as some libraries take it.
        "retry" | "retryable" | "retry_on_exception" | "retry_if_exception" if value == "true" => {
            "every error is retried unless `retry_if` says otherwise: remove it, or write `retry_if = any_error()`".to_owned()
        }
        "retry" | "retryable" | "retry_on_exception" | "retry_if_exception" if value == "false" => {
            "a call made once is `stop = attempts(1)`; or remove the attribute".to_owned()
        }
        // `retry = 3`: a count, as some libraries take it.
        "retry" if value.parse::<u64>().is_ok() => {
            format!("a number of retries is a stop: write `stop = retries({value})`, or `stop = attempts({value})` to count the first attempt too")
        }
        "retry_if_result" | "retry_on_result" | "retry_if_value" => {
            // A name is quoted; anything longer would lose its spacing.
            let value = if value.contains(' ') { "..." } else { value };
            format!("which `Ok` values are retried is `retry_if_ok`: write `retry_if_ok = {value}` (a predicate on the value)")
        }
        "retry_if_exception_type" | "retry_on_exception_type" | "exception_type"
        | "retry_exceptions" | "retry_on_exceptions" => {
            // A path, printed with its `::` spaced; a list of one, as resilience4j's take them.
            let path = value.replace(" :: ", "::");
            let path = path
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .map_or(path.as_str(), str::trim);
            let value = if path.contains([' ', ',']) || path.is_empty() {
                "E"
            } else {
                path
            };
            format!("which errors are retried is `retry_if`: write `retry_if = error_type::<{value}>()`")
        }
        "wait_fixed" | "wait_exponential" | "wait_random" | "wait_random_exponential"
        | "wait_incrementing" | "wait_exponential_jitter" | "wait_chain" => {
            let maker = snake.trim_start_matches("wait_");
            format!("the time between attempts is `wait`: write `wait = {maker}(..)`, its durations with units")
        }
        // `retry` is tenacity's own key, often given a tenacity condition.
        "retry" | "retry_if_err" | "retry_if_error" | "retry_if_exception" | "when"
        | "retry_on" | "retry_for" | "include" | "retryable" | "retry_on_exception" => {
            match tenacitys_condition(value) {
            Some(written) => format!("which outcomes are retried is `retry_if` (errors) or `retry_if_ok` (values): write {written}"),
            None => {
                // A name is quoted; anything longer would lose its spacing.
                let value = if value.contains(' ') { "..." } else { value };
                format!("which errors are retried is `retry_if`: write `retry_if = {value}` (a predicate on the error, or a condition such as `error_type::<E>()`)")
            }
            }
        }
        "ignore_exceptions" | "no_retry_for" | "not_retry_on" | "exclude" | "dont_retry_on" => {
            "errors not to retry are a negated condition: write `retry_if = !error_type::<E>()` (or `!is_fatal`, a predicate of yours)".to_owned()
        }
        "fallback_method" | "fallback_fn" | "recover_with" => {
            "what a call that gives up returns is `on_give_up`: write `on_give_up = |last, state| ...`".to_owned()
        }
        "enable_exponential_backoff" | "exponential_backoff" | "use_exponential_backoff" => {
            "a wait that grows is `wait = exponential(..)`: write `wait = exponential(min = 100ms, max = 10s)`".to_owned()
        }
        // A duration is the first wait, `exponential`'s `multiplier`; a number, the factor.
        "exponential_backoff_multiplier" | "multiplier" | "backoff_multiplier" | "factor" => {
            let is_duration = value
                .parse::<proc_macro2::Literal>()
                .is_ok_and(|literal| crate::duration::value(&syn::Lit::new(literal)).is_some());
            if is_duration {
                format!("the first wait is `exponential`'s `multiplier`: write `wait = exponential(multiplier = {value})`")
            } else {
                format!("the factor each wait grows by is `exponential`'s `base`: write `wait = exponential(base = {value})`")
            }
        }
        "notify" | "on_retry" | "before_retry" => {
            "a hook before each sleep is `before_sleep`: write `before_sleep = |state| ...` (the error is `state.error()`, the sleep `state.upcoming_sleep()`)".to_owned()
        }
        // python-backoff's and retry's `backoff = 2`: the factor each wait grows by.
        "backoff" if value.parse::<f64>().is_ok() => {
            format!("the factor each wait grows by is `exponential`'s `base`: write `wait = exponential(base = {value})`")
        }
        "delay" | "interval" | "backoff" | "retry_delay" | "wait_time" | "wait_duration" => {
            // A number alone is seconds in tenacity's habit, milliseconds in Spring's and
            // resilience4j's, whose delays are hundreds or thousands.
            let plain = value.replace('_', "");
            let value = match plain.parse::<f64>() {
                Ok(_) if plain.bytes().all(|b| b.is_ascii_digit()) && plain.len() >= 3 => {
                    format!("{value}ms")
                }
                Ok(_) if plain.bytes().all(|b| b.is_ascii_digit() || b == b'.') => {
                    format!("{value}s")
                }
                Ok(seconds) if seconds.is_finite() && seconds >= 0.0 => format!("{seconds}s"),
                // `@Backoff(delay = 100)` and other builders: the strategies to write instead.
                _ if value.starts_with("Backoff") && value.contains('(') => {
                    return format!("unknown key `{name}`; the time between attempts is `wait`: write `wait = fixed(1s)` or `wait = exponential(min = 100ms, max = 10s)`, durations with their units");
                }
                _ => value.to_owned(),
            };
            format!("the time between attempts is `wait`: write `wait = {value}`")
        }
        "max_delay" | "max_interval" | "max_wait" => {
            format!("a wait's cap is its setting: write `wait = exponential(max = {value})`")
        }
        "min_delay" | "initial_interval" | "initial_delay" => {
            format!("a wait's start is its setting: write `wait = exponential(min = {value})`")
        }
        "jitter" | "randomize" | "randomization_factor" => {
            "noise on a wait is the wait's own: write `wait = exponential_jitter(jitter = 1s)`, or add a random wait: `wait = exponential() + random(0s, 1s)`".to_owned()
        }
        // A wait strategy's own name, as a key.
        "fixed" => format!("the time between attempts is `wait`: write `wait = fixed({value})`"),
        "exponential" | "random" | "random_exponential" | "incrementing"
        | "exponential_jitter" | "decorrelated_jitter" | "chain" => {
            format!("`{snake}` is a wait strategy, the value of `wait`: write `wait = {snake}(..)`")
        }
        "hedging" | "hedge_after" | "hedge_delay" | "hedged" => {
            format!("a second attempt beside a slow one is `hedge`: write `hedge = {value}`")
        }
        "circuit_breaker" | "circuit" | "circuitbreaker" => {
            format!("a circuit breaker is `breaker`: write `breaker = {value}`")
        }
        "retry_unless" | "retry_if_not" | "unless" | "giveup" | "give_up_if" | "abort_on"
        | "fatal" => {
            // A name is quoted; anything longer would lose its spacing.
            let value = if value.contains(' ') { "..." } else { value };
            format!("errors not to retry are a negated condition: write `retry_if = !{value}`")
        }
        "log" | "logger" | "log_level" | "logging" => {
            "a log line is a hook: write `before_sleep = log(warn)` (or `after = log(..)`, `on_finish = log(..)`)".to_owned()
        }
        "label" | "operation" | "operation_name" | "call_name" => {
            format!("the call's name in log lines and reports is `name`: write `name = {value}`")
        }
        "on_failure" | "on_attempt_error" | "on_attempt_failure" | "after_attempt" => {
            "a hook after each failed attempt is `after`: write `after = |state| ...` (what a call that gives up returns is `on_give_up`)".to_owned()
        }
        "cancel" | "cancellation" | "cancelled" | "shutdown" => {
            let value = value.trim_start_matches('&').trim_start();
            format!("cancellation is a stop: write `stop = attempts(..) | cancelled(&{value})`")
        }
        "on" | "if" => {
            // A name is quoted; anything longer would lose its spacing.
            let value = if value.contains(' ') { "..." } else { value };
            format!("which errors are retried is `retry_if`: write `retry_if = {value}`")
        }
        "attempt_timeout" | "per_attempt_timeout" | "timeout_per_attempt" | "attempt_limit"
        | "per_try_timeout" | "try_timeout" => {
            format!("each attempt's time limit is `timeout`: write `timeout = {value}` (and `total_timeout` for the whole call)")
        }
        "total_limit" | "overall_timeout" | "call_timeout" | "max_total_time" => {
            format!("the whole call's time limit is `total_timeout`: write `total_timeout = {value}`")
        }
        "on_error" | "condition" | "retry_condition" | "retry_when" | "predicate" => {
            // A name is quoted; anything longer would lose its spacing.
            let value = if value.contains(' ') { "..." } else { value };
            format!("which errors are retried is `retry_if`: write `retry_if = {value}`")
        }
        _ => return suggest::unknown("key", name, KEYS),
    };
    format!("unknown key `{name}`; {fix}")
}

/// What to write for tenacity's conditions given to a key of another name (`retry =
/// retry_if_exception(is_transient)`), from the value's tokens as written.
fn tenacitys_condition(value: &str) -> Option<String> {
    let (maker, inner) = value.split_once('(')?;
    let inner = inner.strip_suffix(')')?.trim();
    if inner.is_empty() || inner.contains('(') || inner.contains(' ') && !inner.contains("::") {
        return None;
    }
    let inner = inner.replace(" :: ", "::");
    Some(match maker.trim() {
        "retry_if_exception" => format!("`retry_if = {inner}`"),
        "retry_if_exception_type" => format!("`retry_if = error_type::<{inner}>()`"),
        "retry_if_not_exception_type" => format!("`retry_if = !error_type::<{inner}>()`"),
        "retry_if_result" => format!("`retry_if_ok = {inner}` (a predicate on the `Ok` value)"),
        _ => return None,
    })
}

/// `name = ..` other than a string literal, read through the runtime's `name_value`, whose type
/// check says whether it holds a name: spanned at the value, where its error goes.
fn wrap_name(value: Expr, runtime: &TokenStream) -> Expr {
    // `name = (NAME)`: as an argument, its parentheses would draw `unused_parens`.
    let value = match value {
        Expr::Paren(paren) => *paren.expr,
        other => other,
    };
    let span = value.span();
    let runtime = crate::respan::respan(runtime.clone(), span);
    Expr::Verbatim(quote::quote_spanned!(span=> #runtime::name_value(#value)))
}
