//! Lowering one attribute value to plain Rust. The macro handles spelling only; what a name means,
//! and whether a value is a strategy at all, is left to the runtime and the compiler.
//!
//! ```text
//! wait = exponential(min = 4s, max = 10s)
//!     ==>  { use #rt::names::wait::*; exponential().min(Duration::new(4, 0)).max(Duration::new(10, 0)) }
//! wait = chain(fixed(1s), fixed(5s))        ==>  ... chain((fixed(..), fixed(..)))
//! retry_if = error_type::<io::Error>()      ==>  ... error_type::<io::Error, _>()
//! stop = attempts(3) | |state| state.elapsed() > LIMIT
//!     ==>  ... attempts(3) | #rt::stop_from_fn(|state| ...)
//! ```
//!
//! - Every name the runtime's family module makes public is in scope, by a glob import around
//!   the value, below the user's own names (see `scope`): the macro keeps no list of strategies.
//! - `name = value` arguments of any call are settings: `f(a, k = v)` is `f(a).k(v)`, whoever
//!   wrote `f`.
//! - Duration literals are rewritten everywhere, inside closures and macro calls included.
//! - Two spellings the runtime cannot express as functions: `chain(a, b, ..)` packs its members
//!   into the tuple the runtime's `chain` takes, and `error_type::<X>()` gets the inferred
//!   second type argument (the error's shape) that the runtime's `error_type` needs.
//! - A few literal checks: `attempts(0)`, a literal `min` above a literal `max`, an empty
//!   `chain()`.

use crate::walk::{WalkMut, WalkerMut};
use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::visit_mut;
use syn::{
    BinOp, Expr, ExprAssign, ExprCall, ExprLit, ExprPath, GenericArgument, Ident, Lit,
    PathArguments, UnOp,
};

use crate::duration;
use crate::errors::Errors;
use crate::macro_call;
use crate::respan::respan;

/// Which family of names a key takes: the runtime module its value sees by plain name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Family {
    Stop,
    Wait,
    Condition,
    Hook,
    /// `hedge = ...`: only its names (its spelling is not rewritten as a family's).
    Hedge,
    /// `nested = ...`: only its names.
    Nested,
    /// `retry_if_ok = ...` (not a closure): only its names, which tell a condition to go in
    /// `retry_if`.
    OkPredicate,
    /// `on_give_up = ...`: only the level names and a `log` that tells a hook to go in
    /// `on_finish`.
    GiveUp,
    /// `log(..)` as a whole `stop`, `wait` or `retry_if`: the key's names, the level names and
    /// a `log` that tells a hook to go in a hook's key; the module holding them.
    LogIn(&'static str),
}

impl Family {
    pub(crate) fn module(self) -> &'static str {
        match self {
            Family::Stop => "stop",
            Family::Wait => "wait",
            Family::Condition => "condition",
            Family::Hook => "hook",
            Family::Hedge => "hedge",
            Family::Nested => "nested",
            Family::OkPredicate => "retry_if_ok",
            Family::GiveUp => "give_up",
            Family::LogIn(module) => module,
        }
    }
}

/// A name or path on its own (`never`, `errors::is_fatal`), the operand `operand` may call.
pub(crate) fn is_bare_path(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(path) if path.qself.is_none())
}

/// `expr` without the parentheses and invisible groups (a macro's `expr` fragment) around it.
pub(crate) fn strip_groups(mut expr: &Expr) -> &Expr {
    while let Expr::Paren(syn::ExprParen { expr: inner, .. })
    | Expr::Group(syn::ExprGroup { expr: inner, .. }) = expr
    {
        expr = inner;
    }
    expr
}

