//! Parsing the attribute's arguments into spanned key-value entries, recovering after a bad one so
//! that every error is reported at once.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Ident, Token, parenthesized};

use crate::errors::Errors;

/// One `key = value`, `clone(...)` or `crate = path` entry.
pub(crate) enum Entry {
    Value { key: Ident, value: Expr },
    Clone { key: Ident, names: Vec<Ident> },
    Crate { key: Token![crate], path: syn::Path },
}

/// Parses the attribute's tokens. Malformed entries are recorded in `errors` and skipped.
pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> Vec<Entry> {
    // `#[retry("stop = attempts(3)")]` (or `#[retry = ".."]`, which rustc refuses too): the
    // arguments as a string.
    if let Ok(quoted) = syn::parse2::<syn::LitStr>(tokens.clone()) {
        errors.push(syn::Error::new(
            quoted.span(),
            format!(
                "the attribute's arguments are written without quotes, in parentheses: `#[retry({})]`",
                quoted.value()
            ),
        ));
        return Vec::new();
    }
    let mut entries = Vec::new();
    let parser = |input: ParseStream| {
        while !input.is_empty() {
            match entry(input) {
                Ok(parsed) => entries.push(parsed),
                Err(error) => {
                    errors.push(error);
                    // Skip to the next top-level comma (groups are single token trees).
                    while !input.is_empty() && !input.peek(Token![,]) {
                        input.parse::<TokenTree>()?;
                    }
                }
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(())
    };
    if let Err(error) = parser.parse2(tokens) {
        errors.push(error);
    }
    entries
}

/// The key a runtime strategy written without one belongs to (only for that error's words:
/// what a name means in a value is the runtime's).
fn key_of_strategy(name: &str) -> Option<&'static str> {
    const STOPS: &[&str] = &["attempts", "retries", "elapsed", "deadline", "cancelled"];
    const WAITS: &[&str] = &[
        "fixed",
        "exponential",
        "exponential_jitter",
        "random",
        "random_exponential",
        "incrementing",
        "decorrelated_jitter",
        "chain",
        "chain_vec",
        "server_hint",
        "when",
    ];
    const CONDITIONS: &[&str] = &[
        "on_error",
        "on_ok",
        "error_type",
        "error_codes",
        "retryable_status",
        "statuses",
        "message_contains",
        "message_matches",
        "network",
        "any_error",
        "always",
    ];
    [(STOPS, "stop"), (WAITS, "wait"), (CONDITIONS, "retry_if")]
        .into_iter()
        .find_map(|(names, key)| names.contains(&name).then_some(key))
}

/// A number and a duration unit written apart (`4 s`), anywhere in a value that did not parse.
fn spaced_duration(value: TokenStream) -> Option<syn::Error> {
    let tokens: Vec<TokenTree> = value.into_iter().collect();
    for pair in tokens.windows(2) {
        if let [TokenTree::Literal(number), TokenTree::Ident(unit)] = pair
            && crate::duration::UNIT_NAMES.contains(&unit.to_string().as_str())
            && number
                .to_string()
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.')
        {
            return Some(syn::Error::new(
                unit.span(),
                format!("a duration is one literal: write `{number}{unit}`, without the space"),
            ));
        }
    }
    tokens.into_iter().find_map(|token| match token {
        TokenTree::Group(group) => spaced_duration(group.stream()),
        _ => None,
    })
}

/// `exponential(min: 4s)`: a setting written as a struct field or a keyword argument of another
/// language, at the start of a call's arguments or after a comma.
fn setting_with_colon(value: TokenStream) -> Option<syn::Error> {
    let tokens: Vec<TokenTree> = value.into_iter().collect();
    for (i, pair) in tokens.windows(2).enumerate() {
        if let [TokenTree::Ident(name), TokenTree::Group(arguments)] = pair
            && arguments.delimiter() == proc_macro2::Delimiter::Parenthesis
            && !matches!(tokens.get(i.wrapping_sub(1)), Some(TokenTree::Punct(p)) if p.as_char() == '|')
        {
            let inner: Vec<TokenTree> = arguments.stream().into_iter().collect();
            let mut at_start = true;
            for (j, token) in inner.iter().enumerate() {
                if at_start
                    && let TokenTree::Ident(setting) = token
                    && let Some(TokenTree::Punct(colon)) = inner.get(j + 1)
                    && colon.as_char() == ':'
                    && colon.spacing() == proc_macro2::Spacing::Alone
                {
                    return Some(syn::Error::new(
                        colon.span(),
                        format!(
                            "`{name}`'s settings are written with `=`: write `{setting} = ...`"
                        ),
                    ));
                }
                at_start = matches!(token, TokenTree::Punct(comma) if comma.as_char() == ',');
            }
        }
    }
    tokens.into_iter().find_map(|token| match token {
        TokenTree::Group(group) => setting_with_colon(group.stream()),
        _ => None,
    })
}

/// `attempts(3) or elapsed(10s)`, `not is_fatal`: Python's words for the operators the values
/// combine with. What follows a value is a comma or nothing, so this is never valid Rust.
fn python_operator(key: &Ident, value: &Expr, input: ParseStream) -> Option<syn::Error> {
    let next = input.fork().parse::<Ident>().ok()?;
    if let Expr::Path(path) = value
        && path.qself.is_none()
        && path.path.is_ident("not")
    {
        return Some(syn::Error::new(
            path.path.segments[0].ident.span(),
            format!("`not` is written `!` in Rust: write `{key} = !{next}`"),
        ));
    }
    let (either, both) = match key.to_string().as_str() {
        "stop" => ("attempts(3) | elapsed(10s)", "attempts(3) & elapsed(10s)"),
        "retry_if" => (
            "on_error(is_timeout) | on_error(is_busy)",
            "on_error(is_timeout) & on_error(is_busy)",
        ),
        _ => return None,
    };
    let fix = match next.to_string().as_str() {
        "or" => format!("`|` (either), as in `{either}`"),
        "and" => format!("`&` (both), as in `{both}`"),
        _ => return None,
    };
    let what = if key == "stop" { "stops" } else { "conditions" };
    Some(syn::Error::new(
        next.span(),
        format!("`{next}` is not a Rust operator; {what} combine with {fix}"),
    ))
}

/// The names in `clone(..)`. Anything else between two commas (`msg.clone()`, `&msg`,
/// `mut msg`) is one error, at it, naming the argument to write.
fn clone_names(content: ParseStream) -> syn::Result<Vec<Ident>> {
    let mut names = Vec::new();
    while !content.is_empty() {
        let mut item: Vec<TokenTree> = Vec::new();
        while !content.is_empty() && !content.peek(Token![,]) {
            item.push(content.parse()?);
        }
        // A `macro_rules!` fragment (`$name:expr`) arrives in an invisible group.
        while let [TokenTree::Group(group)] = item.as_slice()
            && group.delimiter() == proc_macro2::Delimiter::None
        {
            item = group.stream().into_iter().collect();
        }
        match item.as_slice() {
            [TokenTree::Ident(name)] => names.push(name.clone()),
            [_, ..] => {
                let named = item.iter().find_map(|token| match token {
                    TokenTree::Ident(name) if name != "mut" && name != "ref" => {
                        Some(name.to_string())
                    }
                    // `clone("msg")`: the name in the quotes.
                    TokenTree::Literal(literal) => {
                        syn::parse2::<syn::LitStr>(literal.to_token_stream())
                            .ok()
                            .map(|text| text.value())
                            .filter(|text| syn::parse_str::<Ident>(text).is_ok())
                    }
                    _ => None,
                });
                let write = named.unwrap_or_else(|| "message".to_owned());
                // Spanned over the whole item, first token to last.
                return Err(syn::Error::new_spanned(
                    item.iter().cloned().collect::<TokenStream>(),
                    format!(
                        "`clone(..)` lists the names of by-value arguments: write `clone({write})`"
                    ),
                ));
            }
            [] => {
                return Err(content.error("expected an argument's name"));
            }
        }
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    Ok(names)
}

fn entry(input: ParseStream) -> syn::Result<Entry> {
    if input.peek(Token![crate]) {
        let key: Token![crate] = input.parse()?;
        input.parse::<Token![=]>()?;
        // serde's `crate = "..."`: here the path is written as a path.
        if let Ok(quoted) = input.fork().parse::<syn::LitStr>() {
            input.parse::<syn::LitStr>()?;
            return Err(syn::Error::new(
                quoted.span(),
                format!(
                    "`crate` takes a path, without quotes: write `crate = {}`",
                    quoted.value()
                ),
            ));
        }
        let path = input.call(syn::Path::parse_mod_style)?;
        return Ok(Entry::Crate { key, path });
    }
    let key = input.call(Ident::parse_any).map_err(|error| {
        syn::Error::new(error.span(), "expected a key such as `stop = attempts(3)`")
    })?;
    if key == "clone" {
        if !input.peek(syn::token::Paren) {
            // `clone = msg`: the name written, in the parentheses.
            let named = input.peek(Token![=]).then(|| {
                let ahead = input.fork();
                ahead.parse::<Token![=]>().ok()?;
                let name = ahead.parse::<Ident>().ok()?;
                (ahead.is_empty() || ahead.peek(Token![,])).then_some(name)
            });
            let write = named
                .flatten()
                .map_or_else(|| "message".to_owned(), |name| name.to_string());
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "`clone` lists arguments to clone for each attempt: write `clone({write})`"
                ),
            ));
        }
        let content;
        parenthesized!(content in input);
        return Ok(Entry::Clone {
            key,
            names: clone_names(&content)?,
        });
    }
    if !input.peek(Token![=]) {
        // `#[retry(attempts(3))]`: a value without its key.
        if input.peek(syn::token::Paren)
            && let Some(family_key) = key_of_strategy(&key.to_string())
        {
            let arguments: proc_macro2::Group = input.fork().parse()?;
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "`{key}(..)` is a value, not a key: write `{family_key} = {key}({})`",
                    arguments.stream()
                ),
            ));
        }
        let example = match key.to_string().as_str() {
            "span" => "true",
            "nested" => "once",
            "hedge" => "50ms",
            "timeout" | "total_timeout" => "5s",
            "stop" => "attempts(3)",
            "wait" => "exponential(max = 10s)",
            "name" => "\"Db::connect\"",
            _ => "...",
        };
        return Err(syn::Error::new(
            key.span(),
            format!("expected `=` after `{key}`: write `{key} = {example}`"),
        ));
    }
    let equals = input.parse::<Token![=]>()?;
    if input.peek(Token![=]) {
        let second = input.parse::<Token![=]>()?;
        return Err(syn::Error::new(
            second.span,
            format!("a key takes its value with one `=`: write `{key} = ...`"),
        ));
    }
    if input.is_empty() || input.peek(Token![,]) {
        return Err(syn::Error::new(
            equals.span,
            format!("`{key}` has no value: write `{key} = ...`"),
        ));
    }
    // Parsed on a fork, so that an error inside a group of the value is reported once (the
    // group's unread tokens would draw a second error here), and the caller skips to the next
    // entry. A value that ends too soon is the attribute's last, so its last token is the
    // attribute's.
    let fork = input.fork();
    let value = match fork.parse::<Expr>() {
        Ok(value) => value,
        Err(error) => {
            let message = error.to_string();
            if !message.starts_with("unexpected end of input") {
                // `fixed(4 s)`: the one mistake the parse tripped on, in words.
                if message == "expected `,`" {
                    let rest: TokenStream = input.fork().parse()?;
                    let value: TokenStream = rest
                        .into_iter()
                        .take_while(
                            |token| !matches!(token, TokenTree::Punct(comma) if comma.as_char() == ','),
                        )
                        .collect();
                    return Err(spaced_duration(value.clone())
                        .or_else(|| setting_with_colon(value))
                        .unwrap_or(error));
                }
                return Err(error);
            }
            let rest = input.fork();
            let mut last = equals.span;
            while let Ok(token) = rest.parse::<TokenTree>() {
                last = token.span();
            }
            return Err(syn::Error::new(
                last,
                format!("`{key} = ...` ends too soon: {message}"),
            ));
        }
    };
    input.advance_to(&fork);
    if let Some(error) = python_operator(&key, &value, input) {
        return Err(error);
    }
    // `wait = 4 s`: the value parsed as `4`, and the unit is left over.
    if let Expr::Lit(syn::ExprLit {
        lit: lit @ (syn::Lit::Int(_) | syn::Lit::Float(_)),
        ..
    }) = &value
        && input.peek(Ident)
    {
        let unit: TokenStream = input.fork().parse::<TokenTree>()?.into();
        if let Some(error) = spaced_duration(quote::quote!(#lit #unit)) {
            return Err(error);
        }
    }
    Ok(Entry::Value { key, value })
}
