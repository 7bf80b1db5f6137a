//! `clone(self)`: each attempt works on a clone of `self`, so the body's `self` is renamed.
//!
//! ```text
//! fn send(self) -> R { self.post() }   ==>   ... let __self = Clone::clone(&self); ... __self.post() ...
//! ```
//!
//! Nested items keep their own `self`; macro arguments are renamed token by token, since `self`
//! inside `format!("{}", self.name)` is the same `self`.

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};
use syn::{Block, ExprPath, Item, Macro};

/// The name the cloned `self` goes by.
pub(crate) fn alias(span: Span) -> Ident {
    Ident::new("__self", span)
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
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Ident(ident) if ident == "self" => TokenTree::Ident(alias(ident.span())),
            TokenTree::Group(group) => {
                let mut renamed = Group::new(group.delimiter(), rename_tokens(group.stream()));
                renamed.set_span(group.span());
                TokenTree::Group(renamed)
            }
            other => other,
        })
        .collect()
}