/// A wait's sum that starts with durations written in place (`250ms + fixed(1s)`): the durations
/// become `fixed(..)` of them, a wait that waits the same, since `Duration + Fixed` is no sum
/// Rust knows (a `Duration` is a wait, and a wait adds anything on its right). Only the value's
/// own operators are read, through parentheses; a sum of durations alone stays a `Duration`.
///
/// ```text
/// wait = 250ms + fixed(1s)   ==>   wait = #rt::leading_fixed(250ms) + fixed(1s)
/// ```
fn fix_leading_durations(expr: &mut Expr, runtime: &TokenStream) {
    match expr {
        Expr::Paren(paren) => fix_leading_durations(&mut paren.expr, runtime),
        Expr::Group(group) => fix_leading_durations(&mut group.expr, runtime),
        Expr::Binary(binary) if matches!(binary.op, BinOp::Add(_)) => {
            if only_durations(&binary.left) && !only_durations(&binary.right) {
                // Without its parentheses, which an argument does not need.
                let left = strip_groups(&binary.left);
                let span = left.span();
                let runtime = respan(runtime.clone(), span);
                // A name no glob of the value's brings, for `unused_qualifications`.
                if let Ok(fixed) =
                    syn::parse2(quote_spanned!(span=> #runtime::leading_fixed(#left)))
                {
                    *binary.left = fixed;
                }
            } else {
                fix_leading_durations(&mut binary.left, runtime);
            }
            fix_leading_durations(&mut binary.right, runtime);
        }
        _ => {}
    }
}

/// A duration literal (`250ms`), or a sum of them, in parentheses or not.
fn only_durations(expr: &Expr) -> bool {
    match strip_groups(expr) {
        Expr::Lit(ExprLit { lit, attrs }) => attrs.is_empty() && duration::value(lit).is_some(),
        Expr::Binary(binary) if matches!(binary.op, BinOp::Add(_)) => {
            only_durations(&binary.left) && only_durations(&binary.right)
        }
        _ => false,
    }
}

/// The local holding the function's outcome type ([`lower`] says when a value reads it).
pub(crate) fn outcome_type(at: Span) -> Ident {
    Ident::new("__outcome_type", Span::mixed_site().located_at(at))
}

/// Rewrites the spelling of one value in place. Returns whether the value reads the local
/// [`outcome_type`], which the expansion then defines.
///
/// `family`: the family whose names the value sees; `None` in the keys that see none, where a
/// runtime name is reached only through the user's imports, and only `policy = ..` builds
/// something the runtime's waits, stops and conditions may go into (`policy_key`).
///
/// `callees`: the function's parameters, whose calls in a condition are the user's own closures
/// (`make()` with `make: impl FnMut() -> C`), and whether the function is a safe one, outside of
/// which an `unsafe fn` may be called bare; the other calls with no arguments in a condition
/// are checked (see [`Lowering::called_without_arguments`]); and whether the expansion writes the
/// values twice, where a check's items would report its error twice.
pub(crate) fn lower(
    expr: &mut Expr,
    family: Option<Family>,
    policy_key: bool,
    runtime: &TokenStream,
    callees: (&[Ident], bool, bool),
    errors: &mut Errors,
) -> bool {
    let (parameters, safe, written_twice) = callees;
    let mut lowering = Lowering {
        family,
        policy_key,
        runtime,
        errors,
        reads_outcome_type: false,
        top: true,
        parameters,
        safe,
        written_twice,
        in_unsafe: !safe,
    };
    if family == Some(Family::Wait) {
        fix_leading_durations(expr, runtime);
    }
    lowering.visit_expr_mut(expr);
    if matches!(
        family,
        Some(Family::Stop | Family::Wait | Family::Condition)
    ) {
        lowering.call_bare_operands(expr);
    }
    lowering.reads_outcome_type
}

struct Lowering<'a> {
    family: Option<Family>,
    /// Whether this is `policy = ..`'s value (see [`lower`]).
    policy_key: bool,
    runtime: &'a TokenStream,
    errors: &'a mut Errors,
    reads_outcome_type: bool,
    /// Whether the expression being visited is the value itself, or an operand of its
    /// condition operators (`|`, `&`, `!`) down from it: a part of the value as a whole.
    top: bool,
    /// The function's parameters, and whether it is a safe function (see [`lower`]).
    parameters: &'a [Ident],
    safe: bool,
    /// Whether the expansion writes the values twice (where the policy is made before an
    /// attempt, and after a failure).
    written_twice: bool,
    /// Whether the part being visited is in an `unsafe` block or function, where a maker of the
    /// user's may be an `unsafe fn`, which no `Fn` bound takes.
    in_unsafe: bool,
}

/// `exponential(4s, 10s)`: durations given in place to a wait maker of the runtime's names,
/// which take their settings by name. The error to report if the maker is the runtime's: what
/// to write, the durations named as the maker's settings in their usual order.
fn settings_in_place(name: &str, positional: &[Expr]) -> Option<String> {
    let names: &[&str] = match (name, positional.len()) {
        ("exponential" | "random_exponential", 1) => &["max"],
        ("exponential" | "random_exponential", 2) => &["min", "max"],
        ("exponential" | "random_exponential", _) => &["multiplier", "min", "max"],
        ("exponential_jitter", 1) => &["max"],
        ("exponential_jitter", 2) => &["multiplier", "max"],
        ("exponential_jitter", _) => &["multiplier", "max", "jitter"],
        ("incrementing", 1) => &["increment"],
        ("incrementing", 2) => &["start", "increment"],
        ("incrementing", _) => &["start", "increment", "max"],
        ("decorrelated_jitter", 1) => &["initial"],
        ("decorrelated_jitter", _) => &["initial", "max"],
        _ => return None,
    };
    if positional.len() > names.len() {
        return None;
    }
    let durations: Vec<String> = positional
        .iter()
        .map(|arg| match arg {
            Expr::Lit(ExprLit { lit, attrs }) if attrs.is_empty() => {
                matches!(duration::value(lit), Some(Ok(_))).then(|| crate::errors::written(lit))
            }
            _ => None,
        })
        .collect::<Option<_>>()?;
    let written: Vec<String> = names
        .iter()
        .zip(&durations)
        .map(|(setting, duration)| format!("{setting} = {duration}"))
        .collect();
    Some(format!(
        "`{name}` takes its settings by name, not in place: write `{name}({})`",
        written.join(", ")
    ))
}

/// Calls `func` with `arguments` where it takes them (a function of the user's of that name);
/// otherwise (the runtime's maker, which takes none) the one error is a bound of the
/// expansion's, saying what to write. The call goes through an inherent method whose impl asks
/// `func` to take the arguments, else through a trait's method of the same name for a maker that
/// takes none, whose bound no type meets.
///
/// ```text
/// exponential(4s, 10s)   ==>   { struct Probe(F, Args); impl<F: Takes<Args>> Probe { fn call } ..;
///                                Probe(exponential, (4s, 10s)).call() }
/// ```
fn call_in_place(func: &Expr, arguments: &[Expr], message: &str, span: Span) -> TokenStream {
    let hygienic = |name: &str| Ident::new(name, Span::mixed_site().located_at(span));
    let (probe, takes, make, call) = (
        hygienic("__PersevereInPlace"),
        hygienic("__PersevereTakes"),
        hygienic("__persevere_make"),
        hygienic("__persevere_call"),
    );
    let (refused, elsewise, made) = (
        hygienic("__PersevereSettingsInPlace"),
        hygienic("__PersevereElsewise"),
        hygienic("__PersevereMade"),
    );
    let types: Vec<Ident> = (0..arguments.len())
        .map(|index| hygienic(&format!("__PersevereArgument{index}")))
        .collect();
    let values: Vec<Ident> = (0..arguments.len())
        .map(|index| hygienic(&format!("__persevere_argument{index}")))
        .collect();
    quote_spanned! {span=> ({
        struct #probe<F, Arguments>(F, Arguments);
        trait #takes<Arguments> {
            type Made;
            fn #make(self, arguments: Arguments) -> Self::Made;
        }
        impl<F: FnOnce(#(#types),*) -> #made, #(#types,)* #made> #takes<(#(#types,)*)> for F {
            type Made = #made;
            fn #make(self, (#(#values,)*): (#(#types,)*)) -> #made {
                self(#(#values),*)
            }
        }
        impl<F: #takes<Arguments>, Arguments> #probe<F, Arguments> {
            fn #call(self) -> F::Made {
                self.0.#make(self.1)
            }
        }
        #[diagnostic::on_unimplemented(message = #message, label = "settings in place")]
        trait #refused {}
        // Makes the maker's strategy without the arguments, so that nothing after the one
        // error is reported too.
        trait #elsewise {
            type Made;
            fn #call(self) -> Self::Made where Self: #refused;
        }
        impl<F: FnOnce() -> #made, #made, Arguments> #elsewise for #probe<F, Arguments> {
            type Made = #made;
            fn #call(self) -> #made where Self: #refused {
                (self.0)()
            }
        }
        #probe(#func, (#(#arguments,)*)).#call()
    })}
}

