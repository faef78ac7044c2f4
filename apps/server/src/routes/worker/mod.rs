//! `/worker/runs/<id>/...`: what a run's remote worker (`netsmith worker`) talks to,
//! authenticated by the run-scoped token the executor gave it (`Authorization: Bearer
//! nsr_...`). The token opens its own run and nothing else, until the run ends.

pub mod auth;
pub mod dto;
pub mod files;
pub mod progress;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(progress::assignment)
        .service(files::dataset)
        .service(files::script)
        .service(files::checkpoint)
        .service(files::save_checkpoint)
        .service(files::warm_weights)
        .service(files::save_weights)
        .service(progress::points)
        .service(progress::put_point)
        .service(progress::report)
        .service(progress::control);
}
