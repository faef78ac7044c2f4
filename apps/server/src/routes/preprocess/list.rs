use actix_web::{HttpResponse, get};

use crate::auth::Authenticated;
use crate::error::DetailBody;

#[utoipa::path(tag = "preprocess",
    summary = "Every operation, with what value1 and value2 mean, their type, range and default",
    security(("token" = [])),
    responses((status = 200, description = "`[{\"name\": \"flip_vertical\", \"operationName\": \"上下翻转\", \"value1\": null, \"value2\": null, ...}]`"),
              (status = 401, body = DetailBody)))]
#[get("/preprocess/operations/list/")]
pub async fn list(_auth: Authenticated) -> HttpResponse {
    HttpResponse::Ok().json(preprocess::registry())
}
