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
use proptest::test_runner::{Config, RngSeed};

use super::retry_impl;

/// Few enough cases to run in a few seconds in debug builds. No regression files: a failure
/// prints its minimal input, to be kept as a plain test beside the others in `lib.rs`.
fn config() -> Config {
    let default = Config::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        default.cases
    } else {
        256
    };
    Config {
        // `PROPTEST_CASES=100000` runs a longer search.
        cases,
        // Inputs the lexer rejects are skipped: a long search skips more of them than proptest's
        // default allows.
        max_local_rejects: default.max_local_rejects.max(cases.saturating_mul(8)),
        // One seed by default, so that a run is repeatable and CI's verdict is the code's;
        // `PROPTEST_RNG_SEED=<n>`, or `PROPTEST_CASES`, searches elsewhere.
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some()
            || std::env::var_os("PROPTEST_CASES").is_some()
        {
            default.rng_seed
        } else {
            RngSeed::Fixed(0x7e75_e7e2)
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
        // A closure is kept in a block after the error (see `with_errors`).
        prop_assert!(
            expanded.ends_with(&written) || expanded.ends_with(&format!("{written} }}")),
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

// ---------------------------------------------------------------------------------------------
// Signatures and bodies named after the runtime.
//
// Functions whose names, parameters, types, generic parameters and body locals are the runtime's
// public names (and raw identifiers), under attributes whose values read those parameters: the
// names that the macro's scopes (`use #rt::names::<family>::*`, `use self::*`, the parameters'
// references) and its generated code meet.

/// Every public name of the runtime: `persevere`'s root (`retry-runtime/src/lib.rs`: its `pub use`
/// lines and public modules), the families the values see (the `pub use` lines of
/// `retry-runtime/src/{stop,wait,condition,hook,http}/mod.rs`, and the traits and items those
/// modules define), the level functions of `hook::level`, and the level-like names `names::hook`
/// adds.
const RUNTIME_NAMES: &[&str] = &[
    // The crate root.
    "Attempt",
    "Name",
    "Outcome",
    "DEFAULT_STOP",
    "DEFAULT_WAIT",
    "Policy",
    "Schedule",
    "Attempted",
    "OutcomeKind",
    "Report",
    "Ending",
    "RetryState",
    "FromTimeout",
    "Limits",
    "NoLimits",
    "SyncLimits",
    "TimeLimits",
    "Timeout",
    "BreakerOpen",
    "breaker",
    "budget",
    "cancel",
    "condition",
    "config",
    "engine",
    "hint",
    "hook",
    "http",
    "jitter",
    "metrics",
    "sleep",
    "stop",
    "testing",
    "wait",
    // `stop`
    "Attempts",
    "attempts",
    "Cancelled",
    "cancelled",
    "StopAll",
    "StopAny",
    "from_fn",
    "Never",
    "never",
    "Retries",
    "retries",
    "Deadline",
    "Elapsed",
    "deadline",
    "elapsed",
    "Stop",
    // `wait`
    "CaseList",
    "Cases",
    "NoCase",
    "when",
    "Chain",
    "EmptyChain",
    "WaitList",
    "chain",
    "chain_vec",
    "WaitSum",
    "Exponential",
    "exponential",
    "Fixed",
    "fixed",
    "none",
    "from_error",
    "FromError",
    "FromOk",
    "ServerHintWait",
    "server_hint",
    "Incrementing",
    "incrementing",
    "DecorrelatedJitter",
    "ExponentialJitter",
    "Random",
    "RandomExponential",
    "decorrelated_jitter",
    "exponential_jitter",
    "random",
    "random_exponential",
    "Wait",
    // `condition`
    "Always",
    "AnyError",
    "NoOk",
    // other libraries' names, answered with what to write
    "constant",
    "linear",
    "fibonacci",
    "expo",
    "times",
    "max_tries",
    "after_attempts",
    "OnError",
    "OnOk",
    "always",
    "any_error",
    "on_error",
    "on_ok",
    "CodeSet",
    "ErrorCode",
    "ErrorCodes",
    "error_codes",
    "All",
    "Any",
    "Not",
    "Boxed",
    "ErrorChain",
    "ErrorType",
    "Plain",
    "SearchedError",
    "Unsync",
    "error_type",
    "message_matches",
    "MessageContains",
    "MessageIs",
    "MessageMatches",
    "CauseType",
    "message_contains",
    "message_is",
    "Condition",
    // `hook`, `hook::level`, and the level-like names of `names::hook`
    "GiveUp",
    "ReturnLast",
    "IntoLevel",
    "Level",
    "Log",
    "level",
    "log",
    "ordinal",
    "LogEvent",
    "LogSite",
    "Moment",
    "Hook",
    "NoHook",
    "trace",
    "debug",
    "info",
    "warn",
    "error",
    "warning",
    "critical",
    "fatal",
    // `http`
    "retry_after",
    "retry_after_value",
    "HttpStatus",
    "RetryableStatus",
    "StatusSet",
    "Statuses",
    "is_retryable_status",
    "retryable_status",
    "statuses",
];

/// Raw identifiers: keywords as names.
const RAW_IDENTS: &[&str] = &[
    "r#type", "r#match", "r#fn", "r#use", "r#impl", "r#struct", "r#loop", "r#async", "r#dyn",
];

/// Names of strategies' settings (`exponential(min = ..)`), which users give parameters too.
const SETTING_NAMES: &[&str] = &["min", "max", "multiplier", "base", "jitter", "initial"];

/// The settings a template gives a value (`{s} = {d}`): those of the runtime's waits that take a
/// duration (`base`, a number, given one is an error).
const DURATION_SETTINGS: &[&str] = &["min", "max", "multiplier", "jitter", "initial"];

/// Names for values: parameters, locals, functions (the runtime's `snake_case` names, raw
/// identifiers, and settings' names).
fn value_names() -> Vec<&'static str> {
    RUNTIME_NAMES
        .iter()
        .copied()
        .filter(|name| name.starts_with(|c: char| c.is_ascii_lowercase()))
        .chain(RAW_IDENTS.iter().copied())
        .chain(SETTING_NAMES.iter().copied())
        .collect()
}

/// Names for types, generic parameters and constants: the runtime's capitalised names.
fn type_names() -> Vec<&'static str> {
    RUNTIME_NAMES
        .iter()
        .copied()
        .filter(|name| name.starts_with(|c: char| c.is_ascii_uppercase()))
        .collect()
}

/// Durations the macro accepts.
const GOOD_DURATIONS: &[&str] = &["1s", "250ms", "0s", "1.5s", "2m", "10us"];

/// Good durations for a time limit, where a literal zero is an error.
const GOOD_LIMITS: &[&str] = &["1s", "250ms", "1.5s", "2m", "10us"];

/// A piece of source with placeholders, and the picks that fill them: `{p}` a parameter's name
/// (a value name when there is none), `{v}` a value name, `{T}` a type name, `{G}` a generic
/// parameter's name (a type name when there is none), `{s}` a setting's name, `{d}` a duration.
#[derive(Clone, Debug)]
struct Template(&'static str, Vec<prop::sample::Index>);

fn template(list: &'static [&'static str]) -> impl Strategy<Value = Template> + Clone {
    (
        select(list),
        prop::collection::vec(any::<prop::sample::Index>(), 6),
    )
        .prop_map(|(text, picks)| Template(text, picks))
}

/// What a template's placeholders are filled from.
struct Names<'a> {
    params: &'a [String],
    generics: &'a [String],
}

