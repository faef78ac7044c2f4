//! What a good archive extracts to.

use std::fs;
use std::io::{Cursor, Write};

use serde_json::json;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use super::{Fixture, TestResult, zip_of};
use crate::archive::{Extracted, ZipLimits, tree_of};

#[test]
fn extracts_a_nested_archive_and_shows_its_tree() -> TestResult {
    let bytes = zip_of(&[
        ("digits/", b""),
        ("digits/0/1.png", b"one"),
        ("digits/1/5.png", b"five"),
        ("docs\\guide.md", b"# guide"),
        ("./notes//todo.txt", b"todo"),
        ("empty/", b""),
        ("readme.txt", b"hello"),
    ])?;
    let fixture = Fixture::new(&bytes)?;
    let extracted = fixture.extract(&ZipLimits::default())?;
    assert_eq!(
        extracted,
        Extracted {
            files: 5,
            folders: 6, // digits, digits/0, digits/1, docs, notes, empty
            bytes: 3 + 4 + 7 + 4 + 5,
        }
    );
    assert_eq!(fs::read(fixture.dest.join("digits/0/1.png"))?, b"one");
    assert_eq!(fs::read(fixture.dest.join("digits/1/5.png"))?, b"five");
    assert_eq!(fs::read(fixture.dest.join("docs/guide.md"))?, b"# guide");
    assert_eq!(fs::read(fixture.dest.join("notes/todo.txt"))?, b"todo");
    assert_eq!(fs::read(fixture.dest.join("readme.txt"))?, b"hello");
    assert_eq!(
        tree_of(&fixture.dest)?,
        json!({
            "digits": {"0": {"1.png": "1.png"}, "1": {"5.png": "5.png"}},
            "docs": {"guide.md": "guide.md"},
            "empty": {},
            "notes": {"todo.txt": "todo.txt"},
            "readme.txt": "readme.txt",
        })
    );
    // Keys come out sorted by name.
    let text = serde_json::to_string(&tree_of(&fixture.dest)?)?;
    assert!(
        text.starts_with(r#"{"digits":{"0":{"1.png":"1.png"},"1":"#),
        "{text}"
    );
    Ok(())
}

#[test]
fn extracts_deflated_entries() -> TestResult {
    let text = "a line of a CSV file,1,2,3\n".repeat(1000);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("data/table.csv", SimpleFileOptions::default())?;
    writer.write_all(text.as_bytes())?;
    let bytes = writer.finish()?.into_inner();
    let fixture = Fixture::new(&bytes)?;
    let extracted = fixture.extract(&ZipLimits::default())?;
    assert_eq!(
        extracted,
        Extracted {
            files: 1,
            folders: 1,
            bytes: text.len() as u64
        }
    );
    assert_eq!(fs::read_to_string(fixture.dest.join("data/table.csv"))?, text);
    Ok(())
}

#[test]
fn skips_macos_junk() -> TestResult {
    let bytes = zip_of(&[
        ("__MACOSX/", b""),
        ("__MACOSX/data/._a.txt", b"resource fork"),
        ("data/a.txt", b"a"),
        ("data/._a.txt", b"resource fork"),
        ("._top", b"resource fork"),
    ])?;
    let fixture = Fixture::new(&bytes)?;
    let extracted = fixture.extract(&ZipLimits::default())?;
    assert_eq!(
        extracted,
        Extracted {
            files: 1,
            folders: 1,
            bytes: 1
        }
    );
    assert_eq!(tree_of(&fixture.dest)?, json!({"data": {"a.txt": "a.txt"}}));
    Ok(())
}

#[test]
fn an_empty_archive_extracts_nothing() -> TestResult {
    let fixture = Fixture::new(&zip_of(&[])?)?;
    assert_eq!(
        fixture.extract(&ZipLimits::default())?,
        Extracted {
            files: 0,
            folders: 0,
            bytes: 0
        }
    );
    assert_eq!(tree_of(&fixture.dest)?, json!({}));
    Ok(())
}

/// `cargo test --release -p datastore extraction_throughput -- --ignored --nocapture`
#[test]
#[ignore = "a benchmark"]
fn extraction_throughput() -> TestResult {
    const FILES: usize = 10_000;
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let data = [42u8; 600];
    for i in 0..FILES {
        writer.start_file(format!("digits/{}/{i}.png", i % 10), SimpleFileOptions::default())?;
        writer.write_all(&data)?;
    }
    let bytes = writer.finish()?.into_inner();
    for round in 1..=5 {
        let fixture = Fixture::new(&bytes)?;
        let start = std::time::Instant::now();
        let extracted = fixture.extract(&ZipLimits::default())?;
        let elapsed = start.elapsed();
        assert_eq!(extracted.files, FILES as u64);
        eprintln!(
            "round {round}: extracted {FILES} files in {elapsed:?}: {:.0} files/s",
            FILES as f64 / elapsed.as_secs_f64()
        );
    }
    Ok(())
}
