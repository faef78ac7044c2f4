//! The web console, embedded in the binary: `GET /` and the pages under `/app/` open
//! it, as do the two pages the account mails link to. Every other path, and every
//! method but GET/HEAD on these, answers as the API always did.

mod assets;
mod response;

use actix_web::{HttpRequest, HttpResponse, Resource, ResponseError, web};

use crate::error::ApiError;
use response::Caching;

/// The console's pages. Its files are at `/app/assets/...` (Vite's `base`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(index_page("/"))
        .service(index_page("/verify-email/{key}/"))
        .service(index_page("/password-reset/confirm/{uid}/{token}/"))
        .service(
            page("/app/{tail:.*}")
                .route(web::get().to(app_path))
                .route(web::head().to(app_path)),
        );
}

/// What the API answers on a path it does not know.
async fn not_found() -> HttpResponse {
    ApiError::not_found("not_found").error_response()
}

fn page(path: &str) -> Resource {
    web::resource(path).default_service(web::to(not_found))
}

fn index_page(path: &str) -> Resource {
    page(path)
        .route(web::get().to(index))
        .route(web::head().to(index))
}
async fn index(req: HttpRequest) -> HttpResponse {
    match assets::index() {
        Some(page) => response::send(&req, page, Caching::Revalidate),
        None => not_found().await,
    }
}

/// A file of the console when one has that path; else one of its pages (the console
/// routes in the browser). A missing hashed file is a 404, never the page.
async fn app_path(req: HttpRequest, tail: web::Path<String>) -> HttpResponse {
    // The server adds a trailing slash to every path; files have none.
    let path = tail.trim_end_matches('/');
    match assets::find(path) {
        Some(file) if path != "index.html" => {
            let caching = if path.starts_with("assets/") {
                Caching::Immutable
            } else {
                Caching::Revalidate
            };
            response::send(&req, file, caching)
        }
        None if path.starts_with("assets/") => not_found().await,
        _ => index(req).await,
    }
}