impl Names<'_> {
    fn fill(&self, template: &Template) -> String {
        let Template(text, picks) = template;
        let values = value_names();
        let types = type_names();
        let mut out = String::new();
        let mut rest = *text;
        let mut next = 0;
        while let Some(at) = rest.find('{') {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            let placeholder = ["{p}", "{v}", "{T}", "{G}", "{s}", "{d}", "{l}"]
                .into_iter()
                .find(|placeholder| tail.starts_with(placeholder));
            let Some(placeholder) = placeholder else {
                out.push('{');
                rest = &tail[1..];
                continue;
            };
            let pick = &picks[next % picks.len()];
            next += 1;
            let name = match placeholder {
                "{p}" if !self.params.is_empty() => pick.get(self.params).clone(),
                "{p}" | "{v}" => pick.get(&values).to_string(),
                "{G}" if !self.generics.is_empty() => pick.get(self.generics).clone(),
                "{T}" | "{G}" => pick.get(&types).to_string(),
                "{s}" => pick.get(DURATION_SETTINGS).to_string(),
                "{l}" => pick.get(GOOD_LIMITS).to_string(),
                _ => pick.get(GOOD_DURATIONS).to_string(),
            };
            out.push_str(&name);
            rest = &tail[placeholder.len()..];
        }
        out.push_str(rest);
        out
    }
}

