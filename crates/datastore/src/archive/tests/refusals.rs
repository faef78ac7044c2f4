//! Archives refused as dangerous or broken (zip-slip, links, encryption, duplicates,
//! corruption), and which refusals are the server's fault.

use std::fs;
use std::io::{self, Cursor, Write};

use zip::ZipWriter;

use super::{
    CENTRAL, Fixture, LOCAL, TestResult, assert_refused, offsets_of, put_u16, put_u32, stored, zip_of,
    zip_with_entries_raw, zip_with_raw_name,
};
use crate::archive::{ArchiveError, Extracted, ZipLimits, extract_zip};

#[test]
fn refuses_entries_outside_the_upload() -> TestResult {
    for evil in [
        "../evil.txt",
        "/abs.txt",
        "C:\\x.txt",
        "c:x.txt",
        "a/../../b.txt",
        "ok/..\\..\\evil",
    ] {
        // A harmless entry first, so that a late refusal would have written something.
        let bytes = zip_with_entries_raw(&[(b"fine.txt", b"fine"), (evil.as_bytes(), b"evil")])?;
        let message = format!("the archive entry {evil:?} would be written outside the upload");
        let error = assert_refused(&bytes, &ZipLimits::default(), &message)?;
        assert!(matches!(error, ArchiveError::OutsideUpload { .. }), "{error:?}");
    }
    assert_eq!(
        ArchiveError::OutsideUpload {
            name: "../evil.txt".into()
        }
        .to_string(),
        "the archive entry \"../evil.txt\" would be written outside the upload"
    );
    Ok(())
}

#[test]
fn refuses_nul_bytes_in_names() -> TestResult {
    let bytes = zip_with_raw_name(b"a\0b.txt", b"x")?;
    let error = assert_refused(
        &bytes,
        &ZipLimits::default(),
        "the archive entry \"a\\0b.txt\" has an invalid name: it contains a NUL byte",
    )?;
    assert!(matches!(error, ArchiveError::InvalidName { .. }));
    Ok(())
}

#[test]
fn refuses_symbolic_links() -> TestResult {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("fine.txt", stored())?;
    writer.write_all(b"fine")?;
    writer.add_symlink("link", "/etc/passwd", stored())?;
    let bytes = writer.finish()?.into_inner();
    let error = assert_refused(
        &bytes,
        &ZipLimits::default(),
        "the archive entry \"link\" is a symbolic link",
    )?;
    assert!(matches!(error, ArchiveError::Symlink { .. }));
    Ok(())
}

#[test]
fn refuses_corrupt_and_truncated_files() -> TestResult {
    let prefix = "the file is not a valid zip archive: ";
    let good = zip_of(&[("a.txt", b"hello"), ("b.txt", b"world")])?;
    let cases: [(&str, Vec<u8>); 4] = [
        ("empty", Vec::new()),
        ("not a zip", b"this is a CSV file, not a zip archive\n".repeat(10)),
        ("truncated", good[..good.len() - 30].to_vec()),
        ("cut in the data", good[..40].to_vec()),
    ];
    for (what, bytes) in cases {
        let fixture = Fixture::new(&bytes)?;
        match fixture.extract(&ZipLimits::default()) {
            Ok(extracted) => return Err(format!("{what}: extracted {extracted:?}").into()),
            Err(error) => {
                assert!(matches!(error, ArchiveError::Invalid(_)), "{what}: {error:?}");
                assert!(error.to_string().starts_with(prefix), "{what}: {error}");
                assert!(error.is_client_error());
            }
        }
        assert!(fixture.dest_is_empty()?, "{what}");
    }

    // A corrupted checksum is found while reading the data.
    let mut bytes = good;
    let local = offsets_of(&bytes, LOCAL);
    let central = offsets_of(&bytes, CENTRAL);
    put_u32(&mut bytes, local[1] + 14, 0xDEAD_BEEF);
    put_u32(&mut bytes, central[1] + 16, 0xDEAD_BEEF);
    let fixture = Fixture::new(&bytes)?;
    let error = fixture
        .extract(&ZipLimits::default())
        .err()
        .ok_or("a bad checksum was accepted")?;
    assert!(error.to_string().starts_with(prefix), "{error}");
    assert!(fixture.dest_is_empty()?);
    Ok(())
}

#[test]
fn refuses_encrypted_entries() -> TestResult {
    use zip::unstable::write::FileOptionsExt;
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("fine.txt", stored())?;
    writer.write_all(b"fine")?;
    writer.start_file(
        "secret.txt",
        FileOptionsExt::with_deprecated_encryption(stored(), b"password")?,
    )?;
    writer.write_all(b"secret")?;
    let bytes = writer.finish()?.into_inner();
    let error = assert_refused(&bytes, &ZipLimits::default(), "the archive is encrypted")?;
    assert!(matches!(error, ArchiveError::Encrypted));
    Ok(())
}

