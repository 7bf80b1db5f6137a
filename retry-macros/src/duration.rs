//! Duration literals inside attribute values: `250ms`, `4s`, `1.5s`, `2m`, `1h`.
//!
//! ```text
//! wait = fixed(1.5s)   ==>   wait = fixed(RT::core::time::Duration::new(1u64, 500000000u32))
//! ```

use crate::walk::{WalkMut, WalkerMut};
use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::quote;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprLit, Lit, Macro};

use crate::errors::Errors;
use crate::suggest;

const UNITS: &[(&str, u128)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];
pub(crate) const UNIT_NAMES: &[&str] = &["ns", "us", "ms", "s", "m", "h"];
/// Suffixes Rust itself gives numbers; those literals are left alone.
const RUST_SUFFIXES: &[&str] = &[
    "", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    "f16", "f32", "f64", "f128",
];
/// Common spellings that mean one of our units.
pub(crate) const ALIASES: &[(&str, &str)] = &[
    ("sec", "s"),
    ("secs", "s"),
    ("min", "m"),
    ("mins", "m"),
    ("hr", "h"),
    ("hrs", "h"),
    ("msec", "ms"),
    ("millis", "ms"),
    // The micro sign and the Greek mu: `5µs` is `5us`, not `5ns`.
    ("\u{b5}s", "us"),
    ("\u{3bc}s", "us"),
    ("usec", "us"),
    ("micros", "us"),
    ("nsec", "ns"),
    ("nanos", "ns"),
    ("seconds", "s"),
    ("minutes", "m"),
    ("hours", "h"),
];

/// `1h30m` (a whole number and unit, then more of them) as one literal in the largest unit that
/// holds it whole: `90m`. `None` for anything else.
fn compound(digits: &str, suffix: &str) -> Option<String> {
    let unit_of = |name: &str| {
        UNITS
            .iter()
            .find(|(unit, _)| *unit == name)
            .map(|(_, n)| *n)
    };
    let mut number = digits.parse::<u128>().ok()?;
    let mut rest = suffix;
    let (mut total, mut parts) = (0u128, 0);
    loop {
        let letters = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        total = total.checked_add(number.checked_mul(unit_of(&rest[..letters])?)?)?;
        parts += 1;
        rest = &rest[letters..];
        if rest.is_empty() {
            break;
        }
        let figures = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        number = rest[..figures].parse().ok()?;
        rest = &rest[figures..];
    }
    if parts < 2 {
        return None;
    }
    let (name, unit) = UNITS.iter().rev().find(|(_, unit)| total % unit == 0)?;
    Some(format!("{}{name}", total / unit))
}

/// A duration literal's value, in nanoseconds, if `literal` is one. `Err` for a suffix that is
/// neither a unit nor Rust's own.
pub(crate) fn value(literal: &Lit) -> Option<syn::Result<u128>> {
    let (digits, suffix, span) = match literal {
        Lit::Int(int) => (int.base10_digits().to_owned(), int.suffix(), int.span()),
        Lit::Float(float) => (
            float.base10_digits().to_owned(),
            float.suffix(),
            float.span(),
        ),
        _ => return None,
    };
    if RUST_SUFFIXES.contains(&suffix) {
        return None;
    }
    Some(parse(&digits, suffix, span))
}

