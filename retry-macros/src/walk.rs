//! One instance of syn's tree walkers for all of the macro's visitors.
//!
//! syn's walkers are generic over the visitor, so each visitor type compiled all of them again
//! (some 300 functions a visitor: a third of this crate's machine code). A visitor here
//! implements [`Walk`] (or [`WalkMut`]): the few of syn's methods the macro's visitors
//! override, each defaulting to syn's walk. [`Walker`] is the one visitor type syn's walkers
//! are compiled for; it hands each of those nodes to the visitor through a `dyn` call.
//!
//! ```text
//! impl<'ast> Walk<'ast> for Bindings {
//!     fn visit_pat_ident(&mut self, pat: &'ast PatIdent) { ..; visit::visit_pat_ident(&mut Walker(self), pat) }
//! }
//! Walker(&mut bindings).visit_pat(pat);
//! ```

use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};

/// Declares the hooks of [`Walk`], each defaulting to syn's walk of its node, and has
/// [`Walker`] hand those nodes to the visitor.
macro_rules! walk {
    ($($method:ident($node:ty);)*) => {
        /// A visitor of the nodes the macro reads, walked by [`Walker`].
        pub(crate) trait Walk<'ast>: AsWalk<'ast> {
            $(fn $method(&mut self, node: &'ast $node) {
                visit::$method(&mut Walker(self.as_walk()), node);
            })*
        }

        impl<'ast> Visit<'ast> for Walker<'_, 'ast> {
            $(fn $method(&mut self, node: &'ast $node) {
                self.0.$method(node);
            })*
        }
    };
}

/// [`walk!`] for [`WalkMut`] and [`WalkerMut`].
macro_rules! walk_mut {
    ($($method:ident($node:ty);)*) => {
        /// A visitor of the nodes the macro rewrites, walked by [`WalkerMut`].
        pub(crate) trait WalkMut: AsWalkMut {
            $(fn $method(&mut self, node: &mut $node) {
                visit_mut::$method(&mut WalkerMut(self.as_walk_mut()), node);
            })*
        }

        impl VisitMut for WalkerMut<'_> {
            $(fn $method(&mut self, node: &mut $node) {
                self.0.$method(node);
            })*
        }
    };
}

walk! {
    visit_arm(syn::Arm);
    visit_expr(syn::Expr);
    visit_expr_assign(syn::ExprAssign);
    visit_expr_async(syn::ExprAsync);
    visit_expr_await(syn::ExprAwait);
    visit_expr_binary(syn::ExprBinary);
    visit_expr_closure(syn::ExprClosure);
    visit_expr_let(syn::ExprLet);
    visit_expr_path(syn::ExprPath);
    visit_expr_reference(syn::ExprReference);
    visit_expr_try(syn::ExprTry);
    visit_field_value(syn::FieldValue);
    visit_ident(proc_macro2::Ident);
    visit_item(syn::Item);
    visit_lifetime(syn::Lifetime);
    visit_local(syn::Local);
    visit_macro(syn::Macro);
    visit_pat_ident(syn::PatIdent);
    visit_stmt_macro(syn::StmtMacro);
    visit_type_impl_trait(syn::TypeImplTrait);
    visit_type_infer(syn::TypeInfer);
    visit_type_reference(syn::TypeReference);
}

walk_mut! {
    visit_arm_mut(syn::Arm);
    visit_block_mut(syn::Block);
    visit_expr_mut(syn::Expr);
    visit_expr_call_mut(syn::ExprCall);
    visit_expr_closure_mut(syn::ExprClosure);
    visit_expr_for_loop_mut(syn::ExprForLoop);
    visit_expr_if_mut(syn::ExprIf);
    visit_expr_path_mut(syn::ExprPath);
    visit_expr_while_mut(syn::ExprWhile);
    visit_field_value_mut(syn::FieldValue);
    visit_item_mut(syn::Item);
    visit_macro_mut(syn::Macro);
    visit_pat_ident_mut(syn::PatIdent);
}

/// The one visitor syn's walkers are compiled for: it passes [`Walk`]'s nodes to a visitor.
pub(crate) struct Walker<'a, 'ast>(pub &'a mut dyn Walk<'ast>);

/// The one visitor syn's rewriting walkers are compiled for: it passes [`WalkMut`]'s nodes on.
pub(crate) struct WalkerMut<'a>(pub &'a mut dyn WalkMut);

/// Gives a visitor as a `dyn Walk`, so that the trait's default methods can hand it to
/// [`Walker`] (a default method cannot coerce `self`: `Self` may be unsized there).
pub(crate) trait AsWalk<'ast> {
    fn as_walk(&mut self) -> &mut dyn Walk<'ast>;
}

impl<'ast, T: Walk<'ast>> AsWalk<'ast> for T {
    fn as_walk(&mut self) -> &mut dyn Walk<'ast> {
        self
    }
}

/// [`AsWalk`] for [`WalkMut`].
pub(crate) trait AsWalkMut {
    fn as_walk_mut(&mut self) -> &mut dyn WalkMut;
}

impl<T: WalkMut> AsWalkMut for T {
    fn as_walk_mut(&mut self) -> &mut dyn WalkMut {
        self
    }
}
