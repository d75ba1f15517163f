//! Packages: the program's package and the stdlib packages it imports,
//! each checked once in its own package scope, and the package-level passes
//! over a file (imports, types, functions, constants and variables, bodies).

use super::*;

impl<'a> Checker<'a> {
    /// Checks the stdlib package `path` (after the packages it imports) in
    /// its own package scope, unless it is checked already. Only imported
    /// packages are checked, so a program pays for what it uses.
    ///
    /// Called before the importing package's own declarations, so no
    /// function is being checked: only the package context is swapped.
    pub(super) fn load_package(&mut self, path: &str) {
        if self.packages.contains_key(path) {
            return;
        }
        if path == unsafe_pkg::UNSAFE {
            self.packages.insert(path.to_string(), Some(Self::unsafe_package()));
            return;
        }
        let stdlib = self.stdlib;
        // An unknown path is reported where it is imported.
        let Some(package) = stdlib.package(path) else { return };
        // The entry marks the package as in progress: an import cycle
        // stops here instead of recursing forever.
        self.packages.insert(path.to_string(), None);
        for import in &package.file.imports {
            self.load_package(&import.path);
        }
        // The packages its bodyless functions are linked into
        // (linked_functions.rs), before it, like its imports.
        for target in package.unlinked.values() {
            if let Some((target_path, _)) = target.rsplit_once('.')
                && stdlib.is_source(target_path)
            {
                self.load_package(target_path);
            }
        }
        for span in &package.misplaced_linknames {
            self.errors.push(SemaError::Misplaced { message: "//go:linkname only allowed in Go files that import \"unsafe\"".to_string(), span: *span });
        }
        self.program.types.set_package_name(path, &package.file.package.name);
        let importer = std::mem::replace(&mut self.pkg, PackageCtx::new(path));
        self.package_ordinals.insert(path.to_string(), self.program.package_init_ends.len());
        self.check_package(&package.file);
        self.program.package_init_ends.push((self.program.global_inits.len(), self.program.inits.len()));
        if self.bodies_wait() {
            self.keep_lazy_package(path);
        }
        let mut checked = std::mem::replace(&mut self.pkg, importer);
        let scope = checked.scopes.pop().unwrap_or_default();
        self.packages.insert(path.to_string(), Some(CheckedPackage { scope, imports: checked.imports }));
    }

    /// The import path of the package being checked when it is a stdlib
    /// package (its defined types are spelled `pkg.T`), `None` in the program.
    pub(super) fn std_package(&self) -> Option<String> {
        (self.pkg.path != "main").then(|| self.pkg.path.clone())
    }

    /// What the exported `name` of the checked stdlib package `path` means.
    /// A variable of it still waiting (lazy_vars.rs) is checked now.
    pub(super) fn package_member(&mut self, path: &str, name: &str) -> Option<Binding> {
        if !is_exported(name) {
            return None;
        }
        self.check_waiting_var(path, name);
        self.package_member_quietly(path, name)
    }

    /// What the exported `name` of `path` means, without checking a
    /// variable of it that waits (`None` then).
    pub(super) fn package_member_quietly(&self, path: &str, name: &str) -> Option<Binding> {
        if !is_exported(name) {
            return None;
        }
        let package = self.packages.get(path)?.as_ref()?;
        package.scope.names.get(name).map(|(binding, _)| binding.clone())
    }

    /// Runs `f` with only the universe and the package scope of `path` in
    /// view (and its imports), as a stdlib declaration's names resolve.
    pub(super) fn in_package<R>(&mut self, path: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        if path == self.pkg.path {
            let saved: Vec<Scope> = self.pkg.scopes.drain(1.min(self.pkg.scopes.len())..).collect();
            let result = f(self);
            self.pkg.scopes.extend(saved);
            return result;
        }
        // Only the scopes and imports are the other package's: the rest of
        // the package context (its path, file, pending declarations) stays
        // the current package's.
        let saved = std::mem::take(&mut self.pkg.scopes);
        let package = self.packages.get_mut(path).and_then(Option::take);
        let result = match package {
            Some(CheckedPackage { scope, imports }) => {
                self.pkg.scopes.push(scope);
                let saved_imports = std::mem::replace(&mut self.pkg.imports, imports);
                let result = f(self);
                let imports = std::mem::replace(&mut self.pkg.imports, saved_imports);
                let scope = self.pkg.scopes.pop().unwrap_or_default();
                self.packages.insert(path.to_string(), Some(CheckedPackage { scope, imports }));
                result
            }
            None => f(self),
        };
        self.pkg.scopes = saved;
        result
    }

