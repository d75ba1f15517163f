//! The one contract shared by generated code (`g2n-codegen`) and the runtime
//! (`g2n-runtime`): the names of runtime entry points, the `#[repr(C)]` layouts
//! of values passed across, the type tags of scope values, and the unit
//! descriptor that every compiled nanoservice embeds.
//!
//! This crate has no dependencies so that the compiler never links the runtime's
//! network stack and the runtime never links the compiler.
//!
//! # Calling convention
//! Every runtime function is `extern "C"` with the platform's default calling
//! convention. Go values cross as:
//! - `int`, `int64`, `uint8` ... : one integer register, sign- or zero-extended to 64 bits;
//! - `bool`: `u8` 0 or 1;
//! - `float64`: one float register;
//! - `string`: two words, pointer then length ([`GoString`]);
//! - a value of interface type (`any`): [`GoAny`], passed by pointer.

pub mod nats;

/// Bumped whenever anything in this crate changes meaning (additions, such as
/// the graph scope variables of descriptor text, keep it); manifests record it
/// and a runtime refuses a unit built for another version.
///
/// 2: method-table names carry the signature (`name\0signature`, for
/// assertions to interfaces), narrow words are declared with their
/// extension, and `g2n_fmt_print*` return the byte count.
pub const ABI_VERSION: u32 = 2;

/// A Go string: bytes that are not necessarily valid UTF-8, never NUL-terminated.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct GoString {
    pub ptr: *const u8,
    pub len: i64,
}

/// A value boxed in an interface, in the skeleton's layout: a type tag and two
/// payload words. Integers and bools use `word0`; a float64 stores its bits in
/// `word0`; a string stores pointer and length in `word0`/`word1`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct GoAny {
    pub tag: u64,
    pub word0: u64,
    pub word1: u64,
}

/// Go's `time.runtimeTimer` (time/sleep.go, compiled from Go's source) as
/// g2n lays it out: the struct that time's bodyless `startTimer`,
/// `stopTimer`, `resetTimer` and `modTimer` hand to the runtime. A test
/// (crates/codegen/tests/std_abi.rs) checks it against the layout codegen gives
/// the Go declaration.
///
/// The runtime uses two of the fields Go's runtime keeps for itself: `pp`
/// is 1 while a goroutine runs the timer, `status` is 1 while it is
/// pending (started, neither fired nor stopped).
#[repr(C)]
#[derive(Debug)]
pub struct RuntimeTimer {
    pub pp: usize,
    /// When it fires: a reading of the runtime's monotonic clock
    /// (`runtime.nanotime`).
    pub when: i64,
    /// For a ticker, the interval; else 0.
    pub period: i64,
    /// A `func(any, uintptr)` value: a closure object, called as
    /// `code(closure, arg's three words, seq)`.
    pub f: *const u8,
    pub arg: GoAny,
    pub seq: usize,
    pub nextwhen: i64,
    pub status: u32,
}

/// Run-time type information for every type that is not an unnamed basic
/// type: a static, immutable descriptor that generated code emits once per
/// type and unit.
///
/// In a [`GoAny`], a `tag` below [`FIRST_DESC_ADDRESS`] is a [`TypeTag`]; any
/// other tag is the address of a `TypeDesc`. The payload words by the
/// descriptor's [`Kind`]:
/// - the basic kinds (a defined type such as `type Celsius float64`): exactly
///   as the [`TypeTag`] of the same kind (`word0` = value bits, a string in
///   `word0`/`word1`);
/// - `Pointer`, `Map`, `Func`: `word0` is the pointer;
/// - `Slice`: `word0` points to a fresh 24-byte header (pointer, len, cap);
/// - `Struct`, `Array`: `word0` points to a fresh copy of the value.
#[repr(C)]
#[derive(Debug)]
pub struct TypeDesc {
    /// A [`Kind`] number.
    pub kind: u32,
    pub reserved: u32,
    /// Size of a value in memory, as Go lays it out (a struct's fields at
    /// their `offset`s; a slice is 24 bytes, a string 16, an interface 24).
    pub size: u64,
    /// Go's spelling of the type as `%T` prints it: `main.Point`, `[]int`,
    /// `*main.Node`, `map[string]int`, `struct { X int }`.
    pub name: GoString,
    /// Element type of a pointer, slice, array or map (the map's value).
    pub elem: *const TypeDesc,
    /// Key type of a map.
    pub key: *const TypeDesc,
    /// Length of an array.
    pub len: u64,
    pub fields: *const FieldDesc,
    pub nfields: u64,
    /// The method set, sorted by name, each through a wrapper with the
    /// uniform interface calling convention (see [`MethodDesc`]).
    pub methods: *const MethodDesc,
    pub nmethods: u64,
    /// What `reflect` needs beyond what fmt, maps and the scope graph read:
    /// null when the type has none of it (see [`TypeExt`]).
    pub ext: *const TypeExt,
}

