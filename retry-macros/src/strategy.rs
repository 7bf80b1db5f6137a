//! The runtime's strategy names inside attribute values, and their lowering to runtime calls.
//!
//! Positional arguments construct a strategy; named ones configure it:
//!
//! ```text
//! stop = attempts(4)                      ==>  #rt::stop::attempts(4)
//! wait = exponential(min = 4s, max = 10s) ==>  #rt::wait::exponential().min(4s).max(10s)
//! wait = chain(fixed(1s), fixed(5s))      ==>  #rt::wait::chain((#rt::wait::fixed(1s), #rt::wait::fixed(5s)))
//! retry_if = error_type::<io::Error>()    ==>  #rt::condition::error_type::<io::Error, _>()
//! ```
//!
//! Only single-identifier names are rewritten, so a path such as `self::fixed` or
//! `my_crate::attempts` always reaches the user's own item.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprAssign, ExprCall, ExprLit, ExprPath, Ident, Lit, Token};

use crate::duration;
use crate::errors::Errors;
use crate::respan::respan;
use crate::suggest;

/// Which family of names a key takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Family {
    Stop,
    Wait,
    Condition,
    Hook,
}

impl Family {
    fn module(self) -> &'static str {
        match self {
            Family::Stop => "stop",
            Family::Wait => "wait",
            Family::Condition => "condition",
            Family::Hook => "hook",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Family::Stop => "stop strategy",
            Family::Wait => "wait strategy",
            Family::Condition => "retry condition",
            Family::Hook => "hook",
        }
    }

    fn catalog(self) -> &'static [Strategy] {
        match self {
            Family::Stop => STOPS,
            Family::Wait => WAITS,
            Family::Condition => CONDITIONS,
            Family::Hook => HOOKS,
        }
    }

    fn names(self) -> Vec<&'static str> {
        self.catalog()
            .iter()
            .map(|strategy| strategy.name)
            .collect()
    }
}

/// One strategy the attribute knows by name.
pub(crate) struct Strategy {
    name: &'static str,
    /// Constructor arguments, in order; each may also be given by name.
    required: &'static [&'static str],
    /// Builder settings, by name (or positionally after the required ones).
    optional: &'static [&'static str],
    /// Takes any number of positional strategies (`chain`).
    variadic: bool,
    /// Whether it reads the elapsed time.
    timed: bool,
    /// An example to put in error messages.
    example: &'static str,
}

const fn named(
    name: &'static str,
    required: &'static [&'static str],
    optional: &'static [&'static str],
    timed: bool,
    example: &'static str,
) -> Strategy {
    Strategy {
        name,
        required,
        optional,
        variadic: false,
        timed,
        example,
    }
}

const STOPS: &[Strategy] = &[
    named("attempts", &["n"], &[], false, "attempts(3)"),
    named("never", &[], &[], false, "never"),
    named("elapsed", &["limit"], &[], true, "elapsed(30s)"),
    named("deadline", &["limit"], &[], true, "deadline(30s)"),
];

const EXPONENTIAL: &[&str] = &["multiplier", "base", "min", "max"];

const WAITS: &[Strategy] = &[
    named("fixed", &["wait"], &[], false, "fixed(500ms)"),
    named("none", &[], &[], false, "none()"),
    named(
        "random",
        &["min", "max"],
        &[],
        false,
        "random(min = 1s, max = 5s)",
    ),
    named(
        "incrementing",
        &[],
        &["start", "increment", "max"],
        false,
        "incrementing(start = 1s, increment = 2s)",
    ),
    named(
        "exponential",
        &[],
        EXPONENTIAL,
        false,
        "exponential(min = 4s, max = 10s)",
    ),
    named(
        "random_exponential",
        &[],
        EXPONENTIAL,
        false,
        "random_exponential(max = 30s)",
    ),
    named(
        "exponential_jitter",
        &[],
        &["multiplier", "base", "min", "max", "jitter"],
        false,
        "exponential_jitter(max = 30s, jitter = 1s)",
    ),
    named(
        "decorrelated_jitter",
        &[],
        &["initial", "max"],
        false,
        "decorrelated_jitter(initial = 100ms, max = 10s)",
    ),
    Strategy {
        name: "chain",
        required: &[],
        optional: &[],
        variadic: true,
        timed: false,
        example: "chain(fixed(1s), fixed(5s))",
    },
];

