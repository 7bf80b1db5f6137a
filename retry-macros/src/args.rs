//! Parsing the attribute's arguments into spanned key-value entries, recovering after a bad one so
//! that every error is reported at once.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
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
        "message_is",
        "message_matches",
        "network",
        "any_error",
        "always",
    ];
    // A log line, as a hook, goes before each sleep.
    const HOOKS: &[&str] = &["log"];
    let own = [
        (STOPS, "stop"),
        (WAITS, "wait"),
        (CONDITIONS, "retry_if"),
        (HOOKS, "before_sleep"),
    ]
    .into_iter()
    .find_map(|(names, key)| names.contains(&name).then_some(key));
    // Other libraries' names, by their families' words: tenacity's `stop_after_attempt`,
    // `wait_fixed`, `retry_if_exception_type` and loggers, backon's builders.
    own.or(match name {
        "before_log" => Some("before"),
        "after_log" => Some("after"),
        "before_sleep_log" => Some("before_sleep"),
        _ if name.starts_with("stop_") => Some("stop"),
        _ if name.starts_with("wait_") || name.ends_with("Builder") => Some("wait"),
        _ if name.starts_with("retry_if") || name.starts_with("retry_unless") => Some("retry_if"),
        _ => None,
    })
}

/// The runtime's name for one of tenacity's stops and waits.
fn tenacitys_strategy(name: &str) -> Option<&'static str> {
    Some(match name {
        "stop_after_attempt" => "attempts",
        "stop_after_delay" => "elapsed",
        "stop_before_delay" => "deadline",
        "wait_fixed" => "fixed",
        "wait_random" => "random",
        "wait_exponential" => "exponential",
        "wait_random_exponential" => "random_exponential",
        "wait_exponential_jitter" => "exponential_jitter",
        "wait_incrementing" => "incrementing",
        "wait_chain" => "chain",
        "before_log" | "after_log" | "before_sleep_log" => "log",
        _ => return None,
    })
}

/// A number and a duration unit written apart (`4 s`), anywhere in a value that did not parse.
fn spaced_duration(value: TokenStream) -> Option<syn::Error> {
    let tokens: Vec<TokenTree> = value.into_iter().collect();
    for pair in tokens.windows(2) {
        if let [TokenTree::Literal(number), TokenTree::Ident(unit)] = pair
            && number
                .to_string()
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.')
        {
            // `4 s`, and `5 seconds` in its short name.
            let written = unit.to_string();
            let unit = crate::duration::UNIT_NAMES
                .iter()
                .find(|name| **name == written)
                .or_else(|| {
                    crate::duration::ALIASES
                        .iter()
                        .find(|(alias, _)| *alias == written)
                        .map(|(_, unit)| unit)
                });
            if let Some(unit) = unit {
                return Some(syn::Error::new(
                    pair[1].span(),
                    format!("a duration is one literal: write `{number}{unit}`, without the space"),
                ));
            }
        }
    }
    tokens.into_iter().find_map(|token| match token {
        TokenTree::Group(group) => spaced_duration(group.stream()),
        _ => None,
    })
}

/// `fixed(.5s)`: a number without its leading zero, where a value starts (first, or after a
/// `,` or `=`). Rust has no such literal.
fn leading_dot(value: TokenStream) -> Option<syn::Error> {
    let tokens: Vec<TokenTree> = value.into_iter().collect();
    for (i, pair) in tokens.windows(2).enumerate() {
        let previous = i.checked_sub(1).and_then(|before| tokens.get(before));
        if let [TokenTree::Punct(dot), TokenTree::Literal(number)] = pair
            && dot.as_char() == '.'
            && number.to_string().starts_with(|c: char| c.is_ascii_digit())
            && previous.is_none_or(
                |token| matches!(token, TokenTree::Punct(p) if p.as_char() == ',' || p.as_char() == '='),
            )
        {
            return Some(syn::Error::new(
                dot.span(),
                format!("a number starts with a digit: write `0.{number}`"),
            ));
        }
    }
    tokens.into_iter().find_map(|token| match token {
        TokenTree::Group(group) => leading_dot(group.stream()),
        _ => None,
    })
}

