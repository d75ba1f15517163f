//! Declarations resolved from upstream configs.
//!
//! In a mesh of separate configs, a downstream nanoservice may use what an
//! upstream one declares at package level: the type of a variable it
//! receives (`type Point struct{X, Y int}` upstream, `p.X` downstream), that
//! type's methods, a function whose value travels, a constant. As in the
//! program the configs make when merged into one `main`, such a declaration
//! is one declaration of the whole mesh: each unit is checked with the
//! package-level types, functions, methods and constants of every unit
//! upstream of it (with those units' imports, which sema keeps per file),
//! besides its own. A name declared differently by two configs that meet in
//! one unit is an error naming both (`DeclarationConflict`), as the merged
//! program would not compile.
//!
//! Package-level variables are not merged: every config initialises its own
//! (their initialisers may print), and values travel only through `main`'s
//! variables.

use crate::SplitError;
use g2n_base::Span;
use g2n_syntax::ast;
use g2n_syntax::visit::{self, Visitor};
use std::collections::{BTreeMap, BTreeSet};

/// What a package-level declaration declares, for matching it across configs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum DeclKey {
    /// A type, function or constant name.
    Name(String),
    /// A method: receiver base type and method name.
    Method(String, String),
}

impl DeclKey {
    fn describe(&self) -> String {
        match self {
            DeclKey::Name(name) => name.clone(),
            DeclKey::Method(recv, name) => format!("{recv}.{name}"),
        }
    }
}

/// One mergeable declaration of a unit: its keys (a grouped `const` or
/// `type` declaration declares several names), its shape without spans, and
/// the span of its first name.
struct Mergeable<'a> {
    decl: &'a ast::Decl,
    keys: Vec<(DeclKey, Span)>,
    shape: String,
}

