//! The typed, resolved program: the high-level IR that the scope analyser and
//! code generator read. Expressions and locals live in arenas and refer to
//! each other by id; every node keeps the span of the source it came from.

use crate::types::{TypeId, TypeKind, Types};
use g2n_base::Span;
use std::fmt;

macro_rules! entity {
    ($name:ident, $prefix:literal) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

entity!(LocalId, "local");
entity!(ExprId, "e");
entity!(FuncId, "func");

/// A checked program (one nanoservice's source, or a whole Go program).
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub types: Types,
    pub funcs: Vec<Func>,
    pub locals: Vec<Local>,
    pub exprs: Vec<Expr>,
    /// `func main`, if declared.
    pub main: Option<FuncId>,
    /// Every `goToNetwork` statement, in source order; `GoToNetwork { site }`
    /// statements index this list.
    pub hops: Vec<HopSite>,
    /// Package-level variables with their initializers, in initialization order.
    pub global_inits: Vec<(LocalId, Option<ExprId>)>,
    /// `func init()` declarations, in source order; they run before `main`.
    pub inits: Vec<FuncId>,
    /// Where each imported package's part of `global_inits` and `inits`
    /// ends, in the order the packages were checked, imports first:
    /// `(global_inits.len(), inits.len())` once the package is done. What
    /// follows the last is the program's own. Go initialises each package
    /// whole (its variables, then its `init`s) before any importer's, which
    /// an importer's variables can see (flag's `CommandLine` reads `os.Args`,
    /// which os's `init` sets).
    pub package_init_ends: Vec<(usize, usize)>,
    /// When `main` defers: a hidden `[]func()` local (named `%defers`) that
    /// holds main's deferred calls, in `defer` order, while they travel
    /// between the nanoservices of a split program (docs/split.md).
    pub main_defers: Option<LocalId>,
    /// Library functions declared without a body that g2n cannot bind (a
    /// `//go:linkname` to a runtime function g2n does not provide), with
    /// the reason: codegen reports it at the declaration when a function
    /// it compiles refers to one, as Go's linker reports a missing symbol.
    pub unbound: std::collections::BTreeMap<FuncId, String>,
    /// Library functions and methods whose bodies the checker left
    /// unchecked because nothing the program runs reaches them (sema's
    /// check/lazy_bodies.rs): their bodies are empty, so codegen must never
    /// compile one (an internal error if it does).
    pub unchecked: std::collections::BTreeSet<FuncId>,
}

impl Program {
    pub fn local(&self, id: LocalId) -> &Local {
        &self.locals[id.index()]
    }

    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id.index()]
    }

    pub fn func(&self, id: FuncId) -> &Func {
        &self.funcs[id.index()]
    }

    /// Locals that were used without a declaration: in a nanoservice, these
    /// come from the scope of the upstream nanoservices.
    pub fn free_locals(&self) -> impl Iterator<Item = LocalId> + '_ {
        self.locals
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind == LocalKind::Free)
            .map(|(i, _)| LocalId(i as u32))
    }
}

