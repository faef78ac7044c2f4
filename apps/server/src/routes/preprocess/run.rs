use std::path::Path;

use accounts::ValidationErrors;
use actix_web::{HttpResponse, web};
use datastore::Source;
use preprocess::Pipeline;
use serde::Serialize;

use super::request;
use crate::auth::Authenticated;
use crate::body::Fields;
use crate::error::{ApiError, error_chain};
use crate::imaging::{JobError, Skipped, process_folder, process_picture};
use crate::openapi::{DetailBody, ErrorBody};
use crate::state::{AppState, blocking};

#[derive(Serialize, utoipa::ToSchema)]
pub struct PreprocessResult {
    /// The new upload holding the results (a picture, or a folder like an archive).
    pub data_id: i64,
    /// Pictures written.
    pub images: u64,
    /// Pictures of an archive that could not be decoded, left out.
    pub skipped: Vec<Skipped>,
}

/// The request body, for the document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PreprocessRequestBody {
    #[schema(rename = "dataId")]
    pub data_id: i64,
    /// `[{"operationName": "上下翻转", "overlap": true, "value1": null, "value2": null}, ...]`
    pub operations: Vec<serde_json::Value>,
}

#[utoipa::path(post, path = "/preprocess/", tag = "preprocess",
    summary = "Run operations in order over a picture or an archive of pictures; the result is a new upload",
    security(("token" = [])), request_body = PreprocessRequestBody,
    responses((status = 200, body = PreprocessResult),
              (status = 400, description = "`{\"operations\": [{}, {\"value1\": [\"...\"]}]}`: one object per operation", body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn run(
    state: web::Data<AppState>,
    auth: Authenticated,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let request = request::read(fields)?;
    let owner = auth.0.user.id;
    let pipeline = Pipeline::new(request.steps);
    let result = blocking(move || {
        let data = &state.data;
        let item = data.item(owner, request.data_id)?;
        let source = data.source(&item)?;
        if let Source::File(_) = source
            && !item.content_type.starts_with("image/")
        {
            return Err(ApiError::Validation(ValidationErrors::single(
                "dataId",
                "This upload is not a picture or an archive of pictures.",
            )));
        }
        let staged = data.stage()?;
        let outcome = produce(&source, &item.original_name, &staged, &pipeline);
        let (folder, images, skipped, name) = match outcome {
            Ok(produced) => produced,
            Err(error) => {
                data.discard(&staged);
                return Err(match error {
                    JobError::Picture(e) => {
                        ApiError::Validation(ValidationErrors::single("dataId", e.to_string()))
                    }
                    e @ JobError::Io(_) => ApiError::Internal(error_chain(&e)),
                });
            }
        };
        let stem = Path::new(&item.original_name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        let name = name.unwrap_or_else(|| format!("{}_processed.zip", stem.unwrap_or_default()));
        let created = data.ingest_generated(owner, item.class, &name, &staged, folder)?;
        Ok(PreprocessResult {
            data_id: created.id,
            images,
            skipped,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Writes the results into the staging folder. Returns whether they form a folder, how
/// many pictures there are, what was skipped, and the file name of a single result.
fn produce(
    source: &Source,
    name: &str,
    staged: &Path,
    pipeline: &Pipeline,
) -> Result<(bool, u64, Vec<Skipped>, Option<String>), JobError> {
    match source {
        Source::File(path) if pipeline.outputs_per_image() == 1 => {
            let (count, names) = process_picture(path, name, staged, pipeline)?;
            Ok((false, count, Vec::new(), names.into_iter().next()))
        }
        Source::File(path) => {
            let files = staged.join("files");
            std::fs::create_dir(&files)?;
            let (count, _) = process_picture(path, name, &files, pipeline)?;
            Ok((true, count, Vec::new(), None))
        }
        Source::Folder(folder) => {
            let files = staged.join("files");
            std::fs::create_dir(&files)?;
            let outcome = process_folder(folder, &files, pipeline)?;
            Ok((true, outcome.images, outcome.skipped, None))
        }
    }
}