fn parse(digits: &str, suffix: &str, span: Span) -> syn::Result<u128> {
    let Some(&(_, unit)) = UNITS.iter().find(|(name, _)| *name == suffix) else {
        if let Some(one) = compound(digits, suffix) {
            return Err(syn::Error::new(
                span,
                format!("`{digits}{suffix}` is several units in one literal; write `{one}`"),
            ));
        }
        let lowercase = suffix.to_ascii_lowercase();
        let likely = ALIASES
            .iter()
            .find(|(alias, _)| *alias == suffix)
            .map(|(_, unit)| *unit)
            // `500MS`: units are lowercase. A lone `M` may mean anything but minutes.
            .or_else(|| {
                UNIT_NAMES
                    .iter()
                    .copied()
                    .find(|unit| *unit == lowercase && suffix != "M")
            })
            // One or two letters are too short to guess a typo from.
            .or_else(|| {
                (suffix.len() > 2)
                    .then(|| suggest::closest(suffix, UNIT_NAMES))
                    .flatten()
            });
        let message = match likely {
            Some(unit) => format!("unknown duration unit `{suffix}`; did you mean `{unit}`?"),
            None => format!(
                "unknown duration unit `{suffix}`; write a number followed by {} (for example `250ms` or `1.5s`)",
                suggest::one_of(UNIT_NAMES),
            ),
        };
        return Err(syn::Error::new(span, message));
    };
    let too_large = || syn::Error::new(span, "duration literal is too large");
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syn::Error::new(
            span,
            "a duration literal takes plain decimal digits (like `1.5s`), without an exponent",
        ));
    }
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_large())?
    };
    let mut nanos = whole.checked_mul(unit).ok_or_else(too_large)?;
    // Each fractional digit is worth a tenth of the one before; a digit below a nanosecond cannot
    // be represented, so it is an error rather than dropped.
    let mut place = unit;
    for digit in fraction.bytes() {
        place /= 10;
        if place == 0 && digit != b'0' {
            return Err(syn::Error::new(
                span,
                "a duration cannot be finer than a nanosecond; round it, or write it in `ns`",
            ));
        }
        nanos = nanos
            .checked_add(u128::from(digit - b'0') * place)
            .ok_or_else(too_large)?;
    }
    if nanos / 1_000_000_000 > u128::from(u64::MAX) {
        return Err(too_large());
    }
    Ok(nanos)
}