/// Attributes on a parameter: `#[cfg]`s true and false, and a `#[cfg_attr]` that makes one.
const PARAM_ATTRS: &[&str] = &[
    "",
    "",
    "",
    "#[cfg(any())]",
    "#[cfg(all())]",
    "#[cfg(test)]",
    "#[cfg_attr(all(), allow(unused))]",
    "#[cfg_attr(any(), cfg(any()))]",
    "#[allow(unused_mut)] #[cfg(not(test))]",
];

/// Parameter types, of the runtime's type names and the function's generic parameters.
const PARAM_TYPES: &[&str] = &[
    "u32",
    "&{T}",
    "&mut {T}",
    "{T}",
    "Option<{T}>",
    "std::time::Duration",
    "&str",
    "String",
    "Box<dyn Fn(u32) -> {T}>",
    "{G}",
    "&[{G}]",
    "impl Fn() -> {T}",
    "({T}, u8)",
    "r#type",
    "&'a {v}::{T}",
];

/// Return types: `Result`s of the runtime's type names.
const OUTPUTS: &[&str] = &[
    "Result<{T}, {T}>",
    "Result<(), {T}>",
    "std::io::Result<{T}>",
    "Result<{G}, {T}>",
    "Result<r#type, {T}>",
    "Result<Self, {T}>",
    "Result<Vec<{T}>, Box<dyn std::error::Error>>",
    "Result<{v}::{T}, {v}::{T}>",
    "Result<<{G} as {T}>::{T}, {T}>",
];

/// Receivers, by value (which `clone(self)` must list), borrowed, boxed, under a `#[cfg]`.
const RECEIVERS: &[&str] = &[
    "self",
    "&self",
    "&mut self",
    "mut self",
    "self: Box<Self>",
    "&'a self",
    "#[cfg(all())] &self",
];

/// Bounds of a generic parameter.
const BOUNDS: &[&str] = &["", ": Clone", ": {T}", ": {T} + Send", ": 'a"];

/// Statements of the body: locals named like the runtime's names, statements under `#[cfg]` and
/// `#[cfg_attr]`, moves of parameters, nested items (`fn`, `struct`, `use`, `impl`, `trait`,
/// `mod`, `macro_rules!`), macros reading parameters, and locals named like the expansion's.
const STATEMENTS: &[&str] = &[
    "let {v} = {p};",
    "let {v}: {T} = {T}::new();",
    "let mut {v} = {v}({p})?;",
    "#[cfg(any())] let {v} = {p};",
    "#[cfg(all())] let _ = &{p};",
    "#[cfg_attr(all(), allow(unused_variables))] let {v} = 1;",
    "#[cfg_attr(any(), cfg(any()))] let {v} = {p};",
    "#[cfg(test)] drop({p});",
    "#[cfg(any())] return Err({T});",
    "#[cfg(not(any()))] {p}.{v}();",
    "drop({p});",
    "let _ = {p};",
    "{p}.{v}()?;",
    "{v}(&{p});",
    "fn {v}({p}: u32) -> u32 { {p} }",
    "fn {v}() -> Result<{T}, {T}> { Ok({T}) }",
    "struct {T};",
    "struct {T} { {v}: u32 }",
    "enum {T} { {T} }",
    "use std::time::Duration as {T};",
    "use std::cell::Cell as {T};",
    "use self::{v} as _;",
    "use super::*;",
    "impl {T} { fn {v}(&self) -> u32 { 1 } }",
    "trait {T} { fn {v}(&self); }",
    "const {T}: u32 = 1;",
    "static {T}: u32 = 1;",
    "mod {v} {}",
    "macro_rules! {v} { () => {}; }",
    "let {v} = |{p}: u32| {p} + 1;",
    "println!(\"{}\", {p});",
    "let {v} = format!(\"{{p}:?}\");",
    "let ({v}, _) = ({p}, 1);",
    "match {p} { {v} => {} }",
    "if let Some({v}) = {p} { return Ok({v}); }",
    "let {v} = async { {p} }.await;",
    "let r#type = {p};",
    "#[allow(unused)] { let {v} = (); }",
    "self.{v}()?;",
    "{ use std::io::Error as {T}; let _ = {T}::other(\"x\"); }",
    "let __persevere_arg_attempts = 1;",
    "let __run = {p};",
];

