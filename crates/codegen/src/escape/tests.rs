use super::*;

/// The names of the locals escape analysis keeps on the stack.
pub(crate) fn program_of(source: &str) -> hir::Program {
    let (file, errors) = g2n_syntax::parse_file(g2n_base::FileId(0), source);
    assert!(errors.is_empty(), "{errors:?}");
    let (program, errors) = g2n_sema::check(&file, g2n_sema::FreeVars::Forbidden);
    assert!(errors.is_empty(), "{errors:?}");
    program
}

fn stack_names(source: &str) -> Vec<String> {
    let program = program_of(source);
    let plan = plan(&program, false);
    let mut names: Vec<String> = plan.locals.iter().map(|l| program.local(*l).name.clone()).filter(|n| !n.is_empty()).collect();
    names.sort();
    names
}

#[test]
fn pointers_to_functions_that_only_read_them_stay_on_the_stack() {
    let names = stack_names(
        "package main
        type V struct{ x, y int }
        var global *V
        func read(p *V) int { return p.x + p.y }
        func keep(p *V) { global = p }
        func relay(p *V) { keep(p) }
        func scale(p *V) { p.x *= 2 }
        func main() {
            a := V{1, 2}
            b := V{3, 4}
            c := V{5, 6}
            d := V{7, 8}
            scale(&a)
            relay(&b)
            println(read(&a), read(&c), d.x)
            e := &d
            println(e.x)
            f := V{9, 10}
            g := &f
            h := g
            global = h
        }",
    );
    // `e` holds `&d` but is only read through; `f` reaches a global
    // through two variables.
    assert_eq!(names, ["a", "c", "d"]);
}

#[test]
fn sliced_captured_and_big_values_live_on_the_heap() {
    let names = stack_names(
        "package main
        type V struct{ x, y int }
        var kept []int
        func made() V { v := V{1, 2}; return v }
        func main() {
            arr := [4]int{1, 2, 3, 4}
            s := arr[1:]
            t := s
            kept = t
            captured := V{}
            f := func() int { return captured.x }
            big := [1 << 12]int{}
            copied := made()
            println(s[0], f(), big[0], copied.x)
        }",
    );
    // `v` is returned: copied into the caller's destination.
    assert_eq!(names, ["copied", "v"]);
}

