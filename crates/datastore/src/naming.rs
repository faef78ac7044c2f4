//! Names of stored uploads: the client's file name, cleaned, with a `_YYYYmmddHHMMSS`
//! suffix before the extension, as the original service named them.

use chrono::{DateTime, Utc};

/// The last path segment of a client-given name, without control characters or
/// separators; "upload" when nothing usable is left.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "upload".to_owned()
    } else {
        truncate_chars(&cleaned, 200)
    }
}

/// `DBSCAN.png` at 2018-01-09 06:24:25 becomes `DBSCAN_20180109062425.png`.
pub(crate) fn stored_name(clean_name: &str, at: DateTime<Utc>) -> String {
    let stamp = at.format("%Y%m%d%H%M%S");
    match clean_name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => format!("{stem}_{stamp}.{ext}"),
        _ => format!("{clean_name}_{stamp}"),
    }
}

fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn names_get_the_timestamp_before_the_extension() {
        let at = Utc
            .with_ymd_and_hms(2018, 1, 9, 6, 24, 25)
            .single()
            .expect("valid time");
        assert_eq!(
            stored_name("DBSCAN算法过程.png", at),
            "DBSCAN算法过程_20180109062425.png"
        );
        assert_eq!(stored_name("archive.tar.gz", at), "archive.tar_20180109062425.gz");
        assert_eq!(stored_name("README", at), "README_20180109062425");
    }

    #[test]
    fn client_names_are_cleaned() {
        assert_eq!(clean_file_name("C:\\Users\\me\\a.py"), "a.py");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name(".hidden"), "hidden");
        assert_eq!(clean_file_name("a\nb.txt"), "ab.txt");
        assert_eq!(clean_file_name(""), "upload");
        assert_eq!(clean_file_name("dir/"), "upload");
    }
}