/// The body's last statement or value.
const TAILS: &[&str] = &[
    "Ok({p})",
    "Ok({T})",
    "Ok(())",
    "{v}({p})",
    "Err({T})?",
    "{p}.{v}()",
    "Ok({v}::{T})",
    "Ok(Self::{v})",
    "async { Ok({p}) }.await",
    "match {p} { _ => Ok({T}) }",
    "if {p} { Ok({T}) } else { Err({T}) }",
    "",
    "return Ok({p});",
    "#[cfg(all())] Ok({p})",
    "{ Ok({p}) }",
    "Ok(self.{v})",
    "loop { break Ok({p}); }",
    "{T} { {v}: {p} }.into()",
    "Ok({p}.clone())",
];

/// Inner attributes at the top of the body.
const INNER_ATTRIBUTES: &[&str] = &[
    "",
    "",
    "#![allow(unused)]",
    "#![allow(unused_variables)] #![allow(dead_code)]",
    "#![cfg_attr(all(), allow(unused))]",
];

/// Attributes on the function, beside `#[retry]`.
const OUTER_ATTRIBUTES: &[&str] = &[
    "",
    "",
    "#[inline]",
    "#[doc = \"x\"]",
    "#[cfg_attr(all(), inline)]",
    "#[allow(non_snake_case)]",
    "#[must_use]",
];

/// What wraps the user's body, as written or as an attribute above `#[retry]` rewrote it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Shape {
    Plain,
    /// `#[async_trait]` has made the method a `fn` returning `Box::pin(async move { .. })`.
    AsyncTrait,
    /// `#[tracing::instrument]` has moved the body into its `async move` wrapper.
    Instrumented,
    /// `#[tracing::instrument(err)]` has moved a sync body into its `(move || BODY)()`.
    InstrumentedSync,
}

/// A function named after the runtime, before its names are filled in.
#[derive(Clone, Debug)]
struct NamedFn {
    outer: &'static str,
    vis: &'static str,
    asyncness: bool,
    shape: Shape,
    name: &'static str,
    lifetime: bool,
    generics: Vec<(&'static str, &'static str)>,
    receiver: Option<&'static str>,
    params: Vec<(&'static str, bool, &'static str, Template)>,
    output: Template,
    where_clause: bool,
    inner: &'static str,
    statements: Vec<Template>,
    tail: Template,
    /// Picks for the generic parameters' bounds.
    picks: Vec<prop::sample::Index>,
}

/// The function's source, and what the checks need to know of it.
#[derive(Debug)]
struct Written {
    source: String,
    /// The name as written (`r#match` stays `r#match`).
    name: String,
    /// The body's tokens after its inner attributes, which the expansion must emit as written
    /// (`None` where an attribute above rewrote the body).
    body: Option<String>,
    params: Vec<String>,
    /// The parameters taken as `&mut`, which `clone(..)` refuses.
    mut_refs: Vec<String>,
    generics: Vec<String>,
    /// `self` or `mut self`: `check` requires `clone(self)`.
    by_value_self: bool,
    /// An `async fn`, or a method `#[async_trait]` rewrote: time limits are allowed.
    asyncness: bool,
}

impl Written {
    /// What the attribute's templates are filled from.
    fn names(&self) -> Names<'_> {
        Names {
            params: &self.params,
            generics: &self.generics,
        }
    }
}

