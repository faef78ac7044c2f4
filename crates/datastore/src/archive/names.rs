//! Entry names: decoding the raw bytes of a zip entry name into text, and turning a
//! client-given or archive-given name into a path that cannot leave its folder.

use std::path::PathBuf;

use encoding_rs::GBK;

/// General-purpose flag bit 11 ("language encoding", EFS): the name is UTF-8.
pub(super) const UTF8_FLAG: u16 = 1 << 11;

/// Longest path component accepted, in bytes (the usual file-system limit, `NAME_MAX`).
pub(super) const MAX_COMPONENT_BYTES: usize = 255;

/// Longest relative path accepted, in bytes. Leaves room under the usual `PATH_MAX` (4096)
/// for the folder the upload lives in.
pub(super) const MAX_RELATIVE_PATH_BYTES: usize = 3072;

/// Bytes 0x80..=0xFF of IBM PC code page 437, the zip format's legacy default encoding.
/// Bytes below 0x80 are ASCII.
const CP437_HIGH: [char; 128] = [
    '\u{00c7}', '\u{00fc}', '\u{00e9}', '\u{00e2}', '\u{00e4}', '\u{00e0}', '\u{00e5}', '\u{00e7}',
    '\u{00ea}', '\u{00eb}', '\u{00e8}', '\u{00ef}', '\u{00ee}', '\u{00ec}', '\u{00c4}', '\u{00c5}',
    '\u{00c9}', '\u{00e6}', '\u{00c6}', '\u{00f4}', '\u{00f6}', '\u{00f2}', '\u{00fb}', '\u{00f9}',
    '\u{00ff}', '\u{00d6}', '\u{00dc}', '\u{00a2}', '\u{00a3}', '\u{00a5}', '\u{20a7}', '\u{0192}',
    '\u{00e1}', '\u{00ed}', '\u{00f3}', '\u{00fa}', '\u{00f1}', '\u{00d1}', '\u{00aa}', '\u{00ba}',
    '\u{00bf}', '\u{2310}', '\u{00ac}', '\u{00bd}', '\u{00bc}', '\u{00a1}', '\u{00ab}', '\u{00bb}',
    '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{2561}', '\u{2562}', '\u{2556}',
    '\u{2555}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255d}', '\u{255c}', '\u{255b}', '\u{2510}',
    '\u{2514}', '\u{2534}', '\u{252c}', '\u{251c}', '\u{2500}', '\u{253c}', '\u{255e}', '\u{255f}',
    '\u{255a}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256c}', '\u{2567}',
    '\u{2568}', '\u{2564}', '\u{2565}', '\u{2559}', '\u{2558}', '\u{2552}', '\u{2553}', '\u{256b}',
    '\u{256a}', '\u{2518}', '\u{250c}', '\u{2588}', '\u{2584}', '\u{258c}', '\u{2590}', '\u{2580}',
    '\u{03b1}', '\u{00df}', '\u{0393}', '\u{03c0}', '\u{03a3}', '\u{03c3}', '\u{00b5}', '\u{03c4}',
    '\u{03a6}', '\u{0398}', '\u{03a9}', '\u{03b4}', '\u{221e}', '\u{03c6}', '\u{03b5}', '\u{2229}',
    '\u{2261}', '\u{00b1}', '\u{2265}', '\u{2264}', '\u{2320}', '\u{2321}', '\u{00f7}', '\u{2248}',
    '\u{00b0}', '\u{2219}', '\u{00b7}', '\u{221a}', '\u{207f}', '\u{00b2}', '\u{25a0}', '\u{00a0}',
];

/// Decodes a raw entry name.
///
/// 1. Bytes that are valid UTF-8 are UTF-8 (this covers ASCII). With the UTF-8 flag set,
///    the name is UTF-8 even when it is not valid (invalid sequences become U+FFFD).
/// 2. Otherwise GBK (zips made on Chinese Windows), but only when the bytes are shaped like
///    GBK text — see [`looks_like_gbk`] — and decode without errors.
/// 3. Otherwise CP437, which decodes any byte string.
pub(super) fn decode_name(raw: &[u8], utf8_flag: bool) -> String {
    if let Ok(text) = std::str::from_utf8(raw) {
        return text.to_owned();
    }
    if utf8_flag {
        return String::from_utf8_lossy(raw).into_owned();
    }
    if looks_like_gbk(raw)
        && let Some(text) = GBK.decode_without_bom_handling_and_without_replacement(raw)
    {
        return text.into_owned();
    }
    decode_cp437(raw)
}

/// Whether `raw` has the shape of GBK text: every byte of 0x80 or above starts a two-byte
/// character (lead 0x81..=0xFE) whose second byte is also 0x80..=0xFE.
///
/// GBK also allows second bytes 0x40..=0x7E (ASCII letters), but accepting those would
/// swallow the ASCII letter after a CP437 accented letter (`M\x81ller` is valid GBK), so
/// such names fall through to CP437. The common Chinese characters (GB2312: both bytes
/// 0xA1..=0xFE) are all accepted.
fn looks_like_gbk(raw: &[u8]) -> bool {
    let mut bytes = raw.iter();
    while let Some(&byte) = bytes.next() {
        if byte < 0x80 {
            continue;
        }
        if !(0x81..=0xFE).contains(&byte) {
            return false;
        }
        match bytes.next() {
            Some(&trail) if (0x80..=0xFE).contains(&trail) => {}
            _ => return false,
        }
    }
    true
}

