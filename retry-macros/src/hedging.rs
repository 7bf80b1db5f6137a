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
                    ReceiverKind::Typed(_, ty) => is_mut_ref(ty),
                    _ => false,
                } =>
            {
                errors.push(syn::Error::new_spanned(
                    receiver,
                    "`hedge` runs the body several times at once, so it cannot take `&mut self`: two attempts would change `self` together; take `&self` (with interior mutability for what the body must change), or remove `hedge`",
                ));
            }
            FnArg::Typed(typed) if is_mut_ref(&typed.ty) => {
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

/// Whether `ty` is `&mut T` (`&'a mut T` included).
fn is_mut_ref(ty: &Type) -> bool {
    matches!(ty, Type::Reference(reference) if reference.mutability.is_some())
}
