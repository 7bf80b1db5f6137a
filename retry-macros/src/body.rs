//! Which by-value arguments the body moves, as far as syntax shows. It serves a diagnostic and
//! the fresh reborrow of `&mut` arguments (see `expand`); the compiler stays the judge.
//!
//! A by-value argument moved by the body runs out after the first attempt. The expansion checks,
//! at the move, that the next attempt can use the argument again (see `expand`); when it cannot,
//! the error names the fix (`clone(msg)`) instead of rustc's "moved in previous iteration of
//! loop". The check only ever fails where rustc would fail too: a move compiled out by `#[cfg]`
//! is checked under the same `#[cfg]`s, a `let _ = msg;` moves nothing, and a `Copy` argument or a
//! reborrowed `&mut` passes. A move is a call's argument, a returned, assigned or awaited value,
//! a `for` loop's iterable or an operator's operand, and the value of a branch, an arm or a block
//! that stands in one of those places. Moves the scan cannot see (through a pattern, a macro) are
//! left to rustc's own error, and so is every argument a statement macro is given, which may
//! rebind it, unless the macro is one of the standard library's printing and assertion macros or
//! a `tracing`/`log` event, taken by name to bind nothing (a macro of the user's own with one of
//! those names that rebinds its argument would be misread).

use std::collections::BTreeSet;

use crate::walk::{Walk, Walker};
use proc_macro2::Span;
use syn::visit::{self, Visit};
use syn::{
    Arm, Attribute, Block, Expr, ExprClosure, FieldValue, Ident, Item, Local, Macro, Pat, PatIdent,
    Stmt,
};

use crate::function::cfgs;

/// The names the body binds anywhere (`let`, patterns, closure parameters), or may bind: every
/// name a statement macro is given (`fresh!(msg);` may expand to `let msg = msg.clone();`),
/// unless the macro is one known to bind nothing (`println!`, `assert!`, `tracing::info!`).
pub(crate) fn bound_names(block: &Block) -> BTreeSet<String> {
    struct Bindings(BTreeSet<String>);
    impl<'ast> Walk<'ast> for Bindings {
        fn visit_pat_ident(&mut self, pat: &'ast PatIdent) {
            self.0.insert(pat.ident.to_string());
            visit::visit_pat_ident(&mut Walker(self), pat);
        }
        fn visit_stmt_macro(&mut self, stmt: &'ast syn::StmtMacro) {
            if !binds_nothing(&stmt.mac.path) {
                names_in(stmt.mac.tokens.clone(), &mut self.0);
            }
        }
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    fn names_in(tokens: proc_macro2::TokenStream, names: &mut BTreeSet<String>) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Ident(ident) => {
                    names.insert(ident.to_string());
                }
                proc_macro2::TokenTree::Group(group) => names_in(group.stream(), names),
                _ => {}
            }
        }
    }
    let mut bindings = Bindings(BTreeSet::new());
    Walker(&mut bindings).visit_block(block);
    bindings.0
}

/// The standard library's printing, formatting and assertion macros, and `tracing`'s and `log`'s
/// events, by their own names: they bind no name of the caller's.
fn binds_nothing(path: &syn::Path) -> bool {
    const MACROS: &[&str] = &[
        "print",
        "println",
        "eprint",
        "eprintln",
        "format",
        "write",
        "writeln",
        "panic",
        "assert",
        "assert_eq",
        "assert_ne",
        "debug_assert",
        "debug_assert_eq",
        "debug_assert_ne",
        "dbg",
        "todo",
        "unimplemented",
        "unreachable",
        "trace",
        "debug",
        "info",
        "warn",
        "error",
        "event",
    ];
    let names: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    match names.as_slice() {
        [name] => MACROS.contains(&name.as_str()),
        [owner, name] => {
            matches!(owner.as_str(), "std" | "core" | "alloc" | "tracing" | "log")
                && MACROS.contains(&name.as_str())
        }
        _ => false,
    }
}

/// Where the body moves an argument.
pub(crate) struct Moved {
    pub(crate) argument: Ident,
    /// The fields down to the moved part (`self.name`), none when the whole argument moves.
    pub(crate) fields: Vec<syn::Member>,
    /// The moved token.
    pub(crate) at: Span,
    /// The `#[cfg]`s around the move: the check is compiled exactly when the move is.
    pub(crate) cfgs: Vec<Attribute>,
}