/// Decodes bytes as IBM PC code page 437 (bytes below 0x80 as ASCII).
pub(super) fn decode_cp437(raw: &[u8]) -> String {
    raw.iter()
        .map(|&byte| match byte.checked_sub(0x80) {
            None => char::from(byte),
            Some(high) => CP437_HIGH[usize::from(high)],
        })
        .collect()
}

/// Why a name cannot be used as a path inside an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameProblem {
    /// Absolute, a drive prefix, or a `..` component.
    Escapes,
    /// Contains a NUL byte.
    Nul,
    /// A component longer than [`MAX_COMPONENT_BYTES`].
    ComponentTooLong,
    /// Longer than [`MAX_RELATIVE_PATH_BYTES`] in all.
    TooLong,
}

impl NameProblem {
    /// A short English reason, for error messages.
    pub(super) fn reason(self) -> &'static str {
        match self {
            NameProblem::Escapes => "it would be written outside the upload",
            NameProblem::Nul => "it contains a NUL byte",
            NameProblem::ComponentTooLong => "a folder or file name in it is longer than 255 bytes",
            NameProblem::TooLong => "it is longer than 3072 bytes",
        }
    }
}

/// Splits a `/`-separated name into its normal components: empty and `.` components are
/// dropped; a leading `/`, a drive prefix (`C:`) as the first component, a `..` component
/// anywhere, or a NUL byte is refused. An empty result (e.g. `"./"`) is allowed here; the
/// callers decide what it means. No disk access.
pub(super) fn clean_components(name: &str) -> Result<Vec<&str>, NameProblem> {
    if name.contains('\0') {
        return Err(NameProblem::Nul);
    }
    if name.starts_with('/') {
        return Err(NameProblem::Escapes);
    }
    let mut components = Vec::new();
    let mut total = 0usize;
    for component in name.split('/') {
        match component {
            "" | "." => continue,
            ".." => return Err(NameProblem::Escapes),
            _ => {}
        }
        if components.is_empty() && is_drive_prefix(component) {
            return Err(NameProblem::Escapes);
        }
        if component.len() > MAX_COMPONENT_BYTES {
            return Err(NameProblem::ComponentTooLong);
        }
        total += component.len() + 1;
        if total > MAX_RELATIVE_PATH_BYTES + 1 {
            return Err(NameProblem::TooLong);
        }
        components.push(component);
    }
    Ok(components)
}

/// `C:`, `c:foo`: a Windows drive prefix.
fn is_drive_prefix(component: &str) -> bool {
    let bytes = component.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// The safe relative path inside an upload for a client-given `relative_path`
/// (e.g. `"mnist/train.py"`): `None` for anything that could escape (`..` components,
/// absolute paths, backslashes or drive prefixes like `C:`, NUL bytes, empty). Pure
/// string check, no disk access.
///
/// Empty and `.` components are dropped (`"a/./b"` is `a/b`); a path with no component
/// left (`"."`) is `None`, as are components over 255 bytes and paths over 3072 bytes.
pub(crate) fn safe_relative_path(relative: &str) -> Option<PathBuf> {
    if relative.contains('\\') {
        return None;
    }
    let components = clean_components(relative).ok()?;
    if components.is_empty() {
        return None;
    }
    Some(components.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp437_maps_the_high_half() {
        assert_eq!(decode_cp437(b"M\x81ller.txt"), "Müller.txt");
        assert_eq!(decode_cp437(b"\x80\x9f\xe1\xff"), "Çƒß\u{a0}");
        assert_eq!(decode_cp437(b"plain"), "plain");
    }

    #[test]
    fn names_decode_as_utf8_then_gbk_then_cp437() {
        assert_eq!(decode_name("données.txt".as_bytes(), false), "données.txt");
        assert_eq!(decode_name("données.txt".as_bytes(), true), "données.txt");
        let (gbk, _, unmappable) = GBK.encode("数据/图片.png");
        assert!(!unmappable);
        assert_eq!(decode_name(&gbk, false), "数据/图片.png");
        // Valid GBK (0x81 0x6C), but an ASCII second byte: CP437.
        assert_eq!(decode_name(b"M\x81ller.txt", false), "Müller.txt");
        // A lone high byte at the end is not GBK.
        assert_eq!(decode_name(b"caf\x82", false), "café");
        // The flag set on invalid UTF-8: lossy UTF-8.
        assert_eq!(decode_name(b"a\xffb", true), "a\u{fffd}b");
    }

    #[test]
    fn components_are_cleaned_or_refused() {
        assert_eq!(clean_components("a/./b//c"), Ok(vec!["a", "b", "c"]));
        assert_eq!(clean_components("./"), Ok(vec![]));
        assert_eq!(clean_components("a/b:c"), Ok(vec!["a", "b:c"]));
        assert_eq!(clean_components("../x"), Err(NameProblem::Escapes));
        assert_eq!(clean_components("a/.."), Err(NameProblem::Escapes));
        assert_eq!(clean_components("/x"), Err(NameProblem::Escapes));
        assert_eq!(clean_components("C:/x"), Err(NameProblem::Escapes));
        assert_eq!(clean_components("./c:x"), Err(NameProblem::Escapes));
        assert_eq!(clean_components("a\0b"), Err(NameProblem::Nul));
        let long = "x".repeat(256);
        assert_eq!(clean_components(&long), Err(NameProblem::ComponentTooLong));
        let deep = vec!["abc"; 800].join("/");
        assert_eq!(clean_components(&deep), Err(NameProblem::TooLong));
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
}
