//! The console's files, embedded at build time by `build.rs` (from `web/dist`, or the
//! placeholder page when the console was not built).

pub struct Asset {
    /// Path relative to the console's root, e.g. `assets/index-3f2a.js`.
    pub path: &'static str,
    pub bytes: &'static [u8],
    /// The same bytes gzip-compressed at build time, when that was worth it.
    pub gzip: Option<&'static [u8]>,
    /// A quoted content hash.
    pub etag: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/console_assets.rs"));

pub fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.path == path)
}

pub fn index() -> Option<&'static Asset> {
    find("index.html")
}
