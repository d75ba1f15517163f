//! Elastic tabstops as text/tabwriter computes them with gofmt's settings
//! (minimum width 0, tab width 8, padding 1, spaces for alignment, tabs for
//! leading empty cells, empty columns discarded), followed by go/printer's
//! trimmer (no trailing white space, `\v` → tab, `\f` → newline, escape
//! bytes removed).

use crate::printer::ESCAPE;

const TAB_WIDTH: usize = 8;
const PADDING: usize = 1;

#[derive(Clone, Copy, Default)]
struct Cell {
    /// Bytes of text.
    size: usize,
    /// Width in characters.
    width: usize,
    /// Terminated by a horizontal tab.
    htab: bool,
}

#[derive(Default)]
struct TabWriter {
    out: Vec<u8>,
    buf: Vec<u8>,
    pos: usize,
    cell: Cell,
    in_escape: bool,
    lines: Vec<Vec<Cell>>,
    widths: Vec<usize>,
}

/// Aligns the printer's cells, then trims. `align` is false for go/printer's
/// RawFormat (measuring a node), which skips the tab writer.
pub(crate) fn finish(printed: &[u8], align: bool) -> Vec<u8> {
    if !align {
        return trim(printed);
    }
    let mut tw = TabWriter { lines: vec![Vec::new()], ..TabWriter::default() };
    tw.write(printed);
    tw.flush();
    trim(&tw.out)
}

impl TabWriter {
    fn append(&mut self, text: &[u8]) {
        self.buf.extend_from_slice(text);
        self.cell.size += text.len();
    }

    fn update_width(&mut self) {
        self.cell.width += String::from_utf8_lossy(&self.buf[self.pos..]).chars().count();
        self.pos = self.buf.len();
    }

    fn end_escape(&mut self) {
        self.update_width();
        // The escape bytes stay in the text but take no width.
        self.cell.width = self.cell.width.saturating_sub(2);
        self.pos = self.buf.len();
        self.in_escape = false;
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        self.cell.htab = htab;
        let cell = std::mem::take(&mut self.cell);
        let line = self.lines.last_mut().expect("a line");
        line.push(cell);
        line.len()
    }

    fn reset(&mut self) {
        self.buf.clear();
        self.pos = 0;
        self.cell = Cell::default();
        self.in_escape = false;
        self.lines = vec![Vec::new()];
        self.widths.clear();
    }

    fn write(&mut self, data: &[u8]) {
        let mut n = 0;
        for (i, &ch) in data.iter().enumerate() {
            if !self.in_escape {
                match ch {
                    b'\t' | 0x0b | b'\n' | 0x0c => {
                        self.append(&data[n..i]);
                        self.update_width();
                        n = i + 1;
                        let ncells = self.terminate_cell(ch == b'\t');
                        if ch == b'\n' || ch == 0x0c {
                            self.lines.push(Vec::new());
                            if ch == 0x0c || ncells == 1 {
                                // A line of one cell or a section break:
                                // nothing below can align with what is above.
                                self.flush();
                            }
                        }
                    }
                    ESCAPE => {
                        self.append(&data[n..i]);
                        self.update_width();
                        n = i;
                        self.in_escape = true;
                    }
                    _ => {}
                }
            } else if ch == ESCAPE {
                self.append(&data[n..=i]);
                n = i + 1;
                self.end_escape();
            }
        }
        self.append(&data[n..]);
    }

    fn flush(&mut self) {
        if self.cell.size > 0 {
            if self.in_escape {
                self.end_escape();
            }
            self.terminate_cell(false);
        }
        let nlines = self.lines.len();
        self.format(0, 0, nlines);
        self.reset();
    }

    fn format(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        let mut line0 = line0;
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            // Cell `column` exists in this line: a block of lines with it.
            pos = self.write_lines(pos, line0, this);
            line0 = this;
            let mut width = 0;
            let mut discardable = true;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                let c = line[column];
                width = width.max(c.width + PADDING);
                if c.width > 0 || c.htab {
                    discardable = false;
                }
                this += 1;
            }
            if discardable {
                width = 0;
            }
            self.widths.push(width);
            pos = self.format(pos, line0, this);
            self.widths.pop();
            line0 = this;
            this += 1;
        }
        self.write_lines(pos, line0, line1)
    }

    fn write_padding(&mut self, textw: usize, cellw: usize, use_tabs: bool) {
        if use_tabs {
            let cellw = cellw.div_ceil(TAB_WIDTH) * TAB_WIDTH;
            let n = cellw.saturating_sub(textw);
            for _ in 0..n.div_ceil(TAB_WIDTH) {
                self.out.push(b'\t');
            }
            return;
        }
        for _ in 0..cellw.saturating_sub(textw) {
            self.out.push(b' ');
        }
    }

    fn write_lines(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        for i in line0..line1 {
            let mut use_tabs = true;
            let ncells = self.lines[i].len();
            for j in 0..ncells {
                let c = self.lines[i][j];
                if c.size == 0 {
                    if j < self.widths.len() {
                        let w = self.widths[j];
                        self.write_padding(c.width, w, use_tabs);
                    }
                } else {
                    use_tabs = false;
                    let text = self.buf[pos..pos + c.size].to_vec();
                    self.out.extend_from_slice(&text);
                    pos += c.size;
                    if j < self.widths.len() {
                        let w = self.widths[j];
                        self.write_padding(c.width, w, false);
                    }
                }
            }
            if i + 1 == self.lines.len() {
                let text = self.buf[pos..pos + self.cell.size].to_vec();
                self.out.extend_from_slice(&text);
                pos += self.cell.size;
            } else {
                self.out.push(b'\n');
            }
        }
        pos
    }
}

/// go/printer's trimmer: drops white space before line ends and the escape
/// bytes, and turns `\v` into a tab and `\f` into a newline.
fn trim(data: &[u8]) -> Vec<u8> {
    #[derive(PartialEq)]
    enum State {
        Space,
        Escape,
        Text,
    }
    let mut out = Vec::with_capacity(data.len());
    let mut space: Vec<u8> = Vec::new();
    let mut state = State::Space;
    for &orig in data {
        let b = if orig == 0x0b { b'\t' } else { orig };
        match state {
            State::Space => match b {
                b'\t' | b' ' => space.push(b),
                b'\n' | 0x0c => {
                    space.clear();
                    out.push(b'\n');
                }
                ESCAPE => {
                    out.append(&mut space);
                    state = State::Escape;
                }
                _ => {
                    out.append(&mut space);
                    out.push(b);
                    state = State::Text;
                }
            },
            State::Escape => {
                if b == ESCAPE {
                    state = State::Space;
                } else {
                    out.push(orig);
                }
            }
            State::Text => match b {
                b'\t' | b' ' => {
                    state = State::Space;
                    space.push(b);
                }
                b'\n' | 0x0c => {
                    state = State::Space;
                    out.push(b'\n');
                }
                ESCAPE => state = State::Escape,
                _ => out.push(b),
            },
        }
    }
    out
}
