//! Property tests of the whole macro over arbitrary input: whatever the attribute's arguments and
//! whatever the item, `retry_impl` never panics, and the function is always still there, either
//! expanded or emitted as written beside a `compile_error!`.
//!
//! The arguments come from a grammar-ish generator (keys, strategy calls with positional and
//! named arguments, operators, closures, duration literals of every shape, nested groups) mixed
//! with token soup; the items from a generator of function signatures and bodies, valid and not.
//! Inputs the lexer rejects are skipped: the compiler would reject them before the macro runs.

use std::str::FromStr;

use proc_macro2::TokenStream;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;

use super::retry_impl;

/// Few enough cases to run in a few seconds in debug builds. No regression files: a failure
/// prints its minimal input, to be kept as a plain test beside the others in `lib.rs`.
fn config() -> Config {
    let default = Config::default();
    Config {
        // `PROPTEST_CASES=100000` runs a longer search.
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            256
        },
        failure_persistence: None,
        ..default
    }
}

/// The macro's keys, and keys it must refuse.
fn keys() -> Vec<&'static str> {
    crate::config::KEYS
        .iter()
        .chain(ODD_KEYS)
        .copied()
        .collect()
}

/// Misspelt, raw, reserved and odd keys.
const ODD_KEYS: &[&str] = &[
    "stp",
    "Wait",
    "retry_iff",
    "r#stop",
    "r#type",
    "self",
    "Self",
    "super",
    "_",
    "async",
    "fn",
];

const DURATIONS: &[&str] = &[
    "1s",
    "1.5ms",
    "0",
    "0s",
    "00",
    "1e3s",
    "1E3s",
    "1e-3ms",
    "1.0e10h",
    "99999999999999999999999h",
    "340282366920938463463374607431768211455h",
    "340282366920938463463374607431768211456ns",
    "18446744073709551615s",
    "18446744073709551616s",
    "5124095576030431h",
    "5124095576030432h",
    "307445734561825860m",
    "0.000000000001ns",
    "0.9999999999999999999999s",
    "1_000ms",
    "1__0_s",
    "0x10s",
    "0x10zz",
    "0xffffffffffffffffffffffffffffffffffh",
    "0b101s",
    "0o7m",
    "1sec",
    "1secs",
    "2mins",
    "1millis",
    "3hrs",
    "1μs",
    "1us",
    "1ns",
    "1m",
    "1h",
    "1d",
    "1w",
    "1y",
    "1S",
    "1MS",
    "1_s",
    "1.",
    "1.5",
    "4u32",
    "1f32",
    "1.5f64",
    "1i128",
    "1usize",
    "1f16",
    "'c'",
    "b'x'",
    "\"text\"",
    "r\"raw\"",
    "r#\"raw\"#",
    "b\"bytes\"",
    "c\"cstr\"",
    "\"str\"suffix",
    "true",
    "false",
];

const IDENTS: &[&str] = &[
    "x",
    "e",
    "s",
    "state",
    "self",
    "Self",
    "crate",
    "super",
    "_",
    "r#type",
    "r#match",
    "__self",
    "__run",
    "__go",
    "is_transient",
    "LIMIT",
    "unicodé",
];

const CALLEES: &[&str] = &[
    "attempts",
    "elapsed",
    "deadline",
    "never",
    "fixed",
    "none",
    "exponential",
    "random",
    "random_exponential",
    "exponential_jitter",
    "decorrelated_jitter",
    "incrementing",
    "chain",
    "chain_vec",
    "from_fn",
    "from_error",
    "on_error",
    "error_type",
    "error_type::<std::io::Error>",
    "error_type::<>",
    "error_type::<A, B>",
    "message_contains",
    "message_matches",
    "log",
    "my_backoff",
    "Self::new",
    "self.make",
    "::persevere::wait::fixed",
    "crate::policy",
    "(|x| x)",
    "<T as Trait>::f",
    "f::<u8>",
];

const SETTINGS: &[&str] = &[
    "min",
    "max",
    "multiplier",
    "base",
    "jitter",
    "initial",
    "start",
    "increment",
    "floor",
    "n",
    "r#type",
];

/// Rust's keywords, strict and reserved: names that cannot stand where the expansion puts a
/// name of the user's (a method, a binding).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

const SOUP: &[&str] = &[
    "=", ",", "|", "&", "+", "!", "::", "<", ">", "..", "..=", "-", "*", ".", ";", "#", "?", "@",
    "=>", "->", "||", "&&", "==", "!=", "$", "~", "^", "%", "/", ":", "'a", "'static", "move",
    "async", "await", "return", "let", "if", "else", "loop", "match", "as", "dyn", "impl", "where",
    "mut", "ref", "static", "const", "unsafe",
];

