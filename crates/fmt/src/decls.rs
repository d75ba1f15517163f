//! Declarations and the file (go/printer's nodes.go, last part).

use g2n_syntax::ast::*;

use crate::exprs::Item;
use crate::fields::{ParamMode, param_fields, type_param_fields};
use crate::printer::{ILLEGAL, Printer, STRING, Tok, Ws};

/// A top-level declaration as go/ast has them: imports are declarations too.
pub(crate) enum Decl<'a> {
    Import { start: u32, parens: Option<(u32, u32)>, specs: Vec<&'a ImportSpec>, end: u32 },
    Gen(&'a GenDecl),
    Func(&'a FuncDecl),
}

impl Decl<'_> {
    fn start(&self) -> u32 {
        match self {
            Decl::Import { start, .. } => *start,
            Decl::Gen(d) => d.span.start,
            Decl::Func(f) => f.span.start,
        }
    }
    fn end(&self) -> u32 {
        match self {
            Decl::Import { end, .. } => *end,
            Decl::Gen(d) => d.span.end,
            Decl::Func(f) => f.span.end,
        }
    }
    fn token(&self) -> Tok {
        match self {
            Decl::Import { .. } => "import",
            Decl::Gen(d) => gen_keyword(d.kind),
            Decl::Func(_) => "func",
        }
    }
}

fn gen_keyword(kind: GenKind) -> Tok {
    match kind {
        GenKind::Var => "var",
        GenKind::Const => "const",
        GenKind::Type => "type",
    }
}

/// Which specs of a const/var group must keep a type column (go/printer's keepTypeColumn).
fn keep_type_column(specs: &[Spec]) -> Vec<bool> {
    let mut m = vec![false; specs.len()];
    let mut run_start: Option<usize> = None;
    let mut keep_type = false;
    for (i, s) in specs.iter().enumerate() {
        let Spec::Value { ty, values, .. } = s else { continue };
        if !values.is_empty() {
            if run_start.is_none() {
                run_start = Some(i);
                keep_type = false;
            }
        } else if let Some(i0) = run_start.take()
            && keep_type
        {
            m[i0..i].iter_mut().for_each(|k| *k = true);
        }
        if ty.is_some() {
            keep_type = true;
        }
    }
    if let Some(i0) = run_start
        && keep_type
    {
        m[i0..].iter_mut().for_each(|k| *k = true);
    }
    m
}

fn spec_start(s: &Spec) -> u32 {
    match s {
        Spec::Value { span, .. } | Spec::Type { span, .. } => span.start,
    }
}

fn spec_end(s: &Spec) -> u32 {
    match s {
        Spec::Value { span, .. } | Spec::Type { span, .. } => span.end,
    }
}

/// An import path quoted as go/printer writes it: a raw string with a valid
/// path becomes an interpreted one.
fn import_path(text: &str) -> String {
    if let Some(inner) = text.strip_prefix('`').and_then(|t| t.strip_suffix('`'))
        && !inner.is_empty()
        && inner.chars().all(|c| !c.is_whitespace() && !c.is_control() && !"!\"#$%&'()*,:;<=>?[\\]^{|}`\u{FFFD}".contains(c))
    {
        return format!("\"{inner}\"");
    }
    text.to_owned()
}

impl<'s> Printer<'s> {
    /// The declarations of `file` in source order, imports included.
    pub fn decls<'f>(&self, file: &'f File) -> Vec<Decl<'f>> {
        let mut out: Vec<Decl<'f>> = Vec::new();
        let mut at = file.package.span.end;
        while let Some((s, e)) = self.src.next_token(at) {
            match self.src.slice(s, e) {
                ";" => {
                    at = e;
                    continue;
                }
                "import" => {}
                _ => break,
            }
            let Some((ns, ne)) = self.src.next_token(e) else { break };
            if self.src.slice(ns, ne) == "(" {
                let close = self.src.matching(ns);
                let specs = file.imports.iter().filter(|i| i.span.start > ns && i.span.end <= close).collect();
                out.push(Decl::Import { start: s, parens: Some((ns, close)), specs, end: close + 1 });
                at = close + 1;
            } else {
                let Some(spec) = file.imports.iter().find(|i| i.span.start >= ns) else { break };
                out.push(Decl::Import { start: s, parens: None, specs: vec![spec], end: spec.span.end });
                at = spec.span.end;
            }
        }
        for d in &file.decls {
            out.push(match d {
                g2n_syntax::ast::Decl::Func(f) => Decl::Func(f),
                g2n_syntax::ast::Decl::Gen(g) => Decl::Gen(g),
            });
        }
        out
    }

    /// go/parser's doc comment of a declaration: a comment group ending on
    /// the line before it that is not the line comment of the token before.
    fn has_doc(&self, start: u32) -> bool {
        let groups = &self.src.groups;
        let i = groups.partition_point(|g| g.end() <= start);
        if i == 0 {
            return false;
        }
        let g = &groups[i - 1];
        let prev_token_end = self.src.prev_token(start).map_or(0, |t| t.1);
        g.start() >= prev_token_end && !g.is_line_comment && self.line_for(g.end()) + 1 == self.line_for(start)
    }

    pub fn file(&mut self, file: &File) {
        let package = self.src.find(0, "package");
        self.at(package);
        self.token("package");
        self.ws(Ws::Blank);
        self.at(file.package.span.start);
        self.ident(&file.package.name);
        let decls = self.decls(file);
        let mut tok: Tok = ILLEGAL;
        for d in &decls {
            let prev = tok;
            tok = d.token();
            if !self.output.is_empty() {
                let min = if prev != tok || self.has_doc(d.start()) { 2 } else { 1 };
                let multi_line = self.line_for(d.end()) > self.line_for(d.start());
                self.linebreak(self.line_for(d.start()), min, Ws::Ignore, tok == "func" && multi_line);
            }
            match d {
                Decl::Import { start, parens, specs, .. } => self.import_decl(*start, *parens, specs),
                Decl::Gen(g) => self.gen_decl(g),
                Decl::Func(f) => self.func_decl(f),
            }
        }
        self.ws(Ws::Newline);
    }

    fn import_decl(&mut self, start: u32, parens: Option<(u32, u32)>, specs: &[&ImportSpec]) {
        self.at(start);
        self.token("import");
        self.ws(Ws::Blank);
        match parens {
            Some((lparen, rparen)) => {
                self.at(lparen);
                self.token("(");
                if !specs.is_empty() {
                    self.ws(Ws::Indent);
                    self.ws(Ws::Formfeed);
                    let mut line_slot: Option<usize> = None;
                    for (i, s) in specs.iter().enumerate() {
                        if i > 0 {
                            let line = line_slot.map_or(0, |slot| self.line_slots[slot]);
                            let from = self.lines_from(line) > 0;
                            self.linebreak(self.line_for(s.span.start), 1, Ws::Ignore, from);
                        }
                        line_slot = Some(self.record_line());
                        self.import_spec(s);
                    }
                    self.ws(Ws::Unindent);
                    self.ws(Ws::Formfeed);
                }
                self.at(rparen);
                self.token(")");
            }
            None => {
                if let Some(s) = specs.first() {
                    self.import_spec(s);
                }
            }
        }
    }

    fn import_spec(&mut self, s: &ImportSpec) {
        self.at(s.span.start);
        if let Some(alias) = &s.alias {
            self.at(alias.span.start);
            self.ident(&alias.name);
            self.ws(Ws::Blank);
        }
        self.at(s.path_span.start);
        let path = import_path(self.src.slice(s.path_span.start, s.path_span.end));
        self.lit(&path, STRING);
    }

    pub fn gen_decl(&mut self, d: &GenDecl) {
        self.at(d.span.start);
        self.token(gen_keyword(d.kind));
        self.ws(Ws::Blank);
        let after_kw = self.src.next_token(d.span.start + 1).map(|(s, e)| (s, self.src.slice(s, e)));
        let lparen = match after_kw {
            Some((s, "(")) => Some(s),
            _ => None,
        };
        if lparen.is_some() || d.specs.len() > 1 {
            let lparen = lparen.unwrap_or(d.span.start);
            self.at(lparen);
            self.token("(");
            let n = d.specs.len();
            if n > 0 {
                self.ws(Ws::Indent);
                self.ws(Ws::Formfeed);
                let keep = if n > 1 && d.kind != GenKind::Type { keep_type_column(&d.specs) } else { Vec::new() };
                let mut line_slot: Option<usize> = None;
                for (i, s) in d.specs.iter().enumerate() {
                    if i > 0 {
                        let line = line_slot.map_or(0, |slot| self.line_slots[slot]);
                        let from = self.lines_from(line) > 0;
                        self.linebreak(self.line_for(spec_start(s)), 1, Ws::Ignore, from);
                    }
                    line_slot = Some(self.record_line());
                    if keep.is_empty() {
                        self.spec(s, n, false);
                    } else {
                        self.value_spec(s, keep[i]);
                    }
                }
                self.ws(Ws::Unindent);
                self.ws(Ws::Formfeed);
            }
            self.at(d.span.end - 1);
            self.token(")");
        } else if let Some(s) = d.specs.first() {
            self.spec(s, 1, true);
        }
    }

    /// A const/var spec in a group of several: names, type and values in columns.
    fn value_spec(&mut self, s: &Spec, keep_type: bool) {
        let Spec::Value { names, ty, values, .. } = s else { return };
        self.at(spec_start(s));
        self.ident_list(names, false);
        let mut extra_tabs = 3;
        if ty.is_some() || keep_type {
            self.ws(Ws::Vtab);
            extra_tabs -= 1;
        }
        if let Some(t) = ty {
            self.type_expr(t, 1);
        }
        if !values.is_empty() {
            self.ws(Ws::Vtab);
            self.token("=");
            self.ws(Ws::Blank);
            let items: Vec<Item<'_>> = values.iter().map(Item::Expr).collect();
            self.expr_list(None, &items, 1, 0, None);
            extra_tabs -= 1;
        }
        if self.src.has_line_comment(spec_end(s)) {
            for _ in 0..extra_tabs {
                self.ws(Ws::Vtab);
            }
        }
    }

    fn spec(&mut self, s: &Spec, n: usize, do_indent: bool) {
        self.at(spec_start(s));
        match s {
            Spec::Value { names, ty, values, .. } => {
                self.ident_list(names, do_indent);
                if let Some(t) = ty {
                    self.ws(Ws::Blank);
                    self.type_expr(t, 1);
                }
                if !values.is_empty() {
                    self.ws(Ws::Blank);
                    self.token("=");
                    self.ws(Ws::Blank);
                    let items: Vec<Item<'_>> = values.iter().map(Item::Expr).collect();
                    self.expr_list(None, &items, 1, 0, None);
                }
            }
            Spec::Type { name, type_params, alias, ty, .. } => {
                self.at(name.span.start);
                self.ident(&name.name);
                if !type_params.is_empty() {
                    let open = self.src.find(name.span.end, "[");
                    let close = self.src.matching(open);
                    let fields = type_param_fields(type_params);
                    self.parameters(&fields, open, close, ParamMode::TypeTypeParams);
                }
                self.ws(if n == 1 { Ws::Blank } else { Ws::Vtab });
                if *alias {
                    self.token("=");
                    self.ws(Ws::Blank);
                }
                self.type_expr(ty, 1);
            }
        }
    }

    fn func_decl(&mut self, d: &FuncDecl) {
        self.at(d.span.start);
        self.token("func");
        self.ws(Ws::Blank);
        // As go/printer: measured before the blank is written.
        let start_col = self.out.col - 5;
        if let Some(recv) = &d.recv {
            let open = self.src.find(d.span.start, "(");
            let close = self.src.matching(open);
            let fields = param_fields(std::slice::from_ref(recv));
            self.parameters(&fields, open, close, ParamMode::Func);
            self.ws(Ws::Blank);
        }
        self.at(d.name.span.start);
        self.ident(&d.name.name);
        let tparams_open = if d.type_params.is_empty() { None } else { Some(self.src.find(d.name.span.end, "[")) };
        self.signature(&d.sig, &d.type_params, tparams_open);
        if let Some(body) = &d.body {
            let header = self.distance_from(d.span.start, start_col);
            self.func_body(header, Ws::Vtab, body);
        }
    }
}