#[derive(Clone, Debug)]
pub struct Func {
    pub name: String,
    pub params: Vec<LocalId>,
    /// Result types, in order.
    pub results: Vec<TypeId>,
    /// Named results (empty when the results are unnamed).
    pub result_locals: Vec<LocalId>,
    pub body: Block,
    pub span: Span,
    /// For a function literal: the enclosing functions' locals it uses, in
    /// the order its closure object stores pointers to them. `None` for a
    /// declared function.
    pub captures: Option<Vec<LocalId>>,
    /// The last parameter is `...T` (a `[]T` inside).
    pub variadic: bool,
    /// Contains `defer`: codegen gives it a defer frame, which a panic unwinds to.
    pub has_defer: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalKind {
    /// Declared with `var` or `:=`.
    Var,
    Param,
    /// Used in a nanoservice without being declared there: bound by the mesh.
    Free,
    /// A package-level variable: lives in memory, visible to every function.
    Global,
}

#[derive(Clone, Debug)]
pub struct Local {
    pub name: String,
    pub ty: TypeId,
    /// The declaration, or for a free local its first use.
    pub span: Span,
    pub kind: LocalKind,
    /// Read somewhere (assignments alone do not count, as in Go).
    pub used: bool,
    /// Its address is taken: codegen keeps it in a heap cell, not a register.
    pub escapes: bool,
    /// Declared while a library package was checked (its code, or a wrapper
    /// made for its types): text forms number the program's own locals
    /// apart, so they do not change when the library does.
    pub in_library: bool,
}

/// A `goToNetwork` statement with what sema knows about it.
#[derive(Clone, Debug)]
pub struct HopSite {
    pub target: String,
    pub target_span: Span,
    pub span: Span,
    /// Locals in scope at the statement, in declaration order: the candidates
    /// for the scope that travels.
    pub visible: Vec<LocalId>,
}

#[derive(Clone, Debug, Default)]
pub struct Block {
    pub stmts: Vec<Stmt>,
}

/// Calls `f` on every statement of `stmts` and of the blocks nested in them
/// (a loop's post statement included), in source order, each before what it
/// contains. Function literals are functions of their own: not entered.
pub fn walk_stmts<'a>(stmts: &'a [Stmt], f: &mut impl FnMut(&'a Stmt)) {
    for stmt in stmts {
        f(stmt);
        match &stmt.kind {
            StmtKind::If { then, els, .. } => {
                walk_stmts(&then.stmts, f);
                if let Some(els) = els {
                    walk_stmts(&els.stmts, f);
                }
            }
            StmtKind::Loop { body, post, .. } => {
                walk_stmts(&body.stmts, f);
                if let Some(post) = post {
                    walk_stmts(std::slice::from_ref(post.as_ref()), f);
                }
            }
            StmtKind::Labeled { stmt, .. } => walk_stmts(std::slice::from_ref(stmt.as_ref()), f),
            StmtKind::Block(block) | StmtKind::RangeMap { body: block, .. } => walk_stmts(&block.stmts, f),
            StmtKind::Switch { clauses } => clauses.iter().for_each(|c| walk_stmts(&c.body.stmts, f)),
            StmtKind::Select { cases, default } => {
                cases.iter().for_each(|c| walk_stmts(&c.body.stmts, f));
                if let Some(default) = default {
                    walk_stmts(&default.stmts, f);
                }
            }
            StmtKind::Define { .. }
            | StmtKind::Assign { .. }
            | StmtKind::Expr(_)
            | StmtKind::Break(_)
            | StmtKind::Continue(_)
            | StmtKind::Goto(_)
            | StmtKind::GoToNetwork { .. }
            | StmtKind::Return(_)
            | StmtKind::AssignTuple { .. }
            | StmtKind::Store { .. }
            | StmtKind::Defer { .. }
            | StmtKind::MapAssign { .. }
            | StmtKind::Send { .. }
            | StmtKind::Go { .. } => {}
        }
    }
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    /// A declaration; `None` means the zero value.
    Define { local: LocalId, value: Option<ExprId> },
    Assign { local: LocalId, value: ExprId },
    Expr(ExprId),
    If { cond: ExprId, then: Block, els: Option<Block> },
    /// Every `for` form without range: `cond` is `None` for `for {}`, `post`
    /// runs after the body and on `continue`.
    Loop { cond: Option<ExprId>, body: Block, post: Option<Box<Stmt>> },
    /// `break`, `break L` (the label's id).
    Break(Option<u32>),
    Continue(Option<u32>),
    /// `goto L` (the label's id): a jump to the labeled statement.
    Goto(u32),
    /// A labeled statement; `break L`/`continue L` refer to the loop or
    /// switch it labels (the first one lowered inside `stmt`).
    Labeled { label: u32, stmt: Box<Stmt> },
    Block(Block),
    /// Index into [`Program::hops`].
    GoToNetwork { site: u32 },
    /// Return values already converted to the result types; empty for a bare
    /// return (named results are returned then).
    Return(Vec<ExprId>),
    /// `a, b := f()` / `a, b = f()`: the call's results bound to locals
    /// (`None` for `_`).
    AssignTuple { locals: Vec<Option<LocalId>>, value: ExprId },
    /// `*addr = value`, for a value of the value's type.
    Store { addr: ExprId, value: ExprId },
    /// `defer`: the closure (taking no arguments, its call's operands already
    /// evaluated into captured temporaries) runs when the function returns
    /// or panics.
    Defer { thunk: ExprId },
    /// `m[key] = value`.
    MapAssign { map: ExprId, key: ExprId, value: ExprId },
    /// `for k, v := range m`: each entry's key and value land in the locals
    /// (fresh per loop, as Go 1.19 declares them once), then the body runs.
    RangeMap { map: ExprId, key: Option<LocalId>, value: Option<LocalId>, body: Block },
    /// An expression switch, with the tag comparison already in `conds`.
    /// `break` inside leaves the switch.
    Switch { clauses: Vec<SwitchClause> },
    /// `ch <- value` (the value already converted to the element type).
    Send { chan: ExprId, value: ExprId },
    /// `go f(args)`: like [`StmtKind::Defer`], a closure taking no arguments
    /// whose call's operands were evaluated into captured temporaries; it
    /// runs as a new goroutine.
    Go { thunk: ExprId },
    /// `select`: every case's channel (and a send's value) is evaluated once,
    /// in source order; then one ready case runs (or `default`, or the
    /// goroutine blocks). `break` inside leaves the select.
    Select { cases: Vec<SelectCase>, default: Option<Block> },
}

/// One communication clause of a `select`.
#[derive(Clone, Debug)]
pub struct SelectCase {
    pub chan: ExprId,
    /// `Some(value)` for a send case (converted to the element type); `None`
    /// for a receive.
    pub send: Option<ExprId>,
    /// For a receive: the temporaries the received value and the `ok` flag
    /// land in before `body` runs (the body assigns them to the case's
    /// variables or places).
    pub recv_value: Option<LocalId>,
    pub recv_ok: Option<LocalId>,
    pub body: Block,
}

#[derive(Clone, Debug)]
pub struct SwitchClause {
    /// Boolean conditions; the clause runs if any holds. Empty for `default`.
    pub conds: Vec<ExprId>,
    pub is_default: bool,
    pub body: Block,
    /// Ends with `fallthrough`: control goes on into the next clause's body.
    pub fallthrough: bool,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: TypeId,
    pub span: Span,
}

/// A constant value, exact for the skeleton's kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    Bool(bool),
    Int(i128),
    /// Exact, whether untyped or typed (a typed one holds its rounded value).
    Float(crate::exact::Exact),
    /// Real and imaginary parts, exact like [`ConstValue::Float`]; a typed
    /// one holds the parts rounded to its component type.
    Complex(crate::exact::Exact, crate::exact::Exact),
    /// Bytes: a Go string need not be UTF-8.
    String(Vec<u8>),
    Nil,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intrinsic {
    FmtPrintf,
    FmtPrintln,
    FmtPrint,
    /// The builtin `print`, to stderr in the runtime's own format.
    Print,
    /// The builtin `println`.
    Println,
    /// The builtin `panic`, with its argument boxed in an interface.
    Panic,
    /// The builtin `len` of a string.
    StringLen,
    /// `len` and `cap` of a slice.
    SliceLen,
    SliceCap,
    /// `copy(dst, src)` of slices (or a string source): the count copied.
    Copy,
    /// Decodes the rune at a byte index of a string: (rune, width).
    DecodeRune,
    /// `recover()`: the panic value (an `any`) inside a deferred call while
    /// panicking, else nil.
    Recover,
    /// `len(m)` and `delete(m, k)` of a map.
    MapLen,
    MapDelete,
    /// The keys of a map, in iteration order, as a new slice: a `range` over
    /// a map whose body hops iterates over them, so that its position is a
    /// plain index that travels (docs/split.md).
    MapKeys,
    /// The values of a map in the order `MapKeys` gives the keys: a hopping
    /// `range` whose key type may hold a NaN reads those entries from it.
    MapValues,
    /// Panics as a nil dereference when an interface value is nil: Go
    /// evaluates the method value `x.M` of `defer x.M()` / `go x.M()` when
    /// the statement runs, and a nil interface has no method to take.
    CheckInterfaceNotNil,
    /// `close(c)`, `len(c)` and `cap(c)` of a channel.
    ChanClose,
    ChanLen,
    ChanCap,
    /// `complex(re, im)` of two floats of the same type, `real(c)` and
    /// `imag(c)` (constant arguments fold in sema).
    Complex,
    Real,
    Imag,
    /// `unsafe.Slice(ptr, len)`: a slice of `len` elements (and capacity)
    /// at `ptr`; panics when `len` is negative, or `ptr` nil and `len` not 0.
    UnsafeSlice,
}

impl Intrinsic {
    /// The intrinsic a bodiless `stdlib/` function stands for.
    pub fn lookup(package: &str, name: &str) -> Option<Intrinsic> {
        match (package, name) {
            ("fmt", "runtimePrintf") => Some(Intrinsic::FmtPrintf),
            ("fmt", "runtimePrintln") => Some(Intrinsic::FmtPrintln),
            ("fmt", "runtimePrint") => Some(Intrinsic::FmtPrint),
            _ => None,
        }
    }
}

/// The HIR's binary operators are the parser's: each Go operator keeps its
/// one meaning from the AST on (one enum, one spelling, no lowering table).
pub use g2n_syntax::ast::BinaryOp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
    BitNot,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A constant, already converted to the expression's type.
    Const(ConstValue),
    Local(LocalId),
    Binary { op: BinaryOp, lhs: ExprId, rhs: ExprId },
    Unary { op: UnaryOp, operand: ExprId },
    /// A call of a runtime-implemented stdlib function; variadic `...any`
    /// arguments are already boxed with [`ExprKind::ToInterface`].
    Intrinsic { which: Intrinsic, args: Vec<ExprId> },
    /// A concrete value converted to an interface type.
    ToInterface(ExprId),
    /// A call of a function of this program; a call with several results has
    /// a tuple type and appears only in [`StmtKind::AssignTuple`].
    Call { func: FuncId, args: Vec<ExprId> },
    /// A conversion between numeric types, or from an integer to a string.
    Convert(ExprId),
    /// `s[i]` of a string: a byte.
    StringIndex { base: ExprId, index: ExprId },
    /// A pointer to a local's storage (the local escapes).
    AddrOfLocal(LocalId),
    /// The value of the expression's type stored at a pointer (nil-checked).
    Load(ExprId),
    /// A pointer to the field at `offset` of the struct a pointer points to
    /// (nil-checked).
    FieldAddr { base: ExprId, offset: u64 },
    /// A pointer to element `index` of a slice value or of the array a
    /// pointer points to (bounds-checked).
    IndexAddr { base: ExprId, index: ExprId },
    /// A struct or array value seen as a pointer to its memory: codegen keeps
    /// such values by address, so this costs nothing.
    AggregateAddr(ExprId),
    /// `new(T)`: a pointer to a fresh zero value.
    Alloc(TypeId),
    /// A struct or array literal: a fresh zero value with the given elements
    /// stored at their byte offsets.
    Composite { elems: Vec<(u64, ExprId)> },
    /// A slice literal: a fresh backing array of `len` elements with the given
    /// elements stored at their indices.
    SliceLit { len: u64, elems: Vec<(u64, ExprId)> },
    /// `base[lo:hi:max]` of a slice, a string or a pointer to an array.
    SliceOf { base: ExprId, lo: Option<ExprId>, hi: Option<ExprId>, max: Option<ExprId> },
    /// `make([]T, len, cap)`.
    MakeSlice { len: ExprId, cap: Option<ExprId> },
    /// A call of a bodiless stdlib function implemented by the runtime
    /// symbol `symbol`. Arguments from index `variadic` on are the `...any`
    /// (or `...T`) part, passed as an array and a count.
    /// With `spread`, the last argument is a slice passed as the variadic part.
    StdCall { symbol: String, args: Vec<ExprId>, variadic: Option<usize>, spread: bool },
    /// A function literal: a closure object over its captured variables.
    Closure(FuncId),
    /// A declared function used as a value.
    FuncValue(FuncId),
    /// A call of a function value (nil-checked).
    CallValue { callee: ExprId, args: Vec<ExprId> },
    /// Result `index` of a call with several results, in `f(g())`: codegen
    /// evaluates the call once for all of its fields.
    TupleField { tuple: ExprId, index: u32 },
    /// `make(map[K]V, hint)`.
    MakeMap { hint: Option<ExprId> },
    /// A map literal.
    MapLit { entries: Vec<(ExprId, ExprId)> },
    /// `m[key]`: the zero value when absent; with `comma_ok` the tuple
    /// `(V, bool)`.
    MapIndex { map: ExprId, key: ExprId, comma_ok: bool },
    /// `x.m(args)` on an interface value: dispatched on the dynamic type.
    InterfaceCall { receiver: ExprId, method: String, args: Vec<ExprId> },
    /// `x.(T)`; with `comma_ok` the type is the tuple `(T, bool)` and a
    /// failed assertion gives the zero value and false instead of panicking.
    TypeAssert { value: ExprId, target: TypeId, comma_ok: bool },
    /// `append(s, values...)`: `spread` means `append(s, t...)` with one
    /// slice (or string) argument.
    Append { slice: ExprId, values: Vec<ExprId>, spread: bool },
    /// `make(chan T, size)`.
    MakeChan { size: Option<ExprId> },
    /// `<-c`: blocks for a value; with `comma_ok` the tuple `(T, bool)`,
    /// false (and the zero value) once the channel is closed and drained.
    Recv { chan: ExprId, comma_ok: bool },
}

