//! The abstract syntax tree: a plain tree of boxed nodes, each with the byte
//! span of the source it came from. Nothing here is resolved or typed; names are
//! strings and sema gives them meaning.
//!
//! Node docs link the section of the [Go specification](https://go.dev/ref/spec)
//! they model.

use g2n_base::Span;
use serde::{Deserialize, Serialize};

/// An identifier with its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ident {
    pub name: String,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

/// A whole source file. See [Go spec: Source file organization](https://go.dev/ref/spec#Source_file_organization).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct File {
    pub package: Ident,
    pub imports: Vec<ImportSpec>,
    pub decls: Vec<Decl>,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

/// A `//go:linkname local [importpath.name]` directive (read from the
/// comments by [`crate::linknames`], not by the grammar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Linkname {
    /// The name declared in this package.
    pub local: String,
    /// The import path and name it is bound to; `None` in the one-argument
    /// form, which only marks `local` as reachable from elsewhere.
    pub target: Option<(String, String)>,
    /// The directive's line.
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

/// See [Go spec: Import declarations](https://go.dev/ref/spec#Import_declarations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSpec {
    /// `import f "fmt"` names the package `f`; `.` and `_` are kept as idents.
    pub alias: Option<Ident>,
    /// The import path without quotes.
    pub path: String,
    #[serde(with = "crate::cached::span")]
    pub path_span: Span,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

/// A top-level declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Decl {
    Func(FuncDecl),
    /// `var`, `const` or `type`, possibly grouped.
    Gen(GenDecl),
}

/// See [Go spec: Function declarations](https://go.dev/ref/spec#Function_declarations)
/// and [Method declarations](https://go.dev/ref/spec#Method_declarations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FuncDecl {
    pub recv: Option<Param>,
    pub name: Ident,
    pub type_params: Vec<TypeParam>,
    pub sig: FuncSig,
    /// `None` for a declaration without body (used by `stdlib/` intrinsics).
    /// A deferred body (see `deferred`) is here as an empty block with the
    /// body's span: read a body through [`FuncDecl::full_body`].
    pub body: Option<Block>,
    /// The body of a library function, parsed when first asked for
    /// ([`crate::parse_library_file`]); `None` when `body` is the whole body.
    /// Not stored: [`crate::cached`] gives it back from `body`'s span.
    #[serde(skip)]
    pub deferred: Option<std::sync::Arc<crate::deferred::DeferredBody>>,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

impl FuncDecl {
    /// The body, parsed now if it was deferred. A deferred body that does
    /// not parse is empty here; its errors come from
    /// [`crate::deferred::DeferredBody::take_errors`].
    pub fn full_body(&self) -> Option<&Block> {
        match &self.deferred {
            Some(deferred) => Some(deferred.block()),
            None => self.body.as_ref(),
        }
    }
}

/// See [Go spec: Type parameter declarations](https://go.dev/ref/spec#Type_parameter_declarations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeParam {
    pub name: Ident,
    pub constraint: TypeExpr,
}

/// See [Go spec: Function types](https://go.dev/ref/spec#Function_types).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FuncSig {
    pub params: Vec<Param>,
    pub results: Vec<Param>,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

/// One parameter or result. Grouped names (`a, b int`) are split into one
/// `Param` each, sharing the type expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub name: Option<Ident>,
    pub ty: TypeExpr,
    /// `...T` in the last parameter.
    pub variadic: bool,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GenKind {
    Var,
    Const,
    Type,
}

/// `var`, `const` or `type` with one spec or a parenthesised group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenDecl {
    pub kind: GenKind,
    pub specs: Vec<Spec>,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Spec {
    /// See [Go spec: Variable declarations](https://go.dev/ref/spec#Variable_declarations)
    /// and [Constant declarations](https://go.dev/ref/spec#Constant_declarations).
    /// In a const group, an empty `values` repeats the previous spec's (with `iota`).
    Value {
        names: Vec<Ident>,
        ty: Option<TypeExpr>,
        values: Vec<Expr>,
        #[serde(with = "crate::cached::span")]
        span: Span,
    },
    /// See [Go spec: Type declarations](https://go.dev/ref/spec#Type_declarations).
    Type {
        name: Ident,
        type_params: Vec<TypeParam>,
        /// `type A = B`.
        alias: bool,
        ty: TypeExpr,
        #[serde(with = "crate::cached::span")]
        span: Span,
    },
}

