//! Values that cannot work whatever the names in them mean, told at the value with what to
//! write. Each check is exact: the code it rejects would not compile in the expansion either.

use crate::walk::{Walk, Walker};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{BinOp, Expr, ExprAsync, ExprAwait, ExprClosure, ExprTry, Item};

use crate::errors::Errors;

/// Checks the value of `key`, recording each mistake.
pub(crate) fn check(key: &str, value: &Expr, errors: &mut Errors) {
    if let Some(error) = literal_of_another_kind(key, value) {
        errors.push(error);
        return;
    }
    combined_with_logic(key, value, errors);
    evaluated_outside_the_body(value, errors);
    async_closure(key, value, errors);
    if key == "budget" || key == "breaker" {
        temporary_guard(key, value, errors);
    }
}

/// `after = |_| *count += 1`, `before = |_| self.sent += 1`: a value reads the arguments and
/// `self` through shared references, between attempts, so an assignment to one (or through one)
/// cannot compile. Exact: the assigned place starts at an argument's name (or `self`) that the
/// value does not bind itself, and goes through no `*` whose operand's type the signature does
/// not show to be a reference (a raw pointer, read through `&`, may be written through: `*count`
/// with `count: *mut u32`, `*ctx.failures` with a pointer field, a type alias).
pub(crate) fn values_changing_arguments(
    entries: &[crate::args::Entry],
    sig: &syn::Signature,
    parameters: &[syn::Ident],
    errors: &mut Errors,
) {
    // The arguments written as references (and `self`, which is one in a value).
    let references: Vec<syn::Ident> = sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => match (&*typed.pat, reference_type(&typed.ty)) {
                (syn::Pat::Ident(pat), true) => Some(pat.ident.clone()),
                _ => None,
            },
            syn::FnArg::Receiver(receiver) => {
                Some(syn::Ident::new("self", receiver.self_token.span))
            }
        })
        .collect();
    for entry in entries {
        if let crate::args::Entry::Value { value, .. } = entry {
            changes_an_argument(value, parameters, &references, errors);
        }
    }
}

/// `&T` or `&mut T`, as written (in parentheses or a `ty` fragment too).
fn reference_type(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(_) => true,
        syn::Type::Group(group) => reference_type(&group.elem),
        syn::Type::Paren(paren) => reference_type(&paren.elem),
        _ => false,
    }
}