const CLOSURE_HEADS: &[&str] = &[
    "|x|",
    "|s|",
    "||",
    "move |x|",
    "|_|",
    "|_: &u8|",
    "|x, y|",
    "async |x|",
    "async move ||",
    "|(a, b)|",
    "|x| -> bool",
];

/// An identifier, from the list or made up (too short to spell `compile_error`), keywords
/// included.
fn ident() -> impl Strategy<Value = String> {
    prop_oneof![
        select(IDENTS).prop_map(str::to_owned),
        select(KEYWORDS).prop_map(str::to_owned),
        "[a-z][a-z0-9_]{0,7}",
        "_[A-Za-z0-9_]{0,5}",
    ]
}

/// An identifier that is not a keyword (nor `_`).
fn plain_ident() -> impl Strategy<Value = String> {
    ident().prop_filter("a keyword", |name| {
        name != "_" && !KEYWORDS.contains(&name.as_str())
    })
}

/// A number with an arbitrary fraction and suffix, beside the listed duration-like literals.
fn literal() -> impl Strategy<Value = String> {
    let number = (
        prop_oneof![
            Just(String::from("0")),
            any::<u64>().prop_map(|n| n.to_string()),
            any::<u128>().prop_map(|n| n.to_string()),
            "[0-9][0-9_]{0,30}",
        ],
        prop::option::of("[0-9]{1,25}"),
        prop_oneof![
            select(&["", "ns", "us", "ms", "s", "m", "h", "sec", "u8", "f64"][..])
                .prop_map(str::to_owned),
            "[a-zA-Z_][a-zA-Z0-9_]{0,4}",
        ],
    )
        .prop_map(|(whole, fraction, suffix)| match fraction {
            Some(fraction) => format!("{whole}.{fraction}{suffix}"),
            None => format!("{whole}{suffix}"),
        });
    prop_oneof![select(DURATIONS).prop_map(str::to_owned), number]
}

/// Literals the macro accepts, so that values built from them mostly expand.
const GOOD_LITERALS: &[&str] = &[
    "1s",
    "1.5ms",
    "250ms",
    "0.1s",
    "4s",
    "2m",
    "1h",
    "1us",
    "1ns",
    "1_000ms",
    "18446744073709551615s",
    "3",
    "4u32",
    "1.5",
    "\"text\"",
    "true",
];

/// An attribute value: strategy calls, operators, closures, paths, groups and macro calls.
fn expr() -> impl Strategy<Value = String> {
    expr_with(literal().boxed(), ident().boxed(), true)
}

/// An attribute value built from literals the macro accepts, with no keyword where a name goes.
fn tame_expr() -> impl Strategy<Value = String> {
    expr_with(
        select(GOOD_LITERALS).prop_map(str::to_owned).boxed(),
        plain_ident().boxed(),
        false,
    )
}

