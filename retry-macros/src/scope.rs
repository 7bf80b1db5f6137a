//! What a name in an attribute value means: the user's first, the runtime's after.
//!
//! A value sees its family's runtime names by plain name (`attempts`, `fixed`, `log`), but never
//! in place of a name of the user's. Three layers, innermost first:
//!
//! - **Parameters** are read through a reference taken outside the value's scopes, so no runtime
//!   name can hide them. A parameter read as a value is rewritten to that reference's place, of
//!   exactly the parameter's type; a name that is *called* stays a name, so `attempts(attempts)`
//!   is the runtime's `attempts` applied to the parameter `attempts`.
//! - **The user's module**: `use self::*;`, so an item or import of the module wins over the
//!   runtime's name.
//! - **The family**: `use #rt::names::stop::*;`.
//!
//! ```text
//! fn f(attempts: u32, log: &Log) -> R          stop = attempts(attempts)
//!     ==>  { let __persevere_arg_attempts = &attempts;
//!            { use #rt::names::stop::*; { use self::*; attempts(*__persevere_arg_attempts) } } }
//! ```
//!
//! The function's return type is never written inside these scopes: it keeps the meaning it has
//! in the signature.

use std::collections::BTreeSet;

use crate::walk::{Walk, Walker};
use crate::walk::{WalkMut, WalkerMut};
use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::visit::Visit;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprCall, ExprPath, FieldValue, Item, Macro};

use crate::macro_call;
use crate::value::Family;

/// The name of the reference through which values read `parameter`, spanned at `at`: a read of
/// the parameter is at the user's token, so that rustc points there (and its suggestions,
/// `attempts(*max)`, go there); a span of the macro's own would make it point at the whole
/// attribute. Its hygiene is `resolves_as`'s: the declaration's for a read of a parameter whose
/// name no other shares (which differs from the read's only where a `macro_rules!` wrote one
/// and its caller the other), else the read's own.
pub(crate) fn alias(parameter: &Ident, at: Span, resolves_as: Span) -> Ident {
    Ident::new(
        &format!("__persevere_arg_{}", snake_case(parameter)),
        at.resolved_at(resolves_as),
    )
}

/// Whether `expr` is a read of a parameter as [`read_parameters`] writes it
/// (`*__persevere_arg_x`, in parentheses or not): a name on its own, to the value's operators.
pub(crate) fn is_read(expr: &Expr) -> bool {
    fn read(tokens: TokenStream) -> bool {
        let tokens: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
        match tokens.as_slice() {
            [
                proc_macro2::TokenTree::Punct(star),
                proc_macro2::TokenTree::Ident(alias),
            ] => star.as_char() == '*' && alias.to_string().starts_with("__persevere_arg_"),
            [proc_macro2::TokenTree::Group(group)] => {
                group.delimiter() == Delimiter::Parenthesis && read(group.stream())
            }
            _ => false,
        }
    }
    matches!(expr, Expr::Verbatim(tokens) if read(tokens.clone()))
}

/// `parameter`'s name in snake case, one name for one parameter, as a lint on a name of the
/// expansion's would reach the user's crate: lowercase letters and digits stay, `0` is `00`,
/// `_` is `0_` (so no `__` forms), and any other character `0u` and its code point in hex, then
/// `_` (`N` is `0u4e_`).
fn snake_case(parameter: &Ident) -> String {
    let mut name = String::new();
    for c in parameter.unraw().to_string().chars() {
        match c {
            '0' => name.push_str("00"),
            '_' => name.push_str("0_"),
            c if c.is_ascii_digit() || (c.is_lowercase() && !c.is_uppercase()) => name.push(c),
            c => name.push_str(&format!("0u{:x}_", u32::from(c))),
        }
    }
    name
}

