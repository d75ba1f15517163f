//! Package-level variables as data: the storage of each, and, for those whose
//! initialiser is constant, the initial value itself, laid out in the object
//! so that no code runs at start-up to build it (strconv's and unicode's
//! tables: arrays, slices and `&T{...}` of constants).
//!
//! A constant initialiser is one made only of constants (numbers, booleans,
//! strings, nil), struct and array literals, slice literals, `&T{...}` of
//! such literals, and the values of statically initialised variables that
//! nothing but their initialiser writes, other than structs and arrays
//! (unicode's `var Letter = _L`, `[]*RangeTable{L, M}`).
//! Each slice literal's backing array and each `&T{...}` object becomes a
//! data object of its own, which the variable's data (or the enclosing
//! object) points to through a relocation. Anything else (a call, any other
//! variable, a conversion to an interface, a function value, a map literal)
//! keeps the variable's start-up code.
//! Map literals stay code because a map is a runtime hash table, built by
//! its inserts.
//!
//! Correctness: Go's initialisation order runs a variable's initialiser
//! before any code that refers to the variable (sema orders them by
//! dependency, `check/init_order.rs`), so no code can observe a statically
//! initialised variable before the moment its initialiser would have run,
//! and since a constant initialiser has no side effects, running it "before
//! everything" is the same as running it in order. The storage stays
//! writable: the variable, its backing arrays and its objects can be
//! assigned or have their address taken like any other. The collector
//! (bdwgc) scans the executable's writable data, so a heap pointer that the
//! program later stores into any of these objects keeps its target alive;
//! pointers from this data to this data or to string constants are ignored
//! by the collector, as pointers to non-heap memory are.
//!
//! A unit whose package initialisers run on every arrival of a flow (a
//! config entered at a hop re-initialises its variables each time,
//! docs/language.md) keeps start-up code for all of them: data initialised
//! once could not be reset.

use super::*;
use std::collections::HashSet;
use std::fmt::Write as _;

/// The bytes of one data object and the pointers in it to other data.
#[derive(Clone)]
struct Image {
    bytes: Vec<u8>,
    /// `(offset, target)`: the address of `target` goes at `offset`.
    relocs: Vec<(u32, DataId)>,
}

impl Image {
    fn zeroed(size: u64) -> Image {
        Image { bytes: vec![0; size as usize], relocs: Vec::new() }
    }

    fn put(&mut self, at: u64, bytes: &[u8]) {
        let at = at as usize;
        self.bytes[at..at + bytes.len()].copy_from_slice(bytes);
    }
}

/// Variables whose value is their initial value for as long as the program
/// runs: statically initialised ones, not structs or arrays (whose fields
/// and elements change through pointers), that no statement assigns and
/// whose address is never taken. Copying such a variable's data is the
/// same as reading it at any time.
struct Constants<'p> {
    program: &'p hir::Program,
    /// Package-level variables some statement writes (or that escape).
    written: HashSet<LocalId>,
    /// The statically initialised variables so far and their data.
    images: HashMap<LocalId, Image>,
}

impl<'p> Constants<'p> {
    fn new(program: &'p hir::Program) -> Self {
        let mut written: HashSet<LocalId> = HashSet::new();
        for func in &program.funcs {
            hir::walk_stmts(&func.body.stmts, &mut |stmt| match &stmt.kind {
                StmtKind::Define { local, .. } | StmtKind::Assign { local, .. } => {
                    written.insert(*local);
                }
                StmtKind::AssignTuple { locals, .. } => written.extend(locals.iter().flatten()),
                StmtKind::RangeMap { key, value, .. } => written.extend(key.iter().chain(value)),
                StmtKind::Select { cases, .. } => {
                    written.extend(cases.iter().flat_map(|c| c.recv_value.iter().chain(&c.recv_ok)));
                }
                _ => {}
            });
        }
        let escaping = program.global_inits.iter().map(|(l, _)| *l).filter(|l| program.local(*l).escapes);
        written.extend(escaping);
        Constants { program, written, images: HashMap::new() }
    }

    /// Whether `expr` is a constant initialiser (module documentation): one
    /// whose value [`ModuleCtx::write_value`] can lay out.
    fn is_constant(&self, expr: ExprId) -> bool {
        let program = self.program;
        let e = program.expr(expr);
        match &e.kind {
            ExprKind::Const(value) => const_bytes(program, value, e.ty).is_some() || matches!(value, ConstValue::String(_)) && is_string(program, e.ty),
            ExprKind::Composite { elems } | ExprKind::SliceLit { elems, .. } => elems.iter().all(|(_, v)| self.is_constant(*v)),
            ExprKind::AggregateAddr(inner) => matches!(program.expr(*inner).kind, ExprKind::Composite { .. }) && self.is_constant(*inner),
            // A struct or array variable can also change through a pointer
            // to its fields or elements: never copied.
            ExprKind::Local(local) => {
                self.images.contains_key(local) && !self.written.contains(local) && !program.types.is_aggregate(e.ty)
            }
            _ => false,
        }
    }
}