const CONDITIONS: &[Strategy] = &[
    named(
        "on_error",
        &["predicate"],
        &[],
        false,
        "on_error(|e| e.is_timeout())",
    ),
    named(
        "on_ok",
        &["predicate"],
        &[],
        false,
        "on_ok(|v| v.is_pending())",
    ),
    named(
        "error_type",
        &[],
        &[],
        false,
        "error_type::<std::io::Error>()",
    ),
    named(
        "message_contains",
        &["text"],
        &[],
        false,
        "message_contains(\"try again\")",
    ),
    named(
        "message_matches",
        &["pattern"],
        &[],
        false,
        "message_matches(\"^5\\\\d\\\\d\")",
    ),
    named("any_error", &[], &[], false, "any_error()"),
    named("always", &[], &[], false, "always()"),
    named("never", &[], &[], false, "never()"),
];

const HOOKS: &[Strategy] = &[named("log", &["level"], &[], false, "log(warn)")];

const LEVELS: &[(&str, &str)] = &[
    ("trace", "Trace"),
    ("debug", "Debug"),
    ("info", "Info"),
    ("warn", "Warn"),
    ("error", "Error"),
];

/// Rewrites the runtime's names and the duration literals in one attribute value. Closure bodies are
/// the user's own code: only their duration literals are rewritten.
pub(crate) fn lower(expr: &mut Expr, family: Family, runtime: &TokenStream, errors: &mut Errors) {
    Lowering {
        family,
        runtime,
        errors,
    }
    .visit_expr_mut(expr);
}

/// Whether a value can be shown not to read the clock: made only of the runtime's untimed
/// strategies. Anything the macro cannot see into (a path, a closure, a call of the user's)
/// counts as timed.
pub(crate) fn untimed(expr: &Expr, family: Family) -> bool {
    match expr {
        Expr::Paren(inner) => untimed(&inner.expr, family),
        Expr::Group(inner) => untimed(&inner.expr, family),
        Expr::Binary(binary) => untimed(&binary.left, family) && untimed(&binary.right, family),
        Expr::MethodCall(call) => untimed(&call.receiver, family),
        Expr::Call(call) => match known(&call.func, family) {
            Some(strategy) if strategy.variadic => call.args.iter().all(|arg| untimed(arg, family)),
            Some(strategy) => !strategy.timed,
            None => false,
        },
        Expr::Path(_) => known(expr, family).is_some_and(|strategy| !strategy.timed),
        _ => false,
    }
}

/// Whether a `retry_if` value might retry an `Ok` outcome. Paths and closures are predicates on
/// the error; the runtime's conditions say by name; anything the macro cannot see into might.
/// While none might, a successful attempt returns before the policy is built.
pub(crate) fn may_retry_ok(expr: &Expr) -> bool {
    match expr {
        Expr::Closure(_) | Expr::Path(_) => false,
        Expr::Paren(inner) => may_retry_ok(&inner.expr),
        Expr::Group(inner) => may_retry_ok(&inner.expr),
        Expr::Unary(unary) => may_retry_ok(&unary.expr),
        Expr::Binary(binary) => may_retry_ok(&binary.left) || may_retry_ok(&binary.right),
        Expr::Call(call) => match known(&call.func, Family::Condition) {
            Some(condition) => matches!(condition.name, "on_ok" | "always"),
            None => true,
        },
        _ => true,
    }
}

/// The strategy a callee or bare name refers to, if it is one of the family's single-identifier
/// names (a turbofish, as in `error_type::<E>`, is allowed).
fn known(expr: &Expr, family: Family) -> Option<&'static Strategy> {
    let ident = single_ident(expr)?;
    let name = ident.to_string();
    family
        .catalog()
        .iter()
        .find(|strategy| strategy.name == name)
}

fn single_ident(expr: &Expr) -> Option<&Ident> {
    let Expr::Path(ExprPath {
        qself: None,
        path,
        attrs,
    }) = expr
    else {
        return None;
    };
    if !attrs.is_empty() || path.leading_colon.is_some() || path.segments.len() != 1 {
        return None;
    }
    Some(&path.segments[0].ident)
}