/// A function named after the runtime: sync or async, plain or rewritten by an attribute above,
/// with or without a receiver, generics and a `where` clause.
fn named_fn() -> impl Strategy<Value = NamedFn> {
    let values = value_names();
    let types = type_names();
    let names: Vec<&'static str> = values
        .iter()
        .chain(types.iter())
        .copied()
        .chain(["f"])
        .collect();
    let signature = (
        select(OUTER_ATTRIBUTES),
        select(&["", "pub", "pub(crate)"][..]),
        any::<bool>(),
        select(
            &[
                Shape::Plain,
                Shape::Plain,
                Shape::Plain,
                Shape::AsyncTrait,
                Shape::Instrumented,
                Shape::InstrumentedSync,
            ][..],
        ),
        select(names),
        any::<bool>(),
        prop::sample::subsequence(types, 0..3)
            .prop_shuffle()
            .prop_flat_map(|names| {
                let bounds = prop::collection::vec(select(BOUNDS), names.len());
                (Just(names), bounds)
            })
            .prop_map(|(names, bounds)| names.into_iter().zip(bounds).collect::<Vec<_>>()),
        prop::option::weighted(0.4, select(RECEIVERS)),
    );
    let params = prop::sample::subsequence(values, 0..5)
        .prop_shuffle()
        .prop_flat_map(|names| {
            let count = names.len();
            (
                Just(names),
                prop::collection::vec(
                    (select(PARAM_ATTRS), any::<bool>(), template(PARAM_TYPES)),
                    count,
                ),
            )
        })
        .prop_map(|(names, rest)| {
            names
                .into_iter()
                .zip(rest)
                .map(|(name, (attr, mutable, ty))| (attr, mutable, name, ty))
                .collect::<Vec<_>>()
        });
    let body = (
        template(OUTPUTS),
        any::<bool>(),
        select(INNER_ATTRIBUTES),
        prop::collection::vec(template(STATEMENTS), 0..5),
        template(TAILS),
        prop::collection::vec(any::<prop::sample::Index>(), 4),
    );
    (signature, params, body).prop_map(
        |(
            (outer, vis, asyncness, shape, name, lifetime, generics, receiver),
            params,
            (output, where_clause, inner, statements, tail, picks),
        )| NamedFn {
            outer,
            vis,
            asyncness,
            shape,
            name,
            lifetime,
            generics,
            receiver,
            params,
            output,
            where_clause,
            inner,
            statements,
            tail,
            picks,
        },
    )
}

impl NamedFn {
    /// The source, its names filled in.
    fn write(&self) -> Written {
        let generic_names: Vec<String> = self
            .generics
            .iter()
            .map(|(name, _)| (*name).to_owned())
            .collect();
        let param_names: Vec<String> = self
            .params
            .iter()
            .map(|(_, _, name, _)| (*name).to_owned())
            .collect();
        let names = Names {
            params: &param_names,
            generics: &generic_names,
        };
        let mut generics: Vec<String> = Vec::new();
        if self.lifetime || self.shape == Shape::AsyncTrait {
            generics.push("'a".to_owned());
        }
        for (name, bound) in &self.generics {
            generics.push(format!(
                "{name}{}",
                names.fill(&Template(bound, self.picks.clone()))
            ));
        }
        let mut inputs: Vec<String> = Vec::new();
        let receiver = match self.shape {
            Shape::AsyncTrait => Some("&'a self"),
            _ => self.receiver,
        };
        if let Some(receiver) = receiver {
            inputs.push(receiver.to_owned());
        }
        let mut mut_refs = Vec::new();
        for (attr, mutable, name, ty) in &self.params {
            let mutability = if *mutable { "mut " } else { "" };
            let ty = names.fill(ty);
            if matches!(syn::parse_str::<syn::Type>(&ty), Ok(syn::Type::Reference(reference)) if reference.mutability.is_some())
            {
                mut_refs.push((*name).to_owned());
            }
            inputs.push(format!("{attr} {mutability}{name}: {ty}"));
        }
        let output = names.fill(&self.output);
        let statements: Vec<String> = self
            .statements
            .iter()
            .map(|stmt| names.fill(stmt))
            .collect();
        let body = format!("{} {}", statements.join(" "), names.fill(&self.tail));
        let where_clause = match (self.where_clause, generic_names.first()) {
            (true, Some(first)) => format!("where {first}: Send,"),
            (true, None) => "where".to_owned(),
            (false, _) => String::new(),
        };
        let generics = if generics.is_empty() {
            String::new()
        } else {
            format!("<{}>", generics.join(", "))
        };
        let (asyncness, output, block) = match self.shape {
            Shape::Plain => (
                self.asyncness,
                output,
                format!("{{ {} {body} }}", self.inner),
            ),
            Shape::AsyncTrait => {
                let moved: String = param_names
                    .iter()
                    .map(|name| format!("let {name} = {name};"))
                    .collect();
                (
                    false,
                    format!(
                        "::core::pin::Pin<Box<dyn ::core::future::Future<Output = {output}> + ::core::marker::Send + 'a>>"
                    ),
                    format!(
                        "{{ {inner} Box::pin(async move {{ if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<{output}> {{ #[allow(unreachable_code)] return __ret; }} let __self = self; {moved} let __ret: {output} = {{ {body} }}; #[allow(unreachable_code)] __ret }}) }}",
                        inner = self.inner
                    ),
                )
            }
            Shape::Instrumented => (
                true,
                output,
                format!(
                    "{{ {inner} let __tracing_attr_span = tracing::span!(tracing::Level::INFO, \"f\"); let __tracing_instrument_future = async move {{ {body} }}; if !__tracing_attr_span.is_disabled() {{ tracing::Instrument::instrument(__tracing_instrument_future, __tracing_attr_span).await }} else {{ __tracing_instrument_future.await }} }}",
                    inner = self.inner
                ),
            ),
            Shape::InstrumentedSync => (
                false,
                output,
                format!(
                    "{{ {inner} {{}} let __tracing_attr_span; let __tracing_attr_guard; if true {{ __tracing_attr_span = tracing::Span::none(); __tracing_attr_guard = __tracing_attr_span.enter(); }} #[allow(clippy::redundant_closure_call)] match (move || {{ {body} }})() {{ Ok(x) => Ok(x), Err(e) => Err(e) }} }}",
                    inner = self.inner
                ),
            ),
        };
        let source = format!(
            "{outer} {vis} {qualifier} fn {name}{generics}({inputs}) -> {output} {where_clause} {block}",
            outer = self.outer,
            vis = self.vis,
            qualifier = if asyncness { "async" } else { "" },
            name = self.name,
            inputs = inputs.join(", "),
        );
        Written {
            source,
            name: self.name.to_owned(),
            body: (self.shape == Shape::Plain).then_some(body),
            params: param_names,
            mut_refs,
            generics: generic_names,
            by_value_self: matches!(receiver, Some("self" | "mut self")),
            asyncness: asyncness || self.shape == Shape::AsyncTrait,
        }
    }
}

