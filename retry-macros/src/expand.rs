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
//!     let __site = || #rt::Site::new(NAME, None);
//!     let mut __run = #rt::run::<R, _>(/* keep the outcome across sleeps if Send */);
//!     let mut __first = true;
//!     loop {
//!         let (__go, __refund, _, _) = match #rt::prepare::<R, _, _, _>(
//!             &mut __run, __first, false, false, __site,
//!             || #rt::AsyncPolicy(POLICY),
//!         ) {
//!             #rt::Ready::Go(__go, __refund, _, _) => (__go, __refund, (), ()),
//!             #rt::Ready::Return(__last) => return __last,
//!         };
//!         #rt::Sleeping::new({
//!             let (__outcome, __timed_out) =
//!                 (#rt::marked(&__run, __first, async { /* typed unreachable return */ BODY }).await, false);
//!             if #rt::done::<R, _>(&__outcome, &__go, __refund, __site) { #rt::end(__run); return __outcome; }
//!             __first = false;
//!             let __policy = POLICY;
//!             match #rt::settle_async(&mut __run, __outcome, __timed_out, __site, &__policy) {
//!                 #rt::Next::Return(__last) => return __last,
//!                 #rt::Next::Sleep(__sleeping) => __sleeping,
//!             }
//!         }).await;
//!     }
//! }
//! ```
//!
//! - The body runs in a closure (sync) or an async block (async), so `return` and `?` end one
//!   attempt.
//! - The policy is built from the values each time the call consults it and dropped before the
//!   next attempt or await, so values may borrow `self` in a method whose body changes it, and
//!   the future holds no policy across an await. Where no value reads a parameter or `self`,
//!   `POLICY` is written once, in `let __policy_fn = move || POLICY;` before the loop, and both
//!   places call it (the closure captures nothing but the expansion's zero-sized locals).
//! - `prepare` consults only the policy's type unless something needs the values now, so a
//!   first-time success of an untimed policy evaluates no value and reads no clock.
//! - `__first` is a local of the expansion, not part of the call's state, so the compiler sees
//!   it constant on the first pass of a sync loop and lays out a first attempt with nothing
//!   around it but the check of its outcome; the name (`Site`) is passed as a function, built
//!   only when a failure makes the engine's state. One closure, `__site`, is that function for
//!   every use (each coerces it to `fn() -> Site`), so it is type-checked and compiled once.
//! - Generated locals have mixed-site hygiene: the body cannot see or shadow them.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Expr, Ident, ReturnType, Stmt, Type};

use crate::body;
use crate::config::{Config, Value};
use crate::function::{self, RetryFn};
use crate::respan::{relocate, respan};
use crate::scope;
use crate::stacked;
use crate::value::Family;

/// A generated local: mixed-site hygiene (the body cannot name it), located at `at` for errors.
fn local(name: &str, at: Span) -> Ident {
    Ident::new(name, Span::mixed_site().located_at(at))
}

/// A name on its own (`UPSTREAM`, `limits::SHARED`): a `static` or a `const`, once parameters
/// have been read through their references. `self` is a parameter too (a receiver that derefs
/// to a budget), borrowed where it is.
fn is_name(expr: &Expr) -> bool {
    crate::value::is_bare_path(expr)
        && !matches!(expr, Expr::Path(path) if path.path.is_ident("self"))
}

