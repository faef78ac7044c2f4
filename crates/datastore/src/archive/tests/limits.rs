//! Archive bombs: too many entries, too many bytes, implausible compression ratios,
//! entries that lie about their size.

use std::io::{Cursor, Write};

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use super::{CENTRAL, Fixture, LOCAL, TestResult, assert_refused, offsets_of, put_u32, zip_of};
use crate::archive::{ArchiveError, Extracted, RATIO_EXEMPT_BYTES, ZipLimits};

#[test]
fn refuses_too_many_entries() -> TestResult {
    let limits = ZipLimits {
        max_entries: 2,
        ..ZipLimits::default()
    };
    let bytes = zip_of(&[("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c")])?;
    let error = assert_refused(&bytes, &limits, "the archive has more than 2 entries")?;
    assert!(matches!(error, ArchiveError::TooManyEntries { max: 2 }));

    // Folders implied by a path count too: a, a/b and the file.
    let bytes = zip_of(&[("a/b/c.txt", b"c")])?;
    assert_refused(&bytes, &limits, "the archive has more than 2 entries")?;

    // Exactly at the limit is fine.
    let bytes = zip_of(&[("a/c.txt", b"c")])?;
    let fixture = Fixture::new(&bytes)?;
    assert_eq!(
        fixture.extract(&limits)?,
        Extracted {
            files: 1,
            folders: 1,
            bytes: 1
        }
    );
    Ok(())
}

#[test]
fn refuses_more_bytes_than_the_total_limit() -> TestResult {
    let limits = ZipLimits {
        max_total_bytes: 100,
        ..ZipLimits::default()
    };
    let bytes = zip_of(&[("a.bin", &[7u8; 60]), ("b.bin", &[8u8; 60])])?;
    let error = assert_refused(&bytes, &limits, "the archive would expand to more than 100 bytes")?;
    assert!(matches!(error, ArchiveError::TooLarge { max: 100 }));

    let bytes = zip_of(&[("a.bin", &[7u8; 60]), ("b.bin", &[8u8; 40])])?;
    let fixture = Fixture::new(&bytes)?;
    assert_eq!(fixture.extract(&limits)?.bytes, 100);
    Ok(())
}

#[test]
fn refuses_a_highly_compressed_entry() -> TestResult {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("zeros.bin", SimpleFileOptions::default())?;
    let block = vec![0u8; 1024 * 1024];
    for _ in 0..20 {
        writer.write_all(&block)?;
    }
    let bytes = writer.finish()?.into_inner();
    assert!(bytes.len() < 20 * 1024 * 1024 / 200, "{} bytes", bytes.len());
    let error = assert_refused(
        &bytes,
        &ZipLimits::default(),
        "the archive entry \"zeros.bin\" is compressed more than 200:1 (a zip bomb?)",
    )?;
    assert!(matches!(error, ArchiveError::RatioTooHigh { max_ratio: 200, .. }));
    Ok(())
}

#[test]
fn refuses_a_high_ratio_entry_that_overstates_its_compressed_size() -> TestResult {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("zeros.bin", SimpleFileOptions::default())?;
    writer.write_all(&vec![0u8; 20 * 1024 * 1024])?;
    let mut bytes = writer.finish()?.into_inner();
    // Claim 200 MB of compressed data: a 1:10 ratio on paper, more than the whole archive.
    let local = offsets_of(&bytes, LOCAL);
    let central = offsets_of(&bytes, CENTRAL);
    put_u32(&mut bytes, local[0] + 18, 200_000_000);
    put_u32(&mut bytes, central[0] + 20, 200_000_000);
    assert_refused(
        &bytes,
        &ZipLimits::default(),
        "the archive entry \"zeros.bin\" is compressed more than 200:1 (a zip bomb?)",
    )?;
    Ok(())
}

#[test]
fn small_highly_compressible_files_are_fine() -> TestResult {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("blank.txt", SimpleFileOptions::default())?;
    writer.write_all(&vec![b' '; RATIO_EXEMPT_BYTES as usize])?;
    let bytes = writer.finish()?.into_inner();
    let fixture = Fixture::new(&bytes)?;
    assert_eq!(fixture.extract(&ZipLimits::default())?.bytes, RATIO_EXEMPT_BYTES);
    Ok(())
}

#[test]
fn refuses_an_entry_larger_than_it_declares() -> TestResult {
    // The second entry holds 100 bytes but declares 10: the first entry is written
    // before the lie shows, and must be removed again.
    let mut bytes = zip_of(&[("first/ok.txt", b"ok"), ("second.bin", &[1u8; 100])])?;
    let local = offsets_of(&bytes, LOCAL);
    let central = offsets_of(&bytes, CENTRAL);
    assert_eq!((local.len(), central.len()), (2, 2));
    put_u32(&mut bytes, local[1] + 22, 10);
    put_u32(&mut bytes, central[1] + 24, 10);
    let fixture = Fixture::new(&bytes)?;
    let error = match fixture.extract(&ZipLimits::default()) {
        Ok(extracted) => return Err(format!("extracted {extracted:?}").into()),
        Err(error) => error,
    };
    assert!(matches!(error, ArchiveError::Invalid(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("the file is not a valid zip archive: the entry \"second.bin\" cannot be read"),
        "{error}"
    );
    assert!(fixture.dest_is_empty()?);
    Ok(())
}
