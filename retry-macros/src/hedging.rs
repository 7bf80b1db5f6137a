//! What `hedge = ...` asks of the function: an async body that may run several times at once.
//!
//! A hedged call runs the body again while an earlier attempt is still running, so every attempt
//! borrows the arguments at the same time. Shared borrows allow that; a `&mut` does not, and the
//! user is told why here rather than by a borrow error inside the expansion.

use syn::spanned::Spanned;
use syn::{FnArg, Pat, ReceiverKind, Type};

use crate::config::Config;
use crate::errors::Errors;
use crate::function::RetryFn;

pub(crate) fn check(function: &RetryFn, config: &Config, errors: &mut Errors) {
    let Some(hedge) = &config.hedge else {
        return;
    };
    let at = hedge.expr.span();
    let is_async = function.sig.asyncness.is_some() || function.async_trait.is_some();
    if !is_async {
        errors.error(
            at,
            "`hedge` needs an `async fn`: hedged attempts run at the same time, which a blocking body cannot do without threads; make the function `async`, or remove `hedge`",
        );
        return;
    }
    for input in &function.sig.inputs {
        match input {
            FnArg::Receiver(receiver)
                if match &receiver.kind {
                    ReceiverKind::Reference(_, _, mutability) => mutability.is_some(),
                    ReceiverKind::Typed(_, ty) => crate::function::is_mut_reference(ty),
                    _ => false,
                } =>
            {
                errors.push(syn::Error::new_spanned(
                    receiver,
                    "`hedge` runs the body several times at once, so it cannot take `&mut self`: two attempts would change `self` together; take `&self` (with interior mutability for what the body must change), or remove `hedge`",
                ));
            }
            FnArg::Typed(typed) if crate::function::is_mut_reference(&typed.ty) => {
                let name = match &*typed.pat {
                    Pat::Ident(pat) => pat.ident.to_string(),
                    _ => "this argument".to_owned(),
                };
                errors.push(syn::Error::new_spanned(
                    &typed.ty,
                    format!(
                        "`hedge` runs the body several times at once, so it cannot take `{name}` as a `&mut`: two attempts would change it together; take a shared reference (with interior mutability for what the body must change), or remove `hedge`"
                    ),
                ));
            }
            _ => {}
        }
    }
    for (name, at) in changed_arguments(function) {
        let message = if name == "self" {
            "`hedge` runs the body several times at once, so it cannot change `self`: two attempts would change it together; take `self` without `mut` and give each attempt its own copy at the start of the body: `let mut this = self.clone();` (`= self;` if it is `Copy`), or remove `hedge`".to_owned()
        } else {
            format!(
                "`hedge` runs the body several times at once, so it cannot change the argument `{name}`: two attempts would change it together; take `{name}` without `mut` and give each attempt its own copy at the start of the body: `let mut {name} = {name}.clone();` (`= {name};` if it is `Copy`), or remove `hedge`"
            )
        };
        errors.error(at, message);
    }
    // Both bind per attempt, one attempt after another; hedged attempts overlap.
    if let Some(attempt) = &config.attempt {
        errors.error(
            attempt.span(),
            "`attempt = ...` is not available with `hedge`: hedged attempts overlap, so there is no one attempt to read; remove one of them",
        );
    }
    if let Some(first) = config.clones.first() {
        errors.error(
            first.span(),
            "`clone(..)` is not available with `hedge`: hedged attempts overlap, so they cannot take turns with one argument; borrow it in the body (`&arg`, `arg.clone()`), or remove `hedge`",
        );
    }
}

