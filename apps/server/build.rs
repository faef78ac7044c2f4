//! Embeds the web console: every file of `web/dist` (built by `npm run build`) when it
//! exists, else a one-page placeholder that says how to build it, so `cargo build` works
//! without Node. Writes `$OUT_DIR/console_assets.rs`, a table of `include_bytes!`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let web = manifest.join("../../web");
    let dist = web.join("dist");
    let placeholder = manifest.join("console-placeholder");
    let root = if dist.join("index.html").is_file() {
        println!("cargo:rerun-if-changed={}", dist.display());
        dist
    } else {
        // Watch web/ too (when it exists) so a later `npm run build` is picked up;
        // a missing path would make cargo rerun this script on every build.
        if web.is_dir() {
            println!("cargo:rerun-if-changed={}", web.display());
        }
        println!("cargo:rerun-if-changed={}", placeholder.display());
        placeholder
    };
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();

    let mut table = String::from("&[\n");
    for relative in files.iter().filter(|f| !f.ends_with(".gz")) {
        let path = root.join(relative);
        let bytes = std::fs::read(&path).expect("read a console file");
        let gzip = files
            .contains(&format!("{relative}.gz"))
            .then(|| root.join(format!("{relative}.gz")));
        let gzip = match gzip {
            Some(p) => format!("Some(include_bytes!({:?}))", p.display().to_string()),
            None => "None".to_owned(),
        };
        let _ = writeln!(
            table,
            "    Asset {{ path: {relative:?}, bytes: include_bytes!({:?}), gzip: {gzip}, etag: \"\\\"{:016x}\\\"\" }},",
            path.display().to_string(),
            fnv1a(&bytes),
        );
    }
    table.push(']');
    let source = format!("pub static ASSETS: &[Asset] = {table};\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("console_assets.rs");
    std::fs::write(out, source).expect("write the asset table");
}

/// Every file under `dir`, as a `/`-separated path relative to `root`.
fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let parts: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            files.push(parts.join("/"));
        }
    }
}

/// A content hash for ETags (FNV-1a, 64 bits): cheap and dependency-free.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
