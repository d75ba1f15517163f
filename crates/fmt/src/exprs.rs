//! Expressions, types and expression lists (go/printer's nodes.go, first half).

use g2n_syntax::ast::*;

use crate::printer::{INFINITY, INT, NO_EXTRA_BLANK, NO_EXTRA_LINEBREAK, Printer, STRING, Tok, Ws};

pub(crate) const LOWEST_PREC: i64 = 0;
pub(crate) const UNARY_PREC: i64 = 6;
pub(crate) const HIGHEST_PREC: i64 = 7;

/// exprList modes.
pub(crate) const COMMA_TERM: u8 = 1;
pub(crate) const NO_INDENT: u8 = 2;

/// One element of a list printed by [`Printer::expr_list`].
#[derive(Clone, Copy)]
pub(crate) enum Item<'a> {
    Expr(&'a Expr),
    Keyed(&'a KeyedElement),
    Ident(&'a Ident),
    Type(&'a TypeExpr),
    /// `nil` in a type switch case, at this offset.
    Nil(u32),
}

impl Item<'_> {
    pub fn start(&self) -> u32 {
        match self {
            Item::Expr(e) => e.span.start,
            Item::Keyed(k) => k.span.start,
            Item::Ident(i) => i.span.start,
            Item::Type(t) => t.span.start,
            Item::Nil(at) => *at,
        }
    }
    pub fn end(&self) -> u32 {
        match self {
            Item::Expr(e) => e.span.end,
            Item::Keyed(k) => k.span.end,
            Item::Ident(i) => i.span.end,
            Item::Type(t) => t.span.end,
            Item::Nil(at) => *at + 3,
        }
    }
}

/// A node whose printed size can be measured (go/printer's nodeSize).
#[derive(Clone, Copy)]
pub(crate) enum Node<'a> {
    Item(Item<'a>),
    Stmt(&'a Stmt),
    /// An interface method's type: `func` and the signature.
    FuncType(&'a FuncSig),
}

impl Node<'_> {
    fn key(&self) -> (usize, u8) {
        match self {
            Node::Item(Item::Expr(e)) => (*e as *const Expr as usize, 0),
            Node::Item(Item::Keyed(k)) => (*k as *const KeyedElement as usize, 1),
            Node::Item(Item::Ident(i)) => (*i as *const Ident as usize, 2),
            Node::Item(Item::Type(t)) => (*t as *const TypeExpr as usize, 3),
            Node::Item(Item::Nil(at)) => (*at as usize, 4),
            Node::Stmt(s) => (*s as *const Stmt as usize, 5),
            Node::FuncType(f) => (*f as *const FuncSig as usize, 6),
        }
    }
}

pub(crate) fn binary_prec(op: BinaryOp) -> i64 {
    use BinaryOp::*;
    match op {
        LogOr => 1,
        LogAnd => 2,
        Eq | Ne | Lt | Le | Gt | Ge => 3,
        Add | Sub | Or | Xor => 4,
        Mul | Div | Rem | Shl | Shr | And | AndNot => 5,
    }
}

fn unary_str(op: UnaryOp) -> Tok {
    match op {
        UnaryOp::Neg => "-",
        UnaryOp::Plus => "+",
        UnaryOp::Not => "!",
        UnaryOp::BitNot => "^",
        UnaryOp::Deref => "*",
        UnaryOp::Addr => "&",
        UnaryOp::Recv => "<-",
    }
}

/// Whether the operators around `e` need spaces (go/printer's walkBinary).
fn walk_binary(op: BinaryOp, lhs: &Expr, rhs: &Expr) -> (bool, bool, i64) {
    let prec = binary_prec(op);
    let mut has4 = prec == 4;
    let mut has5 = prec == 5;
    let mut max_problem = 0;
    if let ExprKind::Binary { op: lop, lhs: ll, rhs: lr } = &lhs.kind
        && binary_prec(*lop) >= prec
    {
        let (h4, h5, mp) = walk_binary(*lop, ll, lr);
        has4 |= h4;
        has5 |= h5;
        max_problem = max_problem.max(mp);
    }
    match &rhs.kind {
        ExprKind::Binary { op: rop, lhs: rl, rhs: rr } if binary_prec(*rop) > prec => {
            let (h4, h5, mp) = walk_binary(*rop, rl, rr);
            has4 |= h4;
            has5 |= h5;
            max_problem = max_problem.max(mp);
        }
        // Parentheses will be kept: nothing to look at inside.
        ExprKind::Binary { .. } => {}
        ExprKind::Unary { op: UnaryOp::Deref, .. } if op == BinaryOp::Div => max_problem = 5,
        ExprKind::Unary { op: UnaryOp::Deref, .. } => {}
        ExprKind::Unary { op: uop, .. } => {
            let pair = format!("{}{}", op.as_str(), unary_str(*uop));
            match pair.as_str() {
                "/*" | "&&" | "&^" => max_problem = 5,
                "++" | "--" => max_problem = max_problem.max(4),
                _ => {}
            }
        }
        _ => {}
    }
    (has4, has5, max_problem)
}

fn cutoff(op: BinaryOp, lhs: &Expr, rhs: &Expr, depth: i64) -> i64 {
    let (has4, has5, max_problem) = walk_binary(op, lhs, rhs);
    if max_problem > 0 {
        return max_problem + 1;
    }
    if has4 && has5 {
        return if depth == 1 { 5 } else { 4 };
    }
    if depth == 1 { 6 } else { 4 }
}

fn diff_prec(e: &Expr, prec: i64) -> i64 {
    match &e.kind {
        ExprKind::Binary { op, .. } if binary_prec(*op) == prec => 0,
        _ => 1,
    }
}

fn reduce_depth(depth: i64) -> i64 {
    (depth - 1).max(1)
}

fn is_binary(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Binary { .. })
}

/// gofmt's number normalisation: lower-case prefixes and exponents, no
/// leading zeros in integer imaginary literals.
pub(crate) fn normalize_number(x: &str) -> String {
    if x.len() < 2 {
        return x.to_owned();
    }
    match &x[..2] {
        "0X" => {
            let mut s = format!("0x{}", &x[2..]);
            if let Some(i) = s.rfind('P') {
                s.replace_range(i..=i, "p");
            }
            s
        }
        "0x" => {
            let mut s = x.to_owned();
            if let Some(i) = s.rfind('P') {
                s.replace_range(i..=i, "p");
            }
            s
        }
        "0O" => format!("0o{}", &x[2..]),
        "0B" => format!("0b{}", &x[2..]),
        "0o" | "0b" => x.to_owned(),
        _ => {
            if let Some(i) = x.rfind('E') {
                let mut s = x.to_owned();
                s.replace_range(i..=i, "e");
                return s;
            }
            if x.ends_with('i') && !x.contains(['.', 'e']) {
                let t = x.trim_start_matches(['0', '_']);
                return if t == "i" { "0i".to_owned() } else { t.to_owned() };
            }
            x.to_owned()
        }
    }
}

/// Whether a parenthesised expression must keep its parentheses in a
/// statement header: it holds a composite literal of a named type outside
/// of other parentheses (go/printer's stripParens).
fn has_bare_named_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Paren(_) => false,
        ExprKind::CompositeLit { ty, .. } => {
            matches!(ty.as_deref(), Some(TypeExpr { kind: TypeExprKind::Name { type_args, .. }, .. }) if type_args.is_empty())
        }
        ExprKind::Selector { base, .. } | ExprKind::TypeAssert { base, .. } => has_bare_named_literal(base),
        ExprKind::Index { base, indices } => has_bare_named_literal(base) || indices.iter().any(has_bare_named_literal),
        ExprKind::Slice { base, lo, hi, max } => {
            has_bare_named_literal(base) || [lo, hi, max].into_iter().flatten().any(|x| has_bare_named_literal(x))
        }
        ExprKind::Call { func, args, .. } => has_bare_named_literal(func) || args.iter().any(has_bare_named_literal),
        ExprKind::Unary { operand, .. } => has_bare_named_literal(operand),
        ExprKind::Binary { lhs, rhs, .. } => has_bare_named_literal(lhs) || has_bare_named_literal(rhs),
        _ => false,
    }
}