/// Whether `receiver` is a chain of method calls on a call of a wait maker of the runtime's
/// names (`exponential(..).max(1s)`): a value, not a `&mut` (on which a stand-in taking `&mut
/// self` would come before a method of the user's taking `&self`).
fn made_by_a_maker(receiver: &Expr) -> bool {
    match receiver {
        Expr::MethodCall(call) => made_by_a_maker(&call.receiver),
        Expr::Call(call) => single_ident(&call.func).is_some_and(|name| {
            [
                "exponential",
                "random_exponential",
                "exponential_jitter",
                "incrementing",
                "random",
                "decorrelated_jitter",
                "any_error",
            ]
            .iter()
            .any(|maker| name == maker)
        }),
        _ => false,
    }
}

/// The settings other libraries give the runtime's waits (and tenacity's message condition),
/// which the runtime's `foreign_settings` answer with the name to write here.
const FOREIGN_SETTINGS: &[&str] = &[
    "max_delay",
    "maximum",
    "cap",
    "max_interval",
    "min_delay",
    "minimum",
    "exp_base",
    "factor",
    "initial",
    "start",
    "initial_delay",
    "initial_interval",
    "max_retries",
    "max_times",
    "max_attempts",
    "jitter",
    "step",
    "low",
    "high",
    "base",
    "message",
];

impl WalkMut for Lowering<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let top = std::mem::replace(&mut self.top, false);
        // A condition's operands are parts of the value as a whole too.
        self.top = top
            && self.family == Some(Family::Condition)
            && match &*expr {
                // A macro's `expr` fragment, in its invisible group.
                Expr::Paren(_) | Expr::Group(_) => true,
                Expr::Binary(binary) => matches!(binary.op, BinOp::BitOr(_) | BinOp::BitAnd(_)),
                Expr::Unary(unary) => matches!(unary.op, UnOp::Not(_)),
                _ => false,
            };
        self.visit_part(expr, top);
        self.top = top;
    }
}

