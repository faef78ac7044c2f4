//! Uploads are served from the console's own origin, so a raw file must never run as
//! a page there: no type sniffing, a sandboxing CSP (no scripts, a unique origin), and
//! types a browser would render as a document or run as a script go out as downloads.

use actix_web::HttpResponse;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType, HeaderValue};

/// Inline for what is safe to show (pictures, audio, plain text); attachment for HTML,
/// SVG, XML and script types.
pub fn disposition(content_type: &str, name: String) -> ContentDisposition {
    let disposition = if is_active_content(content_type) {
        DispositionType::Attachment
    } else {
        DispositionType::Inline
    };
    ContentDisposition {
        disposition,
        parameters: vec![DispositionParam::Filename(name)],
    }
}

pub fn harden(response: &mut HttpResponse) {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
}

fn is_active_content(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/').unwrap_or((&essence, ""));
    matches!(
        subtype,
        "html" | "xhtml+xml" | "xml" | "xsl" | "xslt+xml" | "svg+xml"
    ) || subtype.ends_with("+xml")
        || subtype.contains("javascript")
        || subtype.contains("ecmascript")
        || subtype == "jscript"
        || (kind == "text" && subtype == "vbscript")
}

#[cfg(test)]
mod tests {
    use super::is_active_content;

    #[test]
    fn documents_and_scripts_are_active() {
        for active in [
            "text/html; charset=utf-8",
            "application/xhtml+xml",
            "image/svg+xml",
            "text/xml",
            "application/xml",
            "application/rss+xml",
            "text/javascript",
            "application/javascript",
            "application/x-javascript",
            "application/ecmascript",
            "TEXT/HTML",
        ] {
            assert!(is_active_content(active), "{active}");
        }
        for passive in [
            "image/png",
            "audio/wav",
            "text/plain; charset=utf-8",
            "text/csv",
            "text/x-python",
            "application/json",
            "application/octet-stream",
        ] {
            assert!(!is_active_content(passive), "{passive}");
        }
    }
}