/// A constraint written as a union without `interface{}` around it: the
/// parser wraps it in an interface that ends where its last term ends.
fn is_bare_union(t: &TypeExpr, elems: &[InterfaceElem]) -> bool {
    matches!(elems, [InterfaceElem::Union(terms)] if terms.last().is_some_and(|l| l.ty.span.end == t.span.end))
}

pub(crate) fn strip_parens(e: &Expr) -> &Expr {
    if let ExprKind::Paren(inner) = &e.kind
        && !has_bare_named_literal(inner)
    {
        return strip_parens(inner);
    }
    e
}

impl<'s> Printer<'s> {
    /// The printed size of `node` if it fits on one line of at most `max`
    /// characters; otherwise more than `max`.
    pub fn node_size(&mut self, node: Node<'_>, max: i64) -> i64 {
        let key = node.key();
        if let Some(&size) = self.sizes.borrow().get(&key) {
            return size;
        }
        let mut size = max + 1;
        self.sizes.borrow_mut().insert(key, size);
        let mut sub = Printer::new(self.src, &[], self.sizes.clone());
        match node {
            Node::Item(item) => sub.item(item, 1),
            Node::Stmt(s) => sub.stmt(s, false),
            Node::FuncType(sig) => {
                sub.token("func");
                sub.signature(sig, &[], None);
            }
        }
        sub.finish();
        let text = crate::tabwriter::finish(&sub.output, false);
        if text.len() as i64 <= max && !text.contains(&b'\n') {
            size = text.len() as i64;
            self.sizes.borrow_mut().insert(key, size);
        }
        size
    }