/// The first place the body moves each of `arguments`, in source order. A name the body binds
/// itself is left out: its uses may be the local's. For a check that refuses what it finds, so
/// only moves that are surely moves: none inside a macro call, which may be the user's own
/// `vec!` or `dbg!` (rustc reports a move the standard ones make, in the attempts' loop), unless
/// `names_in_macros`: for hedged attempts, where rustc's report of such a move would name the
/// hedge's internals instead.
pub(crate) fn moved_arguments(
    block: &Block,
    arguments: &[Ident],
    names_in_macros: bool,
) -> Vec<Moved> {
    let bound = bound_names(block);
    let candidates: Vec<&Ident> = arguments
        .iter()
        .filter(|argument| !bound.contains(&argument.to_string()))
        .collect();
    let macros = if names_in_macros {
        Macros::NamesTaken
    } else {
        Macros::Skipped
    };
    moves_in(block, candidates, macros)
}

/// The first place the body moves each of `names`, in source order, whether the name there is
/// the argument or a local of the same name: for a change that is harmless where it is the
/// local's.
///
/// With `into_macros`, the standard library's assertion, formatting and collection macros are
/// read too, as the expressions they evaluate (`assert!(emit(out).is_ok())`). A name alone among
/// their arguments is taken for a move only in `vec!` and `dbg!` (`format!` borrows it), and
/// there always.
pub(crate) fn moved_names(block: &Block, names: &[Ident], into_macros: bool) -> Vec<Moved> {
    let macros = if into_macros {
        Macros::Read
    } else {
        Macros::NamesTaken
    };
    moves_in(block, names.iter().collect(), macros)
}

/// How much of the standard library's macros' arguments a scan reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Macros {
    /// None.
    Skipped,
    /// Only a name alone in `vec!` and `dbg!`, which take it.
    NamesTaken,
    /// Their arguments, as expressions.
    Read,
}

fn moves_in(block: &Block, candidates: Vec<&Ident>, macros: Macros) -> Vec<Moved> {
    let mut moves = Moves {
        candidates,
        found: Vec::new(),
        in_move_closure: false,
        cfgs: Vec::new(),
        macros,
    };
    Walker(&mut moves).visit_block(block);
    // The body's value is moved out of it.
    moves.tail(block);
    moves.found
}

struct Moves<'a> {
    candidates: Vec<&'a Ident>,
    found: Vec<Moved>,
    in_move_closure: bool,
    /// The `#[cfg]`s of the nodes enclosing the one being visited.
    cfgs: Vec<Attribute>,
    /// How much of the standard library's macros' arguments is read.
    macros: Macros,
}

impl Moves<'_> {
    /// `expr` stands where its value is moved: a moved argument if it names one. The value of a
    /// branch, an arm or a block is the whole expression's, so it is moved too.
    fn value(&mut self, expr: &Expr) {
        self.part(expr, Vec::new());
    }

    /// `expr`, moved, is `fields` of a value: a moved argument, or a moved part of one
    /// (`Ok(self.name)` moves the field out).
    fn part(&mut self, expr: &Expr, mut fields: Vec<syn::Member>) {
        let path = match expr {
            Expr::Path(path) => path,
            Expr::Field(field) => {
                fields.insert(0, field.member.clone());
                return self.part(&field.base, fields);
            }
            Expr::If(branches) => {
                self.tail(&branches.then_branch);
                if let Some((_, otherwise)) = &branches.else_branch {
                    self.value(otherwise);
                }
                return;
            }
            Expr::Match(choice) => {
                for arm in &choice.arms {
                    self.under(&arm.attrs, |this| this.value(&arm.body));
                }
                return;
            }
            Expr::Block(block) if block.label.is_none() => return self.tail(&block.block),
            Expr::Unsafe(block) => return self.tail(&block.block),
            // A place in parentheses is the same place; a branch's value above is a new one.
            Expr::Paren(inner) => return self.part(&inner.expr, fields),
            Expr::Group(inner) => return self.part(&inner.expr, fields),
            _ => return,
        };
        let Some(name) = path.path.get_ident() else {
            return;
        };
        if path.qself.is_some()
            || self
                .found
                .iter()
                .any(|found| found.argument == *name && found.fields == fields)
        {
            return;
        }
        if let Some(argument) = self.candidates.iter().find(|candidate| **candidate == name) {
            let mut enclosing = self.cfgs.clone();
            enclosing.extend(cfgs(&path.attrs));
            self.found.push(Moved {
                argument: (*argument).clone(),
                fields,
                at: name.span(),
                cfgs: enclosing,
            });
        }
    }

    /// A block's value, its tail expression, is moved.
    fn tail(&mut self, block: &Block) {
        if let Some(Stmt::Expr(tail, None)) = block.stmts.last() {
            self.value(tail);
        }
    }

    /// Visits what `visit` visits with `attrs`' `#[cfg]`s in force.
    fn under(&mut self, attrs: &[Attribute], visit: impl FnOnce(&mut Self)) {
        let depth = self.cfgs.len();
        self.cfgs.extend(cfgs(attrs));
        visit(self);
        self.cfgs.truncate(depth);
    }
}