impl ExprKind {
    /// Calls `f` on every operand expression, in evaluation order, so passes
    /// over the HIR that only need to reach sub-expressions (liveness in
    /// `g2n-split`, for one) stay correct when new kinds are added.
    pub fn for_each_operand(&self, mut f: impl FnMut(ExprId)) {
        match self {
            ExprKind::Const(_)
            | ExprKind::Local(_)
            | ExprKind::AddrOfLocal(_)
            | ExprKind::Alloc(_)
            | ExprKind::Closure(_)
            | ExprKind::FuncValue(_) => {}
            ExprKind::Binary { lhs, rhs, .. } => {
                f(*lhs);
                f(*rhs);
            }
            ExprKind::Unary { operand: e, .. }
            | ExprKind::ToInterface(e)
            | ExprKind::Convert(e)
            | ExprKind::Load(e)
            | ExprKind::AggregateAddr(e)
            | ExprKind::FieldAddr { base: e, .. }
            | ExprKind::TupleField { tuple: e, .. }
            | ExprKind::TypeAssert { value: e, .. } => f(*e),
            ExprKind::Intrinsic { args, .. } | ExprKind::Call { args, .. } | ExprKind::StdCall { args, .. } => {
                args.iter().for_each(|a| f(*a))
            }
            ExprKind::StringIndex { base, index } | ExprKind::IndexAddr { base, index } => {
                f(*base);
                f(*index);
            }
            ExprKind::Composite { elems } | ExprKind::SliceLit { elems, .. } => elems.iter().for_each(|(_, e)| f(*e)),
            ExprKind::SliceOf { base, lo, hi, max } => {
                f(*base);
                [lo, hi, max].into_iter().flatten().for_each(|e| f(*e));
            }
            ExprKind::MakeSlice { len, cap } => {
                f(*len);
                cap.iter().for_each(|e| f(*e));
            }
            ExprKind::MakeMap { hint } | ExprKind::MakeChan { size: hint } => hint.iter().for_each(|e| f(*e)),
            ExprKind::Recv { chan, .. } => f(*chan),
            ExprKind::MapLit { entries } => entries.iter().for_each(|(k, v)| {
                f(*k);
                f(*v);
            }),
            ExprKind::MapIndex { map, key, .. } => {
                f(*map);
                f(*key);
            }
            ExprKind::CallValue { callee: first, args } | ExprKind::InterfaceCall { receiver: first, args, .. } => {
                f(*first);
                args.iter().for_each(|a| f(*a));
            }
            ExprKind::Append { slice, values, .. } => {
                f(*slice);
                values.iter().for_each(|a| f(*a));
            }
        }
    }
}