#[test]
fn refuses_unsupported_compression_methods() -> TestResult {
    let mut bytes = zip_of(&[("a.txt", b"hello")])?;
    let local = offsets_of(&bytes, LOCAL);
    let central = offsets_of(&bytes, CENTRAL);
    put_u16(&mut bytes, local[0] + 8, 12); // bzip2
    put_u16(&mut bytes, central[0] + 10, 12);
    let error = assert_refused(
        &bytes,
        &ZipLimits::default(),
        "the archive entry \"a.txt\" uses the unsupported compression method Bzip2; \
         create the archive with the standard deflate compression",
    )?;
    assert!(matches!(error, ArchiveError::UnsupportedCompression { .. }));
    Ok(())
}

#[test]
fn refuses_duplicate_paths() -> TestResult {
    // The same path after normalisation.
    let bytes = zip_of(&[("a.txt", b"one"), ("./a.txt", b"two")])?;
    let error = assert_refused(
        &bytes,
        &ZipLimits::default(),
        "the archive contains the file \"./a.txt\" more than once",
    )?;
    assert!(matches!(error, ArchiveError::DuplicateEntry { .. }));

    // Byte-for-byte the same name (renamed by patching, as writers refuse it).
    let mut bytes = zip_of(&[("a.txt", b"one"), ("b.txt", b"two")])?;
    for offset in offsets_of(&bytes, b"b.tx") {
        bytes[offset] = b'a';
    }
    let error = assert_refused(
        &bytes,
        &ZipLimits::default(),
        "the archive contains two entries with the same name",
    )?;
    assert!(matches!(error, ArchiveError::DuplicateNames));

    // A file, then a folder of the same name.
    let bytes = zip_of(&[("a", b"file"), ("a/b.txt", b"b")])?;
    let error = assert_refused(
        &bytes,
        &ZipLimits::default(),
        "the archive entry \"a/b.txt\" clashes with another entry: a path cannot be both a file and a folder",
    )?;
    assert!(matches!(error, ArchiveError::PathConflict { .. }));

    // A folder, then a file of the same name.
    let bytes = zip_of(&[("a/b.txt", b"b"), ("a", b"file")])?;
    assert_refused(
        &bytes,
        &ZipLimits::default(),
        "the archive entry \"a\" clashes with another entry: a path cannot be both a file and a folder",
    )?;

    // Repeated folders are merged.
    let bytes = zip_of(&[("a/", b""), ("a/b.txt", b"b"), ("./a/", b"")])?;
    let fixture = Fixture::new(&bytes)?;
    assert_eq!(
        fixture.extract(&ZipLimits::default())?,
        Extracted {
            files: 1,
            folders: 1,
            bytes: 1
        }
    );
    Ok(())
}

#[cfg(unix)]
#[test]
fn never_writes_through_an_existing_symbolic_link() -> TestResult {
    let outside = tempfile::tempdir()?;
    let fixture = Fixture::new(&zip_of(&[("link/evil.txt", b"evil"), ("file.txt", b"x")])?)?;
    std::os::unix::fs::symlink(outside.path(), fixture.dest.join("link"))?;
    std::os::unix::fs::symlink(outside.path().join("target"), fixture.dest.join("file.txt"))?;
    let error = fixture
        .extract(&ZipLimits::default())
        .err()
        .ok_or("wrote through a symbolic link")?;
    assert!(matches!(error, ArchiveError::Io(_)), "{error:?}");
    assert!(!error.is_client_error());
    assert!(fs::read_dir(outside.path())?.next().is_none());

    let fixture = Fixture::new(&zip_of(&[("file.txt", b"x")])?)?;
    std::os::unix::fs::symlink(outside.path().join("target"), fixture.dest.join("file.txt"))?;
    assert!(matches!(
        fixture.extract(&ZipLimits::default()),
        Err(ArchiveError::Io(_))
    ));
    assert!(fs::read_dir(outside.path())?.next().is_none());
    Ok(())
}

#[test]
fn only_io_errors_are_server_errors() {
    assert!(ArchiveError::Encrypted.is_client_error());
    assert!(ArchiveError::Invalid("x".into()).is_client_error());
    assert!(!ArchiveError::Io(io::Error::other("disk full")).is_client_error());
    assert_eq!(
        ArchiveError::TooManyEntries { max: 100_000 }.to_string(),
        "the archive has more than 100000 entries"
    );
    assert_eq!(
        ArchiveError::TooLarge {
            max: ZipLimits::default().max_total_bytes
        }
        .to_string(),
        "the archive would expand to more than 8589934592 bytes"
    );
}

#[test]
fn a_missing_destination_is_a_server_error() -> TestResult {
    let fixture = Fixture::new(&zip_of(&[("a.txt", b"a")])?)?;
    let error = extract_zip(
        &fixture.archive,
        &fixture.dest.join("missing"),
        &ZipLimits::default(),
    )
    .err()
    .ok_or("extracted into a missing folder")?;
    assert!(matches!(error, ArchiveError::Io(_)));
    Ok(())
}
