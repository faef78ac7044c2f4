//! Every API path ends in a slash; the same path without it answers too, with no
//! redirect. The docs' static files are left alone.

use actix_web::dev::ServiceRequest;
use actix_web::http::Uri;
use actix_web::http::uri::PathAndQuery;

pub fn add_trailing_slash(req: &mut ServiceRequest) {
    let path = req.path();
    if path.ends_with('/') || path.starts_with("/api/docs/") {
        return;
    }
    let mut target = format!("{path}/");
    if let Some(query) = req.uri().query() {
        target.push('?');
        target.push_str(query);
    }
    let mut parts = req.uri().clone().into_parts();
    let Ok(path_and_query) = PathAndQuery::try_from(target) else {
        return;
    };
    parts.path_and_query = Some(path_and_query);
    if let Ok(uri) = Uri::from_parts(parts) {
        req.match_info_mut().get_mut().update(&uri);
        req.head_mut().uri = uri;
    }
}