/// The part of a [`TypeDesc`] that only `reflect` reads (stdlib/reflect):
/// what Go's `reflect.Type` answers and the other descriptor fields do not
/// hold. Codegen emits one for a defined type, a struct with fields, a func
/// or channel type, and a type with methods.
#[repr(C)]
#[derive(Debug)]
pub struct TypeExt {
    /// The import path of the package that declares a defined type (`main`
    /// for the program's own) or a struct type's fields (`""` when it is
    /// not known); empty for other unnamed types.
    pub pkg_path: GoString,
    /// The name of a defined type without its package (`Point`,
    /// `List[int]`); empty for an unnamed type.
    pub type_name: GoString,
    /// A struct's field tags, one [`GoString`] per field (`nfields`).
    pub field_tags: *const GoString,
    /// A func type's parameter types then its result types (`nin + nout`
    /// descriptors).
    pub func_types: *const *const TypeDesc,
    pub nin: u64,
    pub nout: u64,
    /// [`TYPE_FLAG_VARIADIC`], and a channel's direction
    /// ([`TYPE_FLAG_CHAN_RECV`], [`TYPE_FLAG_CHAN_SEND`]).
    pub flags: u64,
    /// For each of the `nmethods` methods, its func type without the
    /// receiver; an entry is null when the program never spells that type.
    pub method_types: *const *const TypeDesc,
    /// A func type's call adapter (see [`ReflectCallAdapter`]), through
    /// which `reflect.Value.Call` calls a func value or a method of this
    /// type with arguments in memory; null unless the program calls
    /// reflect's `Call`, `CallSlice`, `Method`, `MethodByName` or `MakeFunc`.
    pub call: *const core::ffi::c_void,
    /// A func type's `MakeFunc` stub: the code of a closure object
    /// `{stub, *reflect.rtype, func([]Value) []Value}` with this type's
    /// calling convention, which stores its arguments in memory and hands
    /// them to stdlib/reflect's `makeFuncCall`; null as `call` is.
    pub make_func: *const core::ffi::c_void,
}

/// The call adapter of a func type ([`TypeExt::call`]), generated per func
/// type by codegen (crates/codegen/src/lower/reflect_call.rs) and called
/// by stdlib/reflect as a Go func value (whose closure object is the
/// address of the `call` field, so `closure` is that address, unused).
/// `args` points to one pointer per parameter, each to the argument as Go
/// lays it out in memory (a variadic parameter: its slice); `results` to
/// one pointer per result, where the adapter stores it. With `method` 0 it
/// calls the func value `word0` (a closure object, whose first word is
/// `code`): `code(word0, args...)`; otherwise `code` is a method table's
/// wrapper ([`MethodDesc`]) and the receiver's interface payload words
/// come first: `code(word0, word1, args...)`. A panic goes through it.
pub type ReflectCallAdapter =
    extern "C" fn(closure: *const u8, code: *const u8, word0: u64, word1: u64, method: u64, args: *const *mut u8, results: *const *mut u8);

/// [`TypeExt::flags`]: a func type whose last parameter is `...T` (its
/// descriptor in `func_types` is `[]T`'s).
pub const TYPE_FLAG_VARIADIC: u64 = 1;
/// [`TypeExt::flags`]: a channel type that can receive (`chan T`, `<-chan T`).
pub const TYPE_FLAG_CHAN_RECV: u64 = 2;
/// [`TypeExt::flags`]: a channel type that can send (`chan T`, `chan<- T`).
pub const TYPE_FLAG_CHAN_SEND: u64 = 4;

/// One field of a struct type.
#[repr(C)]
#[derive(Debug)]
pub struct FieldDesc {
    pub name: GoString,
    pub ty: *const TypeDesc,
    pub offset: u64,
    /// 1 for an embedded field.
    pub embedded: u64,
}

/// A method's key in a [`MethodDesc`]'s `name`: the method's name, a NUL,
/// and its signature as Go spells a func type (`String\0func() string`).
/// The signature is there because Go's type assertion to an interface
/// compares a method's name and type: `I1{ Name() int8 }` is not
/// `I2{ Name() int64 }`. A lookup by name alone compares up to the NUL
/// ([`method_key_name`]); NUL is in no identifier and sorts first, so keys
/// sort as their names do.
pub fn method_key(name: &str, signature: &str) -> String {
    format!("{name}\0{signature}")
}

