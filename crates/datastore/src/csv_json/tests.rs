//! Tests of `csv_to_json`: the conversion rules, paging, and read and write errors.

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
