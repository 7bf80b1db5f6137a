//! Bodies that an attribute above `#[retry]` has already rewritten.
//!
//! `#[tracing::instrument]` above `#[retry]` runs first, and wraps the body in its span:
//!
//! ```text
//! async fn:  let __tracing_attr_span = ..;
//!            let __tracing_instrument_future = async move BODY;     // or `async move { .. async move BODY.await .. }`
//!            if !__tracing_attr_span.is_disabled() { Instrument::instrument(__tracing_instrument_future, ..).await } else { .. }
//!
//! fn:        #[allow(..)] { let __tracing_attr_span; let __tracing_attr_guard; if .. { .. } #[warn(..)] BODY }
//!            or, with `err` or `ret`: let ..; let ..; if .. { .. } match (move || BODY)() { .. }
//!                                     (`let x = (move || BODY)(); EVENT; x` with `ret` alone)
//! ```
//!
//! The loop goes where `BODY` is (see [`instrumented_body`]), so the span covers the whole
//! retried call and instrument's `err` and `ret` events are the call's, once.

use syn::{Block, Expr, ExprAsync, Local, Pat, Stmt};

/// The user's `BODY` in a body `#[tracing::instrument]` has rewritten, if `block` is one.
pub(crate) fn instrumented_body(block: &mut Block, is_async: bool) -> Option<&mut Block> {
    if is_async {
        return block.stmts.iter_mut().find_map(|stmt| match stmt {
            Stmt::Local(local) if named(local, "__tracing_instrument_future") => {
                let Expr::Async(wrapper) = local_init(local)? else {
                    return None;
                };
                let future = if awaited(wrapper).is_some() {
                    awaited_mut(wrapper)?
                } else {
                    wrapper
                };
                future.capture?;
                Some(&mut future.block)
            }
            _ => None,
        });
    }
    // Without `err` and `ret`, instrument's statements are in a block of their own, last.
    let in_own_block = starts_a_span(&block.stmts).is_none()
        && matches!(block.stmts.last(), Some(Stmt::Expr(Expr::Block(inner), None))
            if starts_a_span(&inner.block.stmts).is_some());
    let stmts: &mut [Stmt] = if in_own_block {
        match block.stmts.last_mut() {
            Some(Stmt::Expr(Expr::Block(inner), None)) => &mut inner.block.stmts,
            _ => return None,
        }
    } else {
        &mut block.stmts
    };
    let at = starts_a_span(stmts)?;
    match &mut stmts[at..] {
        [
            Stmt::Expr(Expr::If(_), None),
            Stmt::Expr(Expr::Block(body), None),
        ] => Some(&mut body.block),
        [
            Stmt::Expr(Expr::If(_), None),
            Stmt::Expr(Expr::Match(matched), None),
        ] => called_closure(&mut matched.expr),
        [
            Stmt::Expr(Expr::If(_), None),
            Stmt::Local(local),
            _,
            Stmt::Expr(Expr::Path(tail), None),
        ] if named(local, "x") && tail.path.is_ident("x") => called_closure(local_init(local)?),
        _ => None,
    }
}

/// Where the statements after instrument's `let __tracing_attr_span; let __tracing_attr_guard;`
/// start, if `stmts` has them.
fn starts_a_span(stmts: &[Stmt]) -> Option<usize> {
    stmts
        .windows(2)
        .position(|pair| {
            matches!(pair, [Stmt::Local(span), Stmt::Local(guard)]
            if named(span, "__tracing_attr_span") && span.init.is_none()
                && named(guard, "__tracing_attr_guard") && guard.init.is_none())
        })
        .map(|at| at + 2)
}

/// `BODY` in instrument's `(move || BODY)()`.
fn called_closure(call: &mut Expr) -> Option<&mut Block> {
    let Expr::Call(call) = call else { return None };
    if !call.args.is_empty() {
        return None;
    }
    let Expr::Paren(closure) = &mut *call.func else {
        return None;
    };
    let Expr::Closure(closure) = &mut *closure.expr else {
        return None;
    };
    if closure.capture.is_none() || !closure.inputs.is_empty() {
        return None;
    }
    match &mut *closure.body {
        Expr::Block(body) => Some(&mut body.block),
        _ => None,
    }
}