/// The keys of the `() string` methods fmt calls: it calls them only with
/// that signature, as Go's `v.(error)` and `v.(Stringer)` do (a
/// `String() int` method is not a Stringer).
pub const ERROR_METHOD_KEY: &[u8] = b"Error\0func() string";
pub const STRING_METHOD_KEY: &[u8] = b"String\0func() string";
pub const GO_STRING_METHOD_KEY: &[u8] = b"GoString\0func() string";

/// The name part of a [`method_key`] (all of it if it has no signature).
pub fn method_key_name(key: &[u8]) -> &[u8] {
    key.split(|&b| b == 0).next().unwrap_or(key)
}

/// One method of a type's method set. `func` is a wrapper taking the
/// interface's two payload words first, then the method's own arguments, with
/// the platform's C calling convention and results as generated code returns
/// them: `String() string` is `extern "C" fn(u64, u64) -> GoString` (two words in
/// registers), `Error() string` likewise.
#[repr(C)]
#[derive(Debug)]
pub struct MethodDesc {
    pub name: GoString,
    pub func: *const core::ffi::c_void,
}

/// A method resolved for a dynamic type, as the run-time caches of interface
/// calls hold it: allocated once per (type, method name) and never freed or
/// changed, so that a reader who loaded a pointer to one (with acquire
/// ordering) sees a `func` that belongs to `tag`. A call site's slot (8
/// writable bytes emitted by codegen, zero at start) holds a pointer to one:
/// the call's hit path compares `tag` with the receiver's and calls `func`;
/// a miss calls [`symbols::METHOD_SLOT_MISS`], which fills the slot. Per
/// process: no pointer to one ever leaves it (interface values carry none).
#[repr(C)]
#[derive(Debug)]
pub struct MethodCacheEntry {
    pub tag: u64,
    /// The method wrapper, or null when the type has no such method (only
    /// the run-time's own table holds such entries; a slot never does).
    pub func: *const core::ffi::c_void,
    /// The method name or key looked up (a copy owned by the entry).
    pub name: GoString,
}

/// The offsets of the fields of [`TypeDesc`], [`FieldDesc`], [`MethodDesc`]
/// and [`TypeExt`], each in declaration order: the Go code that reads
/// descriptors declares them again (stdlib/internal/typedesc, and
/// stdlib/reflect under its own names), and crates/codegen/tests/std_abi.rs
/// holds its layouts to these.
pub const TYPE_DESC_OFFSETS: [usize; 12] = [
    core::mem::offset_of!(TypeDesc, kind),
    core::mem::offset_of!(TypeDesc, reserved),
    core::mem::offset_of!(TypeDesc, size),
    core::mem::offset_of!(TypeDesc, name),
    core::mem::offset_of!(TypeDesc, elem),
    core::mem::offset_of!(TypeDesc, key),
    core::mem::offset_of!(TypeDesc, len),
    core::mem::offset_of!(TypeDesc, fields),
    core::mem::offset_of!(TypeDesc, nfields),
    core::mem::offset_of!(TypeDesc, methods),
    core::mem::offset_of!(TypeDesc, nmethods),
    core::mem::offset_of!(TypeDesc, ext),
];
/// See [`TYPE_DESC_OFFSETS`].
pub const FIELD_DESC_OFFSETS: [usize; 4] = [core::mem::offset_of!(FieldDesc, name), core::mem::offset_of!(FieldDesc, ty), core::mem::offset_of!(FieldDesc, offset), core::mem::offset_of!(FieldDesc, embedded)];
/// See [`TYPE_DESC_OFFSETS`].
pub const METHOD_DESC_OFFSETS: [usize; 2] = [core::mem::offset_of!(MethodDesc, name), core::mem::offset_of!(MethodDesc, func)];
/// See [`TYPE_DESC_OFFSETS`].
pub const TYPE_EXT_OFFSETS: [usize; 10] = [
    core::mem::offset_of!(TypeExt, pkg_path),
    core::mem::offset_of!(TypeExt, type_name),
    core::mem::offset_of!(TypeExt, field_tags),
    core::mem::offset_of!(TypeExt, func_types),
    core::mem::offset_of!(TypeExt, nin),
    core::mem::offset_of!(TypeExt, nout),
    core::mem::offset_of!(TypeExt, flags),
    core::mem::offset_of!(TypeExt, method_types),
    core::mem::offset_of!(TypeExt, call),
    core::mem::offset_of!(TypeExt, make_func),
];

