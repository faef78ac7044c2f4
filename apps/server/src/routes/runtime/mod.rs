//! `/runtime/...`: results in the original service's shapes.

pub mod nodes;
pub mod train;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(train::latest).service(nodes::nodes);
}
