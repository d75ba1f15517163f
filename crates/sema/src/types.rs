//! Go types, interned: every type is a [`TypeId`] into one [`Types`] table, so
//! the HIR and later stages compare types by id.
//!
//! See [Go spec: Types](https://go.dev/ref/spec#Types) and
//! [Constants](https://go.dev/ref/spec#Constants) for the untyped kinds.

use std::collections::HashMap;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub u32);

impl fmt::Display for TypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ty{}", self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// The type of an expression that already produced an error; operations on
    /// it report nothing more.
    Invalid,
    Bool,
    Int,
    Float64,
    String,
    UntypedBool,
    UntypedInt,
    UntypedRune,
    UntypedFloat,
    UntypedString,
    UntypedNil,
    /// `interface{}` / `any`.
    Any,
    /// The predeclared `error` interface.
    Error,
    /// The results of a call with zero or several results.
    Tuple(Vec<TypeId>),
    Func(Signature),
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
    Float32,
    /// [Complex types](https://go.dev/ref/spec#Numeric_types): a pair of
    /// float32 / float64 (real, imaginary), laid out as two adjacent floats.
    Complex64,
    Complex128,
    /// The kind of imaginary literals and constant expressions with them.
    UntypedComplex,
    /// `unsafe.Pointer`: an address any pointer type and `uintptr` convert
    /// to and from ([Package unsafe](https://pkg.go.dev/unsafe)); one word,
    /// compared and nil-able like a pointer.
    UnsafePointer,
    /// A defined type: index into [`Types::named`]. Distinct declarations
    /// are distinct types even with the same underlying type.
    Named(u32),
    Pointer(TypeId),
    Slice(TypeId),
    Array(u64, TypeId),
    Map(TypeId, TypeId),
    /// `chan T`, `<-chan T`, `chan<- T`: a pointer to a runtime channel.
    Chan(ChanDir, TypeId),
    Struct(Vec<Field>),
    /// A non-empty interface: its methods (embedded interfaces flattened),
    /// sorted by name. The empty interface is [`TypeKind::Any`].
    Interface(Vec<InterfaceMethod>),
}

/// Which operations a channel type allows ([Go spec: Channel types](https://go.dev/ref/spec#Channel_types)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChanDir {
    Both,
    /// `chan<- T`.
    Send,
    /// `<-chan T`.
    Recv,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InterfaceMethod {
    pub name: String,
    /// A [`TypeKind::Func`] type.
    pub sig: TypeId,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    pub name: String,
    pub ty: TypeId,
    /// Declared without a name (`struct { T }`).
    pub embedded: bool,
    /// The field's tag, decoded (`json:"x"`); empty without one. Part of
    /// the struct type's identity, as in Go.
    pub tag: String,
}

/// A defined type's name, underlying type and methods.
#[derive(Clone, Debug)]
pub struct NamedType {
    pub name: String,
    /// Set once the declaration is resolved; `INVALID` until then.
    pub underlying: TypeId,
    /// Methods by name: the function's index in the program and whether the
    /// receiver is a pointer.
    pub methods: Vec<Method>,
    /// For an instance of a generic type: the generic type's name and the
    /// type arguments (reflection spells them package-qualified).
    pub instance_of: Option<(String, Vec<TypeId>)>,
    /// The import path of the stdlib package that declares the type; `None`
    /// for the program's own (`main`) types.
    pub package: Option<String>,
    /// That package's name where its package clause does not say the last
    /// element of its path (a module's package `lib` in directory mylib).
    pub clause_name: Option<String>,
}