/// Bytes reserved for the `jmp_buf` at the start of a defer frame (glibc's
/// x86-64 `jmp_buf` is 200 bytes).
pub const JMP_BUF_SIZE: usize = 256;

/// Tags below this are [`TypeTag`]s, the rest are descriptor addresses.
pub const FIRST_DESC_ADDRESS: u64 = 4096;

/// The kind of a [`TypeDesc`]; the numbers are part of the ABI.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bool = 1,
    Int = 2,
    Int8 = 3,
    Int16 = 4,
    Int32 = 5,
    Int64 = 6,
    Uint = 7,
    Uint8 = 8,
    Uint16 = 9,
    Uint32 = 10,
    Uint64 = 11,
    Uintptr = 12,
    Float32 = 13,
    Float64 = 14,
    String = 15,
    Pointer = 16,
    Slice = 17,
    Array = 18,
    Struct = 19,
    Map = 20,
    Func = 21,
    Interface = 22,
    /// A channel: `word0` is the pointer to the runtime's channel.
    Chan = 23,
    /// `complex64`: real and imaginary float32s; boxed, both in `word0`
    /// (real in the low half), as the value lies in memory.
    Complex64 = 24,
    /// `complex128`: real in `word0`, imaginary in `word1` (bits).
    Complex128 = 25,
}

impl Kind {
    pub const ALL: [Kind; 25] = [
        Kind::Bool,
        Kind::Int,
        Kind::Int8,
        Kind::Int16,
        Kind::Int32,
        Kind::Int64,
        Kind::Uint,
        Kind::Uint8,
        Kind::Uint16,
        Kind::Uint32,
        Kind::Uint64,
        Kind::Uintptr,
        Kind::Float32,
        Kind::Float64,
        Kind::String,
        Kind::Pointer,
        Kind::Slice,
        Kind::Array,
        Kind::Struct,
        Kind::Map,
        Kind::Func,
        Kind::Interface,
        Kind::Chan,
        Kind::Complex64,
        Kind::Complex128,
    ];

    pub fn from_u32(raw: u32) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| *k as u32 == raw)
    }

    /// For integer kinds: bits and signedness ([`TypeTag::int_info`], the one
    /// table of integer widths that generated code and the runtime share).
    pub fn int_info(self) -> Option<(u32, bool)> {
        self.basic_tag()?.int_info()
    }

    /// The [`TypeTag`] whose payload encoding a basic kind shares.
    pub fn basic_tag(self) -> Option<TypeTag> {
        Some(match self {
            Kind::Bool => TypeTag::Bool,
            Kind::Int => TypeTag::Int,
            Kind::Int8 => TypeTag::Int8,
            Kind::Int16 => TypeTag::Int16,
            Kind::Int32 => TypeTag::Int32,
            Kind::Int64 => TypeTag::Int64,
            Kind::Uint => TypeTag::Uint,
            Kind::Uint8 => TypeTag::Uint8,
            Kind::Uint16 => TypeTag::Uint16,
            Kind::Uint32 => TypeTag::Uint32,
            Kind::Uint64 => TypeTag::Uint64,
            Kind::Uintptr => TypeTag::Uintptr,
            Kind::Float32 => TypeTag::Float32,
            Kind::Float64 => TypeTag::Float64,
            Kind::String => TypeTag::String,
            Kind::Complex64 => TypeTag::Complex64,
            Kind::Complex128 => TypeTag::Complex128,
            _ => return None,
        })
    }
}

/// Type tags: for values boxed in `any`, and for scope values on the wire.
/// The numbers are part of the ABI and never reused.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeTag {
    /// The nil interface.
    Nil = 0,
    Bool = 1,
    Int = 2,
    Float64 = 3,
    String = 4,
    Int8 = 5,
    Int16 = 6,
    Int32 = 7,
    Int64 = 8,
    Uint = 9,
    Uint8 = 10,
    Uint16 = 11,
    Uint32 = 12,
    Uint64 = 13,
    Uintptr = 14,
    Float32 = 15,
    /// Boxed like [`Kind::Complex64`] and [`Kind::Complex128`].
    Complex64 = 16,
    Complex128 = 17,
}

impl TypeTag {
    pub const ALL: [TypeTag; 18] = [
        TypeTag::Nil,
        TypeTag::Bool,
        TypeTag::Int,
        TypeTag::Float64,
        TypeTag::String,
        TypeTag::Int8,
        TypeTag::Int16,
        TypeTag::Int32,
        TypeTag::Int64,
        TypeTag::Uint,
        TypeTag::Uint8,
        TypeTag::Uint16,
        TypeTag::Uint32,
        TypeTag::Uint64,
        TypeTag::Uintptr,
        TypeTag::Float32,
        TypeTag::Complex64,
        TypeTag::Complex128,
    ];

