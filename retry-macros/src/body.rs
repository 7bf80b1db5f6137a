//! What the body does with names, as far as syntax shows: which names it binds, and which by-value
//! arguments it moves. Both serve diagnostics only; the compiler stays the judge.
//!
//! - A by-value argument moved by the body runs out after the first attempt. The expansion checks,
//!   at the move, that the argument's type is `Copy`; when it is not, the error names the fix
//!   (`clone(msg)`) instead of rustc's "moved in previous iteration of loop". A `Copy` argument
//!   passes, so the check adds no error rustc would not have raised.
//! - A value that names a local of the body cannot see it: values are evaluated before the body
//!   runs. The macro says so at the value.

use std::collections::BTreeSet;

use proc_macro2::Span;
use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprClosure, Ident, Item, Local, Macro, PatIdent, Stmt};

/// The names the body's own top-level `let` statements bind: its locals, for certain.
pub(crate) fn top_level_locals(block: &Block) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for stmt in &block.stmts {
        if let Stmt::Local(local) = stmt {
            collect_pat(&local.pat, &mut names);
        }
    }
    names
}

/// The names the body binds anywhere (`let`, patterns, closure parameters).
pub(crate) fn bound_names(block: &Block) -> BTreeSet<String> {
    struct Bindings(BTreeSet<String>);
    impl<'ast> Visit<'ast> for Bindings {
        fn visit_pat_ident(&mut self, pat: &'ast PatIdent) {
            self.0.insert(pat.ident.to_string());
            visit::visit_pat_ident(self, pat);
        }
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    let mut bindings = Bindings(BTreeSet::new());
    bindings.visit_block(block);
    bindings.0
}

/// The first place the body moves each of `arguments`, in source order. A name the body binds
/// itself is left out: its uses may be the local's.
pub(crate) fn moved_arguments(block: &Block, arguments: &[Ident]) -> Vec<(Ident, Span)> {
    let bound = bound_names(block);
    let candidates: Vec<&Ident> = arguments
        .iter()
        .filter(|argument| !bound.contains(&argument.to_string()))
        .collect();
    let mut moves = Moves {
        candidates,
        found: Vec::new(),
        in_move_closure: false,
    };
    moves.visit_block(block);
    // The body's value is moved out of it.
    if let Some(Stmt::Expr(tail, None)) = block.stmts.last() {
        moves.value(tail);
    }
    moves.found
}

struct Moves<'a> {
    candidates: Vec<&'a Ident>,
    found: Vec<(Ident, Span)>,
    in_move_closure: bool,
}

impl Moves<'_> {
    /// `expr` stands where its value is moved: a moved argument if it names one.
    fn value(&mut self, expr: &Expr) {
        let Expr::Path(path) = expr else { return };
        let Some(name) = path.path.get_ident() else {
            return;
        };
        if path.qself.is_some() || self.found.iter().any(|(found, _)| found == name) {
            return;
        }
        if let Some(argument) = self.candidates.iter().find(|candidate| **candidate == name) {
            self.found.push(((*argument).clone(), name.span()));
        }
    }
}

impl<'ast> Visit<'ast> for Moves<'_> {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        match expr {
            Expr::Call(call) => call.args.iter().for_each(|arg| self.value(arg)),
            Expr::MethodCall(call) => call.args.iter().for_each(|arg| self.value(arg)),
            Expr::Return(ret) => ret.expr.iter().for_each(|value| self.value(value)),
            Expr::Break(brk) => brk.expr.iter().for_each(|value| self.value(value)),
            Expr::Assign(assign) => self.value(&assign.right),
            Expr::Struct(init) => init.fields.iter().for_each(|field| self.value(&field.expr)),
            Expr::Array(array) => array.elems.iter().for_each(|elem| self.value(elem)),
            Expr::Tuple(tuple) => tuple.elems.iter().for_each(|elem| self.value(elem)),
            Expr::Try(try_) => self.value(&try_.expr),
            Expr::Await(await_) => self.value(&await_.base),
            Expr::Path(_) if self.in_move_closure => self.value(expr),
            _ => {}
        }
        visit::visit_expr(self, expr);
    }

    fn visit_expr_closure(&mut self, closure: &'ast ExprClosure) {
        let outer = self.in_move_closure;
        self.in_move_closure |= closure.capture.is_some();
        visit::visit_expr_closure(self, closure);
        self.in_move_closure = outer;
    }

    fn visit_local(&mut self, local: &'ast Local) {
        if let Some(init) = &local.init {
            self.value(&init.expr);
        }
        visit::visit_local(self, local);
    }

    // Nested items have their own names; a macro's tokens are not expressions to read.
    fn visit_item(&mut self, _: &'ast Item) {}
    fn visit_macro(&mut self, _: &'ast Macro) {}
}

/// The single-identifier paths a value reads, outside the closures' own parameters: candidates
/// for "a local of the body".
pub(crate) fn names_read(expr: &Expr) -> Vec<Ident> {
    struct Reads(Vec<Ident>, BTreeSet<String>);
    impl<'ast> Visit<'ast> for Reads {
        fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
            if let Some(name) = path.path.get_ident()
                && path.qself.is_none()
                && !self.1.contains(&name.to_string())
            {
                self.0.push(name.clone());
            }
            visit::visit_expr_path(self, path);
        }
        fn visit_expr_closure(&mut self, closure: &'ast ExprClosure) {
            let outer = self.1.clone();
            closure
                .inputs
                .iter()
                .for_each(|pat| collect_pat(pat, &mut self.1));
            visit::visit_expr(self, &closure.body);
            self.1 = outer;
        }
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            // A callee is a function's name, not a value the body could hold.
            if !matches!(&*call.func, Expr::Path(_)) {
                self.visit_expr(&call.func);
            }
            call.args.iter().for_each(|arg| self.visit_expr(arg));
        }
        fn visit_macro(&mut self, _: &'ast Macro) {}
        fn visit_local(&mut self, local: &'ast Local) {
            if let Some(init) = &local.init {
                self.visit_expr(&init.expr);
            }
            let mut names = BTreeSet::new();
            collect_pat(&local.pat, &mut names);
            self.1.extend(names);
        }
    }
    let mut reads = Reads(Vec::new(), BTreeSet::new());
    reads.visit_expr(expr);
    reads.0
}

fn collect_pat(pat: &syn::Pat, names: &mut BTreeSet<String>) {
    struct Names<'a>(&'a mut BTreeSet<String>);
    impl<'ast> Visit<'ast> for Names<'_> {
        fn visit_pat_ident(&mut self, pat: &'ast PatIdent) {
            self.0.insert(pat.ident.to_string());
            visit::visit_pat_ident(self, pat);
        }
    }
    Names(names).visit_pat(pat);
}