/// reflect's functions through which a program calls functions known only
/// at run time (or takes methods as values): their use makes sema intern
/// every method's func type and codegen emit call adapters.
pub const REFLECT_CALLERS: [&str; 5] = ["Call", "CallSlice", "Method", "MethodByName", "MakeFunc"];

/// The methods g2n's runtime calls through a type's method table by name
/// (printing a panic's value, the `%v` of its own fmt): their code is in
/// every table, whatever interfaces the program has.
pub const RUNTIME_CALLED_METHODS: [&str; 3] = ["Error", "String", "GoString"];

impl Program {
    /// The method names of every interface type of the program, and
    /// [`RUNTIME_CALLED_METHODS`]: a method of a concrete type is called
    /// through its type's method table only by one of these names (an
    /// interface call, or the runtime) unless code calls through reflect
    /// ([`Program::calls_through_reflect`]), so a method table needs the
    /// code of no other method (codegen leaves their entries without a
    /// function, sema does not check them: Go's linker drops them too).
    pub fn interface_method_names(&self) -> std::collections::HashSet<&str> {
        let mut names: std::collections::HashSet<&str> = RUNTIME_CALLED_METHODS.into_iter().collect();
        for id in 0..self.types.count() {
            if let TypeKind::Interface(methods) = self.types.kind(TypeId(id as u32)) {
                names.extend(methods.iter().map(|m| m.name.as_str()));
            }
        }
        names
    }

