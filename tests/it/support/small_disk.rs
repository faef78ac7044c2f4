//! A small disk of the test's own: a tmpfs mounted on a temporary folder (tests run as
//! root, as CI does), to see what the server does when its data folder is full.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A mounted tmpfs of a fixed size; unmounted when dropped (drop it after the server).
pub struct SmallDisk {
    dir: TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs of `megabytes` MiB. Fails the test when that is impossible: the
    /// full-disk tests must not pass by not running.
    #[track_caller]
    pub fn mount(megabytes: u64) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("netsmith-disk-")
            .tempdir()
            .expect("temp dir");
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run mount(8): {e}"));
        assert!(
            output.status.success(),
            "the full-disk tests mount a tmpfs and need root (CI runs them as root): mount said {:?}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Takes every byte left with one file outside the server's folders; returns it
    /// (remove it to free the disk again).
    pub fn fill(&self) -> PathBuf {
        let path = self.path().join("filler");
        let mut file = std::fs::File::create(&path).expect("create the filler");
        // Large writes first, then page-sized ones: tmpfs hands out whole pages, so
        // once a page-sized write fails, no file can grow by a single byte.
        for chunk in [1 << 20, 4096] {
            let bytes = vec![0u8; chunk];
            while file.write_all(&bytes).is_ok() {}
        }
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let unmounted = Command::new("umount").arg(self.dir.path()).status();
        if !unmounted.is_ok_and(|s| s.success()) {
            // Still busy (a child not yet gone): detach it now, it goes when unused.
            let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
        }
    }
}
