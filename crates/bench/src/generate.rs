//! Generated programs for compile speed: many small functions with integer
//! arithmetic, `if`/`else` and `for`, all called from `main`, which prints one
//! number. Every construct is in the subset that `g2n` compiles today.
//!
//! The generator also computes what the program prints (with Go's wrapping
//! 64-bit `int` arithmetic), so each compiler's binary can be checked even
//! when the other compiler is missing.

use std::fmt::Write as _;

/// Lines of one generated function, including the blank line after it.
const FUNC_LINES: usize = 12;
/// Lines outside the functions: `package`, blank, `import`, blank, then in
/// `main`: `func main() {`, `total := 0`, `fmt.Println(total)`, `}`.
const FIXED_LINES: usize = 8;

/// The constants of function `i`: multiplier, loop count, modulus, step.
fn constants(i: usize) -> (i64, i64, i64, i64) {
    let i = i64::try_from(i).unwrap_or(0);
    (i % 7 + 2, i % 5 + 3, i % 4 + 2, i % 11 + 1)
}

/// What `f{i}(a, b)` returns, as Go computes it.
fn eval(i: usize, a: i64, b: i64) -> i64 {
    let (k, n, m, step) = constants(i);
    let mut s = a.wrapping_mul(k).wrapping_add(b);
    for j in 0..n {
        if s.wrapping_add(j) % m == 0 {
            s = s / 2 + j;
        } else {
            s = s.wrapping_add(j.wrapping_mul(step)).wrapping_sub(b);
        }
    }
    s % 1_000_003
}

/// A program of exactly `lines` lines (at least [`FIXED_LINES`]) and what it
/// prints.
pub fn program(lines: usize) -> (String, String) {
    let body = lines.saturating_sub(FIXED_LINES);
    let funcs = body / (FUNC_LINES + 1);
    let padding = body - funcs * (FUNC_LINES + 1);
    let mut text = String::with_capacity(lines * 28);
    text.push_str("package main\n\nimport \"fmt\"\n\n");
    for i in 1..=funcs {
        let (k, n, m, step) = constants(i);
        let _ = write!(
            text,
            "func f{i}(a int, b int) int {{\n\
             \ts := a*{k} + b\n\
             \tfor j := 0; j < {n}; j++ {{\n\
             \t\tif (s+j)%{m} == 0 {{\n\
             \t\t\ts = s/2 + j\n\
             \t\t}} else {{\n\
             \t\t\ts = s + j*{step} - b\n\
             \t\t}}\n\
             \t}}\n\
             \treturn s % 1000003\n\
             }}\n\n"
        );
    }
    text.push_str("func main() {\n\ttotal := 0\n");
    let mut total: i64 = 0;
    for i in 1..=funcs {
        let b = i64::try_from(i % 9).unwrap_or(0);
        let _ = writeln!(text, "\ttotal = (total + f{i}(total%97, {b})) % 1000000007");
        total = total.wrapping_add(eval(i, total % 97, b)) % 1_000_000_007;
    }
    for _ in 0..padding {
        text.push_str("\ttotal++\n");
        total = total.wrapping_add(1);
    }
    text.push_str("\tfmt.Println(total)\n}\n");
    (text, format!("{total}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_line_counts() {
        for n in [8, 9, 20, 21, 101, 500, 10_000] {
            let (text, _) = program(n);
            assert_eq!(text.lines().count(), n, "{n} lines");
        }
    }

    #[test]
    fn small_program_text_and_value() {
        // 8 fixed lines + one function (12 lines + its call) + 1 padding line.
        let (text, out) = program(22);
        assert!(
            text.contains(
                "func f1(a int, b int) int {\n\ts := a*3 + b\n\tfor j := 0; j < 4; j++ {\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("\ttotal = (total + f1(total%97, 1)) % 1000000007\n\ttotal++\n"),
            "{text}"
        );
        // f1(0, 1): s = 1; j=0: (1)%3 != 0 → s = 1+0-1 = 0; j=1: (0+1)%3 → s = 0+2-1 = 1;
        // j=2: (1+2)%3 == 0 → s = 0+2 = 2; j=3: (2+3)%3 → s = 2+6-1 = 7. Plus one.
        assert_eq!(out, "8\n");
    }
}