    /// Whether values of this type can travel in a scope today (the wire
    /// format carries these kinds).
    pub fn travels(self) -> bool {
        matches!(self, TypeTag::Bool | TypeTag::Int | TypeTag::Float64 | TypeTag::String)
    }

    /// For sized integer tags: bits and signedness. A boxed sized integer
    /// keeps its value in `word0`, sign- or zero-extended to 64 bits.
    pub fn int_info(self) -> Option<(u32, bool)> {
        Some(match self {
            TypeTag::Int | TypeTag::Int64 => (64, true),
            TypeTag::Int8 => (8, true),
            TypeTag::Int16 => (16, true),
            TypeTag::Int32 => (32, true),
            TypeTag::Uint | TypeTag::Uint64 | TypeTag::Uintptr => (64, false),
            TypeTag::Uint8 => (8, false),
            TypeTag::Uint16 => (16, false),
            TypeTag::Uint32 => (32, false),
            _ => return None,
        })
    }

    pub fn from_u64(raw: u64) -> Option<TypeTag> {
        TypeTag::ALL.into_iter().find(|t| *t as u64 == raw)
    }

    /// The Go spelling of the type, as manifests and `%T` show it.
    pub fn go_name(self) -> &'static str {
        match self {
            TypeTag::Nil => "nil",
            TypeTag::Bool => "bool",
            TypeTag::Int => "int",
            TypeTag::Float64 => "float64",
            TypeTag::String => "string",
            TypeTag::Int8 => "int8",
            TypeTag::Int16 => "int16",
            TypeTag::Int32 => "int32",
            TypeTag::Int64 => "int64",
            TypeTag::Uint => "uint",
            TypeTag::Uint8 => "uint8",
            TypeTag::Uint16 => "uint16",
            TypeTag::Uint32 => "uint32",
            TypeTag::Uint64 => "uint64",
            TypeTag::Uintptr => "uintptr",
            TypeTag::Float32 => "float32",
            TypeTag::Complex64 => "complex64",
            TypeTag::Complex128 => "complex128",
        }
    }

    pub fn from_go_name(name: &str) -> Option<TypeTag> {
        TypeTag::ALL.into_iter().find(|t| t.go_name() == name)
    }
}

pub mod symbols;

/// One case of a `select` as generated code lays it out (24 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SelectCase {
    pub chan: *mut core::ffi::c_void,
    /// For a send, the value to send; for a receive, where the value goes.
    pub elem: *mut u8,
    /// [`SELECT_RECV`] or [`SELECT_SEND`].
    pub kind: u64,
}

pub const SELECT_RECV: u64 = 0;
pub const SELECT_SEND: u64 = 1;

/// The state of a `range` over a map (see [`symbols::MAP_ITER_INIT`]); generated
/// code allocates it (32 bytes) and reads `key`/`val` after each step.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MapIter {
    pub map: *mut core::ffi::c_void,
    /// Position in the map's entry list (private to the runtime).
    pub pos: u64,
    pub key: *mut u8,
    pub val: *mut u8,
}

/// One nanoservice of an executable's unit table ([`symbols::RT_MAIN_TABLE`]):
/// its name and its descriptor text, as byte ranges of the table's blob
/// (offsets, not pointers: the table needs no relocations however many
/// nanoservices it lists).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct UnitRecord {
    pub name_offset: u64,
    pub name_len: u64,
    pub desc_offset: u64,
    pub desc_len: u64,
}

/// One separately compiled nanoservice config of an executable that holds
/// several ([`symbols::RT_MAIN_MESH`]): name and descriptor as byte ranges
/// of the table's blob, as in [`UnitRecord`], and the config's own unit
/// entry and program table (every config is its own program).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MeshUnitRecord {
    pub name_offset: u64,
    pub name_len: u64,
    pub desc_offset: u64,
    pub desc_len: u64,
    pub entry: UnitEntryFn,
    pub program: *const ProgramTable,
}

/// One compiled function of an executable's line table
/// ([`symbols::REGISTER_LINES`]): its code, and as byte ranges of the
/// table's blob its Go name (`main.f`), its file (as the compiler was given
/// it; a nanoservice config's YAML for code embedded in one) and its line
/// table: `nlines` pairs of little-endian `u32`s (code offset from `code`,
/// 1-based line), sorted by offset, each line holding from its offset up to
/// the next pair's.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct LineFunc {
    pub code: *const u8,
    pub code_len: u64,
    pub name_offset: u32,
    pub name_len: u32,
    pub file_offset: u32,
    pub file_len: u32,
    pub lines_offset: u32,
    pub nlines: u32,
}

