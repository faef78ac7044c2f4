//! Streaming conversion of a CSV file (with a header row) to a JSON array of row objects.
//!
//! This is what `GET /data/<id>/` answers for an uploaded CSV file: every row becomes an
//! object whose keys are the header names and whose values are strings, e.g.
//!
//! ```text
//! id,name,price
//! 1,Java,9
//! 2,Python,9.8
//! ```
//!
//! becomes `[{"id":"1","name":"Java","price":"9"},{"id":"2","name":"Python","price":"9.8"}]`.
//!
//! The conversion streams: memory is bounded by one record (plus fixed-size buffers), so
//! files of hundreds of megabytes can be served. See [`csv_to_json`] for the exact rules.

use std::collections::HashSet;
use std::io::{self, Read, Write};

/// Which rows to emit: skip `offset` data rows, then emit at most `limit` (None = all).
///
/// The header row is not a data row and is never counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Page {
    /// How many data rows to skip before the first one written.
    pub offset: u64,
    /// The most rows to write; `None` writes every row after the offset.
    pub limit: Option<u64>,
}

/// What a conversion did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvSummary {
    /// Data rows written to the JSON array.
    pub rows_written: u64,
    /// Data rows read and skipped because of [`Page::offset`].
    pub rows_skipped: u64,
}

