//! Values that cannot work whatever the names in them mean, told at the value with what to
//! write. Each check is exact: the code it rejects would not compile in the expansion either.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{BinOp, Expr, ExprAsync, ExprAwait, ExprClosure, ExprTry, Item};

use crate::errors::Errors;

/// Checks the value of `key`, recording each mistake.
pub(crate) fn check(key: &str, value: &Expr, errors: &mut Errors) {
    combined_with_logic(key, value, errors);
    evaluated_outside_the_body(value, errors);
    if key == "budget" || key == "breaker" {
        temporary_guard(key, value, errors);
    }
}

/// `attempts(3) || elapsed(10s)`: a `bool`, which is never a strategy (no impl for `bool` can
/// exist outside the runtime).
fn combined_with_logic(key: &str, value: &Expr, errors: &mut Errors) {
    let what = match key {
        "stop" => "stops",
        "retry_if" => "conditions",
        "wait" => "waits",
        _ => return,
    };
    let mut value = value;
    while let Expr::Paren(inner) = value {
        value = &inner.expr;
    }
    let Expr::Binary(binary) = value else { return };
    let operator = match binary.op {
        BinOp::Or(_) => "||",
        BinOp::And(_) => "&&",
        _ => return,
    };
    let fix = match (what, operator) {
        ("waits", _) => "waits add up with `+`, as in `fixed(1s) + random(0s, 1s)`".to_owned(),
        ("conditions", "||") => {
            "conditions combine with `|` (either), as in `on_error(is_timeout) | on_error(is_busy)`"
                .to_owned()
        }
        ("conditions", _) => {
            "conditions combine with `&` (both), as in `on_error(is_timeout) & on_error(is_busy)`"
                .to_owned()
        }
        (_, "||") => {
            format!("{what} combine with `|` (either), as in `attempts(3) | elapsed(10s)`")
        }
        _ => format!("{what} combine with `&` (both), as in `attempts(3) & elapsed(10s)`"),
    };
    errors.error(
        binary.op.span(),
        format!("`{operator}` combines booleans, not {what}; {fix}"),
    );
}

/// `?` and `.await` outside a closure or an async block of the value's own: values are
/// evaluated between attempts, synchronously and outside the body.
fn evaluated_outside_the_body(value: &Expr, errors: &mut Errors) {
    struct Outside<'a>(&'a mut Errors);
    impl<'ast> Visit<'ast> for Outside<'_> {
        fn visit_expr_try(&mut self, expr: &'ast ExprTry) {
            self.0.error(
                expr.question_token.span(),
                "`?` cannot return from an attribute value: values are evaluated between attempts, outside the body; compute the value before the call and pass it as an argument, or handle the error here",
            );
            visit::visit_expr_try(self, expr);
        }
        fn visit_expr_await(&mut self, expr: &'ast ExprAwait) {
            self.0.error(
                expr.await_token.span(),
                "`.await` cannot run in an attribute value: values are evaluated between attempts, synchronously and outside the body; await it before the call and pass the result as an argument",
            );
            visit::visit_expr_await(self, expr);
        }
        // Their own `?` and `.await` are theirs.
        fn visit_expr_closure(&mut self, _: &'ast ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast ExprAsync) {}
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    Outside(errors).visit_expr(value);
}

/// `budget = RetryBudget::new()`, `breaker = CircuitBreaker::new()`: a budget or breaker made for
/// one consultation is gone before the next, and shared with no other call.
fn temporary_guard(key: &str, value: &Expr, errors: &mut Errors) {
    let Expr::Call(call) = value else { return };
    let Expr::Path(path) = &*call.func else {
        return;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let Some(owner) = segments.iter().rev().nth(1) else {
        return;
    };
    let constructor = segments.last().map_or("", String::as_str);
    if key == "budget"
        && owner == "RetryBudget"
        && matches!(constructor, "new" | "with_reserve" | "tokens")
    {
        errors.error(
            value.span(),
            "a budget is shared by the calls that spend from it, so it lives in a `static`: declare `static BUDGET: RetryBudget = RetryBudget::new();` and write `budget = BUDGET`",
        );
    }
    if key == "breaker" && owner == "CircuitBreaker" && constructor == "new" {
        errors.error(
            value.span(),
            "a circuit breaker is shared by the calls it counts, so it lives in a `static`: declare `static UPSTREAM: CircuitBreaker = CircuitBreaker::new();` and write `breaker = UPSTREAM`",
        );
    }
}

/// A hook closure whose parameter is written as the function's error type: hooks take the retry
/// state, which holds the error (`state.error()`). Exact: the error type of a `Result<T, E>`
/// written in the signature is never a `RetryState`.
pub(crate) fn hooks_taking_the_error(
    entries: &[crate::args::Entry],
    sig: &syn::Signature,
    errors: &mut Errors,
) {
    let Some(error_type) = written_error_type(sig) else {
        return;
    };
    for entry in entries {
        let crate::args::Entry::Value { key, value } = entry else {
            continue;
        };
        if !matches!(
            key.to_string().as_str(),
            "before" | "after" | "before_sleep" | "on_finish"
        ) {
            continue;
        }
        let Expr::Closure(closure) = value else {
            continue;
        };
        let Some(syn::Pat::Type(typed)) = closure.inputs.first() else {
            continue;
        };
        let syn::Type::Reference(reference) = &*typed.ty else {
            continue;
        };
        if same_tokens(&reference.elem, &error_type) {
            errors.error(
                typed.ty.span(),
                format!(
                    "a hook takes the retry state, not the error: write `|state| ...` and read the error with `state.error()` (an `Option<&{}>`)",
                    crate::function::written(&error_type)
                ),
            );
        }
    }
}

/// `E` in a return type written `Result<T, E>` (any path ending in `Result`).
fn written_error_type(sig: &syn::Signature) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, output) = &sig.output else {
        return None;
    };
    let syn::Type::Path(path) = &**output else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.iter().collect::<Vec<_>>().as_slice() {
        [
            syn::GenericArgument::Type(_),
            syn::GenericArgument::Type(error),
        ] => Some(error.clone()),
        _ => None,
    }
}

fn same_tokens(a: &syn::Type, b: &syn::Type) -> bool {
    quote::ToTokens::to_token_stream(a).to_string()
        == quote::ToTokens::to_token_stream(b).to_string()
}
