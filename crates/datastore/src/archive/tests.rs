//! Tests of `extract_zip`, `tree_of` and `safe_relative_path`, on archives built here.

use super::*;
use std::error::Error;
use std::io::Cursor;

use serde_json::json;
use tempfile::TempDir;
use zip::write::{FullFileOptions, SimpleFileOptions};
use zip::{CompressionMethod, ZipWriter};

type TestResult = Result<(), Box<dyn Error>>;

/// Signature of a local file header.
const LOCAL: &[u8; 4] = b"PK\x03\x04";
/// Signature of a central directory header.
const CENTRAL: &[u8; 4] = b"PK\x01\x02";

fn stored() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
}

/// An archive of `entries`: names ending in `/` are folders, the rest stored files.
fn zip_of(entries: &[(&str, &[u8])]) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for &(name, data) in entries {
        if name.ends_with('/') {
            writer.add_directory(name, stored())?;
        } else {
            writer.start_file(name, stored())?;
            writer.write_all(data)?;
        }
    }
    Ok(writer.finish()?.into_inner())
}

/// An archive of one stored file under raw name bytes (the UTF-8 flag is set by the
/// writer only for non-ASCII valid UTF-8).
fn zip_with_raw_name(name: &[u8], data: &[u8]) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file_with_options(stored().name(name))?;
    writer.write_all(data)?;
    Ok(writer.finish()?.into_inner())
}

/// A temporary folder holding the archive and an empty upload folder.
struct Fixture {
    _root: TempDir,
    archive: PathBuf,
    dest: PathBuf,
}

impl Fixture {
    fn new(archive_bytes: &[u8]) -> Result<Self, Box<dyn Error>> {
        let root = tempfile::tempdir()?;
        let archive = root.path().join("upload.zip");
        fs::write(&archive, archive_bytes)?;
        let dest = root.path().join("upload");
        fs::create_dir(&dest)?;
        Ok(Fixture {
            _root: root,
            archive,
            dest,
        })
    }

    fn extract(&self, limits: &ZipLimits) -> Result<Extracted, ArchiveError> {
        extract_zip(&self.archive, &self.dest, limits)
    }

    fn dest_is_empty(&self) -> Result<bool, Box<dyn Error>> {
        Ok(fs::read_dir(&self.dest)?.next().is_none())
    }
}

/// Extracts `archive_bytes` with `limits`, expecting a refusal with exactly `message`, and
/// checks that nothing was left behind.
fn assert_refused(
    archive_bytes: &[u8],
    limits: &ZipLimits,
    message: &str,
) -> Result<ArchiveError, Box<dyn Error>> {
    let fixture = Fixture::new(archive_bytes)?;
    let error = match fixture.extract(limits) {
        Ok(extracted) => return Err(format!("expected {message:?}, extracted {extracted:?}").into()),
        Err(error) => error,
    };
    assert_eq!(error.to_string(), message);
    assert!(error.is_client_error(), "{error:?} should be the client's fault");
    assert!(fixture.dest_is_empty()?, "{message}: something was left behind");
    assert!(fixture.dest.is_dir());
    Ok(error)
}

/// Offsets of every occurrence of a 4-byte signature.
fn offsets_of(bytes: &[u8], signature: &[u8; 4]) -> Vec<usize> {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(_, window)| window == signature)
        .map(|(offset, _)| offset)
        .collect()
}