impl<'ast> Walk<'ast> for Moves<'_> {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        self.under(expr_attrs(expr), |this| {
            match expr {
                // `_ = msg;` moves nothing; `(msg, n) = ..` assigns to its left side; only the
                // right side is read.
                Expr::Assign(assign) => {
                    if !matches!(&*assign.left, Expr::Infer(_)) {
                        this.value(&assign.right);
                    }
                    this.visit_expr(&assign.right);
                    return;
                }
                // In a `move` closure, `opts.threads` captures the field alone (edition 2021).
                Expr::Field(field) if this.in_move_closure && field_of_a_name(field) => return,
                Expr::Call(call) => call.args.iter().for_each(|arg| this.value(arg)),
                Expr::MethodCall(call) => call.args.iter().for_each(|arg| this.value(arg)),
                Expr::Return(ret) => ret.expr.iter().for_each(|value| this.value(value)),
                Expr::Break(brk) => brk.expr.iter().for_each(|value| this.value(value)),
                Expr::Struct(init) => init.fields.iter().for_each(|field| {
                    this.under(&field.attrs, |this| this.value(&field.expr));
                }),
                Expr::Array(array) => array.elems.iter().for_each(|elem| this.value(elem)),
                Expr::Tuple(tuple) => tuple.elems.iter().for_each(|elem| this.value(elem)),
                Expr::Try(try_) => this.value(&try_.expr),
                Expr::Await(await_) => this.value(&await_.base),
                // `for item in items`: `IntoIterator::into_iter(items)`.
                Expr::ForLoop(for_) => this.value(&for_.expr),
                // `base + "/path"`: the operator traits take their operands by value.
                Expr::Binary(binary) if moves_operands(&binary.op) => {
                    this.value(&binary.left);
                    this.value(&binary.right);
                }
                Expr::Unary(unary) if !matches!(unary.op, syn::UnOp::Deref(_)) => {
                    this.value(&unary.expr);
                }
                Expr::Path(_) if this.in_move_closure => this.value(expr),
                _ => {}
            }
            visit::visit_expr(&mut Walker(this), expr);
        });
    }

    fn visit_expr_closure(&mut self, closure: &'ast ExprClosure) {
        let outer = self.in_move_closure;
        self.in_move_closure |= closure.capture.is_some();
        visit::visit_expr_closure(&mut Walker(self), closure);
        self.in_move_closure = outer;
    }

    // An `async move` block captures as a `move` closure does.
    fn visit_expr_async(&mut self, block: &'ast syn::ExprAsync) {
        let outer = self.in_move_closure;
        self.in_move_closure |= block.capture.is_some();
        visit::visit_expr_async(&mut Walker(self), block);
        self.in_move_closure = outer;
    }

    fn visit_local(&mut self, local: &'ast Local) {
        self.under(&local.attrs, |this| {
            // `let x = msg;` moves; `let _ = msg;`, `let ref m = msg;` and destructuring (which
            // may bind by reference or copy fields out) are left to rustc.
            if let Some(init) = &local.init
                && binds_by_value(&local.pat)
            {
                this.value(&init.expr);
            }
            visit::visit_local(&mut Walker(this), local);
        });
    }

    fn visit_arm(&mut self, arm: &'ast Arm) {
        self.under(&arm.attrs, |this| visit::visit_arm(&mut Walker(this), arm));
    }

    fn visit_field_value(&mut self, field: &'ast FieldValue) {
        self.under(&field.attrs, |this| {
            visit::visit_field_value(&mut Walker(this), field)
        });
    }

    // Nested items have their own names. A macro's tokens are expressions only for the standard
    // library's macros that evaluate their arguments, and read only where asked (a check that
    // must be exact cannot take a macro of the user's of the same name for the standard one).
    fn visit_item(&mut self, _: &'ast Item) {}
    fn visit_macro(&mut self, mac: &'ast Macro) {
        // `matches!(scrutinee, pattern)`: the scrutinee is an expression, the rest a pattern.
        let matches = mac.path.is_ident("matches");
        // A name alone: `format!` and the assertions borrow it; `vec!` and `dbg!` take it, a
        // move as sure as one outside a macro, read even where calls in macros are not.
        let takes = self.macros != Macros::Skipped
            && (mac.path.is_ident("vec") || mac.path.is_ident("dbg"));
        let into_macros = self.macros == Macros::Read;
        if !(into_macros || takes) || !(matches || crate::macro_call::takes_values(mac)) {
            return;
        }
        let Some(arguments) = crate::macro_call::arguments(mac) else {
            return;
        };
        for argument in arguments.iter().take(if matches { 1 } else { usize::MAX }) {
            if matches!(argument, Expr::Path(_)) {
                if takes {
                    self.value(argument);
                }
            } else if into_macros {
                self.visit_expr(argument);
            }
        }
    }
}