/// Values for each key that read the parameters, call the runtime's names, or both; none is a
/// mistake the macro reports (`||`, `?`, `attempts(0)`, a hook typed as taking the error).
fn value_templates(key: &str) -> &'static [&'static str] {
    match key {
        "stop" => &[
            "attempts({p})",
            "attempts({p}) | elapsed({p})",
            "retries({p}) & never",
            "never",
            "|s| s.attempt() > {p}",
            "{p}",
            "deadline({p})",
            "attempts({p} + 1)",
            "attempts(*{p})",
            "attempts(3) | |_| {p}",
            "{v}({p})",
            "{v}",
            "attempts({p}.len())",
        ],
        "wait" => &[
            "fixed({p})",
            "exponential({s} = {p})",
            "exponential({s} = {d})",
            "random({p}, {p})",
            "chain(fixed({p}), fixed({d}))",
            "fixed({d}) + {p}",
            "|_| {p}",
            "{p}.clone()",
            "{v}({s} = {d})",
            "{v}({p}, {s} = {p})",
            "{v}({p} = {p})",
            "random({p} = {d})",
            "fixed({d})",
            "chain_vec(vec![fixed({p})])",
            "{v}::{v}({p})",
        ],
        "retry_if" => &[
            "|e| {p}.matches(e)",
            "on_error({p})",
            "{p}",
            "!{p} | always",
            "error_type::<{T}>()",
            "error_type::<{T}>",
            "message_contains({p})",
            "|_| {p}",
            "{v}",
            "{v}({p}) & !never",
            "|e| matches!(e, {T}::{T})",
        ],
        "retry_if_ok" => &["|v| *v == {p}", "{p}", "|_| {p}.is_empty()"],
        "before" | "after" | "before_sleep" | "on_finish" => &[
            "|s| {p}.len()",
            "log({p})",
            "log(warn)",
            "log({v})",
            "{p}",
            "|{p}| drop({p})",
            "|s| {p}.borrow_mut().push(s.attempt())",
            "|s| println!(\"{} {}\", {p}, s.attempt())",
            "|s| assert_eq!({p}, s.attempt())",
            "|s| {p}(s)",
            "{v}({p})",
            "|_| drop({T} { {p} })",
            "|_| {p}.set({p}.get() + 1)",
        ],
        "on_give_up" => &["|o, s| {p}(o)", "|o, _| o.map_err(|_| {p})", "{p}"],
        "sleep" => &["{p}.clone()", "|d| {p}.sleep(d)", "{p}"],
        "span" => &["{p}", "true", "!{p}"],
        "policy" => &["{p}.clone()", "{p}", "{v}({p})"],
        "budget" => &["{p}", "*{p}", "{T}"],
        "timeout" | "total_timeout" => &["{p}", "{p} * 2", "{l}", "{v}({p})"],
        "nested" => &["once", "retry", "{p}"],
        "name" => &["\"{v}\"", "\"{T}::{p}\""],
        _ => &["{p}", "{v}", "{v}({p})"],
    }
}