/// The type of the compiled unit entry.
pub type UnitEntryFn = unsafe extern "C" fn(resume_point: u32, scope: *mut core::ffi::c_void);

/// A variable that travels in a scope: its name, its type, and its slot, which
/// is its index in the entry's or exit's variable list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeVar {
    pub name: String,
    /// The wire type of a basic value ([`TypeTag::Nil`] for a graph value).
    pub tag: TypeTag,
    /// For a value that travels as a graph (docs/protocol.md, "Scope
    /// graph"): its Go type and how it travels.
    pub graph: Option<GraphType>,
}

impl ScopeVar {
    pub fn basic(name: &str, tag: TypeTag) -> ScopeVar {
        ScopeVar { name: name.to_string(), tag, graph: None }
    }

    /// The Go spelling of the variable's wire type, for messages.
    pub fn type_name(&self) -> String {
        match &self.graph {
            Some(g) if g.cell => format!("cell {}", g.type_name),
            Some(g) => g.type_name.clone(),
            None => self.tag.go_name().to_string(),
        }
    }
}

/// A scope variable of any type but the basic wire types: it travels as
/// part of the scope's value graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphType {
    /// The type's wire name ([`TypeEntry::wire_name`], e.g. `[]int`,
    /// `*main.Node#0`, `struct { X int }`), which the runtime resolves to a
    /// descriptor in its [`ProgramTable`].
    pub type_name: String,
    /// The variable lives in memory (its address is taken, a closure
    /// captures it, or it is a struct or array): its storage itself travels
    /// as a graph object, so pointers and closures that share it still do
    /// after the hop. Otherwise the variable's value travels.
    pub cell: bool,
}

/// The run-time tables of a compiled program that the scope graph encoding
/// needs (docs/protocol.md, "Scope graph"): every type descriptor the unit
/// defines, every function that can be a func value, and every
/// package-level variable. Generated C `main` passes it to
/// [`symbols::REGISTER_PROGRAM`] before [`symbols::RT_MAIN`].
#[repr(C)]
#[derive(Debug)]
pub struct ProgramTable {
    pub types: *const TypeEntry,
    pub ntypes: u64,
    pub funcs: *const FuncEntry,
    pub nfuncs: u64,
    pub globals: *const GlobalEntry,
    pub nglobals: u64,
    /// The library package variables that do not travel (each host keeps
    /// and initialises its own: `io.EOF` when the program does not name
    /// it), named `PKG.NAME` (package path, then the variable's name). An
    /// object one of them holds at a hop (io.EOF's `*errors.errorString`)
    /// travels as a reference to the variable, resolved on the receiver to
    /// what its own variable holds (docs/split.md, "Package-level
    /// variables").
    pub library_vars: *const GlobalEntry,
    pub nlibrary_vars: u64,
    /// The first this many of `library_vars` are assigned only by their
    /// initialisers (no assignment elsewhere, address never taken): what
    /// they hold is fixed once the program's packages are initialised, so
    /// the runtime reads them once, not at every hop.
    pub library_vars_fixed: u64,
}

#[repr(C)]
#[derive(Debug)]
pub struct TypeEntry {
    pub desc: *const TypeDesc,
    /// The wire name of the type's underlying type (for a named func type,
    /// its signature `func(int) string`).
    pub underlying: GoString,
    /// The type's wire name: the run-time name with every defined type
    /// numbered (`main.T#3`), unique in the program (two types declared in
    /// different blocks may share a name). Scope graphs name types by it.
    pub wire_name: GoString,
}

/// A function that a func value may hold.
#[repr(C)]
#[derive(Debug)]
pub struct FuncEntry {
    /// Unique within the program: the function's name, `#N` appended for the
    /// N-th repeat of a name (function literals).
    pub name: GoString,
    /// A function literal: its code, which its closure objects hold in their
    /// first word (followed by one pointer per captured variable). Null for a
    /// declared function.
    pub code: *const core::ffi::c_void,
    /// A declared function: its static closure object. Null for a literal.
    pub object: *const u8,
    /// The wire name of its signature (`func(int) int`).
    pub signature: GoString,
    /// The types of the captured variables, in closure object order.
    pub captures: *const *const TypeDesc,
    pub ncaptures: u64,
}

