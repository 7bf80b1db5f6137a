//! The `#[retry]` attribute of [persevere](https://docs.rs/persevere). Depend on `persevere`, which
//! re-exports it with the runtime it expands to.
//!
//! The pipeline: `args` parses the attribute into spanned entries, `config` validates the keys and
//! lowers each value's spelling (`value`, `duration`), `function` checks the item, and `expand`
//! writes the retry loop. The macro handles syntax only: what a value means comes from the
//! runtime's types. On any error the function is emitted unchanged beside the errors, so its
//! callers still compile.

mod args;
mod body;
mod config;
mod duration;
mod errors;
mod expand;
mod function;
mod hedging;
mod macro_call;
mod mistakes;
mod respan;
mod scope;
mod stacked;
mod suggest;
mod value;
mod walk;

#[cfg(test)]
mod fuzz_tests;

use proc_macro::TokenStream;
use quote::ToTokens;

// Expands a function into a retry loop over persevere's runtime. Its documentation is on the
// facade's re-export (`persevere::retry`), whose doctests the facade runs: this crate has no
// dependency on the runtime to run them with.
#[proc_macro_attribute]
pub fn retry(args: TokenStream, item: TokenStream) -> TokenStream {
    retry_impl(args.into(), item.into()).into()
}

fn retry_impl(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let mut function = match function::parse(item.clone()) {
        Ok(function) => function,
        Err(error) => return with_errors(item, error),
    };
    // `#[async_trait]` on the method itself, below `#[retry]`: it takes only a trait or an impl.
    if let Some(misplaced) = function.attrs.iter().find(|attr| {
        attr.path()
            .segments
            .last()
            .is_some_and(|last| last.ident == "async_trait")
    }) {
        let error = syn::Error::new_spanned(
            misplaced,
            "`#[async_trait]` goes on the `impl` block (and the trait), not on the method; keep `#[retry(..)]` on the method",
        );
        let attrs = function
            .attrs
            .iter()
            .filter(|attr| !std::ptr::eq(*attr, misplaced));
        let (vis, sig, block) = (&function.vis, &function.sig, &function.block);
        let errors = error.to_compile_error();
        return quote::quote!(#errors #(#attrs)* #vis #sig #block);
    }
    if function::output_has_placeholder(&function.sig) {
        return item;
    }
    if let Some(test) = stacked::tokio_test(&function) {
        return inside_tokio_test(args, function, test);
    }
    if stacked::instrumented_body(&mut function.block, function.sig.asyncness.is_some()).is_some() {
        return inside_instrument(args, function, item);
    }
    if function.sig.asyncness.is_none()
        && let Some((async_trait, block)) = stacked::async_trait_body(&function.block)
    {
        function.block = block;
        function.reprint_body();
        function.async_trait = Some(async_trait);
    }
    let mut errors = errors::Errors::default();
    let mut entries = args::parse(args, &mut errors);
    if function.async_trait.is_some() {
        for entry in &mut entries {
            if let args::Entry::Value { value, .. } = entry {
                stacked::self_as_async_trait_does(value);
            }
        }
    }
    mistakes::hooks_taking_the_error(&entries, &function.sig, &mut errors);
    mistakes::condition_taking_the_outcome(&entries, &function.sig, &mut errors);
    let clones_self = entries.iter().any(|entry| {
        matches!(entry, args::Entry::Clone { names, .. } if names.iter().any(|name| name == "self"))
    });
    let parameters: Vec<_> =
        function::value_names(&function.sig, clones_self, function.async_trait.is_some())
            .into_iter()
            .map(|(name, _)| name)
            .collect();
    mistakes::values_changing_arguments(&entries, &function.sig, &parameters, &mut errors);
    // A time limit of zero, as written; on a sync function the time limit itself is the mistake.
    if function.sig.asyncness.is_some() || function.async_trait.is_some() {
        for entry in &entries {
            if let args::Entry::Value { key, value } = entry {
                mistakes::zero_time_limit(&key.to_string(), value, &mut errors);
            }
        }
    }
    let safe = !matches!(function.sig.safety, syn::Safety::Unsafe(_));
    let config = config::validate(entries, &parameters, safe, &mut errors);
    function::check(
        &function,
        &config.clones,
        config.attempt.as_ref(),
        config.krate.as_ref(),
        &mut errors,
    );
    hedging::check(&function, &config, &mut errors);
    // One error for a sync function, whichever async-only keys it has: `hedge`'s (above), or
    // the first time limit's.
    if function.sig.asyncness.is_none() && function.async_trait.is_none() && config.hedge.is_none()
    {
        for value in [&config.timeout, &config.total_timeout]
            .into_iter()
            .flatten()
            .take(1)
        {
            errors.push(syn::Error::new_spanned(
                &value.expr,
                "a time limit needs an `async fn`: a blocking attempt cannot be cancelled; make the function `async`, or give the blocking call its own timeout",
            ));
        }
    }
    match errors.finish() {
        Ok(()) => expand::expand(function, &config),
        Err(error) => with_errors(item, error),
    }
}

/// A body `#[tracing::instrument]` has rewritten (see [`stacked`]): the user's block is expanded
/// as the function's, and the loop put back where the block was, inside instrument's span.
///
/// ```text
/// fn name(..) -> R { SPAN; match (move || BODY)() { .. } }
///     ==>   fn name(..) -> R { SPAN; match (move || { LOOP OVER BODY })() { .. } }
/// ```
fn inside_instrument(
    args: proc_macro2::TokenStream,
    mut function: function::RetryFn,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let is_async = function.sig.asyncness.is_some();
    let (vis, sig) = (&function.vis, &function.sig);
    // `#[tokio::test]` above instrument: its mark goes with the body, which is tokio's, so that
    // the loop goes inside tokio's future (see `stacked::tokio_test`).
    let tokio_marks: Vec<syn::Attribute> = function
        .attrs
        .iter()
        .filter(|attr| stacked::is_tokio_test_mark(attr))
        .cloned()
        .collect();
    let Some(body) = stacked::instrumented_body(&mut function.block, is_async) else {
        return item;
    };
    let expanded = retry_impl(args, quote::quote!(#(#tokio_marks)* #vis #sig #body));
    let Ok(retried) = syn::parse2::<syn::ItemFn>(expanded.clone()) else {
        // Errors: they are the expansion's items but its function, which is put back as
        // instrument wrote it.
        let errors = syn::parse2::<syn::File>(expanded).map_or_else(
            |error| error.to_compile_error(),
            |file| {
                let errors = file
                    .items
                    .into_iter()
                    .filter(|item| !matches!(item, syn::Item::Fn(_)));
                quote::quote!(#(#errors)*)
            },
        );
        return quote::quote!(#errors #item);
    };
    *body = *retried.block;
    let function::RetryFn {
        attrs, vis, block, ..
    } = function;
    let attrs = attrs.iter().map(expand::expected_as_allowed).collect();
    // The expansion's: `clone(msg)` makes `msg` a `mut` binding, which instrument's closure or
    // block captures.
    let sig = retried.sig;
    // As an item, so that inner attributes go inside the block.
    syn::ItemFn {
        attrs,
        vis,
        modifiers: syn::FnModifiers::default(),
        sig,
        block: Box::new(block),
    }
    .to_token_stream()
}

/// A test `#[tokio::test]` has rewritten (see [`stacked::TokioTest`]): its body is expanded as
/// the `async fn` tokio was given, and the loop put back where tokio's future was.
///
/// ```text
/// fn name() -> R { let body = async { BODY }; REST }
///     ==>   fn name() -> R { let body = async { LOOP OVER BODY }; REST }
/// ```
fn inside_tokio_test(
    args: proc_macro2::TokenStream,
    function: function::RetryFn,
    test: stacked::TokioTest,
) -> proc_macro2::TokenStream {
    let function::RetryFn {
        attrs,
        vis,
        sig,
        block,
        ..
    } = function;
    let mut as_written = sig.clone();
    as_written.asyncness = Some(syn::Token![async](sig.fn_token.span));
    let body = &test.body;
    let expanded = retry_impl(args, quote::quote!(#vis #as_written #body));
    // With errors, the expansion is the errors beside the function as tokio was given it.
    let Ok(retried) = syn::parse2::<syn::ItemFn>(expanded.clone()) else {
        return expanded;
    };
    let mut block = block;
    // tokio's own `let body = async { .. };`, its block replaced.
    if let Some(future) = stacked::tokio_future(&mut block) {
        future.block = *retried.block;
    }
    let stmts = block.stmts;
    let attrs = attrs.iter().map(expand::expected_as_allowed);
    quote::quote! {
        #(#attrs)*
        #vis #sig { #(#stmts)* }
    }
}

/// The item as written, so its callers still compile, beside the errors. An expression (rustc
/// refuses the attribute there, but still expands it) is kept in a block after them, so that
/// `compile_error!{..} || ..` does not read as an `||`, nor `compile_error!{..} fetch()` as a
/// statement followed by stray tokens.
fn with_errors(item: proc_macro2::TokenStream, error: syn::Error) -> proc_macro2::TokenStream {
    let errors = error.to_compile_error();
    if syn::parse2::<syn::Item>(item.clone()).is_err()
        && syn::parse2::<syn::Expr>(item.clone()).is_ok()
    {
        return quote::quote!({ #errors #item });
    }
    quote::quote!(#errors #item)
}

#[cfg(test)]
mod tests {
    use super::retry_impl;
    use proc_macro2::TokenStream;

    fn expand(args: &str, item: &str) -> String {
        let args: TokenStream = args.parse().expect("test input tokenizes");
        let item: TokenStream = item.parse().expect("test input tokenizes");
        retry_impl(args, item).to_string()
    }

    const ITEM: &str = "fn f(x: u8) -> Result<u8, E> { Ok(x) }";

    /// Only a hook that may be a `log(..)` gets the log callsites (five `tracing` callsites to
    /// compile): a closure is a hook of its own.
    #[test]
    fn log_callsites_only_for_hooks_that_may_log() {
        let callsites = |args: &str| expand(args, ITEM).contains("__persevere_log");
        assert!(!callsites(""));
        assert!(!callsites("after = |s| drop(s), before = |s| drop(s)"));
        assert!(callsites("after = |s| drop(s), before_sleep = log(warn)"));
        assert!(callsites("on_finish = HOOKS"));
    }

    /// Found by the fuzz test `accepted_attributes_expand_to_valid_rust`: a `hedge` or `nested`
    /// value starting with a brace-delimited macro was read as a statement and a closure.
    #[test]
    fn hedge_and_nested_values_starting_with_a_block_expand_to_valid_rust() {
        for args in [
            "nested = format!{} | message_matches((), 4u32,)",
            "hedge = format!{} | after(1ms)",
        ] {
            let expanded = expand(args, "async fn f(x: u32) -> Result<u32, E> { Ok(x) }");
            assert!(
                syn::parse_str::<syn::File>(&expanded).is_ok(),
                "`{args}`:\n{expanded}"
            );
        }
    }

    /// Malformed attributes never panic the macro: each yields a compile error beside the item.
    #[test]
    fn malformed_attributes_are_errors_not_panics() {
        let inputs = [
            "=",
            "stop",
            "stop =",
            "stop = ,",
            ",,",
            "crate",
            "crate =",
            "crate = 1",
            "clone",
            "clone()",
            "clone(1)",
            "clone(x,,)",
            "wait = exponential(=)",
            "wait = exponential(1 = 2)",
            "wait = chain(,)",
            "wait = chain()",
            "wait = fixed(1e3s)",
            "wait = fixed(0x10zz)",
            "wait = exponential(min = 2s, min = 3s)",
            "wait = exponential(min = 3s, max = 2s)",
            "wait = exponential(max = 1s, 2)",
            "attempt = a.b",
            "attempt",
            "stop = attempts(00)",
            "wait = fixed(340282366920938463463374607431768211455h)",
            "wait = chain_vec(vec![fixed(1sec)])",
            "stop = attempts(n = )",
            "wait = exponential(self = 1s)",
            "wait = exponential(crate = 1s, Self = 2s)",
            "attempt = self",
            "attempt = crate",
            "attempt = _",
        ];
        for args in inputs {
            let expanded = expand(args, ITEM);
            assert!(
                expanded.contains("compile_error"),
                "`{args}` expanded without an error: {expanded}"
            );
            assert!(expanded.contains("fn f"), "`{args}` lost the function");
        }
    }

    /// A raw name last in a `crate = path` is imported under itself, still raw.
    #[test]
    fn raw_crate_paths_expand() {
        for args in [
            "crate = r#type",
            "crate = deps::r#match",
            "crate = r#type()",
        ] {
            let expanded = expand(args, ITEM);
            assert!(expanded.contains("fn f"), "`{args}` lost the function");
        }
        assert!(!expand("crate = deps::r#match", ITEM).contains("compile_error"));
    }

    /// What a name means, and how many arguments it takes, is the compiler's to check against the
    /// runtime: these expand (and fail to compile there), without the macro guessing.
    #[test]
    fn meaning_is_left_to_the_compiler() {
        let inputs = [
            "wait = fixed()",
            "wait = random(max = 1s)",
            "stop = attempts(1, 2, 3)",
            "before = log()",
            "before = log(1, 2)",
            "retry_if = error_type::<>()",
            "retry_if = error_type::<A, B>()",
            "stop = never(1)",
            "wait = none(1s)",
            "wait = fixed::<u8>(1s)",
            "wait = no_such_strategy(1s)",
            "wait = my_backoff(floor = 1s)",
        ];
        for args in inputs {
            let expanded = expand(args, ITEM);
            assert!(
                !expanded.contains("compile_error"),
                "`{args}` gave a macro error: {expanded}"
            );
        }
    }

    /// Items that are not retryable functions are kept, with an error.
    #[test]
    fn odd_items_are_kept_with_an_error() {
        let items = [
            "",
            "struct S;",
            "fn",
            "fn f() {}",
            "fn f() -> ! { loop {} }",
            "const fn f() -> Result<(), ()> { Ok(()) }",
            "fn f() -> impl Sized { 1 }",
            "fn f() -> Result<impl Sized, ()> { Ok(1) }",
            "trait T { fn f(&self) -> Result<(), ()>; }",
            "fn f() -> Result<(), ()>;",
        ];
        for item in items {
            let expanded = expand("", item);
            assert!(
                expanded.contains("compile_error"),
                "`{item}` expanded without an error: {expanded}"
            );
        }
    }

    #[test]
    fn well_formed_attributes_expand_without_errors() {
        let inputs = [
            "",
            "stop = attempts(4), wait = exponential(min = 4s, max = 10s), retry_if = is_transient",
            "stop = attempts(3) | elapsed(1.5m) & never, wait = chain(fixed(1s), random(1s, 2s)) + fixed(250ms)",
            "retry_if = on_error(f) | !message_contains(\"x\") & error_type::<std::io::Error>()",
            "before = log(debug), after = log(tracing::Level::INFO), before_sleep = |s| drop(s)",
            "clone(x), attempt = this, crate = ::persevere, sleep = |d| drop(d)",
            "wait = exponential(base = 3, multiplier = 1us), stop = deadline(1h)",
        ];
        for args in inputs {
            let expanded = expand(args, ITEM);
            assert!(
                !expanded.contains("compile_error"),
                "`{args}` gave an error: {expanded}"
            );
        }
    }
}
