//! The use cases of the workbench, across the domain crates: upload from a URL,
//! preprocess an upload into a new upload, attach data and labels to a model, save a
//! configuration, guide the next layer, generate and store code, start / pause /
//! resume / stop / restore runs, predict, compare. Each is a method of [`Workbench`]
//! over the domains' traits — no HTTP, no SQL — so an HTTP shell, a command-line tool
//! or another Rust program can offer the same operations.
//!
//! Every method blocks (files, storage, training threads) except the upload ones,
//! which are async (downloads); call the blocking ones off an async runtime's threads.
//!
//! ```
//! use std::sync::Arc;
//!
//! use cluster::{LocalExecutor, LocalSettings};
//! use common::UserId;
//! use datastore::{DataService, DataSettings, FileClass, LocalBlobStore, archive::ZipLimits};
//! use workbench::memory::MemoryStore;
//! use workbench::{ModelInputs, Workbench, WorkbenchSettings};
//!
//! let root = tempfile::tempdir()?;
//! let store = MemoryStore::default();
//! let data = Arc::new(DataService::new(
//!     store.clone(),
//!     LocalBlobStore::open(root.path().join("blobs"))?,
//!     DataSettings { max_upload_bytes: 1 << 30, quota_bytes: None, zip_limits: ZipLimits::default() },
//! ));
//! let engine = Arc::new(trainer::NativeEngine);
//! let executor = LocalExecutor::start(
//!     store.clone(),
//!     engine.clone(),
//!     Box::new(ModelInputs::new(data.clone(), store.clone())),
//!     LocalSettings {
//!         workers: 1,
//!         eval_every: 50,
//!         checkpoint_every: 1000,
//!         checkpoints: root.path().join("runs"),
//!         bind_ip: "127.0.0.1".into(),
//!     },
//! )?;
//! let bench = Workbench::new(
//!     store,
//!     data,
//!     Arc::new(executor),
//!     engine,
//!     WorkbenchSettings::new(root.path().join("runs")),
//! )?;
//!
//! // A CSV upload becomes a model's data; its network is checked against it.
//! let owner = UserId(1);
//! let csv = "x,y,label\n0,0,a\n1,1,b\n0,1,a\n1,0,b\n";
//! let upload = bench.store_text(owner, FileClass::Doc, "points.csv", csv)?;
//! let model = bench.models().create(owner, "points", Some(upload.id))?;
//! assert_eq!(model.data_spec.map(|s| s.classes), Some(vec!["a".to_owned(), "b".to_owned()]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod comparison;
mod error;
mod file_sink;
mod hand_over;
mod imaging;
mod locate;
pub mod memory;
mod modelling;
mod operations;
mod options;
mod predict;
mod preprocessing;
mod scripts;
mod ssrf;
mod training;
mod uploads;
mod url_fetch;
mod worker;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use cluster::Executor;
use datastore::{DataService, LocalBlobStore};
use models::ModelService;
use runs::CheckpointStore;
use trainer::Engine;

pub use comparison::{ComparedModel, ModelComparison};
pub use error::{InputKind, Result, WorkbenchError};
pub use file_sink::{FileSink, Written};
pub use imaging::Skipped;
pub use locate::{CatalogueLocator, ModelInputs};
pub use modelling::ModelOverview;
pub use operations::TrainingOverview;
pub use options::{NextOptions, NextRequest};
pub use predict::{PredictInput, Prediction};
pub use preprocessing::Preprocessed;
pub use scripts::{CodeRequest, GeneratedCode, describe_inline};
pub use training::{RunChoice, STEP_MEMORY_LIMIT};
pub use uploads::{PendingUpload, UploadSource};
pub use url_fetch::{FetchError, FetchSettings, Fetched, UrlFetcher};
pub use worker::{Assignment, StartFrom, WorkerProgress};

/// The model catalogue as the workbench uses it.
pub type Models<S, B = LocalBlobStore> = ModelService<S, CatalogueLocator<S, B>>;

