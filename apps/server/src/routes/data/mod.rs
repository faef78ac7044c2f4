//! `/data/...`: uploads, listing, previews and deletion.

pub mod dto;
pub mod item;
pub mod list;
pub mod raw_headers;
pub mod upload;

use actix_web::web;

use super::resource;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/data/").route(web::post().to(upload::upload)))
        .service(
            resource("/data/list/")
                .route(web::get().to(list::list))
                .route(web::post().to(upload::upload_at_list)),
        )
        .service(
            resource("/data/{id:[0-9]+}/")
                .route(web::get().to(item::get_item))
                .route(web::delete().to(item::delete_item)),
        );
}
