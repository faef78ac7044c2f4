//! `/data/...`: uploads, listing, previews and deletion.

pub mod dto;
pub mod item;
pub mod list;
pub mod raw_headers;
pub mod upload;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(upload::upload)
        .service(list::list)
        .service(upload::upload_at_list)
        .service(item::get_item)
        .service(item::delete_item);
}
