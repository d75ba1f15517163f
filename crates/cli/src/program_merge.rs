//! One Go text from the files of a program (for `g2n split`, whose configs
//! each hold the whole program as one `code:` section): one package clause,
//! the union of the files' imports, then each file's declarations in order.

use g2n_syntax::Token;

/// The text after the package clause and the import declarations of `text`,
/// and those imports as `(name, path text)`.
fn split_file(text: &str) -> (usize, Vec<(Option<String>, String)>) {
    let (tokens, _) = g2n_syntax::lex(g2n_base::FileId(0), text);
    let mut imports = Vec::new();
    let mut i = 0;
    // `package NAME ;`
    while i < tokens.len() && !matches!(tokens[i].1, Token::Package) {
        i += 1;
    }
    i += 2;
    let mut end = tokens.get(i).map_or(text.len(), |t| t.2 as usize);
    i += 1;
    while i < tokens.len() && matches!(tokens[i].1, Token::Import) {
        i += 1;
        let grouped = matches!(tokens.get(i).map(|t| &t.1), Some(Token::LParen));
        if grouped {
            i += 1;
        }
        loop {
            match tokens.get(i).map(|t| &t.1) {
                Some(Token::RParen) if grouped => {
                    i += 1;
                    break;
                }
                Some(Token::Semi) => i += 1,
                Some(Token::Str(path)) => {
                    imports.push((None, path.clone()));
                    i += 1;
                    if !grouped {
                        break;
                    }
                }
                Some(Token::Ident(name)) => {
                    if let Some((_, Token::Str(path), _)) = tokens.get(i + 1) {
                        imports.push((Some(name.clone()), path.clone()));
                    }
                    i += 2;
                    if !grouped {
                        break;
                    }
                }
                Some(Token::Dot) => {
                    if let Some((_, Token::Str(path), _)) = tokens.get(i + 1) {
                        imports.push((Some(".".to_owned()), path.clone()));
                    }
                    i += 2;
                    if !grouped {
                        break;
                    }
                }
                _ => break,
            }
        }
        // The `;` after the declaration.
        end = tokens.get(i).map_or(text.len(), |t| t.2 as usize);
        i += 1;
    }
    (end.min(text.len()), imports)
}

/// The name an import declares in its file.
fn import_name(alias: &Option<String>, path: &str) -> String {
    if let Some(a) = alias {
        return a.clone();
    }
    let unquoted = path.trim_matches(['"', '`']);
    unquoted.rsplit('/').next().unwrap_or(unquoted).to_owned()
}

/// Merges `files` (display name, text): they were checked to be one package.
pub fn merge(files: &[(String, String)]) -> Result<String, String> {
    let mut imports: Vec<(Option<String>, String, &str)> = Vec::new();
    let mut bodies = Vec::new();
    for (name, text) in files {
        let (body_start, file_imports) = split_file(text);
        for (alias, path) in file_imports {
            let declared = import_name(&alias, &path);
            if imports.iter().any(|(a, p, _)| *a == alias && *p == path) {
                continue;
            }
            if declared != "_"
                && declared != "."
                && let Some((_, other, other_file)) = imports.iter().find(|(a, p, _)| import_name(a, p) == declared)
            {
                return Err(format!(
                    "{name} imports {path} as {declared}, and {other_file} imports {other} under that name; \
                     a split config holds the program as one file, so the names must not clash (rename one import)"
                ));
            }
            imports.push((alias, path, name.as_str()));
        }
        bodies.push((name, &text[body_start..]));
    }
    let package = files.first().map(|(_, t)| package_name(t)).unwrap_or_else(|| "main".to_owned());
    let mut out = format!("package {package}\n");
    if !imports.is_empty() {
        out.push_str("\nimport (\n");
        for (alias, path, _) in &imports {
            match alias {
                Some(a) => out.push_str(&format!("\t{a} {path}\n")),
                None => out.push_str(&format!("\t{path}\n")),
            }
        }
        out.push_str(")\n");
    }
    for (name, body) in bodies {
        out.push_str(&format!("\n// From {name}.\n"));
        out.push_str(body.trim_start_matches(['\n', '\r']));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(out)
}

fn package_name(text: &str) -> String {
    let (tokens, _) = g2n_syntax::lex(g2n_base::FileId(0), text);
    tokens
        .windows(2)
        .find_map(|w| match (&w[0].1, &w[1].1) {
            (Token::Package, Token::Ident(name)) => Some(name.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "main".to_owned())
}