/// Values from `literal`s and `name`s. `wild` also names settings by keywords and expressions,
/// mixes settings among positional arguments, repeats them, and writes closures and prefixes
/// that do not parse; without it the values are mostly ones the macro accepts.
fn expr_with(
    literal: BoxedStrategy<String>,
    name: BoxedStrategy<String>,
    wild: bool,
) -> impl Strategy<Value = String> {
    // `|x| -> bool x` wants a block after the return type.
    let heads: Vec<&'static str> = CLOSURE_HEADS
        .iter()
        .copied()
        .filter(|head| wild || !head.contains("->"))
        .collect();
    let prefixes: &'static [&'static str] = if wild {
        &["!", "-", "&", "*", "move"]
    } else {
        &["!", "-", "&", "*"]
    };
    let leaf = prop_oneof![
        3 => literal,
        2 => name.clone(),
        1 => select(CALLEES).prop_map(|f| format!("{f}()")),
        1 => select(heads.clone()).prop_map(|head| format!("{head} x")),
        1 => select(&["()", "[]", "{}", "..", "&x", "*x", "x?", "x as u8", "x.0", "-1s",
            "std::io::Error", "1s..2s", "vec![1s]", "format!(\"{}\", self.x)"][..])
            .prop_map(str::to_owned),
    ];
    leaf.prop_recursive(4, 48, 5, move |inner| {
        let arguments = if wild {
            let setting = prop_oneof![
                2 => select(SETTINGS).prop_map(str::to_owned),
                1 => select(KEYWORDS).prop_map(str::to_owned),
                1 => inner.clone(),
            ];
            let argument = prop_oneof![
                3 => inner.clone(),
                2 => (setting, inner.clone()).prop_map(|(k, v)| format!("{k} = {v}")),
            ];
            prop::collection::vec(argument, 0..5).boxed()
        } else {
            // Positional arguments first, then settings, each named once.
            (
                prop::collection::vec(inner.clone(), 0..3),
                prop::sample::subsequence(SETTINGS, 0..3).prop_flat_map({
                    let inner = inner.clone();
                    move |names| {
                        let values = prop::collection::vec(inner.clone(), names.len());
                        (Just(names), values)
                    }
                }),
            )
                .prop_map(|(mut positional, (names, values))| {
                    positional.extend(
                        names
                            .iter()
                            .zip(values)
                            .map(|(name, value)| format!("{name} = {value}")),
                    );
                    positional
                })
                .boxed()
        };
        let call_on = |callee: BoxedStrategy<String>| {
            (callee, arguments.clone(), any::<bool>()).prop_map(|(f, args, trailing)| {
                let comma = if trailing && !args.is_empty() {
                    ","
                } else {
                    ""
                };
                format!("{f}({}{comma})", args.join(", "))
            })
        };
        prop_oneof![
            4 => call_on(select(CALLEES).prop_map(str::to_owned).boxed()),
            1 => call_on(name.clone()),
            3 => (inner.clone(), select(&["|", "&", "+", "||", "&&", "-", "*", ".."][..]),
                inner.clone())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            1 => (select(prefixes), inner.clone()).prop_map(|(op, e)| format!("{op}{e}")),
            1 => inner.clone().prop_map(|e| format!("({e})")),
            1 => inner.clone().prop_map(|e| format!("[{e}]")),
            1 => inner.clone().prop_map(|e| format!("{{ {e} }}")),
            2 => (select(heads.clone()), inner.clone())
                .prop_map(|(head, e)| format!("{head} {e}")),
            // A method on a literal would lex as a float (`3.m` as `3.` `m`) without parentheses.
            1 => (inner.clone(), name.clone(), prop::collection::vec(inner.clone(), 0..3))
                .prop_map(move |(r, m, args)| {
                    let args = args.join(", ");
                    if wild { format!("{r}.{m}({args})") } else { format!("({r}).{m}({args})") }
                }),
            1 => (select(&["vec", "format", "my_macro", "concat"][..]),
                select(&["()", "[]", "{}"][..]),
                prop::collection::vec(inner.clone(), 0..3))
                .prop_map(|(m, delimiters, args)| {
                    let (open, close) = delimiters.split_at(1);
                    format!("{m}!{open}{}{close}", args.join(", "))
                }),
        ]
    })
}

/// Tokens with no grammar at all, in nested groups.
fn soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        3 => select(SOUP).prop_map(str::to_owned),
        2 => select(keys()).prop_map(str::to_owned),
        2 => ident(),
        2 => literal(),
        1 => select(CLOSURE_HEADS).prop_map(str::to_owned),
    ];
    let tokens = token.prop_recursive(3, 32, 6, |inner| {
        (
            select(&["()", "[]", "{}"][..]),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(delimiters, tokens)| {
                let (open, close) = delimiters.split_at(1);
                format!("{open}{}{close}", tokens.join(" "))
            })
    });
    (prop::collection::vec(tokens, 0..8), any::<bool>()).prop_map(|(tokens, tight)| {
        // Without spaces, neighbours may lex as one token (`1` `s` as `1s`, `:` `:` as `::`).
        tokens.join(if tight { "" } else { " " })
    })
}

/// One entry of the attribute.
fn entry() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (select(keys()), expr()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => (select(keys()), expr()).prop_map(|(k, v)| format!("{k} {v}")),
        1 => (select(keys()), expr()).prop_map(|(k, v)| format!("{k}({v})")),
        2 => prop::collection::vec(
            prop_oneof![ident(), select(&["self", "x", "1", "x.y", "&x"][..]).prop_map(str::to_owned)],
            0..4,
        )
        .prop_map(|names| format!("clone({})", names.join(", "))),
        1 => select(&["::persevere", "persevere", "crate::p", "self", "1", "", "a::<T>::b", "::"][..])
            .prop_map(|path| format!("crate = {path}")),
        1 => expr().prop_map(|name| format!("attempt = {name}")),
        1 => soup(),
    ]
}