/// The `mut` by-value arguments the body visibly changes (`x = ..`, `x += ..`, `&mut x`), with
/// where. Exact, and so cautious: a name the body binds again, a statement with attributes
/// (`#[cfg]` may take it out) and macro calls are left to the compiler.
fn changed_arguments(function: &RetryFn) -> Vec<(String, proc_macro2::Span)> {
    use crate::walk::{Walk, Walker};
    use syn::visit::{self, Visit};
    use syn::{Expr, ExprPath, Item};

    let bound = crate::body::bound_names(&function.block);
    let names: Vec<String> = function
        .sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(typed) => match &*typed.pat {
                Pat::Ident(pat)
                    if pat.mutability.is_some()
                        && pat.by_ref.is_none()
                        && !matches!(&*typed.ty, Type::Reference(_)) =>
                {
                    Some(pat.ident.to_string())
                }
                _ => None,
            },
            // `mut self` taken by value (a typed `mut self: Box<Self>` too).
            FnArg::Receiver(receiver)
                if receiver.mutability.is_some()
                    && match &receiver.kind {
                        ReceiverKind::Value => true,
                        ReceiverKind::Typed(_, ty) => !matches!(&**ty, Type::Reference(_)),
                        _ => false,
                    } =>
            {
                Some("self".to_owned())
            }
            FnArg::Receiver(_) => None,
        })
        .filter(|name| !bound.contains(name))
        .collect();
    if names.is_empty() {
        return Vec::new();
    }

    struct Changes<'a> {
        names: &'a [String],
        found: Vec<(String, proc_macro2::Span)>,
    }
    impl Changes<'_> {
        /// `target` is changed: an argument if it is one, or a field or an element of one.
        fn note(&mut self, target: &Expr) {
            match target {
                Expr::Field(field) => return self.note(&field.base),
                Expr::Index(index) => return self.note(&index.expr),
                Expr::Paren(inner) => return self.note(&inner.expr),
                _ => {}
            }
            if let Expr::Path(ExprPath {
                qself: None, path, ..
            }) = target
                && let Some(name) = path.get_ident()
                && self.names.iter().any(|candidate| name == candidate)
                && !self.found.iter().any(|(seen, _)| name == seen)
            {
                self.found.push((name.to_string(), name.span()));
            }
        }
    }
    impl<'ast> Walk<'ast> for Changes<'_> {
        // `#[cfg]` may take a statement out (an expression's own attributes: `visit_expr`).
        fn visit_local(&mut self, local: &'ast syn::Local) {
            if local.attrs.is_empty() {
                visit::visit_local(&mut Walker(self), local);
            }
        }
        fn visit_expr_assign(&mut self, assign: &'ast syn::ExprAssign) {
            self.note(&assign.left);
            visit::visit_expr_assign(&mut Walker(self), assign);
        }
        fn visit_expr_binary(&mut self, binary: &'ast syn::ExprBinary) {
            if crate::body::assigns(&binary.op) {
                self.note(&binary.left);
            }
            visit::visit_expr_binary(&mut Walker(self), binary);
        }
        fn visit_expr_reference(&mut self, reference: &'ast syn::ExprReference) {
            if reference.mutability.is_some() {
                self.note(&reference.expr);
            }
            visit::visit_expr_reference(&mut Walker(self), reference);
        }
        fn visit_item(&mut self, _: &'ast Item) {}
        // A `move` closure or an `async move` block changes its own copy.
        fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
            if closure.capture.is_none() {
                visit::visit_expr_closure(&mut Walker(self), closure);
            }
        }
        fn visit_expr_async(&mut self, block: &'ast syn::ExprAsync) {
            if block.capture.is_none() {
                visit::visit_expr_async(&mut Walker(self), block);
            }
        }
        // `#[cfg]` may take an arm or a field out.
        fn visit_arm(&mut self, arm: &'ast syn::Arm) {
            if arm.attrs.is_empty() {
                visit::visit_arm(&mut Walker(self), arm);
            }
        }
        fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
            if field.attrs.is_empty() {
                visit::visit_field_value(&mut Walker(self), field);
            }
        }
        fn visit_expr(&mut self, expr: &'ast Expr) {
            if crate::body::expr_attrs(expr).is_empty() {
                visit::visit_expr(&mut Walker(self), expr);
            }
        }
    }
    let mut changes = Changes {
        names: &names,
        found: Vec::new(),
    };
    Walker(&mut changes).visit_block(&function.block);
    changes.found
}
