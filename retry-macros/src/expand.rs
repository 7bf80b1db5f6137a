//! Generating the retry loop around the function's body.
//!
//! ```text
//! #[retry(stop = attempts(4), wait = exponential(min = 4s, max = 10s), retry_if = is_transient)]
//! async fn send(client: &Client, msg: &Message) -> Result<Receipt, SendError> { BODY }
//! ```
//!
//! becomes, keeping the signature and attributes as written (`R` is the return type, `POLICY` the
//! attribute's values as a `Policy`):
//!
//! ```text
//! async fn send(client: &Client, msg: &Message) -> Result<Receipt, SendError> {
//!     let mut __run = #rt::Run::<R, _>::new(NAME, /* keep the outcome across sleeps if Send */);
//!     loop {
//!         let __go = match #rt::prepare::<R, _, _, _>(&mut __run, false, || #rt::AsyncPolicy(POLICY)) {
//!             #rt::Ready::Go(__go) => __go,
//!             #rt::Ready::Return(__last) => return __last,
//!         };
//!         let __sleeping = {
//!             let (__outcome, __timed_out) = (async { /* typed unreachable return */ BODY }.await, false);
//!             if #rt::done::<R>(&__outcome, &__go) { return __outcome; }
//!             let __policy = POLICY;
//!             match #rt::settle_async(&mut __run, __outcome, __timed_out, &__policy) {
//!                 #rt::Next::Return(__last) => return __last,
//!                 #rt::Next::Sleep(__sleeping) => __sleeping,
//!             }
//!         };
//!         if let Some(__sleeping) = __sleeping { __sleeping.await; }
//!     }
//! }
//! ```
//!
//! - The body runs in a closure (sync) or an async block (async), so `return` and `?` end one
//!   attempt.
//! - The policy is built from the values each time the call consults it and dropped before the
//!   next attempt or await, so values may borrow `self` in a method whose body changes it, and
//!   the future holds no policy across an await.
//! - `prepare` consults only the policy's type unless something needs the values now, so a
//!   first-time success of an untimed policy evaluates no value and reads no clock.
//! - Generated locals have mixed-site hygiene: the body cannot see or shadow them.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, ReturnType, Type};

use crate::body;
use crate::config::{Config, Value};
use crate::function::{self, RetryFn};
use crate::respan::respan;
use crate::self_alias;
use crate::value;

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
}