impl Lowering<'_> {
    fn visit_part(&mut self, expr: &mut Expr, top: bool) {
        match expr {
            // The user's own code: only its duration literals change.
            Expr::Closure(_) => duration::lower(expr, self.runtime, self.errors),
            Expr::Unsafe(_) => {
                let outer = std::mem::replace(&mut self.in_unsafe, true);
                visit_mut::visit_expr_mut(&mut WalkerMut(self), expr);
                self.in_unsafe = outer;
            }
            Expr::Lit(ExprLit { lit, attrs }) if attrs.is_empty() => {
                if let Some(result) = duration::value(lit) {
                    match result {
                        Ok(nanos) => {
                            *expr =
                                Expr::Verbatim(duration::tokens(nanos, lit.span(), self.runtime))
                        }
                        Err(error) => self.errors.push(error),
                    }
                }
            }
            // A macro given a list of expressions: each is lowered as the value's own
            // (`vec![exponential(max = 1s)]`); other tokens get their durations only.
            Expr::Macro(call) => match macro_call::arguments(&call.mac) {
                Some(mut arguments) => {
                    for argument in arguments.iter_mut() {
                        self.visit_expr_mut(argument);
                    }
                    call.mac.tokens = macro_call::tokens(&arguments);
                }
                None => duration::lower(expr, self.runtime, self.errors),
            },
            // `error_type::<X>` named without its parentheses, as `stop = never` is: completed
            // like the call, then called by the value's check.
            Expr::Path(path)
                if path.path.segments.len() == 1
                    && path.path.segments[0].ident == "error_type"
                    && self.may_be_runtimes(Family::Condition) =>
            {
                complete_error_type(expr);
            }
            Expr::Call(call) if top && self.called_without_arguments(call) => {
                *expr = Expr::Verbatim(self.call_taking_nothing(call));
            }
            Expr::Call(call) => {
                if let Some(lowered) = self.lower_call(call) {
                    *expr = Expr::Verbatim(lowered);
                }
            }
            // `exponential().jitter(1s)`: another library's name for a setting, as a method,
            // answers as it does by name (`exponential(jitter = 1s)`). On a value a call makes
            // only: the stand-ins take `&mut self`, so that a method of the user's of the name
            // (by value, or `&self`) comes first, which it would not on a `&mut` receiver.
            Expr::MethodCall(call)
                if FOREIGN_SETTINGS.contains(&call.method.to_string().as_str())
                    && call.turbofish.is_none()
                    && made_by_a_maker(&call.receiver)
                    && matches!(self.family, Some(Family::Wait | Family::Condition)) =>
            {
                visit_mut::visit_expr_method_call_mut(&mut WalkerMut(self), call);
                let span = call.span();
                *expr = Expr::Verbatim(self.with_foreign_settings(call.to_token_stream(), span));
            }
            // `when(..).or_when(|e| .., ..)`: the case's closure is typed as `when`'s is.
            Expr::MethodCall(call) if call.method == "or_when" => {
                visit_mut::visit_expr_method_call_mut(&mut WalkerMut(self), call);
                if let Some(first) = call.args.first_mut() {
                    self.type_outcome_closure("when", first);
                }
            }
            Expr::Binary(binary)
                if matches!(
                    self.family,
                    Some(Family::Stop | Family::Wait | Family::Condition)
                ) =>
            {
                visit_mut::visit_expr_binary_mut(&mut WalkerMut(self), binary);
                // A closure beside `|`, `&` or `+` gets its parameter type from `from_fn`, or
                // a condition's from the function's outcome type.
                self.type_closure(&mut binary.left);
                self.type_closure(&mut binary.right);
            }
            Expr::Unary(unary)
                if matches!(unary.op, UnOp::Not(_)) && self.family == Some(Family::Condition) =>
            {
                visit_mut::visit_expr_unary_mut(&mut WalkerMut(self), unary);
                self.type_closure(&mut unary.expr);
            }
            // `-1s`: no duration is negative.
            Expr::Unary(unary)
                if matches!(unary.op, UnOp::Neg(_))
                    && matches!(&*unary.expr, Expr::Lit(ExprLit { lit, .. })
                        if duration::value(lit).is_some_and(|value| value.is_ok())) =>
            {
                let zero = if self.family == Some(Family::Wait) {
                    " (a wait of zero is `0s`)"
                } else {
                    ""
                };
                self.errors.error(
                    unary.op.span(),
                    format!("a duration cannot be negative: write it without `-`{zero}"),
                );
            }
            _ => visit_mut::visit_expr_mut(&mut WalkerMut(self), expr),
        }
    }

    /// `retry_if = is_transient()`: a call with no arguments, of a path, as a condition (or an
    /// operand of one). Most such calls make a condition (`any_error()`), but a predicate on
    /// the error called rather than named is the commonest mistake of all, which rustc reports
    /// twice (a missing argument, then `bool` for a condition).
    fn called_without_arguments(&self, call: &ExprCall) -> bool {
        let parameter = single_ident(&call.func).is_some_and(|name| {
            self.parameters
                .iter()
                .any(|parameter| parameter.unraw() == name.unraw())
        });
        self.family == Some(Family::Condition)
            && self.safe
            && !parameter
            && call.args.is_empty()
            && call.attrs.is_empty()
            // Not `error_type::<X>()`: one given its type arguments is a maker, not a predicate,
            // and naming it before the call would report its unmet bounds twice.
            && matches!(&*call.func, Expr::Path(path) if path.qself.is_none()
                && path.path.segments.iter().all(|segment| segment.arguments.is_none()))
    }

    /// The call through the runtime's `CalledBare`: a function taking nothing is called as written;
    /// any other is one error at the call, naming its signature (see the runtime's `CalledBare`).
    ///
    /// ```text
    /// is_transient()   ==>   (&&#rt::CalledBare(&is_transient)).__persevere_call()
    /// ```
    fn call_taking_nothing(&mut self, call: &mut ExprCall) -> TokenStream {
        let func = &call.func;
        let span = call.span();
        // At the call, so that an error is reported there. Not in a block of its own: the
        // type a block gives a `!` in front of it is not yet known (the method's trait is in the
        // condition's names).
        let runtime = respan(self.runtime.clone(), span);
        quote_spanned! {span=> (&&#runtime::CalledBare(&#func)).__persevere_call()}
    }

    /// `lowered` where other libraries' names for settings answer with the name to write. In
    /// parentheses (the expansion's, which `unused_parens` leaves alone), so that a block at the
    /// start of a statement (`if fast { exponential(max = 1s) + 1ms } ..`) is not read as one.
    /// The `use` keeps its path's own resolution: at the user's, an edition 2015 crate would
    /// resolve it from its root.
    fn with_foreign_settings(&self, lowered: TokenStream, span: Span) -> TokenStream {
        let runtime = crate::respan::relocate(self.runtime.clone(), span);
        let block = quote_spanned! {span=> {
            #[allow(unused_imports, clippy::wildcard_imports)]
            use #runtime::foreign_settings::*;
            #lowered
        }};
        let mut parenthesized = Group::new(Delimiter::Parenthesis, block);
        parenthesized.set_span(Span::mixed_site().located_at(span));
        parenthesized.into_token_stream()
    }

    /// Whether `family`'s runtime name could be what a call by that name reaches here: in the
    /// value of that family's key, or in `policy = ..` (where the user may have imported it).
    /// Elsewhere the name is surely the user's, and is read as written.
    fn may_be_runtimes(&self, family: Family) -> bool {
        match self.family {
            Some(own) => own == family,
            None => self.policy_key,
        }
    }

    /// Wraps a closure in the family's `from_fn`, which gives it its parameter type; a closure
    /// that is the whole value gets a typed helper from the expansion instead. A condition's
    /// closure takes the error, whose type only the function's return type says: it is typed by
    /// the local [`outcome_type`], defined outside the value's scopes, where the return type's
    /// names mean what they mean in the signature.
    ///
    /// ```text
    /// retry_if = never() | |e| e.is_transient()
    ///     ==>  never() | #rt::outcome_type::on_error_of(&__outcome_type, |e| e.is_transient())
    /// ```
    fn type_closure(&mut self, expr: &mut Expr) {
        // `attempts(5) | (|s| ..)`: the closure in its parentheses, or a macro's fragment.
        if let Expr::Paren(syn::ExprParen { expr: inner, .. })
        | Expr::Group(syn::ExprGroup { expr: inner, .. }) = expr
            && matches!(strip_groups(inner), Expr::Closure(_))
        {
            return self.type_closure(inner);
        }
        if let (Expr::Closure(closure), Some(family)) = (&*expr, self.family) {
            let span = closure.span();
            let runtime = respan(self.runtime.clone(), span);
            if family == Family::Condition {
                let outcome_type = outcome_type(span);
                self.reads_outcome_type = true;
                *expr = Expr::Verbatim(quote_spanned!(span=>
                    #runtime::outcome_type::on_error_of(&#outcome_type, #closure)
                ));
                return;
            }
            // Names no glob of the value's brings, for `unused_qualifications`.
            let from_fn = match family {
                Family::Stop => Ident::new("stop_from_fn", span),
                Family::Wait => Ident::new("wait_from_fn", span),
                _ => return,
            };
            *expr = Expr::Verbatim(quote_spanned!(span=> #runtime::#from_fn(#closure)));
        }
    }

    /// The closure given to `on_error(..)`, `on_ok(..)` (in `retry_if`), `from_error(..)`,
    /// `when(..)` or `.or_when(..)` (in `wait`) takes the function's error (or `Ok` value), whose
    /// type only the return type says: written without its parameter's type, it is typed by the
    /// local [`outcome_type`] as it stands, and handed on unchanged.
    ///
    /// ```text
    /// retry_if = on_error(|e| e.is_transient())
    ///     ==>  on_error(#rt::outcome_type::taking_error(&__outcome_type, |e| e.is_transient()))
    /// ```
    fn type_outcome_closure(&mut self, name: &str, argument: &mut Expr) {
        let helper = match (self.family, name) {
            (Some(Family::Condition), "on_error") | (Some(Family::Wait), "from_error" | "when") => {
                "taking_error"
            }
            (Some(Family::Condition), "on_ok") => "taking_ok",
            _ => return,
        };
        let Expr::Closure(closure) = argument else {
            return;
        };
        if closure.inputs.len() != 1 || matches!(closure.inputs[0], syn::Pat::Type(_)) {
            return;
        }
        let span = closure.span();
        let runtime = respan(self.runtime.clone(), span);
        let helper = Ident::new(helper, span);
        let outcome_type = outcome_type(span);
        self.reads_outcome_type = true;
        *argument = Expr::Verbatim(quote_spanned!(span=>
            #runtime::outcome_type::#helper(&#outcome_type, #closure)
        ));
    }

    /// The operands of the operators that combine the value's strategies (`|`, `&`, `+`, and a
    /// condition's `!`, through parentheses, not inside calls, blocks or closures): each bare
    /// name among them goes through the runtime's `operand`, which calls a function of no
    /// arguments, as a whole value is called (`attempts(3) | never`), makes a condition's
    /// predicate on the error `on_error(..)` of it (`is_timeout | is_fatal`, `!is_fatal`), and
    /// keeps any other value as it is.
    ///
    /// ```text
    /// attempts(3) | never
    ///     ==>  attempts(3) | ({ match #rt::operand::Operand(never) {
    ///              operand => (&operand).__persevere_operand().pick(operand),
    ///          } })
    /// !is_fatal
    ///     ==>  #rt::operand::not(({ match #rt::operand::Operand(is_fatal) { .. } }))
    /// ```
    fn call_bare_operands(&self, expr: &mut Expr) {
        match expr {
            // A condition's `!` takes a predicate too (`!is_fatal`, `!(is_fatal | is_bad)`).
            Expr::Unary(unary)
                if matches!(unary.op, UnOp::Not(_)) && self.family == Some(Family::Condition) =>
            {
                let operand = strip_groups(&unary.expr);
                if !is_bare_path(operand) && !crate::scope::is_read(operand) {
                    return self.call_bare_operands(&mut unary.expr);
                }
                // Negated by a function: `!` would hand its operand the type expected of the
                // whole, and the block would take it before `!` applies.
                let span = unary.span();
                let runtime = respan(self.runtime.clone(), span);
                self.call_operand(&mut unary.expr);
                let operand = &unary.expr;
                *expr = Expr::Verbatim(quote_spanned!(span=> #runtime::operand::not(#operand)));
            }
            Expr::Binary(binary)
                if matches!(
                    binary.op,
                    BinOp::BitOr(_) | BinOp::BitAnd(_) | BinOp::Add(_)
                ) =>
            {
                self.call_operand(&mut binary.left);
                self.call_operand(&mut binary.right);
            }
            Expr::Paren(paren) => self.call_bare_operands(&mut paren.expr),
            // A macro's `expr` fragment, in its invisible group.
            Expr::Group(group) => self.call_bare_operands(&mut group.expr),
            _ => {}
        }
    }

    fn call_operand(&self, expr: &mut Expr) {
        // `(base) + ..`, or a macro's `expr` fragment in its invisible group: the operand inside.
        if let Expr::Paren(syn::ExprParen { expr: inner, .. })
        | Expr::Group(syn::ExprGroup { expr: inner, .. }) = expr
        {
            return self.call_operand(inner);
        }
        // A parameter is a name on its own too (`d + random(0s, 1s)` with `d: Duration`).
        if !is_bare_path(expr) && !crate::scope::is_read(expr) {
            return self.call_bare_operands(expr);
        }
        let span = expr.span();
        let runtime = respan(self.runtime.clone(), span);
        // The `use` keeps its path's own resolution: at the user's, an edition 2015 crate
        // would resolve it from its root.
        let use_runtime = crate::respan::relocate(self.runtime.clone(), span);
        let operand = Ident::new("__persevere_operand", Span::mixed_site().located_at(span));
        // A condition's operand may also be a predicate on the error, a stop's or a wait's a
        // function of the retry state, a wait's a `Duration`.
        let predicate = match self.family {
            Some(Family::Condition) => Some(quote_spanned!(span=> Predicate as _,)),
            Some(Family::Stop) => Some(quote_spanned!(span=> StateStop as _,)),
            Some(Family::Wait) => Some(quote_spanned!(span=> DurationWait as _, StateWait as _,)),
            _ => None,
        };
        // In parentheses: a block first in a statement would end it.
        *expr = Expr::Verbatim(quote_spanned! {span=> ({
            #[allow(unused_imports)]
            use #use_runtime::operand::{Call as _, Keep as _, #predicate};
            match #runtime::operand::Operand(#expr) {
                #operand => (&#operand).__persevere_operand().pick(#operand),
            }
        })});
    }

    /// A call: positional arguments stay, `name = value` arguments become setters. `None` when
    /// nothing needed rewriting beyond the arguments themselves (or when the call is in error).
    fn lower_call(&mut self, call: &mut ExprCall) -> Option<TokenStream> {
        let name = single_ident(&call.func).map(ToString::to_string);
        // The names read as the runtime's, where they may be its.
        let chain = name.as_deref() == Some("chain") && self.may_be_runtimes(Family::Wait);
        let error_type =
            name.as_deref() == Some("error_type") && self.may_be_runtimes(Family::Condition);
        let mut positional = Vec::new();
        let mut settings: Vec<(Ident, Expr)> = Vec::new();
        let mut ok = true;
        for arg in std::mem::take(&mut call.args) {
            match arg {
                Expr::Assign(ExprAssign { left, right, .. }) => match single_ident(&left) {
                    Some(setting) if is_keyword(setting) => {
                        self.errors.error(
                            setting.span(),
                            format!("`{setting}` is a keyword, not a setting; a setting is named by a method of the strategy, as in `max = 10s`"),
                        );
                        ok = false;
                    }
                    Some(setting) => {
                        if settings.iter().any(|(seen, _)| seen == setting) {
                            self.errors
                                .error(setting.span(), format!("`{setting}` is given twice"));
                            ok = false;
                        }
                        settings.push((setting.clone(), *right));
                    }
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
                        "positional arguments come before named settings; write `f(a, b, name = value)`",
                    );
                    ok = false;
                }
            }
        }
        ok &= self.check_literals(name.as_deref(), &positional, &settings, call);
        if !ok {
            return None;
        }
        // Not where the value is written twice: the check's items, one set in each copy, would
        // report it twice (rustc's own count error is reported once).
        let in_place = (settings.is_empty() && !self.in_unsafe && !self.written_twice)
            .then(|| settings_in_place(name.as_deref()?, &positional))
            .flatten()
            .filter(|_| self.may_be_runtimes(Family::Wait));
        self.visit_expr_mut(&mut call.func);
        for arg in positional.iter_mut() {
            self.visit_expr_mut(arg);
            if chain {
                self.type_closure(arg);
            }
        }
        if let (Some(name), Some(first)) = (name.as_deref(), positional.first_mut()) {
            self.type_outcome_closure(name, first);
        }
        for (_, value) in settings.iter_mut() {
            self.visit_expr_mut(value);
        }
        if error_type {
            complete_error_type(&mut call.func);
        }
        let func = &call.func;
        let span = call.func.span();
        let arguments = if chain {
            // The runtime's `chain` takes its members as one tuple.
            quote_spanned!(span=> (#(#positional,)*))
        } else {
            quote!(#(#positional),*)
        };
        // The call's own parentheses: rustc's suggestions that rewrite the arguments
        // (`random(/* Duration */, /* Duration */)`) replace them rather than follow the name.
        let mut arguments = Group::new(Delimiter::Parenthesis, arguments);
        arguments.set_span(call.paren_token.span.join());
        // Only named settings: the strategy starts from `f()`, or from its `Default` when `f`
        // has parameters (`random(min = 1s, max = 3s)`).
        let mut lowered = if positional.is_empty() && !settings.is_empty() {
            let runtime = respan(self.runtime.clone(), span);
            quote_spanned!(span=> #runtime::named(#func))
        } else if let Some(message) = in_place {
            call_in_place(func, &positional, &message, span)
        } else {
            quote_spanned!(span=> #func #arguments)
        };
        for (setting, value) in &settings {
            lowered = quote_spanned!(setting.span()=> #lowered.#setting(#value));
        }
        // Other libraries' names for a wait's (or tenacity's condition's) settings answer with
        // the name to write, here only. The `use` keeps its path's own resolution: at the
        // user's, an edition 2015 crate would resolve it from its root.
        if !settings.is_empty() && matches!(self.family, Some(Family::Wait | Family::Condition)) {
            lowered = self.with_foreign_settings(lowered, span);
        }
        Some(lowered)
    }

    /// Compile-time checks on literal arguments.
    fn check_literals(
        &mut self,
        name: Option<&str>,
        positional: &[Expr],
        settings: &[(Ident, Expr)],
        call: &ExprCall,
    ) -> bool {
        let mut ok = true;
        if name == Some("attempts")
            && self.may_be_runtimes(Family::Stop)
            && let [
                Expr::Lit(ExprLit {
                    lit: Lit::Int(n), ..
                }),
            ] = positional
            && n.base10_digits() == "0"
        {
            self.errors.error(
                n.span(),
                "`attempts(0)` cannot be honoured: the count includes the first call, which always happens; write `attempts(1)` or more",
            );
            ok = false;
        }
        // `error_type(io::Error)`: tenacity's habit of passing the type as a value, also under
        // tenacity's own names (whose stand-ins take none), and a tuple of types.
        let (negated, tenacitys) = match name {
            Some("retry_if_exception_type" | "retry_if_exception_cause_type") => (false, true),
            Some("retry_if_not_exception_type" | "retry_unless_exception_type") => (true, true),
            _ => (false, false),
        };
        let types = match positional {
            [Expr::Tuple(tuple)] if tenacitys => tuple.elems.iter().collect(),
            [Expr::Paren(paren)] if tenacitys => vec![&*paren.expr],
            [one] => vec![one],
            _ => Vec::new(),
        };
        // A path that reads as a type: a name in `CamelCase` (not a constant's capitals) after
        // modules only. `io::ErrorKind::TimedOut`, a variant, or `Kind::ALL`, an associated
        // constant, is a value, which a function of the user's of that name may take.
        let type_paths: Option<Vec<&syn::Path>> = types
            .iter()
            .map(|ty| match ty {
                Expr::Path(ExprPath {
                    path, qself: None, ..
                }) if reads_as_a_type(path) => Some(path),
                _ => None,
            })
            .collect();
        if (name == Some("error_type") || tenacitys)
            && self.may_be_runtimes(Family::Condition)
            && settings.is_empty()
            && let Some(type_paths) = type_paths.filter(|paths| !paths.is_empty())
        {
            // tenacity's cause type looks below the error only; its `unless` retries an `Ok` too.
            let in_causes = if name == Some("retry_if_exception_cause_type") {
                ".in_causes()"
            } else {
                ""
            };
            let conditions: Vec<String> = type_paths
                .iter()
                .map(|path| {
                    format!(
                        "error_type::<{}>(){in_causes}",
                        crate::errors::written(path)
                    )
                })
                .collect();
            let mut written = match (negated, conditions.as_slice()) {
                (true, [one]) => format!("!{one}"),
                (true, _) => format!("!({})", conditions.join(" | ")),
                (false, _) => conditions.join(" | "),
            };
            if name == Some("retry_unless_exception_type") {
                written.push_str(" | on_ok(|_| true)");
            }
            let message = if tenacitys {
                format!(
                    "tenacity's `{}` is written with the error's type as a type argument: `{written}`",
                    name.unwrap_or_default()
                )
            } else {
                format!("`error_type` takes the error's type as a type argument: write `{written}`")
            };
            match positional {
                [Expr::Path(path)] => self.errors.push(syn::Error::new_spanned(path, message)),
                _ => self.errors.error(call.paren_token.span.join(), message),
            }
            ok = false;
        }
        // `statuses(429, 503)`: the runtime's `statuses` takes one list.
        if name == Some("statuses")
            && self.may_be_runtimes(Family::Condition)
            && positional.len() > 1
        {
            let listed: Vec<String> = positional.iter().map(crate::errors::written).collect();
            self.errors.error(
                call.paren_token.span.join(),
                format!(
                    "`statuses` takes one list of statuses: write `statuses([{}])`",
                    listed.join(", ")
                ),
            );
            ok = false;
        }
        if name == Some("chain")
            && self.may_be_runtimes(Family::Wait)
            && positional.is_empty()
            && settings.is_empty()
        {
            self.errors.error(
                call.func.span(),
                "`chain()` needs at least one wait strategy; write `chain(fixed(1s), fixed(5s))`",
            );
            ok = false;
        }
        // `chain([a, b])`: the runtime's `chain` takes its members as arguments (it packs them
        // itself), and no member is a list.
        if name == Some("chain")
            && self.may_be_runtimes(Family::Wait)
            && let [Expr::Array(list)] = positional
            && settings.is_empty()
        {
            let members: Vec<String> = list
                .elems
                .iter()
                .map(|member| quote::ToTokens::to_token_stream(member).to_string())
                .collect();
            self.errors.error(
                list.span(),
                format!(
                    "`chain` takes its waits as arguments, not as a list: write `chain({})`, or `chain_vec(vec![..])` for a list made at run time",
                    members.join(", ")
                ),
            );
            ok = false;
        }
        let literal = |wanted: &str| {
            settings.iter().find_map(|(setting, value)| match value {
                Expr::Lit(ExprLit { lit, .. }) if setting == wanted => {
                    Some((setting.span(), duration::value(lit)))
                }
                _ => None,
            })
        };
        // The floor, or the first wait, written above the cap of one of the runtime's waits
        // (by its name, as `attempts(0)` is): every wait would be the cap.
        let floor = match name {
            Some("exponential" | "random_exponential" | "exponential_jitter" | "random") => {
                Some("min")
            }
            Some("incrementing") => Some("start"),
            Some("decorrelated_jitter") => Some("initial"),
            _ => None,
        };
        if let Some(floor) = floor
            && let (Some((_, Some(Ok(low)))), Some((max_span, Some(Ok(max))))) =
                (literal(floor), literal("max"))
            && self.may_be_runtimes(Family::Wait)
            && low > max
        {
            self.errors.error(
                max_span,
                format!("`{floor}` is greater than `max`; make `max` at least `{floor}`"),
            );
            ok = false;
        }
        // `exponential(base = 2s)`: the growth factor is a number.
        if matches!(
            name,
            Some("exponential" | "random_exponential" | "exponential_jitter")
        ) && self.may_be_runtimes(Family::Wait)
            && let Some((base_span, Some(Ok(_)))) = literal("base")
        {
            self.errors.error(
                base_span,
                "`base` is the growth factor, a number, not a duration: write `base = 2` (each wait is `base` times the one before)",
            );
            ok = false;
        }
        // `random(5s, 1s)`: the bounds written in place.
        if name == Some("random")
            && self.may_be_runtimes(Family::Wait)
            && let [Expr::Lit(low), Expr::Lit(high)] = positional
            && let (Some(Ok(min)), Some(Ok(max))) =
                (duration::value(&low.lit), duration::value(&high.lit))
            && min > max
        {
            self.errors.error(
                high.span(),
                "`random(min, max)` takes the lower bound first; this `max` is less than `min`",
            );
            ok = false;
        }
        ok
    }
}

/// `error_type::<X>` becomes `error_type::<X, _>`: the second argument, how to reach the error's
/// `source()` chain, is inferred from the function's error type.
fn complete_error_type(func: &mut Expr) {
    let Expr::Path(ExprPath { path, .. }) = func else {
        return;
    };
    if let PathArguments::AngleBracketed(generics) = &mut path.segments[0].arguments
        && generics.args.len() == 1
    {
        generics
            .args
            .push(GenericArgument::Type(syn::parse_quote!(_)));
    }
}

/// Whether `ident` is a Rust keyword (or `_`), which cannot name a method or a variable.
pub(crate) fn is_keyword(ident: &Ident) -> bool {
    syn::parse2::<Ident>(quote!(#ident)).is_err()
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

/// Whether `path` reads as a type's path: modules (lowercase), and then a `CamelCase` name, not
/// a constant's capitals (`std::io::Error`, `Timeout`; not `ErrorKind::TimedOut`, `MAX` nor
/// `E`).
fn reads_as_a_type(path: &syn::Path) -> bool {
    let segments: Vec<&syn::PathSegment> = path.segments.iter().collect();
    let Some((last, modules)) = segments.split_last() else {
        return false;
    };
    let name = last.ident.to_string();
    // A single capital may be a variant or a constant as well as a type (`A`, `E`), and
    // `Self::X` a variant as well as an associated type: left to rustc.
    let camel = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().any(|c| c.is_ascii_lowercase());
    camel
        && modules.iter().all(|segment| {
            !segment
                .ident
                .to_string()
                .starts_with(|c: char| c.is_ascii_uppercase())
        })
}