/// Why a conversion failed. The output may then hold a partial (invalid) JSON document.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// Reading or parsing the input failed (in practice an I/O error of the reader).
    #[error("reading the CSV failed: {0}")]
    Read(#[source] csv::Error),
    /// Writing to the output failed.
    #[error("writing the JSON failed: {0}")]
    Write(#[source] std::io::Error),
}

/// The key under which values beyond the header's length are kept (as an array of strings).
const EXTRA_KEY: &str = "_extra";

/// The UTF-8 byte-order mark.
const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// Capacity of the reader's internal buffer.
const READ_BUFFER: usize = 64 * 1024;

/// The output is handed to the writer once the internal buffer holds this many bytes.
const FLUSH_AT: usize = 128 * 1024;

/// Streams `input` (CSV with a header row) to `output` as a JSON array of objects.
///
/// * The first record is the header; every following record becomes one object
///   `{"<header 1>":"<value 1>",...}` in the order of the header. Output is compact JSON
///   with no whitespace and no trailing newline. An empty input, or one with only a header,
///   gives `[]`. Completely blank lines are skipped.
/// * A UTF-8 byte-order mark at the start of the input is removed.
/// * Header names and values are decoded as UTF-8; invalid bytes are replaced with U+FFFD
///   (never an error). Quoted fields come out as their text (commas, doubled quotes and
///   newlines included).
/// * Ragged rows: a missing value is written as `""`; values beyond the header's length are
///   written last, as an array of strings under the key `"_extra"`.
/// * Duplicate header names get a suffix so that no column is lost: the first `a` stays `a`,
///   later ones become `a_2`, `a_3`, ... (the smallest `_N`, N >= 2, not already taken by an
///   earlier column). An empty header name stays `""` (a second one becomes `"_2"`). If the
///   header itself has a column named `_extra`, the overflow key is renamed the same way
///   (`_extra_2`, ...).
/// * [`Page`]: the first `offset` data rows are parsed but not written, then at most `limit`
///   rows are written; reading stops as soon as `limit` rows have been written (so with
///   `limit == Some(0)` nothing after the header is read and `rows_skipped` is 0).
///
/// Buffering: both sides are buffered internally (the reader in 64 KiB, the output in a
/// buffer written out in chunks of about 128 KiB), so `input` and `output` need not be
/// buffered. `output` is flushed before returning `Ok`.
///
/// Memory is bounded by the largest single record; rows are never collected.
pub fn csv_to_json<R: Read, W: Write>(input: R, output: W, page: Page) -> Result<CsvSummary, CsvError> {
    let mut input = input;
    // Remove a byte-order mark before the CSV parser sees it, so that a quoted first header
    // name (`<BOM>"id",...`) is still parsed as a quoted field.
    let mut head = [0_u8; 3];
    let head_len = read_up_to(&mut input, &mut head).map_err(|e| CsvError::Read(csv::Error::from(e)))?;
    let keep: &[u8] = if head_len == 3 && &head == BOM {
        &[]
    } else {
        &head[..head_len]
    };
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(READ_BUFFER)
        .from_reader(keep.chain(input));
    Converter::new(output).run(reader, page)
}

/// Reads until `buf` is full or the input ends; returns how many bytes were read.
fn read_up_to<R: Read>(input: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The state of one conversion: the output buffer and the pre-escaped keys.
struct Converter<W: Write> {
    output: W,
    buf: Vec<u8>,
    /// For column `i`: `{"key":"` (i == 0) or `,"key":"` (i > 0), escaped once.
    keys: Vec<Box<[u8]>>,
    /// The total length of `keys`.
    keys_len: usize,
    /// `,"_extra":[` (or without the comma when the header has no columns).
    extra_key: Box<[u8]>,
}

impl<W: Write> Converter<W> {
    fn new(output: W) -> Self {
        Self {
            output,
            buf: Vec::with_capacity(FLUSH_AT + 16 * 1024),
            keys: Vec::new(),
            keys_len: 0,
            extra_key: Box::new([]),
        }
    }

    fn run<R: Read>(mut self, mut reader: csv::Reader<R>, page: Page) -> Result<CsvSummary, CsvError> {
        let mut summary = CsvSummary::default();
        let mut record = csv::ByteRecord::new();
        self.buf.push(b'[');
        if reader.read_byte_record(&mut record).map_err(CsvError::Read)? {
            self.set_header(&record);
            let limit = page.limit.unwrap_or(u64::MAX);
            while summary.rows_skipped < page.offset && summary.rows_written < limit {
                if !reader.read_byte_record(&mut record).map_err(CsvError::Read)? {
                    break;
                }
                summary.rows_skipped += 1;
            }
            while summary.rows_written < limit {
                if !reader.read_byte_record(&mut record).map_err(CsvError::Read)? {
                    break;
                }
                if summary.rows_written > 0 {
                    self.buf.push(b',');
                }
                self.push_row(&record);
                summary.rows_written += 1;
                if self.buf.len() >= FLUSH_AT {
                    self.flush_buf()?;
                }
            }
        }
        self.buf.push(b']');
        self.flush_buf()?;
        self.output.flush().map_err(CsvError::Write)?;
        Ok(summary)
    }

    /// Computes the unique, escaped key prefixes from the header record.
    fn set_header(&mut self, header: &csv::ByteRecord) {
        let mut taken: HashSet<String> = HashSet::with_capacity(header.len() + 1);
        let mut names = Vec::with_capacity(header.len() + 1);
        for field in header.iter() {
            names.push(unique_name(
                String::from_utf8_lossy(field).into_owned(),
                &mut taken,
            ));
        }
        let extra = unique_name(EXTRA_KEY.to_owned(), &mut taken);
        self.keys = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut key = Vec::with_capacity(name.len() + 5);
                key.extend_from_slice(if i == 0 { b"{\"" } else { b",\"" });
                push_escaped(&mut key, name.as_bytes());
                key.extend_from_slice(b"\":\"");
                key.into_boxed_slice()
            })
            .collect();
        self.keys_len = self.keys.iter().map(|key| key.len()).sum();
        let mut key = Vec::with_capacity(extra.len() + 5);
        key.extend_from_slice(if names.is_empty() { b"\"" } else { b",\"" });
        push_escaped(&mut key, extra.as_bytes());
        key.extend_from_slice(b"\":[");
        self.extra_key = key.into_boxed_slice();
    }

    /// Appends one row object to the output buffer.
    fn push_row(&mut self, record: &csv::ByteRecord) {
        // Scan the whole record once. In the common case (valid UTF-8, every field starting
        // on a character boundary, nothing to escape) the fields are then copied as they are.
        let all = record.as_slice();
        let (ascii, clean) = scan_record(all);
        let valid = ascii
            || (std::str::from_utf8(all).is_ok()
                && record
                    .iter()
                    .all(|f| f.first().is_none_or(|&b| !is_continuation(b))));
        let plain = valid && clean;
        let buf = &mut self.buf;
        buf.reserve(all.len() + self.keys_len + 4 * record.len() + self.extra_key.len() + 2);
        let mut fields = record.iter();
        if self.keys.is_empty() {
            buf.push(b'{');
        }
        for key in self.keys.iter() {
            buf.extend_from_slice(key);
            if let Some(field) = fields.next() {
                push_value(buf, field, plain, valid);
            }
            buf.push(b'"');
        }
        if record.len() > self.keys.len() {
            buf.extend_from_slice(&self.extra_key);
            for (j, field) in fields.enumerate() {
                buf.extend_from_slice(if j == 0 { b"\"" } else { b",\"" });
                push_value(buf, field, plain, valid);
                buf.push(b'"');
            }
            buf.push(b']');
        }
        buf.push(b'}');
    }

    fn flush_buf(&mut self) -> Result<(), CsvError> {
        self.output.write_all(&self.buf).map_err(CsvError::Write)?;
        self.buf.clear();
        Ok(())
    }
}