    /// Whether the program loads package reflect (not only
    /// internal/reflectlite): then reflect can ask for `*T` of any type it
    /// describes (`PointerTo`, `Value.Addr`).
    pub fn loads_reflect(&self) -> bool {
        self.types.named.iter().any(|n| n.package.as_deref() == Some("reflect") && n.name == "rtype")
    }

    /// Whether code outside package reflect uses one of reflect's `Call`,
    /// `CallSlice`, `Method`, `MethodByName` or `MakeFunc` (called or taken
    /// as a value), or could through an interface (one with a method of
    /// those names). reflect's own uses do not count: its `Type.Method`
    /// fills `Method.Func`, whose calls go through `Value.Call` again.
    pub fn calls_through_reflect(&self) -> bool {
        // reflect.Value's methods of those names return Values (reflect's
        // own Type interface has Method and MethodByName returning Methods).
        let returns_values = |m: &crate::types::InterfaceMethod| {
            let TypeKind::Func(sig) = self.types.kind(m.sig) else { return false };
            REFLECT_CALLERS[..4].contains(&m.name.as_str())
                && sig.results.iter().any(|r| matches!(self.types.display(*r).as_str(), "reflect.Value" | "[]reflect.Value"))
        };
        if self.types.any_interface_method(returns_values) {
            return true;
        }
        let library = crate::stdlib();
        // reflect's few functions of those names, found among the functions
        // (far fewer than the expressions searched next).
        let mut callers = vec![false; self.funcs.len()];
        for (index, f) in self.funcs.iter().enumerate() {
            let name = f.name.rsplit('.').next().unwrap_or_default();
            callers[index] = REFLECT_CALLERS.contains(&name) && library.package_of(f.span.file) == Some("reflect");
        }
        self.exprs.iter().any(|expr| {
            let func = match &expr.kind {
                ExprKind::Call { func, .. } | ExprKind::FuncValue(func) => *func,
                _ => return false,
            };
            callers.get(func.index()).copied().unwrap_or(false) && library.package_of(expr.span.file) != Some("reflect")
        })
    }
}