/// A package-level variable: its storage and type.
#[repr(C)]
#[derive(Debug)]
pub struct GlobalEntry {
    pub name: GoString,
    pub addr: *mut u8,
    pub desc: *const TypeDesc,
}

/// Escapes a type name for the descriptor text (no spaces, no newlines).
pub fn escape_type_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '%' => out.push_str("%25"),
            ' ' => out.push_str("%20"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

pub fn unescape_type_name(text: &str) -> String {
    text.replace("%20", " ").replace("%0A", "\n").replace("%25", "%")
}

/// A place where a flow may start or resume on this unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryDesc {
    /// Mesh-wide resume point number; 0 is the program's start.
    pub resume_point: u32,
    /// The variables the scope must carry, in slot order.
    pub vars: Vec<ScopeVar>,
}

/// A `goToNetwork` statement of this unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExitDesc {
    /// The index generated code passes to [`symbols::GO_TO_NETWORK`].
    pub index: u32,
    /// The nanoservice the flow moves to.
    pub target: String,
    /// The resume point at the target.
    pub resume_point: u32,
    /// The variables sent, in slot order.
    pub vars: Vec<ScopeVar>,
}

/// What a compiled unit tells its runtime about itself. Embedded in the
/// executable as text (see [`UnitDescriptor::encode`]) under
/// [`symbols::UNIT_DESCRIPTOR`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct UnitDescriptor {
    pub abi_version: u32,
    pub unit: String,
    pub entries: Vec<EntryDesc>,
    pub exits: Vec<ExitDesc>,
}

/// Why a descriptor text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescriptorError {
    pub line: usize,
    pub message: String,
}

impl core::fmt::Display for DescriptorError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "unit descriptor line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for DescriptorError {}

impl UnitDescriptor {
    /// A line-based text form; names never contain spaces or newlines (unit
    /// names are checked by the compiler, variable names are Go identifiers).
    ///
    /// ```text
    /// g2n-unit 2 print-hello-world
    /// entry 1 hello:string
    /// exit 0 other 2 a:int b:string
    /// ```
    pub fn encode(&self) -> String {
        fn vars(out: &mut String, vars: &[ScopeVar]) {
            for var in vars {
                out.push(' ');
                out.push_str(&var.name);
                out.push(':');
                match &var.graph {
                    Some(g) => {
                        out.push(if g.cell { '&' } else { '=' });
                        out.push_str(&escape_type_name(&g.type_name));
                    }
                    None => out.push_str(var.tag.go_name()),
                }
            }
        }
        let mut out = format!("g2n-unit {} {}\n", self.abi_version, self.unit);
        for entry in &self.entries {
            out.push_str(&format!("entry {}", entry.resume_point));
            vars(&mut out, &entry.vars);
            out.push('\n');
        }
        for exit in &self.exits {
            out.push_str(&format!("exit {} {} {}", exit.index, exit.target, exit.resume_point));
            vars(&mut out, &exit.vars);
            out.push('\n');
        }
        out
    }

