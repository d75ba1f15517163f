//! The Go code of a nanoservice config formatted in place: the `code:`
//! section's lines are replaced, everything else of the YAML is kept byte for
//! byte.

use g2n_base::{FileId, Span};
use g2n_manifest::config::{self, ConfigError};
use g2n_syntax::SyntaxError;

/// Why a config's code could not be formatted.
#[derive(Debug)]
pub enum ConfigFormatError {
    /// The YAML is not a nanoservice config (spans in the YAML).
    Config(Vec<ConfigError>),
    /// The Go code has syntax errors (spans in the YAML: the code is analysed
    /// at its offsets in the file).
    Syntax(Vec<SyntaxError>),
    /// Something other than code lines sits between the first and the last
    /// code line (a YAML comment, a blank line between items): replacing the
    /// section would lose it.
    Interleaved(Span),
}

/// Formats the Go code of the config `yaml`; `stem` is the file name
/// without extension (the default nanoservice name).
pub fn format_config(file: FileId, yaml: &str, stem: &str) -> Result<String, ConfigFormatError> {
    let (cfg, errors) = config::load(file, yaml, stem);
    let Some(cfg) = cfg else { return Err(ConfigFormatError::Config(errors)) };
    let (_, syntax) = g2n_syntax::parse_file(file, &cfg.go_code);
    if !syntax.is_empty() {
        return Err(ConfigFormatError::Syntax(syntax));
    }
    let (Some(first), Some(last)) = (cfg.code_lines.first(), cfg.code_lines.last()) else {
        return Ok(yaml.to_owned());
    };
    let section_start = yaml[..first.start as usize].rfind('\n').map_or(0, |i| i + 1);
    let section_end = last.end as usize;
    let physical_lines = yaml[section_start..section_end].split('\n').count();
    if physical_lines != cfg.code_lines.len() {
        return Err(ConfigFormatError::Interleaved(Span::new(file, first.start, last.end)));
    }
    let prefix = &yaml[section_start..first.start as usize];
    let is_sequence = prefix.trim_end().ends_with('-');
    let formatted = crate::format_go(file, &cfg.source_text()).map_err(ConfigFormatError::Syntax)?;
    let mut section = String::new();
    for (i, line) in formatted.trim_end_matches('\n').split('\n').enumerate() {
        if i > 0 {
            section.push('\n');
        }
        if line.is_empty() {
            if is_sequence {
                section.push_str(prefix.trim_end());
            }
        } else {
            section.push_str(prefix);
            section.push_str(line);
        }
    }
    let line_break = if yaml[section_start..section_end].contains('\r') { "\r\n" } else { "\n" };
    if line_break != "\n" {
        section = section.replace('\n', line_break);
    }
    Ok(format!("{}{}{}", &yaml[..section_start], section, &yaml[section_end..]))
}
