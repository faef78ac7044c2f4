//! `/preprocess/...`: the operation list and running a pipeline over an upload.

pub mod list;
pub mod request;
pub mod run;

use actix_web::web;

use super::resource;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/preprocess/operations/list/").route(web::get().to(list::list)))
        .service(resource("/preprocess/").route(web::post().to(run::run)));
}