/// `retry_if = lambda e: ..`, `e => ..`, `e -> ..`: another language's closure.
fn foreign_closure(key: &Ident, value: TokenStream) -> Option<syn::Error> {
    let tokens: Vec<TokenTree> = value.into_iter().collect();
    let punct = |token: Option<&TokenTree>, c: char| matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c);
    // The parameters as written, and where the body starts: `lambda e: ..` (Python), `e => ..`
    // and `(e) => ..` (JavaScript, C#), `e -> ..` (Java, Kotlin).
    let (parameters, body_at) = match tokens.as_slice() {
        [TokenTree::Ident(lambda), rest @ ..] if lambda == "lambda" => {
            let colon = rest.iter().position(|token| punct(Some(token), ':'))?;
            let names: Vec<String> = rest[..colon]
                .iter()
                .filter_map(|token| match token {
                    TokenTree::Ident(name) => Some(name.to_string()),
                    _ => None,
                })
                .collect();
            (names.join(", "), colon + 2)
        }
        [first, arrow, tip, ..]
            if (punct(Some(arrow), '=') || punct(Some(arrow), '-')) && punct(Some(tip), '>') =>
        {
            let names = match first {
                TokenTree::Ident(name) => name.to_string(),
                TokenTree::Group(group) if group.delimiter() == Delimiter::Parenthesis => {
                    group.stream().to_string()
                }
                _ => return None,
            };
            (names, 3)
        }
        _ => return None,
    };
    let body = crate::errors::written(
        &tokens[body_at.min(tokens.len())..]
            .iter()
            .cloned()
            .collect::<TokenStream>(),
    );
    let body = if body.is_empty() {
        "..".to_owned()
    } else {
        body
    };
    Some(syn::Error::new_spanned(
        tokens.iter().cloned().collect::<TokenStream>(),
        format!(
            "a closure is written `|{parameters}| {body}` in Rust: write `{key} = |{parameters}| {body}`"
        ),
    ))
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
                    TokenTree::Ident(name) if name != "mut" && name != "ref" && name != "clone" => {
                        Some(name.to_string())
                    }
                    TokenTree::Group(group) => {
                        group.stream().into_iter().find_map(|token| match token {
                            TokenTree::Ident(name) if name != "mut" && name != "ref" => {
                                Some(name.to_string())
                            }
                            _ => None,
                        })
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
                let message = match named {
                    Some(write) => format!(
                        "`clone(..)` lists the names of by-value arguments: write `clone({write})`"
                    ),
                    None => {
                        "`clone(..)` lists the names of by-value arguments, as in `clone(request)`"
                            .to_owned()
                    }
                };
                // Spanned over the whole item, first token to last.
                return Err(syn::Error::new_spanned(
                    item.iter().cloned().collect::<TokenStream>(),
                    message,
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
        let Ok(equals) = input.parse::<Token![=]>() else {
            return Err(syn::Error::new(
                key.span,
                "expected `=` after `crate`: write `crate = ::persevere`, or the path it is re-exported at",
            ));
        };
        if input.is_empty() || input.peek(Token![,]) {
            return Err(syn::Error::new(
                equals.span,
                "`crate` has no value: write `crate = ::persevere`, or the path it is re-exported at",
            ));
        }
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
            // `clone = msg`, `clone = [a, b]`: the names written, in the parentheses.
            let named = input.peek(Token![=]).then(|| {
                let ahead = input.fork();
                ahead.parse::<Token![=]>().ok()?;
                let names: Vec<String> = match ahead.parse::<TokenTree>().ok()? {
                    TokenTree::Ident(name) => vec![name.to_string()],
                    TokenTree::Group(group) => group
                        .stream()
                        .into_iter()
                        .filter_map(|token| match token {
                            TokenTree::Ident(name) if name != "mut" && name != "ref" => {
                                Some(name.to_string())
                            }
                            _ => None,
                        })
                        .collect(),
                    _ => return None,
                };
                (!names.is_empty() && (ahead.is_empty() || ahead.peek(Token![,])))
                    .then(|| names.join(", "))
            });
            let message = match named.flatten() {
                Some(write) => format!(
                    "`clone` lists arguments to clone for each attempt: write `clone({write})`"
                ),
                None => "`clone` lists arguments to clone for each attempt, by name: write them in parentheses, as in `clone(request)`".to_owned(),
            };
            return Err(syn::Error::new(key.span(), message));
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
            && !crate::config::KEYS.contains(&key.to_string().as_str())
            && let Some(family_key) = key_of_strategy(&key.to_string())
        {
            let arguments: proc_macro2::Group = input.fork().parse()?;
            let message = match tenacitys_strategy(&key.to_string()) {
                // A count stays as written; a tenacity duration is in seconds, without a unit.
                Some("log") => format!(
                    "`{key}(..)` is tenacity's, and a value, not a key: write `{family_key} = log(level)`, as in `{family_key} = log(warn)`, which logs through `tracing`"
                ),
                Some(own @ "attempts") => format!(
                    "`{key}(..)` is tenacity's, and a value, not a key: write `{family_key} = {own}({})`",
                    arguments.stream()
                ),
                Some(own) => format!(
                    "`{key}(..)` is tenacity's, and a value, not a key: write `{family_key} = {own}(..)`, its durations with units"
                ),
                None => format!(
                    "`{key}(..)` is a value, not a key: write `{family_key} = {key}({})`",
                    arguments.stream()
                ),
            };
            return Err(syn::Error::new(key.span(), message));
        }
        // `before-sleep = ..`: a key spelt with hyphens, as in other languages' configuration.
        let hyphenated = hyphenated_key(&key, input);
        if let Some((joined, last)) = hyphenated
            && crate::config::KEYS.contains(&joined.as_str())
        {
            return Err(syn::Error::new(
                key.span().join(last).unwrap_or(key.span()),
                format!("a key is written with `_`, not `-`: write `{joined} = ...`"),
            ));
        }
        let name = key.to_string();
        if !crate::config::KEYS.contains(&name.as_str()) {
            // `#[retry(is_transient)]`, `#[retry(ExponentialBuilder::default())]`: a value
            // without its key; `#[retry(stp)]`: a misspelt key.
            let rest: TokenStream = input.fork().parse()?;
            let written: TokenStream = std::iter::once(TokenTree::Ident(key.clone()))
                .chain(rest.into_iter().take_while(
                    |token| !matches!(token, TokenTree::Punct(comma) if comma.as_char() == ','),
                ))
                .collect();
            let tokens: Vec<TokenTree> = written.clone().into_iter().collect();
            // `persevere::stop = ..`: the key is the path's last name before the `=`.
            let keyed = tokens.iter().position(
                |token| matches!(token, TokenTree::Punct(equals) if equals.as_char() == '='),
            );
            let text = |tokens: &[TokenTree]| {
                crate::errors::written(&tokens.iter().cloned().collect::<TokenStream>())
            };
            let message = match (keyed, crate::suggest::closest(&name, crate::config::KEYS)) {
                (Some(at), _) => match tokens[..at].last() {
                    Some(TokenTree::Ident(last)) => format!(
                        "a key is one name, not a path: write `{last} = {}`",
                        text(&tokens[at + 1..])
                    ),
                    _ => "expected a key such as `stop = attempts(3)`".to_owned(),
                },
                (None, Some(found)) if tokens.len() == 1 => {
                    format!("unknown key `{name}`; did you mean `{found}`?")
                }
                (None, _) if tokens.len() == 1 => format!(
                    "expected a key and its value: a condition on the error is written `retry_if = {name}`"
                ),
                (None, _) => match key_of_strategy(&name) {
                    Some(family_key) => format!(
                        "expected a key and its value: `{0}` needs its key: write `{family_key} = {0}`",
                        text(&tokens)
                    ),
                    None => format!(
                        "expected a key and its value: `{0}` needs its key, as in `wait = {0}`, `stop = {0}` or `retry_if = {0}`",
                        text(&tokens)
                    ),
                },
            };
            return Err(syn::Error::new_spanned(written, message));
        }
        let example = match name.as_str() {
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
    // `stop => attempts(3)`: a match arm's arrow.
    if input.peek(Token![>]) {
        let arrow = input.parse::<Token![>]>()?;
        return Err(syn::Error::new(
            equals.span.join(arrow.span).unwrap_or(arrow.span),
            format!("a key takes its value with `=`, not `=>`: write `{key} = ...`"),
        ));
    }
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
                let rest: TokenStream = input.fork().parse()?;
                return Err(leading_dot(rest).unwrap_or(error));
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
    // `e => is_transient(e)`: another language's closure, whose start parsed as a value.
    if !fork.is_empty() && !fork.peek(Token![,]) {
        let written: TokenStream = input.fork().parse()?;
        let written: TokenStream = written
            .into_iter()
            .take_while(|token| !matches!(token, TokenTree::Punct(comma) if comma.as_char() == ','))
            .collect();
        if let Some(error) = foreign_closure(&key, written) {
            return Err(error);
        }
    }
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

/// `key-a-b` at the start of a key: the names joined with `_`, and the last one's span.
fn hyphenated_key(key: &Ident, input: ParseStream<'_>) -> Option<(String, Span)> {
    let fork = input.fork();
    let mut joined = key.to_string();
    let mut last = None;
    // `retry-if`: a keyword may be a part.
    while fork.peek(Token![-]) && fork.peek2(Ident::peek_any) {
        let _: Token![-] = fork.parse().ok()?;
        let part = Ident::parse_any(&fork).ok()?;
        joined.push('_');
        joined.push_str(&part.to_string());
        last = Some(part.span());
    }
    last.map(|last| (joined, last))
}