    pub fn decode(text: &str) -> Result<UnitDescriptor, DescriptorError> {
        let mut desc = UnitDescriptor::default();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let err = |message: &str| DescriptorError { line: line_no, message: message.to_string() };
            let mut words = line.split(' ');
            let number = |w: Option<&str>| -> Result<u32, DescriptorError> {
                w.and_then(|w| w.parse().ok()).ok_or_else(|| err("expected a number"))
            };
            let parse_vars = |words: &mut dyn Iterator<Item = &str>| -> Result<Vec<ScopeVar>, DescriptorError> {
                words
                    .map(|w| {
                        let (name, ty) = w.split_once(':').ok_or_else(|| err("expected name:type"))?;
                        if let Some(rest) = ty.strip_prefix('=').or_else(|| ty.strip_prefix('&')) {
                            if rest.is_empty() {
                                return Err(err("missing graph type name"));
                            }
                            let graph = GraphType { type_name: unescape_type_name(rest), cell: ty.starts_with('&') };
                            return Ok(ScopeVar { name: name.to_string(), tag: TypeTag::Nil, graph: Some(graph) });
                        }
                        let tag = TypeTag::from_go_name(ty).ok_or_else(|| err("unknown type"))?;
                        Ok(ScopeVar { name: name.to_string(), tag, graph: None })
                    })
                    .collect()
            };
            match words.next() {
                Some("g2n-unit") if i == 0 => {
                    desc.abi_version = number(words.next())?;
                    desc.unit = words.next().ok_or_else(|| err("missing unit name"))?.to_string();
                }
                _ if i == 0 => return Err(err("expected `g2n-unit` header")),
                Some("entry") => {
                    let resume_point = number(words.next())?;
                    let vars = parse_vars(&mut words)?;
                    desc.entries.push(EntryDesc { resume_point, vars });
                }
                Some("exit") => {
                    let index = number(words.next())?;
                    let target = words.next().ok_or_else(|| err("missing exit target"))?.to_string();
                    let resume_point = number(words.next())?;
                    let vars = parse_vars(&mut words)?;
                    desc.exits.push(ExitDesc { index, target, resume_point, vars });
                }
                Some("") | None => {}
                Some(_) => return Err(err("unknown line kind")),
            }
        }
        if text.is_empty() {
            return Err(DescriptorError { line: 0, message: "empty descriptor".to_string() });
        }
        Ok(desc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_round_trips() {
        let desc = UnitDescriptor {
            abi_version: ABI_VERSION,
            unit: "print-hello-world".to_string(),
            entries: vec![EntryDesc {
                resume_point: 1,
                vars: vec![ScopeVar::basic("hello", TypeTag::String)],
            }],
            exits: vec![ExitDesc {
                index: 0,
                target: "x".to_string(),
                resume_point: 2,
                vars: vec![
                    ScopeVar::basic("a", TypeTag::Int),
                    ScopeVar::basic("b", TypeTag::Bool),
                    ScopeVar {
                        name: "p".to_string(),
                        tag: TypeTag::Nil,
                        graph: Some(GraphType { type_name: "struct { X int; Y 100% }".to_string(), cell: true }),
                    },
                    ScopeVar { name: "s".to_string(), tag: TypeTag::Nil, graph: Some(GraphType { type_name: "[]int".to_string(), cell: false }) },
                ],
            }],
        };
        let text = desc.encode();
        assert_eq!(
            text,
            format!("g2n-unit {ABI_VERSION} print-hello-world\nentry 1 hello:string\nexit 0 x 2 a:int b:bool p:&struct%20{{%20X%20int;%20Y%20100%25%20}} s:=[]int\n")
        );
        assert_eq!(UnitDescriptor::decode(&text), Ok(desc));
    }

    #[test]
    fn descriptor_rejects_unknown_types() {
        let err = UnitDescriptor::decode("g2n-unit 1 u\nentry 0 a:quaternion\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    /// The layouts are part of the ABI: codegen writes them from
    /// `size_of`/`offset_of!` of these types, and compiled units of an
    /// [`ABI_VERSION`] must keep meaning the same bytes.
    #[test]
    fn descriptor_layouts_are_pinned() {
        use std::mem::{offset_of, size_of};
        assert_eq!(size_of::<GoString>(), 16);
        assert_eq!(size_of::<GoAny>(), 24);
        assert_eq!(size_of::<TypeDesc>(), 96);
        assert_eq!(size_of::<TypeExt>(), 96);
        assert_eq!(TYPE_EXT_OFFSETS, [0, 16, 32, 40, 48, 56, 64, 72, 80, 88]);
        assert_eq!(TYPE_DESC_OFFSETS, [0, 4, 8, 16, 32, 40, 48, 56, 64, 72, 80, 88]);
        assert_eq!(FIELD_DESC_OFFSETS, [0, 16, 24, 32]);
        assert_eq!(METHOD_DESC_OFFSETS, [0, 16]);
        assert_eq!(size_of::<FieldDesc>(), 40);
        assert_eq!(size_of::<MethodDesc>(), 24);
        assert_eq!(size_of::<SelectCase>(), 24);
        assert_eq!(size_of::<MapIter>(), 32);
        assert_eq!(size_of::<UnitRecord>(), 32);
        assert_eq!(size_of::<MeshUnitRecord>(), 48);
        assert_eq!([offset_of!(MeshUnitRecord, entry), offset_of!(MeshUnitRecord, program)], [32, 40]);
        assert_eq!(size_of::<LineFunc>(), 40);
        assert_eq!(offset_of!(LineFunc, name_offset), 16);
        assert_eq!(size_of::<ProgramTable>(), 72);
        assert_eq!(size_of::<TypeEntry>(), 40);
        assert_eq!(size_of::<FuncEntry>(), 64);
        assert_eq!(size_of::<GlobalEntry>(), 32);
    }

    #[test]
    fn tags_round_trip_through_numbers_and_names() {
        for tag in TypeTag::ALL {
            assert_eq!(TypeTag::from_u64(tag as u64), Some(tag));
            assert_eq!(TypeTag::from_go_name(tag.go_name()), Some(tag));
        }
    }
}
