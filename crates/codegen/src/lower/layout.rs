//! Machine representation of Go types: the words a value occupies and how
//! codegen classes the operands of an operator.

use super::*;

/// The machine words of a Go type, or `None` when codegen cannot represent it.
pub(super) fn parts_of(types: &g2n_sema::types::Types, ty: TypeId) -> Option<Vec<Type>> {
    Some(match types.under(types.default_type(ty)) {
        TypeKind::Pointer(_) | TypeKind::UnsafePointer | TypeKind::Map(..) | TypeKind::Func(_) | TypeKind::Chan(..) => vec![types::I64],
        TypeKind::Slice(_) => vec![types::I64, types::I64, types::I64],
        // Structs and arrays are handled by address.
        TypeKind::Struct(_) | TypeKind::Array(..) => vec![types::I64],
        TypeKind::Bool | TypeKind::Int8 | TypeKind::Uint8 => vec![types::I8],
        TypeKind::Int16 | TypeKind::Uint16 => vec![types::I16],
        TypeKind::Int32 | TypeKind::Uint32 => vec![types::I32],
        TypeKind::Int | TypeKind::Int64 | TypeKind::Uint | TypeKind::Uint64 | TypeKind::Uintptr => vec![types::I64],
        TypeKind::Float64 => vec![types::F64],
        TypeKind::Float32 => vec![types::F32],
        // Real then imaginary part, adjacent as Go lays them out.
        TypeKind::Complex64 => vec![types::F32, types::F32],
        TypeKind::Complex128 => vec![types::F64, types::F64],
        TypeKind::String => vec![types::I64, types::I64],
        TypeKind::Any | TypeKind::Error | TypeKind::Interface(_) | TypeKind::UntypedNil => vec![types::I64, types::I64, types::I64],
        TypeKind::Tuple(elems) => {
            let mut all = Vec::new();
            for elem in elems.clone() {
                all.extend(parts_of(types, elem)?);
            }
            all
        }
        _ => return None,
    })
}

/// How codegen treats the operands of an operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Class {
    Bool,
    /// Pointers, maps and functions: one address word.
    Pointer,
    Slice,
    /// Structs and arrays, by address.
    Aggregate,
    /// Interface values: tag and two payload words.
    Interface,
    /// An integer of this many bits, signed or not.
    Integer { bits: u32, signed: bool },
    Float,
    /// complex64 or complex128: two float parts.
    Complex,
    String,
    Other,
}

/// How codegen treats a value of type `ty`.
pub(super) fn class_of(types: &g2n_sema::types::Types, ty: TypeId) -> Class {
    let ty = types.default_type(ty);
    if let Some((bits, signed)) = types.int_info(ty) {
        return Class::Integer { bits, signed };
    }
    match types.under(ty) {
        TypeKind::Bool => Class::Bool,
        TypeKind::Float64 | TypeKind::Float32 => Class::Float,
        TypeKind::Complex64 | TypeKind::Complex128 => Class::Complex,
        TypeKind::String => Class::String,
        TypeKind::Pointer(_) | TypeKind::UnsafePointer | TypeKind::Map(..) | TypeKind::Func(_) | TypeKind::Chan(..) => Class::Pointer,
        TypeKind::Slice(_) => Class::Slice,
        TypeKind::Struct(_) | TypeKind::Array(..) => Class::Aggregate,
        TypeKind::Any | TypeKind::Error | TypeKind::Interface(_) | TypeKind::UntypedNil => Class::Interface,
        _ => Class::Other,
    }
}

impl Lowerer<'_, '_> {
    pub(super) fn kind(&self, ty: TypeId) -> &TypeKind {
        let types = &self.program.types;
        types.under(types.default_type(ty))
    }

    pub(super) fn class(&self, ty: TypeId) -> Class {
        class_of(&self.program.types, ty)
    }

    pub(super) fn parts(&self, ty: TypeId, span: Span) -> Result<Vec<Type>, CodegenError> {
        parts_of(&self.program.types, ty)
            .ok_or_else(|| unsupported(&format!("values of type {}", self.program.types.display(ty)), span))
    }

    pub(super) fn elem_size(&self, ty: TypeId) -> u64 {
        let types = &self.program.types;
        types.elem(ty).map_or(0, |e| types.layout(e).size)
    }
}
