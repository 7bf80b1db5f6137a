//! A macro call inside an attribute value, read as the expressions it is given.
//!
//! A value's macro calls are the user's code: their tokens mean what the macro makes of them,
//! which the attribute cannot know. Where the tokens are a list of expressions
//! (`vec![a, b]`, `format!("{}", url)`, `tracing::warn!(url, attempt = n, "retrying")`), the
//! attribute treats each as it treats the value's other expressions; anything else (a pattern in
//! `matches!`, tracing's `%url`, a macro's own syntax) stays exactly as written.
//!
//! ```text
//! format!("{}", attempts)            an expression list: `attempts` is read as a value
//! tracing::warn!(url, "retrying")    an expression list, but a bare name may be a field's name
//! matches!(e, E::Http { status, .. } if *status >= 500)     not a list: left alone
//! ```

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Macro, Token};

/// The call's arguments, if its tokens are a comma-separated list of expressions.
pub(crate) fn arguments(mac: &Macro) -> Option<Punctuated<Expr, Token![,]>> {
    Punctuated::<Expr, Token![,]>::parse_terminated
        .parse2(mac.tokens.clone())
        .ok()
}

/// The call's tokens again, from its (rewritten) arguments.
pub(crate) fn tokens(arguments: &Punctuated<Expr, Token![,]>) -> TokenStream {
    quote::quote!(#arguments)
}

/// Whether each argument of the call is a value: the standard library's formatting, assertion and
/// collection macros. Elsewhere a bare name may be something else, such as the name of a field
/// in `tracing::warn!(url, ..)`.
pub(crate) fn takes_values(mac: &Macro) -> bool {
    let Some(last) = mac.path.segments.last() else {
        return false;
    };
    let std_path = mac.path.segments.len() == 1
        || matches!(
            mac.path
                .segments
                .first()
                .map(|first| first.ident.to_string())
                .as_deref(),
            Some("std" | "core" | "alloc")
        );
    std_path
        && matches!(
            last.ident.to_string().as_str(),
            "format"
                | "format_args"
                | "print"
                | "println"
                | "eprint"
                | "eprintln"
                | "write"
                | "writeln"
                | "panic"
                | "assert"
                | "assert_eq"
                | "assert_ne"
                | "debug_assert"
                | "debug_assert_eq"
                | "debug_assert_ne"
                | "unreachable"
                | "todo"
                | "unimplemented"
                | "vec"
                | "dbg"
        )
}
