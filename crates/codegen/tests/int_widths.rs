//! Integer widths are written twice: in sema, which may not import `g2n-abi`
//! (docs/architecture.md), and in `g2n_abi::TypeTag::int_info`, which the
//! runtime and generated code share. Codegen, which sees both, checks here
//! that they agree for every basic type, matched by Go name.

use g2n_abi::TypeTag;
use g2n_sema::types::{TypeId, Types};

/// Every predeclared basic type of sema's type table.
const BASIC: [TypeId; 18] = [
    Types::BOOL,
    Types::INT,
    Types::INT8,
    Types::INT16,
    Types::INT32,
    Types::INT64,
    Types::UINT,
    Types::UINT8,
    Types::UINT16,
    Types::UINT32,
    Types::UINT64,
    Types::UINTPTR,
    Types::FLOAT32,
    Types::FLOAT64,
    Types::COMPLEX64,
    Types::COMPLEX128,
    Types::STRING,
    Types::ANY,
];

#[test]
fn sema_and_abi_agree_on_every_integer_width() {
    let types = Types::new();
    let mut integers = 0;
    for id in BASIC {
        let name = types.display(id);
        let sema = types.int_info(id);
        match TypeTag::ALL.into_iter().find(|tag| tag.go_name() == name) {
            Some(tag) => assert_eq!(sema, tag.int_info(), "{name}: sema's width and signedness, then g2n-abi's"),
            None => assert_eq!(sema, None, "{name} is an integer type for sema but has no g2n-abi tag"),
        }
        integers += usize::from(sema.is_some());
    }
    let abi_integers = TypeTag::ALL.into_iter().filter(|tag| tag.int_info().is_some()).count();
    assert_eq!(integers, 11, "sema's integer types");
    assert_eq!(abi_integers, integers, "g2n-abi has integer tags that sema's basic types do not cover");
}