/// Where instrument's block with `err` or `ret` awaits the block it wraps: as its first
/// statement's value (`let __match_scrutinee = ..;`, `let x = ..; EVENT; x`), or as the
/// scrutinee of its one `match`.
#[derive(Clone, Copy)]
enum Awaited {
    FirstLocal,
    Scrutinee,
}

/// Which of instrument's shapes with `err` or `ret` `wrapper` is, if one.
fn awaited(wrapper: &ExprAsync) -> Option<Awaited> {
    let (place, awaited) = match wrapper.block.stmts.as_slice() {
        [Stmt::Local(local), ..] if named(local, "__match_scrutinee") => {
            (Awaited::FirstLocal, &local.init.as_ref()?.expr)
        }
        [Stmt::Expr(Expr::Match(matched), None)] => (Awaited::Scrutinee, &matched.expr),
        [Stmt::Local(local), _, Stmt::Expr(Expr::Path(tail), None)]
            if named(local, "x") && tail.path.is_ident("x") =>
        {
            (Awaited::FirstLocal, &local.init.as_ref()?.expr)
        }
        _ => return None,
    };
    matches!(&**awaited, Expr::Await(awaited) if matches!(&*awaited.base, Expr::Async(_)))
        .then_some(place)
}

/// The block `wrapper` awaits, in instrument's shapes with `err` or `ret`.
fn awaited_mut(wrapper: &mut ExprAsync) -> Option<&mut ExprAsync> {
    let place = awaited(wrapper)?;
    let awaited = match (place, wrapper.block.stmts.as_mut_slice()) {
        (Awaited::FirstLocal, [Stmt::Local(local), ..]) => local_init(local)?,
        (Awaited::Scrutinee, [Stmt::Expr(Expr::Match(matched), None)]) => &mut *matched.expr,
        _ => return None,
    };
    match awaited {
        Expr::Await(awaited) => match &mut *awaited.base {
            Expr::Async(block) => Some(block),
            _ => None,
        },
        _ => None,
    }
}

fn named(local: &Local, name: &str) -> bool {
    matches!(&local.pat, Pat::Ident(pat) if pat.ident == name)
}

fn local_init(local: &mut Local) -> Option<&mut Expr> {
    local.init.as_mut().map(|init| &mut *init.expr)
}

/// A method `#[async_trait]` has already rewritten: a plain `fn` returning a boxed future, whose
/// body is
///
/// ```text
/// Box::pin(async move {
///     if let Some(__ret) = None::<R> { return __ret; }    // PREFIX: async_trait's own statements
///     let __self = self; let msg = msg;                   //   (arguments moved into the block)
///     let __ret: R = { BODY };                            // the user's body, `self` as `__self`
///     __ret                                               // SUFFIX
/// })
/// ```
///
/// The retry loop goes where `{ BODY }` was, as an async fn's would, with `R` as its outcome.
pub(crate) struct AsyncTrait {
    /// `Box::pin`, as async_trait wrote it.
    pub(crate) pin: Expr,
    pub(crate) prefix: Vec<Stmt>,
    /// `R`: what the future resolves to.
    pub(crate) output: syn::Type,
    pub(crate) suffix: Vec<Stmt>,
    /// Where `#[tracing::instrument]` above `#[retry]` wrapped async_trait's block in its own.
    pub(crate) instrumented: Option<Instrumented>,
}

/// `#[tracing::instrument]`'s block around async_trait's, once instrument has run on a method
/// async_trait rewrote (instrument keeps the `Box::pin` and instruments the block inside):
///
/// ```text
/// Box::pin(async move {
///     let __tracing_attr_span = ..;                                  // BEFORE
///     let __tracing_instrument_future = async move { ASYNC_TRAIT };  // FUTURE
///     if !__tracing_attr_span.is_disabled() { .. } else { .. }       // AFTER
/// })
/// ```
pub(crate) struct Instrumented {
    pub(crate) before: Vec<Stmt>,
    /// `let __tracing_instrument_future = ..;`, whose value the expansion writes.
    pub(crate) future: Local,
    pub(crate) after: Vec<Stmt>,
}

