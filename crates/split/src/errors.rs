//! Diagnostics of the scope analyser: problems that only show across a mesh.

use g2n_base::Span;
use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Clone, Error, Diagnostic, PartialEq)]
pub enum SplitError {
    #[error("undefined: {name}")]
    #[diagnostic(
        code(g2n::split::unresolved_free_variable),
        help("{name} is not declared in nanoservice '{unit}', so it must come from an upstream nanoservice that declares it before its goToNetwork '{unit}'")
    )]
    UnresolvedFreeVariable {
        name: String,
        unit: String,
        #[label("{}", if *reachable { "no upstream nanoservice provides this variable" } else { "this nanoservice is never reached from the entry" })]
        span: Span,
        reachable: bool,
    },

    #[error("goToNetwork to unknown nanoservice '{target}'")]
    #[diagnostic(code(g2n::split::unknown_target), help("the nanoservices in this mesh are: {known}"))]
    UnknownTarget {
        target: String,
        known: String,
        #[label("no nanoservice has this name")]
        span: Span,
    },

    #[error("{name} has type {first} from nanoservice '{first_from}' but {second} from '{second_from}'")]
    #[diagnostic(code(g2n::split::type_disagreement), help("every upstream must send a variable with the same type"))]
    TypeDisagreement {
        name: String,
        first: String,
        second: String,
        first_from: String,
        second_from: String,
        #[label("this hop sends {name} as {first}")]
        first_span: Span,
        #[label("this hop sends {name} as {second}")]
        span: Span,
    },

    #[error("{name} is declared differently by nanoservices '{first_unit}' and '{second_unit}'")]
    #[diagnostic(
        code(g2n::split::declaration_conflict),
        help("nanoservice '{downstream}' sees the package-level declarations of every nanoservice upstream of it, as one program would; declare {name} the same way in both configs, or rename one")
    )]
    DeclarationConflict {
        name: String,
        first_unit: String,
        second_unit: String,
        downstream: String,
        #[label("declared here in '{first_unit}'")]
        first: Span,
        #[label("and differently here in '{second_unit}'")]
        second: Span,
    },

    #[error("two nanoservices are named '{name}'")]
    #[diagnostic(code(g2n::split::duplicate_unit), help("set a distinct `name:` in one of the configs"))]
    DuplicateUnit {
        name: String,
        #[label("second nanoservice with this name")]
        span: Span,
    },

    #[error("the mesh has no entry nanoservice")]
    #[diagnostic(code(g2n::split::no_entry), help("every nanoservice is the target of a goToNetwork, so no flow can start"))]
    NoEntry {
        #[label("every nanoservice, this one included, is a goToNetwork target")]
        span: Span,
    },

    #[error("the mesh has several entry nanoservices: '{first}' and '{second}'")]
    #[diagnostic(code(g2n::split::several_entries), help("a flow starts at the one nanoservice that no goToNetwork targets; run one mesh at a time"))]
    SeveralEntries {
        first: String,
        second: String,
        #[label("no goToNetwork leads here either")]
        span: Span,
    },

    #[error("{name} of type {go_type} cannot travel between nanoservices")]
    #[diagnostic(
        code(g2n::split::untransferable_type),
        help("values of every type travel in the scope graph, channels only when no goroutine can use them any more; this type has no meaning on another nanoservice")
    )]
    UntransferableType {
        name: String,
        go_type: String,
        #[label("this hop would send it")]
        span: Span,
    },

    #[error("{name} has type {go_type} upstream, which nanoservice '{unit}' cannot name")]
    #[diagnostic(
        code(g2n::split::unknown_upstream_type),
        help("a type is known downstream when it is declared at package level upstream and neither it nor its methods use that config's package-level variables (or it is a predeclared type, or a standard library type the receiving config imports)")
    )]
    UnknownUpstreamType {
        name: String,
        go_type: String,
        unit: String,
        #[label("received here")]
        span: Span,
    },

    #[error("a function literal or method value cannot travel between separate nanoservice configs yet")]
    #[diagnostic(
        code(g2n::split::closure_between_configs),
        help("the code of a closure made in one config is not compiled into '{target}', which {name} ({go_type}) may carry it to; declare the function at package level and send it as a func value (declared functions travel), or write the nanoservices as one Go program and `g2n split` it")
    )]
    ClosureBetweenConfigs {
        name: String,
        go_type: String,
        target: String,
        #[label("this closure")]
        span: Span,
        #[label("may be sent to '{target}' here, in {name}")]
        hop: Span,
    },

    #[error("defer in a nanoservice config that hops is not supported yet")]
    #[diagnostic(
        code(g2n::split::defer_with_hops),
        help("deferred calls travel between the nanoservices of one split Go program, not yet between separate configs; call the function before the hop instead")
    )]
    DeferWithHops {
        #[label("deferred here")]
        span: Span,
    },

    #[error("goToNetwork in a whole program is not split yet")]
    #[diagnostic(
        code(g2n::split::whole_program_split),
        help("write one nanoservice config per part (see examples/hello-world) until `g2n split` lands")
    )]
    WholeProgramSplit {
        #[label("hop in a single-file program")]
        span: Span,
    },
}