/// `budget = ..` and `breaker = ..`: each key, its value, the runtime's helper that borrows a
/// name for the whole call, and the one that borrows anything else where it is written.
fn shared_keys(config: &Config) -> [(&'static str, Option<&Value>, &'static str, &'static str); 2] {
    [
        (
            "budget",
            config.budget.as_ref(),
            "shared_budget",
            "budget_value",
        ),
        (
            "breaker",
            config.breaker.as_ref(),
            "shared_breaker",
            "breaker_value",
        ),
    ]
}

/// The local a `budget = NAME` or `breaker = NAME` is borrowed into.
fn shared_local(key: &str, at: Span) -> Ident {
    local(&format!("__{key}"), at)
}

/// `budget = NAME` and `breaker = NAME`, borrowed in one place, first in the body:
/// `let __budget = || #rt::shared_budget(&NAME);`, which each build of the policy calls. A
/// budget or breaker is shared by every call, so the borrow must be `'static`: a `static` gives
/// one, and a `const` (a new value at each use) is one error, at the name (E0716), rather than
/// one per place the policy is built. The closure captures nothing, so an async fn's future
/// holds no reference for it.
fn shared_statics(cx: &Context<'_>) -> TokenStream {
    let mut bindings = TokenStream::new();
    for (key, value, shared_helper, _) in shared_keys(cx.config) {
        let Some(expr) = value.map(|value| &value.expr).filter(|expr| is_name(expr)) else {
            continue;
        };
        let span = expr.span();
        let rt = respan(cx.rt.clone(), span);
        let local = shared_local(key, span);
        let helper = Ident::new(shared_helper, span);
        bindings.extend(quote_spanned!(span=> let #local = || #rt::#helper(&#expr);));
    }
    bindings
}

/// What every piece of the expansion refers to.
struct Context<'a> {
    config: &'a Config,
    is_async: bool,
    /// The declared return type, written out wherever the expansion needs it named.
    /// The return type (or async_trait's output) where the expansion names it to the runtime,
    /// located at `at_output`.
    output: Type,
    /// The same, where the body's typed `return` names it.
    written_output: Type,
    /// The return type's span. Calls that need it to be a `Result` are spanned here (see
    /// `__private`), so an alias that is not a `Result` gets one error, there.
    at_output: Span,
    /// The runtime's path, and the same path at `at_output`.
    rt: TokenStream,
    rt_out: TokenStream,
    /// The parameters' names, each with its `#[cfg]` attributes.
    parameters: Vec<(Ident, Vec<syn::Attribute>)>,
    /// The bindings the arguments in `clone(..)` are kept and restored as (see [`kept_as`]).
    cloned: Vec<Ident>,
}

/// The binding a `clone(..)` argument is kept and restored as: async_trait moves each argument
/// into its future (`let body = body;`) and `self` into `__self`.
fn kept_as(argument: &Ident, async_trait: bool) -> Ident {
    if async_trait && argument == "self" {
        Ident::new("__self", Span::call_site().located_at(argument.span()))
    } else {
        argument.clone()
    }
}

pub(crate) fn expand(mut function: RetryFn, config: &Config) -> TokenStream {
    let output: Type = match (&function.async_trait, &function.sig.output) {
        (Some(async_trait), _) => async_trait.output.clone(),
        (None, ReturnType::Type(_, ty)) => (**ty).clone(),
        // Rejected by `function::check`; never expanded.
        (None, ReturnType::Default) => syn::parse_quote!(()),
    };
    let at_output = output.span();
    let rt = config.runtime();
    // Where the expansion names the outcome's type to the runtime (`run::<R, _>`, ...), at one
    // place, the return type's first token: a type that is no `Result` fails each of those
    // bounds, and rustc reports one error per place.
    let named_output: Type = syn::parse2(relocate(
        quote::ToTokens::to_token_stream(&output),
        at_output,
    ))
    .unwrap_or_else(|_| output.clone());
    let cx = Context {
        config,
        is_async: function.sig.asyncness.is_some() || function.async_trait.is_some(),
        rt_out: respan(rt.clone(), at_output),
        rt,
        output: named_output,
        written_output: output,
        at_output,
        parameters: function::value_names(
            &function.sig,
            config.clones.iter().any(|name| name == "self"),
            function.async_trait.is_some(),
        ),
        cloned: config
            .clones
            .iter()
            .map(|argument| kept_as(argument, function.async_trait.is_some()))
            .collect(),
    };
    let Context {
        rt, rt_out, output, ..
    } = &cx;
    let run = local("__run", cx.at_output);
    let first = local("__first", cx.at_output);
    let go = local("__go", cx.at_output);
    let refund = local("__refund", cx.at_output);
    let last = local("__last", cx.at_output);
    let outcome = local("__outcome", cx.at_output);
    let policy_local = local("__policy", cx.at_output);
    let sleeping = local("__sleeping", cx.at_output);
    let timed_out = local("__timed_out", cx.at_output);

    let name = name(&function, config, rt);
    let (log_item, log_site) = log_site(&cx);
    let site = local("__site", cx.at_output);
    let site_fn =
        quote_spanned!(cx.at_output=> let #site = || #rt_out::Site::new(#name, #log_site););
    let moved = moved_arguments(&cx, &function);
    let this = local("__this", cx.at_output);
    let (keep, restore) = clones(&cx, &mut function);
    let per_attempt = bind_attempt(&cx, &this);
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
        #rt::Ready::Go(#go, #refund, #timer_pattern, #this_pattern) => (#go, #refund, #timer_binding, #this_binding)
    };
    let go_binding = quote!((#go, #refund, #timer, #this));
    let attempt = attempt(&cx, &function, timed.then_some(&timer));
    // Values that read nothing of the call's are built by one closure, made before the loop and
    // called where the policy is needed: type-checked and compiled once, not once per use.
    let policy_fn = local("__policy_fn", cx.at_output);
    let hoisted = policy_reads_nothing(&cx).then(|| {
        let policy = policy(&cx).in_block();
        quote_spanned!(cx.at_output=> let #policy_fn = move || #policy;)
    });
    let Policy { references, built } = if hoisted.is_some() {
        Policy {
            references: quote!(),
            built: quote_spanned!(cx.at_output=> #policy_fn()),
        }
    } else {
        policy(&cx)
    };
    let policy = built;

    let (keeper, mode, settle) = if cx.is_async {
        let keeper = async_keeper(&cx);
        let settle = quote_spanned! {cx.at_output=>
            #references
            let #policy_local = #policy;
            match #rt_out::settle_async(&mut #run, #outcome, #timed_out, #site, #rt_out::policy_ref(&#policy_local)) {
                #rt::Next::Return(#last) => return #last,
                #rt::Next::Sleep(#sleeping) => #sleeping,
            }
        };
        (keeper, quote_spanned!(cx.at_output=> AsyncPolicy), settle)
    } else {
        let keeper = quote_spanned!(cx.at_output=> #rt_out::sync_keeper::<#output>());
        let decided = local("__decided", cx.at_output);
        let end = local("__end", cx.at_output);
        // Decided on the outcome where the attempt left it, and moved only then; how the call
        // ends is written in place, in a local of its own (see `decide_sync`).
        let settle = quote_spanned! {cx.at_output=>
            #references
            let #policy_local = #policy;
            let mut #end = #rt_out::end_slot::<#output>();
            let #decided = #rt_out::decide_sync(
                &mut #run, &#outcome, &mut #end, #site, #rt_out::policy_ref(&#policy_local),
            );
            if let #rt::core::option::Option::Some(#last) =
                #rt_out::conclude_sync(#decided, &mut #end, #outcome, #rt_out::policy_ref(&#policy_local))
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
    // A body whose value is a macro's `block` fragment: rustc reads the fragment's braces as the
    // body's own once they have passed through the attribute, and would call them unnecessary.
    let fragment_tail = matches!(
        function.body.stream().into_iter().last(),
        Some(proc_macro2::TokenTree::Group(group)) if group.delimiter() == proc_macro2::Delimiter::None
    );
    let allow_fragment = fragment_tail.then(|| quote!(#[allow(unused_braces)]));
    // An async fn's outcome goes to its future's output as it is: the rebuild made no measurable
    // difference there (20.4 ns either way), and costs each function its compile time.
    let return_first = if cx.is_async {
        quote!(return #outcome;)
    } else {
        return_first(&cx.output, &outcome, &cx.rt)
    };
    // A sync function's failure branch is marked cold by the call that settles it.
    let done = if cx.is_async {
        quote!(done)
    } else {
        quote!(done_sync)
    };
    let one_attempt = quote! {
        #allow_fragment
        let #binding = {
            #per_attempt
            #attempt
        };
        if #rt_out::#done::<#output, _>(&#outcome, &#go, #refund, #site) {
            #rt_out::end(#run);
            #return_first
        }
        #first = false;
        #settle
    };
    // Cloned arguments are restored once the attempt's policy is gone, on the way to the next.
    let step = if cx.is_async {
        quote! {
            #rt::Sleeping::new({ #one_attempt }).await;
            #restore
        }
    } else {
        quote!({ #one_attempt } #restore)
    };

    // Everything that needs the return type to be a `Result` sits at the return type, so a type
    // that is not one is reported once, there.
    let returns_result = quote_spanned!(cx.at_output=> #rt_out::returns_result::<#output>(););
    let start = quote_spanned!(cx.at_output=> #rt_out::run::<#output, _>(#keeper));
    // `settings = ...` is read once per call, at its first use, and kept to the call's end.
    let settings_slot = config.settings.as_ref().map(|_| {
        let slot = local("__settings", cx.at_output);
        quote_spanned!(cx.at_output=> let mut #slot = #rt::core::option::Option::None;)
    });
    let prepare = quote_spanned! {cx.at_output=>
        #rt_out::prepare::<#output, _, _, _>(&mut #run, #first, #wants_attempt, #timed, #site, || #rt_out::#mode(#policy))
    };

    // Inner attributes (`#![allow(...)]` at the top of the body) stay at the top of the body.
    let attrs: Vec<syn::Attribute> = function.attrs.iter().map(expected_as_allowed).collect();
    let (inner, outer): (Vec<_>, Vec<_>) = attrs
        .iter()
        .partition(|attr| matches!(attr.style, syn::AttrStyle::Inner(_)));
    let crate_alias = config.crate_alias();
    let mut shared = shared_statics(&cx);
    if config.outcome_type {
        let local = crate::value::outcome_type(cx.at_output);
        shared.extend(quote_spanned! {cx.at_output=>
            let #local = #rt_out::outcome_type::OutcomeType::<#output>::new();
        });
    }
    let optional = optional_rebindings(&cx, &function);
    let retried = if config.hedge.is_some() && cx.is_async {
        let hedged = hedged(&cx, &function, &site);
        quote! {
            #crate_alias
            #returns_result
            #shared
            #moved
            #log_item
            #site_fn
            #settings_slot
            #hedged
        }
    } else {
        quote! {
            #crate_alias
            #returns_result
            #shared
            #moved
            #keep
            #optional
            #log_item
            #site_fn
            #hoisted
            let mut #run = #start;
            // A local, not the call's state: constant to the compiler on the first pass.
            let mut #first = true;
            #settings_slot
            loop {
                let #go_binding = {
                    #references
                    match #prepare {
                        #go_pattern,
                        #rt::Ready::Return(#last) => return #last,
                    }
                };
                #step
            }
        }
    };
    let RetryFn {
        vis,
        sig,
        async_trait,
        ..
    } = &function;
    let body = match async_trait {
        // The loop where async_trait's block held the body; its own statements stay around it.
        Some(stacked::AsyncTrait {
            pin,
            prefix,
            output,
            suffix,
            instrumented,
        }) => {
            let ret = Ident::new("__ret", Span::call_site());
            let stmts = quote! {
                #(#prefix)*
                let #ret: #output = { #retried };
                #(#suffix)*
            };
            match instrumented {
                None => quote!(#pin(async move { #stmts })),
                // Inside `#[tracing::instrument]`'s block, in async_trait's block's place.
                Some(stacked::Instrumented {
                    before,
                    future: local,
                    after,
                }) => {
                    let local = stacked::instrumented_with(local.clone(), stmts);
                    quote! {
                        #pin(async move {
                            #(#before)*
                            #local
                            #(#after)*
                        })
                    }
                }
            }
        }
        None => retried,
    };
    // The body's braces keep the span of the user's: rustc's suggestions that rewrite the body
    // (such as `async_fn_in_trait`'s) then edit the function, not the attribute.
    let mut block = proc_macro2::Group::new(
        proc_macro2::Delimiter::Brace,
        quote! {
            #(#inner)*
            #body
        },
    );
    block.set_span(function.body.span());
    quote! {
        #(#outer)*
        #vis #sig #block
    }
}

/// `#[expect(lint)]` on the function as `#[allow(lint)]`: in the expansion the body may not meet
/// the lint it meets as written (clippy's `needless_return` does not look inside the attempt's
/// closure), and an unmet expectation is a warning of its own.
pub(crate) fn expected_as_allowed(attr: &syn::Attribute) -> syn::Attribute {
    let mut attr = attr.clone();
    if let syn::Meta::List(list) = &mut attr.meta
        && list.path.is_ident("expect")
    {
        let span = list.path.segments[0].ident.span();
        list.path = syn::Path::from(Ident::new("allow", span));
    }
    attr
}

/// Returns a sync function's first-time success. Where the signature spells a `Result`
/// (`Result<T, E>`, `io::Result<T>`), the outcome is rebuilt from its variant's payload, not copied:
/// the attempt has just stored it field by field, and a copy in wider loads than those stores
/// waits for them to reach the cache (store forwarding fails), which doubled the cost of a
/// first-time success. `done` has just read the variant, so the rebuild is a constant and the
/// payload. Only a `Result` is an outcome, but an alias of another name could hide something
/// else, which the match would report a second time: those are returned as they are.
///
/// ```text
/// -> io::Result<T>   ==>   let __returned = match __outcome { Ok(v) => Ok(v), Err(v) => Err(v) };
///                          return __returned;
/// -> Answer          ==>   return __outcome;
/// ```
fn return_first(output: &Type, outcome: &Ident, rt: &TokenStream) -> TokenStream {
    let spelled_result = matches!(
        output,
        Type::Path(path) if path.qself.is_none()
            && path.path.segments.last().is_some_and(|last| last.ident == "Result")
    );
    if !spelled_result {
        return quote!(return #outcome;);
    }
    let returned = local("__returned", outcome.span());
    let value = local("__value", outcome.span());
    quote! {
        #[allow(clippy::needless_match)]
        let #returned = match #outcome {
            #rt::core::result::Result::Ok(#value) => #rt::core::result::Result::Ok(#value),
            #rt::core::result::Result::Err(#value) => #rt::core::result::Result::Err(#value),
        };
        return #returned;
    }
}

/// The call's name for hooks and log lines: `name = "..."` as written; else
/// `module::path::function`, or `module::path::Type::function` where the signature shows it is
/// in an `impl` or a trait (a receiver, or `Self` in the signature). A raw identifier is named
/// without its `r#`.
fn name(function: &RetryFn, config: &Config, rt: &TokenStream) -> TokenStream {
    if let Some(name) = &config.name {
        return quote!(#rt::Name::new(#name));
    }
    let name = function.sig.ident.unraw().to_string();
    if function.sig.receiver().is_some() || function::mentions_self(&function.sig) {
        quote!(#rt::Name::method(#rt::core::any::type_name::<Self>(), #name))
    } else {
        quote!(#rt::Name::new(#rt::core::concat!(#rt::core::module_path!(), "::", #name)))
    }
}

/// Where `log(..)` lines go: callsites generated here, in the annotated function's module, so
/// that their `tracing` target is that module. Only a hook key can hold a `log(..)`, and not as a
/// closure, so a function without one, or whose hooks are all closures, gets none.
///
/// ```text
/// fn __persevere_log(event: &#rt::LogEvent<'_>) { #rt::emit_log!(event) }
/// ```
fn log_site(cx: &Context<'_>) -> (TokenStream, TokenStream) {
    let config = cx.config;
    let rt = &cx.rt;
    // A closure is a hook of its own, never a `log(..)`.
    let hooks = [
        &config.before,
        &config.after,
        &config.before_sleep,
        &config.on_finish,
    ];
    if hooks
        .iter()
        .all(|hook| hook.as_ref().is_none_or(|value| value.closure))
    {
        return (quote!(), quote!(#rt::core::option::Option::None));
    }
    let site = Ident::new("__persevere_log", Span::call_site());
    let item = quote! {
        fn #site(event: &#rt::LogEvent<'_>) {
            #rt::emit_log!(event)
        }
    };
    (
        item,
        quote!(#rt::core::option::Option::Some(#site as #rt::LogSite)),
    )
}

/// For each by-value argument the body moves (and `clone(..)` does not list), a check at the move
/// that the next attempt can use it again: its type is `Copy`, or it is a `&mut` that the move
/// reborrows. Anything else rustc would reject too ("moved in previous iteration of loop"); the
/// check says instead what to write. It stands under the `#[cfg]`s around the move, so code
/// compiled out moves nothing.
///
/// ```text
/// fn send(msg: String) -> R { deliver(msg) }
///     ==>   { use #rt::{ProbeCopy as _, ProbeMut as _, ProbeAny as _};
///             #[diagnostic::on_unimplemented(message = "the body moves `msg`, ...")] trait Reused {}
///             impl Reused for #rt::Reusable {}
///             fn reused<T: Reused>(_: T) {}
///             reused((&&#rt::MoveProbe::of(addr_of!(msg))).__persevere_moved()); }
/// ```
fn moved_arguments(cx: &Context<'_>, function: &RetryFn) -> TokenStream {
    // An `Option<&mut T>` reborrowed for each attempt is moved by none (hedged attempts, which
    // run at once, get none).
    let reborrowed: Vec<Ident> = if cx.config.hedge.is_some() {
        Vec::new()
    } else {
        optional_mut_references(cx, function)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    };
    let arguments: Vec<Ident> = function::by_value_bindings(&function.sig)
        .into_iter()
        .filter(|argument| !cx.config.clones.contains(argument) && !reborrowed.contains(argument))
        .collect();
    let rt = &cx.rt;
    let checks = body::moved_arguments(&function.block, &arguments, cx.config.hedge.is_some())
        .into_iter()
        .map(|moved| {
            let argument = moved.argument.unraw();
            let message = if moved.fields.is_empty() {
                format!(
                    "the body moves `{argument}`, a by-value argument, but the body runs once per attempt"
                )
            } else {
                let part = std::iter::once(argument.to_string())
                    .chain(moved.fields.iter().map(|field| match field {
                        syn::Member::Named(name) => name.unraw().to_string(),
                        syn::Member::Unnamed(index) => index.index.to_string(),
                    }))
                    .collect::<Vec<_>>()
                    .join(".");
                format!(
                    "the body moves `{part}` out of `{argument}`, a by-value argument, but the body runs once per attempt"
                )
            };
            // Hedged attempts run at once: they cannot take turns with a kept copy, nor share a
            // `&mut`.
            let note = if cx.config.hedge.is_some()
                && function::optional_mut(&function.sig, &moved.argument)
            {
                format!(
                    "hedged attempts run at the same time, and cannot share the `&mut` in `{argument}`: read it without moving it, or remove `hedge`"
                )
            } else if cx.config.hedge.is_some() {
                format!(
                    "hedged attempts run at the same time, so each must leave `{argument}` to the others: borrow it, or move a copy (`{argument}.clone()`) in the body"
                )
            } else if function::optional_mut(&function.sig, &moved.argument) {
                // Only a `mut` binding (which the body may point elsewhere) gets here unless
                // hedged: the attempts cannot reborrow it for the body.
                let reborrow = if function::optional_trait_object(&function.sig, &moved.argument)
                    .is_some()
                {
                    format!(
                        "`match &mut {argument} {{ Some(inner) => Some(&mut **inner), None => None }}`"
                    )
                } else {
                    format!("`{argument}.as_deref_mut()`")
                };
                let bind = if function::binds_mut(&function.sig, &moved.argument) {
                    ""
                } else {
                    ", and bind it `mut`"
                };
                format!(
                    "an optional `&mut` is reborrowed, not cloned: write {reborrow} where the body passes it on{bind}"
                )
            } else if function::pinned_mut(&function.sig, &moved.argument) {
                format!(
                    "a pinned `&mut` is reborrowed, not cloned: write `{argument}.as_mut()` where the body passes it on, and bind it `mut` (`mut {argument}: Pin<&mut ..>`)"
                )
            } else {
                let bound = function::clone_bound(&function.sig, &moved.argument)
                    .map(|bound| format!(" (with {bound})"))
                    .unwrap_or_default();
                format!(
                    "add `clone({argument})` to `#[retry(...)]`{bound} so that each attempt moves its own copy, or borrow `{argument}` instead of moving it"
                )
            };
            let reused = Ident::new("__PersevereReused", Span::call_site());
            let check = Ident::new("__persevere_reused", Span::call_site());
            let mut at_move = moved.argument.clone();
            at_move.set_span(moved.at);
            let fields = &moved.fields;
            let at_move = quote!(#at_move #(.#fields)*);
            let cfgs = cx.cfgs_of(&moved.argument).iter().chain(&moved.cfgs);
            // A raw pointer to the place: no move, and nothing for rustc to suggest borrowing.
            // The callee stays at the attribute: with the whole call at the argument, rustc
            // replaces the label with a suggestion to borrow.
            let rt_at = respan(rt.clone(), moved.at);
            let probe = quote_spanned!(moved.at=> (&&#rt_at::MoveProbe::of(#rt::core::ptr::addr_of!(#at_move))).__persevere_moved());
            quote! {
                #(#cfgs)*
                {
                    #[allow(unused_imports)]
                    use #rt::{ProbeAny as _, ProbeCopy as _, ProbeMut as _};
                    #[diagnostic::on_unimplemented(
                        message = #message,
                        label = "moved here, and again by the next attempt",
                        note = #note
                    )]
                    trait #reused {}
                    impl #reused for #rt::Reusable {}
                    fn #check<T: #reused>(_: T) {}
                    #check(#probe);
                }
            }
        });
    quote!(#(#checks)*)
}

/// `clone(a, self)`: each attempt gets a fresh clone, under the argument's own name. The body's
/// tokens stay as written: the first attempt uses the argument itself, a clone kept aside before
/// it restores the argument for each later attempt (so the binding becomes `mut`). Returns what
/// runs before the first attempt and what runs on the way to each later one.
///
/// ```text
/// fn send(self, msg: String) -> R      clone(self, msg)
///     ==>   fn send(mut self, mut msg: String) -> R {
///               let __kept_self = #rt::keep(&self); let __kept_msg = #rt::keep(&msg);
///               loop { ATTEMPT(self, msg) ...; self = __kept_self.fresh(); msg = __kept_msg.fresh(); }
/// ```
fn clones(cx: &Context<'_>, function: &mut RetryFn) -> (TokenStream, TokenStream) {
    let mut keep = Vec::new();
    let mut restore = Vec::new();
    for (ident, binding) in cx.config.clones.iter().zip(&cx.cloned) {
        // Only the binding restored need be `mut`: under async_trait, its own `let`.
        match function.async_trait.as_mut() {
            Some(async_trait) => {
                for stmt in &mut async_trait.prefix {
                    if let Stmt::Local(local) = stmt {
                        function::make_mut_in(&mut local.pat, binding);
                    }
                }
            }
            None => function::make_mut(&mut function.sig, ident),
        }
        let kept = scope::kept(binding);
        let cfgs = cx.cfgs_of(ident);
        // Spanned at the name in `clone(..)`: a type that is not `Clone` is reported there, once.
        let rt = respan(cx.rt.clone(), ident.span());
        let keep_argument = quote_spanned!(ident.span()=> #rt::keep(&#binding));
        keep.push(quote!(#(#cfgs)* let #kept = #keep_argument;));
        restore.push(quote!(#(#cfgs)* { #binding = #kept.fresh(); }));
    }
    (quote!(#(#keep)*), quote!(#(#restore)*))
}

/// `attempt = name`: the attempt as the body reads it, bound with the user's own ident.
fn bind_attempt(cx: &Context<'_>, this: &Ident) -> TokenStream {
    let Some(name) = cx.config.attempt.as_ref() else {
        return quote!();
    };
    quote_spanned! {cx.at_output=>
        let #name = #this;
    }
}

/// One attempt: the body in a closure (sync) or an async block (async), after an unreachable
/// `return` of the declared type, so that every `return` and `?` coerces to that type exactly as
/// in the original function. The body keeps its own block, so its items and `use`s do not reach
/// the typed return; a body that is one expression is spliced bare (it has no items, and its
/// braces would draw `unused_braces`).
///
/// ```text
/// { BODY }   ==>   (|| { if false { let __unreachable: R = loop {}; return __unreachable; } { BODY } })()
/// ```
///
/// In an async fn, a `&mut` receiver or argument is reborrowed uniquely for the attempt, so the
/// attempt holds `&mut T` (`Send` when `T: Send`), as the function does, and not `&&mut T`.
fn attempt(cx: &Context<'_>, function: &RetryFn, timer: Option<&Ident>) -> TokenStream {
    // Not where the outcome may borrow: a unique reborrow at each attempt would stop the
    // argument from lending what the function returns (`Ok(&self.conn)`).
    let reborrows = if cx.is_async && !may_borrow(&cx.output) {
        function::mut_references(&function.sig)
            .into_iter()
            .map(|(name, cfgs)| {
                // async_trait has moved `self` into its `__self`.
                let name = match &function.async_trait {
                    Some(_) if name.to_string() == "self" => quote!(__self),
                    _ => name,
                };
                (name, cfgs)
            })
            // One the body never names is not captured: reborrowing it would only hide that
            // it is unused.
            .filter(|(name, _)| mentions(function.body.stream(), &name.to_string()))
            .map(|(name, cfgs)| quote!(#(#cfgs)* let _ = &mut *#name;))
            .collect()
    } else {
        quote!()
    };
    let typed_body = typed_body(cx, function, reborrows);
    // An attempt is marked for the calls inside it once the call is retrying (see the runtime's
    // `nested`): a sync one while it runs, an async one while it is polled.
    let rt = &cx.rt;
    let run = local("__run", cx.at_output);
    let first = local("__first", cx.at_output);
    let attempt = if let Some(timer) = timer {
        // Cancelled at its time limit, if it has one. At the return type, as everything that
        // needs it to be a `Result`: a type that is not one is reported once, there.
        let (rt_out, output) = (&cx.rt_out, &cx.output);
        let within = quote_spanned!(cx.at_output=> #rt_out::within::<#output, _, _>);
        let marked = quote!(#rt::marked(&#run, #first, async #typed_body));
        quote_spanned!(cx.at_output=> #within(#marked, #timer).await)
    } else if cx.is_async {
        quote!((#rt::marked(&#run, #first, async #typed_body).await, false))
    } else {
        quote!(#rt::during(&#run, #first, || #typed_body))
    };
    let mut fresh = fresh_mut_references(cx, function);
    for (name, cfgs) in optional_mut_references(cx, function) {
        let rt = &cx.rt;
        let reborrow = match function::optional_trait_object(&function.sig, &name) {
            // The `Some` a coercion site, where the object's lifetime shortens to the local's.
            Some(object) => quote! {
                let #name: #rt::core::option::Option<&mut #object> = match &mut #name {
                    #rt::core::option::Option::Some(inner) => #rt::core::option::Option::Some(&mut **inner),
                    #rt::core::option::Option::None => #rt::core::option::Option::None,
                };
            },
            None => quote! {
                let #name = #rt::core::option::Option::as_deref_mut(&mut #name);
            },
        };
        fresh.extend(quote! {
            #(#cfgs)*
            #[allow(clippy::shadow_same, clippy::shadow_reuse)]
            #reborrow
        });
    }
    if fresh.is_empty() {
        attempt
    } else {
        // The attempt bound to a local: where `#[cfg]` removes every reborrow, a block holding
        // the attempt alone would draw `unused_braces`.
        let outcome = local("__attempted", cx.at_output);
        quote!({ #fresh let #outcome = #attempt; #outcome })
    }
}

/// Each `name: &mut T` argument the body uses by value (`for x in name`, a call's argument such
/// as a generic `W: Write`, a `move` block, a call inside `assert!(..)`), reborrowed afresh for
/// the attempt under its own name, so that the attempt moves the reborrow and not the argument,
/// which the next attempt needs. Only those: a fresh unique reborrow at every turn would stop
/// an argument the body only reads from lending what the function returns (`Ok(v.first())`). A
/// `mut` binding is left as it is: the body may point it elsewhere, and that carries into the
/// next attempt.
///
/// ```text
/// fn f(values: &mut Vec<u32>) { for v in values { .. } }
///     ==>   { let values = &mut *values; ATTEMPT }
/// ```
fn fresh_mut_references(cx: &Context<'_>, function: &RetryFn) -> TokenStream {
    let candidates = plain_arguments(function, function::mut_reference_argument);
    if candidates.is_empty() {
        return TokenStream::new();
    }
    let names: Vec<Ident> = candidates.iter().map(|(name, _)| name.clone()).collect();
    // A move of a local of the same name counts too: reborrowing the argument is harmless there.
    // A move inside a macro is read only where the function cannot lend the argument: a call
    // there may take a `&` of it (`assert!(len(v) < 10)`), which the scan takes for a move, and a
    // reborrow at each attempt would stop it lending what the function returns.
    let into_macros = !may_borrow(&cx.written_output);
    let moved = body::moved_names(&function.block, &names, into_macros);
    candidates
        .into_iter()
        .filter(|(name, _)| {
            moved
                .iter()
                .any(|moved| moved.argument == *name && moved.fields.is_empty())
        })
        .map(|(name, cfgs)| {
            quote! {
                #(#cfgs)*
                #[allow(
                    unused_variables,
                    clippy::redundant_locals,
                    clippy::shadow_same,
                    clippy::shadow_reuse
                )]
                let #name = &mut *#name;
            }
        })
        .collect()
}

/// Each `name: Option<&mut T>` argument the body names, reborrowed for each attempt as a
/// `&mut T` argument is, with `as_deref_mut()`, from a `mut` binding of it made before the loop
/// (see [`optional_rebindings`]). Not where the function may return a borrow of it, nor for a
/// `mut` binding the body may point elsewhere.
///
/// ```text
/// fn f(tx: Option<&mut Tx>) { run(tx) }
///     ==>   let mut tx = tx;  loop { { let tx = Option::as_deref_mut(&mut tx); ATTEMPT } .. }
/// ```
fn optional_mut_references(
    cx: &Context<'_>,
    function: &RetryFn,
) -> Vec<(Ident, Vec<syn::Attribute>)> {
    // The return type as the body returns it: async_trait's future's output, not the boxed
    // future, which names a lifetime of its own.
    if may_borrow(&cx.written_output) {
        return Vec::new();
    }
    let mut optional = plain_arguments(function, function::optional_mut_reference_argument);
    optional.retain(|(name, _)| mentions(function.body.stream(), &name.to_string()));
    optional
}

/// The arguments `pick` names, each with its `#[cfg]`s, where bound without `mut` (a `mut`
/// binding the body may point elsewhere, which carries into the next attempt).
fn plain_arguments(
    function: &RetryFn,
    pick: fn(&syn::PatType) -> Option<&Ident>,
) -> Vec<(Ident, Vec<syn::Attribute>)> {
    function
        .sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => match &*typed.pat {
                syn::Pat::Ident(pat) if pat.mutability.is_none() => {
                    pick(typed).map(|name| (name.clone(), function::cfgs(&typed.attrs)))
                }
                _ => None,
            },
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The `mut` bindings [`optional_mut_references`] reborrows from, made once before the loop.
fn optional_rebindings(cx: &Context<'_>, function: &RetryFn) -> TokenStream {
    optional_mut_references(cx, function)
        .into_iter()
        .map(|(name, cfgs)| {
            quote! {
                #(#cfgs)*
                #[allow(unused_mut, clippy::shadow_same, clippy::redundant_locals)]
                let mut #name = #name;
            }
        })
        .collect()
}

/// Whether a value of type `ty` may hold a borrow: it names a reference or a lifetime (an
/// elided one in a path, `Guard` for `Guard<'_>`, is not seen).
fn may_borrow(ty: &Type) -> bool {
    struct Borrows(bool);
    impl<'ast> crate::walk::Walk<'ast> for Borrows {
        fn visit_type_reference(&mut self, _: &'ast syn::TypeReference) {
            self.0 = true;
        }
        fn visit_lifetime(&mut self, _: &'ast syn::Lifetime) {
            self.0 = true;
        }
    }
    let mut borrows = Borrows(false);
    syn::visit::Visit::visit_type(&mut crate::walk::Walker(&mut borrows), ty);
    borrows.0
}

/// Whether `tokens` hold the identifier `name` anywhere (in macro calls too).
fn mentions(tokens: TokenStream, name: &str) -> bool {
    tokens.into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        proc_macro2::TokenTree::Group(group) => mentions(group.stream(), name),
        _ => false,
    })
}

/// The body after an unreachable `return` of the declared type (see [`attempt`]), with
/// `prelude` before it.
fn typed_body(cx: &Context<'_>, function: &RetryFn, prelude: TokenStream) -> TokenStream {
    let output = &cx.written_output;
    let unreachable = local("__unreachable", cx.at_output);
    // The body's own tokens, never reprinted from syntax.
    let body = match function.block.stmts.as_slice() {
        [Stmt::Expr(_, None)] => function.body.stream(),
        _ => {
            let body = &function.body;
            quote!(#body)
        }
    };
    quote_spanned! {cx.at_output=>
        {
            #[allow(unreachable_code)]
            if false {
                #[allow(clippy::empty_loop)]
                let #unreachable: #output = loop {};
                return #unreachable;
            }
            #prelude
            #body
        }
    }
}

/// `hedge = ...`: the body as an async closure, which the runtime calls once per attempt, so
/// that several attempts can be in flight at once, each with its own future; they share the
/// arguments' borrows (`hedging::check` has refused every `&mut`). The policy is built once and
/// held for the call: nothing in the body can change what it borrows.
///
/// ```text
/// let __policy = POLICY;
/// let __attempt = async || { /* typed unreachable return */ BODY };
/// #rt::hedged(&__policy, __site, || __attempt()).await
/// ```
fn hedged(cx: &Context<'_>, function: &RetryFn, site: &Ident) -> TokenStream {
    let rt_out = &cx.rt_out;
    let policy_local = local("__policy", cx.at_output);
    let attempt = local("__attempt", cx.at_output);
    let Policy { references, built } = policy(cx);
    let body = typed_body(cx, function, quote!());
    let keeper = async_keeper(cx);
    quote_spanned! {cx.at_output=>
        #references
        let #policy_local = #built;
        let #attempt = async || #body;
        #rt_out::hedged(#rt_out::policy_ref(&#policy_local), #site, || #attempt(), #keeper).await
    }
}

/// What keeps an async call's last outcome across a sleep: an `Option` if the outcome is `Send`,
/// else nothing, so that the future is `Send` wherever the function's would be.
fn async_keeper(cx: &Context<'_>) -> TokenStream {
    let (rt, output) = (&cx.rt, &cx.output);
    quote! {{
        #[allow(unused_imports)]
        use #rt::{ViaAny as _, ViaSend as _};
        (&&#rt::KeepProbe::<#output>::new()).__persevere_keeper()
    }}
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
///               .stop(#rt::stop_value::<_, _, _, _>(#rt::parts::<R>(), { use #rt::names::stop::*; attempts(3) }))
///               .retry_if({ use #rt::names::condition::*; #rt::error_fn::<_, _, _>(#rt::parts::<R>(), |e| e.is_transient()) })
/// ```
/// The function's `Ok` and `Err` types for a value's check, made at the return type: a return
/// type that is not a `Result` is reported there, where the signature's own check reports it,
/// and so once.
fn parts(cx: &Context<'_>) -> TokenStream {
    let output = &cx.output;
    let rt = respan(cx.rt.clone(), cx.at_output);
    quote_spanned!(cx.at_output=> #rt::parts::<#output>())
}

fn policy(cx: &Context<'_>) -> Policy {
    let config = cx.config;
    let output = &cx.output;
    let checked = |value: &Value, closure_helper: &str, value_helper: &str| {
        let expr = &value.expr;
        let (helper, span, infer) = if value.closure {
            // At the closure: a parameter of the wrong type is reported there.
            (closure_helper, expr.span(), quote_spanned!(expr.span()=> _))
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
        let parts = parts(cx);
        // The return type stays outside the value's scopes, meaning what it means in the
        // signature.
        let expr = scope::with_names(quote!(#expr), value.names, &cx.rt, expr.span());
        quote_spanned!(span=> #rt::#helper::<_, _, #infer>(#parts, #expr))
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
        // A closure gets its parameter's type from the return type; anything else is checked
        // where it is written.
        let parts = parts(cx);
        let predicate = if value.closure {
            let rt = respan(cx.rt.clone(), span);
            quote_spanned!(span=> #rt::ok_fn::<_, _, _>(#parts, #expr))
        } else {
            let rt = respan(cx.rt.clone(), span);
            let infer = quote_spanned!(span=> _, _);
            let expr = scope::with_names(quote!(#expr), Some(Family::OkPredicate), &cx.rt, span);
            quote_spanned!(span=> #rt::ok_value::<_, _, #infer>(#parts, #expr))
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
    ] {
        if let Some(value) = value {
            let expr = &value.expr;
            let span = expr.span();
            let setter = Ident::new(setter, span);
            // The setter's `Duration` is the value's expected type (`Default::default()`,
            // `.into()` infer from it).
            setters.push(quote_spanned!(span=> .#setter(#expr)));
        }
    }
    if let Some(value) = &config.span {
        let expr = &value.expr;
        setters.push(quote_spanned!(expr.span()=> .span(#expr)));
    }
    if let Some(value) = &config.hedge {
        let expr = &value.expr;
        let span = expr.span();
        let rt = respan(cx.rt.clone(), span);
        // `after(..)` and `MAX_IN_FLIGHT` by plain name; a bare duration means `after(it)`. The
        // user's names win, as in every value.
        let expr = scope::with_names(quote!(#expr), Some(Family::Hedge), &cx.rt, span);
        setters.push(quote_spanned! {span=>
            .hedge(#rt::hedge_value(#expr))
        });
    }
    if let Some(value) = &config.nested {
        let expr = &value.expr;
        let span = expr.span();
        let rt = respan(cx.rt.clone(), span);
        let expr = scope::with_names(quote!(#expr), Some(Family::Nested), &cx.rt, span);
        setters.push(quote_spanned! {span=>
            .nested(#rt::nested_value(#expr))
        });
    }
    for (key, value, _, helper) in shared_keys(config) {
        let Some(value) = value else { continue };
        let expr = &value.expr;
        let span = expr.span();
        let setter = Ident::new(key, span);
        // A name is borrowed in one place, at the top of the body (see `shared_statics`); anything
        // else is borrowed where it is written (a field, a reference's target).
        let shared = if is_name(expr) {
            let local = shared_local(key, span);
            quote_spanned!(span=> #local())
        } else {
            let rt = respan(cx.rt.clone(), span);
            let helper = Ident::new(helper, span);
            quote_spanned!(span=> #rt::#helper(&(#expr)))
        };
        setters.push(quote_spanned!(span=> .#setter(#shared)));
    }
    // `policy = ...` is the base the other keys adjust; checked where it is written.
    let base = match &config.policy {
        // A field of a place (`policy = self.policy`), or an argument (`policy = p`): copied if
        // its type is `Copy`, as Rust would, else borrowed where it is, as `&self.policy` is; a
        // field cannot be moved out of its owner, nor an argument out of the call, and each
        // decision builds the policy again.
        Some(value) if is_field_of_a_place(&value.expr) || scope::is_read(&value.expr) => {
            let expr = &value.expr;
            let span = expr.span();
            let rt = respan(cx.rt.clone(), span);
            quote_spanned! {span=> #rt::policy_value({
                #[allow(unused_imports)]
                use #rt::{PolicyByCopy as _, PolicyByRef as _};
                (&#rt::PolicyField(&#expr)).__persevere_policy()
            })}
        }
        Some(value) => {
            let expr = &value.expr;
            let span = expr.span();
            let rt = respan(cx.rt.clone(), span);
            quote_spanned!(span=> #rt::policy_value(#expr))
        }
        None => quote!(#rt::PolicyBuilder::new()),
    };
    // `settings = ...` comes next, so the other keys adjust what it sets. Its value is read into
    // the call's slot the first time the policy is built, and borrowed from there after.
    let settings = config.settings.as_ref().map(|value| {
        let expr = &value.expr;
        let span = expr.span();
        let rt = respan(cx.rt.clone(), span);
        let slot = local("__settings", cx.at_output);
        quote_spanned! {span=>
            .settings(#slot.get_or_insert_with(|| #rt::settings_value::<#output, _, _>(&(#expr))))
        }
    });
    Policy {
        references: scope::references(&config.reads, &cx.parameters, &cx.cloned),
        built: quote!(#base #settings #(#setters)*),
    }
}

/// The policy as the values build it: the references through which they read parameters, and
/// the expression. Each use writes the references as statements of the block around the use,
/// not of a block of the policy's own: an edition 2015 or 2018 closure captures the reference
/// itself, which must then outlive the policy (a 2021 closure captures the place behind it).
struct Policy {
    references: TokenStream,
    built: TokenStream,
}

impl Policy {
    /// The policy as one expression: a block holding the references it reads through, for a use
    /// whose policy does not leave the block (a closure capturing nothing of the call's, which
    /// then has no references).
    fn in_block(&self) -> TokenStream {
        let Policy { references, built } = self;
        quote!({ #references #built })
    }
}

/// Whether the values read nothing of the call's own (no parameter, no `self`, no `settings`
/// slot), so that the policy can be built by a closure that captures nothing but the
/// expansion's zero-sized locals, made once before the loop. A value that names a parameter or
/// `self` is built where it is used, so that it borrows them only there: the body may change
/// them between attempts.
fn policy_reads_nothing(cx: &Context<'_>) -> bool {
    let config = cx.config;
    !config.names_the_call && config.settings.is_none() && config.hedge.is_none()
}

/// `a.b`, `self.x.y`, `(*arg).p`: a field whose owner is a place (not a temporary, such as
/// `settings().policy`, which the value may move out of).
fn is_field_of_a_place(expr: &Expr) -> bool {
    fn place(expr: &Expr) -> bool {
        match expr {
            Expr::Path(_) => true,
            Expr::Field(field) => place(&field.base),
            Expr::Paren(paren) => place(&paren.expr),
            Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Deref(_)) => place(&unary.expr),
            _ => false,
        }
    }
    matches!(expr, Expr::Field(field) if place(&field.base))
}

impl Context<'_> {
    /// The `#[cfg]` attributes of the parameter `name`.
    fn cfgs_of(&self, name: &Ident) -> &[syn::Attribute] {
        self.parameters
            .iter()
            .find(|(parameter, _)| parameter == name)
            .map_or(&[], |(_, cfgs)| cfgs.as_slice())
    }
}
