//! Moving generated tokens to a span of the user's, so errors in generated code point at the
//! user's tokens instead of at the attribute.

use proc_macro2::{Group, Span, TokenStream, TokenTree};

/// The same tokens, all at `span`.
pub(crate) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    map_spans(tokens, &|_| span)
}

/// The same tokens, each keeping its own name resolution but located at `span`: where an error
/// about them is reported, without changing what they name.
pub(crate) fn relocate(tokens: TokenStream, span: Span) -> TokenStream {
    map_spans(tokens, &|own: Span| own.located_at(span))
}

/// Every token's span, groups' delimiters included, replaced by `new(its span)`.
fn map_spans(tokens: TokenStream, new: &dyn Fn(Span) -> Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut mapped = Group::new(group.delimiter(), map_spans(group.stream(), new));
                mapped.set_span(new(group.span()));
                return TokenTree::Group(mapped);
            }
            token.set_span(new(token.span()));
            token
        })
        .collect()
}
