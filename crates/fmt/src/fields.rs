//! Parameter lists, signatures, struct fields and interface elements.

use g2n_syntax::ast::*;

use crate::exprs::{Item, Node};
use crate::printer::{Printer, STRING, Ws};

/// One field of a go/ast FieldList: names sharing one type.
pub(crate) struct Field<'a> {
    pub names: Vec<&'a Ident>,
    pub ty: &'a TypeExpr,
    pub variadic: bool,
    pub start: u32,
    pub end: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamMode {
    Func,
    FuncTypeParams,
    TypeTypeParams,
}

/// Parameters as written: the parser gives one `Param` per name, sharing the
/// type expression (and its span) within a group.
pub(crate) fn param_fields(params: &[Param]) -> Vec<Field<'_>> {
    let mut out: Vec<Field<'_>> = Vec::new();
    for p in params {
        if let (Some(name), Some(last)) = (&p.name, out.last_mut())
            && !last.names.is_empty()
            && last.ty.span == p.ty.span
        {
            last.names.push(name);
            continue;
        }
        let start = match &p.name {
            Some(n) => n.span.start,
            None => p.span.start,
        };
        out.push(Field { names: p.name.iter().collect(), ty: &p.ty, variadic: p.variadic, start, end: p.ty.span.end });
    }
    out
}

pub(crate) fn type_param_fields(params: &[TypeParam]) -> Vec<Field<'_>> {
    let mut out: Vec<Field<'_>> = Vec::new();
    for p in params {
        if let Some(last) = out.last_mut()
            && last.ty.span == p.constraint.span
        {
            last.names.push(&p.name);
            continue;
        }
        out.push(Field {
            names: vec![&p.name],
            ty: &p.constraint,
            variadic: false,
            start: p.name.span.start,
            end: p.constraint.span.end,
        });
    }
    out
}

fn is_type_elem(t: &TypeExpr) -> bool {
    matches!(
        t.kind,
        TypeExprKind::Array { .. }
            | TypeExprKind::Slice(_)
            | TypeExprKind::Struct(_)
            | TypeExprKind::Func(_)
            | TypeExprKind::Interface(_)
            | TypeExprKind::Map { .. }
            | TypeExprKind::Chan { .. }
    )
}

/// `[P *T]` would read as an array length `[P*T]` without a trailing comma.
fn combines_with_name(t: &TypeExpr) -> bool {
    match &t.kind {
        TypeExprKind::Pointer(inner) => !is_type_elem(inner),
        _ => false,
    }
}