    /// Checks one package's file, leaving its package scope on the scope
    /// stack: the program's, or a stdlib package's (`PackageCtx::path`).
    pub(super) fn check_package(&mut self, file: &'a ast::File) {
        self.pkg.file = Some(file);
        let is_std = self.pkg.path != "main";
        // Only g2n's own packages bind bodyless functions and uninitialized
        // variables to the runtime by convention (`StdPackage::new`).
        let hand_written = is_std && !self.stdlib.is_source(&self.pkg.path);
        let first_named = self.program.types.named.len();
        // Package block: imports, then every function's signature, so that
        // bodies can call functions declared later in the file.
        self.pkg.scopes.push(Scope::default());
        let mut files: Vec<g2n_base::FileId> = file.imports.iter().map(|i| i.span.file).collect();
        files.extend(file.decls.iter().map(|decl| match decl {
            ast::Decl::Func(func) => func.span.file,
            ast::Decl::Gen(gen_decl) => gen_decl.span.file,
        }));
        files.sort();
        files.dedup();
        if files.len() > 1 {
            self.pkg.files = files;
        }
        for import in &file.imports {
            self.declare_import(import);
        }
        // Defined types: every name first, then their underlying types.
        let mut type_decls = Vec::new();
        for decl in &file.decls {
            let ast::Decl::Gen(gen_decl) = decl else { continue };
            if gen_decl.kind == ast::GenKind::Type {
                let declared = self.declare_types(gen_decl);
                type_decls.push((gen_decl, declared));
            }
        }
        // Methods of generic types are kept for each instantiation (before
        // any type is resolved, since resolving may instantiate).
        for decl in &file.decls {
            let ast::Decl::Func(func) = decl else { continue };
            if let Some(index) = self.generic_receiver(func) {
                self.generic_types[index].methods.push(generics::name_blank_receiver_params(func));
            }
        }
        let mut runtime_vars = Vec::new();
        for decl in &file.decls {
            let ast::Decl::Gen(gen_decl) = decl else { continue };
            if matches!(gen_decl.kind, ast::GenKind::Const | ast::GenKind::Var) {
                // Borrowed unless some specs are dropped: a copy of every
                // declaration was a tenth of checking the library (unicode's
                // tables are one `var` block each).
                let mut gen_decl = std::borrow::Cow::Borrowed(gen_decl);
                if hand_written && gen_decl.kind == ast::GenKind::Var {
                    // Typed variables without initializer are the runtime's.
                    gen_decl.to_mut().specs.retain(|spec| match spec {
                        ast::Spec::Value { names, ty: Some(ty), values, .. } if values.is_empty() => {
                            runtime_vars.push((names.clone(), ty.clone()));
                            false
                        }
                        _ => true,
                    });
                }
                let gen_decl = std::rc::Rc::new(gen_decl);
                for (spec_index, spec) in gen_decl.specs.iter().enumerate() {
                    let index = self.pkg.pending_decls.len();
                    if let ast::Spec::Value { names, .. } = spec {
                        for name in names {
                            self.pkg.pending_names.entry(name.name.clone()).or_insert(index);
                        }
                    }
                    self.pkg.pending_decls.push(Some((gen_decl.clone(), spec_index)));
                }
            }
        }
        self.resolve_types(&type_decls);
        for (names, ty) in runtime_vars {
            let ty = self.resolve_type(&ty);
            for name in names {
                let symbol = crate::stdlib::runtime_symbol(&self.pkg.path, &name.name);
                self.declare(&name.name, Binding::StdVar(symbol, ty), name.span);
            }
        }
        let mut bodies = Vec::new();
        for decl in &file.decls {
            let ast::Decl::Func(func) = decl else { continue };
            if is_std && func.body.is_none() && func.recv.is_none() && self.stdlib.func(&self.pkg.path, &func.name.name).is_some() {
                // A runtime intrinsic: its signature is resolved at each use.
                let binding = Binding::StdFunc(self.pkg.path.clone(), func.name.name.clone());
                self.declare(&func.name.name, binding, func.name.span);
                continue;
            }
            if self.generic_receiver(func).is_some() {
                continue;
            }
            if !func.type_params.is_empty() {
                if func.recv.is_some() {
                    self.unsupported("methods with type parameters", func.span);
                } else {
                    self.declare_generic_func(func);
                }
                continue;
            }
            let Some(id) = self.declare_func(func) else { continue };
            bodies.push((id, func));
        }
        self.synthesize_promoted_methods(first_named);
        self.check_deferred_bodies();
        // Package-level constants and variables, in source order (those an
        // earlier one needed are checked already).
        // A library package's variables whose initializers have no effect
        // wait until something uses them (lazy_vars.rs).
        let vars_wait = self.bodies_wait();
        for index in 0..self.pkg.pending_decls.len() {
            if vars_wait && self.var_waits(index) {
                continue;
            }
            self.func.name = String::new();
            self.check_pending_decl(index);
        }
        let bodies_wait = self.bodies_wait();
        for (id, func) in bodies {
            if !self.defer_body(id, func, bodies_wait) {
                self.check_func_body(id, func);
            }
        }
        self.mark_imports_used_by_generic_code();
        // An import that only a waiting body uses is not unused: the check
        // is for packages checked in full.
        let imports_checked = !bodies_wait;
        for import in self.pkg.imports.iter().filter(|_| imports_checked) {
            if !import.used {
                self.errors.push(SemaError::ImportedNotUsed {
                    path: import.path.clone(),
                    alias: import.alias.clone().map(|a| format!(" as {a}")).unwrap_or_default(),
                    span: import.span,
                });
            }
        }
    }

