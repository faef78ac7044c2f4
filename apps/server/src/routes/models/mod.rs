//! Models: `/data/create/`, `/data/tag/`, `/construct/...` and `/models/...`.

pub mod compare;
pub mod config;
pub mod create;
pub mod dto;
pub mod item;
pub mod list;
pub mod predict;
pub mod tag;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create::create)
        .service(tag::tag)
        .service(config::names)
        .service(config::save)
        .service(config::detail)
        .service(predict::use_model)
        .service(list::list)
        .service(compare::compare)
        .service(item::get_model)
        .service(item::delete_model)
        .service(predict::predict_model);
}
