//! Moving generated tokens to a span of the user's, so errors in generated code point at the
//! user's tokens instead of at the attribute.

use proc_macro2::{Group, Span, TokenStream, TokenTree};

/// The same tokens, all at `span`.
pub(crate) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut group = Group::new(group.delimiter(), respan(group.stream(), span));
                group.set_span(span);
                return TokenTree::Group(group);
            }
            token.set_span(span);
            token
        })
        .collect()
}

/// The same tokens, each keeping its own name resolution but located at `span`: where an error
/// about them is reported, without changing what they name.
pub(crate) fn relocate(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut relocated = Group::new(group.delimiter(), relocate(group.stream(), span));
                relocated.set_span(group.span().located_at(span));
                return TokenTree::Group(relocated);
            }
            token.set_span(token.span().located_at(span));
            token
        })
        .collect()
}
