//! Generating the retry loop around the function's body.
//!
//! ```text
//! #[retry(stop = attempts(4), wait = exponential(min = 4s, max = 10s), retry_if = is_transient)]
//! async fn send(client: &Client, msg: &Message) -> Result<Receipt, SendError> { BODY }
//! ```
//!
//! becomes, keeping the signature and attributes as written:
//!
//! ```text
//! async fn send(client: &Client, msg: &Message) -> Result<Receipt, SendError> {
//!     let __sleeper = #rt::DefaultSleeper;
//!     let __now = #rt::clock_async(&__sleeper);
//!     let __started = #rt::start::<Result<Receipt, SendError>>(&__now, TIMED);
//!     let mut __call = None;
//!     let mut __policy = None;
//!     loop {
//!         let __outcome = async { /* typed unreachable return */ BODY }.await;
//!         if #rt::is_ok::<Result<Receipt, SendError>>(&__outcome) { return __outcome; }
//!         let __rules = __policy.get_or_insert_with(|| #rt::Policy::new().stop(..).wait(..).retry_if(..));
//!         match #rt::settle::<Result<Receipt, SendError>, _>(#rt::call(&mut __call, NAME, __started), __outcome, &*__rules, &__now) {
//!             #rt::Step::Return(__outcome) => return __outcome,
//!             #rt::Step::Sleep(__wait) => if let Some(__s) = #rt::sleep_async(&__sleeper, __wait) { __s.await },
//!         }
//!     }
//! }
//! ```
//!
//! The body runs in a closure (sync) or an async block (async), so `return` and `?` end one
//! attempt. A first-time success reads no clock (unless a time-based part needs the start) and
//! builds neither the call's state nor the policy. Generated locals have mixed-site hygiene: the
//! body cannot see or shadow them.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, ReturnType, Type};

use crate::config::{Config, Value};
use crate::function::{self, RetryFn};
use crate::respan::respan;
use crate::self_alias;

/// A generated local: mixed-site hygiene (the body cannot name it), located at `at` for errors.
fn local(name: &str, at: Span) -> Ident {
    Ident::new(name, Span::mixed_site().located_at(at))
}

/// What every piece of the expansion refers to.
struct Context<'a> {
    config: &'a Config,
    is_async: bool,
    /// The declared return type, written out wherever the expansion needs it named.
    output: Type,
    /// The return type's span. Calls that need it to be a `Result` are spanned here (see
    /// `__private`), so an alias that is not a `Result` gets one error, there.
    at_output: Span,
    /// The runtime's path, and the same path at `at_output`.
    rt: TokenStream,
    rt_out: TokenStream,
    /// The call's name for hooks and log lines: `module::path::function`.
    name: TokenStream,
    call: Ident,
    started: Ident,
    sleeper: Ident,
    /// The sleeper's clock, `Fn() -> Instant`.
    now: Ident,
}

impl Context<'_> {
    /// `clock_sync` or `clock_async`, at the return type.
    fn mode_fn(&self, prefix: &str) -> Ident {
        let mode = if self.is_async { "async" } else { "sync" };
        Ident::new(&format!("{prefix}_{mode}"), self.at_output)
    }
}