struct Lowering<'a> {
    family: Family,
    runtime: &'a TokenStream,
    errors: &'a mut Errors,
}

impl VisitMut for Lowering<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            // The user's code: keep the runtime's names out of it, but not the duration literals.
            Expr::Closure(_) => duration::lower(expr, self.errors),
            Expr::Lit(ExprLit { lit, attrs }) if attrs.is_empty() => {
                if let Some(result) = duration::value(lit) {
                    match result {
                        Ok(nanos) => *expr = Expr::Verbatim(duration::tokens(nanos, lit.span())),
                        Err(error) => self.errors.push(error),
                    }
                }
            }
            Expr::Call(call) => {
                if let Some(strategy) = known(&call.func, self.family) {
                    if let Some(lowered) = self.lower_call(strategy, call) {
                        *expr = Expr::Verbatim(lowered);
                    }
                    return;
                }
                if let Some(unknown) = misnamed(call) {
                    let message = suggest::unknown(
                        self.family.noun(),
                        &unknown.to_string(),
                        &self.family.names(),
                    );
                    self.errors.error(unknown.span(), message);
                    return;
                }
                visit_mut::visit_expr_mut(self, expr);
            }
            Expr::Path(_) => {
                if let Some(strategy) = known(expr, self.family)
                    && strategy.required.is_empty()
                    && !strategy.variadic
                {
                    let span = expr.span();
                    *expr = Expr::Verbatim(self.path_to(strategy, span));
                }
            }
            Expr::Binary(binary) if matches!(self.family, Family::Stop | Family::Wait) => {
                visit_mut::visit_expr_binary_mut(self, binary);
                // A closure beside `|`, `&` or `+` gets its parameter type from `from_fn`.
                self.type_closure(&mut binary.left);
                self.type_closure(&mut binary.right);
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }
}

/// The name of a call with `name = value` arguments that is not one of ours: it can only have
/// meant a strategy.
fn misnamed(call: &ExprCall) -> Option<&Ident> {
    let ident = single_ident(&call.func)?;
    call.args
        .iter()
        .any(|arg| matches!(arg, Expr::Assign(_)))
        .then_some(ident)
}

