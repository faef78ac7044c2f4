//! Models: `/data/create/`, `/data/tag/`, `/construct/...` and `/models/...`.

pub mod compare;
pub mod config;
pub mod create;
pub mod dto;
pub mod item;
pub mod list;
pub mod predict;
pub mod tag;

use actix_web::web;

use super::resource;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/data/create/").route(web::post().to(create::create)))
        .service(resource("/data/tag/").route(web::post().to(tag::tag)))
        .service(
            resource("/construct/config/")
                .route(web::get().to(config::names))
                .route(web::post().to(config::save)),
        )
        .service(
            resource("/construct/detail/{name}/")
                .route(web::get().to(config::detail))
                .route(web::post().to(predict::use_model)),
        )
        .service(resource("/models/list/").route(web::get().to(list::list)))
        .service(resource("/models/compare/").route(web::get().to(compare::compare)))
        .service(
            resource("/models/{id:[0-9]+}/")
                .route(web::get().to(item::get_model))
                .route(web::delete().to(item::delete_model)),
        )
        .service(resource("/models/{id:[0-9]+}/predict/").route(web::post().to(predict::predict_model)));
}