    pub fn item(&mut self, item: Item<'_>, depth: i64) {
        match item {
            Item::Expr(e) => self.expr1(e, LOWEST_PREC, depth),
            Item::Keyed(k) => match &k.key {
                Some(key) => {
                    self.at(k.span.start);
                    self.expr(key);
                    let colon = self.src.find(key.span.end, ":");
                    self.at(colon);
                    self.token(":");
                    self.ws(Ws::Blank);
                    self.expr(&k.value);
                }
                None => self.expr1(&k.value, LOWEST_PREC, depth),
            },
            Item::Ident(i) => {
                self.at(i.span.start);
                self.ident(&i.name);
            }
            Item::Type(t) => self.type_expr(t, depth),
            Item::Nil(at) => {
                self.at(at);
                self.ident("nil");
            }
        }
    }

    pub fn ident_list(&mut self, names: &[Ident], indent: bool) {
        let items: Vec<Item<'_>> = names.iter().map(Item::Ident).collect();
        self.expr_list(None, &items, 1, if indent { 0 } else { NO_INDENT }, None);
    }

    /// A list of expressions; line breaks of the source between elements are
    /// kept, and `key: value` pairs on lines of their own align their values.
    pub fn expr_list(&mut self, prev0: Option<u32>, list: &[Item<'_>], depth: i64, mode: u8, next0: Option<u32>) {
        let (Some(first), Some(last)) = (list.first(), list.last()) else { return };
        let prev = prev0.map(|o| self.pos_for(o)).unwrap_or_default();
        let next = next0.map(|o| self.pos_for(o)).unwrap_or_default();
        let mut line = self.line_for(first.start());
        let end_line = self.line_for(last.end());
        if prev.is_valid() && prev.line == line && line == end_line {
            for (i, x) in list.iter().enumerate() {
                if i > 0 {
                    self.at(x.start());
                    self.token(",");
                    self.ws(Ws::Blank);
                }
                self.item(*x, depth);
            }
            return;
        }
        let mut ws = if mode & NO_INDENT == 0 { Ws::Indent } else { Ws::Ignore };
        let mut prev_break: i64 = -1;
        if prev.is_valid() && prev.line < line && self.linebreak(line, 0, ws, true) > 0 {
            ws = Ws::Ignore;
            prev_break = 0;
        }
        let mut size: i64 = 0;
        let mut lnsum = 0.0f64;
        let mut count = 0i64;
        let mut prev_line = prev.line;
        const BIG: i64 = 1_000_000;
        for (i, x) in list.iter().enumerate() {
            line = self.line_for(x.start());
            let mut use_ff = true;
            let prev_size = size;
            size = self.node_size(Node::Item(*x), BIG);
            let pair = match x {
                Item::Keyed(KeyedElement { key: Some(key), value, .. }) => Some((key, value)),
                _ => None,
            };
            if size <= BIG && prev.is_valid() && next.is_valid() {
                if let Some((key, _)) = pair {
                    size = self.node_size(Node::Item(Item::Expr(key)), BIG);
                }
            } else {
                size = 0;
            }
            if prev_size > 0 && size > 0 {
                const SMALL: i64 = 40;
                if count == 0 || prev_size <= SMALL && size <= SMALL {
                    use_ff = false;
                } else {
                    const R: f64 = 2.5;
                    let geomean = (lnsum / count as f64).exp();
                    let ratio = size as f64 / geomean;
                    use_ff = R * ratio <= 1.0 || R <= ratio;
                }
            }
            let needs_linebreak = 0 < prev_line && prev_line < line;
            if i > 0 {
                if !needs_linebreak {
                    self.at(x.start());
                }
                self.token(",");
                let mut needs_blank = true;
                if needs_linebreak {
                    let nbreaks = self.linebreak(line, 0, ws, use_ff || prev_break + 1 < i as i64);
                    if nbreaks > 0 {
                        ws = Ws::Ignore;
                        prev_break = i as i64;
                        needs_blank = false;
                    }
                    if nbreaks > 1 {
                        lnsum = 0.0;
                        count = 0;
                    }
                }
                if needs_blank {
                    self.ws(Ws::Blank);
                }
            }
            match pair {
                Some((key, value)) if list.len() > 1 && size > 0 && needs_linebreak => {
                    self.at(x.start());
                    self.expr(key);
                    let colon = self.src.find(key.span.end, ":");
                    self.at(colon);
                    self.token(":");
                    self.ws(Ws::Vtab);
                    self.expr(value);
                }
                _ => self.item(*x, depth),
            }
            if size > 0 {
                lnsum += (size as f64).ln();
                count += 1;
            }
            prev_line = line;
        }
        if mode & COMMA_TERM != 0 && next.is_valid() && self.pos.line < next.line {
            self.token(",");
            if ws == Ws::Ignore && mode & NO_INDENT == 0 {
                self.ws(Ws::Unindent);
            }
            self.ws(Ws::Formfeed);
            return;
        }
        if ws == Ws::Ignore && mode & NO_INDENT == 0 {
            self.ws(Ws::Unindent);
        }
    }

    pub fn expr(&mut self, e: &Expr) {
        self.expr1(e, LOWEST_PREC, 1);
    }

    pub fn expr0(&mut self, e: &Expr, depth: i64) {
        self.expr1(e, LOWEST_PREC, depth);
    }

    pub fn expr1(&mut self, e: &Expr, prec1: i64, depth: i64) {
        self.at(e.span.start);
        match &e.kind {
            ExprKind::Ident(id) => self.ident(&id.name),
            ExprKind::Binary { op, lhs, rhs } => {
                let cut = cutoff(*op, lhs, rhs, depth.max(1));
                self.binary_expr(*op, lhs, rhs, prec1, cut, depth.max(1));
            }
            ExprKind::Unary { op: UnaryOp::Deref, operand } => {
                if UNARY_PREC < prec1 {
                    self.token("(");
                    self.token("*");
                    self.expr(operand);
                    self.token(")");
                } else {
                    self.token("*");
                    self.expr(operand);
                }
            }
            ExprKind::Unary { op, operand } => {
                if UNARY_PREC < prec1 {
                    self.token("(");
                    self.expr(e);
                    self.token(")");
                } else {
                    self.token(unary_str(*op));
                    self.expr1(operand, UNARY_PREC, depth);
                }
            }
            ExprKind::IntLit(_) => {
                let text = normalize_number(self.src.slice(e.span.start, e.span.end));
                self.lit(&text, INT);
            }
            ExprKind::FloatLit(_) | ExprKind::ImagLit(_) => {
                let text = normalize_number(self.src.slice(e.span.start, e.span.end));
                self.lit(&text, "FLOAT");
            }
            ExprKind::RuneLit(_) => {
                let text = self.src.slice(e.span.start, e.span.end);
                self.lit(text, "CHAR");
            }
            ExprKind::StringLit(_) => {
                let text = self.src.slice(e.span.start, e.span.end);
                if text.starts_with('`') && text.contains('\r') {
                    // go/scanner drops carriage returns from raw strings.
                    self.lit(&text.replace('\r', ""), STRING);
                } else {
                    self.lit(text, STRING);
                }
            }
            ExprKind::FuncLit { sig, body } => {
                self.token("func");
                let start_col = self.out.col - 4;
                self.signature(sig, &[], None);
                let header = self.distance_from(e.span.start, start_col);
                self.func_body(header, Ws::Blank, body);
            }
            ExprKind::Paren(inner) => {
                if matches!(inner.kind, ExprKind::Paren(_)) {
                    self.expr0(inner, depth);
                } else {
                    self.token("(");
                    self.expr0(inner, reduce_depth(depth));
                    self.at(e.span.end - 1);
                    self.token(")");
                }
            }
            ExprKind::Selector { base, sel } => {
                self.selector_expr(base, sel, depth, false);
            }
            ExprKind::TypeAssert { base, ty } => {
                self.expr1(base, HIGHEST_PREC, depth);
                self.token(".");
                let lparen = self.src.find(base.span.end, "(");
                self.at(lparen);
                self.token("(");
                self.type_expr(ty, 1);
                self.at(e.span.end - 1);
                self.token(")");
            }
            ExprKind::Index { base, indices } => {
                self.expr1(base, HIGHEST_PREC, 1);
                let lbrack = self.src.find(base.span.end, "[");
                let rbrack = e.span.end - 1;
                self.at(lbrack);
                self.token("[");
                if let [index] = indices.as_slice() {
                    self.expr0(index, depth + 1);
                } else {
                    let items: Vec<Item<'_>> = indices.iter().map(Item::Expr).collect();
                    self.expr_list(Some(lbrack), &items, depth + 1, COMMA_TERM, Some(rbrack));
                }
                self.at(rbrack);
                self.token("]");
            }
            ExprKind::Slice { base, lo, hi, max } => {
                self.expr1(base, HIGHEST_PREC, 1);
                let lbrack = self.src.find(base.span.end, "[");
                self.at(lbrack);
                self.token("[");
                let mut indices: Vec<Option<&Expr>> = vec![lo.as_deref(), hi.as_deref()];
                if let Some(m) = max {
                    indices.push(Some(m));
                }
                let mut needs_blanks = false;
                if depth <= 1 {
                    let count = indices.iter().flatten().count();
                    let has_binaries = indices.iter().flatten().any(|x| is_binary(x));
                    needs_blanks = count > 1 && has_binaries;
                }
                for (i, x) in indices.iter().enumerate() {
                    if i > 0 {
                        if indices[i - 1].is_some() && needs_blanks {
                            self.ws(Ws::Blank);
                        }
                        self.token(":");
                        if x.is_some() && needs_blanks {
                            self.ws(Ws::Blank);
                        }
                    }
                    if let Some(x) = x {
                        self.expr0(x, depth + 1);
                    }
                }
                self.at(e.span.end - 1);
                self.token("]");
            }
            ExprKind::Call { func, args, ellipsis } => {
                let depth = if args.len() > 1 { depth + 1 } else { depth };
                let is_func_type = matches!(&func.kind, ExprKind::Type(t) if matches!(t.kind, TypeExprKind::Func(_)));
                let was_indented = if is_func_type {
                    self.token("(");
                    let w = self.possible_selector_expr(func, HIGHEST_PREC, depth);
                    self.token(")");
                    w
                } else {
                    self.possible_selector_expr(func, HIGHEST_PREC, depth)
                };
                let lparen = self.src.find(func.span.end, "(");
                let rparen = e.span.end - 1;
                self.at(lparen);
                self.token("(");
                let items: Vec<Item<'_>> = args.iter().map(Item::Expr).collect();
                if *ellipsis {
                    let last_end = args.last().map_or(lparen, |a| a.span.end);
                    let dots = self.src.find(last_end, "...");
                    self.expr_list(Some(lparen), &items, depth, 0, Some(dots));
                    self.at(dots);
                    self.token("...");
                    if self.line_for(dots) < self.line_for(rparen) {
                        self.token(",");
                        self.ws(Ws::Formfeed);
                    }
                } else {
                    self.expr_list(Some(lparen), &items, depth, COMMA_TERM, Some(rparen));
                }
                self.at(rparen);
                self.token(")");
                if was_indented {
                    self.ws(Ws::Unindent);
                }
            }
            ExprKind::CompositeLit { ty, elems } => {
                let lbrace = match ty {
                    Some(t) => {
                        self.type1(t, HIGHEST_PREC, depth);
                        self.src.find(t.span.end, "{")
                    }
                    None => e.span.start,
                };
                let rbrace = e.span.end - 1;
                self.level += 1;
                self.at(lbrace);
                self.token("{");
                let items: Vec<Item<'_>> = elems.iter().map(Item::Keyed).collect();
                self.expr_list(Some(lbrace), &items, 1, COMMA_TERM, Some(rbrace));
                let mut mode = NO_EXTRA_LINEBREAK;
                if !elems.is_empty() {
                    mode |= NO_EXTRA_BLANK;
                }
                self.ws(Ws::Indent);
                self.ws(Ws::Unindent);
                self.toggle(mode);
                self.at(rbrace);
                self.token("}");
                self.toggle(mode);
                self.level -= 1;
            }
            ExprKind::Type(t) => self.type1(t, prec1, depth),
        }
    }

    fn binary_expr(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, prec1: i64, cutoff: i64, depth: i64) {
        let prec = binary_prec(op);
        if prec < prec1 {
            // Only for trees the parser cannot make.
            self.token("(");
            self.binary_expr(op, lhs, rhs, LOWEST_PREC, cutoff, reduce_depth(depth));
            self.token(")");
            return;
        }
        let mut print_blank = prec < cutoff;
        let mut ws = Ws::Indent;
        self.expr1(lhs, prec, depth + diff_prec(lhs, prec));
        if print_blank {
            self.ws(Ws::Blank);
        }
        let xline = self.pos.line;
        let yline = self.line_for(rhs.span.start);
        let op_pos = self.src.find(lhs.span.end, op.as_str());
        self.at(op_pos);
        self.token(op.as_str());
        if xline != yline && xline > 0 && yline > 0 && self.linebreak(yline, 1, ws, true) > 0 {
            ws = Ws::Ignore;
            print_blank = false;
        }
        if print_blank {
            self.ws(Ws::Blank);
        }
        self.expr1(rhs, prec + 1, depth + 1);
        if ws == Ws::Ignore {
            self.ws(Ws::Unindent);
        }
    }

    fn possible_selector_expr(&mut self, e: &Expr, prec1: i64, depth: i64) -> bool {
        if let ExprKind::Selector { base, sel } = &e.kind {
            self.at(e.span.start);
            return self.selector_expr(base, sel, depth, true);
        }
        self.expr1(e, prec1, depth);
        false
    }

    /// `x.sel`; reports whether the selector went to a new line.
    fn selector_expr(&mut self, base: &Expr, sel: &Ident, depth: i64, is_method: bool) -> bool {
        self.expr1(base, HIGHEST_PREC, depth);
        self.token(".");
        self.selector_name(sel, is_method)
    }

    fn selector_name(&mut self, sel: &Ident, is_method: bool) -> bool {
        let line = self.line_for(sel.span.start);
        if self.pos.is_valid() && self.pos.line < line {
            self.ws(Ws::Indent);
            self.ws(Ws::Newline);
            self.at(sel.span.start);
            self.ident(&sel.name);
            if !is_method {
                self.ws(Ws::Unindent);
            }
            return true;
        }
        self.at(sel.span.start);
        self.ident(&sel.name);
        false
    }

    pub fn type_expr(&mut self, t: &TypeExpr, depth: i64) {
        self.type1(t, LOWEST_PREC, depth);
    }

    /// An element type (of a pointer, slice, array, map or channel), with
    /// the parentheses it was written with: the tree drops them.
    fn elem_type(&mut self, t: &TypeExpr) {
        let mut open = Vec::new();
        let (mut start, mut end) = (t.span.start, t.span.end);
        while let (Some((ps, pe)), Some((ns, ne))) = (self.src.prev_token(start), self.src.next_token(end)) {
            if self.src.slice(ps, pe) != "(" || self.src.slice(ns, ne) != ")" {
                break;
            }
            open.push((ps, ns));
            start = ps;
            end = ne;
        }
        for &(lparen, _) in open.iter().rev() {
            self.at(lparen);
            self.token("(");
        }
        self.type_expr(t, 1);
        for &(_, rparen) in &open {
            self.at(rparen);
            self.token(")");
        }
    }

    pub fn type1(&mut self, t: &TypeExpr, prec1: i64, depth: i64) {
        self.at(t.span.start);
        match &t.kind {
            TypeExprKind::Name { pkg, name, type_args } => {
                if let Some(pkg) = pkg {
                    self.at(pkg.span.start);
                    self.ident(&pkg.name);
                    self.token(".");
                    self.selector_name(name, false);
                } else {
                    self.ident(&name.name);
                }
                if !type_args.is_empty() {
                    let lbrack = self.src.find(name.span.end, "[");
                    let rbrack = t.span.end - 1;
                    self.at(lbrack);
                    self.token("[");
                    if let [arg] = type_args.as_slice() {
                        self.type_expr(arg, depth + 1);
                    } else {
                        let items: Vec<Item<'_>> = type_args.iter().map(Item::Type).collect();
                        self.expr_list(Some(lbrack), &items, depth + 1, COMMA_TERM, Some(rbrack));
                    }
                    self.at(rbrack);
                    self.token("]");
                }
            }
            TypeExprKind::Pointer(inner) => {
                if UNARY_PREC < prec1 {
                    self.token("(");
                    self.token("*");
                    self.elem_type(inner);
                    self.token(")");
                } else {
                    self.token("*");
                    self.elem_type(inner);
                }
            }
            TypeExprKind::Array { len, elem } => {
                self.token("[");
                match len {
                    Some(n) => self.expr(n),
                    None => self.token("..."),
                }
                self.token("]");
                self.elem_type(elem);
            }
            TypeExprKind::Slice(elem) => {
                self.token("[");
                self.token("]");
                self.elem_type(elem);
            }
            TypeExprKind::Map { key, value } => {
                self.token("map");
                self.token("[");
                self.type_expr(key, 1);
                self.token("]");
                self.elem_type(value);
            }
            TypeExprKind::Chan { dir, elem } => {
                match dir {
                    ChanDir::Both => self.token("chan"),
                    ChanDir::Recv => {
                        self.token("<-");
                        self.token("chan");
                    }
                    ChanDir::Send => {
                        self.token("chan");
                        let arrow = self.src.find(t.span.start, "<-");
                        self.at(arrow);
                        self.token("<-");
                    }
                }
                self.ws(Ws::Blank);
                self.elem_type(elem);
            }
            TypeExprKind::Func(sig) => {
                self.token("func");
                self.signature(sig, &[], None);
            }
            TypeExprKind::Struct(fields) => {
                self.token("struct");
                self.struct_fields(t, fields);
            }
            TypeExprKind::Interface(elems) if is_bare_union(t, elems) => {
                // A constraint written as a bare union: `[T ~int | string]`.
                for e in elems {
                    if let InterfaceElem::Union(terms) = e {
                        self.union(terms);
                    }
                }
            }
            TypeExprKind::Interface(elems) => {
                self.token("interface");
                self.interface_elems(t, elems);
            }
        }
    }

    /// The column distance from `start_col` to the output position, or
    /// infinity when the node started on another line.
    pub fn distance_from(&self, start: u32, start_col: i64) -> i64 {
        if self.pos.is_valid() && self.pos_for(start).line == self.pos.line {
            return self.out.col - start_col;
        }
        INFINITY
    }
}