/// See [Go spec: Types](https://go.dev/ref/spec#Types).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TypeExprKind {
    /// `int`, `T`, or `pkg.T`.
    Name { pkg: Option<Ident>, name: Ident, type_args: Vec<TypeExpr> },
    Pointer(Box<TypeExpr>),
    /// `[N]T`; `len` is `None` for `[...]T` in a composite literal.
    Array { len: Option<Box<Expr>>, elem: Box<TypeExpr> },
    Slice(Box<TypeExpr>),
    Map { key: Box<TypeExpr>, value: Box<TypeExpr> },
    Chan { dir: ChanDir, elem: Box<TypeExpr> },
    Func(FuncSig),
    Struct(Vec<FieldDecl>),
    Interface(Vec<InterfaceElem>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChanDir {
    Both,
    Send,
    Recv,
}

/// One field line of a struct type; `names` is empty for an embedded field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDecl {
    pub names: Vec<Ident>,
    pub ty: TypeExpr,
    pub tag: Option<String>,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum InterfaceElem {
    Method { name: Ident, sig: FuncSig },
    /// An embedded interface or a type-set term list `~int | string`.
    Union(Vec<TypeTerm>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeTerm {
    pub tilde: bool,
    pub ty: TypeExpr,
}

/// See [Go spec: Blocks](https://go.dev/ref/spec#Blocks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

/// See [Go spec: Statements](https://go.dev/ref/spec#Statements).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stmt {
    pub kind: StmtKind,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StmtKind {
    /// A declaration inside a function body.
    Decl(GenDecl),
    /// `x := e`, `a, b := f()`.
    ShortVarDecl { names: Vec<Ident>, values: Vec<Expr> },
    /// `a = b`, `a, b = b, a`, and `a op= b` (then `op` is `Some`).
    Assign { lhs: Vec<Expr>, op: Option<BinaryOp>, rhs: Vec<Expr> },
    IncDec { target: Expr, inc: bool },
    Expr(Expr),
    /// `ch <- v`.
    Send { chan: Expr, value: Expr },
    Block(Block),
    If {
        init: Option<Box<Stmt>>,
        cond: Expr,
        then: Block,
        /// Either an `If` statement or a `Block` statement.
        els: Option<Box<Stmt>>,
    },
    /// All three `for` forms except `range`.
    For {
        init: Option<Box<Stmt>>,
        cond: Option<Expr>,
        post: Option<Box<Stmt>>,
        body: Block,
    },
    /// `for k, v := range x` (`define`) or `for k, v = range x`.
    ForRange {
        key: Option<Expr>,
        value: Option<Expr>,
        define: bool,
        expr: Expr,
        body: Block,
    },
    Switch {
        init: Option<Box<Stmt>>,
        tag: Option<Expr>,
        clauses: Vec<CaseClause>,
    },
    /// `switch v := x.(type) { ... }`.
    TypeSwitch {
        init: Option<Box<Stmt>>,
        binding: Option<Ident>,
        expr: Expr,
        clauses: Vec<TypeCaseClause>,
    },
    Select { clauses: Vec<SelectClause> },
    Return(Vec<Expr>),
    Break(Option<Ident>),
    Continue(Option<Ident>),
    Goto(Ident),
    Fallthrough,
    Labeled { label: Ident, stmt: Box<Stmt> },
    Go(Expr),
    Defer(Expr),
    /// The dialect's statement: `goToNetwork 'name'` or `goToNetwork "name"`.
    GoToNetwork {
        target: String,
        #[serde(with = "crate::cached::span")]
        target_span: Span,
    },
    Empty,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseClause {
    /// Empty for `default:`.
    pub exprs: Vec<Expr>,
    pub is_default: bool,
    pub body: Vec<Stmt>,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeCaseClause {
    /// `None` entries stand for the `nil` case.
    pub types: Vec<Option<TypeExpr>>,
    pub is_default: bool,
    pub body: Vec<Stmt>,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectClause {
    /// `None` for `default:`; otherwise a send, receive or receive-assign statement.
    pub comm: Option<Box<Stmt>>,
    pub body: Vec<Stmt>,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

/// See [Go spec: Expressions](https://go.dev/ref/spec#Expressions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expr {
    pub kind: ExprKind,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ExprKind {
    Ident(Ident),
    /// The literal's source text, e.g. `0x1F`, `1_000`.
    IntLit(String),
    FloatLit(String),
    ImagLit(String),
    /// The rune literal's source text including quotes.
    RuneLit(String),
    /// The decoded value of a string literal (interpreted or raw): bytes,
    /// as `"\xff"` need not be UTF-8.
    StringLit(Vec<u8>),
    /// `T{...}`; `ty` is `None` for an elided type inside another literal.
    /// Boxed, as `FuncLit`'s parts are, so that an expression is 64 bytes
    /// and not 160 (its largest variant's size): a library's tables are
    /// thousands of literals (unicode's 23,000 elements), each element two
    /// expressions, which a build decodes from its parse packs.
    CompositeLit { ty: Option<Box<TypeExpr>>, elems: Vec<KeyedElement> },
    FuncLit { sig: Box<FuncSig>, body: Box<Block> },
    Paren(Box<Expr>),
    /// `x.sel`: a package member, a field, or a method.
    Selector { base: Box<Expr>, sel: Ident },
    /// `a[i]`; with several indices, a generic instantiation `f[int, string]`.
    Index { base: Box<Expr>, indices: Vec<Expr> },
    Slice { base: Box<Expr>, lo: Option<Box<Expr>>, hi: Option<Box<Expr>>, max: Option<Box<Expr>> },
    /// `x.(T)`.
    TypeAssert { base: Box<Expr>, ty: Box<TypeExpr> },
    Call { func: Box<Expr>, args: Vec<Expr>, ellipsis: bool },
    Unary { op: UnaryOp, operand: Box<Expr> },
    Binary { op: BinaryOp, lhs: Box<Expr>, rhs: Box<Expr> },
    /// A type in expression position: `[]int` in `make([]int, n)`, or a
    /// conversion's callee such as `[]byte(s)`.
    Type(Box<TypeExpr>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyedElement {
    /// Boxed: most elements have no key, and an element is then 88 bytes.
    pub key: Option<Box<Expr>>,
    pub value: Expr,
    #[serde(with = "crate::cached::span")]
    pub span: Span,
}

/// See [Go spec: Operators](https://go.dev/ref/spec#Operators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnaryOp {
    Neg,
    Plus,
    Not,
    BitNot,
    Deref,
    Addr,
    Recv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    Xor,
    Shl,
    Shr,
    AndNot,
    LogAnd,
    LogOr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl BinaryOp {
    /// Go's operator spelling, for dumps and diagnostics.
    pub fn as_str(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Rem => "%",
            And => "&",
            Or => "|",
            Xor => "^",
            Shl => "<<",
            Shr => ">>",
            AndNot => "&^",
            LogAnd => "&&",
            LogOr => "||",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
        }
    }
}
