//! Preprocessing an upload into a new upload: a picture, or every picture of an
//! archive, through an ordered pipeline; the source is never changed.

use std::path::Path;

use common::{DataId, UserId};
use datastore::{BlobStore, Content, DataError};
use preprocess::{Pipeline, Step};

use crate::error::{Result, WorkbenchError};
use crate::imaging::{JobError, Skipped, process_folder, process_picture};
use crate::{Store, Workbench};

/// What preprocessing produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preprocessed {
    /// The new upload holding the results (a picture, or a folder like an archive).
    pub data_id: DataId,
    /// Pictures written.
    pub images: u64,
    /// Pictures of an archive that could not be decoded, left out.
    pub skipped: Vec<Skipped>,
}

/// The results in the staging folder: whether they form a folder, how many pictures
/// there are, what was skipped, and the file name of a single result.
struct Produced {
    folder: bool,
    images: u64,
    skipped: Vec<Skipped>,
    single_name: Option<String>,
}

impl<S: Store, B: BlobStore> Workbench<S, B> {
    /// Runs `steps` in order over the owner's upload `data_id` (a picture, or an archive
    /// of pictures: every picture, in parallel, class folders kept, other files copied,
    /// undecodable pictures listed in `skipped`) and stores the results as a new upload
    /// of the same class: `<name>.<ext>` for the chained result, `<name>_<step>_<op>.<ext>`
    /// for each extra copy; a single picture with no copies stays a picture.
    pub fn preprocess(&self, owner: UserId, data_id: DataId, steps: Vec<Step>) -> Result<Preprocessed> {
        let pipeline = Pipeline::new(steps);
        let item = self.data.item(owner, data_id)?;
        let content = self.data.content(&item)?;
        if let Content::File(_) = content
            && !item.content_type.starts_with("image/")
        {
            return Err(WorkbenchError::NotAPicture);
        }
        let staged = self.data.stage()?;
        let produced = match produce(&content, &item.original_name, &staged, &pipeline) {
            Ok(produced) => produced,
            Err(error) => {
                self.data.discard(&staged);
                return Err(match error {
                    JobError::Picture(e) => WorkbenchError::BadPicture(e.to_string()),
                    JobError::Io(e) if datastore::is_storage_full(&e) => DataError::StorageFull.into(),
                    e @ JobError::Io(_) => WorkbenchError::internal("preprocessing", e),
                });
            }
        };
        let stem = Path::new(&item.original_name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        let name = produced
            .single_name
            .unwrap_or_else(|| format!("{}_processed.zip", stem.unwrap_or_default()));
        let created = self
            .data
            .ingest_generated(owner, item.class, &name, &staged, produced.folder)?;
        Ok(Preprocessed {
            data_id: created.id,
            images: produced.images,
            skipped: produced.skipped,
        })
    }
}

fn produce(content: &Content, name: &str, staged: &Path, pipeline: &Pipeline) -> Result<Produced, JobError> {
    match content {
        Content::File(path) if pipeline.outputs_per_image() == 1 => {
            let (count, names) = process_picture(path, name, staged, pipeline)?;
            Ok(Produced {
                folder: false,
                images: count,
                skipped: Vec::new(),
                single_name: names.into_iter().next(),
            })
        }
        Content::File(path) => {
            let files = staged.join("files");
            std::fs::create_dir(&files)?;
            let (count, _) = process_picture(path, name, &files, pipeline)?;
            Ok(Produced {
                folder: true,
                images: count,
                skipped: Vec::new(),
                single_name: None,
            })
        }
        Content::Folder(folder) => {
            let files = staged.join("files");
            std::fs::create_dir(&files)?;
            let outcome = process_folder(folder, &files, pipeline)?;
            Ok(Produced {
                folder: true,
                images: outcome.images,
                skipped: outcome.skipped,
                single_name: None,
            })
        }
    }
}
