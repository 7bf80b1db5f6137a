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

/// Which of the call's arguments is a format string, as `format_args!` reads one, followed by
/// its arguments (named ones last): the standard library's formatting and assertion macros' (a
/// `panic!`, `unreachable!` or `assert!` message only with arguments after it, since alone it is
/// no format string before edition 2021), and `tracing`'s and `log`'s events, named by their
/// crate (`tracing::warn!`), whose first string is the message. `None` for any other macro, which may be the user's own.
pub(crate) fn format_string(mac: &Macro, arguments: &Punctuated<Expr, Token![,]>) -> Option<usize> {
    let names: Vec<String> = mac
        .path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let (owner, name) = match names.as_slice() {
        [name] => ("std", name.as_str()),
        [owner, name] => (owner.as_str(), name.as_str()),
        _ => return None,
    };
    let with_arguments = |at: usize| (arguments.len() > at + 1).then_some(at);
    match owner {
        "std" | "core" | "alloc" => match name {
            "format" | "format_args" | "print" | "println" | "eprint" | "eprintln" => Some(0),
            "write" | "writeln" => Some(1),
            "todo" | "unimplemented" => Some(0),
            "panic" | "unreachable" => with_arguments(0),
            "assert" | "debug_assert" => with_arguments(1),
            "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => Some(2),
            _ => None,
        },
        "tracing" | "log"
            if matches!(
                name,
                "trace" | "debug" | "info" | "warn" | "error" | "event" | "log"
            ) =>
        {
            arguments.iter().position(|argument| {
                matches!(
                    argument,
                    Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(_),
                        ..
                    })
                )
            })
        }
        _ => None,
    }
}

/// The names a format string reads by itself (`"{url}"`, `"{url:?}"`, `"{0} {url}"` read `url`;
/// `"{:width$}"` reads `width`), each once; escaped braces (`"{{url}}"`) and positions read
/// none.
pub(crate) fn inline_captures(format: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        let starts_as_a_name = name
            .chars()
            .next()
            .is_some_and(|first| first.is_alphabetic() || first == '_');
        let a_name = name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if starts_as_a_name && a_name && name != "_" && !names.iter().any(|known| known == name) {
            names.push(name.to_owned());
        }
    };
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(after) = rest.strip_prefix('{') {
            rest = after;
            continue;
        }
        let Some(close) = rest.find('}') else {
            break;
        };
        let placeholder = &rest[..close];
        rest = &rest[close + 1..];
        let (argument, spec) = placeholder.split_once(':').unwrap_or((placeholder, ""));
        add(argument.trim());
        // `{:width$}`, `{:.precision$}`: a name before a `$` in the spec.
        let mut word = String::new();
        for c in spec.chars() {
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
            } else {
                if c == '$' {
                    add(&word);
                }
                word.clear();
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::inline_captures;

    #[test]
    fn format_strings_read_names_by_themselves() {
        assert_eq!(inline_captures("{url} {url:?} {0} {}"), ["url"]);
        assert_eq!(
            inline_captures("{{url}} {n:>width$.prec$}"),
            ["n", "width", "prec"]
        );
        assert_eq!(inline_captures("{:1$} {_x} {_}"), ["_x"]);
        assert!(inline_captures("{unclosed").is_empty());
    }
}