fn changes_an_argument(
    value: &Expr,
    parameters: &[syn::Ident],
    references: &[syn::Ident],
    errors: &mut Errors,
) {
    struct Changes<'a> {
        parameters: &'a [syn::Ident],
        references: &'a [syn::Ident],
        /// Names the value binds itself (closure parameters, `let`s), which may hide an argument.
        bound: Vec<String>,
        found: Option<(String, proc_macro2::TokenStream)>,
    }
    impl Changes<'_> {
        fn target(&mut self, place: &Expr) {
            let mut root = place;
            // What each `*` on the way dereferences.
            let mut dereferenced = Vec::new();
            loop {
                root = match root {
                    Expr::Field(field) => &field.base,
                    Expr::Index(index) => &index.expr,
                    Expr::Paren(inner) => &inner.expr,
                    Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Deref(_)) => {
                        dereferenced.push(&*unary.expr);
                        &unary.expr
                    }
                    _ => break,
                };
            }
            let Expr::Path(path) = root else { return };
            let Some(name) = path.path.get_ident() else {
                return;
            };
            // Through a `*`, only a reference argument itself is known to be read-only here:
            // any other (`**p`, `*ctx.raw`) may be a raw pointer's.
            let plain = |operand: &&Expr| {
                matches!(operand, Expr::Path(path) if path.path.get_ident() == Some(name))
                    && self.references.iter().any(|reference| reference == name)
            };
            if !dereferenced.iter().all(plain) {
                return;
            }
            let named = name.to_string();
            let is_argument =
                named == "self" || self.parameters.iter().any(|parameter| parameter == name);
            if is_argument && !self.bound.contains(&named) && self.found.is_none() {
                self.found = Some((named, quote::ToTokens::to_token_stream(place)));
            }
        }
    }
    impl<'ast> Walk<'ast> for Changes<'_> {
        fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
            self.bound.push(pat.ident.to_string());
            visit::visit_pat_ident(&mut Walker(self), pat);
        }
        fn visit_expr_assign(&mut self, assign: &'ast syn::ExprAssign) {
            self.target(&assign.left);
            visit::visit_expr_assign(&mut Walker(self), assign);
        }
        fn visit_expr_binary(&mut self, binary: &'ast syn::ExprBinary) {
            if crate::body::assigns(&binary.op) {
                self.target(&binary.left);
            }
            visit::visit_expr_binary(&mut Walker(self), binary);
        }
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    // Only in the value's closures: elsewhere an assignment is not a value at all, and rustc says
    // so.
    struct Closures<'a, 'b>(&'b mut Changes<'a>);
    impl<'ast> Walk<'ast> for Closures<'_, '_> {
        fn visit_expr_closure(&mut self, closure: &'ast ExprClosure) {
            let depth = self.0.bound.len();
            self.0.visit_expr_closure(closure);
            self.0.bound.truncate(depth);
        }
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    let mut changes = Changes {
        parameters,
        references,
        bound: Vec::new(),
        found: None,
    };
    Walker(&mut Closures(&mut changes)).visit_expr(value);
    if let Some((name, at)) = changes.found {
        let fix = if name == "self" {
            "keep what it changes in a `Cell` or an atomic field of `self`, or change it in the body".to_owned()
        } else {
            format!(
                "take `{name}` as a `&Cell<..>` or an atomic (`{name}.set({name}.get() + 1)`), or change it in the body"
            )
        };
        errors.push(syn::Error::new_spanned(
            at,
            format!(
                "a value cannot change `{name}`: it runs between attempts and reads the arguments and `self` through shared references; {fix}"
            ),
        ));
    }
}

