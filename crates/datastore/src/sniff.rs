//! Content types: from the first bytes of the file where they are telling (magic
//! numbers), else from the extension.

/// Whether a file name says CSV (such files are previewed as JSON rows).
pub fn is_csv_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".csv")
}

/// The content type of a file whose name is `name` and which starts with `head`.
pub fn content_type(name: &str, head: &[u8]) -> String {
    if let Some(sniffed) = sniff(head) {
        return sniffed.to_owned();
    }
    let lower = name.to_ascii_lowercase();
    if is_csv_name(&lower) {
        return "text/csv".to_owned();
    }
    if lower.ends_with(".py") {
        return "text/x-python".to_owned();
    }
    match mime_guess::from_path(&lower).first() {
        Some(mime) if mime.type_() == "text" => format!("{mime}; charset=utf-8"),
        Some(mime) => mime.to_string(),
        None if looks_like_text(head) => "text/plain; charset=utf-8".to_owned(),
        None => "application/octet-stream".to_owned(),
    }
}

fn sniff(head: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    let riff = |kind: &[u8]| head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == kind;
    Some(match () {
        _ if starts(b"\x89PNG\r\n\x1a\n") => "image/png",
        _ if starts(b"\xff\xd8\xff") => "image/jpeg",
        _ if starts(b"GIF87a") || starts(b"GIF89a") => "image/gif",
        _ if starts(b"BM") && head.len() >= 14 => "image/bmp",
        _ if riff(b"WEBP") => "image/webp",
        _ if starts(b"II*\0") || starts(b"MM\0*") => "image/tiff",
        _ if riff(b"WAVE") => "audio/wav",
        _ if starts(b"ID3") || (head.len() >= 2 && head[0] == 0xff && head[1] & 0xe0 == 0xe0) => "audio/mpeg",
        _ if starts(b"OggS") => "audio/ogg",
        _ if starts(b"fLaC") => "audio/flac",
        _ if starts(b"%PDF-") => "application/pdf",
        _ if starts(b"PK\x03\x04") => "application/zip",
        _ => return None,
    })
}

/// No NUL bytes and valid UTF-8 (a multi-byte character cut off at the end is fine).
fn looks_like_text(head: &[u8]) -> bool {
    !head.contains(&0) && std::str::from_utf8(head).map_or_else(|e| e.error_len().is_none(), |_| true)
}

#[cfg(test)]
mod tests {
    use super::content_type;

    #[test]
    fn magic_numbers_win_over_extensions() {
        assert_eq!(content_type("x.txt", b"\x89PNG\r\n\x1a\n...."), "image/png");
        assert_eq!(content_type("song", b"ID3\x04\0\0"), "audio/mpeg");
        assert_eq!(content_type("doc.bin", b"%PDF-1.7"), "application/pdf");
    }

    #[test]
    fn extensions_decide_for_text() {
        assert_eq!(content_type("data.CSV", b"a,b\n1,2\n"), "text/csv");
        assert_eq!(content_type("train.py", b"import torch\n"), "text/x-python");
        assert_eq!(content_type("notes.md", b"# hi"), "text/markdown; charset=utf-8");
        assert_eq!(
            content_type("LICENSE", b"MIT License"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(content_type("blob", b"\0\x01\x02"), "application/octet-stream");
    }
}