/// Returns `name`, or `name_N` with the smallest N >= 2 not yet taken, and marks it taken.
fn unique_name(name: String, taken: &mut HashSet<String>) -> String {
    let mut unique = name;
    if taken.contains(&unique) {
        let base = std::mem::take(&mut unique);
        for n in 2_u64.. {
            unique = format!("{base}_{n}");
            if !taken.contains(&unique) {
                break;
            }
        }
    }
    taken.insert(unique.clone());
    unique
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Returns (whether `bytes` is all ASCII, whether no byte of it needs a JSON escape), looking
/// at eight bytes at a time.
#[inline]
fn scan_record(bytes: &[u8]) -> (bool, bool) {
    let (words, tail) = bytes.as_chunks::<8>();
    let (mut high, mut escape) = (0_u64, 0_u64);
    for word in words {
        let x = u64::from_le_bytes(*word);
        high |= x;
        // High bit set in some byte iff that byte is < 0x20, == '"' or == '\\' (the usual
        // "has zero byte" trick: borrows only start at a byte that matches).
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        escape |= (x.wrapping_sub(ONES * 0x20) & !x)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash);
    }
    let mut ascii = high & HIGH_BITS == 0;
    let mut clean = escape & HIGH_BITS == 0;
    for &b in tail {
        ascii &= b.is_ascii();
        clean &= ESCAPE[usize::from(b)] == 0;
    }
    (ascii, clean)
}

/// Appends `field` as it is if `plain` (known valid UTF-8 with nothing to escape), else
/// escaped (and lossily decoded unless `valid`).
#[inline(always)]
fn push_value(buf: &mut Vec<u8>, field: &[u8], plain: bool, valid: bool) {
    if plain {
        buf.extend_from_slice(field);
    } else {
        push_field(buf, field, valid);
    }
}

/// Appends the escaped text of `field`, replacing invalid UTF-8 unless `valid` says the
/// field is already known to be valid.
#[inline(never)]
fn push_field(buf: &mut Vec<u8>, field: &[u8], valid: bool) {
    if valid || std::str::from_utf8(field).is_ok() {
        push_escaped(buf, field);
    } else {
        push_escaped(buf, String::from_utf8_lossy(field).as_bytes());
    }
}

