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

mod converter;
mod escape;
#[cfg(test)]
mod tests;

use std::io::{self, Read, Write};

use converter::Converter;

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

impl common::ErrorCode for CsvError {
    fn code(&self) -> &'static str {
        match self {
            Self::Read(_) => "csv_read",
            Self::Write(_) => "csv_write",
        }
    }
}

/// The UTF-8 byte-order mark.
const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// Capacity of the reader's internal buffer.
const READ_BUFFER: usize = 64 * 1024;

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