impl<'s> Printer<'s> {
    pub fn parameters(&mut self, fields: &[Field<'_>], opening: u32, closing: u32, mode: ParamMode) {
        let (open, close) = if mode == ParamMode::Func { ("(", ")") } else { ("[", "]") };
        self.at(opening);
        self.token(open);
        if !fields.is_empty() {
            let mut prev_line = self.line_for(opening);
            let mut ws = Ws::Indent;
            for (i, par) in fields.iter().enumerate() {
                let beg = self.line_for(par.start);
                let end = self.line_for(par.end);
                let needs_linebreak = 0 < prev_line && prev_line < beg;
                if i > 0 {
                    if !needs_linebreak {
                        self.at(par.start);
                    }
                    self.token(",");
                }
                if needs_linebreak && self.linebreak(beg, 0, ws, true) > 0 {
                    ws = Ws::Ignore;
                } else if i > 0 {
                    self.ws(Ws::Blank);
                }
                if !par.names.is_empty() {
                    let names: Vec<Item<'_>> = par.names.iter().map(|n| Item::Ident(n)).collect();
                    self.expr_list(None, &names, 1, if ws == Ws::Indent { 0 } else { crate::exprs::NO_INDENT }, None);
                    self.ws(Ws::Blank);
                }
                if par.variadic {
                    let dots = self.src.find(par.start, "...");
                    self.at(dots);
                    self.token("...");
                }
                self.type_expr(par.ty, 1);
                prev_line = end;
            }
            let closing_line = self.line_for(closing);
            if 0 < prev_line && prev_line < closing_line {
                self.token(",");
                self.linebreak(closing_line, 0, Ws::Ignore, true);
            } else if mode == ParamMode::TypeTypeParams
                && fields.len() == 1
                && fields[0].names.len() == 1
                && combines_with_name(fields[0].ty)
            {
                self.token(",");
            }
            if ws == Ws::Ignore {
                self.ws(Ws::Unindent);
            }
        }
        self.at(closing);
        self.token(close);
    }

    /// The parameters and results of `sig` (without `func`), after type
    /// parameters if any; `tparams_open` is the `[` of those.
    pub fn signature(&mut self, sig: &FuncSig, type_params: &[TypeParam], tparams_open: Option<u32>) {
        if let (false, Some(open)) = (type_params.is_empty(), tparams_open) {
            let close = self.src.matching(open);
            let fields = type_param_fields(type_params);
            self.parameters(&fields, open, close, ParamMode::FuncTypeParams);
        }
        let opening = self.src.find(sig.span.start, "(");
        let closing = self.src.matching(opening);
        let params = param_fields(&sig.params);
        self.parameters(&params, opening, closing, ParamMode::Func);
        let results = param_fields(&sig.results);
        let n: usize = results.iter().map(|f| f.names.len().max(1)).sum();
        if n > 0 {
            self.ws(Ws::Blank);
            if n == 1 && results[0].names.is_empty() {
                self.type_expr(results[0].ty, 1);
                return;
            }
            let ropen = self.src.next_token(closing + 1).map_or(closing, |t| t.0);
            let rclose = self.src.matching(ropen);
            self.parameters(&results, ropen, rclose, ParamMode::Func);
        }
    }

    fn struct_tag(&self, f: &FieldDecl) -> Option<(u32, &'s str)> {
        f.tag.as_ref()?;
        let (s, e) = self.src.next_token(f.ty.span.end)?;
        Some((s, self.src.slice(s, e)))
    }

    fn one_line_struct(&mut self, fields: &[FieldDecl]) -> bool {
        let [f] = fields else { return false };
        if f.tag.is_some() || self.src.has_line_comment(f.span.end) {
            return false;
        }
        const MAX: i64 = 30;
        let mut names_size = 0i64;
        for (i, n) in f.names.iter().enumerate() {
            if i > 0 {
                names_size += 2;
            }
            names_size += n.name.chars().count() as i64;
            if names_size >= MAX {
                break;
            }
        }
        if names_size > 0 {
            names_size = 1;
        }
        let type_size = self.node_size(Node::Item(Item::Type(&f.ty)), MAX);
        names_size + type_size <= MAX
    }

    /// go/printer's fieldList, the part a struct type and an interface
    /// type share: `{}` for an empty list written on one line, `{ ITEM }`
    /// when the list was written on one line and its single item fits
    /// (`fits` decides, `one_line` prints it), else one item per line with
    /// the source's blank lines between items kept (`start` is where an
    /// item begins, `item` prints the `i`th).
    fn field_list<T>(
        &mut self,
        t: &TypeExpr,
        items: &[T],
        fits: impl FnOnce(&mut Self, &[T]) -> bool,
        one_line: impl FnOnce(&mut Self, &T),
        start: impl Fn(&T) -> u32,
        mut item: impl FnMut(&mut Self, &T),
    ) {
        let lbrace = self.src.find(t.span.start, "{");
        let rbrace = t.span.end - 1;
        let has_comments = self.comment_before(self.pos_for(rbrace));
        let src_one_line = self.line_for(lbrace) == self.line_for(rbrace);
        if !has_comments && src_one_line {
            if items.is_empty() {
                self.at(lbrace);
                self.token("{");
                self.at(rbrace);
                self.token("}");
                return;
            }
            if let [only] = items
                && fits(self, items)
            {
                self.at(lbrace);
                self.token("{");
                self.ws(Ws::Blank);
                one_line(self, only);
                self.ws(Ws::Blank);
                self.at(rbrace);
                self.token("}");
                return;
            }
        }
        self.ws(Ws::Blank);
        self.at(lbrace);
        self.token("{");
        self.ws(Ws::Indent);
        if has_comments || !items.is_empty() {
            self.ws(Ws::Formfeed);
        }
        let mut line_slot: Option<usize> = None;
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                let line = line_slot.map_or(0, |s| self.line_slots[s]);
                let from = self.lines_from(line) > 0;
                self.linebreak(self.line_for(start(it)), 1, Ws::Ignore, from);
            }
            line_slot = Some(self.record_line());
            item(self, it);
        }
        self.ws(Ws::Unindent);
        self.ws(Ws::Formfeed);
        self.at(rbrace);
        self.token("}");
    }

    pub fn struct_fields(&mut self, t: &TypeExpr, fields: &[FieldDecl]) {
        // One line: `{ a, b T }` (the names, a blank, the type).
        let one_line = |this: &mut Self, f: &FieldDecl| {
            for (i, n) in f.names.iter().enumerate() {
                if i > 0 {
                    this.token(",");
                    this.ws(Ws::Blank);
                }
                this.at(n.span.start);
                this.ident(&n.name);
            }
            if !f.names.is_empty() {
                this.ws(Ws::Blank);
            }
            this.type_expr(&f.ty, 1);
        };
        let sep = if fields.len() == 1 { Ws::Blank } else { Ws::Vtab };
        let field = |this: &mut Self, f: &FieldDecl| {
            let mut extra_tabs;
            if !f.names.is_empty() {
                this.ident_list(&f.names, false);
                this.ws(sep);
                this.type_expr(&f.ty, 1);
                extra_tabs = 1;
            } else {
                this.type_expr(&f.ty, 1);
                extra_tabs = 2;
            }
            if let Some((at, text)) = this.struct_tag(f) {
                if !f.names.is_empty() && sep == Ws::Vtab {
                    this.ws(sep);
                }
                this.ws(sep);
                this.at(at);
                this.lit(text, STRING);
                extra_tabs = 0;
            }
            if this.src.has_line_comment(f.span.end) {
                for _ in 0..extra_tabs {
                    this.ws(sep);
                }
            }
        };
        self.field_list(t, fields, Self::one_line_struct, one_line, |f| f.span.start, field);
    }

    fn interface_elem_start(e: &InterfaceElem) -> u32 {
        match e {
            InterfaceElem::Method { name, .. } => name.span.start,
            InterfaceElem::Union(terms) => terms.first().map_or(0, |t| t.ty.span.start),
        }
    }

    fn term_start(&self, term: &TypeTerm) -> u32 {
        if term.tilde {
            return self.src.prev_token(term.ty.span.start).map_or(term.ty.span.start, |t| t.0);
        }
        term.ty.span.start
    }

    fn term(&mut self, term: &TypeTerm) {
        if term.tilde {
            self.at(self.term_start(term));
            self.token("~");
        }
        self.type_expr(&term.ty, 1);
    }

    /// `A | ~B | C`, printed as go/printer prints the binary expression
    /// `(A | ~B) | C`: blanks around `|`, line breaks of the source kept.
    pub fn union(&mut self, terms: &[TypeTerm]) {
        let Some((last, rest)) = terms.split_last() else { return };
        if rest.is_empty() {
            self.term(last);
            return;
        }
        let mut ws = Ws::Indent;
        let mut print_blank = true;
        self.union(rest);
        self.ws(Ws::Blank);
        let xline = self.pos.line;
        let ystart = self.term_start(last);
        let yline = self.line_for(ystart);
        let prev_end = rest.last().map_or(ystart, |t| t.ty.span.end);
        let bar = self.src.find(prev_end, "|");
        self.at(bar);
        self.token("|");
        if xline != yline && xline > 0 && yline > 0 && self.linebreak(yline, 1, ws, true) > 0 {
            ws = Ws::Ignore;
            print_blank = false;
        }
        if print_blank {
            self.ws(Ws::Blank);
        }
        self.at(ystart);
        self.term(last);
        if ws == Ws::Ignore {
            self.ws(Ws::Unindent);
        }
    }

    pub fn interface_elems(&mut self, t: &TypeExpr, elems: &[InterfaceElem]) {
        let fits = |this: &mut Self, elems: &[InterfaceElem]| this.one_line_elem(&elems[0]);
        self.field_list(t, elems, fits, Self::interface_elem, Self::interface_elem_start, Self::interface_elem);
    }

    fn interface_elem(&mut self, e: &InterfaceElem) {
        match e {
            InterfaceElem::Method { name, sig } => {
                self.at(name.span.start);
                self.ident(&name.name);
                self.signature(sig, &[], None);
            }
            InterfaceElem::Union(terms) => self.union(terms),
        }
    }

    fn one_line_elem(&mut self, e: &InterfaceElem) -> bool {
        const MAX: i64 = 30;
        let end = match e {
            InterfaceElem::Method { sig, .. } => sig.span.end,
            InterfaceElem::Union(terms) => terms.last().map_or(0, |t| t.ty.span.end),
        };
        if self.src.has_line_comment(end) {
            return false;
        }
        match e {
            InterfaceElem::Method { name, sig } => {
                let names_size = if name.name.is_empty() { 0 } else { 1 };
                names_size + self.node_size(Node::FuncType(sig), MAX) <= MAX
            }
            InterfaceElem::Union(terms) => match terms.as_slice() {
                [term] if !term.tilde => self.node_size(Node::Item(Item::Type(&term.ty)), MAX) <= MAX,
                _ => {
                    // A union's size: its terms and ` | ` between them.
                    let mut size = 0;
                    for (i, term) in terms.iter().enumerate() {
                        if i > 0 {
                            size += 3;
                        }
                        if term.tilde {
                            size += 1;
                        }
                        size += self.node_size(Node::Item(Item::Type(&term.ty)), MAX);
                    }
                    size <= MAX
                }
            },
        }
    }
}