#[test]
fn a_pointer_hidden_in_a_uintptr_does_not_leak_unless_turned_straight_back() {
    let names = stack_names(
        "package main
        import \"unsafe\"
        type B struct{ addr *B; n int }
        var global *B
        func hide(p unsafe.Pointer) unsafe.Pointer { x := uintptr(p); return unsafe.Pointer(x ^ 0) }
        func (b *B) check() {
            if b.addr == nil {
                b.addr = (*B)(hide(unsafe.Pointer(b)))
            } else if b.addr != b {
                panic(\"copied\")
            }
        }
        func (b *B) add(n int) { b.check(); b.n += n }
        func (b *B) keep() { b.check(); global = b }
        func moved(b *B) { global = (*B)(unsafe.Pointer(uintptr(unsafe.Pointer(b)) + 0)) }
        func added(b *B) { global = (*B)(unsafe.Add(unsafe.Pointer(b), 0)) }
        func main() {
            var local B
            local.add(1)
            var kept B
            kept.add(1)
            kept.keep()
            var shifted B
            moved(&shifted)
            var offset B
            added(&offset)
            println(local.n, kept.n, shifted.n, offset.n)
        }",
    );
    assert_eq!(names, ["local"]);
}

#[test]
fn closures_only_called_stay_on_the_stack_with_what_they_capture() {
    let source = "package main
        var kept func() int
        var kept_ptr *int
        func search(n int, f func(int) bool) int { for i := 0; i < n; i++ { if f(i) { return i } }; return n }
        func keep(f func() int) { kept = f }
        func apply(f func()) { f() }
        func main() {
            a, x := []int{1, 2}, 1
            n := search(len(a), func(i int) bool { return a[i] >= x })
            y := 2
            keep(func() int { return y })
            z := 3
            apply(func() { kept_ptr = &z })
            w := 4
            apply(func() { go func() { println(w) }() })
            v := 5
            f := func() int { return v }
            u := 6
            apply(func() { u++ })
            println(n, f(), u)
        }";
    let program = program_of(source);
    let plan = plan(&program, false);
    let lines = source_lines(source, &program, &plan.closures);
    // The literals passed to search and apply (their bodies walked in
    // turn), not the one kept, the one a goroutine runs, nor the one
    // in a variable.
    assert_eq!(lines, [9, 13, 15, 19]);
    assert_eq!(stack_names(source), ["a", "u", "x"]);
}

#[test]
fn arguments_returned_stay_on_the_stack_unless_the_result_leaks() {
    let names = stack_names(
        "package main
        type V struct{ x, y int }
        var global *V
        func same(p *V) *V { return p }
        func pair(p *V) (*V, int) { return p, p.x }
        func named(p *V) (r *V) { r = p; return }
        func kept(p *V) (r *V) { r = p; global = r; return }
        func grow(dst []byte) []byte { return append(dst, 'x') }
        func main() {
            a := V{1, 2}
            same(&a)
            b := V{3, 4}
            q := same(&b)
            println(q.x)
            c := V{5, 6}
            global = same(same(&c))
            d := V{7, 8}
            r, n := pair(&d)
            e := V{9, 10}
            _, m := pair(&e)
            f := V{11, 12}
            s, _ := pair(&f)
            global = s
            g := V{13, 14}
            named(&g)
            h := V{15, 16}
            global = named(&h)
            i := V{17, 18}
            kept(&i)
            var buf [8]byte
            println(len(grow(buf[:0])), r.x, n, m)
            var kept [8]byte
            t := grow(kept[:0])
            println(&t)
        }",
    );
    // `c` and `h` are returned into a global, `f` through a tuple;
    // `kept` keeps what it returns; `t`'s address is taken (a cell), so
    // `kept`'s array leaks through it.
    assert_eq!(names, ["a", "b", "buf", "d", "e", "g"]);
}

#[test]
fn return_of_a_call_hands_each_result_on_in_its_position() {
    let names = stack_names(
        "package main
        type V struct{ x, y int }
        var global *V
        func second(p *V) (int, *V) { return p.x, p }
        func forward(p *V) (int, *V) { return second(p) }
        func main() {
            a := V{1, 2}
            n, _ := forward(&a)
            b := V{3, 4}
            _, q := forward(&b)
            global = q
            println(n)
        }",
    );
    // `forward` returns `p` second, as `second` does: `b` is kept
    // through the second result, `a`'s second result is dropped.
    assert_eq!(names, ["a"]);
}

#[test]
fn defers_outside_loops_keep_their_closures_in_the_frame() {
    let source = "package main
        var global *int
        func keep(p *int) { global = p }
        func read(p *int) int { return *p }
        func main() {
            x, y := 1, 2
            defer read(&x)
            defer keep(&y)
            for i := 0; i < 2; i++ {
                defer read(&x)
                defer func() { println(i) }()
            }
            go read(&x)
            z, w := 3, 4
            defer func() { println(z) }()
            defer func() { global = &w }()
        }";
    let program = program_of(source);
    let plan = plan(&program, false);
    let lines = source_lines(source, &program, &plan.closures);
    // Not those in the loop, nor the goroutine's; a deferred literal
    // (line 15, 16) and the closure that calls it both.
    assert_eq!(lines, [7, 8, 15, 15, 16, 16]);
    // `y` is kept by the deferred call, `w` by the deferred literal;
    // `x` is handed to a goroutine.
    assert_eq!(stack_names(source), ["z"]);
    let in_main_of_hops = super::plan(&program, true);
    assert!(in_main_of_hops.closures.is_empty());
}

/// `plan` as it was before it skipped walks: every function walked in
/// every round, and once more with the final summaries; and the rounds.
fn plan_walking_everything(program: &hir::Program, main_hops: bool) -> (StackPlan, usize) {
    let summaries = Summaries::default();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let mut changed = false;
        for index in 0..program.funcs.len() {
            let id = FuncId(index as u32);
            let mut walk = Walk::new(program, &summaries);
            walk.func(id);
            let leaks = param_summaries(program, id, &walk);
            if summaries.borrow().get(&id) != Some(&leaks) {
                summaries.borrow_mut().insert(id, leaks);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut plan = StackPlan { main_hops, ..StackPlan::default() };
    for index in 0..program.funcs.len() {
        let mut walk = Walk::new(program, &summaries);
        walk.func(FuncId(index as u32));
        let walk = walk.into_plan_part();
        plan.place(program, FuncId(index as u32), walk);
    }
    plan.summaries = summaries.into_inner();
    (plan, rounds)
}

#[test]
fn skipping_walks_whose_callees_did_not_change_plans_the_same() {
    // Leaks that reach a function only in a later round: `first` calls
    // functions declared after it (missing summaries leak, so the first
    // round sees them leak), `keep` leaks through a chain declared in
    // reverse, `even`/`odd` call each other, `later` returns its
    // parameter to a caller declared before it, and a function
    // literal's body calls a function declared after it.
    let source = "package main
        type V struct{ x, y int }
        var global *V
        func first(p *V, q *V) int { return second(p) + third(q) }
        func second(p *V) int { return p.x }
        func third(p *V) int { return fourth(p) }
        func fourth(p *V) int { keep(p); return 0 }
        func keep(p *V) { global = p }
        func even(p *V, n int) bool { if n == 0 { return p.x == 0 }; return odd(p, n-1) }
        func odd(p *V, n int) bool { if n == 0 { return p.y == 0 }; return even(p, n-1) }
        func self(p *V, n int) int { if n == 0 { return p.x }; return self(p, n-1) }
        func early(p *V) *V { return later(p) }
        func apply(f func()) { f() }
        func main() {
            a, b, c, d := V{1, 2}, V{3, 4}, V{5, 6}, V{7, 8}
            println(first(&a, &b), even(&c, 3), self(&d, 2))
            e := V{9, 10}
            println(second(&e), early(&e).x)
            f := V{11, 12}
            apply(func() { println(second(&f)) })
            g := V{13, 14}
            apply(func() { println(fourth(&g)) })
            h := V{15, 16}
            defer second(&h)
        }
        func later(p *V) *V { return p }";
    let program = program_of(source);
    let (expected, rounds) = plan_walking_everything(&program, false);
    assert!(rounds > 2, "the program needs several rounds to show anything ({rounds})");
    let plan = plan(&program, false);
    let sorted = |set: &HashSet<LocalId>| {
        let mut v: Vec<u32> = set.iter().map(|l| l.0).collect();
        v.sort();
        v
    };
    let sorted_exprs = |set: &HashSet<ExprId>| {
        let mut v: Vec<u32> = set.iter().map(|e| e.0).collect();
        v.sort();
        v
    };
    assert_eq!(sorted(&plan.locals), sorted(&expected.locals));
    assert_eq!(sorted_exprs(&plan.composites), sorted_exprs(&expected.composites));
    assert_eq!(sorted_exprs(&plan.rune_strings), sorted_exprs(&expected.rune_strings));
    assert_eq!(sorted_exprs(&plan.closures), sorted_exprs(&expected.closures));
    // Given the final summaries of some functions (as the build cache
    // gives the library's), the others settle on the same summaries, and
    // those given, placed when lowering asks, on the same plan: whichever
    // are given, one of a mutual recursion and a callee declared after
    // its caller included.
    let named = |name: &str| FuncId(program.funcs.iter().position(|f| f.name == name).unwrap() as u32);
    for given in [&["second", "third", "keep"][..], &["fourth", "even", "later"], &["odd", "self", "apply", "first"]] {
        let known: HashMap<FuncId, Vec<ParamSummary>> = given.iter().map(|name| (named(name), expected.summaries[&named(name)].clone())).collect();
        let mut plan = plan_with(&program, false, known);
        for index in 0..program.funcs.len() {
            plan.place_late(&program, FuncId(index as u32));
        }
        assert_eq!(plan.summaries, expected.summaries, "given {given:?}");
        assert_eq!(sorted(&plan.locals), sorted(&expected.locals), "given {given:?}");
        assert_eq!(sorted_exprs(&plan.composites), sorted_exprs(&expected.composites), "given {given:?}");
        assert_eq!(sorted_exprs(&plan.closures), sorted_exprs(&expected.closures), "given {given:?}");
        assert_eq!(sorted_exprs(&plan.results), sorted_exprs(&expected.results), "given {given:?}");
    }
    // `b` reaches `keep`, and `g` through a literal's body; `c` and
    // `d` pass into recursion (summaries start pessimistic), `&h` is
    // stored in the deferred call's temporary; `a`, `e` and `f` are
    // only read or returned to a read.
    assert_eq!(stack_names(source), ["a", "e", "f"]);
}

#[test]
fn results_only_copied_from_are_written_into_the_frame() {
    let source = "package main
        type V struct{ x, y int }
        var boxed any
        var ch = make(chan V, 1)
        var m = map[int]V{}
        func mk() V { return V{1, 2} }
        func pair() (V, error) { return mk(), nil }
        func main() {
            println(mk().x)
            boxed = mk()
            ch <- mk()
            m[1] = mk()
            v, err := pair()
            println(v.y, err == nil, [1 << 12]int{}[0])
        }";
    let program = program_of(source);
    let plan = plan(&program, false);
    let lines = source_lines(source, &program, &plan.results);
    // Returned (copied into the caller's destination), read, boxed (a
    // copy) and taken apart: not sent, nor stored in a map.
    assert_eq!(lines, [7, 9, 10, 13]);
}

/// The lines (from 1, sorted) of `source` where `exprs` start.
fn source_lines(source: &str, program: &hir::Program, exprs: &HashSet<ExprId>) -> Vec<usize> {
    let mut lines: Vec<usize> = exprs.iter().map(|e| source[..program.expr(*e).span.start as usize].matches('\n').count() + 1).collect();
    lines.sort();
    lines
}

/// The lines of the `string(r)` conversions kept on the stack.
fn rune_string_lines(source: &str) -> Vec<usize> {
    let program = program_of(source);
    source_lines(source, &program, &plan(&program, false).rune_strings)
}

#[test]
fn rune_strings_only_read_stay_on_the_stack() {
    let lines = rune_string_lines(
        "package main
        var global string
        func count(s, sub string) int {
            n := 0
            for i := 0; i+len(sub) <= len(s); i++ {
                if s[i:i+len(sub)] == sub {
                    n++
                }
            }
            return n
        }
        func keep(s string) { global = s }
        func same(s string) string { return s }
        func main() {
            r := rune(0x4e16)
            a := count(\"abc\", string(r))
            keep(string(r))
            b := same(string(r))
            c := string(r) == \"x\"
            d := \"<\" + string(r)
            e := string(r)
            go keep(string(r))
            f := func() string { return string(r) }
            ch := make(chan string, 1)
            ch <- string(r)
            m := map[string]int{}
            m[string(r)] = 1
            var x any = string(r)
            println(a, b, c, d, e, f(), <-ch, len(m), x != nil, len(string(r)))
        }",
    );
    assert_eq!(lines, [16, 19, 29]);
}

#[test]
fn arrays_sliced_only_for_reading_and_writing_stay_on_the_stack() {
    let names = stack_names(
        "package main
        var kept []byte
        func fill(p []byte) int { p[0] = 'a'; p[1] = 'b'; return 2 }
        func count(s, sep []byte) int { return len(s) + len(sep) + int(sep[0]) }
        func same(p []byte) []byte { return p }
        func main() {
            var local [4]byte
            n := fill(local[:])
            var stored [4]byte
            kept = stored[:]
            var returned [4]byte
            r := same(returned[:2])
            var appended [4]byte
            a := append(appended[:0], 'x')
            var grown [4]byte
            g := append(grown[:0], 'y')
            g = append(g, 'z')
            kept = g
            var copied [4]byte
            copy(copied[:], local[:n])
            println(count(r, local[:n]), len(a), copied[0])
        }",
    );
    // `a` is only measured: `appended` stays in the frame; `same`
    // only returns its parameter, and `r` is only read: so does
    // `returned`; `grown` reaches a global through `g`.
    assert_eq!(names, ["appended", "copied", "local", "returned"]);
}

#[test]
fn values_stored_in_a_local_struct_leak_only_where_its_contents_do() {
    let names = stack_names(
        "package main
        type S struct{ d []int; n int }
        var global []int
        var kept S
        var ptr *S
        func fill(s *S) { s.d[0] = 1; s.n = len(s.d) }
        func keepContents(s *S) { global = s.d }
        func keepPointer(s *S) { ptr = s }
        func sum(v S) int { return v.d[0] + v.n }
        func made() S { var buf [2]int; var r S; r.d = buf[:]; return r }
        func main() {
            var a [2]int
            var sa S
            sa.d = a[:]
            fill(&sa)
            println(sum(sa))
            var b [2]int
            var sb S
            sb.d = b[:]
            keepContents(&sb)
            var c [2]int
            var sc S
            sc.d = c[:]
            keepPointer(&sc)
            var d [2]int
            var sd S
            sd.d = d[:]
            kept = sd
            var e [2]int
            var se S
            se.d = e[:]
            global = se.d
            var f [2]int
            var sf S
            sf.d = f[:]
            sf2 := sf
            global = sf2.d
            m := made()
            println(m.n)
        }",
    );
    // `a` is only read and written through `&sa` (strconv's `digs.d =
    // buf[:]`); `b`, `d`, `e`, `f` and `buf` are reachable from what is kept
    // (`*s`, a global copy, a loaded field, a copy's field, a returned
    // copy), `c` from `sc`, which is kept itself.
    assert_eq!(names, ["a", "m", "r", "sa", "sb", "sd", "se", "sf", "sf2", "v"]);
}

#[test]
fn contents_copied_sent_boxed_or_captured_leak_what_they_hold() {
    let names = stack_names(
        "package main
        type V struct{ x int }
        type S struct{ d []int }
        var global []int
        var gp *V
        var ch = make(chan S, 1)
        func main() {
            var x V
            var pa [1]*V
            pa[0] = &x
            var pb [1]*V
            copy(pb[:], pa[:])
            gp = pb[0]
            var g [2]int
            var sg S
            sg.d = g[:]
            go func() { global = sg.d }()
            var h [2]int
            var sh S
            sh.d = h[:]
            func() { global = sh.d }()
            var k [2]int
            var sk S
            sk.d = k[:]
            ch <- sk
            var i [2]int
            var si S
            si.d = i[:]
            var boxed interface{} = si
            println(boxed != nil)
            var j [2]int
            sj := S{d: j[:]}
            global = sj.d
            var l [2]int
            sl := S{d: l[:]}
            println(len(sl.d))
        }",
    );
    // `copy` hands `x`'s address on to `pb`; a captured struct's fields are
    // stored as through a pointer (the closure's body is walked apart).
    assert_eq!(names, ["l", "pa", "pb", "sh", "si", "sj", "sl"]);
}

#[test]
fn summaries_of_a_recursion_through_loads_settle() {
    let names = stack_names(
        "package main
        type N struct{ next *N; v int }
        var global *N
        func walk(p *N, n int) int {
            if p == nil || n == 0 { return 0 }
            return p.v + walk(p.next, n-1)
        }
        func keepDeep(p *N, n int) {
            if n == 0 { global = p; return }
            keepDeep(p.next, n-1)
        }
        func main() {
            a := N{nil, 1}
            b := N{&a, 2}
            c := N{nil, 3}
            d := N{&c, 4}
            keepDeep(&d, 1)
            println(walk(&b, 2), d.v)
        }",
    );
    // `walk` and `keepDeep` recurse on what their parameter points to: each
    // round would find it leaking one dereference deeper. `keepDeep` keeps
    // its parameter itself (`d`, and `c` through it); `walk` only reads.
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn a_field_resliced_through_the_same_pointer_keeps_nothing_new() {
    let names = stack_names(
        "package main
        type D struct{ d []byte; nd int }
        var global *D
        func trim(d *D) {
            for d.nd > 0 && d.d[0] == '0' {
                d.d = d.d[1:]
                d.nd--
            }
        }
        func other(d, e *D) { d.d = e.d[1:] }
        func main() {
            var buf [4]byte
            var digs D
            digs.d = buf[:]
            digs.nd = 4
            trim(&digs)
            var a [4]byte
            var da D
            da.d = a[:]
            var db D
            other(&db, &da)
            global = &db
            println(digs.nd, da.nd)
        }",
    );
    // strconv's `d.d = d.d[n:]`; `other` stores what `e` points to where
    // `d` points, which `global` keeps.
    assert_eq!(names, ["buf", "da", "digs"]);
}
