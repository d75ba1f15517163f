//! Go's `fmt/print.go`: the printer's driver (`doPrintf`, argument numbers,
//! `printArg`, bad verbs) dispatching each operand to the formatting of its
//! kind.

use super::*;

/// Go's `tooLarge`: widths and precisions beyond a million are refused.
fn too_large(x: i64) -> bool {
    const MAX: i64 = 1_000_000;
    !(-MAX..=MAX).contains(&x)
}

/// Go's `parsenum`.
fn parsenum(s: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num = 0i64;
    let mut isnum = false;
    let mut newi = start;
    while newi < end && s[newi].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + (s[newi] - b'0') as i64;
        isnum = true;
        newi += 1;
    }
    (num, isnum, newi)
}

/// Go's `parseArgNumber`: `[n]` at the start of `format`.
fn parse_arg_number(format: &[u8]) -> (i64, usize, bool) {
    if format.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (width, ok, newi) = parsenum(format, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// Go's `intFromArg`: only `int` operands can supply `*` widths here.
fn int_from_arg(args: &[Arg], arg_num: usize) -> (i64, bool, usize) {
    if arg_num < args.len() {
        let (mut num, mut is_int) = match args[arg_num] {
            Arg::Int(n) => (n, true),
            Arg::Sized { raw, signed: true, .. } => (raw as i64, true),
            Arg::Sized { raw, signed: false, .. } => (raw as i64, (raw as i64) >= 0),
            Arg::Val { desc, ptr } => match types::int_kind(types::kind(desc_ref(desc))) {
                // SAFETY: a descriptor value points to a value of its type.
                Some((_, signed)) => {
                    let raw = unsafe { types::read_int(ptr, types::kind(desc_ref(desc))) };
                    (raw as i64, signed || (raw as i64) >= 0)
                }
                None => (0, false),
            },
            _ => (0, false),
        };
        if too_large(num) {
            num = 0;
            is_int = false;
        }
        (num, is_int, arg_num + 1)
    } else {
        (0, false, arg_num)
    }
}

impl Printer {
    pub(super) fn do_printf(&mut self, format: &[u8], a: &[Arg]) {
        let end = format.len();
        let mut arg_num = 0usize;
        let mut after_index;
        self.reordered = false;
        let mut i = 0usize;
        'format_loop: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && format[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.extend_from_slice(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1;
            self.f = Flags::default();
            while i < end {
                let c = format[i];
                match c {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = !self.f.minus,
                    b'+' => self.f.plus = true,
                    b'-' => {
                        self.f.minus = true;
                        self.f.zero = false;
                    }
                    b' ' => self.f.space = true,
                    _ => {
                        // Go's fast path: a lower-case verb right after the flags.
                        if c.is_ascii_lowercase() && arg_num < a.len() {
                            if c == b'v' {
                                self.f.sharp_v = self.f.sharp;
                                self.f.sharp = false;
                                self.f.plus_v = self.f.plus;
                                self.f.plus = false;
                            }
                            self.arg_index = arg_num;
                            self.print_arg(a[arg_num], c as char);
                            arg_num += 1;
                            i += 1;
                            continue 'format_loop;
                        }
                        break;
                    }
                }
                i += 1;
            }

            (arg_num, i, after_index) = self.arg_number(arg_num, format, i, a.len());

            if i < end && format[i] == b'*' {
                i += 1;
                let (wid, present, n) = int_from_arg(a, arg_num);
                self.f.wid = wid;
                self.f.wid_present = present;
                arg_num = n;
                if !present {
                    self.buf.extend_from_slice(b"%!(BADWIDTH)");
                }
                if self.f.wid < 0 {
                    self.f.wid = -self.f.wid;
                    self.f.minus = true;
                    self.f.zero = false;
                }
                after_index = false;
            } else {
                let (wid, present, newi) = parsenum(format, i, end);
                self.f.wid = wid;
                self.f.wid_present = present;
                i = newi;
                if after_index && present {
                    self.good_arg_num = false;
                }
            }

            if i + 1 < end && format[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false;
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, format, i, a.len());
                if i < end && format[i] == b'*' {
                    i += 1;
                    let (prec, present, n) = int_from_arg(a, arg_num);
                    self.f.prec = prec;
                    self.f.prec_present = present;
                    arg_num = n;
                    if self.f.prec < 0 {
                        self.f.prec = 0;
                        self.f.prec_present = false;
                    }
                    if !self.f.prec_present {
                        self.buf.extend_from_slice(b"%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (prec, present, newi) = parsenum(format, i, end);
                    self.f.prec = prec;
                    self.f.prec_present = present;
                    i = newi;
                    if !present {
                        self.f.prec = 0;
                        self.f.prec_present = true;
                    }
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, format, i, a.len());
            }

            if i >= end {
                self.buf.extend_from_slice(b"%!(NOVERB)");
                break;
            }

            let (verb, size) = if format[i] < 0x80 { (format[i] as u32, 1) } else { decode_rune(&format[i..]) };
            let verb = char::from_u32(verb).unwrap_or('\u{FFFD}');
            i += size;

            if verb == '%' {
                self.buf.push(b'%');
            } else if !self.good_arg_num {
                self.buf.extend_from_slice(b"%!");
                push_rune(&mut self.buf, verb as u32);
                self.buf.extend_from_slice(b"(BADINDEX)");
            } else if arg_num >= a.len() {
                self.buf.extend_from_slice(b"%!");
                push_rune(&mut self.buf, verb as u32);
                self.buf.extend_from_slice(b"(MISSING)");
            } else {
                if verb == 'v' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.arg_index = arg_num;
                self.print_arg(a[arg_num], verb);
                arg_num += 1;
            }
        }

        if !self.reordered && arg_num < a.len() {
            self.f = Flags::default();
            self.buf.extend_from_slice(b"%!(EXTRA ");
            for (k, arg) in a[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.extend_from_slice(b", ");
                }
                if let Arg::Nil = arg {
                    self.buf.extend_from_slice(b"<nil>");
                } else {
                    self.buf.extend_from_slice(arg.type_name());
                    self.buf.push(b'=');
                    self.print_arg(*arg, 'v');
                }
            }
            self.buf.push(b')');
        }
    }

    fn arg_number(&mut self, arg_num: usize, format: &[u8], i: usize, num_args: usize) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && 0 <= index && (index as usize) < num_args {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    pub(super) fn print_arg(&mut self, arg: Arg, verb: char) {
        if let Arg::Nil = arg {
            match verb {
                'T' | 'v' => self.pad(b"<nil>"),
                _ => self.bad_verb(arg, verb),
            }
            return;
        }
        match verb {
            'T' => {
                self.fmt_s(arg.type_name());
                return;
            }
            // %p of a non-pointer basic value is always a bad verb.
            'p' if !matches!(arg, Arg::Val { .. }) => {
                self.bad_verb(arg, verb);
                return;
            }
            _ => {}
        }
        if let Arg::Val { desc, ptr } = arg {
            self.print_val_arg(desc_ref(desc), ptr, verb);
            return;
        }
        self.print_basic(arg, verb, arg);
    }

    /// Go's `fmtBool`, `fmtInteger`, `fmtFloat`, `fmtString` on a basic value;
    /// `orig` is the operand named in an error form (a named type's value).
    pub(super) fn print_basic(&mut self, arg: Arg, verb: char, orig: Arg) {
        match arg {
            Arg::Bool(b) => match verb {
                't' | 'v' => self.pad(if b { b"true" } else { b"false" }),
                _ => self.bad_verb(orig, verb),
            },
            Arg::Int(n) => self.pp_fmt_integer(orig, n as u64, true, verb),
            Arg::Sized { raw, signed, .. } => self.pp_fmt_integer(orig, raw, signed, verb),
            Arg::Float64(v) => self.pp_fmt_float(orig, v, false, verb),
            Arg::Float32(v) => self.pp_fmt_float(orig, v as f64, true, verb),
            Arg::Complex { re, im, bits32 } => self.pp_fmt_complex(orig, re, im, bits32, verb),
            Arg::Str(s) => self.fmt_string(orig, s, verb),
            Arg::Nil | Arg::Val { .. } => {}
        }
    }

    fn pp_fmt_float(&mut self, orig: Arg, v: f64, bits32: bool, verb: char) {
        match verb {
            'v' => self.fmt_float(v, bits32, 'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(v, bits32, verb, -1),
            'f' | 'e' | 'E' => self.fmt_float(v, bits32, verb, 6),
            'F' => self.fmt_float(v, bits32, 'f', 6),
            _ => self.bad_verb(orig, verb),
        }
    }

    /// Go's `pp.fmtComplex`: each part formatted as a float with the verb
    /// (and padded on its own), the imaginary part always signed.
    fn pp_fmt_complex(&mut self, orig: Arg, re: f64, im: f64, bits32: bool, verb: char) {
        match verb {
            'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                let old_plus = self.f.plus;
                self.buf.push(b'(');
                self.pp_fmt_float(orig, re, bits32, verb);
                self.f.plus = true;
                self.pp_fmt_float(orig, im, bits32, verb);
                self.buf.extend_from_slice(b"i)");
                self.f.plus = old_plus;
            }
            _ => self.bad_verb(orig, verb),
        }
    }

    /// Go's `pp.fmtString`.
    pub(super) fn fmt_string(&mut self, orig: Arg, s: &[u8], verb: char) {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.fmt_q(s)
                } else {
                    self.fmt_s(s)
                }
            }
            's' => self.fmt_s(s),
            'x' => self.fmt_sx(s, LDIGITS),
            'X' => self.fmt_sx(s, UDIGITS),
            'q' => self.fmt_q(s),
            _ => self.bad_verb(orig, verb),
        }
    }

    pub(super) fn bad_verb(&mut self, arg: Arg, verb: char) {
        self.erroring = true;
        self.buf.extend_from_slice(b"%!");
        push_rune(&mut self.buf, verb as u32);
        self.buf.push(b'(');
        match arg {
            Arg::Nil => self.buf.extend_from_slice(b"<nil>"),
            Arg::Val { desc, ptr } => {
                self.buf.extend_from_slice(arg.type_name());
                self.buf.push(b'=');
                self.print_value(desc_ref(desc), ptr, 'v', 0, true);
            }
            _ => {
                self.buf.extend_from_slice(arg.type_name());
                self.buf.push(b'=');
                // Go prints the value with the *current* flags here (width included).
                self.print_arg(arg, 'v');
            }
        }
        self.buf.push(b')');
        self.erroring = false;
    }

    pub(super) fn pp_fmt_integer(&mut self, arg: Arg, u: u64, signed: bool, verb: char) {
        match verb {
            'v' if self.f.sharp_v && !signed => self.fmt_0x64(u, true),
            'v' | 'd' => self.fmt_integer(u, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(u, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(u, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(u, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(u, 16, signed, verb, UDIGITS),
            'c' => self.fmt_c(u),
            'q' => self.fmt_qc(u),
            'U' => self.fmt_unicode(u),
            _ => self.bad_verb(arg, verb),
        }
    }
}
