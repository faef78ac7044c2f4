//! How every console response is sent: security headers (a strict CSP: scripts and
//! styles from this origin only), caching (hashed files are immutable, the page is
//! revalidated), gzip when the client takes it, and ETag revalidation.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};

use super::assets::Asset;

/// Blob URLs: pictures and audio of uploads are fetched with the token and shown from
/// memory, since an `<img>` cannot send an Authorization header.
pub const CONSOLE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

pub enum Caching {
    /// Content-hashed file names never change their bytes.
    Immutable,
    /// The page itself: always revalidated, so a new build is seen at once.
    Revalidate,
}

pub fn send(req: &HttpRequest, asset: &Asset, caching: Caching) -> HttpResponse {
    let mut response = if etag_matches(req, asset.etag) {
        HttpResponse::NotModified().finish()
    } else {
        match asset.gzip.filter(|_| accepts_gzip(req)) {
            Some(gzip) => HttpResponse::Ok()
                .insert_header((header::CONTENT_ENCODING, "gzip"))
                .body(gzip),
            None => HttpResponse::Ok().body(asset.bytes),
        }
    };
    let headers = response.headers_mut();
    let ext = asset.path.rsplit_once('.').map_or("", |(_, ext)| ext);
    let mime = match ext {
        "html" => "text/html; charset=utf-8".to_owned(),
        "js" | "mjs" => "text/javascript; charset=utf-8".to_owned(),
        "css" => "text/css; charset=utf-8".to_owned(),
        _ => actix_files::file_extension_to_mime(ext).to_string(),
    };
    let cache = match caching {
        Caching::Immutable => "public, max-age=31536000, immutable",
        Caching::Revalidate => "no-cache",
    };
    for (name, value) in [
        (header::CONTENT_TYPE, mime.as_str()),
        (header::CACHE_CONTROL, cache),
        (header::ETAG, asset.etag),
        (header::VARY, "Accept-Encoding"),
        (header::CONTENT_SECURITY_POLICY, CONSOLE_CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Reset links carry their token in the path; never hand it on.
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    response
}

fn etag_matches(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"))
}

/// `gzip` listed in Accept-Encoding, unless with `q=0`.
fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|coding| {
                let mut parts = coding.split(';').map(str::trim);
                let name = parts.next().unwrap_or_default();
                let refused = parts.any(|p| p.replace(' ', "") == "q=0" || p.replace(' ', "") == "q=0.0");
                (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
            })
        })
}