/// Settings of the use cases.
#[derive(Debug, Clone)]
pub struct WorkbenchSettings {
    /// The folder of run checkpoints and weights (the executor's too).
    pub checkpoints: PathBuf,
    /// Trained models kept loaded for prediction.
    pub loaded_models: usize,
    /// How `url` uploads are downloaded.
    pub fetch: FetchSettings,
    /// Steps between metric points and between extra checkpoints, for remote workers.
    pub intervals: trainer::Intervals,
    /// Runs one user may have waiting for a training slot (0: no limit).
    pub max_queued_runs: usize,
}

impl WorkbenchSettings {
    /// Defaults: 8 loaded models; downloads of public addresses only, 5 minutes at most;
    /// a point every 100 steps, a checkpoint at least every 500.
    pub fn new(checkpoints: PathBuf) -> Self {
        Self {
            checkpoints,
            loaded_models: 8,
            fetch: FetchSettings {
                allow_private: false,
                allowed_hosts: Vec::new(),
                timeout: Duration::from_secs(300),
            },
            intervals: trainer::Intervals {
                eval_every: 100,
                checkpoint_every: 500,
            },
            max_queued_runs: 0,
        }
    }
}

/// Every use case, over one store `S` (users' uploads, models and runs) and the blob
/// store `B` holding upload bytes. Cheap to clone.
pub struct Workbench<S, B = LocalBlobStore> {
    store: S,
    data: Arc<DataService<S, B>>,
    models: Arc<Models<S, B>>,
    executor: Arc<dyn Executor>,
    checkpoints: CheckpointStore,
    predictions: Arc<predict::Predictions>,
    fetcher: Arc<UrlFetcher>,
    intervals: trainer::Intervals,
    max_queued_runs: usize,
}

impl<S: Clone, B> Clone for Workbench<S, B> {
    fn clone(&self) -> Self {
        Self {
            store: self.store.clone(),
            data: self.data.clone(),
            models: self.models.clone(),
            executor: self.executor.clone(),
            checkpoints: self.checkpoints.clone(),
            predictions: self.predictions.clone(),
            fetcher: self.fetcher.clone(),
            intervals: self.intervals,
            max_queued_runs: self.max_queued_runs,
        }
    }
}

/// What the workbench needs of its store.
pub trait Store:
    datastore::DataRepo + models::ModelRepo + runs::RunRepo + runs::HandOverRepo + Clone
{
}

impl<T: datastore::DataRepo + models::ModelRepo + ::runs::RunRepo + ::runs::HandOverRepo + Clone> Store
    for T
{
}

impl<S: Store, B: datastore::BlobStore> Workbench<S, B> {
    /// The use cases over `store` and `data`, training with `executor` and predicting
    /// with `engine`.
    pub fn new(
        store: S,
        data: Arc<DataService<S, B>>,
        executor: Arc<dyn Executor>,
        engine: Arc<dyn Engine>,
        settings: WorkbenchSettings,
    ) -> std::result::Result<Self, reqwest::Error> {
        let checkpoints = CheckpointStore::new(settings.checkpoints.clone());
        Ok(Self {
            models: Arc::new(ModelService::new(store.clone(), CatalogueLocator(data.clone()))),
            predictions: Arc::new(predict::Predictions::new(
                engine,
                checkpoints.clone(),
                settings.loaded_models,
            )),
            fetcher: Arc::new(UrlFetcher::new(settings.fetch)?),
            intervals: settings.intervals,
            max_queued_runs: settings.max_queued_runs,
            store,
            data,
            executor,
            checkpoints,
        })
    }

    /// The data catalogue (list, preview, delete uploads).
    pub fn data(&self) -> &DataService<S, B> {
        &self.data
    }

    /// The model catalogue (names, configurations, data and labels).
    pub fn models(&self) -> &Models<S, B> {
        &self.models
    }

    /// The executor runs train on.
    pub fn executor(&self) -> &dyn Executor {
        self.executor.as_ref()
    }

    /// The URL downloader (its [`UrlFetcher::parse`] checks a URL before anything
    /// is received).
    pub fn fetcher(&self) -> &UrlFetcher {
        &self.fetcher
    }
}