    fn declare_import(&mut self, import: &ast::ImportSpec) {
        let known = import.path == unsafe_pkg::UNSAFE || self.stdlib.package(&import.path).is_some();
        if !known {
            self.errors.push(SemaError::UnknownPackage { path: import.path.clone(), span: import.path_span });
        }
        // A package is named by its package clause (a module's package
        // `hi` in directory greet is `hi`), which for Go's library is the
        // last element of its path.
        let default_name = match self.stdlib.package(&import.path) {
            Some(package) if known => package.file.package.name.clone(),
            _ => default_name_of(&import.path),
        };
        let (name, span) = match &import.alias {
            Some(alias) => (alias.name.clone(), alias.span),
            None => (default_name.clone(), import.path_span),
        };
        if name == "_" {
            // `import _ "path"`: the package is loaded (and initialized)
            // with the importer's other imports; no name is bound.
            return;
        }
        if name == "." {
            self.declare_dot_import(import, known);
            return;
        }
        let index = self.pkg.imports.len();
        let alias = import.alias.as_ref().map(|a| a.name.clone()).filter(|a| *a != default_name);
        // Another file of the package importing the same name: imports are
        // file-scoped, so both stand; uses pick their file's (`import_for_use`).
        let other_file = self.pkg.imports.iter().any(|i| i.name == name && i.span.file != import.span.file);
        // An unknown package is reported once, above: never as unused too.
        self.pkg.imports.push(Import { path: import.path.clone(), name: name.clone(), alias, span: import.span, used: !known, known });
        if !other_file {
            self.declare(&name, Binding::Package(index), span);
        }
    }

