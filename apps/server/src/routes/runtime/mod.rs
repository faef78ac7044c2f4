//! `/runtime/...`: results in the original service's shapes.

pub mod nodes;
pub mod train;

use actix_web::web;

use super::resource;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/runtime/train/{name}/").route(web::get().to(train::latest)))
        .service(resource("/runtime/kubernetes/").route(web::get().to(nodes::nodes)));
}
