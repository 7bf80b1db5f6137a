//! `clone(self)`: each attempt works on a clone of `self`, so the body's `self` is renamed.
//!
//! ```text
//! fn send(self) -> R { self.post() }   ==>   ... let __self = Clone::clone(&self); ... __self.post() ...
//! ```
//!
//! Nested items keep their own `self`; macro arguments are renamed token by token, since `self`
//! inside `format!("{}", self.name)` is the same `self`. A path through the module (`self::ITEM`)
//! is not the receiver and stays. The alias has mixed-site hygiene, so a local of the body's own
//! named `__self` neither sees nor replaces it.

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};
use syn::{Block, ExprPath, Item, Macro};

/// The name the cloned `self` goes by: hygienic, located at `span` for errors.
pub(crate) fn alias(span: Span) -> Ident {
    Ident::new("__self", Span::mixed_site().located_at(span))
}

pub(crate) fn rename_self(block: &mut Block) {
    SelfRenamer.visit_block_mut(block);
}

struct SelfRenamer;

impl VisitMut for SelfRenamer {
    fn visit_expr_path_mut(&mut self, expr: &mut ExprPath) {
        if expr.qself.is_none() && expr.path.is_ident("self") {
            let span = expr.path.segments[0].ident.span();
            expr.path.segments[0].ident = alias(span);
        }
        visit_mut::visit_expr_path_mut(self, expr);
    }

    fn visit_macro_mut(&mut self, mac: &mut Macro) {
        mac.tokens = rename_tokens(std::mem::take(&mut mac.tokens));
    }

    fn visit_item_mut(&mut self, _: &mut Item) {
        // A nested `impl` or `fn` has its own `self`.
    }
}

fn rename_tokens(tokens: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let starts_path = |index: usize| {
        matches!(
            (tokens.get(index + 1), tokens.get(index + 2)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
        )
    };
    let renamed: Vec<TokenTree> = tokens
        .iter()
        .enumerate()
        .map(|(index, token)| match token {
            TokenTree::Ident(ident) if ident == "self" && !starts_path(index) => {
                TokenTree::Ident(alias(ident.span()))
            }
            TokenTree::Group(group) => {
                let mut renamed = Group::new(group.delimiter(), rename_tokens(group.stream()));
                renamed.set_span(group.span());
                TokenTree::Group(renamed)
            }
            other => other.clone(),
        })
        .collect();
    renamed.into_iter().collect()
}
