//! The function under the attribute: parsed, and checked for the shapes a retry loop cannot
//! serve.

use crate::walk::{Walk, Walker};
use crate::walk::{WalkMut, WalkerMut};
use proc_macro2::TokenStream;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{
    Attribute, Block, FnArg, Ident, ItemFn, Pat, ReceiverKind, ReturnType, Signature, TraitItemFn,
    Type, Visibility,
};

use crate::errors::Errors;

/// A function with a body: a free function, a method, or a trait method with a default body.
pub(crate) struct RetryFn {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    /// The body as syntax, for the checks that read it.
    pub(crate) block: Block,
    /// The body's tokens exactly as written (macro fragments keep their invisible groups), for
    /// the expansion to emit.
    pub(crate) body: proc_macro2::Group,
    /// Set when `#[async_trait]` has already rewritten the method (see `stacked`).
    pub(crate) async_trait: Option<crate::stacked::AsyncTrait>,
}

/// Whether the return type leaves a part to inference (`-> Result<_, _>`), which rustc refuses
/// in any signature: the function is then left to rustc's own error.
pub(crate) fn output_has_placeholder(sig: &Signature) -> bool {
    struct Placeholder(bool);
    impl<'ast> Walk<'ast> for Placeholder {
        fn visit_type_infer(&mut self, _: &'ast syn::TypeInfer) {
            self.0 = true;
        }
        // An array's length is an anonymous constant, whose body may infer (`[u8; { let n: _ = 2; n }]`).
        fn visit_expr(&mut self, _: &'ast syn::Expr) {}
    }
    let ReturnType::Type(_, ty) = &sig.output else {
        return false;
    };
    let mut found = Placeholder(false);
    Walker(&mut found).visit_type(ty);
    found.0
}

/// Whether `attr` is this attribute: `persevere::retry` (with or without a leading `::`),
/// `retry` under the `crate = path` given, or a bare `retry` with this attribute's keys.
fn is_retry(attr: &Attribute, krate: Option<&syn::Path>) -> bool {
    let path = attr.path();
    // A bare `retry` may be another attribute imported under that name: it is this one only
    // when its arguments start with one of this attribute's keys.
    let our_arguments = || match &attr.meta {
        syn::Meta::List(list) => {
            list.tokens
                .clone()
                .into_iter()
                .next()
                .is_some_and(|first| match first {
                    proc_macro2::TokenTree::Ident(key) => {
                        crate::config::KEYS.contains(&key.to_string().as_str())
                    }
                    _ => false,
                })
        }
        _ => false,
    };
    let names: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let under = |prefix: &syn::Path| {
        let prefix: Vec<String> = prefix
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect();
        names.len() == prefix.len() + 1 && names.starts_with(&prefix)
    };
    names.last().is_some_and(|last| last == "retry")
        && ((names.len() == 1 && our_arguments())
            || names == ["persevere", "retry"]
            || krate.is_some_and(under))
}

/// What an item that is no function with a body is told.
const NOT_A_FUNCTION: &str = "`#[retry]` goes on a function (`fn` or `async fn`) with a body";

/// The function, or an error to report next to the item emitted unchanged.
pub(crate) fn parse(item: TokenStream) -> syn::Result<RetryFn> {
    let body = body_group(item.clone().into_iter().last());
    let missing_body = || syn::Error::new(proc_macro2::Span::call_site(), NOT_A_FUNCTION);
    let item_tokens = item.clone();
    let expr_tokens = item.clone();
    match syn::parse2::<ItemFn>(item.clone()) {
        Ok(function) => Ok(RetryFn {
            attrs: function.attrs,
            vis: function.vis,
            sig: function.sig,
            block: *function.block,
            body: body.ok_or_else(missing_body)?,
            async_trait: None,
        }),
        Err(not_a_fn) => match syn::parse2::<TraitItemFn>(item) {
            Ok(TraitItemFn {
                default: Some(block),
                attrs,
                sig,
                ..
            }) => Ok(RetryFn {
                attrs,
                vis: Visibility::Inherited,
                sig,
                block,
                body: body.ok_or_else(missing_body)?,
                async_trait: None,
            }),
            // A trait's method, or (without `self`) perhaps a foreign function.
            Ok(TraitItemFn { sig, .. }) if sig.receiver().is_some() => Err(syn::Error::new(
                sig.ident.span(),
                format!(
                    "`#[retry]` needs a function body to run again; put it on `{}` in each `impl` of the trait instead",
                    sig.ident
                ),
            )),
            Ok(TraitItemFn { sig, .. }) => Err(syn::Error::new(
                sig.ident.span(),
                format!(
                    "`#[retry]` needs a function body to run again, and `{0}` has none; put it on `{0}` in each `impl` of its trait, or, for a foreign function, on a function of yours that calls it",
                    sig.ident
                ),
            )),
            Err(_) => Err(syn::Error::new(
                not_a_fn.span(),
                match syn::parse2::<syn::Item>(item_tokens) {
                    Ok(syn::Item::Impl(_)) => {
                        "`#[retry]` goes on a function, not an `impl` block: put `#[retry(..)]` on each method to retry, inside the `impl` (under `#[async_trait]` too)"
                    }
                    Ok(syn::Item::Trait(_)) => {
                        "`#[retry]` goes on a function with a body, not a trait: put it on the methods of each `impl` of the trait"
                    }
                    Err(_) => match syn::parse2::<syn::Expr>(expr_tokens) {
                        Ok(syn::Expr::Closure(_)) => {
                            "`#[retry]` goes on a function, not a closure: run the closure through a `Policy` instead, as in `Policy::new().stop(attempts(3)).call(|| ..)`"
                        }
                        Ok(syn::Expr::Async(_)) => {
                            "`#[retry]` goes on a function, not an async block: run it through a `Policy` instead, as in `Policy::new().stop(attempts(3)).call_async(|| async { .. }).await`"
                        }
                        Ok(_) => {
                            "`#[retry]` goes on a function, not an expression: run it through a `Policy` instead, as in `Policy::new().stop(attempts(3)).call(|| fetch())`"
                        }
                        _ => NOT_A_FUNCTION,
                    },
                    _ => NOT_A_FUNCTION,
                },
            )),
        },
    }
}

impl RetryFn {
    /// Emits the body from its syntax, after a change to it.
    pub(crate) fn reprint_body(&mut self) {
        let stmts = &self.block.stmts;
        let mut body =
            proc_macro2::Group::new(proc_macro2::Delimiter::Brace, quote::quote!(#(#stmts)*));
        body.set_span(self.body.span());
        self.body = body;
    }
}

/// The body: the item's last token, a `{ .. }` group, or one passed whole as a macro's `block`
/// fragment (inside an invisible group).
fn body_group(last: Option<proc_macro2::TokenTree>) -> Option<proc_macro2::Group> {
    use proc_macro2::{Delimiter, TokenTree};
    match last? {
        TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
            Some(without_inner_attributes(&group))
        }
        TokenTree::Group(group) if group.delimiter() == Delimiter::None => {
            let mut inner = group.stream().into_iter();
            match (inner.next(), inner.next()) {
                (Some(only), None) => body_group(Some(only)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The body's tokens without its leading inner attributes (`#![allow(..)]`), which the
/// expansion keeps at the top of the function.
fn without_inner_attributes(body: &proc_macro2::Group) -> proc_macro2::Group {
    use proc_macro2::TokenTree;
    let tokens: Vec<TokenTree> = body.stream().into_iter().collect();
    let mut start = 0;
    while let [
        TokenTree::Punct(pound),
        TokenTree::Punct(bang),
        TokenTree::Group(_),
        ..,
    ] = &tokens[start..]
        && pound.as_char() == '#'
        && bang.as_char() == '!'
    {
        start += 3;
    }
    let mut stripped =
        proc_macro2::Group::new(body.delimiter(), tokens[start..].iter().cloned().collect());
    stripped.set_span(body.span());
    stripped
}

/// Checks the shapes the expansion cannot serve, recording each problem.
pub(crate) fn check(
    function: &RetryFn,
    clones: &[Ident],
    attempt: Option<&Ident>,
    krate: Option<&syn::Path>,
    errors: &mut Errors,
) {
    let sig = &function.sig;
    if let Some(constness) = &sig.constness {
        errors.error(
            constness.span,
            "`#[retry]` cannot make a `const fn` retry: waiting between attempts is not possible in const evaluation; remove `const`",
        );
    }
    for attr in &function.attrs {
        if is_retry(attr, krate) {
            errors.push(syn::Error::new_spanned(
                attr,
                format!(
                    "`#[retry]` is given twice on `{}`: the outer one would retry every attempt of the inner one, multiplying their attempts; put every key in one `#[retry(..)]`",
                    sig.ident
                ),
            ));
        }
        if attr.path().is_ident("track_caller") {
            errors.error(
                attr.span(),
                "`#[retry]` cannot keep `#[track_caller]`: each attempt runs in a closure, which does not pass the caller's location on; remove `#[track_caller]`",
            );
        }
    }
    if let Some(variadic) = &sig.variadic {
        errors.error(
            variadic.span(),
            "`#[retry]` cannot retry a variadic function",
        );
    }
    // A method `#[async_trait]` rewrote returns its boxed future; its `Result` is inside.
    if function.async_trait.is_none() {
        check_return_type(sig, errors);
    }

    let parameters = parameters(sig);
    // The body would read the attempt under that name, and its argument no more. An argument
    // under `#[cfg]` may not be there: the check cannot be exact, so it is left out.
    if let Some(attempt) = attempt
        && parameters
            .iter()
            .any(|(binding, cfgs)| binding == attempt && cfgs.is_empty())
    {
        errors.error(
            attempt.span(),
            format!(
                "`{attempt}` is an argument of `{}`, which the attempt's binding would hide from the body; name the attempt otherwise, such as `attempt = this`",
                sig.ident
            ),
        );
    }
    for (index, name) in clones.iter().enumerate() {
        if clones[..index].iter().any(|earlier| earlier == name) {
            errors.error(name.span(), format!("`{name}` is listed twice in `clone`"));
        } else if name == "self" {
            match sig.receiver() {
                None => errors.error(
                    name.span(),
                    format!("`{}` has no `self` to clone", sig.ident),
                ),
                Some(receiver) if matches!(receiver.kind, ReceiverKind::Reference(..)) => errors.error(
                    name.span(),
                    "`clone(self)` clones a `self` taken by value; a borrowed `self` is borrowed afresh by each attempt, so remove `self` from `clone(..)`",
                ),
                Some(_) => {}
            }
        } else if !parameters.iter().any(|(binding, _)| binding == name) {
            errors.error(
                name.span(),
                format!(
                    "`{name}` is not an argument of `{}`; `clone` lists arguments",
                    sig.ident
                ),
            );
        } else if is_mut_reference_parameter(sig, name) {
            // Exact: a `&mut` is never `Clone`.
            errors.error(
                name.span(),
                format!(
                    "`{name}` is a `&mut`, which each attempt reborrows afresh (its changes carry into the next attempt); remove it from `clone(..)`"
                ),
            );
        }
    }
}

/// Whether `name` is a parameter written `name: &mut T`.
fn is_mut_reference_parameter(sig: &Signature, name: &Ident) -> bool {
    sig.inputs.iter().any(|input| {
        matches!(input, FnArg::Typed(typed)
            if matches!(&*typed.pat, Pat::Ident(pat) if pat.ident == *name && pat.subpat.is_none())
                && is_mut_reference(&typed.ty))
    })
}

/// The names a pattern binds (not those of items nested in it).
pub(crate) fn pattern_bindings(pat: &Pat) -> Vec<Ident> {
    struct Bindings(Vec<Ident>);
    impl<'ast> Walk<'ast> for Bindings {
        fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
            self.0.push(pat.ident.clone());
            syn::visit::visit_pat_ident(&mut Walker(self), pat);
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut bindings = Bindings(Vec::new());
    Walker(&mut bindings).visit_pat(pat);
    bindings.0
}

/// The names values read through references (see `scope`): the parameters, with their `#[cfg]`
/// attributes, and the function's const generic parameters. A const generic is a value too, and
/// the value's scopes would hide it behind an item of the same name (Rust finds a block's glob
/// imports before the generic parameters around the block).
///
/// With `self` in `clone(..)` (`clones_self`) and taken by value, values read `self` as they
/// read a cloned argument: from the copy kept aside, not the `self` an attempt has moved. In an
/// `#[async_trait]` method (`async_trait`) values name it async_trait's `__self`.
pub(crate) fn value_names(
    sig: &Signature,
    clones_self: bool,
    async_trait: bool,
) -> Vec<(Ident, Vec<Attribute>)> {
    let mut names = parameters(sig);
    names.extend(
        sig.generics
            .const_params()
            .map(|param| (param.ident.clone(), cfgs(&param.attrs))),
    );
    let self_by_value = sig
        .receiver()
        .is_some_and(|receiver| !matches!(receiver.kind, ReceiverKind::Reference(..)));
    if clones_self && self_by_value {
        let this = if async_trait { "__self" } else { "self" };
        names.push((Ident::new(this, proc_macro2::Span::call_site()), Vec::new()));
    }
    names
}

/// Each name the parameters bind, with the `#[cfg]` attributes of its parameter, so generated
/// code that names it is compiled exactly when the parameter is.
pub(crate) fn parameters(sig: &Signature) -> Vec<(Ident, Vec<Attribute>)> {
    let mut parameters = Vec::new();
    for input in &sig.inputs {
        let FnArg::Typed(typed) = input else { continue };
        let cfgs = cfgs(&typed.attrs);
        parameters.extend(
            pattern_bindings(&typed.pat)
                .into_iter()
                .map(|name| (name, cfgs.clone())),
        );
    }
    parameters
}

/// The `#[cfg]` attributes among `attrs`, and the `#[cfg_attr(.., cfg(..))]` that make one.
pub(crate) fn cfgs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|attr| {
            attr.path().is_ident("cfg")
                || (attr.path().is_ident("cfg_attr")
                    && quote::ToTokens::to_token_stream(&attr.meta)
                        .into_iter()
                        .any(|token| matches!(&token, proc_macro2::TokenTree::Group(group) if group.stream().into_iter().any(|inner| matches!(inner, proc_macro2::TokenTree::Ident(ref ident) if ident == "cfg")))))
        })
        .cloned()
        .collect()
}

/// Whether the signature names `Self`: then the function is in an `impl` or a trait, and its
/// name can include its type's.
pub(crate) fn mentions_self(sig: &Signature) -> bool {
    struct Finder(bool);
    impl<'ast> Walk<'ast> for Finder {
        fn visit_ident(&mut self, ident: &'ast Ident) {
            self.0 |= ident == "Self";
        }
    }
    let mut finder = Finder(false);
    Walker(&mut finder).visit_signature(sig);
    finder.0
}

/// Makes the binding `name` (an argument, or `self`) mutable, so it can be restored between
/// attempts. `mut` on a binding is not part of the function's type: callers see no change.
pub(crate) fn make_mut(sig: &mut Signature, name: &Ident) {
    for input in sig.inputs.iter_mut() {
        match input {
            FnArg::Receiver(receiver) if name == "self" => {
                if !matches!(receiver.kind, ReceiverKind::Reference(..))
                    && receiver.mutability.is_none()
                {
                    receiver.mutability = Some(syn::Token![mut](receiver.self_token.span));
                }
            }
            FnArg::Typed(typed) => make_mut_in(&mut typed.pat, name),
            FnArg::Receiver(_) => {}
        }
    }
}

/// Makes the binding `name` in `pat` mutable, unless it is `ref` or already `mut`.
pub(crate) fn make_mut_in(pat: &mut Pat, name: &Ident) {
    struct MakeMut<'a>(&'a Ident);
    impl WalkMut for MakeMut<'_> {
        fn visit_pat_ident_mut(&mut self, pat: &mut syn::PatIdent) {
            if pat.ident == *self.0 && pat.by_ref.is_none() && pat.mutability.is_none() {
                pat.mutability = Some(syn::Token![mut](pat.ident.span()));
            }
            syn::visit_mut::visit_pat_ident_mut(&mut WalkerMut(self), pat);
        }
    }
    WalkerMut(&mut MakeMut(name)).visit_pat_mut(pat);
}

/// The `&mut self` receiver and the arguments written `name: &mut T`, with their `#[cfg]`s.
pub(crate) fn mut_references(sig: &Signature) -> Vec<(TokenStream, Vec<Attribute>)> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Receiver(receiver)
                if matches!(receiver.kind, ReceiverKind::Reference(_, _, Some(_)))
                    || matches!(&receiver.kind, ReceiverKind::Typed(_, ty) if is_mut_reference(ty)) =>
            {
                let this = &receiver.self_token;
                Some((quote::quote!(#this), cfgs(&receiver.attrs)))
            }
            FnArg::Typed(typed) => mut_reference_argument(typed)
                .map(|name| (quote::quote!(#name), cfgs(&typed.attrs))),
            _ => None,
        })
        .collect()
}

/// The name of a `name: &mut T` argument (`T` written out, or from a macro's `ty` fragment).
pub(crate) fn mut_reference_argument(typed: &syn::PatType) -> Option<&Ident> {
    match &*typed.pat {
        Pat::Ident(pat) if pat.by_ref.is_none() && is_mut_reference(&typed.ty) => Some(&pat.ident),
        _ => None,
    }
}

/// The name of a `name: Option<&mut T>` argument: reborrowed for each attempt as `&mut T` is,
/// with `as_deref_mut()`.
pub(crate) fn optional_mut_reference_argument(typed: &syn::PatType) -> Option<&Ident> {
    match &*typed.pat {
        Pat::Ident(pat) if pat.by_ref.is_none() && is_optional_mut_reference(&typed.ty) => {
            Some(&pat.ident)
        }
        _ => None,
    }
}

/// `Option<&mut T>`, or a `ty` fragment holding one, to reborrow for each attempt.
pub(crate) fn is_optional_mut_reference(ty: &Type) -> bool {
    option_of_mut(ty).is_some()
}

/// The trait object of the argument `name`'s `Option<&mut dyn Trait>`, without a lifetime
/// bound (`dyn Sink + Send` of `&'a mut (dyn Sink + Send + 'a)`): reborrowed by a `match` into a
/// local of type `Option<&mut #object>`, not with `as_deref_mut()`, since inside an `Option` the
/// object's lifetime cannot shorten, and `as_deref_mut()`'s reborrow would last as long as the
/// argument. Without its bound, the object's lifetime is the local reborrow's.
pub(crate) fn optional_trait_object(sig: &Signature, name: &Ident) -> Option<Type> {
    let inner = option_of_mut(argument_type(sig, name)?)?;
    // `&mut (dyn Sink + Send)`: the parentheses Rust requires for a bound after the trait.
    let mut object = &*inner.elem;
    while let Type::Paren(syn::TypeParen { elem, .. }) | Type::Group(syn::TypeGroup { elem, .. }) =
        object
    {
        object = elem;
    }
    let Type::TraitObject(object) = object else {
        return None;
    };
    let mut object = object.clone();
    object.bounds = object
        .bounds
        .into_iter()
        .filter(|bound| !matches!(bound, syn::TypeParamBound::Lifetime(_)))
        .collect();
    Some(syn::parse_quote!((#object)))
}

/// The `&mut T` of an `Option<&mut T>`: `Option` written bare or by the standard library's path
/// (a type of the user's of that name reached by another path, `db::Option`, is left alone).
fn option_of_mut(ty: &Type) -> Option<&syn::TypeReference> {
    let path = &written_path(ty)?.path;
    let names: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let standard = match names.as_slice() {
        [name] => name == "Option" && path.leading_colon.is_none(),
        [krate, module, name] => {
            (krate == "std" || krate == "core") && module == "option" && name == "Option"
        }
        _ => false,
    };
    standard.then(|| mut_argument(path)).flatten()
}

/// `Pin<&mut T>`, by the last segment of its path: `.as_mut()` reborrows it.
fn is_pinned_mut(ty: &Type) -> bool {
    written_path(ty).is_some_and(|path| {
        path.path
            .segments
            .last()
            .is_some_and(|last| last.ident == "Pin")
            && mut_argument(&path.path).is_some()
    })
}

/// The path a type is written as, through parentheses and a `ty` fragment's group.
fn written_path(ty: &Type) -> Option<&syn::TypePath> {
    match ty {
        Type::Group(group) => written_path(&group.elem),
        Type::Paren(paren) => written_path(&paren.elem),
        Type::Path(path) if path.qself.is_none() => Some(path),
        _ => None,
    }
}

/// The `&mut T` that is the one type argument of a path's last segment (`Option<&mut T>`).
fn mut_argument(path: &syn::Path) -> Option<&syn::TypeReference> {
    let syn::PathArguments::AngleBracketed(generics) = &path.segments.last()?.arguments else {
        return None;
    };
    match generics.args.iter().collect::<Vec<_>>().as_slice() {
        [syn::GenericArgument::Type(Type::Reference(inner))] if inner.mutability.is_some() => {
            Some(inner)
        }
        _ => None,
    }
}

/// `&mut T` (`&'a mut T` too), `(&mut T)`, or a `ty` fragment holding one.
pub(crate) fn is_mut_reference(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => reference.mutability.is_some(),
        Type::Group(group) => is_mut_reference(&group.elem),
        Type::Paren(paren) => is_mut_reference(&paren.elem),
        _ => false,
    }
}

/// The names of the arguments taken by value: not references, which the body reborrows when it
/// passes them on, rather than moving them.
pub(crate) fn by_value_bindings(sig: &Signature) -> Vec<Ident> {
    // The names a pattern binds by value (`(a, b): (String, String)` binds both; `ref a` none).
    // A capitalised name may be a unit struct or a constant the pattern matches (`Token: Token`),
    // which binds nothing: it is left to rustc.
    struct ByValue(Vec<Ident>);
    impl<'ast> Walk<'ast> for ByValue {
        fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
            let capitalised = syn::ext::IdentExt::unraw(&pat.ident)
                .to_string()
                .starts_with(|c: char| c.is_uppercase());
            if pat.by_ref.is_none() && !capitalised {
                self.0.push(pat.ident.clone());
            }
            syn::visit::visit_pat_ident(&mut Walker(self), pat);
        }
    }
    let mut bindings = ByValue(Vec::new());
    for input in &sig.inputs {
        match input {
            FnArg::Typed(typed) if !plainly_copy(&typed.ty) => {
                Walker(&mut bindings).visit_pat(&typed.pat);
            }
            // `self`, `mut self`, `self: Box<Self>` and the like: a `self` the body only reads,
            // or of a `Copy` type, is used again by each attempt, as any argument is.
            FnArg::Receiver(receiver)
                if matches!(receiver.kind, ReceiverKind::Value)
                    || matches!(receiver.kind, ReceiverKind::Typed(_, ref ty) if !matches!(&**ty, Type::Reference(_))) =>
            {
                bindings
                    .0
                    .push(Ident::new("self", receiver.self_token.span));
            }
            _ => {}
        }
    }
    bindings.0
}

/// Whether the argument `name` is an `Option<&mut T>` as written, of a trait object too: one
/// that is reborrowed for each attempt, not cloned.
pub(crate) fn optional_mut(sig: &Signature, name: &Ident) -> bool {
    argument_type(sig, name).is_some_and(|ty| option_of_mut(ty).is_some())
}

/// Whether the argument `name` is a `Pin<&mut T>` as written (`self: Pin<&mut Self>`), which
/// `.as_mut()` reborrows: a copy of one (`clone(..)`) is not to be had.
pub(crate) fn pinned_mut(sig: &Signature, name: &Ident) -> bool {
    argument_type(sig, name).is_some_and(is_pinned_mut)
}

/// Whether the argument `name` is bound `mut` (`mut tx: ..`).
pub(crate) fn binds_mut(sig: &Signature, name: &Ident) -> bool {
    sig.inputs.iter().any(|input| match input {
        FnArg::Typed(typed) => matches!(
            &*typed.pat,
            Pat::Ident(pat) if pat.ident == *name && pat.mutability.is_some()
        ),
        FnArg::Receiver(_) => false,
    })
}

/// The bound `clone(name)` needs where the argument's type is generic and has none: `T: Clone`
/// for a type parameter `T`, `+ Clone` on an `impl Trait`.
pub(crate) fn clone_bound(sig: &Signature, name: &Ident) -> Option<String> {
    fn names_clone<'a>(mut bounds: impl Iterator<Item = &'a syn::TypeParamBound>) -> bool {
        bounds.any(|bound| {
            matches!(bound, syn::TypeParamBound::Trait(bound)
                if bound.path.segments.last().is_some_and(|segment| segment.ident == "Clone"))
        })
    }
    match argument_type(sig, name)? {
        Type::ImplTrait(ty) => {
            (!names_clone(ty.bounds.iter())).then(|| "`+ Clone` on its `impl ..` type".to_owned())
        }
        Type::Path(syn::TypePath {
            qself: None, path, ..
        }) => {
            let parameter = path.get_ident()?;
            let param = sig
                .generics
                .type_params()
                .find(|param| param.ident == *parameter)?;
            let in_where = sig.generics.where_clause.iter().flat_map(|clause| {
                clause
                    .predicates
                    .iter()
                    .filter_map(|predicate| match predicate {
                        syn::WherePredicate::Type(predicate)
                            if matches!(&predicate.bounded_ty, Type::Path(bounded)
                            if bounded.path.is_ident(parameter)) =>
                        {
                            Some(&predicate.bounds)
                        }
                        _ => None,
                    })
            });
            let bounded = names_clone(param.bounds.iter()) || names_clone(in_where.flatten());
            (!bounded).then(|| format!("a `{parameter}: Clone` bound"))
        }
        _ => None,
    }
}

/// The type the argument `name` is written with: a plain binding's, or a typed `self`'s.
fn argument_type<'a>(sig: &'a Signature, name: &Ident) -> Option<&'a Type> {
    sig.inputs.iter().find_map(|input| match input {
        FnArg::Receiver(receiver) if name == "self" => match &receiver.kind {
            ReceiverKind::Typed(_, ty) => Some(&**ty),
            _ => None,
        },
        FnArg::Typed(typed) => match &*typed.pat {
            Pat::Ident(pat) if pat.ident == *name => Some(&*typed.ty),
            _ => None,
        },
        FnArg::Receiver(_) => None,
    })
}

/// Whether `ty` is written as a type that is always `Copy`: a shared or mutable reference (a
/// `&mut` is reborrowed, not moved), a raw or function pointer, or a primitive. Its moves need no
/// check, which every function would otherwise compile (`Ok(x + 1)` with `x: u32`); a type of
/// the user's named like a primitive only loses the check's wording, never compiles otherwise.
fn plainly_copy(ty: &Type) -> bool {
    const PRIMITIVES: &[&str] = &[
        "bool", "char", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
        "i128", "isize", "f32", "f64",
    ];
    match ty {
        Type::Reference(_) | Type::Ptr(_) | Type::FnPtr(_) | Type::Never(_) => true,
        Type::Paren(inner) => plainly_copy(&inner.elem),
        Type::Group(inner) => plainly_copy(&inner.elem),
        Type::Path(path) => {
            path.qself.is_none()
                && path
                    .path
                    .get_ident()
                    .is_some_and(|name| PRIMITIVES.contains(&name.to_string().as_str()))
        }
        _ => false,
    }
}

/// Rejects return types that are plainly not a `Result`. Aliases pass here and meet the
/// `Outcome` bound at type checking.
fn check_return_type(sig: &Signature, errors: &mut Errors) {
    let ty = match &sig.output {
        ReturnType::Default => {
            errors.error(
                sig.paren_token.span.close(),
                format!(
                    "`#[retry]` needs a function that returns a `Result`, but `{}` returns `()`; add a return type such as `-> Result<(), MyError>`",
                    sig.ident
                ),
            );
            return;
        }
        ReturnType::Type(_, ty) => &**ty,
    };
    if let Some(output) = future_output(ty) {
        errors.push(syn::Error::new_spanned(
            ty,
            format!(
                "`#[retry]` retries an `async fn`, not a function returning `impl Future`: write `async fn {}(..) -> {}`",
                sig.ident,
                written(output),
            ),
        ));
        return;
    }
    let mut finder = ImplTraitFinder(None);
    Walker(&mut finder).visit_type(ty);
    if let Some(impl_trait) = finder.0 {
        // Spanned over the whole `impl Trait`, not only its first token.
        errors.push(syn::Error::new_spanned(
            impl_trait,
            "`#[retry]` must name the return type inside the function, and `impl Trait` cannot be named there; return a concrete type or a `Box<dyn Trait>`",
        ));
        return;
    }
    if let Some(what) = plainly_not_a_result(ty) {
        errors.error(
            ty.span(),
            format!(
                "`#[retry]` needs a function that returns a `Result`, not {what}; only a failed attempt can be retried, so return `Result<T, E>`"
            ),
        );
    }
}

/// A type as a user writes it, for a message: `Result<u32, String>`, not the token stream's
/// `Result < u32 , String >`.
pub(crate) fn written(ty: &Type) -> String {
    let mut text = quote::ToTokens::to_token_stream(ty).to_string();
    for (spaced, tight) in [
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        (" :: ", "::"),
        (":: ", "::"),
        ("& ", "&"),
    ] {
        text = text.replace(spaced, tight);
    }
    text
}

/// `X` of a return type `impl Future<Output = X>` (with any other bounds, such as `+ Send`).
fn future_output(ty: &Type) -> Option<&Type> {
    let Type::ImplTrait(impl_trait) = ty else {
        return None;
    };
    impl_trait.bounds.iter().find_map(|bound| {
        let syn::TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let last = bound.path.segments.last()?;
        if last.ident != "Future" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
            return None;
        };
        arguments.args.iter().find_map(|argument| match argument {
            syn::GenericArgument::AssocType(output) if output.ident == "Output" => Some(&output.ty),
            _ => None,
        })
    })
}

struct ImplTraitFinder<'ast>(Option<&'ast syn::TypeImplTrait>);

impl<'ast> Walk<'ast> for ImplTraitFinder<'ast> {
    fn visit_type_impl_trait(&mut self, ty: &'ast syn::TypeImplTrait) {
        self.0.get_or_insert(ty);
    }
}

fn plainly_not_a_result(ty: &Type) -> Option<String> {
    match ty {
        Type::Paren(inner) => plainly_not_a_result(&inner.elem),
        Type::Group(inner) => plainly_not_a_result(&inner.elem),
        Type::Tuple(tuple) if tuple.elems.is_empty() => Some("`()`".to_owned()),
        Type::Tuple(_) => Some("a tuple".to_owned()),
        Type::Reference(_) => Some("a reference".to_owned()),
        Type::Ptr(_) => Some("a pointer".to_owned()),
        Type::Array(_) | Type::Slice(_) => Some("an array".to_owned()),
        Type::Never(_) => Some("`!`".to_owned()),
        Type::FnPtr(_) => Some("a function pointer".to_owned()),
        Type::TraitObject(_) => Some("a trait object".to_owned()),
        // A name may be an alias of `Result` (`io::Result`, `LockResult`, a user's own, even one
        // called `Option`): the runtime's types judge it, in one error at the type.
        _ => None,
    }
}
