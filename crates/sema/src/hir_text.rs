//! A stable, readable text form of a [`hir::Program`], for `g2n check
//! --emit hir` and the HIR goldens (`crates/sema/test_data/`).
//!
//! The text is deterministic: it follows the arenas and the statement order,
//! never a hash map or an address. Ids are printed as the arenas number them
//! (`x#4` is local 4, `add#7` function 7), types by their Go spelling
//! ([`Types::display`]), and every expression, printed as an s-expression,
//! ends with its type: `(+ x#4:int 1:int):int`.
//!
//! Only the program's own declarations are printed. The functions, variables
//! and types of imported stdlib packages share the arenas (their ids come
//! first, so they shift the program's) but are summarised by one `import`
//! line per package that has declarations there (a package of bodiless,
//! runtime-implemented functions only has none: its calls are `std-call`s):
//! a change to the standard library's code then changes the goldens' ids,
//! not their bodies.

use crate::exact::Exact;
use crate::hir::{
    Block, ConstValue, ExprId, ExprKind, FuncId, LocalId, LocalKind, Program, Stmt, StmtKind, UnaryOp,
};
use crate::stdlib::package_of_file;
use crate::types::{TypeId, TypeKind, Types};
use g2n_base::Span;
use std::collections::BTreeSet;
use std::fmt::Write;

/// The text form of `program` (see the module documentation).
pub fn program_text(program: &Program) -> String {
    let mut writer = Writer { program, out: String::new(), indent: 0, shown_tuples: BTreeSet::new() };
    writer.program();
    writer.out
}

/// Go's spelling of a string constant (one definition, in g2n-syntax).
pub use g2n_syntax::print::quote as quote_go;

/// An exact constant: the shortest decimal that reads back as the same
/// float64 when that is the exact value, else 20 significant digits.
fn exact_text(value: &Exact) -> String {
    let float = value.to_f64();
    if float.is_finite() && Exact::from_f64(float).is_some_and(|back| back == *value) {
        return format!("{float:?}");
    }
    let (negative, digits, exponent) = value.decimal_digits(20);
    let (first, rest) = digits.split_at(1);
    format!("~{}{first}.{rest}e{exponent}", if negative { "-" } else { "" })
}

fn unary_op(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Neg => "-",
        UnaryOp::Not => "!",
        UnaryOp::BitNot => "^",
    }
}

struct Writer<'p> {
    program: &'p Program,
    out: String,
    indent: usize,
    /// Tuples already printed in full: a call with several results feeds
    /// several `tuple-field`s but is evaluated once, so it is printed once
    /// (`e12=(call ...)`) and named by its id afterwards.
    shown_tuples: BTreeSet<ExprId>,
}

