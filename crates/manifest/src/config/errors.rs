//! Errors and warnings of the nanoservice config reader.
//!
//! Every diagnostic carries a [`Span`] into the YAML file (a `SourceDb` file
//! whose display text is the YAML), a stable `g2n::config::*` code that tests
//! and users can rely on, and a `help` that says how to fix it.

use g2n_base::Span;

/// A config error: the nanoservice cannot be built until it is fixed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("nanoservice config has no `code:` key")]
    #[diagnostic(
        code(g2n::config::missing_code),
        help("add a top-level `code:` key whose items are the Go source lines:\ncode:\n  - package main\n  - func main() {{\n  - }}")
    )]
    MissingCode {
        #[label("expected a `code:` key in this file")]
        span: Span,
    },

    #[error("`code:` must be a list of source lines or a literal block `|`")]
    #[diagnostic(
        code(g2n::config::code_shape),
        help("write one `- <Go line>` item per line below `code:`, or `code: |` followed by the indented Go source")
    )]
    CodeShape {
        #[label("unsupported value for `code:`")]
        span: Span,
    },

    #[error("`code: >` would fold the Go source into one line")]
    #[diagnostic(code(g2n::config::folded_code), help("use a literal block: `code: |`"))]
    FoldedCode {
        #[label("folded block scalar")]
        span: Span,
    },

    #[error("this line inside `code:` is not a list item")]
    #[diagnostic(
        code(g2n::config::code_line),
        help("every Go line is its own item: start it with `- ` at the same indentation as the other items")
    )]
    CodeLine {
        #[label("expected `- ` here")]
        span: Span,
    },

    #[error("`code` must be written as a plain key at the start of a line")]
    #[diagnostic(
        code(g2n::config::code_key),
        help("write `code:` unquoted, at the indentation of the other top-level keys")
    )]
    CodeKey {
        #[label("this `code` key is not readable as raw lines")]
        span: Span,
    },

    #[error("`code:` is empty")]
    #[diagnostic(code(g2n::config::empty_code), help("a nanoservice needs at least `package main` and `func main`"))]
    EmptyCode {
        #[label("no Go lines here")]
        span: Span,
    },

    #[error("invalid YAML: {message}")]
    #[diagnostic(
        code(g2n::config::yaml),
        help("everything except `code:` is strict YAML; check the indentation and quoting here")
    )]
    Yaml {
        message: String,
        #[label("here")]
        span: Span,
    },

    #[error("unknown key `{key}` in {section}")]
    #[diagnostic(code(g2n::config::unknown_key))]
    UnknownKey {
        key: String,
        /// Where the key was found: "the nanoservice config" or `goToNetworks.<name>`.
        section: String,
        #[label("not a recognised key")]
        span: Span,
        #[help]
        help: String,
    },

    #[error("invalid {what} `{name}`: {reason}")]
    #[diagnostic(
        code(g2n::config::bad_name),
        help("names are 1 to 64 characters of lowercase letters, digits, `-`, `_` and `.`, not starting with `.` or `-`")
    )]
    BadName {
        /// "nanoservice name", "nanoservice name (from the file name)" or "goToNetworks target".
        what: String,
        name: String,
        reason: String,
        #[label("{reason}")]
        span: Span,
    },

    #[error("port `{value}` is out of range")]
    #[diagnostic(code(g2n::config::bad_port), help("a port is a number from 1 to 65535"))]
    BadPort {
        value: String,
        #[label("not a TCP port")]
        span: Span,
    },

    #[error("`{endpoint}` sets both `password` and `password_env`")]
    #[diagnostic(
        code(g2n::config::both_passwords),
        help("keep only `password_env:` (the name of an environment variable holding the password)")
    )]
    BothPasswords {
        endpoint: String,
        #[label("password_env given here")]
        span: Span,
        #[label("and a plain password here")]
        password_span: Span,
    },

    /// A username with no password would authenticate with the empty
    /// password, which anyone can present.
    #[error("user `{user}` of goToNetworks.{endpoint} has no password")]
    #[diagnostic(
        code(g2n::config::missing_password),
        help("add `password_env:` (the name of an environment variable holding the password), or remove `username:` to use the run's own secret")
    )]
    MissingPassword {
        endpoint: String,
        user: String,
        #[label("this user has neither a non-empty `password` nor `password_env`")]
        span: Span,
    },
}

impl ConfigError {
    /// The primary span of the error (for sorting and tests).
    pub fn span(&self) -> Span {
        match self {
            ConfigError::MissingCode { span }
            | ConfigError::CodeShape { span }
            | ConfigError::FoldedCode { span }
            | ConfigError::CodeLine { span }
            | ConfigError::CodeKey { span }
            | ConfigError::EmptyCode { span }
            | ConfigError::Yaml { span, .. }
            | ConfigError::UnknownKey { span, .. }
            | ConfigError::BadName { span, .. }
            | ConfigError::BadPort { span, .. }
            | ConfigError::BothPasswords { span, .. }
            | ConfigError::MissingPassword { span, .. } => *span,
        }
    }
}

/// A config warning: the nanoservice builds, but something deserves attention.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum ConfigWarning {
    /// The whole advice is in the message: the CLI prints this warning as
    /// one line (issue 20), the seed's own config raising it at every run.
    #[error("the password for `{endpoint}` is in plain text: write `password_env: NAME` instead and export NAME=<password> where the caller runs")]
    #[diagnostic(code(g2n::config::plain_password), severity(Warning))]
    PlainPassword {
        endpoint: String,
        #[label("plain-text password")]
        span: Span,
    },

    #[error("this code line is a quoted string; the quotes become part of the Go code")]
    #[diagnostic(
        code(g2n::config::quoted_code_line),
        severity(Warning),
        help("code lines are taken raw, not as YAML strings: write `- }}` rather than `- \"}}\"`")
    )]
    QuotedCodeLine {
        #[label("taken verbatim, quotes included")]
        span: Span,
    },
}

impl ConfigWarning {
    /// The primary span of the warning.
    pub fn span(&self) -> Span {
        match self {
            ConfigWarning::PlainPassword { span, .. } | ConfigWarning::QuotedCodeLine { span } => *span,
        }
    }
}
