//! The folder tree of an extracted upload, as the API shows it.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

/// The nested tree of a folder as shown to users: files map to their own name, folders to
/// an object of their contents, e.g. `{"a.py": "a.py", "mnist": {"train.py": "train.py"}}`.
/// Keys sorted by name. Symbolic links are skipped (as is anything that is neither a file
/// nor a folder); names that are not UTF-8 are shown lossily.
///
/// # Errors
///
/// Any error reading `dir` or a folder below it.
pub(crate) fn tree_of(dir: &Path) -> io::Result<serde_json::Value> {
    let mut entries = BTreeMap::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let file_type = entry.file_type()?; // does not follow symbolic links
        let name = entry.file_name().to_string_lossy().into_owned();
        let value = if file_type.is_dir() {
            tree_of(&entry.path())?
        } else if file_type.is_file() {
            serde_json::Value::String(name.clone())
        } else {
            continue;
        };
        entries.insert(name, value);
    }
    Ok(serde_json::Value::Object(entries.into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

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
}