    /// `import . "path"`: the package's exported names are declared in the
    /// importing package's scope ([Go spec: Import declarations](https://go.dev/ref/spec#Import_declarations)
    /// puts them in the file's block; a package-level declaration of the
    /// same name conflicts in Go too). Another file of the package that
    /// dot-imports the same package adds nothing. Such an import counts as
    /// used.
    fn declare_dot_import(&mut self, import: &ast::ImportSpec, known: bool) {
        let already = self.pkg.imports.iter().any(|i| i.name == "." && i.path == import.path);
        self.pkg.imports.push(Import {
            path: import.path.clone(),
            name: ".".to_string(),
            alias: Some(".".to_string()),
            span: import.span,
            used: true,
            known,
        });
        if already || !known {
            return;
        }
        self.check_waiting_vars(&import.path);
        let Some(Some(package)) = self.packages.get(&import.path) else { return };
        let mut members: Vec<(String, Binding)> = package
            .scope
            .names
            .iter()
            .filter(|(name, _)| is_exported(name))
            .map(|(name, (binding, _))| (name.clone(), binding.clone()))
            .collect();
        members.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, binding) in members {
            self.declare(&name, binding, import.span);
        }
    }

    /// The import that a use at `use_span` of a name bound to import `index`
    /// denotes. Go's imports are file-scoped: in a package of several files
    /// (`PackageCtx::files`) it is the import of that name in the use's own
    /// file, and `None` when that file does not import it (the name is then
    /// undefined there).
    pub(super) fn import_for_use(&self, index: usize, use_span: Span) -> Option<usize> {
        let import = self.pkg.imports.get(index)?;
        if import.span.file == use_span.file || !self.pkg.files.contains(&use_span.file) {
            return Some(index);
        }
        self.pkg.imports.iter().position(|i| i.name == import.name && i.span.file == use_span.file)
    }

    /// Whether import `index` names a package that does not exist (its uses
    /// are silent: the import was reported).
    pub(super) fn unknown_import(&self, index: usize) -> bool {
        self.pkg.imports.get(index).is_some_and(|i| !i.known)
    }

    /// Generic code is checked per instantiation only; what Go checks once in
    /// generic form and g2n never instantiates still uses its imports.
    fn mark_imports_used_by_generic_code(&mut self) {
        // (file, qualifier): a use marks the import of its own file.
        let mut names = std::collections::BTreeSet::new();
        for func in &self.generic_funcs {
            g2n_syntax::visit::qualifiers_in_func(func, &mut |name| {
                names.insert((func.span.file, name.to_string()));
            });
        }
        for generic in &self.generic_types {
            let definition = generics::generic_type_definition(generic);
            g2n_syntax::visit::qualifiers_in_type(definition, &mut |name| {
                names.insert((definition.span.file, name.to_string()));
            });
            for method in &generic.methods {
                g2n_syntax::visit::qualifiers_in_func(method, &mut |name| {
                    names.insert((method.span.file, name.to_string()));
                });
            }
        }
        for (file, name) in names {
            if let Some(Binding::Package(index)) = self.lookup(&name).cloned()
                && let Some(import) = self.import_for_use(index, Span::new(file, 0, 0)).and_then(|i| self.pkg.imports.get_mut(i))
            {
                import.used = true;
            }
        }
    }
}