fn is_string(program: &hir::Program, ty: TypeId) -> bool {
    layout::class_of(&program.types, ty) == Class::String
}

/// The bytes of a constant that holds no pointer, as codegen stores it
/// (`lower_const`, then `store_value`); `None` for a string or a constant
/// of a type it does not lay out.
fn const_bytes(program: &hir::Program, value: &ConstValue, ty: TypeId) -> Option<Vec<u8>> {
    let parts = parts_of(&program.types, ty)?;
    let float = |part: Type, v: f64| if part == types::F32 { (v as f32).to_le_bytes().to_vec() } else { v.to_le_bytes().to_vec() };
    Some(match (value, layout::class_of(&program.types, ty)) {
        (ConstValue::Int(v), Class::Integer { bits, .. }) => v.to_le_bytes()[..bits as usize / 8].to_vec(),
        (ConstValue::Float(v), Class::Integer { bits, .. }) => v.to_i128().unwrap_or_default().to_le_bytes()[..bits as usize / 8].to_vec(),
        (ConstValue::Int(v), Class::Float) => float(parts[0], *v as f64),
        (ConstValue::Float(v), Class::Float) => float(parts[0], if parts[0] == types::F32 { v.to_f32() } else { v.to_f64() }),
        (ConstValue::Int(_) | ConstValue::Float(_) | ConstValue::Complex(..), Class::Complex) => {
            use g2n_sema::exact::Exact;
            let (re, im) = match value {
                ConstValue::Int(v) => (Exact::from_i128(*v), Exact::from_i128(0)),
                ConstValue::Complex(r, i) => (r.clone(), i.clone()),
                ConstValue::Float(f) => (f.clone(), Exact::from_i128(0)),
                _ => return None,
            };
            let round = |x: &Exact| if parts[0] == types::F32 { x.to_f32() } else { x.to_f64() };
            let mut bytes = float(parts[0], round(&re));
            bytes.extend(float(parts[1], round(&im)));
            bytes
        }
        (ConstValue::Bool(b), Class::Bool) => vec![*b as u8],
        (ConstValue::Nil, Class::Other | Class::Pointer | Class::Slice | Class::Interface) => vec![0; parts.len() * 8],
        _ => return None,
    })
}

