//! `/generation/...`: layer options, code generation, runs and restore.

pub mod generate;
pub mod options;
pub mod run_dto;
pub mod runs;
pub mod stream;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(options::list)
        .service(options::next)
        .service(generate::generate)
        .service(runs::start)
        .service(runs::details)
        .service(runs::runtime)
        .service(runs::pause)
        .service(runs::resume)
        .service(runs::stop)
        .service(runs::restore);
}