/// Whether `value` names one of `parameters` or `self` anywhere, as any token (inside closures
/// and macro calls too, whatever the name means there): a value that does not can be built away
/// from the call, by a closure that captures nothing of it.
pub(crate) fn names_the_call(value: &Expr, parameters: &[Ident]) -> bool {
    fn mentions(tokens: TokenStream, parameters: &[Ident]) -> bool {
        tokens.into_iter().any(|token| match token {
            proc_macro2::TokenTree::Ident(ident) => {
                // `__self`: `self` as `#[async_trait]` renames it, in values too.
                ident == "self"
                    || ident == "__self"
                    || parameters.iter().any(|p| p.unraw() == ident.unraw())
            }
            proc_macro2::TokenTree::Group(group) => mentions(group.stream(), parameters),
            // A format string that reads one by itself (`"{url}"`).
            proc_macro2::TokenTree::Literal(literal) => {
                syn::parse2::<syn::LitStr>(proc_macro2::TokenTree::Literal(literal).into())
                    .is_ok_and(|text| {
                        macro_call::inline_captures(&text.value())
                            .iter()
                            .any(|name| {
                                name == "self" || parameters.iter().any(|p| p.unraw() == name)
                            })
                    })
            }
            _ => false,
        })
    }
    mentions(quote!(#value), parameters)
}

/// Whether `value` reads one of `parameters`, as [`read_parameters`] finds reads (a name the
/// value binds itself is its own; a path, a field's name and a macro's own tokens are no reads),
/// or `self`: what a value made before any call cannot read.
pub(crate) fn reads_the_call(value: &Expr, parameters: &[Ident]) -> bool {
    struct ReadsSelf(bool);
    impl<'ast> Walk<'ast> for ReadsSelf {
        fn visit_expr_path(&mut self, path: &'ast ExprPath) {
            self.0 |= path.qself.is_none() && path.path.is_ident("self");
        }
        fn visit_macro(&mut self, _: &'ast Macro) {}
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    let mut used = BTreeSet::new();
    read_parameters(
        &mut value.clone(),
        parameters,
        &TokenStream::new(),
        false,
        &mut used,
    );
    let mut reads_self = ReadsSelf(false);
    Walker(&mut reads_self).visit_expr(value);
    !used.is_empty() || reads_self.0
}

/// Rewrites the parameters `value` reads as values into their references, and records which.
/// Where the value binds a name again (a closure's parameter, a `let`, a `match` arm, a `for` or
/// `if let` pattern), its uses in that scope are the value's own binding and stay as written.
///
/// `by_value`: the key takes its value by value, so a parameter that is the whole value is read
/// as a call's argument is (see `Reads::moved`); the other keys borrow it.
pub(crate) fn read_parameters(
    value: &mut Expr,
    parameters: &[Ident],
    runtime: &TokenStream,
    by_value: bool,
    used: &mut BTreeSet<String>,
) {
    let candidates: Vec<String> = parameters
        .iter()
        .map(|parameter| parameter.unraw().to_string())
        .collect();
    if candidates.is_empty() {
        return;
    }
    let mut reads = Reads {
        parameters,
        runtime,
        candidates: &candidates,
        shadowed: Vec::new(),
        used,
        in_macro: false,
        rewritten: 0,
    };
    if by_value {
        reads.moved(value);
    } else {
        WalkerMut(&mut reads).visit_expr_mut(value);
    }
}

/// `value` in its family's scopes: the runtime's names, then the user's module over them.
pub(crate) fn with_names(
    value: TokenStream,
    family: Option<Family>,
    runtime: &TokenStream,
    span: Span,
) -> TokenStream {
    let Some(family) = family else {
        return value;
    };
    let module = Ident::new(family.module(), span);
    // In parentheses, so a value that starts with a block is not read as a statement; the
    // parentheses are the expansion's (`unused_parens` leaves them alone).
    let mut parenthesized = Group::new(Delimiter::Parenthesis, value);
    parenthesized.set_span(Span::mixed_site().located_at(span));
    // `self` at the call site: the module the annotated function is in.
    let user_module = Ident::new("self", Span::call_site().located_at(span));
    quote_spanned! {span=>
        {
            #[allow(unused_imports, clippy::wildcard_imports)]
            use #runtime::names::#module::*;
            {
                #[allow(unused_imports, clippy::wildcard_imports)]
                use #user_module::*;
                #parenthesized
            }
        }
    }
}

/// The names a pattern binds, without `r#`.
fn bound_by(pat: &syn::Pat) -> Vec<String> {
    crate::function::pattern_bindings(pat)
        .iter()
        .map(|name| name.unraw().to_string())
        .collect()
}

/// The names the `let` patterns of a condition bind (`if let Some(x) = .. && let ..`).
fn bound_by_condition(condition: &Expr) -> Vec<String> {
    struct Lets(Vec<String>);
    impl<'ast> Walk<'ast> for Lets {
        fn visit_expr_let(&mut self, expr: &'ast syn::ExprLet) {
            self.0.extend(bound_by(&expr.pat));
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    let mut lets = Lets(Vec::new());
    lets.visit_expr(condition);
    lets.0
}

struct Reads<'a> {
    /// The parameters as declared, beside their names in `candidates`.
    parameters: &'a [Ident],
    runtime: &'a TokenStream,
    candidates: &'a [String],
    /// The names the value binds in the scope being visited.
    shadowed: Vec<String>,
    used: &'a mut BTreeSet<String>,
    /// Whether the expression being visited is a macro's argument: the macro may match its
    /// tokens one by one, so a read there stays one token tree, `(*__persevere_arg_x)`.
    in_macro: bool,
    /// How many reads have been rewritten so far.
    rewritten: usize,
}

impl Reads<'_> {
    fn parameter(&self, ident: &Ident) -> bool {
        let name = ident.unraw().to_string();
        self.candidates.contains(&name) && !self.shadowed.contains(&name)
    }

    /// Visits what `visit` visits with `names` bound.
    fn binding(&mut self, names: Vec<String>, visit: impl FnOnce(&mut Self)) {
        let depth = self.shadowed.len();
        self.shadowed.extend(names);
        visit(self);
        self.shadowed.truncate(depth);
    }

    /// `*__persevere_arg_x`: the parameter's own place, at the user's token; in parentheses where
    /// a postfix operator follows (`(*__persevere_arg_x).len()`) or a macro reads the tokens, and
    /// only there, so that no parentheses of ours are unnecessary where a macro's fragment holds
    /// the read.
    fn place(&mut self, ident: &Ident, postfix: bool) -> TokenStream {
        let postfix = postfix || self.in_macro;
        self.rewritten += 1;
        let name = ident.unraw().to_string();
        let mut declared = self
            .parameters
            .iter()
            .filter(|parameter| parameter.unraw() == name);
        // One parameter of the name: the read resolves as it does. Two (one a macro's, one
        // its caller's): the read's own hygiene picks.
        let resolves_as = match (declared.next(), declared.next()) {
            (Some(declared), None) => declared.span(),
            _ => ident.span(),
        };
        let alias = alias(ident, ident.span(), resolves_as);
        self.used.insert(name);
        if postfix {
            quote_spanned!(ident.span()=> (*#alias))
        } else {
            quote_spanned!(ident.span()=> *#alias)
        }
    }

    /// The parameter `expr` reads, if it is a read of one.
    fn read<'e>(&self, expr: &'e Expr) -> Option<&'e Ident> {
        match expr {
            Expr::Path(ExprPath {
                qself: None,
                path,
                attrs,
            }) if attrs.is_empty() => path.get_ident().filter(|ident| self.parameter(ident)),
            _ => None,
        }
    }

    /// `expr`, the operand of a postfix operator (a method call's receiver, a field's or an
    /// index's base, `?`, `.await`): a read of a parameter there is parenthesized, also inside
    /// a macro's fragment (`$cfg.tries`), whose invisible group rustc does not keep around it.
    fn operand(&mut self, expr: &mut Expr) {
        if let Expr::Group(group) = expr
            && self.read(&group.expr).is_some()
        {
            return self.operand(&mut group.expr);
        }
        match self.read(expr).cloned() {
            Some(ident) => *expr = Expr::Verbatim(self.place(&ident, true)),
            None => self.grouped(expr),
        }
    }

    /// `expr`, where the value takes it by value (a call's argument, a closure's result, an
    /// element): a read of a parameter there is a copy of it, or one error saying to pass a copy
    /// or a borrow (see the runtime's `ByValue`). Inside a macro's tokens, a read stays a place.
    fn moved(&mut self, expr: &mut Expr) {
        if let Expr::Group(group) = expr
            && self.read(&group.expr).is_some()
        {
            return self.moved(&mut group.expr);
        }
        match self.read(expr).cloned() {
            Some(ident) if !self.in_macro => {
                let place = self.place(&ident, false);
                let span = ident.span();
                // At the user's token, so that an error is reported there; the `use` keeps its
                // path's own resolution (in an edition 2015 crate, a `use` at the user's resolves
                // from the crate's root).
                let rt = crate::respan::respan(self.runtime.clone(), span);
                let use_rt = crate::respan::relocate(self.runtime.clone(), span);
                *expr = Expr::Verbatim(quote_spanned! {span=> {
                    #[allow(unused_imports)]
                    use #use_rt::{ReadCopy as _, ReadShared as _};
                    (&&#rt::ByValue(&#place)).__persevere_read()
                }});
            }
            _ => self.visit_expr_mut(expr),
        }
    }

    /// `expr`, the operand of an operator. A macro's fragment holding more than a name (`n + 1`
    /// in `$e.pow(2)` or `-$e as u32`) is parenthesized once a read in it is rewritten: rustc
    /// does not keep the fragment's invisible group around it, and the operator would take part
    /// of it.
    fn grouped(&mut self, expr: &mut Expr) {
        let Expr::Group(group) = expr else {
            return self.visit_expr_mut(expr);
        };
        if self.read(&group.expr).is_some() {
            // A name alone: `*__persevere_arg_x` binds tighter than any operator but a postfix
            // one, which `operand` parenthesizes.
            return self.visit_expr_mut(&mut group.expr);
        }
        let before = self.rewritten;
        self.visit_expr_mut(&mut group.expr);
        if self.rewritten > before {
            *expr = Expr::Paren(syn::ExprParen {
                attrs: Vec::new(),
                paren_token: syn::token::Paren(group.group_token.span),
                expr: group.expr.clone(),
            });
        }
    }
}

impl WalkMut for Reads<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Some(ident) = self.read(expr).cloned() {
            *expr = Expr::Verbatim(self.place(&ident, false));
            return;
        }
        match expr {
            Expr::MethodCall(call) => {
                self.operand(&mut call.receiver);
                call.args.iter_mut().for_each(|arg| self.moved(arg));
            }
            Expr::Field(field) => self.operand(&mut field.base),
            Expr::Index(index) => {
                self.operand(&mut index.expr);
                self.visit_expr_mut(&mut index.index);
            }
            Expr::Try(question) => self.operand(&mut question.expr),
            Expr::Await(awaited) => self.operand(&mut awaited.base),
            Expr::Unary(unary) => self.grouped(&mut unary.expr),
            Expr::Cast(cast) => self.grouped(&mut cast.expr),
            Expr::Binary(binary) => {
                self.grouped(&mut binary.left);
                self.grouped(&mut binary.right);
            }
            Expr::Tuple(tuple) => tuple.elems.iter_mut().for_each(|elem| self.moved(elem)),
            Expr::Array(array) => array.elems.iter_mut().for_each(|elem| self.moved(elem)),
            _ => visit_mut::visit_expr_mut(&mut WalkerMut(self), expr),
        }
    }

    /// A called name is a function's: `attempts(attempts)` calls the runtime's `attempts`.
    fn visit_expr_call_mut(&mut self, call: &mut ExprCall) {
        if !matches!(&*call.func, Expr::Path(path) if path.path.get_ident().is_some()) {
            self.visit_expr_mut(&mut call.func);
        }
        for arg in call.args.iter_mut() {
            match arg {
                // `name = value`: a setting's name, not a read of a parameter `name`.
                Expr::Assign(setting) if matches!(&*setting.left, Expr::Path(path) if path.path.get_ident().is_some()) =>
                {
                    self.visit_expr_mut(&mut setting.right);
                }
                _ => self.moved(arg),
            }
        }
    }

    /// `S { log }` names the field too: keep the field, read the parameter.
    fn visit_field_value_mut(&mut self, field: &mut FieldValue) {
        if field.colon_token.is_none()
            && let syn::Member::Named(name) = &field.member
            && self.parameter(name)
        {
            field.colon_token = Some(syn::Token![:](name.span()));
        }
        self.moved(&mut field.expr);
    }

    /// A macro given a list of expressions has them read as the value's own; a bare name, in a
    /// macro that may take it for a field's name (`tracing::warn!(url, ..)`), and `name = ..`'s
    /// name stay. Tokens that are not such a list stay as written (see [`crate::macro_call`]).
    fn visit_macro_mut(&mut self, mac: &mut Macro) {
        let Some(mut arguments) = macro_call::arguments(mac) else {
            return;
        };
        let takes_values = macro_call::takes_values(mac);
        let outer = std::mem::replace(&mut self.in_macro, true);
        for argument in arguments.iter_mut() {
            match argument {
                Expr::Path(path) if !takes_values && path.path.get_ident().is_some() => {}
                Expr::Assign(named) if matches!(&*named.left, Expr::Path(path) if path.path.get_ident().is_some()) =>
                {
                    self.visit_expr_mut(&mut named.right);
                }
                other => self.visit_expr_mut(other),
            }
        }
        self.in_macro = outer;
        // `println!("{url}")`: a parameter the format string reads by itself is given as a named
        // argument, read as the value's other reads are (the closure would otherwise capture
        // the parameter's own binding, which the policy cannot lend out).
        if let Some(at) = macro_call::format_string(mac, &arguments)
            && let Some(Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(format),
                ..
            })) = arguments.iter().nth(at).cloned()
        {
            let given: Vec<String> = arguments
                .iter()
                .skip(at + 1)
                .filter_map(|argument| match argument {
                    Expr::Assign(named) => match &*named.left {
                        Expr::Path(path) => path.path.get_ident().map(|name| name.to_string()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            for name in macro_call::inline_captures(&format.value()) {
                // Not an identifier (`{a²}`): rustc's to report.
                if syn::parse_str::<Ident>(&name).is_err() {
                    continue;
                }
                let ident = Ident::new(&name, format.span());
                if given.contains(&name) || !self.parameter(&ident) {
                    continue;
                }
                let outer = std::mem::replace(&mut self.in_macro, true);
                let read = self.place(&ident, true);
                self.in_macro = outer;
                arguments.push(syn::parse_quote_spanned!(format.span()=> #ident = #read));
            }
        }
        mac.tokens = macro_call::tokens(&arguments);
    }

    fn visit_expr_closure_mut(&mut self, closure: &mut syn::ExprClosure) {
        let names = closure.inputs.iter().flat_map(bound_by).collect();
        self.binding(names, |this| this.moved(&mut closure.body));
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let depth = self.shadowed.len();
        for stmt in &mut block.stmts {
            match stmt {
                syn::Stmt::Local(local) => {
                    if let Some(init) = &mut local.init {
                        // `let x = arg;` moves it; `let ref x = arg;`, `let _ = arg;` and
                        // patterns that destructure read the place.
                        if crate::body::binds_by_value(&local.pat) {
                            self.moved(&mut init.expr);
                        } else {
                            self.visit_expr_mut(&mut init.expr);
                        }
                        if let Some((_, diverge)) = &mut init.diverge {
                            self.visit_expr_mut(diverge);
                        }
                    }
                    // Bound from the next statement on.
                    self.shadowed.extend(bound_by(&local.pat));
                }
                other => WalkerMut(self).visit_stmt_mut(other),
            }
        }
        self.shadowed.truncate(depth);
    }

    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        let names = bound_by(&arm.pat);
        self.binding(names, |this| {
            visit_mut::visit_arm_mut(&mut WalkerMut(this), arm)
        });
    }

    fn visit_expr_for_loop_mut(&mut self, expr: &mut syn::ExprForLoop) {
        self.visit_expr_mut(&mut expr.expr);
        let names = bound_by(&expr.pat);
        self.binding(names, |this| this.visit_block_mut(&mut expr.body));
    }

    // A condition's `let` bindings are in force in the condition and the branch that follows
    // (in the condition's own scrutinee too: a cautious reading, which leaves it as written).
    fn visit_expr_if_mut(&mut self, expr: &mut syn::ExprIf) {
        let names = bound_by_condition(&expr.cond);
        self.binding(names, |this| {
            this.visit_expr_mut(&mut expr.cond);
            this.visit_block_mut(&mut expr.then_branch);
        });
        if let Some((_, otherwise)) = &mut expr.else_branch {
            self.visit_expr_mut(otherwise);
        }
    }

    fn visit_expr_while_mut(&mut self, expr: &mut syn::ExprWhile) {
        let names = bound_by_condition(&expr.cond);
        self.binding(names, |this| {
            this.visit_expr_mut(&mut expr.cond);
            this.visit_block_mut(&mut expr.body);
        });
    }

    // A nested item has its own names.
    fn visit_item_mut(&mut self, _: &mut Item) {}
}

/// The name of the copy of a `clone(..)` argument kept aside for later attempts, in snake case
/// as [`alias`]'s is.
pub(crate) fn kept(parameter: &Ident) -> Ident {
    Ident::new(
        &format!("__persevere_kept_{}", snake_case(parameter)),
        parameter.span(),
    )
}

/// `let __persevere_arg_x = &x;` for each parameter a value reads, under the parameter's own
/// `#[cfg]` attributes. An argument in `clone(..)` (`clones`: the bindings kept) is read from the
/// copy kept aside, so values see the argument as the call received it, whatever an attempt did
/// to its own.
pub(crate) fn references(
    used: &BTreeSet<String>,
    parameters: &[(Ident, Vec<syn::Attribute>)],
    clones: &[Ident],
) -> TokenStream {
    let lets = parameters
        .iter()
        .filter(|(parameter, _)| used.contains(&parameter.unraw().to_string()))
        .map(|(parameter, cfgs)| {
            let alias = alias(parameter, parameter.span(), parameter.span());
            if clones.contains(parameter) {
                let kept = kept(parameter);
                quote!(#(#cfgs)* let #alias = #kept.get();)
            } else {
                quote!(#(#cfgs)* let #alias = &#parameter;)
            }
        });
    quote!(#(#lets)*)
}
