//! Entry names in UTF-8, GBK and CP437, and the Unicode Path extra field.

use std::fs;
use std::io::{Cursor, Write};

use serde_json::json;
use zip::write::FullFileOptions;
use zip::{ZipArchive, ZipWriter};

use super::{Fixture, TestResult, crc32, stored, zip_of, zip_with_raw_name};
use crate::archive::names::UTF8_FLAG;
use crate::archive::{ZipLimits, tree_of};

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