impl Writer<'_> {
    fn types(&self) -> &Types {
        &self.program.types
    }

    fn ty(&self, ty: TypeId) -> String {
        self.types().display(ty)
    }

    fn is_imported(span: Span) -> bool {
        package_of_file(span.file).is_some()
    }

    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn local(&self, id: LocalId) -> String {
        format!("{}#{}", self.program.local(id).name, id.0)
    }

    fn func_name(&self, id: FuncId) -> String {
        format!("{}#{}", self.program.func(id).name, id.0)
    }

    /// `var x T = value`: a package-level variable or a local definition.
    fn var_line(&mut self, local: LocalId, value: Option<ExprId>) {
        let decl = self.local_decl(local);
        match value {
            Some(value) => {
                let value = self.expr(value);
                self.line(&format!("var {decl} = {value}"));
            }
            None => self.line(&format!("var {decl}")),
        }
    }

    /// `x#4 int`, with what codegen and the split care about when it is
    /// not the default: `[escapes]`, `[unread]`.
    fn local_decl(&self, id: LocalId) -> String {
        let local = self.program.local(id);
        let mut text = format!("{} {}", self.local(id), self.ty(local.ty));
        if local.escapes {
            text.push_str(" [escapes]");
        }
        if !local.used && matches!(local.kind, LocalKind::Var | LocalKind::Global) && !local.name.is_empty() {
            text.push_str(" [unread]");
        }
        text
    }

    fn program(&mut self) {
        let program = self.program;
        let mut imported: BTreeSet<&str> = BTreeSet::new();
        imported.extend(program.funcs.iter().filter_map(|f| package_of_file(f.span.file)));
        imported.extend(program.locals.iter().filter_map(|l| package_of_file(l.span.file)));
        imported.extend(program.types.named.iter().filter_map(|n| n.package.as_deref()));
        for path in &imported {
            self.line(&format!("import {path} (declarations not shown)"));
        }

        for (index, named) in program.types.named.iter().enumerate() {
            if named.package.is_some() {
                continue;
            }
            // An instance's name holds its type arguments: `Pair[string,int]`.
            let name = named.name.clone();
            self.line(&format!("type {name} {} ; named#{index}", self.ty(named.underlying)));
            self.indent += 1;
            for method in &named.methods {
                let receiver = if method.pointer_receiver { format!("*{name}") } else { name.clone() };
                let promoted = if method.promoted { " [promoted]" } else { "" };
                let func = self.func_name(FuncId(method.func));
                self.line(&format!("method ({receiver}) {} = {func}{promoted}", method.name));
            }
            self.indent -= 1;
        }

        for (index, local) in program.locals.iter().enumerate() {
            if local.kind == LocalKind::Free {
                let decl = self.local_decl(LocalId(index as u32));
                self.line(&format!("free {decl}"));
            }
        }
        for (local, value) in &program.global_inits {
            if Self::is_imported(program.local(*local).span) {
                continue;
            }
            self.var_line(*local, *value);
        }
        if let Some(defers) = program.main_defers {
            let decl = self.local_decl(defers);
            self.line(&format!("main defers in {decl}"));
        }
        for (site, hop) in program.hops.iter().enumerate() {
            let visible: Vec<String> = hop.visible.iter().map(|l| self.local(*l)).collect();
            self.line(&format!("hop {site} -> {} visible [{}]", quote_go(hop.target.as_bytes()), visible.join(" ")));
        }
        let inits: Vec<String> = program.inits.iter().filter(|f| !Self::is_imported(program.func(**f).span)).map(|f| self.func_name(*f)).collect();
        if !inits.is_empty() {
            self.line(&format!("init order [{}]", inits.join(" ")));
        }
        if let Some(main) = program.main {
            let main = self.func_name(main);
            self.line(&format!("main {main}"));
        }
        for (index, func) in program.funcs.iter().enumerate() {
            if Self::is_imported(func.span) {
                continue;
            }
            self.out.push('\n');
            self.func(FuncId(index as u32));
        }
    }

    fn func(&mut self, id: FuncId) {
        let func = self.program.func(id);
        let mut params: Vec<String> = func.params.iter().map(|p| self.local_decl(*p)).collect();
        if func.variadic
            && let Some(last) = params.last_mut()
        {
            *last = format!("...{last}");
        }
        let results = if func.result_locals.is_empty() {
            func.results.iter().map(|t| self.ty(*t)).collect::<Vec<_>>()
        } else {
            func.result_locals.iter().map(|l| self.local_decl(*l)).collect()
        };
        let results = match results.len() {
            0 => String::new(),
            _ => format!(" ({})", results.join(", ")),
        };
        let mut header = format!("func {}({}){results}", self.func_name(id), params.join(", "));
        if let Some(captures) = &func.captures {
            let captures: Vec<String> = captures.iter().map(|l| self.local(*l)).collect();
            let _ = write!(header, " captures [{}]", captures.join(" "));
        }
        if func.has_defer {
            header.push_str(" [defers]");
        }
        self.shown_tuples.clear();
        self.line(&format!("{header} {{"));
        self.block_body(&func.body);
        self.line("}");
    }

    fn block_body(&mut self, block: &Block) {
        self.indent += 1;
        for stmt in &block.stmts {
            self.stmt(stmt);
        }
        self.indent -= 1;
    }

    /// `head {`, the block, `}`.
    fn braced(&mut self, head: &str, block: &Block) {
        self.line(format!("{head} {{").trim_start());
        self.block_body(block);
        self.line("}");
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Define { local, value } => self.var_line(*local, *value),
            StmtKind::Assign { local, value } => {
                let text = format!("{} = {}", self.local(*local), self.expr(*value));
                self.line(&text);
            }
            StmtKind::Expr(e) => {
                let text = self.expr(*e);
                self.line(&text);
            }
            StmtKind::If { cond, then, els } => {
                let head = format!("if {}", self.expr(*cond));
                self.line(&format!("{head} {{"));
                self.block_body(then);
                if let Some(els) = els {
                    self.line("} else {");
                    self.block_body(els);
                }
                self.line("}");
            }
            StmtKind::Loop { cond, body, post } => {
                let head = match cond {
                    Some(cond) => format!("for {}", self.expr(*cond)),
                    None => "for".to_string(),
                };
                self.line(&format!("{head} {{"));
                self.block_body(body);
                if let Some(post) = post {
                    self.line("} post {");
                    self.indent += 1;
                    self.stmt(post);
                    self.indent -= 1;
                }
                self.line("}");
            }
            StmtKind::Break(label) => self.line(&jump("break", *label)),
            StmtKind::Continue(label) => self.line(&jump("continue", *label)),
            StmtKind::Goto(label) => self.line(&format!("goto L{label}")),
            StmtKind::Labeled { label, stmt } => {
                self.line(&format!("L{label}:"));
                self.stmt(stmt);
            }
            StmtKind::Block(block) => self.braced("", block),
            StmtKind::GoToNetwork { site } => {
                let target = self.program.hops.get(*site as usize).map(|h| quote_go(h.target.as_bytes())).unwrap_or_default();
                self.line(&format!("goToNetwork hop {site} -> {target}"));
            }
            StmtKind::Return(values) => {
                let values: Vec<String> = values.iter().map(|v| self.expr(*v)).collect();
                self.line(format!("return {}", values.join(", ")).trim_end());
            }
            StmtKind::AssignTuple { locals, value } => {
                let locals: Vec<String> = locals.iter().map(|l| l.map_or("_".to_string(), |l| self.local(l))).collect();
                let text = format!("{} = {}", locals.join(", "), self.expr(*value));
                self.line(&text);
            }
            StmtKind::Store { addr, value } => {
                let text = format!("*{} = {}", self.expr(*addr), self.expr(*value));
                self.line(&text);
            }
            StmtKind::Defer { thunk } => {
                let text = format!("defer {}", self.expr(*thunk));
                self.line(&text);
            }
            StmtKind::Go { thunk } => {
                let text = format!("go {}", self.expr(*thunk));
                self.line(&text);
            }
            StmtKind::MapAssign { map, key, value } => {
                let text = format!("{}[{}] = {}", self.expr(*map), self.expr(*key), self.expr(*value));
                self.line(&text);
            }
            StmtKind::RangeMap { map, key, value, body } => {
                let key = key.map_or("_".to_string(), |l| self.local_decl(l));
                let value = value.map_or("_".to_string(), |l| self.local_decl(l));
                let head = format!("for {key}, {value} := range {}", self.expr(*map));
                self.braced(&head, body);
            }
            StmtKind::Switch { clauses } => {
                self.line("switch {");
                for clause in clauses {
                    let conds: Vec<String> = clause.conds.iter().map(|c| self.expr(*c)).collect();
                    let head = match (clause.is_default, conds.is_empty()) {
                        (true, true) => "default:".to_string(),
                        (true, false) => format!("default, case {}:", conds.join(", ")),
                        (false, _) => format!("case {}:", conds.join(", ")),
                    };
                    self.line(&head);
                    self.block_body(&clause.body);
                    if clause.fallthrough {
                        self.indent += 1;
                        self.line("fallthrough");
                        self.indent -= 1;
                    }
                }
                self.line("}");
            }
            StmtKind::Send { chan, value } => {
                let text = format!("{} <- {}", self.expr(*chan), self.expr(*value));
                self.line(&text);
            }
            StmtKind::Select { cases, default } => {
                self.line("select {");
                for case in cases {
                    let chan = self.expr(case.chan);
                    let head = match case.send {
                        Some(value) => format!("case {chan} <- {}:", self.expr(value)),
                        None => {
                            let value = case.recv_value.map_or("_".to_string(), |l| self.local_decl(l));
                            let ok = case.recv_ok.map_or("_".to_string(), |l| self.local_decl(l));
                            format!("case {value}, {ok} = <-{chan}:")
                        }
                    };
                    self.line(&head);
                    self.block_body(&case.body);
                }
                if let Some(default) = default {
                    self.line("default:");
                    self.block_body(default);
                }
                self.line("}");
            }
        }
    }

    fn exprs(&mut self, ids: &[ExprId]) -> String {
        ids.iter().map(|e| format!(" {}", self.expr(*e))).collect()
    }

    fn opt(&mut self, id: Option<ExprId>) -> String {
        id.map_or(" _".to_string(), |e| format!(" {}", self.expr(e)))
    }

    /// One expression as an s-expression, its type after a colon.
    fn expr(&mut self, id: ExprId) -> String {
        let program = self.program;
        let expr = program.expr(id);
        let body = match &expr.kind {
            ExprKind::Const(value) => match value {
                ConstValue::Bool(b) => b.to_string(),
                ConstValue::Int(i) => i.to_string(),
                ConstValue::Float(f) => exact_text(f),
                ConstValue::Complex(re, im) => {
                    let im = exact_text(im);
                    let sign = if im.starts_with('-') || im.starts_with("~-") { "" } else { "+" };
                    format!("({}{sign}{im}i)", exact_text(re))
                }
                ConstValue::String(s) => quote_go(s),
                ConstValue::Nil => "nil".to_string(),
            },
            ExprKind::Local(l) => self.local(*l),
            ExprKind::Binary { op, lhs, rhs } => format!("({} {} {})", op.as_str(), self.expr(*lhs), self.expr(*rhs)),
            ExprKind::Unary { op, operand } => format!("({} {})", unary_op(*op), self.expr(*operand)),
            ExprKind::Intrinsic { which, args } => format!("(intrinsic {which:?}{})", self.exprs(args)),
            ExprKind::ToInterface(e) => format!("(to-interface {})", self.expr(*e)),
            ExprKind::Call { func, args } => format!("(call {}{})", self.func_name(*func), self.exprs(args)),
            ExprKind::Convert(e) => format!("(convert {})", self.expr(*e)),
            ExprKind::StringIndex { base, index } => format!("(string-index {} {})", self.expr(*base), self.expr(*index)),
            ExprKind::AddrOfLocal(l) => format!("(addr {})", self.local(*l)),
            ExprKind::Load(e) => format!("(load {})", self.expr(*e)),
            ExprKind::FieldAddr { base, offset } => format!("(field-addr +{offset} {})", self.expr(*base)),
            ExprKind::IndexAddr { base, index } => format!("(index-addr {} {})", self.expr(*base), self.expr(*index)),
            ExprKind::AggregateAddr(e) => format!("(aggregate-addr {})", self.expr(*e)),
            ExprKind::Alloc(t) => format!("(new {})", self.ty(*t)),
            ExprKind::Composite { elems } => {
                let elems: String = elems.iter().map(|(offset, e)| format!(" +{offset}={}", self.expr(*e))).collect();
                format!("(composite{elems})")
            }
            ExprKind::SliceLit { len, elems } => {
                let elems: String = elems.iter().map(|(index, e)| format!(" [{index}]={}", self.expr(*e))).collect();
                format!("(slice-lit len={len}{elems})")
            }
            ExprKind::SliceOf { base, lo, hi, max } => {
                let base = self.expr(*base);
                format!("(slice {base}{}{}{})", self.opt(*lo), self.opt(*hi), self.opt(*max))
            }
            ExprKind::MakeSlice { len, cap } => format!("(make-slice {}{})", self.expr(*len), self.opt(*cap)),
            ExprKind::StdCall { symbol, args, variadic, spread } => {
                let variadic = variadic.map_or(String::new(), |v| format!(" variadic-from={v}"));
                let spread = if *spread { " spread" } else { "" };
                format!("(std-call {symbol}{variadic}{spread}{})", self.exprs(args))
            }
            ExprKind::Closure(f) => format!("(closure {})", self.func_name(*f)),
            ExprKind::FuncValue(f) => format!("(func-value {})", self.func_name(*f)),
            ExprKind::CallValue { callee, args } => format!("(call-value {}{})", self.expr(*callee), self.exprs(args)),
            ExprKind::TupleField { tuple, index } => {
                let tuple_text = if self.shown_tuples.insert(*tuple) { format!("{tuple}={}", self.expr(*tuple)) } else { tuple.to_string() };
                format!("(tuple-field {index} {tuple_text})")
            }
            ExprKind::MakeMap { hint } => format!("(make-map{})", self.opt(*hint)),
            ExprKind::MapLit { entries } => {
                let entries: String = entries.iter().map(|(k, v)| format!(" [{}]={}", self.expr(*k), self.expr(*v))).collect();
                format!("(map-lit{entries})")
            }
            ExprKind::MapIndex { map, key, comma_ok } => {
                let ok = if *comma_ok { " comma-ok" } else { "" };
                format!("(map-index{ok} {} {})", self.expr(*map), self.expr(*key))
            }
            ExprKind::InterfaceCall { receiver, method, args } => {
                format!("(interface-call {method} {}{})", self.expr(*receiver), self.exprs(args))
            }
            ExprKind::TypeAssert { value, target, comma_ok } => {
                let ok = if *comma_ok { " comma-ok" } else { "" };
                format!("(type-assert{ok} {} {})", self.ty(*target), self.expr(*value))
            }
            ExprKind::Append { slice, values, spread } => {
                let spread = if *spread { " spread" } else { "" };
                format!("(append{spread} {}{})", self.expr(*slice), self.exprs(values))
            }
            ExprKind::MakeChan { size } => format!("(make-chan{})", self.opt(*size)),
            ExprKind::Recv { chan, comma_ok } => {
                let ok = if *comma_ok { " comma-ok" } else { "" };
                format!("(recv{ok} {})", self.expr(*chan))
            }
        };
        let ty = match self.types().kind(expr.ty) {
            // The empty tuple: a call without results.
            TypeKind::Tuple(elems) if elems.is_empty() => return body,
            _ => self.ty(expr.ty),
        };
        format!("{body}:{ty}")
    }
}

fn jump(word: &str, label: Option<u32>) -> String {
    match label {
        Some(label) => format!("{word} L{label}"),
        None => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_constants_print_shortest_or_approximate() {
        assert_eq!(exact_text(&Exact::parse("0.5").expect("parses")), "0.5");
        assert_eq!(exact_text(&Exact::parse("0.1").expect("parses")), "~1.0000000000000000000e-1");
        assert_eq!(exact_text(&Exact::parse("1e400").expect("parses")), "~1.0000000000000000000e400");
        assert_eq!(exact_text(&Exact::from_i128(-3)), "-3.0");
    }
}
