//! The standard library's declared API, read from the Go-dialect declarations
//! under `stdlib/` so that calls are checked against real signatures.
//!
//! The files are embedded at compile time: the compiler never reads them from
//! disk, so a `g2n` binary works from any directory.

use crate::types::{Signature, TypeId, Types};
use g2n_base::FileId;
use g2n_syntax::ast;
use std::collections::BTreeMap;

/// `(import path, file name, source)` of every stdlib file.
const SOURCES: &[(&str, &str, &str)] = &[
    ("fmt", "stdlib/fmt/fmt.go", include_str!("../../../stdlib/fmt/fmt.go")),
    ("os", "stdlib/os/os.go", include_str!("../../../stdlib/os/os.go")),
];

#[derive(Clone, Debug)]
pub struct StdFunc {
    pub name: String,
    pub sig: Signature,
}

#[derive(Clone, Debug, Default)]
pub struct StdPackage {
    pub path: String,
    pub funcs: BTreeMap<String, StdFunc>,
}

#[derive(Clone, Debug, Default)]
pub struct StdLib {
    packages: BTreeMap<String, StdPackage>,
    /// Problems in the embedded declarations themselves: a bug in g2n, which
    /// tests assert is empty.
    pub problems: Vec<String>,
}

impl StdLib {
    /// Parses the embedded declarations. Only the basic types that every
    /// checker's [`Types`] table has at fixed ids may appear in them, so the
    /// signatures are valid in any program's table.
    pub fn load() -> StdLib {
        let mut stdlib = StdLib::default();
        for (index, (path, file_name, source)) in SOURCES.iter().enumerate() {
            let (file, errors) = g2n_syntax::parse_file(FileId(u32::MAX - index as u32), source);
            for error in errors {
                stdlib.problems.push(format!("{file_name}: {error}"));
            }
            let package = stdlib
                .packages
                .entry(path.to_string())
                .or_insert_with(|| StdPackage { path: path.to_string(), funcs: BTreeMap::new() });
            for decl in &file.decls {
                let ast::Decl::Func(func) = decl else { continue };
                let mut params = Vec::new();
                let mut variadic = false;
                for param in &func.sig.params {
                    match basic_type(&param.ty) {
                        Some(ty) => params.push(ty),
                        None => stdlib.problems.push(format!("{file_name}: unsupported type in {}", func.name.name)),
                    }
                    variadic |= param.variadic;
                }
                let mut results = Vec::new();
                for result in &func.sig.results {
                    match basic_type(&result.ty) {
                        Some(ty) => results.push(ty),
                        None => stdlib.problems.push(format!("{file_name}: unsupported type in {}", func.name.name)),
                    }
                }
                package.funcs.insert(
                    func.name.name.clone(),
                    StdFunc { name: func.name.name.clone(), sig: Signature { params, results, variadic } },
                );
            }
        }
        stdlib
    }

    pub fn package(&self, path: &str) -> Option<&StdPackage> {
        self.packages.get(path)
    }

    pub fn func(&self, package: &str, name: &str) -> Option<&StdFunc> {
        self.packages.get(package)?.funcs.get(name)
    }
}

fn basic_type(ty: &ast::TypeExpr) -> Option<TypeId> {
    let ast::TypeExprKind::Name { pkg: None, name, type_args } = &ty.kind else { return None };
    if !type_args.is_empty() {
        return None;
    }
    Some(match name.name.as_str() {
        "bool" => Types::BOOL,
        "int" => Types::INT,
        "float64" => Types::FLOAT64,
        "string" => Types::STRING,
        "any" => Types::ANY,
        "error" => Types::ERROR,
        _ => return None,
    })
}