/// `x` or `mut x` (typed or not): a pattern that takes the whole value.
pub(crate) fn binds_by_value(pat: &Pat) -> bool {
    match pat {
        Pat::Ident(ident) => ident.by_ref.is_none() && ident.subpat.is_none(),
        Pat::Type(typed) => binds_by_value(&typed.pat),
        _ => false,
    }
}

/// `name.field` or `name.a.b`: a field path down from a name.
fn field_of_a_name(field: &syn::ExprField) -> bool {
    match &*field.base {
        Expr::Path(path) => path.path.get_ident().is_some(),
        Expr::Field(inner) => field_of_a_name(inner),
        _ => false,
    }
}

/// Whether `op` assigns to its left side (`+=`, `<<=`, ...).
pub(crate) fn assigns(op: &syn::BinOp) -> bool {
    use syn::BinOp;
    matches!(
        op,
        BinOp::AddAssign(_)
            | BinOp::SubAssign(_)
            | BinOp::MulAssign(_)
            | BinOp::DivAssign(_)
            | BinOp::RemAssign(_)
            | BinOp::BitXorAssign(_)
            | BinOp::BitAndAssign(_)
            | BinOp::BitOrAssign(_)
            | BinOp::ShlAssign(_)
            | BinOp::ShrAssign(_)
    )
}

/// Whether `op`'s trait takes its operands by value (`Add`, `BitOr`, `Shl`, ...); comparisons,
/// `&&`, `||` and the compound assignments do not.
fn moves_operands(op: &syn::BinOp) -> bool {
    use syn::BinOp;
    matches!(
        op,
        BinOp::Add(_)
            | BinOp::Sub(_)
            | BinOp::Mul(_)
            | BinOp::Div(_)
            | BinOp::Rem(_)
            | BinOp::BitXor(_)
            | BinOp::BitAnd(_)
            | BinOp::BitOr(_)
            | BinOp::Shl(_)
            | BinOp::Shr(_)
    )
}

/// An expression's own attributes (`#[cfg(..)] expr`).
pub(crate) fn expr_attrs(expr: &Expr) -> &[Attribute] {
    macro_rules! attrs {
        ($($variant:ident),*) => {
            match expr {
                $(Expr::$variant(inner) => &inner.attrs,)*
                _ => &[],
            }
        };
    }
    attrs!(
        Array, Assign, Async, Await, Binary, Block, Break, Call, Cast, Closure, Const, Continue,
        Field, ForLoop, Group, If, Index, Let, Lit, Loop, Macro, Match, MethodCall, Paren, Path,
        Range, RawAddr, Reference, Repeat, Return, Struct, Try, TryBlock, Tuple, Unary, Unsafe,
        While, Yield
    )
}
