//! Shared test helpers: the fixtures, and small pictures and CSV files made here.

#![allow(dead_code)]

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use preprocess::Image;
use preprocess::codec::{ImageFormat, encode};
use tempfile::TempDir;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A file of `fixtures/datasets`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/datasets")
        .join(name)
}

/// `digits.zip` extracted once into cargo's test scratch folder and reused (the
/// folder then holds `digits/<label>/...`). Tests only read it: deleting 1,800 files
/// after every test costs seconds on some file systems.
pub fn digits() -> Result<&'static Path, Box<dyn std::error::Error>> {
    static DIGITS: OnceLock<PathBuf> = OnceLock::new();
    if let Some(dir) = DIGITS.get() {
        return Ok(dir);
    }
    let zip = fixture("digits.zip");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("digits-{}", fs::metadata(&zip)?.len()));
    if !dir.join("digits").is_dir() {
        // Extracted beside it, then renamed into place: other test binaries may race.
        fs::create_dir_all(env!("CARGO_TARGET_TMPDIR"))?;
        let staging = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
        zip::ZipArchive::new(File::open(&zip)?)?.extract(staging.path())?;
        if fs::rename(staging.path(), &dir).is_err() && !dir.join("digits").is_dir() {
            return Err(format!("could not extract digits.zip into {}", dir.display()).into());
        }
    }
    Ok(DIGITS.get_or_init(|| dir))
}

/// A picture whose samples follow a varied pattern.
pub fn pattern(width: u32, height: u32, channels: u8, seed: usize) -> Image {
    let len = (width * height) as usize * channels as usize;
    let data = (0..len).map(|i| ((i * 37 + seed * 11) % 256) as u8).collect();
    Image::from_raw(width, height, channels, data).expect("sample count matches")
}

/// Writes `image` as a PNG at `root/rel`, creating folders.
pub fn write_png(root: &Path, rel: &str, image: &Image) -> std::io::Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let bytes = encode(image, ImageFormat::Png).map_err(std::io::Error::other)?;
    fs::write(path, bytes)
}

/// A CSV file with `content` in a fresh folder.
pub fn csv_file(content: &str) -> std::io::Result<(TempDir, PathBuf)> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("data.csv");
    fs::write(&path, content)?;
    Ok((dir, path))
}

/// The first data rows of a CSV fixture, split into fields (a plain comma split is
/// enough for these files).
pub fn csv_rows(name: &str) -> std::io::Result<Vec<Vec<String>>> {
    let text = fs::read_to_string(fixture(name))?;
    Ok(text
        .lines()
        .skip(1)
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect())
}