/// Keys the macro takes a value for (each at most once): all but `attempt`, `clone` and `crate`.
fn value_keys() -> Vec<&'static str> {
    crate::config::KEYS
        .iter()
        .copied()
        .filter(|key| !matches!(*key, "attempt" | "clone" | "crate"))
        .collect()
}

/// An attribute the macro mostly accepts: known keys, once each, with tame values.
fn tame_args() -> impl Strategy<Value = String> {
    let keys = value_keys();
    let count = keys.len();
    prop::sample::subsequence(keys, 0..=count)
        .prop_flat_map(|keys| {
            let values = prop::collection::vec(tame_expr(), keys.len());
            (Just(keys), values, prop::option::of(plain_ident()))
        })
        .prop_map(|(keys, values, attempt)| {
            let mut entries: Vec<String> = keys
                .iter()
                .zip(values)
                .map(|(key, value)| format!("{key} = {value}"))
                .collect();
            if let Some(name) = attempt {
                entries.push(format!("attempt = {name}"));
            }
            entries.join(", ")
        })
}

/// A whole attribute: entries between commas, sometimes between other separators.
fn args() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => tame_args(),
        6 => (prop::collection::vec(entry(), 0..6), any::<bool>()).prop_map(|(entries, trailing)| {
            let comma = if trailing && !entries.is_empty() { "," } else { "" };
            format!("{}{comma}", entries.join(", "))
        }),
        1 => (prop::collection::vec(entry(), 0..4), select(&[";", " ", ",,", "=", "|"][..]))
            .prop_map(|(entries, separator)| entries.join(separator)),
        1 => soup(),
    ]
}

/// Items holding a function `f` that `#[retry]` either expands or reports, each valid Rust.
const ITEMS: &[&str] = &[
    "fn f(x: u8) -> Result<u8, E> { Ok(x) }",
    "async fn f(x: u8) -> Result<u8, E> { Ok(x) }",
    "fn f(&self) -> Result<(), E> { Ok(()) }",
    "pub async fn f(&mut self, mut x: String) -> Result<usize, E> { x.push('a'); Ok(x.len()) }",
    "fn f(self) -> Result<(), E> { self.g()?; Ok(()) }",
    "#[inline] fn f<T: Clone>(x: T) -> Result<T, E> where T: Send { Ok(x) }",
    "fn f(x: u8) -> io::Result<u8> { println!(\"{}\", self.x); Ok(x) }",
    "fn f((a, b): (u8, u8), _: u8) -> Result<u8, E> { #![allow(unused)] Ok(a + b) }",
    "fn f() -> u8 { 1 }",
    "const fn f() -> Result<(), E> { Ok(()) }",
    "#[track_caller] fn f() -> Result<(), E> { Ok(()) }",
    "fn f() -> impl Sized { 1 }",
];

/// Items of any shape: function signatures and bodies put together from parts, valid or not,
/// beside token soup.
fn item() -> impl Strategy<Value = String> {
    let function = (
        select(
            &[
                "",
                "#[inline]",
                "#[track_caller]",
                "#[doc = \"x\"]",
                "#![allow(unused)]",
                "#[cfg(test)]",
            ][..],
        ),
        select(&["", "pub", "pub(crate)", "pub(in a::b)"][..]),
        prop::sample::subsequence(&["const", "async", "unsafe", "extern \"C\""][..], 0..=4),
        prop_oneof![Just(String::from("f")), ident()],
        select(&["", "<T>", "<'a, T: Clone>", "<const N: usize>", "<>"][..]),
        prop::collection::vec(
            select(
                &[
                    "self",
                    "&self",
                    "&mut self",
                    "mut self",
                    "self: Box<Self>",
                    "&'a self",
                    "x: u8",
                    "mut x: String",
                    "(a, b): (u8, u8)",
                    "_: u8",
                    "...",
                    "x: impl Fn()",
                    "args: ...",
                    "mut self: Self",
                ][..],
            ),
            0..4,
        ),
        select(
            &[
                "",
                "-> Result<u8, E>",
                "-> Result<(), E>",
                "-> io::Result<u8>",
                "-> u8",
                "-> ()",
                "-> !",
                "-> impl Sized",
                "-> Result<impl Sized, E>",
                "-> Option<u8>",
                "-> Self",
                "-> Result<Self, Self::Error>",
                "-> (u8, E)",
                "-> &'static str",
                "-> <T as X>::Out",
                "-> dyn Error",
                "-> fn()",
                "-> [u8; 3]",
                "-> (Result<u8, E>)",
                "-> Result",
            ][..],
        ),
        select(&["", "where T: Send", "where"][..]),
        select(
            &[
                ";",
                "{}",
                "{ Ok(x) }",
                "{ Ok(()) }",
                "{ self.x()?; Ok(()) }",
                "{ return Err(e); }",
                "{ #![allow(unused)] Ok(()) }",
                "{ async {}.await; Ok(()) }",
                "{ fn g(&self) {} Ok(()) }",
                "{ format!(\"{}\", self); Ok(self::X) }",
                "{ loop {} }",
                "{ let __self = 1; Ok(()) }",
                "{ impl S { fn g(self) {} } Ok(()) }",
            ][..],
        ),
    )
        .prop_map(
            |(attr, vis, qualifiers, name, generics, params, output, bounds, body)| {
                format!(
                    "{attr} {vis} {} fn {name}{generics}({}) {output} {bounds} {body}",
                    qualifiers.join(" "),
                    params.join(", ")
                )
            },
        );
    prop_oneof![
        6 => function.clone(),
        1 => function.clone().prop_map(|f| format!("impl S {{ {f} }}")),
        1 => function.prop_map(|f| format!("trait T {{ {f} }}")),
        1 => select(&["", "struct S;", "fn", "fn f", "fn f()", "fn f() -> Result<(), E>;",
            "mod m {}", "#[retry] fn f() {}"][..]).prop_map(str::to_owned),
        1 => soup(),
    ]
}