pub(crate) fn expand(mut function: RetryFn, config: &Config) -> TokenStream {
    let output: Type = match &function.sig.output {
        ReturnType::Type(_, ty) => (**ty).clone(),
        // Rejected by `function::check`; never expanded.
        ReturnType::Default => syn::parse_quote!(()),
    };
    let at_output = output.span();
    let rt = config.runtime();
    let cx = Context {
        config,
        is_async: function.sig.asyncness.is_some(),
        rt_out: respan(rt.clone(), at_output),
        rt,
        output,
        at_output,
    };
    let Context {
        rt, rt_out, output, ..
    } = &cx;
    let run = local("__run", cx.at_output);
    let go = local("__go", cx.at_output);
    let last = local("__last", cx.at_output);
    let outcome = local("__outcome", cx.at_output);
    let policy_local = local("__policy", cx.at_output);
    let sleeping = local("__sleeping", cx.at_output);
    let timed_out = local("__timed_out", cx.at_output);

    let name = name(&function, rt);
    let (log_item, log_site) = log_site(&cx);
    let moved = moved_arguments(&cx, &function);
    let this = local("__this", cx.at_output);
    let (touch_mut, per_attempt) = per_attempt(&cx, &mut function, &this);
    let wants_attempt = config.attempt.is_some();
    let timed = cx.is_async && config.may_time_out();
    let timer = local("__timer", cx.at_output);
    let (timer_pattern, timer_binding) = if timed {
        (quote!(#timer), quote!(#timer))
    } else {
        (quote!(_), quote!(()))
    };
    let (this_pattern, this_binding) = if wants_attempt {
        (quote!(#this), quote!(#this))
    } else {
        (quote!(_), quote!(()))
    };
    let go_pattern = quote! {
        #rt::Ready::Go(#go, #timer_pattern, #this_pattern) => (#go, #timer_binding, #this_binding)
    };
    let go_binding = quote!((#go, #timer, #this));
    let attempt = attempt(&cx, &function, timed.then_some(&timer));
    let policy = policy(&cx);

    let (keeper, mode, settle) = if cx.is_async {
        let keeper = quote! {{
            #[allow(unused_imports)]
            use #rt::{ViaAny as _, ViaSend as _};
            (&&#rt::KeepProbe::<#output>::new()).keeper()
        }};
        let settle = quote_spanned! {cx.at_output=>
            let #policy_local = #policy;
            match #rt_out::settle_async(&mut #run, #outcome, #timed_out, &#policy_local) {
                #rt::Next::Return(#last) => return #last,
                #rt::Next::Sleep(#sleeping) => #sleeping,
            }
        };
        (keeper, quote_spanned!(cx.at_output=> AsyncPolicy), settle)
    } else {
        let keeper = quote_spanned!(cx.at_output=> #rt_out::sync_keeper::<#output>());
        let settle = quote_spanned! {cx.at_output=>
            let #policy_local = #policy;
            if let ::core::option::Option::Some(#last) =
                #rt_out::settle_sync(&mut #run, #outcome, &#policy_local)
            {
                return #last;
            }
        };
        (keeper, quote_spanned!(cx.at_output=> SyncPolicy), settle)
    };
    // One attempt and its settling, in a block: in an async fn, nothing of it (the outcome, the
    // policy, the clones) is held across the sleep's await, which follows the block.
    // The clones and the `attempt = name` binding live in the attempt's own block, so the values
    // evaluated after it read the arguments, not the attempt's copies.
    let binding = if cx.is_async {
        quote!((#outcome, #timed_out))
    } else {
        quote!(#outcome)
    };
    let one_attempt = quote! {
        let #binding = {
            #per_attempt
            #attempt
        };
        if #rt_out::done::<#output, _>(&#outcome, &#go) {
            return #outcome;
        }
        #settle
    };
    let step = if cx.is_async {
        quote! {
            #rt::Sleeping::from({ #one_attempt }).await;
        }
    } else {
        quote!({ #one_attempt })
    };

    // Everything that needs the return type to be a `Result` sits at the return type, so a type
    // that is not one is reported once, there.
    let returns_result = quote_spanned!(cx.at_output=> #rt_out::returns_result::<#output>(););
    let start =
        quote_spanned!(cx.at_output=> #rt_out::run::<#output, _>(#name, #log_site, #keeper));
    let prepare = quote_spanned! {cx.at_output=>
        #rt_out::prepare::<#output, _, _, _>(&mut #run, #wants_attempt, #timed, || #rt_out::#mode(#policy))
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
            #returns_result
            #moved
            #touch_mut
            #log_item
            let mut #run = #start;
            loop {
                let #go_binding = match #prepare {
                    #go_pattern,
                    #rt::Ready::Return(#last) => return #last,
                };
                #step
            }
        }
    }
}

/// The call's name for hooks and log lines: `module::path::function`, or for a method (a function
/// with a receiver, where `Self` is known) `module::path::Type::method`.
fn name(function: &RetryFn, rt: &TokenStream) -> TokenStream {
    let name = function.sig.ident.to_string();
    if function.sig.receiver().is_some() {
        quote!(#rt::Name::method(::core::any::type_name::<Self>(), #name))
    } else {
        quote!(#rt::Name::new(::core::concat!(::core::module_path!(), "::", #name)))
    }
}

/// Where `log(..)` lines go: callsites generated here, in the annotated function's module, so
/// that their `tracing` target is that module. Only a hook key can hold a `log(..)`, so a function
/// without one gets none.
///
/// ```text
/// fn __persevere_log(event: &#rt::LogEvent<'_>) { #rt::emit_log!(event) }
/// ```
fn log_site(cx: &Context<'_>) -> (TokenStream, TokenStream) {
    let config = cx.config;
    let rt = &cx.rt;
    if config.before.is_none()
        && config.after.is_none()
        && config.before_sleep.is_none()
        && config.on_finish.is_none()
    {
        return (quote!(), quote!(::core::option::Option::None));
    }
    let site = Ident::new("__persevere_log", Span::call_site());
    let item = quote! {
        fn #site(event: &#rt::LogEvent<'_>) {
            #rt::emit_log!(event)
        }
    };
    (
        item,
        quote!(::core::option::Option::Some(#site as #rt::LogSite)),
    )
}

/// For each by-value argument the body moves (and `clone(..)` does not list), a check at the move
/// that its type is `Copy`. The check's trait is declared here, so that its message can name the
/// argument and the fix; a `Copy` argument meets it, so it adds no error rustc would not raise.
///
/// ```text
/// fn send(msg: String) -> R { deliver(msg) }
///     ==>   { #[diagnostic::on_unimplemented(message = "the body moves `msg`, ...")] trait Reused {}
///             impl<T: Copy + ?Sized> Reused for T {}
///             fn reused<T: Reused + ?Sized>(_: *const T) {}
///             reused(addr_of!(msg)); }
/// ```
fn moved_arguments(cx: &Context<'_>, function: &RetryFn) -> TokenStream {
    let arguments: Vec<Ident> = function::by_value_bindings(&function.sig)
        .into_iter()
        .filter(|argument| !cx.config.clones.contains(argument))
        .collect();
    let checks = body::moved_arguments(&function.block, &arguments)
        .into_iter()
        .map(|(argument, at)| {
            let message = format!(
                "the body moves `{argument}`, a by-value argument, but the body runs once per attempt"
            );
            let note = format!(
                "add `clone({argument})` to `#[retry(...)]` so that each attempt moves its own copy, or borrow `{argument}` instead of moving it"
            );
            let reused = Ident::new("__PersevereReused", Span::call_site());
            let check = Ident::new("__persevere_reused", Span::call_site());
            let at_move = Ident::new(&argument.to_string(), at);
            // A raw pointer to the place: no move, and nothing for rustc to suggest borrowing.
            // The callee stays at the attribute: with the whole call at the argument, rustc
            // replaces the label with a suggestion to borrow.
            let call = quote_spanned!(at=> #check(::core::ptr::addr_of!(#at_move)));
            quote! {
                {
                    #[diagnostic::on_unimplemented(
                        message = #message,
                        label = "moved here, and again by the next attempt",
                        note = #note
                    )]
                    trait #reused {}
                    impl<T: ::core::marker::Copy + ?::core::marker::Sized> #reused for T {}
                    fn #check<T: #reused + ?::core::marker::Sized>(_: *const T) {}
                    #call;
                }
            }
        });
    quote!(#(#checks)*)
}

/// What runs before each attempt: the clones of `clone(...)` and the `attempt = name` binding.
/// Also returns what runs once, first: a touch of each cloned `mut` argument, which is otherwise
/// only mutated through its clones and would draw an `unused_mut` warning.
///
/// ```text
/// clone(message, self), attempt = this
///     ==>   let message = Clone::clone(&message); let __self = Clone::clone(&self);
///           let this = __this;
/// ```
fn per_attempt(
    cx: &Context<'_>,
    function: &mut RetryFn,
    this: &Ident,
) -> (TokenStream, TokenStream) {
    let clones = cx.config.clones.iter().map(|ident| {
        let mutability = function::is_mut_binding(&function.sig, ident).then(|| quote!(mut));
        let (binding, source) = if ident == "self" {
            (self_alias::alias(ident.span()), quote!(self))
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
            let #name = #this;
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
fn attempt(cx: &Context<'_>, function: &RetryFn, timer: Option<&Ident>) -> TokenStream {
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
    if let Some(timer) = timer {
        // Cancelled at its time limit, if it has one.
        let rt = &cx.rt;
        quote!(#rt::within(async #typed_body, #timer).await)
    } else if cx.is_async {
        quote!((async #typed_body.await, false))
    } else {
        quote!((|| #typed_body)())
    }
}

/// The attribute's values as a `Policy`: `Policy::new().stop(..).wait(..)...sleeper(..)`.
///
/// Each value sees its family's names, and is checked against its trait where it is written, so
/// a value of the wrong kind is reported there, once. Closures written in the attribute get their
/// parameter types from the function's `Result`.
///
/// ```text
/// stop = attempts(3), retry_if = |e| e.is_transient()
///     ==>   #rt::PolicyBuilder::new()
///               .stop(#rt::stop_value::<R, _, _>({ use #rt::names::stop::*; attempts(3) }))
///               .retry_if({ use #rt::names::condition::*; #rt::error_fn::<R, _>(|e| e.is_transient()) })
/// ```
fn policy(cx: &Context<'_>) -> TokenStream {
    let config = cx.config;
    let output = &cx.output;
    let checked = |value: &Value, closure_helper: &str, value_helper: &str| {
        let expr = &value.expr;
        let (helper, span, infer) = if value.closure {
            (
                closure_helper,
                cx.at_output,
                quote_spanned!(cx.at_output=> _),
            )
        } else {
            // The placeholders sit at the value too: rustc points at them for an unmet bound.
            (
                value_helper,
                expr.span(),
                quote_spanned!(expr.span()=> _, _),
            )
        };
        let rt = respan(cx.rt.clone(), span);
        let helper = Ident::new(helper, span);
        let call = quote_spanned!(span=> #rt::#helper::<#output, #infer>(#expr));
        value::with_names(call, value.family, &cx.rt, span)
    };
    let keys = [
        ("stop", &config.stop, "stop_fn", "stop_value"),
        ("wait", &config.wait, "wait_fn", "wait_value"),
        ("retry_if", &config.retry_if, "error_fn", "condition_value"),
        ("before", &config.before, "hook_fn", "hook_value"),
        ("after", &config.after, "hook_fn", "hook_value"),
        (
            "before_sleep",
            &config.before_sleep,
            "hook_fn",
            "hook_value",
        ),
        (
            "on_give_up",
            &config.on_give_up,
            "give_up_fn",
            "give_up_value",
        ),
        ("on_finish", &config.on_finish, "hook_fn", "hook_value"),
    ];
    let mut setters: Vec<TokenStream> = keys
        .into_iter()
        .filter_map(|(setter, value, closure_helper, value_helper)| {
            let value = value.as_ref()?;
            let span = value.expr.span();
            let checked = checked(value, closure_helper, value_helper);
            let setter = Ident::new(setter, span);
            Some(quote_spanned!(span=> .#setter(#checked)))
        })
        .collect();
    // A path here is a predicate on `&T`, which `Policy::retry_if_ok` wraps itself.
    if let Some(value) = &config.retry_if_ok {
        let expr = &value.expr;
        let span = expr.span();
        let predicate = if value.closure {
            let rt = respan(cx.rt.clone(), span);
            quote_spanned!(span=> #rt::ok_fn::<#output, _>(#expr))
        } else {
            quote!(#expr)
        };
        setters.push(quote_spanned!(span=> .retry_if_ok(#predicate)));
    }
    if let Some(value) = &config.sleep {
        let expr = &value.expr;
        let (helper, span) = match (value.closure, cx.is_async) {
            (true, true) => ("async_sleeper", expr.span()),
            (true, false) => ("sync_sleeper", expr.span()),
            (false, true) => ("async_sleeper_value", expr.span()),
            (false, false) => ("sync_sleeper_value", expr.span()),
        };
        let rt = respan(cx.rt.clone(), span);
        let helper = Ident::new(helper, span);
        setters.push(quote_spanned!(expr.span()=> .sleeper(#rt::#helper(#expr))));
    }
    let rt = &cx.rt;
    for (setter, value) in [
        ("timeout", &config.timeout),
        ("total_timeout", &config.total_timeout),
        ("span", &config.span),
    ] {
        if let Some(value) = value {
            let expr = &value.expr;
            let span = expr.span();
            let setter = Ident::new(setter, span);
            setters.push(quote_spanned!(span=> .#setter(#expr)));
        }
    }
    if let Some(value) = &config.budget {
        let expr = &value.expr;
        let span = expr.span();
        let rt = respan(cx.rt.clone(), span);
        // Borrowed where it is written: a `static` gives the `'static` borrow a budget needs.
        setters.push(quote_spanned!(span=> .budget(#rt::budget_value(&(#expr)))));
    }
    // `policy = ...` is the base the other keys adjust; checked where it is written.
    let base = match &config.policy {
        Some(value) => {
            let expr = &value.expr;
            let span = expr.span();
            let rt = respan(cx.rt.clone(), span);
            quote_spanned!(span=> #rt::policy_value(#expr))
        }
        None => quote!(#rt::PolicyBuilder::new()),
    };
    quote!(#base #(#setters)*)
}