/// The `Duration` of a value in nanoseconds, made by the runtime (`::core` has no root in an
/// edition 2015 crate), written at the literal as the user's own call: rustc reports an
/// argument made in the attribute's context at the whole attribute. The runtime's
/// function is a name no scope of the user's holds, so `unused_qualifications` has nothing to
/// shorten.
pub(crate) fn tokens(nanos: u128, span: Span, runtime: &TokenStream) -> TokenStream {
    let secs = (nanos / 1_000_000_000) as u64;
    let subsec = (nanos % 1_000_000_000) as u32;
    // The numbers alone are the attribute's (located at the literal): lints on literals
    // (clippy's digit grouping) would read the user's `9_000_000h` as their text.
    let secs = crate::respan::relocate(quote!(#secs), span);
    let subsec = crate::respan::relocate(quote!(#subsec), span);
    let arguments = proc_macro2::Group::new(Delimiter::Parenthesis, quote!(#secs, #subsec));
    let mut arguments = TokenTree::Group(arguments);
    arguments.set_span(span);
    let path = crate::respan::respan(quote!(#runtime::duration_literal), span);
    quote!(#path #arguments)
}

/// Replaces every duration literal in `expr` with a `Duration` expression, recording bad ones,
/// inside closures and macro calls too.
pub(crate) fn lower(expr: &mut Expr, runtime: &TokenStream, errors: &mut Errors) {
    WalkerMut(&mut Lowering { runtime, errors }).visit_expr_mut(expr);
}

struct Lowering<'a> {
    runtime: &'a TokenStream,
    errors: &'a mut Errors,
}

impl WalkMut for Lowering<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Lit(ExprLit { lit, attrs }) = expr
            && attrs.is_empty()
            && let Some(result) = value(lit)
        {
            match result {
                Ok(nanos) => *expr = Expr::Verbatim(tokens(nanos, lit.span(), self.runtime)),
                Err(error) => self.errors.push(error),
            }
            return;
        }
        visit_mut::visit_expr_mut(&mut WalkerMut(self), expr);
    }

    fn visit_macro_mut(&mut self, mac: &mut Macro) {
        mac.tokens = lower_tokens(std::mem::take(&mut mac.tokens), self.runtime, self.errors);
    }
}

/// Rewrites the duration literals among a macro call's tokens, at any depth. Each becomes a
/// transparent group, so the macro still sees one expression.
fn lower_tokens(stream: TokenStream, runtime: &TokenStream, errors: &mut Errors) -> TokenStream {
    stream
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => {
                let mut lowered = Group::new(
                    group.delimiter(),
                    lower_tokens(group.stream(), runtime, errors),
                );
                lowered.set_span(group.span());
                TokenTree::Group(lowered)
            }
            TokenTree::Literal(literal) => {
                let lit = Lit::new(literal.clone());
                match value(&lit) {
                    Some(Ok(nanos)) => TokenTree::Group(Group::new(
                        Delimiter::None,
                        tokens(nanos, literal.span(), runtime),
                    )),
                    Some(Err(error)) => {
                        errors.push(error);
                        TokenTree::Literal(literal)
                    }
                    None => TokenTree::Literal(literal),
                }
            }
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nanos(source: &str) -> u128 {
        let literal: Lit = syn::parse_str(source).unwrap();
        value(&literal).unwrap().unwrap()
    }

    #[test]
    fn reads_every_unit_exactly() {
        assert_eq!(nanos("250ms"), 250_000_000);
        assert_eq!(nanos("4s"), 4_000_000_000);
        assert_eq!(nanos("1.5s"), 1_500_000_000);
        assert_eq!(nanos("2m"), 120_000_000_000);
        assert_eq!(nanos("1h"), 3_600_000_000_000);
        assert_eq!(nanos("0.1s"), 100_000_000);
        assert_eq!(nanos("1_000ms"), 1_000_000_000);
        assert_eq!(nanos("1.5us"), 1_500);
    }

    #[test]
    fn leaves_rust_literals_alone() {
        let literal: Lit = syn::parse_str("4u32").unwrap();
        assert!(value(&literal).is_none());
        let literal: Lit = syn::parse_str("1.5").unwrap();
        assert!(value(&literal).is_none());
    }

    #[test]
    fn rejects_unknown_units_with_a_hint() {
        let literal: Lit = syn::parse_str("4sec").unwrap();
        let message = value(&literal).unwrap().unwrap_err().to_string();
        assert!(
            message.contains("unknown duration unit `sec`; did you mean `s`?"),
            "{message}"
        );
        let literal: Lit = syn::parse_str("500MS").unwrap();
        let message = value(&literal).unwrap().unwrap_err().to_string();
        assert!(message.contains("did you mean `ms`?"), "{message}");
        let literal: Lit = syn::parse_str("5M").unwrap();
        let message = value(&literal).unwrap().unwrap_err().to_string();
        assert!(!message.contains("did you mean"), "{message}");
    }

    #[test]
    fn several_units_in_one_literal_are_told_the_one_to_write() {
        let message = |text: &str| {
            let literal: Lit = syn::parse_str(text).unwrap();
            value(&literal).unwrap().unwrap_err().to_string()
        };
        assert!(
            message("1h30m").contains("write `90m`"),
            "{}",
            message("1h30m")
        );
        assert!(message("1m30s").contains("write `90s`"));
        assert!(message("2s500ms").contains("write `2500ms`"));
        assert!(message("1h0m").contains("write `1h`"));
        // Not several units: the usual message.
        assert!(message("1h30").contains("unknown duration unit"));
        assert!(message("5sec").contains("did you mean `s`"));
    }

    #[test]
    fn rejects_what_is_finer_than_a_nanosecond() {
        let literal: Lit = syn::parse_str("1.5ns").unwrap();
        let message = value(&literal).unwrap().unwrap_err().to_string();
        assert!(message.contains("finer than a nanosecond"), "{message}");
        assert_eq!(nanos("1.000ns"), 1);
        assert_eq!(nanos("0.000000001s"), 1);
    }

    #[test]
    fn rejects_overflow() {
        let literal: Lit = syn::parse_str("99999999999999999999999h").unwrap();
        assert!(value(&literal).unwrap().is_err());
    }
}