/// Lexes `source` as the compiler would before calling the macro; `None` if it does not lex.
fn lex(source: &str) -> Option<TokenStream> {
    TokenStream::from_str(source).ok()
}

/// Expands, and checks what any expansion must hold: after an error, the item exactly as written.
fn expand_checked(args: TokenStream, item: TokenStream) -> Result<String, TestCaseError> {
    let written = item.to_string();
    let expanded = retry_impl(args, item).to_string();
    if expanded.contains("compile_error") {
        prop_assert!(
            expanded.ends_with(&written),
            "an error lost the item as written:\n{expanded}"
        );
    }
    Ok(expanded)
}

/// Whether `expanded` is valid Rust items, as `syn` reads them.
fn parses(expanded: &str) -> Result<(), TestCaseError> {
    match syn::parse_str::<syn::File>(expanded) {
        Ok(_) => Ok(()),
        Err(error) => Err(TestCaseError::fail(format!(
            "the expansion is not valid Rust ({error}):\n{expanded}"
        ))),
    }
}

proptest! {
    #![proptest_config(config())]

    /// Any attribute on a function `f`: no panic, and `fn f` is still there, expanded or kept
    /// beside an error; either way the output is valid Rust (a keyword where the expansion would
    /// put a name, as in `exponential(self = 1s)` or `attempt = crate`, is the macro's error).
    #[test]
    fn attribute_arguments_never_panic(args in args(), item in select(ITEMS)) {
        let Some(tokens) = lex(&args) else {
            return Ok(());
        };
        let item_tokens = lex(item).expect("the listed items lex");
        let expanded = expand_checked(tokens, item_tokens)?;
        prop_assert!(expanded.contains("fn f"), "`{args}` lost the function:\n{expanded}");
        parses(&expanded)?;
    }

    /// Attributes of known keys with values the macro mostly accepts, on valid functions: the
    /// output, expansion or error beside the item, is valid Rust.
    #[test]
    fn accepted_attributes_expand_to_valid_rust(args in tame_args(), item in select(ITEMS)) {
        let Some(tokens) = lex(&args) else {
            return Ok(());
        };
        let item_tokens = lex(item).expect("the listed items lex");
        let expanded = expand_checked(tokens, item_tokens)?;
        prop_assert!(expanded.contains("fn f"), "`{args}` lost the function:\n{expanded}");
        parses(&expanded)?;
    }

    /// Any item under an empty attribute: no panic; an item that is not retryable is kept as
    /// written beside its error, and one that is expands to valid Rust.
    #[test]
    fn items_never_panic(item in item()) {
        let Some(tokens) = lex(&item) else {
            return Ok(());
        };
        let expanded = expand_checked(TokenStream::new(), tokens)?;
        if !expanded.contains("compile_error") {
            parses(&expanded)?;
        }
    }

    /// Any attribute on any item: no panic.
    #[test]
    fn arguments_and_items_together_never_panic(args in args(), item in item()) {
        let (Some(args), Some(item)) = (lex(&args), lex(&item)) else {
            return Ok(());
        };
        expand_checked(args, item)?;
    }
}
