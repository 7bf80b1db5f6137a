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
//!     let __started = #rt::start_async::<Result<Receipt, SendError>, _>(&__sleeper, TIMED);
//!     let mut __call = None;
//!     let mut __policy = None;
//!     loop {
//!         let __outcome = async { /* typed unreachable return */ BODY }.await;
//!         if #rt::is_ok::<Result<Receipt, SendError>>(&__outcome) { return __outcome; }
//!         let __rules = __policy.get_or_insert_with(|| #rt::Policy::new().stop(..).wait(..).retry_if(..));
//!         match #rt::settle_async::<Result<Receipt, SendError>, _, _>(#rt::call(&mut __call, NAME, __started), __outcome, &*__rules, &__sleeper) {
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
use syn::{ReturnType, Type};

use crate::config::{Config, Value};
use crate::function::{self, RetryFn};
use crate::respan::respan;
use crate::self_alias;

/// A generated local: mixed-site hygiene (the body cannot name it), located at `at` for errors.
fn local(name: &str, at: Span) -> syn::Ident {
    syn::Ident::new(name, Span::mixed_site().located_at(at))
}

pub(crate) fn expand(mut function: RetryFn, config: &Config) -> TokenStream {
    let rt = config.runtime();
    let is_async = function.sig.asyncness.is_some();
    let output: Type = match &function.sig.output {
        ReturnType::Type(_, ty) => (**ty).clone(),
        // Rejected by `function::check`; never expanded.
        ReturnType::Default => syn::parse_quote!(()),
    };
    // Calls that need the return type to be a `Result` are spanned at it (see `__private`), so an
    // alias that is not a `Result` gets one error, there.
    let at_output = output.span();
    let rt_out = respan(rt.clone(), at_output);

    let sleeper_local = local("__sleeper", at_output);
    let started = local("__started", at_output);
    let call = local("__call", at_output);
    let policy = local("__policy", at_output);
    let rules = local("__rules", at_output);
    let outcome = local("__outcome", at_output);
    let wait = local("__wait", at_output);
    let sleeping = local("__sleeping", at_output);
    let unreachable = local("__unreachable", at_output);

    let name = function.sig.ident.to_string();
    let name = quote!(::core::concat!(::core::module_path!(), "::", #name));
    let timed = config.timed();
    let mode = if is_async { "async" } else { "sync" };
    let mode_fn = |prefix: &str| syn::Ident::new(&format!("{prefix}_{mode}"), at_output);
    let (start, before, settle) = (mode_fn("start"), mode_fn("before"), mode_fn("settle"));
    let attempt_fn = mode_fn("attempt");
    // `attempt = name`: bound with the user's own ident, so the body sees it.
    let bind_attempt = config.attempt.as_ref().map(|name| {
        quote_spanned! {at_output=>
            let #name = #rt_out::#attempt_fn::<#output, _>(&#call, #started, &#sleeper_local);
        }
    });

    // Clones for `clone(...)`, made before each attempt.
    let clones = config.clones.iter().map(|ident| {
        let mutability = function::is_mut_binding(&function.sig, ident).then(|| quote!(mut));
        if ident == "self" {
            let alias = self_alias::alias(Span::call_site());
            quote!(#[allow(unused_mut)] let #mutability #alias = ::core::clone::Clone::clone(&self);)
        } else {
            quote!(#[allow(unused_mut)] let #mutability #ident = ::core::clone::Clone::clone(&#ident);)
        }
    });
    let clones = quote!(#(#clones)*);
    // A `mut` argument listed in `clone` is only mutated through its clones; touch it once so the
    // signature as written draws no `unused_mut` warning.
    let touch_mut = config
        .clones
        .iter()
        .filter(|ident| *ident != "self" && function::is_mut_binding(&function.sig, ident))
        .map(|ident| quote!(let _ = &mut #ident;));
    let touch_mut = quote!(#(#touch_mut)*);
    if config.clones.iter().any(|ident| ident == "self") {
        self_alias::rename_self(&mut function.block);
    }

    // The body, with an unreachable `return` of the declared type first, so that every `return`
    // and `?` in it coerces to that type exactly as in the original function.
    // The body's statements are spliced, not its block, so a one-expression body draws no
    // `unused_braces` warning.
    let statements = &function.block.stmts;
    let typed_body = quote_spanned! {at_output=>
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
    let attempt = if is_async {
        quote!(async #typed_body.await)
    } else {
        quote!((|| #typed_body)())
    };

    let sleeper = match &config.sleep {
        Some(Value {
            expr,
            closure: true,
            ..
        }) if is_async => quote!(#rt::async_sleeper(#expr)),
        Some(Value {
            expr,
            closure: true,
            ..
        }) => quote!(#rt::sync_sleeper(#expr)),
        Some(Value { expr, .. }) => quote!(#expr),
        None => quote!(#rt::DefaultSleeper),
    };

    // Closures written in the attribute get their parameter types from the function's `Result`.
    // Other values are checked against their trait where they are written.
    let typed =
        |value: &Option<Value>, closure_helper: &str, value_helper: &str| -> Option<TokenStream> {
            value.as_ref().map(|value| {
                let expr = &value.expr;
                let (helper, span) = match (value.closure, value_helper) {
                    (true, _) => (closure_helper, at_output),
                    (false, "") => return quote!(#expr),
                    (false, helper) => (helper, expr.span()),
                };
                let rt = respan(rt.clone(), span);
                let helper = syn::Ident::new(helper, span);
                if value.closure {
                    quote_spanned!(span=> #rt::#helper::<#output, _>(&#call, #expr))
                } else {
                    quote_spanned!(span=> #rt::#helper::<#output, _>(#expr))
                }
            })
        };
    let setters = [
        ("stop", typed(&config.stop, "stop_fn", "stop_value")),
        ("wait", typed(&config.wait, "wait_fn", "wait_value")),
        (
            "retry_if",
            typed(&config.retry_if, "error_fn", "condition_value"),
        ),
        // A path here is a predicate on `&T`, which `Policy::retry_if_ok` wraps itself.
        ("retry_if_ok", typed(&config.retry_if_ok, "ok_fn", "")),
        ("before", typed(&config.before, "hook_fn", "hook_value")),
        ("after", typed(&config.after, "hook_fn", "hook_value")),
        (
            "before_sleep",
            typed(&config.before_sleep, "hook_fn", "hook_value"),
        ),
        (
            "on_give_up",
            typed(&config.on_give_up, "give_up_fn", "give_up_value"),
        ),
    ];
    let setters = setters.iter().filter_map(|(setter, value)| {
        value.as_ref().map(|value| {
            // The whole `.setter(value)` sits at the value, so a type error lands there, once.
            let span = value.span();
            let setter = syn::Ident::new(setter, span);
            quote_spanned!(span=> .#setter(#value))
        })
    });
    let build = quote! {
        let #rules = #policy.get_or_insert_with(|| #rt::Policy::new() #(#setters)*);
    };
    let state = quote_spanned!(at_output=> #rt_out::call::<#output>(&mut #call, #name, #started));

    // With a `before` hook the policy is needed before the first attempt; otherwise only once an
    // attempt fails.
    let (build_early, build_late) = if config.before.is_some() {
        let run_before = quote_spanned! {at_output=>
            #rt_out::#before::<#output, _, _>(#state, &*#rules, &#sleeper_local);
        };
        (quote!(#build #run_before), quote!())
    } else {
        (quote!(), build)
    };
    let return_early = if config.retry_if_ok.is_none() {
        quote_spanned!(at_output=> if #rt_out::is_ok::<#output>(&#outcome) { return #outcome; })
    } else {
        quote!()
    };
    let sleep = if is_async {
        quote! {
            if let ::core::option::Option::Some(#sleeping) = #rt::sleep_async(&#sleeper_local, #wait) {
                #sleeping.await;
            }
        }
    } else {
        quote!(#rt::sleep_sync(&#sleeper_local, #wait);)
    };
    let settle = quote_spanned! {at_output=>
        #rt_out::#settle::<#output, _, _>(#state, #outcome, &*#rules, &#sleeper_local)
    };

    // Inner attributes (`#![allow(...)]` at the top of the body) stay at the top of the body.
    let (inner, outer): (Vec<_>, Vec<_>) = function
        .attrs
        .iter()
        .partition(|attr| matches!(attr.style, syn::AttrStyle::Inner(_)));
    let new_block = quote! {{
        #(#inner)*
        #touch_mut
        let #sleeper_local = #sleeper;
        let #started = #rt_out::#start::<#output, _>(&#sleeper_local, #timed);
        // Made only once an attempt fails: a first-time success builds neither.
        let mut #call = ::core::option::Option::None;
        let mut #policy = ::core::option::Option::None;
        loop {
            #clones
            #bind_attempt
            #build_early
            let #outcome = #attempt;
            #return_early
            #build_late
            match #settle {
                #rt::Step::Return(#outcome) => return #outcome,
                #rt::Step::Sleep(#wait) => { #sleep }
            }
        }
    }};

    let RetryFn { vis, sig, .. } = &function;
    quote! {
        #(#outer)*
        #vis #sig #new_block
    }
}