/// The name a package gets when imported without one.
fn default_name_of(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

impl<'a> Checker<'a> {
    /// See [`crate::runtime_declarations`]: loads every stdlib package and
    /// resolves each runtime-implemented declaration in its package.
    pub(crate) fn runtime_declarations(mut self) -> (hir::Program, Vec<crate::stdlib::RuntimeDecl>) {
        let stdlib = self.stdlib;
        let paths: Vec<&str> = stdlib.paths().collect();
        for path in &paths {
            self.load_package(path);
        }
        let mut decls = Vec::new();
        for path in paths {
            let Some(package) = stdlib.package(path) else { continue };
            for (name, func) in &package.funcs {
                let signature = self.std_signature(path, func);
                let intrinsic = hir::Intrinsic::lookup(path, name).is_some();
                decls.push(crate::stdlib::RuntimeDecl {
                    qualified: format!("{path}.{name}"),
                    symbol: func.symbol.clone(),
                    signature,
                    intrinsic,
                });
            }
            for (name, ty) in &package.vars {
                let ty = self.in_package(path, |this| this.resolve_type(ty));
                decls.push(crate::stdlib::RuntimeDecl {
                    qualified: format!("{path}.{name}"),
                    symbol: crate::stdlib::runtime_symbol(path, name),
                    signature: Signature { params: Vec::new(), results: vec![ty], variadic: false },
                    intrinsic: false,
                });
            }
        }
        (self.program, decls)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written packages with every source package they import
    /// (fmt imports errors and io, crypto/rand math/big), installed as the library `crate::check`
    /// uses; the test programs' files are FileId 0.
    fn library() -> &'static crate::stdlib::StdLib {
        static LIBRARY: std::sync::OnceLock<&'static crate::stdlib::StdLib> = std::sync::OnceLock::new();
        LIBRARY.get_or_init(|| {
            let (imports, _) = g2n_syntax::parse_file(
                g2n_base::FileId(0),
                "package main\nimport (\"bufio\"; \"crypto/rand\"; \"fmt\"; \"os\"; \"strings\"; \"sort\"; \"flag\")\n",
            );
            crate::goroot_tree::install_library(&[&imports], 1);
            crate::stdlib()
        })
    }

    /// Every stdlib package parses, and checks without a diagnostic in its
    /// own scope (a problem there is a bug in g2n, not in a program).
    #[test]
    fn every_stdlib_package_checks() {
        let stdlib = library();
        let problems = stdlib.problems();
        assert!(problems.is_empty(), "{problems:?}");
        for path in stdlib.paths() {
            let mut checker = Checker::new(stdlib, FreeVars::Forbidden);
            checker.lazy_library = false;
            checker.load_package(path);
            let errors: Vec<String> = checker.errors.iter().map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{path}: {errors:?}");
            assert!(checker.package_member(path, "nonexistent").is_none());
        }
    }

    fn check_source(source: &str) -> (hir::Program, Vec<String>) {
        library();
        let (file, syntax) = g2n_syntax::parse_file(g2n_base::FileId(0), source);
        assert!(syntax.is_empty(), "{syntax:?}");
        let (program, errors) = crate::check(&file, FreeVars::Forbidden);
        (program, errors.iter().map(|e| e.to_string()).collect())
    }

    /// Stdlib types are qualified by their package, and their unexported
    /// members are out of the program's reach as in Go.
    #[test]
    fn stdlib_types_and_unexported_members() {
        let (program, errors) = check_source(
            "package main\nimport (\"bufio\"; \"os\"; \"strings\")\nfunc main() {\n\tw := bufio.NewWriter(os.Stdout)\n\t_ = w.buf\n\tvar b strings.Builder\n\tb.grow(1)\n\t_ = bufio.defaultBufSize\n\tvar x bufio.Nope\n\t_ = x\n\tvar e embeds\n\t_ = e.buf\n\te.WriteString(\"ok\")\n}\ntype embeds struct{ strings.Builder }\n",
        );
        assert_eq!(
            errors,
            [
                "invalid operation: w.buf undefined (type *bufio.Writer has no field or method buf)",
                "invalid operation: b.grow undefined (type strings.Builder has no field or method grow)",
                "undefined: bufio.defaultBufSize",
                "undefined: bufio.Nope",
                "invalid operation: e.buf undefined (type embeds has no field or method buf)",
            ]
        );
        let named: Vec<String> = program.types.named.iter().map(|n| format!("{}.{}", n.package_name(), n.name)).collect();
        assert!(named.contains(&"bufio.Writer".to_string()), "{named:?}");
    }

    /// An unknown package is reported once, at its import: its uses, and
    /// the variables that only they use, raise nothing more (issue 20).
    #[test]
    fn an_unknown_import_is_reported_once() {
        let (_, errors) = check_source(
            "package main\nimport (\"fmt\"; \"tme\")\nfunc main() {\n\tstart := tme.Now()\n\tvar d tme.Duration = 3 * tme.Second\n\tfmt.Println(d, tme.Since(start))\n}\n",
        );
        assert_eq!(errors, ["package tme is not in g2n's standard library"]);
    }

    /// A call of a member a known package lacks, a literal of an unknown
    /// package's type, and `a, b :=` of such a call or of the wrong count
    /// are reported once: the variables and imports their arguments and
    /// elements use (through elided literals) are used, and the names
    /// they define are declared (Go's own tests, under g2n test, name
    /// os.Mkdir, os.Open, os.DirFS and testing/fstest.MapFS this way; here
    /// of sync, one of g2n's own packages, as these tests load no GOROOT).
    #[test]
    fn undefined_members_and_unknown_literals_use_their_operands() {
        let (_, errors) = check_source(
            "package main\nimport (\"sync\"; \"strings\"; \"tme\")\nfunc main() {\n\tdir := \"d\"\n\tsync.Mkdir(strings.ToUpper(dir), 0o755)\n\tn := 3\n\t_ = tme.Map{\"a\": {Size: n, Kids: []int{n}}}\n\tf, err := sync.Open(dir)\n\tif err != nil {\n\t\tf.Close()\n\t}\n\tg, h := strings.ToUpper(dir)\n\t_ = g\n}\n",
        );
        assert_eq!(
            errors,
            [
                "package tme is not in g2n's standard library",
                "undefined: sync.Mkdir",
                "undefined: sync.Open",
                "assignment mismatch: 2 variables but strings.ToUpper returns 1 value",
            ]
        );
    }

    /// A program cannot add methods to a stdlib type.
    #[test]
    fn no_methods_on_stdlib_types() {
        let (_, errors) = check_source("package main\nimport \"strings\"\nfunc (b *strings.Builder) Foo() {}\nfunc main() {}\n");
        assert_eq!(errors, ["cannot define new methods on non-local type strings.Builder"]);
    }

    /// A library of the hand-written packages and one source package `lnk`
    /// of the given files (ids 1, 2, ...), with their `//go:linkname`s.
    fn with_linknames(files: &[&str]) -> crate::stdlib::StdLib {
        let mut parsed = Vec::new();
        let mut linknames = Vec::new();
        for (index, text) in files.iter().enumerate() {
            let id = g2n_base::FileId(index as u32 + 1);
            let (file, syntax) = g2n_syntax::parse_file(id, text);
            assert!(syntax.is_empty(), "{syntax:?}");
            linknames.extend(g2n_syntax::linknames(id, text));
            parsed.push(file);
        }
        let package = crate::stdlib::SourcePackage { path: "lnk".to_string(), files: parsed, has_assembly: false, linknames };
        crate::stdlib::StdLib::load().with_source_packages([package])
    }

    /// `//go:linkname local importpath.name` binds a bodyless function to
    /// the runtime function g2n provides for the target (as time's
    /// `runtimeNano` to `runtime.nanotime`); a linkname to a runtime
    /// function g2n does not provide is left for codegen to report if
    /// reached; one to another Go package's function is unlinked (its body
    /// panics); one in a file without `import _ "unsafe"` is Go's error at
    /// the directive.
    #[test]
    fn linkname_binds_bodyless_functions_to_the_runtime() {
        let stdlib = with_linknames(&[
            "package lnk\n\nimport _ \"unsafe\"\n\n//go:linkname pid runtime.nanotime\nfunc pid() int64\n\n\
             //go:linkname pin runtime.procPin\nfunc pin() int64\n\n//go:linkname send syscall.sendto\nfunc send() int64\n\n\
             func Use() int64 { return pid() + pin() + send() }\n",
            "package lnk\n\n//go:linkname other runtime.nanotime\nfunc other() int64\n",
        ]);
        let package = stdlib.package("lnk").expect("loaded");
        assert_eq!(package.funcs.get("pid").map(|f| f.symbol.as_str()), Some("g2n_std_runtime_nanotime"));
        assert_eq!(package.funcs.get("other").map(|f| f.symbol.as_str()), Some("g2n_std_runtime_nanotime"));
        assert_eq!(package.unlinked.get("send").map(String::as_str), Some("syscall.sendto"));
        assert!(!package.funcs.contains_key("pin"));
        assert_eq!(package.unbound.get("pin").map(String::as_str), Some("runtime.procPin"));
        assert_eq!(package.misplaced_linknames.len(), 1);
        assert_eq!(package.misplaced_linknames[0].file, g2n_base::FileId(2));

        let mut checker = Checker::new(&stdlib, FreeVars::Forbidden);
        // Every body checked, as `g2n test lnk` would (otherwise a body
        // waits until the program reaches it: check/lazy_bodies.rs).
        checker.lazy_library = false;
        checker.load_package("lnk");
        let errors: Vec<String> = checker.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors, ["//go:linkname only allowed in Go files that import \"unsafe\""]);
        let unbound: Vec<(String, String)> =
            checker.program.unbound.iter().map(|(id, message)| (checker.program.func(*id).name.clone(), message.clone())).collect();
        assert_eq!(unbound, [("pin".to_string(), "lnk.pin is bound by //go:linkname to runtime.procPin, which g2n's runtime does not provide".to_string())]);
        // The call of `nano` is a call of the runtime function.
        let calls: Vec<&str> = checker
            .program
            .exprs
            .iter()
            .filter_map(|e| match &e.kind {
                hir::ExprKind::StdCall { symbol, .. } => Some(symbol.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(calls, ["g2n_std_runtime_nanotime"]);
    }

    /// A linkname to a function of another source package (time/tzdata's
    /// into time) is linked when that package declares it with the same
    /// signature: the target package is loaded first, though not imported,
    /// and the bodyless function calls its function. With another
    /// signature it stays unlinked (a body that panics).
    #[test]
    fn linkname_to_a_go_function_of_another_package_calls_it() {
        let parse = |path: &str, id: u32, text: &str| {
            let id = g2n_base::FileId(id);
            let (file, syntax) = g2n_syntax::parse_file(id, text);
            assert!(syntax.is_empty(), "{syntax:?}");
            let linknames = g2n_syntax::linknames(id, text);
            crate::stdlib::SourcePackage { path: path.to_string(), files: vec![file], has_assembly: false, linknames }
        };
        let pusher = parse(
            "lnk",
            1,
            "package lnk\n\nimport _ \"unsafe\"\n\n//go:linkname register tgt.register\nfunc register(func(string) int)\n\n\
             //go:linkname wrong tgt.wrong\nfunc wrong(int) int\n\nfunc init() { register(nil); _ = wrong(1) }\n",
        );
        let target =
            parse("tgt", 2, "package tgt\n\nvar hook func(string) int\n\nfunc register(f func(string) int) { hook = f }\n\nfunc wrong(s string) int { return len(s) }\n");
        let stdlib = crate::stdlib::StdLib::load().with_source_packages([pusher, target]);
        let mut checker = Checker::new(&stdlib, FreeVars::Forbidden);
        checker.lazy_library = false;
        checker.load_package("lnk");
        assert!(checker.errors.is_empty(), "{:?}", checker.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>());
        assert!(checker.packages.contains_key("tgt"), "the target package is loaded");
        let func_named = |name: &str| {
            (0..checker.program.funcs.len())
                .map(|i| FuncId(i as u32))
                .filter(|id| checker.program.func(*id).name == name)
                .collect::<Vec<_>>()
        };
        // Two functions named `register`: lnk's (declared second: tgt is
        // loaded first) calls tgt's.
        let [tgt_register, lnk_register] = func_named("register")[..] else { panic!("two register functions") };
        let calls: Vec<FuncId> = checker
            .program
            .func(lnk_register)
            .body
            .stmts
            .iter()
            .filter_map(|stmt| match &stmt.kind {
                hir::StmtKind::Expr(e) => match &checker.program.expr(*e).kind {
                    hir::ExprKind::Call { func, .. } => Some(*func),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        assert_eq!(calls, [tgt_register]);
        // `wrong`'s signatures differ: lnk's panics, as before.
        let [_, lnk_wrong] = func_named("wrong")[..] else { panic!("two wrong functions") };
        let panics = checker.program.func(lnk_wrong).body.stmts.iter().any(|stmt| {
            matches!(&stmt.kind, hir::StmtKind::Expr(e) if matches!(checker.program.expr(*e).kind, hir::ExprKind::Intrinsic { which: Intrinsic::Panic, .. }))
        });
        assert!(panics);
    }

    /// Without a linkname, a bodyless function of a source package that the
    /// runtime does not provide is still "missing function body".
    #[test]
    fn a_bodyless_function_without_binding_is_missing_its_body() {
        let stdlib = with_linknames(&["package lnk\n\nfunc nobody() int\n"]);
        let mut checker = Checker::new(&stdlib, FreeVars::Forbidden);
        // Every body checked, as `g2n test lnk` would (otherwise a body
        // waits until the program reaches it: check/lazy_bodies.rs).
        checker.lazy_library = false;
        checker.load_package("lnk");
        let errors: Vec<String> = checker.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors, ["missing function body"]);
        assert!(checker.program.unbound.is_empty());
    }
}
