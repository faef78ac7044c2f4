//! `/preprocess/...`: the operation list and running a pipeline over an upload.

pub mod list;
pub mod request;
pub mod run;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list::list).service(run::run);
}