/// The keys whose value a template gives: all but `attempt`, `clone` and `crate`, which the
/// builder writes itself, and `hedge`, which refuses most signatures the builder writes (sync,
/// `&mut`, `attempt`, `clone`): tests/hedging.rs and the ui case `hedge_errors` cover it.
fn templated_keys() -> Vec<&'static str> {
    crate::config::KEYS
        .iter()
        .copied()
        .filter(|key| !matches!(*key, "attempt" | "clone" | "crate" | "hedge"))
        .collect()
}

/// An attribute, before its names are filled in.
#[derive(Clone, Debug)]
struct NamedArgs {
    /// Keys, each with its template's index into the key's list and its picks.
    entries: Vec<(&'static str, prop::sample::Index, Template)>,
    clone: Vec<prop::sample::Index>,
    clone_self: bool,
    attempt: Option<Template>,
}

fn named_args(wild: bool) -> impl Strategy<Value = NamedArgs> {
    let keys = templated_keys();
    let entries = if wild {
        // Any key, any value's template, in any number, repeated or not.
        prop::collection::vec(
            (
                select(
                    keys.iter()
                        .copied()
                        .chain(ODD_KEYS.iter().copied())
                        .collect::<Vec<_>>(),
                ),
                any::<prop::sample::Index>(),
                template(&[""]),
            ),
            0..6,
        )
        .boxed()
    } else {
        let count = keys.len();
        prop::sample::subsequence(keys, 0..=count)
            .prop_flat_map(|keys| {
                let count = keys.len();
                (
                    Just(keys),
                    prop::collection::vec((any::<prop::sample::Index>(), template(&[""])), count),
                )
            })
            .prop_map(|(keys, rest)| {
                keys.into_iter()
                    .zip(rest)
                    .map(|(key, (index, picks))| (key, index, picks))
                    .collect()
            })
            .boxed()
    };
    (
        entries,
        prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        prop::bool::weighted(0.2),
        prop::option::of(template(&["{v}", "{p}"])),
    )
        .prop_map(|(entries, clone, clone_self, attempt)| NamedArgs {
            entries,
            clone,
            clone_self,
            attempt,
        })
}

impl NamedArgs {
    /// The attribute for `function`. `tame` writes one the macro must accept: a time limit only
    /// on an async function, `clone(self)` exactly when `self` is taken by value, each argument
    /// cloned once.
    fn write(&self, function: &Written, tame: bool) -> String {
        let names = function.names();
        let mut entries: Vec<String> = Vec::new();
        for (key, index, Template(_, picks)) in &self.entries {
            // In the wild, a key's value may come from another key's list.
            let list_key = if tame {
                *key
            } else {
                let keys = templated_keys();
                *index.get(&keys)
            };
            if tame && !function.asyncness && matches!(*key, "timeout" | "total_timeout") {
                continue;
            }
            let list = value_templates(list_key);
            let value = names.fill(&Template(list[index.index(list.len())], picks.clone()));
            entries.push(format!("{key} = {value}"));
        }
        let mut cloned: Vec<String> = Vec::new();
        if (tame && function.by_value_self) || (!tame && self.clone_self) {
            cloned.push("self".to_owned());
        }
        if !function.params.is_empty() {
            for pick in &self.clone {
                let name = pick.get(&function.params);
                if !tame || (!cloned.contains(name) && !function.mut_refs.contains(name)) {
                    cloned.push(name.clone());
                }
            }
        }
        if !cloned.is_empty() {
            entries.push(format!("clone({})", cloned.join(", ")));
        }
        if let Some(attempt) = &self.attempt {
            // Named like an argument, it would hide it from the body: the macro's error.
            let name = names.fill(attempt);
            if !function.params.contains(&name) {
                entries.push(format!("attempt = {name}"));
            }
        }
        entries.join(", ")
    }
}

/// Checks a successful expansion of `function`: valid Rust, one function of the name as written
/// with the signature as written (a `clone(..)` binding made `mut` aside), and the body's tokens
/// as written.
fn check_named(expanded: &str, function: &Written) -> Result<(), TestCaseError> {
    parses(expanded)?;
    let name = &function.name;
    prop_assert!(
        expanded.contains(&format!("fn {name}")),
        "the expansion lost `fn {name}`:\n{expanded}"
    );
    let file = syn::parse_str::<syn::File>(expanded).expect("parsed above");
    let written = syn::parse_str::<syn::ItemFn>(&function.source)
        .map_err(|error| TestCaseError::fail(format!("the written item is no fn ({error})")))?;
    let [syn::Item::Fn(item)] = file.items.as_slice() else {
        return Err(TestCaseError::fail(format!(
            "the expansion is not one function:\n{expanded}"
        )));
    };
    let tokens = |tokens: &dyn quote::ToTokens| tokens.to_token_stream().to_string();
    prop_assert_eq!(item.sig.ident.to_string(), name.clone());
    prop_assert_eq!(
        item.sig.asyncness.is_some(),
        written.sig.asyncness.is_some()
    );
    prop_assert_eq!(tokens(&item.sig.generics), tokens(&written.sig.generics));
    prop_assert_eq!(
        tokens(&item.sig.generics.where_clause),
        tokens(&written.sig.generics.where_clause)
    );
    prop_assert_eq!(tokens(&item.sig.output), tokens(&written.sig.output));
    prop_assert_eq!(item.sig.inputs.len(), written.sig.inputs.len());
    for (now, then) in item.sig.inputs.iter().zip(&written.sig.inputs) {
        match (now, then) {
            (syn::FnArg::Typed(now), syn::FnArg::Typed(then)) => {
                prop_assert_eq!(tokens(&now.ty), tokens(&then.ty));
                let (now, then) = (tokens(&now.pat), tokens(&then.pat));
                prop_assert_eq!(
                    now.trim_start_matches("mut "),
                    then.trim_start_matches("mut ")
                );
            }
            (syn::FnArg::Receiver(now), syn::FnArg::Receiver(then)) => {
                prop_assert_eq!(tokens(&now.self_token), tokens(&then.self_token));
            }
            _ => return Err(TestCaseError::fail("a parameter changed its kind")),
        }
    }
    if let Some(body) = &function.body {
        let body = lex(body).expect("the body lexed with its item").to_string();
        prop_assert!(
            expanded.contains(&body),
            "the body's tokens are not in the expansion as written:\n{body}\n{expanded}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Functions named after the runtime, under attributes reading their parameters, any key
    /// any value: no panic; an error keeps the item as written; an expansion is valid Rust and
    /// keeps the function, its signature and its body's tokens as written.
    #[test]
    fn runtime_names_in_signatures_and_bodies_never_panic(
        function in named_fn(),
        args in named_args(true),
    ) {
        let function = function.write();
        let args = args.write(&function, false);
        let (Some(args_tokens), Some(item)) = (lex(&args), lex(&function.source)) else {
            return Ok(());
        };
        let expanded = expand_checked(args_tokens, item)?;
        if !expanded.contains("compile_error") {
            check_named(&expanded, &function)?;
        }
    }

    /// The same functions under attributes the macro must accept (known keys once each, values
    /// that are no mistake): no error, and the expansion keeps the function as written.
    #[test]
    fn runtime_names_in_signatures_and_bodies_are_accepted(
        function in named_fn(),
        args in named_args(false),
    ) {
        let function = function.write();
        let args = args.write(&function, true);
        let args_tokens = lex(&args).expect("the templates lex");
        let item = lex(&function.source).expect("the templates lex");
        let expanded = expand_checked(args_tokens, item)?;
        prop_assert!(
            !expanded.contains("compile_error"),
            "`#[retry({})]` refused\n{}\n{}", args, function.source, expanded
        );
        check_named(&expanded, &function)?;
    }
}