/// Splits an `#[async_trait]` body into its parts and the user's block, if `block` is one.
pub(crate) fn async_trait_body(block: &Block) -> Option<(AsyncTrait, Block)> {
    let [Stmt::Expr(Expr::Call(call), None)] = block.stmts.as_slice() else {
        return None;
    };
    let Expr::Path(pin) = &*call.func else {
        return None;
    };
    let is_box_pin = pin.path.segments.len() >= 2
        && pin.path.segments.iter().rev().nth(1)?.ident == "Box"
        && pin.path.segments.last()?.ident == "pin";
    let [Expr::Async(future)] = call.args.iter().collect::<Vec<_>>().as_slice() else {
        return None;
    };
    if !is_box_pin || future.capture.is_none() {
        return None;
    }
    let instrumented = instrumented_block(&future.block.stmts);
    let stmts = instrumented
        .as_ref()
        .map_or(&future.block.stmts, |(inner, _)| &inner.block.stmts);
    let at = stmts.iter().position(|stmt| {
        matches!(stmt, Stmt::Local(Local { pat: Pat::Type(typed), init: Some(init), .. })
            if matches!(&*typed.pat, Pat::Ident(pat) if pat.ident == "__ret")
                && matches!(&*init.expr, Expr::Block(_)))
    })?;
    let Stmt::Local(Local {
        pat: Pat::Type(typed),
        init: Some(init),
        ..
    }) = &stmts[at]
    else {
        return None;
    };
    let Expr::Block(body) = &*init.expr else {
        return None;
    };
    let body = body.block.clone();
    Some((
        AsyncTrait {
            pin: (*call.func).clone(),
            prefix: stmts[..at].to_vec(),
            output: (*typed.ty).clone(),
            suffix: stmts[at + 1..].to_vec(),
            instrumented: instrumented.map(|(_, instrumented)| instrumented),
        },
        body,
    ))
}

/// The block async_trait wrote, if instrument has wrapped it (see [`Instrumented`]).
fn instrumented_block(stmts: &[Stmt]) -> Option<(ExprAsync, Instrumented)> {
    let at = stmts.iter().position(
        |stmt| matches!(stmt, Stmt::Local(local) if named(local, "__tracing_instrument_future")),
    )?;
    let Stmt::Local(future) = &stmts[at] else {
        return None;
    };
    let inner = async_trait_block(&mut future.clone())?.clone();
    Some((
        inner,
        Instrumented {
            before: stmts[..at].to_vec(),
            future: future.clone(),
            after: stmts[at + 1..].to_vec(),
        },
    ))
}

/// In instrument's `let __tracing_instrument_future = ..;`, async_trait's block: the future
/// itself, or the block it awaits with `err` or `ret`.
fn async_trait_block(future: &mut Local) -> Option<&mut ExprAsync> {
    let Expr::Async(wrapper) = local_init(future)? else {
        return None;
    };
    if awaited(wrapper).is_some() {
        awaited_mut(wrapper)
    } else {
        Some(wrapper)
    }
}

/// `let __tracing_instrument_future = ..;` with async_trait's block holding `stmts` instead.
pub(crate) fn instrumented_with(mut future: Local, stmts: proc_macro2::TokenStream) -> Local {
    if let Some(block) = async_trait_block(&mut future) {
        block.block.stmts = vec![Stmt::Expr(Expr::Verbatim(stmts), None)];
    }
    future
}