fn put_u16(bytes: &mut [u8], at: usize, value: u16) {
    bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// CRC-32 (IEEE), for the Unicode Path extra field.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

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

/// Stored files under raw names, written verbatim.
fn zip_with_entries_raw(entries: &[(&[u8], &[u8])]) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for &(name, data) in entries {
        writer.start_file_with_options(stored().name(name))?;
        writer.write_all(data)?;
    }
    Ok(writer.finish()?.into_inner())
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
fn decodes_gbk_names() -> TestResult {
    let (name, _, unmappable) = encoding_rs::GBK.encode("数据/图片.png");
    assert!(!unmappable);
    assert!(std::str::from_utf8(&name).is_err());
    let bytes = zip_with_raw_name(&name, b"png")?;
    let flags = ZipArchive::new(Cursor::new(&bytes))?
        .by_index(0)?
        .flags()
        .as_u16();
    assert_eq!(flags & UTF8_FLAG, 0, "the UTF-8 flag must be unset");
    let fixture = Fixture::new(&bytes)?;
    fixture.extract(&ZipLimits::default())?;
    assert_eq!(fs::read(fixture.dest.join("数据/图片.png"))?, b"png");
    assert_eq!(tree_of(&fixture.dest)?, json!({"数据": {"图片.png": "图片.png"}}));
    Ok(())
}

#[test]
fn decodes_cp437_names() -> TestResult {
    let bytes = zip_with_raw_name(b"M\x81ller.txt", b"hallo")?;
    let fixture = Fixture::new(&bytes)?;
    fixture.extract(&ZipLimits::default())?;
    assert_eq!(fs::read(fixture.dest.join("Müller.txt"))?, b"hallo");
    assert_eq!(tree_of(&fixture.dest)?, json!({"Müller.txt": "Müller.txt"}));
    Ok(())
}

#[test]
fn decodes_flagged_utf8_names() -> TestResult {
    let bytes = zip_of(&[("données/ünïcode.txt", b"utf8")])?;
    let flags = ZipArchive::new(Cursor::new(&bytes))?
        .by_index(0)?
        .flags()
        .as_u16();
    assert_eq!(flags & UTF8_FLAG, UTF8_FLAG, "the UTF-8 flag must be set");
    let fixture = Fixture::new(&bytes)?;
    fixture.extract(&ZipLimits::default())?;
    assert_eq!(fs::read(fixture.dest.join("données/ünïcode.txt"))?, b"utf8");
    Ok(())
}

#[test]
fn honours_the_unicode_path_extra_field() -> TestResult {
    let header_name = b"fallback.txt";
    let mut field = vec![1u8];
    field.extend_from_slice(&crc32(header_name).to_le_bytes());
    field.extend_from_slice("數據.txt".as_bytes());
    let mut options: FullFileOptions<'_, '_> = stored().into_full_options();
    options.add_extra_field(0x7075, &field, false)?;
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file_with_options(options.name(header_name))?;
    writer.write_all(b"unicode")?;
    let bytes = writer.finish()?.into_inner();
    let fixture = Fixture::new(&bytes)?;
    fixture.extract(&ZipLimits::default())?;
    assert_eq!(tree_of(&fixture.dest)?, json!({"數據.txt": "數據.txt"}));
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

#[cfg(unix)]
#[test]
fn tree_of_skips_symbolic_links() -> TestResult {
    let dir = tempfile::tempdir()?;
    fs::create_dir_all(dir.path().join("mnist"))?;
    fs::write(dir.path().join("mnist/train.py"), "")?;
    fs::write(dir.path().join("a.py"), "")?;
    std::os::unix::fs::symlink("/etc", dir.path().join("etc"))?;
    std::os::unix::fs::symlink("a.py", dir.path().join("mnist/b.py"))?;
    assert_eq!(
        tree_of(dir.path())?,
        json!({"a.py": "a.py", "mnist": {"train.py": "train.py"}})
    );
    Ok(())
}

#[test]
fn safe_relative_paths() {
    assert_eq!(safe_relative_path("a/b.py"), Some(PathBuf::from("a/b.py")));
    assert_eq!(safe_relative_path("a/./b"), Some(PathBuf::from("a/b")));
    assert_eq!(
        safe_relative_path("mnist/train.py"),
        Some(PathBuf::from("mnist/train.py"))
    );
    assert_eq!(safe_relative_path("a//b/"), Some(PathBuf::from("a/b")));
    for refused in [
        "../x",
        "a/../../x",
        "a/..",
        "/etc/passwd",
        "C:\\x",
        "C:x",
        "a\\..\\x",
        "a\\b",
        "",
        ".",
        "./",
        "a\0b",
    ] {
        assert_eq!(safe_relative_path(refused), None, "{refused:?}");
    }
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

#[test]
fn seek_buffer_reads_like_the_file_it_wraps() -> TestResult {
    let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut reader = SeekBuffer::new(Cursor::new(data.clone()));
    let mut reference = Cursor::new(data);
    let steps = [
        (SeekFrom::Start(0), 10),
        (SeekFrom::Start(5), 100),        // inside the buffer
        (SeekFrom::Current(-50), 20),     // backwards, inside the buffer
        (SeekFrom::Start(8_190), 10),     // across the buffer's end
        (SeekFrom::Start(50_000), 9_000), // a read larger than the buffer
        (SeekFrom::Current(0), 1),
        (SeekFrom::Start(49_990), 30), // just before the buffered part
        (SeekFrom::End(-10), 10),
        (SeekFrom::Current(-4_000), 4_000),
        (SeekFrom::Start(100_000), 0),
    ];
    for (step, (seek, len)) in steps.into_iter().enumerate() {
        assert_eq!(reader.seek(seek)?, reference.seek(seek)?, "step {step}");
        let mut got = vec![0; len];
        let mut want = vec![0; len];
        reader.read_exact(&mut got)?;
        reference.read_exact(&mut want)?;
        assert_eq!(got, want, "step {step}");
        assert_eq!(reader.stream_position()?, reference.position(), "step {step}");
    }
    assert_eq!(reader.read(&mut [0; 16])?, 0, "at the end");
    assert!(reader.seek(SeekFrom::Current(-200_000)).is_err());
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
