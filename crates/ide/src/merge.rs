//! Several Go files of one program as one file (`g2n run .`,
//! `g2n build a.go b.go`, and the editor's view of a directory).

use g2n_base::Span;
use g2n_syntax::ast;
use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
#[error("found packages {first} ({first_file}) and {other} ({other_file}): the files of one program are one package")]
#[diagnostic(code(g2n::inputs::mixed_packages), help("give every file `package {first}`, or build the files apart"))]
pub struct MixedPackages {
    first: String,
    first_file: String,
    other: String,
    other_file: String,
    #[label("package {other}")]
    span: Span,
}

/// The Go files of one program as one file: the first file's package clause,
/// every file's imports (sema keeps them file-scoped by their spans) and
/// every declaration, in the order the files were given. The files must all
/// declare the same package.
pub fn merge_package(mut merged: ast::File, rest: Vec<ast::File>, names: &[String]) -> Result<ast::File, MixedPackages> {
    for (index, file) in rest.into_iter().enumerate() {
        if file.package.name != merged.package.name {
            return Err(MixedPackages {
                first: merged.package.name.clone(),
                first_file: names.first().cloned().unwrap_or_default(),
                other: file.package.name.clone(),
                other_file: names.get(index + 1).cloned().unwrap_or_default(),
                span: file.package.span,
            });
        }
        merged.imports.extend(file.imports);
        merged.decls.extend(file.decls);
    }
    Ok(merged)
}
