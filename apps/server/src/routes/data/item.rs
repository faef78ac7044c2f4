//! `GET` and `DELETE /data/<id>/`: an upload's content (the file with Range and ETag, an
//! archive's tree, a CSV as JSON rows) and deleting it.

use actix_files::NamedFile;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, delete, get, web};
use common::DataId;
use datastore::csv_json::{Page, csv_to_json};
use datastore::{DataItem, UploadKind};
use tokio::sync::mpsc;

use super::dto::ItemParams;
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody, MessageBody};
use crate::request::Query;
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "data",
    summary = "An upload's content: the file (Range, ETag), an archive's tree, or a CSV as JSON rows",
    security(("token" = [])), params(ItemParams),
    responses((status = 200, description = "The file, the tree `{name: name | {...}}`, or `[{column: value}]`"),
              (status = 206, description = "Part of the file (Range)"),
              (status = 400, body = ErrorBody), (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[get("/data/{id:[0-9]+}/")]
pub async fn get_item(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<i64>,
    query: Query<ItemParams>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let params = query.into_inner()?;
    let page = Page {
        offset: params.offset.unwrap_or(0),
        limit: params.limit,
    };
    let relative = params.relative_path;
    let raw = params.raw.unwrap_or(false);
    let owner = auth.user();
    let id = DataId(id.into_inner());

    let bench = state.bench.clone();
    let (item, target) = blocking(move || {
        let data = bench.data();
        let item = data.item(owner, id)?;
        let target = match (item.kind, &relative) {
            (UploadKind::Zip, None) => Target::Tree(data.tree(&item)?),
            _ => Target::File(data.file(&item, relative.as_deref())?),
        };
        Ok((item, target))
    })
    .await?;
    let path = match target {
        Target::Tree(tree) => return Ok(HttpResponse::Ok().json(tree)),
        Target::File(path) => path,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !raw && datastore::sniff::is_csv_name(&name) {
        return Ok(csv_as_json(path, page));
    }
    let content_type = content_type_of(&item, &path).await?;
    let file = blocking(move || {
        NamedFile::open(&path)
            .map_err(|e| ApiError::internal(format!("cannot open {}: {e}", path.display()), "data_file"))
    })
    .await?;
    let file = file
        .set_content_type(content_type.parse().unwrap_or(mime_octet_stream()))
        .set_content_disposition(super::raw_headers::disposition(&content_type, name));
    let mut response = file.into_response(&req);
    super::raw_headers::harden(&mut response);
    Ok(response)
}

enum Target {
    Tree(serde_json::Value),
    File(std::path::PathBuf),
}

fn mime_octet_stream() -> actix_web::mime::Mime {
    actix_web::mime::APPLICATION_OCTET_STREAM
}

/// The stored type of a single upload; for a file inside an archive, sniffed now.
async fn content_type_of(item: &DataItem, path: &std::path::Path) -> Result<String, ApiError> {
    if item.kind != UploadKind::Zip {
        return Ok(item.content_type.clone());
    }
    let path = path.to_owned();
    blocking(move || {
        use std::io::Read;
        let mut head = Vec::with_capacity(512);
        std::fs::File::open(&path)
            .and_then(|f| f.take(512).read_to_end(&mut head))
            .map_err(|e| ApiError::internal(format!("cannot read {}: {e}", path.display()), "data_file"))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(datastore::sniff::content_type(&name, &head))
    })
    .await
}

/// Streams a CSV file as a JSON array of row objects: converted on a blocking thread,
/// handed over in chunks through a bounded channel, so memory stays flat.
fn csv_as_json(path: std::path::PathBuf, page: Page) -> HttpResponse {
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    tokio::task::spawn_blocking(move || {
        let result = std::fs::File::open(&path)
            .map_err(datastore::csv_json::CsvError::Write)
            .and_then(|file| {
                let input = std::io::BufReader::with_capacity(256 * 1024, file);
                csv_to_json(input, ChannelWriter::new(sender.clone()), page)
            });
        if let Err(error) = result {
            tracing::error!(%error, path = %path.display(), "CSV conversion failed mid-stream");
            let _ = sender.blocking_send(Err(std::io::Error::other(error.to_string())));
        }
    });
    let body = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    HttpResponse::Ok()
        .content_type("application/json")
        .streaming(body)
}

/// A `Write` that sends 64 KiB chunks down a channel, waiting while the client is slow.
struct ChannelWriter {
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl ChannelWriter {
    fn new(sender: mpsc::Sender<Result<Bytes, std::io::Error>>) -> Self {
        Self {
            sender,
            buffer: Vec::with_capacity(CHUNK),
        }
    }

    fn send_buffer(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send_buffer()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send_buffer()
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.send_buffer();
    }
}

#[utoipa::path(tag = "data", summary = "Delete an upload and its files",
    security(("token" = [])),
    responses((status = 200, description = "Deleted with its files", body = MessageBody),
              (status = 204, description = "No such upload of this user; nothing changed"),
              (status = 401, body = DetailBody)))]
#[delete("/data/{id:[0-9]+}/")]
pub async fn delete_item(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let owner = auth.user();
    let id = DataId(id.into_inner());
    let deleted = blocking(move || Ok(state.bench.data().delete(owner, id)?)).await?;
    Ok(if deleted {
        HttpResponse::Ok().json(MessageBody::success())
    } else {
        HttpResponse::NoContent().finish()
    })
}