impl Lowering<'_> {
    /// Wraps a closure in the family's `from_fn`, which gives it its parameter type; a closure
    /// that is the whole value gets a typed helper from the expansion instead.
    fn type_closure(&self, expr: &mut Expr) {
        if let Expr::Closure(closure) = expr {
            let span = closure.span();
            let runtime = self.runtime_at(span);
            let module = Ident::new(self.family.module(), span);
            *expr = Expr::Verbatim(quote_spanned!(span=> #runtime::#module::from_fn(#closure)));
        }
    }

    /// The runtime's path, at the user's span, so errors point at the user's name.
    fn runtime_at(&self, span: Span) -> TokenStream {
        respan(self.runtime.clone(), span)
    }

    /// `#rt::<module>::<name>()` at the user's span, for a name written without arguments.
    fn path_to(&self, strategy: &Strategy, span: Span) -> TokenStream {
        let runtime = self.runtime_at(span);
        let module = Ident::new(self.family.module(), span);
        let name = Ident::new(strategy.name, span);
        quote_spanned!(span=> #runtime::#module::#name())
    }

    fn lower_call(
        &mut self,
        strategy: &'static Strategy,
        call: &mut ExprCall,
    ) -> Option<TokenStream> {
        let span = call.func.span();
        if strategy.name == "error_type" {
            return self.lower_error_type(call);
        }
        if let Expr::Path(ExprPath { path, .. }) = &*call.func
            && !path.segments[0].arguments.is_none()
        {
            self.errors.error(
                path.segments[0].arguments.span(),
                format!(
                    "`{}` takes no type arguments; write `{}`",
                    strategy.name, strategy.example
                ),
            );
            return None;
        }
        if strategy.variadic {
            return self.lower_chain(strategy, call);
        }
        let mut positional: Vec<Expr> = Vec::new();
        let mut settings: Vec<(Ident, Expr)> = Vec::new();
        let mut ok = true;
        let args = std::mem::take(&mut call.args);
        for arg in args {
            match arg {
                Expr::Assign(ExprAssign { left, right, .. }) => match single_ident(&left) {
                    Some(name) => settings.push((name.clone(), *right)),
                    None => {
                        self.errors
                            .error(left.span(), "a setting is written `name = value`");
                        ok = false;
                    }
                },
                arg if settings.is_empty() => positional.push(arg),
                arg => {
                    self.errors.error(
                        arg.span(),
                        format!(
                            "positional arguments of `{}` come before named ones",
                            strategy.name
                        ),
                    );
                    ok = false;
                }
            }
        }

        // Positional arguments fill the required parameters, then the optional ones, in order.
        let order: Vec<&str> = strategy
            .required
            .iter()
            .chain(strategy.optional)
            .copied()
            .collect();
        if positional.len() > order.len() {
            let extra = &positional[order.len()];
            self.errors.error(
                extra.span(),
                format!(
                    "`{}` takes {} argument{}; write `{}`",
                    strategy.name,
                    order.len(),
                    if order.len() == 1 { "" } else { "s" },
                    strategy.example,
                ),
            );
            return None;
        }
        let mut values: Vec<(&str, Span, Expr)> = Vec::new();
        for (name, value) in order.iter().zip(positional) {
            values.push((name, value.span(), value));
        }
        for (name, value) in settings {
            let text = name.to_string();
            let Some(&parameter) = order.iter().find(|p| **p == text) else {
                let known = match suggest::closest(&text, &order) {
                    _ if order.is_empty() => format!("; `{}` takes no settings", strategy.name),
                    Some(found) => format!("; did you mean `{found}`?"),
                    None => format!("; it takes {}", suggest::one_of(&order)),
                };
                self.errors.error(
                    name.span(),
                    format!("`{}` has no setting `{text}`{known}", strategy.name),
                );
                ok = false;
                continue;
            };
            if values.iter().any(|(existing, _, _)| *existing == parameter) {
                self.errors
                    .error(name.span(), format!("`{text}` is given twice"));
                ok = false;
                continue;
            }
            values.push((parameter, name.span(), value));
        }
        for required in strategy.required {
            if !values.iter().any(|(name, _, _)| name == required) {
                self.errors.error(
                    span,
                    format!(
                        "`{}` needs `{required}`; write `{}`",
                        strategy.name, strategy.example
                    ),
                );
                ok = false;
            }
        }
        ok &= self.check_values(strategy, &values);
        if !ok {
            return None;
        }

        // Nested strategies and duration literals inside the arguments.
        for (_, _, value) in &mut values {
            self.visit_expr_mut(value);
        }
        let constructor_args: Vec<&Expr> = strategy
            .required
            .iter()
            .filter_map(|required| values.iter().find(|(name, _, _)| name == required))
            .map(|(_, _, value)| value)
            .collect();
        let runtime = self.runtime_at(span);
        let module = Ident::new(self.family.module(), span);
        let name = Ident::new(strategy.name, span);
        let mut lowered = if strategy.name == "log" {
            let level = self.level(constructor_args[0]);
            quote_spanned!(span=> #runtime::#module::#name(#level))
        } else {
            quote_spanned!(span=> #runtime::#module::#name(#(#constructor_args),*))
        };
        for (parameter, name_span, value) in &values {
            if strategy.required.contains(parameter) {
                continue;
            }
            let setter = Ident::new(parameter, *name_span);
            let value = if *parameter == "base" {
                float(value)
            } else {
                quote!(#value)
            };
            lowered = quote_spanned!(*name_span=> #lowered.#setter(#value));
        }
        Some(lowered)
    }

    /// Compile-time checks on literal arguments.
    fn check_values(&mut self, strategy: &Strategy, values: &[(&str, Span, Expr)]) -> bool {
        let literal = |wanted: &str| {
            values
                .iter()
                .find(|(name, _, _)| *name == wanted)
                .and_then(|(_, span, value)| match value {
                    Expr::Lit(ExprLit { lit, .. }) => Some((*span, lit.clone())),
                    _ => None,
                })
        };
        let mut ok = true;
        if strategy.name == "attempts"
            && let Some((span, Lit::Int(n))) = literal("n")
            && n.base10_digits() == "0"
        {
            self.errors.error(
                span,
                "`attempts(0)` would never call the function; the count includes the first call, so write `attempts(1)` or more",
            );
            ok = false;
        }
        if let (Some((_, min)), Some((max_span, max))) = (literal("min"), literal("max"))
            && let (Some(Ok(min_nanos)), Some(Ok(max_nanos))) =
                (duration::value(&min), duration::value(&max))
            && min_nanos > max_nanos
        {
            self.errors.error(
                max_span,
                format!(
                    "`{}`'s `min` is greater than its `max`; make `max` at least `min`",
                    strategy.name
                ),
            );
            ok = false;
        }
        ok
    }

    /// `log(warn)` takes a level by its lowercase name, or any expression that converts into one.
    fn level(&mut self, level: &Expr) -> TokenStream {
        let runtime = self.runtime_at(level.span());
        if let Some(ident) = single_ident(level) {
            let name = ident.to_string();
            if let Some((_, variant)) = LEVELS.iter().find(|(lower, _)| *lower == name) {
                let variant = Ident::new(variant, ident.span());
                return quote_spanned!(ident.span()=> #runtime::hook::Level::#variant);
            }
            if name.chars().all(|c| c.is_ascii_lowercase()) {
                let names: Vec<&str> = LEVELS.iter().map(|(lower, _)| *lower).collect();
                self.errors
                    .error(ident.span(), suggest::unknown("log level", &name, &names));
            }
        }
        quote_spanned!(level.span()=> ::core::convert::Into::<#runtime::hook::Level>::into(#level))
    }

    fn lower_chain(&mut self, strategy: &Strategy, call: &mut ExprCall) -> Option<TokenStream> {
        let span = call.func.span();
        if call.args.is_empty() {
            self.errors.error(
                span,
                format!(
                    "`chain()` needs at least one wait strategy; write `{}`",
                    strategy.example
                ),
            );
            return None;
        }
        let mut members: Punctuated<Expr, Token![,]> = std::mem::take(&mut call.args);
        if members.len() > 12 {
            self.errors.error(
                span,
                "`chain` takes at most 12 strategies; nest a second `chain` as the last",
            );
            return None;
        }
        for member in members.iter_mut() {
            self.visit_expr_mut(member);
            self.type_closure(member);
        }
        // The members go to the runtime as one tuple.
        let members = members.iter();
        let runtime = self.runtime_at(span);
        Some(quote_spanned!(span=> #runtime::wait::chain((#(#members,)*))))
    }

    fn lower_error_type(&mut self, call: &ExprCall) -> Option<TokenStream> {
        let span = call.func.span();
        let Expr::Path(ExprPath { path, .. }) = &*call.func else {
            return None;
        };
        let arguments = &path.segments[0].arguments;
        let error = match arguments {
            syn::PathArguments::AngleBracketed(generic) if generic.args.len() == 1 => {
                &generic.args[0]
            }
            _ => {
                self.errors.error(
                    span,
                    "`error_type` needs the error type to look for; write `error_type::<std::io::Error>()`",
                );
                return None;
            }
        };
        if !call.args.is_empty() {
            self.errors.error(
                call.args.span(),
                "`error_type` takes no arguments; write `error_type::<std::io::Error>()`",
            );
            return None;
        }
        let runtime = self.runtime_at(span);
        Some(quote_spanned!(span=> #runtime::condition::error_type::<#error, _>()))
    }
}

/// `base` takes an integer or a float literal; the runtime takes an `f64`.
fn float(value: &Expr) -> TokenStream {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) if int.suffix().is_empty() => {
            let float = syn::LitFloat::new(&format!("{}f64", int.base10_digits()), int.span());
            quote!(#float)
        }
        other => quote!(#other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retries_ok(source: &str) -> bool {
        may_retry_ok(&syn::parse_str(source).unwrap())
    }

    #[test]
    fn only_value_conditions_keep_a_success_from_returning_at_once() {
        for error_only in [
            "is_transient",
            "|e| e.is_x()",
            "on_error(f) | error_type::<E>()",
            "!on_error(f)",
            "any_error()",
        ] {
            assert!(!retries_ok(error_only), "{error_only}");
        }
        for may_retry in [
            "on_ok(f)",
            "always()",
            "!on_ok(f)",
            "on_error(f) | on_ok(g)",
            "custom_condition()",
            "CONDITIONS[0]",
        ] {
            assert!(retries_ok(may_retry), "{may_retry}");
        }
    }
}