/// What a literal, a list or a range written as a key's whole value is.
enum Written<'a> {
    /// `30s`, `1.5ms`.
    Duration(&'a syn::Lit),
    /// `3`, `2.5`, unsuffixed or with Rust's own suffix.
    Number(&'a syn::Lit),
    /// `"5s"`, with its contents.
    Text(String),
    Bool,
    List(&'a syn::ExprArray),
    Range(&'a syn::ExprRange),
    /// `(1s, 3s)`: a tuple of durations written in place.
    Pair(&'a syn::ExprTuple),
}

fn written(value: &Expr) -> Option<Written<'_>> {
    Some(match value {
        Expr::Lit(literal) => match &literal.lit {
            lit @ (syn::Lit::Int(_) | syn::Lit::Float(_)) => match crate::duration::value(lit) {
                Some(_) => Written::Duration(lit),
                None => Written::Number(lit),
            },
            syn::Lit::Str(text) => Written::Text(text.value()),
            syn::Lit::Bool(_) => Written::Bool,
            _ => return None,
        },
        Expr::Array(list) => Written::List(list),
        Expr::Range(range) => Written::Range(range),
        Expr::Tuple(tuple)
            if tuple.elems.len() > 1
                && tuple.elems.iter().all(|elem| {
                    matches!(elem, Expr::Lit(literal) if crate::duration::value(&literal.lit).is_some_and(|value| value.is_ok()))
                }) =>
        {
            Written::Pair(tuple)
        }
        Expr::Paren(inner) => return written(&inner.expr),
        _ => return None,
    })
}

/// `timeout = 0s`, `total_timeout = 0ms`: a limit of zero cuts every attempt that waits for
/// anything, which no one means. Checked on async functions only: on a sync one, the time
/// limit is the mistake.
pub(crate) fn zero_time_limit(key: &str, value: &Expr, errors: &mut Errors) {
    let cut = match key {
        "timeout" => "would cancel every attempt that waits for anything",
        "total_timeout" => "would end the call at its first wait for anything",
        _ => return,
    };
    if let Expr::Lit(syn::ExprLit { lit, .. }) = value
        && let Some(Ok(0)) = crate::duration::value(lit)
    {
        errors.error(
            lit.span(),
            format!(
                "`{key} = {}` {cut}; give a limit above zero, or remove `{key}`",
                quote::ToTokens::to_token_stream(lit)
            ),
        );
    }
}

/// `stop = 30s`, `wait = 2`, `timeout = "5s"`, `wait = [1s, 2s]`: a literal, list or range no
/// value of the key can be. Exact: the runtime has no impl for these types, and a user cannot
/// write one (the traits are the runtime's, the types are std's).
fn literal_of_another_kind(key: &str, value: &Expr) -> Option<syn::Error> {
    // `stop = attempts = 3`: an assignment's value is `()`, which no key takes (the traits are
    // the runtime's, `()` is std's); a limit or a wait is an argument.
    if let Expr::Assign(assign) = value {
        let left = crate::errors::written(&*assign.left);
        let right = crate::errors::written(&*assign.right);
        let fix = match key {
            "stop" => crate::config::stop_maker(&crate::suggest::snake_case(&left))
                .map(|stop| format!("write `stop = {stop}({right})`")),
            "wait" if left == "fixed" => Some(format!("write `wait = fixed({right})`")),
            _ => None,
        };
        let fix = fix.unwrap_or_else(|| match key {
            "stop" => {
                "give the stop its limit as an argument, as in `stop = attempts(3)`".to_owned()
            }
            "wait" => {
                "give the wait its settings as arguments, as in `wait = exponential(max = 10s)`"
                    .to_owned()
            }
            _ => format!("give `{key}` one value"),
        });
        return Some(syn::Error::new_spanned(
            value,
            format!("a value is one expression, not an assignment: {fix}"),
        ));
    }
    let written = written(value)?;
    // What to write in its place.
    let lead = format!("{key} = ");
    let tokens = |expr: &dyn quote::ToTokens| expr.to_token_stream().to_string();
    let joined = |list: &syn::ExprArray, by: &str| {
        list.elems
            .iter()
            .map(|elem| tokens(elem))
            .collect::<Vec<_>>()
            .join(by)
    };
    // A number written where a duration goes: its value with a unit.
    let with_unit = |number: &syn::Lit| {
        let digits = match number {
            syn::Lit::Int(int) => int.base10_digits().to_owned(),
            syn::Lit::Float(float) => float.base10_digits().to_owned(),
            _ => tokens(number),
        };
        format!("`{lead}{digits}s` or `{lead}{digits}ms`")
    };
    let message = match (key, &written) {
        ("stop", Written::Duration(lit)) => format!(
            "a duration is not a stop: to stop once that much time has passed, write `{lead}elapsed({})`",
            tokens(lit)
        ),
        ("stop", Written::Number(lit)) => format!(
            "a number is not a stop: to make at most {0} attempts, write `{lead}attempts({0})`",
            tokens(lit)
        ),
        ("stop", Written::List(list)) => format!(
            "stops are not listed but combined: `|` stops at the first that says so, as in `{lead}{}`",
            joined(list, " | ")
        ),
        ("wait", Written::Number(lit)) => {
            format!("a wait is a duration with its unit: write {}", with_unit(lit))
        }
        ("wait", Written::List(list)) => format!(
            "waits in turn are a chain: write `{lead}chain({})`",
            joined(list, ", ")
        ),
        ("wait", Written::Pair(pair)) => {
            let members: Vec<String> = pair.elems.iter().map(|elem| tokens(elem)).collect();
            let bounds = if members.len() == 2 {
                format!("for a random wait between the two, write `{lead}random({})`; ", members.join(", "))
            } else {
                String::new()
            };
            format!(
                "a tuple is not a wait: {bounds}for waits in turn, write `{lead}chain({})`",
                members.join(", ")
            )
        }
        ("wait", Written::Range(range)) => match (&range.start, &range.end) {
            (Some(start), Some(end)) => format!(
                "a range is not a wait: for a random wait between the two, write `{lead}random({}, {})`",
                tokens(start),
                tokens(end)
            ),
            _ => "a range is not a wait: for a random wait, write `random(min, max)`".to_owned(),
        },
        ("sleep", Written::Duration(lit) | Written::Number(lit)) => format!(
            "`sleep` is what sleeps, not how long: the time between attempts is `wait = {}`",
            tokens(lit)
        ),
        ("timeout" | "total_timeout" | "hedge", Written::Number(lit)) => {
            format!("`{key}` is a duration with its unit: write {}", with_unit(lit))
        }
        ("wait" | "timeout" | "total_timeout" | "hedge", Written::Text(text))
            if text.parse::<proc_macro2::Literal>().is_ok_and(|literal| {
                crate::duration::value(&syn::Lit::new(literal))
                    .is_some_and(|parsed| parsed.is_ok())
            }) =>
        {
            format!("a duration is written without quotes: write `{lead}{text}`")
        }
        // `stop = "attempts(3)"`: a value as a string, as configuration files write them.
        ("stop" | "wait" | "retry_if" | "policy" | "sleep", Written::Text(text))
            if looks_like_code(text) =>
        {
            format!("a value is written without quotes: write `{lead}{text}`")
        }
        ("budget", _) => "`budget` takes a retry budget, which lives in a `static`: declare `static BUDGET: RetryBudget = RetryBudget::new();` and write `budget = BUDGET`".to_owned(),
        ("breaker", _) => "`breaker` takes a circuit breaker, which lives in a `static`: declare `static UPSTREAM: CircuitBreaker = CircuitBreaker::new();` and write `breaker = UPSTREAM`".to_owned(),
        ("span", Written::Text(_) | Written::Number(_)) => {
            "`span` takes `true` or `false`, unquoted: write `span = true`".to_owned()
        }
        ("nested", Written::Text(text)) if matches!(text.as_str(), "once" | "retry") => {
            format!("`nested` takes a name, not a string: write `nested = {text}`")
        }
        _ => return None,
    };
    Some(syn::Error::new_spanned(value, message))
}

/// Whether a string holds code rather than a word: a call, an operator, a closure, or a path
/// or name that a word would not be (`a::b`, `is_transient`).
fn looks_like_code(text: &str) -> bool {
    match syn::parse_str::<Expr>(text) {
        Ok(Expr::Call(_) | Expr::MethodCall(_) | Expr::Binary(_) | Expr::Unary(_)) => true,
        Ok(Expr::Closure(_)) => true,
        Ok(Expr::Path(path)) => {
            path.path.segments.len() > 1
                || path.path.segments.iter().any(|segment| {
                    let name = segment.ident.to_string();
                    name.contains('_') || name.chars().any(|c| c.is_uppercase())
                })
        }
        _ => false,
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
    impl<'ast> Walk<'ast> for Outside<'_> {
        fn visit_expr_try(&mut self, expr: &'ast ExprTry) {
            self.0.error(
                expr.question_token.span(),
                "`?` cannot return from an attribute value: values are evaluated between attempts, outside the body; compute the value before the call and pass it as an argument, or handle the error here",
            );
            visit::visit_expr_try(&mut Walker(self), expr);
        }
        fn visit_expr_await(&mut self, expr: &'ast ExprAwait) {
            self.0.error(
                expr.await_token.span(),
                "`.await` cannot run in an attribute value: values are evaluated between attempts, synchronously and outside the body; await it before the call and pass the result as an argument",
            );
            visit::visit_expr_await(&mut Walker(self), expr);
        }
        // Their own `?` and `.await` are theirs.
        fn visit_expr_closure(&mut self, _: &'ast ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast ExprAsync) {}
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    Walker(&mut Outside(errors)).visit_expr(value);
}

/// `before_sleep = async |state| ..`, `retry_if = |e| async move { .. }`: a strategy, a
/// condition or a hook is called between attempts and its answer used at once, so a closure
/// that returns a future (an `async` closure, or one whose body is an `async` block) answers
/// with a future that nothing awaits. Exact: a future is never the `()`, `bool`, `Duration` or
/// return value these keys' closures return. A sleeper returns a future, so `sleep` is left
/// out.
fn async_closure(key: &str, value: &Expr, errors: &mut Errors) {
    const CALLED_BETWEEN_ATTEMPTS: &[&str] = &[
        "stop",
        "wait",
        "retry_if",
        "retry_if_ok",
        "before",
        "after",
        "before_sleep",
        "on_give_up",
        "on_finish",
    ];
    let Expr::Closure(closure) = value else {
        return;
    };
    if !CALLED_BETWEEN_ATTEMPTS.contains(&key) {
        return;
    }
    let at = if let Some(asyncness) = closure.asyncness {
        asyncness.span
    } else if let Some(block) = async_body(&closure.body) {
        block.async_token.span
    } else {
        return;
    };
    let what = match key {
        "stop" | "wait" => "a strategy",
        "retry_if" | "retry_if_ok" => "a condition",
        "on_give_up" => "`on_give_up`",
        _ => "a hook",
    };
    errors.error(
        at,
        format!(
            "{what} runs synchronously between attempts, and the future this closure returns would never be awaited: write a plain closure (`{key} = |..| ..`) and do the asynchronous work in the function's body"
        ),
    );
}

/// The `async` block a closure's body is, or ends with.
fn async_body(body: &Expr) -> Option<&ExprAsync> {
    match body {
        Expr::Async(block) => Some(block),
        Expr::Block(block) => match block.block.stmts.last() {
            Some(syn::Stmt::Expr(Expr::Async(tail), None)) => Some(tail),
            _ => None,
        },
        Expr::Paren(inner) => async_body(&inner.expr),
        _ => None,
    }
}

/// `budget = RetryBudget::new()`, `breaker = CircuitBreaker::new().consecutive_failures(5)`,
/// `breaker = KeyedBreaker::<8>::new(..).key(&host)`, with or without a `&`: a budget or breaker
/// made for one consultation is gone before the next, and shared with no other call.
fn temporary_guard(key: &str, value: &Expr, errors: &mut Errors) {
    let mut made = value;
    loop {
        made = match made {
            Expr::Reference(reference) => &reference.expr,
            Expr::Paren(inner) => &inner.expr,
            _ => break,
        };
    }
    // Down a builder chain to the call that makes it; `.key(..)` picks from a keyed table.
    let mut root = made;
    let mut keyed_pick = None;
    while let Expr::MethodCall(call) = root {
        if call.method == "key" {
            keyed_pick = Some(call);
        }
        root = &call.receiver;
    }
    let Expr::Call(call) = root else { return };
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
    let message = match (key, owner.as_str(), constructor) {
        ("budget", "RetryBudget", "new" | "with_reserve" | "tokens") => format!(
            "a budget is shared by the calls that spend from it, so it lives in a `static`: declare `static BUDGET: RetryBudget = {};` and write `budget = BUDGET`",
            crate::errors::written(made)
        ),
        // `Default` is not `const`, so the `static` is made with `new()`.
        ("budget", "RetryBudget", "default") => "a budget is shared by the calls that spend from it, so it lives in a `static`: declare `static BUDGET: RetryBudget = RetryBudget::new();` and write `budget = BUDGET`".to_owned(),
        ("breaker", "CircuitBreaker", "default") => "a circuit breaker is shared by the calls it counts, so it lives in a `static`: declare `static UPSTREAM: CircuitBreaker = CircuitBreaker::new();` and write `breaker = UPSTREAM`".to_owned(),
        ("breaker", "CircuitBreaker", "new") => format!(
            "a circuit breaker is shared by the calls it counts, so it lives in a `static`: declare `static UPSTREAM: CircuitBreaker = {};` and write `breaker = UPSTREAM`",
            crate::errors::written(made)
        ),
        ("budget", "KeyedBudget", "new") | ("breaker", "KeyedBreaker", "new") => {
            let table = keyed_pick.map_or(made, |pick| &*pick.receiver);
            let name = if key == "budget" {
                "UPSTREAMS"
            } else {
                "BREAKERS"
            };
            // The type as the path names it, its slot count included (`KeyedBreaker<8>`).
            let owner_segment = &path.path.segments[path.path.segments.len() - 2];
            let mut ty = quote::ToTokens::to_token_stream(owner_segment)
                .to_string()
                .replace(' ', "")
                .replace("::<", "<");
            if owner_segment.arguments.is_empty() {
                ty.push_str("<64>");
            }
            let pick = keyed_pick.map_or_else(
                || "(&host)".to_owned(),
                |pick| format!("({})", written_args(&pick.args)),
            );
            format!(
                "a keyed table is shared by the calls that use it, so it lives in a `static`: declare `static {name}: {ty} = {};` and write `{key} = {name}.key{pick}`",
                crate::errors::written(table)
            )
        }
        _ => return,
    };
    errors.push(syn::Error::new_spanned(value, message));
}

fn written_args(args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>) -> String {
    quote::ToTokens::to_token_stream(args)
        .to_string()
        .replace("& ", "&")
        .replace(" ,", ",")
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
    let hooks = ["before", "after", "before_sleep", "on_finish"];
    for (written, referent) in closures_taking_a_reference(entries, &hooks) {
        if same_tokens(referent, &error_type) {
            errors.error(
                written.span(),
                format!(
                    "a hook takes the retry state, not the error: write `|state| ...` and read the error with `state.error()` (an `Option<&{}>`)",
                    crate::function::written(&error_type)
                ),
            );
        }
    }
}

/// A `retry_if` closure whose parameter is written as the function's whole return type: a
/// condition takes the error (`&E`); an `Ok` value is `retry_if_ok`'s. Exact: `&Result<T, E>` as
/// written is never `&E`.
pub(crate) fn condition_taking_the_outcome(
    entries: &[crate::args::Entry],
    sig: &syn::Signature,
    errors: &mut Errors,
) {
    let syn::ReturnType::Type(_, output) = &sig.output else {
        return;
    };
    let Some(error_type) = written_error_type(sig) else {
        return;
    };
    for (written, referent) in closures_taking_a_reference(entries, &["retry_if"]) {
        if same_tokens(referent, output) {
            errors.push(syn::Error::new_spanned(
                written,
                format!(
                    "a condition's closure takes the error, not the whole outcome: write `|error: &{}| ...`; to retry some `Ok` values, add `retry_if_ok = |value| ...`",
                    crate::function::written(&error_type)
                ),
            ));
        }
    }
}

/// For each value of `keys` written as a closure whose first parameter is typed `&T`: that type
/// as written, and `T`.
fn closures_taking_a_reference<'a>(
    entries: &'a [crate::args::Entry],
    keys: &'a [&str],
) -> impl Iterator<Item = (&'a syn::Type, &'a syn::Type)> {
    entries.iter().filter_map(move |entry| {
        let crate::args::Entry::Value { key, value } = entry else {
            return None;
        };
        if !keys.iter().any(|wanted| key == wanted) {
            return None;
        }
        let Expr::Closure(closure) = value else {
            return None;
        };
        let Some(syn::Pat::Type(typed)) = closure.inputs.first() else {
            return None;
        };
        match &*typed.ty {
            syn::Type::Reference(reference) => Some((&*typed.ty, &*reference.elem)),
            _ => None,
        }
    })
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
