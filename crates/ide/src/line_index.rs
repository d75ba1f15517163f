//! Byte offsets ↔ the editor's positions: zero-based lines and columns in
//! UTF-16 code units (the Language Server Protocol's default encoding).

pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's first byte.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The line and UTF-16 column of a byte offset (clamped to the text, and
    /// moved back to a character boundary).
    pub fn position(&self, offset: u32) -> (u32, u32) {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column: usize = self.text[self.starts[line]..offset].chars().map(char::len_utf16).sum();
        (line as u32, column as u32)
    }

    /// The byte offset of a line and UTF-16 column; past the end of a line
    /// is its end, past the last line the end of the text.
    pub fn offset(&self, line: u32, column: u32) -> u32 {
        let Some(&start) = self.starts.get(line as usize) else { return self.text.len() as u32 };
        let end = self.starts.get(line as usize + 1).map_or(self.text.len(), |&next| next - 1);
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= column as usize {
                return (start + i) as u32;
            }
            units += c.len_utf16();
        }
        end as u32
    }
}