pub(crate) fn expand(mut function: RetryFn, config: &Config) -> TokenStream {
    let output: Type = match &function.sig.output {
        ReturnType::Type(_, ty) => (**ty).clone(),
        // Rejected by `function::check`; never expanded.
        ReturnType::Default => syn::parse_quote!(()),
    };
    let at_output = output.span();
    let rt = config.runtime();
    let name = function.sig.ident.to_string();
    let cx = Context {
        config,
        is_async: function.sig.asyncness.is_some(),
        rt_out: respan(rt.clone(), at_output),
        rt,
        output,
        at_output,
        name: quote!(::core::concat!(::core::module_path!(), "::", #name)),
        call: local("__call", at_output),
        started: local("__started", at_output),
        sleeper: local("__sleeper", at_output),
        now: local("__now", at_output),
    };
    let Context {
        rt,
        rt_out,
        output,
        call,
        started,
        sleeper,
        now,
        ..
    } = &cx;
    let policy = local("__policy", cx.at_output);
    let rules = local("__rules", cx.at_output);
    let outcome = local("__outcome", cx.at_output);
    let wait = local("__wait", cx.at_output);

    let (touch_mut, per_attempt) = per_attempt(&cx, &mut function);
    let attempt = attempt(&cx, &function);
    let sleeper_value = sleeper_value(&cx);
    let timed = config.timed();
    let clock = cx.mode_fn("clock");
    let name = &cx.name;
    let state =
        quote_spanned!(cx.at_output=> #rt_out::call::<#output>(&mut #call, #name, #started));

    // The policy is built once per call, on first need: before the first attempt when there is a
    // `before` hook, otherwise once an attempt fails.
    let build = {
        let setters = policy_setters(&cx);
        quote!(let #rules = #policy.get_or_insert_with(|| #rt::Policy::new() #setters);)
    };
    let (build_early, build_late) = if config.before.is_some() {
        let run_before = quote_spanned! {cx.at_output=>
            #rt_out::before::<#output, _>(#state, &*#rules, &#now);
        };
        (quote!(#build #run_before), quote!())
    } else {
        (quote!(), build)
    };
    // The happy path ends here, unless `Ok` values may be retried.
    let return_early = if !config.retries_ok() {
        quote_spanned!(cx.at_output=> if #rt_out::is_ok::<#output>(&#outcome) { return #outcome; })
    } else {
        quote!()
    };
    let sleep = if cx.is_async {
        let sleeping = local("__sleeping", cx.at_output);
        quote! {
            if let ::core::option::Option::Some(#sleeping) = #rt::sleep_async(&#sleeper, #wait) {
                #sleeping.await;
            }
        }
    } else {
        quote!(#rt::sleep_sync(&#sleeper, #wait);)
    };
    let settle = quote_spanned! {cx.at_output=>
        #rt_out::settle::<#output, _>(#state, #outcome, &*#rules, &#now)
    };

    // Inner attributes (`#![allow(...)]` at the top of the body) stay at the top of the body.
    let (inner, outer): (Vec<_>, Vec<_>) = function
        .attrs
        .iter()
        .partition(|attr| matches!(attr.style, syn::AttrStyle::Inner(_)));
    let RetryFn { vis, sig, .. } = &function;
    quote! {
        #(#outer)*
        #vis #sig {
            #(#inner)*
            #touch_mut
            let #sleeper = #sleeper_value;
            let #now = #rt::#clock(&#sleeper);
            let #started = #rt_out::start::<#output>(&#now, #timed);
            // Made only once an attempt fails: a first-time success builds neither.
            let mut #call = ::core::option::Option::None;
            let mut #policy = ::core::option::Option::None;
            loop {
                #per_attempt
                #build_early
                let #outcome = #attempt;
                #return_early
                #build_late
                match #settle {
                    #rt::Step::Return(#outcome) => return #outcome,
                    #rt::Step::Sleep(#wait) => { #sleep }
                }
            }
        }
    }
}

/// What runs before each attempt: the clones of `clone(...)` and the `attempt = name` binding.
/// Also returns what runs once, first: a touch of each cloned `mut` argument, which is otherwise
/// only mutated through its clones and would draw an `unused_mut` warning.
///
/// ```text
/// clone(message, self), attempt = this
///     ==>   let message = Clone::clone(&message); let __self = Clone::clone(&self);
///           let this = #rt::attempt::<R>(&__call, __started, &__now);
/// ```
fn per_attempt(cx: &Context<'_>, function: &mut RetryFn) -> (TokenStream, TokenStream) {
    let Context {
        rt_out,
        output,
        call,
        started,
        now,
        ..
    } = cx;
    let clones = cx.config.clones.iter().map(|ident| {
        let mutability = function::is_mut_binding(&function.sig, ident).then(|| quote!(mut));
        let (binding, source) = if ident == "self" {
            (self_alias::alias(Span::call_site()), quote!(self))
        } else {
            (ident.clone(), quote!(#ident))
        };
        quote!(#[allow(unused_mut)] let #mutability #binding = ::core::clone::Clone::clone(&#source);)
    });
    let touch_mut = cx
        .config
        .clones
        .iter()
        .filter(|ident| *ident != "self" && function::is_mut_binding(&function.sig, ident))
        .map(|ident| quote!(let _ = &mut #ident;));
    if cx.config.clones.iter().any(|ident| ident == "self") {
        self_alias::rename_self(&mut function.block);
    }
    // Bound with the user's own ident, so the body sees it.
    let bind_attempt = cx.config.attempt.as_ref().map(|name| {
        quote_spanned! {cx.at_output=>
            let #name = #rt_out::attempt::<#output>(&#call, #started, &#now);
        }
    });
    (quote!(#(#touch_mut)*), quote!(#(#clones)* #bind_attempt))
}

/// One attempt: the body's statements in a closure (sync) or an async block (async), led by an
/// unreachable `return` of the declared type, so that every `return` and `?` coerces to that type
/// exactly as in the original function. The statements are spliced rather than the block, so a
/// one-expression body draws no `unused_braces` warning.
///
/// ```text
/// { BODY }   ==>   (|| { if false { let __unreachable: R = loop {}; return __unreachable; } BODY })()
/// ```
fn attempt(cx: &Context<'_>, function: &RetryFn) -> TokenStream {
    let output = &cx.output;
    let unreachable = local("__unreachable", cx.at_output);
    let statements = &function.block.stmts;
    let typed_body = quote_spanned! {cx.at_output=>
        {
            #[allow(unreachable_code)]
            if false {
                #[allow(clippy::empty_loop)]
                let #unreachable: #output = loop {};
                return #unreachable;
            }
            #(#statements)*
        }
    };
    if cx.is_async {
        quote!(async #typed_body.await)
    } else {
        quote!((|| #typed_body)())
    }
}

/// The sleeper: `sleep = ...`, or the default. A closure gets its parameter type from a helper.
fn sleeper_value(cx: &Context<'_>) -> TokenStream {
    let rt = &cx.rt;
    match &cx.config.sleep {
        Some(Value {
            expr,
            closure: true,
            ..
        }) if cx.is_async => quote!(#rt::async_sleeper(#expr)),
        Some(Value {
            expr,
            closure: true,
            ..
        }) => quote!(#rt::sync_sleeper(#expr)),
        Some(Value { expr, .. }) => quote!(#expr),
        None => quote!(#rt::DefaultSleeper),
    }
}

/// `.stop(..).wait(..)...` for the keys given. Closures written in the attribute get their
/// parameter types from the function's `Result`; other values are checked against their trait
/// where they are written, and the whole `.setter(value)` sits at the value, so a value of the
/// wrong kind is reported there, once.
///
/// ```text
/// stop = attempts(3), retry_if = |e| e.is_transient()
///     ==>   .stop(#rt::stop_value::<R, _>(#rt::stop::attempts(3)))
///           .retry_if(#rt::error_fn::<R, _>(|e| e.is_transient()))
/// ```
fn policy_setters(cx: &Context<'_>) -> TokenStream {
    let config = cx.config;
    let Context { output, .. } = cx;
    let checked = |value: &Value, closure_helper: &str, value_helper: Option<&str>| {
        let expr = &value.expr;
        let (helper, span) = match (value.closure, value_helper) {
            (true, _) => (closure_helper, cx.at_output),
            (false, None) => return quote!(#expr),
            (false, Some(helper)) => (helper, expr.span()),
        };
        let rt = respan(cx.rt.clone(), span);
        let helper = Ident::new(helper, span);
        quote_spanned!(span=> #rt::#helper::<#output, _>(#expr))
    };
    let keys = [
        ("stop", &config.stop, "stop_fn", Some("stop_value")),
        ("wait", &config.wait, "wait_fn", Some("wait_value")),
        (
            "retry_if",
            &config.retry_if,
            "error_fn",
            Some("condition_value"),
        ),
        // A path here is a predicate on `&T`, which `Policy::retry_if_ok` wraps itself.
        ("retry_if_ok", &config.retry_if_ok, "ok_fn", None),
        ("before", &config.before, "hook_fn", Some("hook_value")),
        ("after", &config.after, "hook_fn", Some("hook_value")),
        (
            "before_sleep",
            &config.before_sleep,
            "hook_fn",
            Some("hook_value"),
        ),
        (
            "on_give_up",
            &config.on_give_up,
            "give_up_fn",
            Some("give_up_value"),
        ),
    ];
    keys.into_iter()
        .filter_map(|(setter, value, closure_helper, value_helper)| {
            let value = value.as_ref()?;
            let span = value.expr.span();
            let checked = checked(value, closure_helper, value_helper);
            let setter = Ident::new(setter, span);
            Some(quote_spanned!(span=> .#setter(#checked)))
        })
        .collect()
}