impl ModuleCtx<'_> {
    /// Declares and defines the storage of every package-level variable:
    /// with its initial value for those whose initialiser is constant
    /// (when `static_init`), which the unit entry then does not initialise
    /// ([`ModuleCtx::static_globals`]); zeroed for the others.
    pub(super) fn define_globals(&mut self, program: &hir::Program, static_init: bool) -> Result<(), CodegenError> {
        let mut constants = Constants::new(program);
        for (local, init) in &program.global_inits {
            let l = program.local(*local);
            let parts = parts_of(&program.types, l.ty).ok_or_else(|| unsupported("package-level variables of this type", l.span))?;
            let name = self.symbol(&format!("g2n_global{}_{}", local.0, l.name));
            let id = self.module.declare_data(&name, Linkage::Local, true, false).map_err(backend)?;
            let size = program.types.layout(l.ty).size.max(parts.len() as u64 * 8).max(8);
            let constant = init.filter(|init| static_init && constants.is_constant(*init));
            match constant {
                Some(init) => {
                    let mut image = Image::zeroed(size);
                    let mut nested = 0;
                    self.write_value(&constants, init, &mut image, 0, &name, &mut nested)?;
                    constants.images.insert(*local, image.clone());
                    self.define_image(id, &name, image)?;
                    self.static_globals.insert(*local);
                }
                None => {
                    let mut data = DataDescription::new();
                    data.define_zeroinit(size as usize);
                    data.set_align(8);
                    self.module.define_data(id, &data).map_err(backend)?;
                }
            }
            self.globals.insert(*local, id);
        }
        Ok(())
    }

    /// Lays out the value of constant initialiser `expr` at `at` in `image`;
    /// the objects it points to are defined as data objects named
    /// `{owner}.{n}`.
    fn write_value(&mut self, constants: &Constants<'_>, expr: ExprId, image: &mut Image, at: u64, owner: &str, nested: &mut u32) -> Result<(), CodegenError> {
        let program = constants.program;
        let e = program.expr(expr);
        match &e.kind {
            ExprKind::Local(local) => {
                let source = constants.images.get(local).ok_or_else(|| unsupported("this package-level initialiser as data", e.span))?;
                // The value's own bytes: the variable's data may be longer.
                let size = (program.types.layout(e.ty).size as usize).min(source.bytes.len());
                image.put(at, &source.bytes[..size]);
                let relocs = source.relocs.iter().filter(|(offset, _)| (*offset as usize) < size);
                image.relocs.extend(relocs.map(|(offset, target)| (offset + at as u32, *target)));
            }
            // "" stays zero: a nil pointer, as Go's empty string has.
            ExprKind::Const(ConstValue::String(s)) if s.is_empty() && is_string(program, e.ty) => {}
            ExprKind::Const(ConstValue::String(s)) if is_string(program, e.ty) => {
                let id = self.string_data(s)?;
                self.data_names.entry(id).or_insert_with(|| format!("string {:?}", String::from_utf8_lossy(s)));
                image.relocs.push((at as u32, id));
                image.put(at + 8, &(s.len() as u64).to_le_bytes());
            }
            ExprKind::Const(value) => {
                let bytes = const_bytes(program, value, e.ty).ok_or_else(|| unsupported("this constant", e.span))?;
                image.put(at, &bytes);
            }
            ExprKind::Composite { elems } => {
                for (offset, value) in elems {
                    self.write_value(constants, *value, image, at + offset, owner, nested)?;
                }
            }
            ExprKind::SliceLit { len, elems } => {
                let elem_size = program.types.elem(e.ty).map_or(0, |t| program.types.layout(t).size);
                let mut backing = Image::zeroed(elem_size * len);
                for (index, value) in elems {
                    self.write_value(constants, *value, &mut backing, index * elem_size, owner, nested)?;
                }
                let id = self.define_nested(owner, nested, backing)?;
                image.relocs.push((at as u32, id));
                image.put(at + 8, &len.to_le_bytes());
                image.put(at + 16, &len.to_le_bytes());
            }
            ExprKind::AggregateAddr(inner) => {
                let size = program.types.layout(program.expr(*inner).ty).size;
                let mut object = Image::zeroed(size);
                self.write_value(constants, *inner, &mut object, 0, owner, nested)?;
                let id = self.define_nested(owner, nested, object)?;
                image.relocs.push((at as u32, id));
            }
            _ => return Err(unsupported("this package-level initialiser as data", e.span)),
        }
        Ok(())
    }

    /// A backing array or `&T{...}` object of a variable's initial value.
    fn define_nested(&mut self, owner: &str, nested: &mut u32, image: Image) -> Result<DataId, CodegenError> {
        *nested += 1;
        let name = format!("{owner}.{nested}");
        let id = self.module.declare_data(&name, Linkage::Local, true, false).map_err(backend)?;
        self.define_image(id, &name, image)?;
        Ok(id)
    }

    /// Defines writable data `id` with `image` (at least one word, so that
    /// an empty slice literal's array has an address of its own, as an
    /// allocation of zero bytes has), and its text form with `--emit clif`.
    fn define_image(&mut self, id: DataId, name: &str, mut image: Image) -> Result<(), CodegenError> {
        if image.bytes.len() < 8 {
            image.bytes.resize(8, 0);
        }
        if let Some(clif) = &mut self.clif {
            data_text(clif, name, &image, |id| self.data_names.get(&id).cloned().unwrap_or_else(|| format!("{id}")));
        }
        self.data_names.insert(id, name.to_string());
        let mut data = DataDescription::new();
        data.set_align(8);
        for (at, target) in &image.relocs {
            let gv = self.module.declare_data_in_data(*target, &mut data);
            data.write_data_addr(*at, gv, 0);
        }
        data.define(image.bytes.into_boxed_slice());
        self.module.define_data(id, &data).map_err(backend)?;
        Ok(())
    }
}

/// The text form of a statically initialised data object, in the CLIF text
/// (`--emit clif`): `; data NAME (SIZE bytes)`, its bytes 16 to a line
/// (lines of zeros elided), then each pointer as `;   reloc +OFFSET -> TARGET`.
fn data_text(out: &mut String, name: &str, image: &Image, target_name: impl Fn(DataId) -> String) {
    let _ = writeln!(out, "; data {name} ({} bytes)", image.bytes.len());
    for (row, chunk) in image.bytes.chunks(16).enumerate() {
        if chunk.iter().all(|b| *b == 0) {
            continue;
        }
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let _ = writeln!(out, ";   {:04x}: {}", row * 16, hex.join(" "));
    }
    for (at, target) in &image.relocs {
        let _ = writeln!(out, ";   reloc +{at} -> {}", target_name(*target));
    }
    out.push('\n');
}

/// The set [`ModuleCtx::define_globals`] fills.
pub(super) type StaticGlobals = HashSet<LocalId>;