/// In a value of an `#[async_trait]` method, `self` is async_trait's `__self`.
pub(crate) fn self_as_async_trait_does(value: &mut Expr) {
    struct Rename;
    impl crate::walk::WalkMut for Rename {
        fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
            if path.qself.is_none() && path.path.is_ident("self") {
                let span = path.path.segments[0].ident.span();
                path.path.segments[0].ident = syn::Ident::new("__self", span);
            }
        }
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            mac.tokens = rename(std::mem::take(&mut mac.tokens));
        }
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
    }
    fn rename(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
        use proc_macro2::TokenTree;
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(tokens.len());
        for (index, token) in tokens.iter().enumerate() {
            let path_start =
                matches!(tokens.get(index + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':');
            match token {
                TokenTree::Ident(ident) if ident == "self" && !path_start => {
                    out.push(TokenTree::Ident(syn::Ident::new("__self", ident.span())));
                }
                TokenTree::Group(group) => {
                    let mut renamed =
                        proc_macro2::Group::new(group.delimiter(), rename(group.stream()));
                    renamed.set_span(group.span());
                    out.push(TokenTree::Group(renamed));
                }
                other => out.push(other.clone()),
            }
        }
        out.into_iter().collect()
    }
    syn::visit_mut::VisitMut::visit_expr_mut(&mut crate::walk::WalkerMut(&mut Rename), value);
}

/// A test `#[tokio::test]` above `#[retry]` has already rewritten into a plain function that
/// blocks on its body:
///
/// ```text
/// #[::core::prelude::v1::test]
/// fn name() -> R {
///     let body = async { BODY };
///     ::tokio::pin!(body); ..
///     { .. return Builder::new_current_thread()..build().expect(..).block_on(body); }
/// }
/// ```
///
/// The retry loop goes inside `async { BODY }`, as it would in the `async fn` tokio was given,
/// so that the test's runtime (and its paused clock) runs it. Retrying the whole function would
/// build a runtime per attempt and sleep between them in real time. With
/// `#[tracing::instrument]` between the two, instrument has wrapped tokio's statements, and
/// the loop still goes inside tokio's future, inside instrument's span.
pub(crate) struct TokioTest {
    /// `BODY`.
    pub(crate) body: Block,
}

/// The body tokio's test attribute wrapped, if `function` is one it rewrote: marked with the
/// attribute only tokio writes out in full (`::core::prelude::v1::test`), and starting with its
/// `let body = async { .. };` (see [`tokio_future`]).
pub(crate) fn tokio_test(function: &crate::function::RetryFn) -> Option<TokioTest> {
    let marked = function.attrs.iter().any(is_tokio_test_mark);
    if !marked || function.sig.asyncness.is_some() {
        return None;
    }
    let mut block = function.block.clone();
    let future = tokio_future(&mut block)?;
    Some(TokioTest {
        body: future.block.clone(),
    })
}

/// tokio's `async { BODY }` in `let body = async { BODY };`, among `block`'s statements or
/// those of the block it ends with: `#[tracing::instrument]` between `#[tokio::test]` and
/// `#[retry]` puts tokio's statements in a block of their own, after its `if false { .. }`.
pub(crate) fn tokio_future(block: &mut Block) -> Option<&mut ExprAsync> {
    let at = block.stmts.iter().position(|stmt| {
        matches!(stmt, Stmt::Local(local) if named(local, "body")
            && matches!(local.init.as_ref().map(|init| &*init.expr),
                Some(Expr::Async(future)) if future.capture.is_none()))
    });
    match at {
        Some(at) => match &mut block.stmts[at] {
            Stmt::Local(local) => match local_init(local)? {
                Expr::Async(future) => Some(future),
                _ => None,
            },
            _ => None,
        },
        None => match block.stmts.last_mut()? {
            Stmt::Expr(Expr::Block(inner), None) => tokio_future(&mut inner.block),
            _ => None,
        },
    }
}

/// The attribute tokio's test attribute leaves on the function it rewrote, written out in full
/// as only tokio writes it: `#[::core::prelude::v1::test]`.
pub(crate) fn is_tokio_test_mark(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    path.leading_colon.is_some()
        && path
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .eq(["core", "prelude", "v1", "test"])
}
