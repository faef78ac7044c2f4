//! The converter proper: turns the header into pre-escaped keys once, then writes each
//! record as one JSON object into a buffer that is handed to the writer in chunks.

use std::collections::HashSet;
use std::io::{Read, Write};

use super::escape::{is_continuation, push_escaped, push_value, scan_record};
use super::{CsvError, CsvSummary, Page};

/// The key under which values beyond the header's length are kept (as an array of strings).
const EXTRA_KEY: &str = "_extra";

/// The output is handed to the writer once the internal buffer holds this many bytes.
const FLUSH_AT: usize = 128 * 1024;

/// The state of one conversion: the output buffer and the pre-escaped keys.
pub(super) struct Converter<W: Write> {
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
    pub(super) fn new(output: W) -> Self {
        Self {
            output,
            buf: Vec::with_capacity(FLUSH_AT + 16 * 1024),
            keys: Vec::new(),
            keys_len: 0,
            extra_key: Box::new([]),
        }
    }

    /// Writes the whole array for `reader` (header first) and flushes the output.
    pub(super) fn run<R: Read>(
        mut self,
        mut reader: csv::Reader<R>,
        page: Page,
    ) -> Result<CsvSummary, CsvError> {
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
