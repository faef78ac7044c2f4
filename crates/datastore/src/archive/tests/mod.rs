//! Tests of zip extraction on archives built here, by topic; the helpers below build
//! archives, patch their headers and check that refusals leave nothing behind.

mod decoding;
mod extract;
mod limits;
mod refusals;

use std::error::Error;
use std::fs;
use std::io::{Cursor, Write};
use std::path::PathBuf;

use tempfile::TempDir;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{ArchiveError, Extracted, ZipLimits, extract_zip};

pub(super) type TestResult = Result<(), Box<dyn Error>>;

/// Signature of a local file header.
pub(super) const LOCAL: &[u8; 4] = b"PK\x03\x04";
/// Signature of a central directory header.
pub(super) const CENTRAL: &[u8; 4] = b"PK\x01\x02";

pub(super) fn stored() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
}

/// An archive of `entries`: names ending in `/` are folders, the rest stored files.
pub(super) fn zip_of(entries: &[(&str, &[u8])]) -> Result<Vec<u8>, Box<dyn Error>> {
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
pub(super) fn zip_with_raw_name(name: &[u8], data: &[u8]) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file_with_options(stored().name(name))?;
    writer.write_all(data)?;
    Ok(writer.finish()?.into_inner())
}

/// Stored files under raw names, written verbatim.
pub(super) fn zip_with_entries_raw(entries: &[(&[u8], &[u8])]) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for &(name, data) in entries {
        writer.start_file_with_options(stored().name(name))?;
        writer.write_all(data)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// A temporary folder holding the archive and an empty upload folder.
pub(super) struct Fixture {
    _root: TempDir,
    pub(super) archive: PathBuf,
    pub(super) dest: PathBuf,
}

impl Fixture {
    pub(super) fn new(archive_bytes: &[u8]) -> Result<Self, Box<dyn Error>> {
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

    pub(super) fn extract(&self, limits: &ZipLimits) -> Result<Extracted, ArchiveError> {
        extract_zip(&self.archive, &self.dest, limits)
    }

    pub(super) fn dest_is_empty(&self) -> Result<bool, Box<dyn Error>> {
        Ok(fs::read_dir(&self.dest)?.next().is_none())
    }
}

/// Extracts `archive_bytes` with `limits`, expecting a refusal with exactly `message`, and
/// checks that nothing was left behind.
pub(super) fn assert_refused(
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
pub(super) fn offsets_of(bytes: &[u8], signature: &[u8; 4]) -> Vec<usize> {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(_, window)| window == signature)
        .map(|(offset, _)| offset)
        .collect()
}

pub(super) fn put_u16(bytes: &mut [u8], at: usize, value: u16) {
    bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

pub(super) fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// CRC-32 (IEEE), for the Unicode Path extra field.
pub(super) fn crc32(data: &[u8]) -> u32 {
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