/// The declarations of `file` that downstream units can take: types,
/// constants, functions and methods, but not `main`, `init` or variables,
/// nor anything that uses the config's package-level variables, directly or
/// through another declaration (a downstream config has no such variable:
/// each initialises its own). A type one of whose methods is left out is
/// left out too, so that no config holds a type with fewer methods than its
/// declaring config: a value of it then fails to resolve downstream instead
/// of behaving differently there.
fn mergeable(file: &ast::File) -> Vec<Mergeable<'_>> {
    let candidates = candidates(file);
    let mut excluded: BTreeSet<String> = BTreeSet::new();
    for decl in &file.decls {
        if let ast::Decl::Gen(gen_decl) = decl
            && gen_decl.kind == ast::GenKind::Var
        {
            for spec in &gen_decl.specs {
                if let ast::Spec::Value { names, .. } = spec {
                    excluded.extend(names.iter().map(|n| n.name.clone()));
                }
            }
        }
    }
    if excluded.is_empty() {
        return candidates;
    }
    let uses: Vec<BTreeSet<String>> = candidates.iter().map(|m| names_used(m.decl)).collect();
    let mut kept = vec![true; candidates.len()];
    loop {
        let mut changed = false;
        for (i, m) in candidates.iter().enumerate() {
            if kept[i] && uses[i].iter().any(|n| excluded.contains(n)) {
                kept[i] = false;
                changed = true;
                for (key, _) in &m.keys {
                    match key {
                        DeclKey::Name(name) => excluded.insert(name.clone()),
                        DeclKey::Method(recv, _) => excluded.insert(recv.clone()),
                    };
                }
            }
        }
        // A type whose method is left out goes too.
        for (i, m) in candidates.iter().enumerate() {
            if kept[i] && m.keys.iter().any(|(key, _)| matches!(key, DeclKey::Name(n) if excluded.contains(n))) {
                kept[i] = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    candidates.into_iter().zip(kept).filter(|(_, keep)| *keep).map(|(m, _)| m).collect()
}

/// The names a declaration uses: identifiers in expressions and unqualified
/// type names (a local variable of the same name counts too: leaving a
/// declaration out is the safe side).
fn names_used(decl: &ast::Decl) -> BTreeSet<String> {
    struct Names(BTreeSet<String>);
    impl<'a> Visitor<'a> for Names {
        fn expr(&mut self, expr: &'a ast::Expr) -> bool {
            if let ast::ExprKind::Ident(ident) = &expr.kind {
                self.0.insert(ident.name.clone());
            }
            true
        }
        fn ty(&mut self, ty: &'a ast::TypeExpr) -> bool {
            if let ast::TypeExprKind::Name { pkg: None, name, .. } = &ty.kind {
                self.0.insert(name.name.clone());
            }
            true
        }
    }
    let mut names = Names(BTreeSet::new());
    match decl {
        ast::Decl::Func(func) => visit::walk_func(&mut names, func),
        ast::Decl::Gen(gen_decl) => visit::walk_gen_decl(&mut names, gen_decl),
    }
    names.0
}

/// Every declaration of `file` of a kind that downstream units can take.
fn candidates(file: &ast::File) -> Vec<Mergeable<'_>> {
    let mut out = Vec::new();
    for decl in &file.decls {
        let keys: Vec<(DeclKey, Span)> = match decl {
            ast::Decl::Func(func) => {
                if func.recv.is_none() && (func.name.name == "main" || func.name.name == "init") {
                    continue;
                }
                let key = match &func.recv {
                    Some(recv) => DeclKey::Method(receiver_base(&recv.ty), func.name.name.clone()),
                    None => DeclKey::Name(func.name.name.clone()),
                };
                vec![(key, func.name.span)]
            }
            ast::Decl::Gen(gen_decl) => match gen_decl.kind {
                ast::GenKind::Type | ast::GenKind::Const => gen_decl
                    .specs
                    .iter()
                    .flat_map(|spec| match spec {
                        ast::Spec::Type { name, .. } => vec![(DeclKey::Name(name.name.clone()), name.span)],
                        ast::Spec::Value { names, .. } => names
                            .iter()
                            .filter(|n| n.name != "_")
                            .map(|n| (DeclKey::Name(n.name.clone()), n.span))
                            .collect(),
                    })
                    .collect(),
                _ => continue,
            },
        };
        if keys.is_empty() {
            continue;
        }
        out.push(Mergeable { decl, keys, shape: shape_of(decl) });
    }
    out
}

/// The name of a receiver's base type: `T` for `T`, `*T` and `T[P]`.
fn receiver_base(ty: &ast::TypeExpr) -> String {
    match &ty.kind {
        ast::TypeExprKind::Pointer(inner) => receiver_base(inner),
        ast::TypeExprKind::Name { name, .. } => name.name.clone(),
        _ => g2n_syntax::print::type_string(ty),
    }
}

/// A declaration without its positions: two configs declare the same thing
/// when their declarations have the same shape.
fn shape_of(decl: &ast::Decl) -> String {
    let text = format!("{decl:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("Span {") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // A span's Debug form holds no nested braces.
        match after.find('}') {
            Some(end) => rest = &after[end + 1..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// For every unit, the units upstream of it (that reach it by hops) that
/// declare something it can take, in mesh order. Linear in the mesh for
/// each unit that declares something (a search downstream from it), so a
/// long chain of configs that declare nothing costs nothing here.
pub(crate) fn upstream_providers(files: &[&ast::File], edges: &[(usize, usize, usize)]) -> Vec<Vec<usize>> {
    let count = files.len();
    let mut downstream: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(from, _, to) in edges {
        downstream[from].push(to);
    }
    let mut result: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut seen = vec![usize::MAX; count];
    for (provider, file) in files.iter().enumerate() {
        if mergeable(file).is_empty() {
            continue;
        }
        let mut stack = vec![provider];
        while let Some(at) = stack.pop() {
            for &to in &downstream[at] {
                if seen[to] != provider {
                    seen[to] = provider;
                    if to != provider {
                        result[to].push(provider);
                    }
                    stack.push(to);
                }
            }
        }
    }
    result
}

/// A unit's file with the declarations of its upstream units added.
pub(crate) struct MergedFile {
    pub file: ast::File,
    /// For each name so resolved, the upstream unit that declares it.
    pub resolved_from: BTreeMap<String, String>,
    /// The span of each declaration added, in the order added.
    pub decl_spans: Vec<Span>,
}

/// Unit `unit`'s file with the declarations of its upstream units added;
/// `None` when there is nothing to add. Conflicts are reported.
pub(crate) fn merged_file(
    files: &[&ast::File],
    names: &[String],
    unit: usize,
    upstream: &[usize],
    errors: &mut Vec<SplitError>,
) -> Option<MergedFile> {
    // What is declared so far, by key: the unit that declares it, the
    // declaration's shape and its span.
    let mut declared: BTreeMap<DeclKey, (usize, String, Span)> = BTreeMap::new();
    for m in mergeable(files[unit]) {
        for (key, span) in &m.keys {
            declared.entry(key.clone()).or_insert((unit, m.shape.clone(), *span));
        }
    }
    let mut added_decls = Vec::new();
    let mut added_imports = Vec::new();
    let mut resolved_from = BTreeMap::new();
    let mut decl_spans = Vec::new();
    for &from in upstream {
        let mut took_any = false;
        for m in mergeable(files[from]) {
            let mut new = false;
            let mut conflict = false;
            for (key, span) in &m.keys {
                match declared.get(key) {
                    None => new = true,
                    Some((other, shape, other_span)) if *shape != m.shape => {
                        conflict = true;
                        // In mesh order, which is the order of the configs given.
                        let (first, second) = if *other < from {
                            ((*other, *other_span), (from, *span))
                        } else {
                            ((from, *span), (*other, *other_span))
                        };
                        errors.push(SplitError::DeclarationConflict {
                            name: key.describe(),
                            first_unit: names[first.0].clone(),
                            second_unit: names[second.0].clone(),
                            downstream: names[unit].clone(),
                            first: first.1,
                            second: second.1,
                        });
                    }
                    Some(_) => {}
                }
            }
            if conflict || !new {
                continue;
            }
            for (key, span) in &m.keys {
                declared.entry(key.clone()).or_insert((from, m.shape.clone(), *span));
                resolved_from.insert(key.describe(), names[from].clone());
            }
            decl_spans.push(match m.decl {
                ast::Decl::Func(func) => func.span,
                ast::Decl::Gen(gen_decl) => gen_decl.span,
            });
            added_decls.push(m.decl.clone());
            took_any = true;
        }
        if took_any {
            added_imports.extend(files[from].imports.iter().cloned());
        }
    }
    if added_decls.is_empty() {
        return None;
    }
    let mut file = files[unit].clone();
    file.imports.extend(added_imports);
    file.decls.extend(added_decls);
    Some(MergedFile { file, resolved_from, decl_spans })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_ignore_positions_only() {
        let parse = |text: &str, file: u32| g2n_syntax::parse_file(g2n_base::FileId(file), text).0;
        let a = parse("package main\ntype Point struct{ X, Y int }\n", 1);
        let b = parse("package main\n\n\ntype Point struct {\n\tX, Y int\n}\n", 2);
        let c = parse("package main\ntype Point struct{ X, Y float64 }\n", 3);
        assert_eq!(shape_of(&a.decls[0]), shape_of(&b.decls[0]));
        assert_ne!(shape_of(&a.decls[0]), shape_of(&c.decls[0]));
    }

    #[test]
    fn declarations_that_use_package_variables_stay_home() {
        let text = "package main\nvar counter = 1\nfunc bump() int { counter++; return counter }\n\
                    func twice() int { return bump() + bump() }\ntype T int\nfunc (t T) Next() int { return int(t) + bump() }\n\
                    type U struct{ t T }\nfunc pure(n int) int { return n }\nconst K = 2\nfunc main() {}\n";
        let file = g2n_syntax::parse_file(g2n_base::FileId(1), text).0;
        let kept: Vec<String> = mergeable(&file).iter().flat_map(|m| m.keys.iter().map(|(k, _)| k.describe())).collect();
        assert_eq!(kept, ["pure", "K"]);
    }

    #[test]
    fn providers_are_the_declaring_units_upstream() {
        let parse = |text: &str, file: u32| g2n_syntax::parse_file(g2n_base::FileId(file), text).0;
        let declares = parse("package main\nconst K = 1\nfunc main() {}\n", 1);
        let plain = parse("package main\nfunc main() {}\n", 2);
        let files = [&declares, &plain, &plain, &declares];
        // 0 -> 1 -> 2, 3 -> 2, 2 -> 1 (a cycle between 1 and 2).
        let edges = [(0, 0, 1), (1, 0, 2), (3, 0, 2), (2, 0, 1)];
        let up = upstream_providers(&files, &edges);
        assert_eq!(up[0], Vec::<usize>::new());
        assert_eq!(up[1], vec![0, 3]);
        assert_eq!(up[2], vec![0, 3]);
        assert_eq!(up[3], Vec::<usize>::new());
    }
}
