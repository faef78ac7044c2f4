//! `/generation/...`: layer options, code generation runs and restore.

pub mod generate;
pub mod input;
pub mod options;
pub mod run_dto;
pub mod runs;

use actix_web::web;

use super::resource;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/generation/options/list/").route(web::get().to(options::list)))
        .service(resource("/generation/options/next/").route(web::get().to(options::next)))
        .service(resource("/generation/generate/").route(web::post().to(generate::generate)))
        .service(resource("/generation/run/basic/").route(web::post().to(runs::start)))
        .service(resource("/generation/run/details/").route(web::get().to(runs::details)))
        .service(resource("/generation/run/runtime/").route(web::get().to(runs::runtime)))
        .service(resource("/generation/run/pause/").route(web::post().to(runs::pause)))
        .service(resource("/generation/run/resume/").route(web::post().to(runs::resume)))
        .service(resource("/generation/run/stop/").route(web::post().to(runs::stop)))
        .service(resource("/generation/restore/{run_id:[0-9]+}/").route(web::get().to(runs::restore)));
}