impl NamedType {
    /// The package name that qualifies the type, as Go's %T and reflect
    /// spell it: `bufio` for `bufio.Writer`, `md5` for `crypto/md5`, `lib`
    /// for a type of package `lib` in directory mylib, `main` for the
    /// program's.
    pub fn package_name(&self) -> &str {
        match (&self.clause_name, &self.package) {
            (Some(name), _) => name,
            (None, Some(path)) => path.rsplit('/').next().unwrap_or(path),
            (None, None) => "main",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Method {
    pub name: String,
    pub func: u32,
    pub pointer_receiver: bool,
    /// A wrapper for a method promoted from an embedded field, made by
    /// sema: it does not promote further (the field's own method does).
    pub promoted: bool,
}

/// Size and alignment in bytes, as Go lays values out on 64-bit targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub size: u64,
    pub align: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    pub params: Vec<TypeId>,
    pub results: Vec<TypeId>,
    /// The last parameter is `...T`; its entry in `params` is the element type.
    pub variadic: bool,
}

/// The interning table. The first entries are fixed so that the common types
/// have constant ids.
#[derive(Clone, Debug)]
pub struct Types {
    kinds: Vec<TypeKind>,
    ids: rustc_hash::FxHashMap<TypeKind, TypeId>,
    pub named: Vec<NamedType>,
    /// The methods promoted into unnamed struct types (`struct{ In }`), by
    /// the struct type: sema makes their wrappers when such a value first
    /// becomes an interface value.
    pub struct_methods: HashMap<TypeId, Vec<Method>>,
    /// The names of the packages whose package clause does not say the
    /// last element of their path, by path ([`NamedType::clause_name`]).
    clause_names: HashMap<String, String>,
}

impl Types {
    pub const INVALID: TypeId = TypeId(0);
    pub const BOOL: TypeId = TypeId(1);
    pub const INT: TypeId = TypeId(2);
    pub const FLOAT64: TypeId = TypeId(3);
    pub const STRING: TypeId = TypeId(4);
    pub const UNTYPED_BOOL: TypeId = TypeId(5);
    pub const UNTYPED_INT: TypeId = TypeId(6);
    pub const UNTYPED_RUNE: TypeId = TypeId(7);
    pub const UNTYPED_FLOAT: TypeId = TypeId(8);
    pub const UNTYPED_STRING: TypeId = TypeId(9);
    pub const UNTYPED_NIL: TypeId = TypeId(10);
    pub const ANY: TypeId = TypeId(11);
    pub const ERROR: TypeId = TypeId(12);
    pub const INT8: TypeId = TypeId(13);
    pub const INT16: TypeId = TypeId(14);
    pub const INT32: TypeId = TypeId(15);
    pub const INT64: TypeId = TypeId(16);
    pub const UINT: TypeId = TypeId(17);
    pub const UINT8: TypeId = TypeId(18);
    pub const UINT16: TypeId = TypeId(19);
    pub const UINT32: TypeId = TypeId(20);
    pub const UINT64: TypeId = TypeId(21);
    pub const UINTPTR: TypeId = TypeId(22);
    pub const FLOAT32: TypeId = TypeId(23);
    /// The empty tuple: the "type" of a call without results.
    pub const VOID: TypeId = TypeId(24);
    pub const COMPLEX64: TypeId = TypeId(25);
    pub const COMPLEX128: TypeId = TypeId(26);
    pub const UNTYPED_COMPLEX: TypeId = TypeId(27);
    pub const UNSAFE_POINTER: TypeId = TypeId(28);

    pub fn new() -> Types {
        let mut types = Types { kinds: Vec::new(), ids: Default::default(), named: Vec::new(), struct_methods: HashMap::new(), clause_names: HashMap::new() };
        for kind in [
            TypeKind::Invalid,
            TypeKind::Bool,
            TypeKind::Int,
            TypeKind::Float64,
            TypeKind::String,
            TypeKind::UntypedBool,
            TypeKind::UntypedInt,
            TypeKind::UntypedRune,
            TypeKind::UntypedFloat,
            TypeKind::UntypedString,
            TypeKind::UntypedNil,
            TypeKind::Any,
            TypeKind::Error,
            TypeKind::Int8,
            TypeKind::Int16,
            TypeKind::Int32,
            TypeKind::Int64,
            TypeKind::Uint,
            TypeKind::Uint8,
            TypeKind::Uint16,
            TypeKind::Uint32,
            TypeKind::Uint64,
            TypeKind::Uintptr,
            TypeKind::Float32,
            TypeKind::Tuple(Vec::new()),
            TypeKind::Complex64,
            TypeKind::Complex128,
            TypeKind::UntypedComplex,
            TypeKind::UnsafePointer,
        ] {
            types.intern(kind);
        }
        types
    }

    pub fn intern(&mut self, kind: TypeKind) -> TypeId {
        if let Some(&id) = self.ids.get(&kind) {
            return id;
        }
        let id = TypeId(self.kinds.len() as u32);
        self.kinds.push(kind.clone());
        self.ids.insert(kind, id);
        id
    }

    /// Whether `a` and `b` are identical if struct tags are ignored (at
    /// every depth), as conversions compare underlying types.
    pub fn identical_ignoring_tags(&self, a: TypeId, b: TypeId) -> bool {
        self.identical_ignoring_tags_within(a, b, 0)
    }

    fn identical_ignoring_tags_within(&self, a: TypeId, b: TypeId, depth: u32) -> bool {
        if a == b {
            return true;
        }
        if depth > 64 {
            return false;
        }
        let same = |x: TypeId, y: TypeId| self.identical_ignoring_tags_within(x, y, depth + 1);
        match (self.kind(a), self.kind(b)) {
            (TypeKind::Struct(fa), TypeKind::Struct(fb)) => {
                fa.len() == fb.len() && fa.iter().zip(fb).all(|(x, y)| x.name == y.name && x.embedded == y.embedded && same(x.ty, y.ty))
            }
            (TypeKind::Pointer(x), TypeKind::Pointer(y)) | (TypeKind::Slice(x), TypeKind::Slice(y)) => same(*x, *y),
            (TypeKind::Array(n, x), TypeKind::Array(m, y)) => n == m && same(*x, *y),
            (TypeKind::Map(k1, v1), TypeKind::Map(k2, v2)) => same(*k1, *k2) && same(*v1, *v2),
            (TypeKind::Chan(d1, x), TypeKind::Chan(d2, y)) => d1 == d2 && same(*x, *y),
            (TypeKind::Func(s1), TypeKind::Func(s2)) => {
                s1.variadic == s2.variadic
                    && s1.params.len() == s2.params.len()
                    && s1.results.len() == s2.results.len()
                    && s1.params.iter().zip(&s2.params).all(|(x, y)| same(*x, *y))
                    && s1.results.iter().zip(&s2.results).all(|(x, y)| same(*x, *y))
            }
            _ => false,
        }
    }

    /// The id of a type already interned, without interning it.
    /// Whether some interface type has a method for which `pred` holds.
    pub fn any_interface_method(&self, pred: impl Fn(&InterfaceMethod) -> bool) -> bool {
        self.kinds.iter().any(|kind| matches!(kind, TypeKind::Interface(methods) if methods.iter().any(&pred)))
    }

    /// How many types are interned: their ids are those below it.
    pub fn count(&self) -> usize {
        self.kinds.len()
    }

    pub fn lookup(&self, kind: &TypeKind) -> Option<TypeId> {
        self.ids.get(kind).copied()
    }

    pub fn kind(&self, id: TypeId) -> &TypeKind {
        self.kinds.get(id.0 as usize).unwrap_or(&TypeKind::Invalid)
    }

    /// A new defined type; its underlying type is set by [`Types::set_underlying`].
    pub fn new_named(&mut self, name: &str, package: Option<String>) -> TypeId {
        let index = self.named.len() as u32;
        let clause_name = package.as_ref().and_then(|path| self.clause_names.get(path)).cloned();
        self.named.push(NamedType { name: name.to_string(), underlying: Types::INVALID, methods: Vec::new(), instance_of: None, package, clause_name });
        self.intern(TypeKind::Named(index))
    }

    /// Records the name of package `path`'s package clause, before its
    /// types are declared, when it is not the last element of the path.
    pub fn set_package_name(&mut self, path: &str, name: &str) {
        if path.rsplit('/').next() != Some(name) {
            self.clause_names.insert(path.to_string(), name.to_string());
        }
    }

    pub fn set_underlying(&mut self, named: TypeId, underlying: TypeId) {
        let underlying = self.underlying(underlying);
        if let TypeKind::Named(index) = self.kind(named).clone()
            && let Some(n) = self.named.get_mut(index as usize)
        {
            n.underlying = underlying;
        }
    }

    pub fn named_info(&self, id: TypeId) -> Option<&NamedType> {
        match self.kind(id) {
            TypeKind::Named(index) => self.named.get(*index as usize),
            _ => None,
        }
    }

    /// The methods in the method set of a concrete type, sorted by name
    /// ([Go spec: Method sets](https://go.dev/ref/spec#Method_sets)): `*T`
    /// has every method of `T`, `T` only the value-receiver ones. Methods
    /// promoted from embedded fields are among them: they are the struct
    /// type's own wrapper methods, which sema synthesizes. The type checker's
    /// implements test and codegen's type descriptors both read this.
    pub fn method_set(&self, ty: TypeId) -> Vec<Method> {
        let (named, pointer) = match self.kind(ty) {
            TypeKind::Pointer(elem) => (*elem, true),
            _ => (ty, false),
        };
        let declared = match self.named_info(named) {
            Some(info) => &info.methods,
            None => match self.struct_methods.get(&named) {
                Some(methods) => methods,
                None => return Vec::new(),
            },
        };
        let mut methods: Vec<Method> = declared.iter().filter(|m| pointer || !m.pointer_receiver).cloned().collect();
        methods.sort_by(|a, b| a.name.cmp(&b.name));
        methods
    }

    /// The underlying type ([Go spec: Underlying types](https://go.dev/ref/spec#Underlying_types)).
    pub fn underlying(&self, id: TypeId) -> TypeId {
        let mut id = id;
        for _ in 0..64 {
            match self.kind(id) {
                TypeKind::Named(index) => match self.named.get(*index as usize) {
                    Some(n) if n.underlying != id => id = n.underlying,
                    _ => return Types::INVALID,
                },
                _ => return id,
            }
        }
        Types::INVALID
    }

    /// The kind of the underlying type.
    pub fn under(&self, id: TypeId) -> &TypeKind {
        self.kind(self.underlying(id))
    }

    /// The methods of an interface type, sorted by name (`error` has `Error`).
    pub fn interface_methods(&mut self, id: TypeId) -> Option<Vec<InterfaceMethod>> {
        match self.under(id).clone() {
            TypeKind::Any => Some(Vec::new()),
            TypeKind::Error => {
                let sig = self.intern(TypeKind::Func(Signature { params: Vec::new(), results: vec![Types::STRING], variadic: false }));
                Some(vec![InterfaceMethod { name: "Error".to_string(), sig }])
            }
            TypeKind::Interface(methods) => Some(methods),
            _ => None,
        }
    }

    /// A signature as Go spells its func type: `func(int, ...string) (bool, error)`.
    pub fn signature_text(&self, sig: &Signature) -> String {
        self.signature_spell(sig, false)
    }

    /// A signature as run-time method keys spell it (see [`Types::key_text`]).
    pub fn signature_key_text(&self, sig: &Signature) -> String {
        self.signature_spell(sig, true)
    }

    fn signature_spell(&self, sig: &Signature, keyed: bool) -> String {
        let mut params: Vec<String> = sig.params.iter().map(|t| self.spell(*t, keyed)).collect();
        if sig.variadic
            && let Some(last) = params.last_mut()
        {
            *last = format!("...{last}");
        }
        let results: Vec<String> = sig.results.iter().map(|t| self.spell(*t, keyed)).collect();
        match results.len() {
            0 => format!("func({})", params.join(", ")),
            1 => format!("func({}) {}", params.join(", "), results.join("")),
            _ => format!("func({}) ({})", params.join(", "), results.join(", ")),
        }
    }

    /// The methods of an interface type as run-time method tables key them
    /// (name and signature, [`g2n_abi::method_key`]), sorted by name.
    pub fn interface_method_keys(&self, id: TypeId) -> Option<Vec<String>> {
        match self.under(id) {
            TypeKind::Any => Some(Vec::new()),
            TypeKind::Error => {
                let sig = Signature { params: Vec::new(), results: vec![Types::STRING], variadic: false };
                Some(vec![g2n_abi::method_key("Error", &self.signature_key_text(&sig))])
            }
            TypeKind::Interface(methods) => Some(methods.iter().map(|m| g2n_abi::method_key(&m.name, &self.key_text(m.sig))).collect()),
            _ => None,
        }
    }

    /// The method names of an interface type, sorted.
    pub fn interface_method_names(&self, id: TypeId) -> Option<Vec<String>> {
        match self.under(id) {
            TypeKind::Any => Some(Vec::new()),
            TypeKind::Error => Some(vec!["Error".to_string()]),
            TypeKind::Interface(methods) => Some(methods.iter().map(|m| m.name.clone()).collect()),
            _ => None,
        }
    }

    /// Pointers, slices, maps and functions: `nil` converts to them.
    pub fn is_nilable(&self, id: TypeId) -> bool {
        matches!(
            self.under(id),
            TypeKind::Pointer(_) | TypeKind::UnsafePointer | TypeKind::Slice(_) | TypeKind::Map(..) | TypeKind::Func(_) | TypeKind::Chan(..)
        )
    }

    pub fn is_named(&self, id: TypeId) -> bool {
        matches!(self.kind(id), TypeKind::Named(_))
    }

    /// Structs and arrays: values that codegen keeps in memory and handles by
    /// address.
    pub fn is_aggregate(&self, id: TypeId) -> bool {
        matches!(self.under(id), TypeKind::Struct(_) | TypeKind::Array(..))
    }

    pub fn layout(&self, id: TypeId) -> Layout {
        self.layout_within(id, 0)
    }

    /// Whether `id` holds a value of type `target` inline (not behind a
    /// pointer, slice or map): a type that holds itself has no size.
    pub fn contains_inline(&self, id: TypeId, target: TypeId) -> bool {
        self.contains_inline_within(id, target, 0)
    }

    fn contains_inline_within(&self, id: TypeId, target: TypeId, depth: u32) -> bool {
        if depth > 64 {
            return true;
        }
        match self.under(id) {
            TypeKind::Array(_, elem) => *elem == target || self.contains_inline_within(*elem, target, depth + 1),
            TypeKind::Struct(fields) => {
                fields.iter().any(|f| f.ty == target || self.contains_inline_within(f.ty, target, depth + 1))
            }
            _ => false,
        }
    }

    fn layout_within(&self, id: TypeId, depth: u32) -> Layout {
        let word = Layout { size: 8, align: 8 };
        if depth > 64 {
            // Only an invalid recursive type nests this deep; sema reports it.
            return word;
        }
        match self.under(self.default_type(id)) {
            TypeKind::Bool | TypeKind::Int8 | TypeKind::Uint8 => Layout { size: 1, align: 1 },
            TypeKind::Int16 | TypeKind::Uint16 => Layout { size: 2, align: 2 },
            TypeKind::Int32 | TypeKind::Uint32 | TypeKind::Float32 => Layout { size: 4, align: 4 },
            TypeKind::Complex64 => Layout { size: 8, align: 4 },
            TypeKind::Complex128 => Layout { size: 16, align: 8 },
            TypeKind::String => Layout { size: 16, align: 8 },
            TypeKind::Slice(_) | TypeKind::Any | TypeKind::Error | TypeKind::Interface(_) | TypeKind::UntypedNil => {
                Layout { size: 24, align: 8 }
            }
            TypeKind::Array(len, elem) => {
                let elem = self.layout_within(*elem, depth + 1);
                Layout { size: elem.size.saturating_mul(*len), align: elem.align }
            }
            TypeKind::Struct(fields) => {
                let mut size = 0u64;
                let mut align = 1u64;
                for field in fields {
                    let l = self.layout_within(field.ty, depth + 1);
                    size = size.div_ceil(l.align).saturating_mul(l.align).saturating_add(l.size);
                    align = align.max(l.align);
                }
                Layout { size: size.div_ceil(align) * align, align }
            }
            TypeKind::Tuple(elems) if elems.is_empty() => Layout { size: 0, align: 1 },
            _ => word,
        }
    }

    /// Byte offset of each field of a struct type.
    pub fn field_offsets(&self, id: TypeId) -> Vec<u64> {
        let TypeKind::Struct(fields) = self.under(id) else { return Vec::new() };
        let mut offsets = Vec::with_capacity(fields.len());
        let mut size = 0u64;
        for field in fields {
            let l = self.layout(field.ty);
            size = size.div_ceil(l.align) * l.align;
            offsets.push(size);
            size += l.size;
        }
        offsets
    }

    /// The element type of a pointer, slice, array or map value.
    pub fn elem(&self, id: TypeId) -> Option<TypeId> {
        match self.under(id) {
            TypeKind::Pointer(t) | TypeKind::Slice(t) | TypeKind::Array(_, t) | TypeKind::Map(_, t) => Some(*t),
            _ => None,
        }
    }

    /// The direction and element type of a channel type.
    pub fn chan(&self, id: TypeId) -> Option<(ChanDir, TypeId)> {
        match self.under(id) {
            TypeKind::Chan(dir, t) => Some((*dir, *t)),
            _ => None,
        }
    }

    pub fn is_untyped(&self, id: TypeId) -> bool {
        matches!(
            self.kind(id),
            TypeKind::UntypedBool
                | TypeKind::UntypedInt
                | TypeKind::UntypedRune
                | TypeKind::UntypedFloat
                | TypeKind::UntypedComplex
                | TypeKind::UntypedString
                | TypeKind::UntypedNil
        )
    }

    /// The type an untyped constant takes where no other type is asked for.
    /// See [Go spec: Constants](https://go.dev/ref/spec#Constants) ("default type").
    pub fn default_type(&self, id: TypeId) -> TypeId {
        match self.kind(id) {
            TypeKind::UntypedBool => Types::BOOL,
            TypeKind::UntypedInt => Types::INT,
            TypeKind::UntypedRune => Types::INT32,
            TypeKind::UntypedFloat => Types::FLOAT64,
            TypeKind::UntypedComplex => Types::COMPLEX128,
            TypeKind::UntypedString => Types::STRING,
            _ => id,
        }
    }

    pub fn is_integer(&self, id: TypeId) -> bool {
        matches!(self.kind(id), TypeKind::UntypedInt | TypeKind::UntypedRune) || self.int_info(id).is_some()
    }

    /// Bits and signedness of a typed integer type.
    pub fn int_info(&self, id: TypeId) -> Option<(u32, bool)> {
        Some(match self.under(id) {
            TypeKind::Int | TypeKind::Int64 => (64, true),
            TypeKind::Int8 => (8, true),
            TypeKind::Int16 => (16, true),
            TypeKind::Int32 => (32, true),
            TypeKind::Uint | TypeKind::Uint64 | TypeKind::Uintptr => (64, false),
            TypeKind::Uint8 => (8, false),
            TypeKind::Uint16 => (16, false),
            TypeKind::Uint32 => (32, false),
            _ => return None,
        })
    }

    pub fn is_float(&self, id: TypeId) -> bool {
        matches!(self.under(id), TypeKind::Float64 | TypeKind::Float32 | TypeKind::UntypedFloat)
    }

    pub fn is_complex(&self, id: TypeId) -> bool {
        matches!(self.under(id), TypeKind::Complex64 | TypeKind::Complex128 | TypeKind::UntypedComplex)
    }

    /// Integers, floats and complex numbers ([Go spec: Numeric types](https://go.dev/ref/spec#Numeric_types)).
    pub fn is_numeric(&self, id: TypeId) -> bool {
        self.is_integer(id) || self.is_float(id) || self.is_complex(id)
    }

    /// Numeric and not complex: the types that are ordered (`<`) and convert
    /// among each other.
    pub fn is_real(&self, id: TypeId) -> bool {
        self.is_integer(id) || self.is_float(id)
    }

    pub fn is_unsigned(&self, id: TypeId) -> bool {
        self.int_info(id).is_some_and(|(_, signed)| !signed)
    }

    pub fn is_string(&self, id: TypeId) -> bool {
        matches!(self.under(id), TypeKind::String | TypeKind::UntypedString)
    }

    pub fn is_boolean(&self, id: TypeId) -> bool {
        matches!(self.under(id), TypeKind::Bool | TypeKind::UntypedBool)
    }

    pub fn is_interface(&self, id: TypeId) -> bool {
        matches!(self.under(id), TypeKind::Any | TypeKind::Error | TypeKind::Interface(_))
    }

    /// Go's spelling of a type, as diagnostics, manifests and `%T` show it.
    pub fn display(&self, id: TypeId) -> String {
        self.spell(id, false)
    }

    /// A type's spelling for run-time method keys ([`g2n_abi::method_key`]):
    /// as [`Types::display`], but a named type that shares its name with an
    /// earlier one (a local type of another function, an instance of a
    /// generic type over such a type) is told apart by Go's `·N` suffix,
    /// so that signatures naming different types never match.
    pub fn key_text(&self, id: TypeId) -> String {
        self.spell(id, true)
    }

    fn spell(&self, id: TypeId, keyed: bool) -> String {
        match self.kind(id) {
            TypeKind::Invalid => "invalid type".to_string(),
            TypeKind::Bool => "bool".to_string(),
            TypeKind::Int => "int".to_string(),
            TypeKind::Float64 => "float64".to_string(),
            TypeKind::String => "string".to_string(),
            TypeKind::UntypedBool => "untyped bool".to_string(),
            TypeKind::UntypedInt => "untyped int".to_string(),
            TypeKind::UntypedRune => "untyped rune".to_string(),
            TypeKind::UntypedFloat => "untyped float".to_string(),
            TypeKind::UntypedString => "untyped string".to_string(),
            TypeKind::UntypedNil => "untyped nil".to_string(),
            TypeKind::Any => "any".to_string(),
            TypeKind::Int8 => "int8".to_string(),
            TypeKind::Int16 => "int16".to_string(),
            TypeKind::Int32 => "int32".to_string(),
            TypeKind::Int64 => "int64".to_string(),
            TypeKind::Uint => "uint".to_string(),
            TypeKind::Uint8 => "uint8".to_string(),
            TypeKind::Uint16 => "uint16".to_string(),
            TypeKind::Uint32 => "uint32".to_string(),
            TypeKind::Uint64 => "uint64".to_string(),
            TypeKind::Uintptr => "uintptr".to_string(),
            TypeKind::Float32 => "float32".to_string(),
            TypeKind::Complex64 => "complex64".to_string(),
            TypeKind::Complex128 => "complex128".to_string(),
            TypeKind::UntypedComplex => "untyped complex".to_string(),
            TypeKind::UnsafePointer => "unsafe.Pointer".to_string(),
            TypeKind::Error => "error".to_string(),
            TypeKind::Tuple(elems) => {
                let elems: Vec<String> = elems.iter().map(|t| self.spell(*t, keyed)).collect();
                format!("({})", elems.join(", "))
            }
            // Qualified outside the program, as Go's errors spell types of
            // other packages (`bufio.Writer`).
            TypeKind::Named(index) => self.named.get(*index as usize).map_or("?".to_string(), |n| {
                let name = match n.package {
                    Some(_) => format!("{}.{}", n.package_name(), n.name),
                    None => n.name.clone(),
                };
                let earlier = if keyed { self.named[..*index as usize].iter().filter(|m| m.name == n.name && m.package == n.package).count() } else { 0 };
                if earlier == 0 { name } else { format!("{name}·{earlier}") }
            }),
            TypeKind::Pointer(t) => format!("*{}", self.spell(*t, keyed)),
            TypeKind::Slice(t) => format!("[]{}", self.spell(*t, keyed)),
            TypeKind::Array(n, t) => format!("[{n}]{}", self.spell(*t, keyed)),
            TypeKind::Map(k, v) => format!("map[{}]{}", self.spell(*k, keyed), self.spell(*v, keyed)),
            TypeKind::Chan(dir, t) => {
                let elem = self.spell(*t, keyed);
                match dir {
                    ChanDir::Both if matches!(self.kind(*t), TypeKind::Chan(ChanDir::Recv, _)) => format!("chan ({elem})"),
                    ChanDir::Both => format!("chan {elem}"),
                    ChanDir::Send => format!("chan<- {elem}"),
                    ChanDir::Recv => format!("<-chan {elem}"),
                }
            }
            TypeKind::Interface(methods) => {
                let methods: Vec<String> = methods
                    .iter()
                    .map(|m| format!("{}{}", m.name, self.spell(m.sig, keyed).trim_start_matches("func")))
                    .collect();
                format!("interface{{{}}}", methods.join("; "))
            }
            TypeKind::Struct(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| if f.embedded { self.spell(f.ty, keyed) } else { format!("{} {}", f.name, self.spell(f.ty, keyed)) })
                    .collect();
                format!("struct{{{}}}", fields.join("; "))
            }
            TypeKind::Func(sig) => {
                self.signature_spell(sig, keyed)
            }
        }
    }
}

impl Default for Types {
    fn default() -> Types {
        Types::new()
    }
}

#[cfg(test)]
mod method_key_tests {
    use super::*;

    /// The runtime's fmt looks up Error and String by these keys: they must
    /// be what codegen writes for `() string` methods.
    #[test]
    fn fmt_method_keys_match_the_spelling_of_signatures() {
        let types = Types::new();
        assert_eq!(types.interface_method_keys(Types::ERROR), Some(vec![String::from_utf8(g2n_abi::ERROR_METHOD_KEY.to_vec()).unwrap()]));
        let sig = Signature { params: Vec::new(), results: vec![Types::STRING], variadic: false };
        assert_eq!(g2n_abi::method_key("String", &types.signature_text(&sig)).as_bytes(), g2n_abi::STRING_METHOD_KEY);
        assert_eq!(g2n_abi::method_key("GoString", &types.signature_text(&sig)).as_bytes(), g2n_abi::GO_STRING_METHOD_KEY);
    }
}