/// For each byte: 0 if it is written as-is, otherwise the character after the backslash
/// (`u` meaning `\u00XX`).
static ESCAPE: [u8; 256] = {
    let mut table = [0_u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `text` (valid UTF-8) as the inside of a JSON string: `"`, `\` and control
/// characters are escaped; runs of other bytes are copied in one go.
#[inline]
fn push_escaped(buf: &mut Vec<u8>, text: &[u8]) {
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        let escape = ESCAPE[usize::from(b)];
        if escape == 0 {
            continue;
        }
        buf.extend_from_slice(&text[start..i]);
        if escape == b'u' {
            buf.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ]);
        } else {
            buf.extend_from_slice(&[b'\\', escape]);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn convert(input: &[u8], page: Page) -> Result<(String, CsvSummary), Box<dyn std::error::Error>> {
        let mut out = Vec::new();
        let summary = csv_to_json(input, &mut out, page)?;
        Ok((String::from_utf8(out)?, summary))
    }

    fn all(input: &[u8]) -> Result<String, Box<dyn std::error::Error>> {
        Ok(convert(input, Page::default())?.0)
    }

    #[test]
    fn converts_the_example() -> TestResult {
        let (out, summary) = convert(b"id,name,price\n1,Java,9\n2,Python,9.8\n", Page::default())?;
        assert_eq!(
            out,
            r#"[{"id":"1","name":"Java","price":"9"},{"id":"2","name":"Python","price":"9.8"}]"#
        );
        assert_eq!(
            summary,
            CsvSummary {
                rows_written: 2,
                rows_skipped: 0
            }
        );
        Ok(())
    }

    #[test]
    fn no_trailing_newline_needed_and_crlf_accepted() -> TestResult {
        assert_eq!(
            all(b"a,b\r\n1,2\r\n3,4")?,
            r#"[{"a":"1","b":"2"},{"a":"3","b":"4"}]"#
        );
        Ok(())
    }

    #[test]
    fn quoted_fields_keep_their_text() -> TestResult {
        let input = b"name,note\n\"Smith, J\",\"He said \"\"hi\"\"\nand left\"\n";
        let value: Value = serde_json::from_str(&all(input)?)?;
        assert_eq!(
            value,
            json!([{"name": "Smith, J", "note": "He said \"hi\"\nand left"}])
        );
        Ok(())
    }

    #[test]
    fn byte_order_mark_is_removed() -> TestResult {
        assert_eq!(all(b"\xEF\xBB\xBFid,name\n1,a\n")?, r#"[{"id":"1","name":"a"}]"#);
        // Also before a quoted first header name.
        assert_eq!(
            all(b"\xEF\xBB\xBF\"id\",name\n1,a\n")?,
            r#"[{"id":"1","name":"a"}]"#
        );
        // A BOM alone is an empty file.
        assert_eq!(all(b"\xEF\xBB\xBF")?, "[]");
        // Inputs shorter than a BOM are still read.
        assert_eq!(all(b"a\n")?, "[]");
        assert_eq!(all(b"a\n1")?, r#"[{"a":"1"}]"#);
        Ok(())
    }

    #[test]
    fn invalid_utf8_is_replaced() -> TestResult {
        let value: Value = serde_json::from_str(&all(b"a\xFF,b\n\xFF,x\xFEy\n")?)?;
        assert_eq!(value, json!([{"a\u{FFFD}": "\u{FFFD}", "b": "x\u{FFFD}y"}]));
        // A character split across two fields: the record as a whole is valid UTF-8, but
        // neither field is.
        let value: Value = serde_json::from_str(&all(b"a,b\n\xE4\xBB,\xB7\n")?)?;
        assert_eq!(value, json!([{"a": "\u{FFFD}", "b": "\u{FFFD}"}]));
        Ok(())
    }

    #[test]
    fn short_row_gets_empty_strings() -> TestResult {
        assert_eq!(all(b"a,b,c\n1\n")?, r#"[{"a":"1","b":"","c":""}]"#);
        assert_eq!(all(b"a,b,c\n,\n")?, r#"[{"a":"","b":"","c":""}]"#);
        Ok(())
    }

    #[test]
    fn long_row_keeps_extra_values() -> TestResult {
        assert_eq!(
            all(b"a,b\n1,2,3,\"x,\"\"y\"\n4,5\n")?,
            r#"[{"a":"1","b":"2","_extra":["3","x,\"y"]},{"a":"4","b":"5"}]"#
        );
        // A header column named `_extra` is not shadowed.
        assert_eq!(all(b"_extra\n1,2\n")?, r#"[{"_extra":"1","_extra_2":["2"]}]"#);
        Ok(())
    }

    #[test]
    fn duplicate_headers_get_suffixes() -> TestResult {
        assert_eq!(
            all(b"a,a,b,a,,\n1,2,3,4,5,6\n")?,
            r#"[{"a":"1","a_2":"2","b":"3","a_3":"4","":"5","_2":"6"}]"#
        );
        // A generated name never takes the place of a real one.
        assert_eq!(all(b"a,a_2,a\n1,2,3\n")?, r#"[{"a":"1","a_2":"2","a_3":"3"}]"#);
        assert_eq!(all(b"a,a,a_2\n1,2,3\n")?, r#"[{"a":"1","a_2":"2","a_2_2":"3"}]"#);
        Ok(())
    }

    #[test]
    fn empty_and_header_only_inputs_give_empty_arrays() -> TestResult {
        assert_eq!(
            convert(b"", Page::default())?,
            ("[]".to_owned(), CsvSummary::default())
        );
        assert_eq!(all(b"a,b,c\n")?, "[]");
        assert_eq!(all(b"a,b,c")?, "[]");
        assert_eq!(all(b"\n\n")?, "[]");
        Ok(())
    }

    #[test]
    fn blank_lines_are_skipped() -> TestResult {
        assert_eq!(
            all(b"a,b\n\n1,2\n\n\n3,4\n\n")?,
            r#"[{"a":"1","b":"2"},{"a":"3","b":"4"}]"#
        );
        Ok(())
    }

    #[test]
    fn offset_and_limit() -> TestResult {
        let input = b"n\n0\n1\n2\n3\n4\n";
        let page = |offset, limit| Page { offset, limit };
        assert_eq!(
            convert(input, page(1, Some(2)))?,
            (
                r#"[{"n":"1"},{"n":"2"}]"#.to_owned(),
                CsvSummary {
                    rows_written: 2,
                    rows_skipped: 1
                }
            )
        );
        assert_eq!(
            convert(input, page(3, None))?,
            (
                r#"[{"n":"3"},{"n":"4"}]"#.to_owned(),
                CsvSummary {
                    rows_written: 2,
                    rows_skipped: 3
                }
            )
        );
        assert_eq!(
            convert(input, page(0, Some(1)))?,
            (
                r#"[{"n":"0"}]"#.to_owned(),
                CsvSummary {
                    rows_written: 1,
                    rows_skipped: 0
                }
            )
        );
        assert_eq!(
            convert(input, page(10, None))?,
            (
                "[]".to_owned(),
                CsvSummary {
                    rows_written: 0,
                    rows_skipped: 5
                }
            )
        );
        assert_eq!(
            convert(input, page(5, Some(3)))?,
            (
                "[]".to_owned(),
                CsvSummary {
                    rows_written: 0,
                    rows_skipped: 5
                }
            )
        );
        assert_eq!(
            convert(input, page(0, Some(0)))?,
            ("[]".to_owned(), CsvSummary::default())
        );
        assert_eq!(
            convert(input, page(2, Some(0)))?,
            ("[]".to_owned(), CsvSummary::default())
        );
        // Skipped rows are parsed as CSV: a quoted newline does not start a new row.
        assert_eq!(all(b"n\n\"0\n1\"\n2\n")?, r#"[{"n":"0\n1"},{"n":"2"}]"#);
        assert_eq!(convert(b"n\n\"0\n1\"\n2\n", page(1, None))?.0, r#"[{"n":"2"}]"#);
        Ok(())
    }

    #[test]
    fn stops_reading_once_the_limit_is_written() -> TestResult {
        // Everything after the second data row is an I/O error: it must never be read.
        struct Failing<'a>(&'a [u8]);
        impl Read for Failing<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::other("read past the limit"));
                }
                let n = self.0.len().min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        let summary = csv_to_json(
            Failing(b"n\n0\n1\n"),
            &mut out,
            Page {
                offset: 1,
                limit: Some(1),
            },
        )?;
        assert_eq!(String::from_utf8(out)?, r#"[{"n":"1"}]"#);
        assert_eq!(
            summary,
            CsvSummary {
                rows_written: 1,
                rows_skipped: 1
            }
        );
        let err = csv_to_json(Failing(b"n\n0\n1\n"), &mut Vec::new(), Page::default());
        assert!(matches!(err, Err(CsvError::Read(_))), "{err:?}");
        Ok(())
    }

    #[test]
    fn write_errors_are_reported() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = csv_to_json(&b"a\n1\n"[..], Full, Page::default());
        assert!(matches!(err, Err(CsvError::Write(_))), "{err:?}");
    }

    #[test]
    fn escapes_json_strings() -> TestResult {
        let input = "k\"ey,价格\n\"a\"\"b\\c\nd\te\u{1}f\u{8}\u{c}\r\u{1f}\",价格 ünï €\n".as_bytes();
        let out = all(input)?;
        assert_eq!(
            out,
            "[{\"k\\\"ey\":\"a\\\"b\\\\c\\nd\\te\\u0001f\\b\\f\\r\\u001f\",\"价格\":\"价格 ünï €\"}]"
        );
        let value: Value = serde_json::from_str(&out)?;
        assert_eq!(
            value,
            json!([{"k\"ey": "a\"b\\c\nd\te\u{1}f\u{8}\u{c}\r\u{1f}", "价格": "价格 ünï €"}])
        );
        Ok(())
    }

    #[test]
    fn every_control_character_round_trips() -> TestResult {
        let text: String = (0_u8..0x20)
            .map(char::from)
            .chain("\"\\/\u{7f}é".chars())
            .collect();
        let mut escaped = Vec::new();
        push_escaped(&mut escaped, text.as_bytes());
        let quoted = format!("\"{}\"", String::from_utf8(escaped)?);
        assert_eq!(serde_json::from_str::<String>(&quoted)?, text);
        Ok(())
    }

    #[test]
    fn scan_finds_every_byte_to_escape() {
        for len in 0..20 {
            for pos in 0..len {
                for b in 0_u8..=255 {
                    let mut bytes = vec![b'a'; len];
                    bytes[pos] = b;
                    // Neighbours that could confuse the word-at-a-time arithmetic.
                    if pos + 1 < len {
                        bytes[pos + 1] = 0xFF;
                    }
                    let expected = (
                        bytes.is_ascii(),
                        bytes.iter().all(|&c| ESCAPE[usize::from(c)] == 0),
                    );
                    assert_eq!(scan_record(&bytes), expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn ten_thousand_rows() -> TestResult {
        let mut input = String::from("id,name,price,note\n");
        for i in 0..10_000 {
            input.push_str(&format!(
                "{i},name {i},{}.5,\"a, \"\"quoted\"\"\nnote {i}\"\n",
                i * 3
            ));
        }
        let mut out = Vec::new();
        let summary = csv_to_json(input.as_bytes(), &mut out, Page::default())?;
        assert_eq!(
            summary,
            CsvSummary {
                rows_written: 10_000,
                rows_skipped: 0
            }
        );
        let rows: Vec<serde_json::Map<String, Value>> = serde_json::from_slice(&out)?;
        assert_eq!(rows.len(), 10_000);
        assert_eq!(rows[9_999]["id"], "9999");
        assert_eq!(rows[9_999]["price"], "29997.5");
        assert_eq!(rows[9_999]["note"], "a, \"quoted\"\nnote 9999");
        Ok(())
    }
}
