//! The run service: a queue drained by a fixed number of dedicated training threads
//! (never the HTTP runtime), pause/resume/stop, start-up recovery, restore, and a
//! small LRU cache of loaded models for prediction.

use std::collections::{HashMap, VecDeque};
use std::num::NonZeroUsize;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use chrono::Utc;
use codegen::NetworkConfig;
use dataset::{DataSpec, Labels, Source};
use lru::LruCache;

use crate::engine::{Engine, NetworkSpec, Predictor};
use crate::runs::checkpoint::CheckpointStore;
use crate::runs::control::{Control, Request};
use crate::runs::driver::{Drive, Intervals, Start};
use crate::runs::record::{MetricPoint, NewRun, Run, RunId, RunStatus};
use crate::runs::repo::{RunRepo, RunRepoError};

/// Settings of the training threads.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// Runs training at the same time.
    pub workers: usize,
    /// Steps between metric points.
    pub eval_every: u64,
    /// Steps between extra checkpoints.
    pub checkpoint_every: u64,
    /// Models kept loaded for prediction.
    pub loaded_models: usize,
    /// Folder of checkpoints and weights.
    pub checkpoints: PathBuf,
}

/// Where a run's data is.
pub enum RunSource {
    /// An extracted image-folder upload, with the model's labels.
    Images {
        /// Its folder.
        root: PathBuf,
        /// Labels from `/data/tag/`.
        labels: Option<Labels>,
    },
    /// A CSV upload.
    Csv {
        /// Its file.
        path: PathBuf,
    },
}

/// Finds a run's data (the model and data catalogues are the caller's).
pub trait RunInputs: Send + Sync + 'static {
    /// The data of `run`, or why it is gone.
    fn source(&self, run: &Run) -> Result<RunSource, String>;
}

/// A run operation's failure.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// No such run for this user.
    #[error("Not found.")]
    NotFound,
    /// The run is not in a state that allows this.
    #[error("{0}")]
    State(String),
    /// Storage failed.
    #[error(transparent)]
    Storage(Box<dyn std::error::Error + Send + Sync>),
}

impl From<RunRepoError> for RunError {
    fn from(error: RunRepoError) -> Self {
        Self::Storage(error.0)
    }
}

/// A model loaded for prediction.
pub struct LoadedModel {
    /// The network.
    pub predictor: Box<dyn Predictor>,
    /// Its data's shape, classes and normalisation.
    pub data_spec: DataSpec,
}

struct Job {
    owner: i64,
    run: RunId,
    resume: bool,
}

struct Inner<R> {
    repo: R,
    engine: Arc<dyn Engine>,
    store: CheckpointStore,
    inputs: Box<dyn RunInputs>,
    settings: RunSettings,
    controls: Mutex<HashMap<RunId, Arc<Control>>>,
    queue: Mutex<VecDeque<Job>>,
    queued: Condvar,
    loaded: Mutex<LruCache<RunId, Arc<LoadedModel>>>,
}

/// Runs of every user; cheap to clone.
pub struct RunService<R> {
    inner: Arc<Inner<R>>,
}

impl<R> Clone for RunService<R> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<R: RunRepo> RunService<R> {
    /// Marks runs cut off by a previous stop as interrupted, then starts the
    /// training threads.
    pub fn start(
        repo: R,
        engine: Arc<dyn Engine>,
        inputs: Box<dyn RunInputs>,
        settings: RunSettings,
    ) -> Result<Self, RunError> {
        for mut run in repo.runs_in(&[RunStatus::Queued, RunStatus::Running, RunStatus::Paused])? {
            run.status = RunStatus::Interrupted;
            repo.update_run(&run)?;
        }
        let capacity = NonZeroUsize::new(settings.loaded_models.max(1)).unwrap_or(NonZeroUsize::MIN);
        let inner = Arc::new(Inner {
            repo,
            engine,
            store: CheckpointStore::new(settings.checkpoints.clone()),
            inputs,
            controls: Mutex::new(HashMap::new()),
            queue: Mutex::new(VecDeque::new()),
            queued: Condvar::new(),
            loaded: Mutex::new(LruCache::new(capacity)),
            settings,
        });
        for index in 0..inner.settings.workers.max(1) {
            let inner = inner.clone();
            std::thread::Builder::new()
                .name(format!("train-{index}"))
                .spawn(move || work(&inner))
                .map_err(|e| RunError::Storage(Box::new(e)))?;
        }
        Ok(Self { inner })
    }

    /// Records a new run and queues it.
    pub fn submit(&self, run: &NewRun) -> Result<Run, RunError> {
        let run = self.inner.repo.insert_run(run)?;
        self.enqueue(run.owner, run.id, false);
        Ok(run)
    }

    fn enqueue(&self, owner: i64, run: RunId, resume: bool) {
        lock(&self.inner.controls).insert(run, Arc::new(Control::default()));
        lock(&self.inner.queue).push_back(Job { owner, run, resume });
        self.inner.queued.notify_one();
    }

    /// A run of this owner.
    pub fn run(&self, owner: i64, id: RunId) -> Result<Run, RunError> {
        self.inner.repo.run(owner, id)?.ok_or(RunError::NotFound)
    }

    /// The runs of a model, newest first.
    pub fn runs_of_model(&self, owner: i64, model_id: i64) -> Result<Vec<Run>, RunError> {
        Ok(self.inner.repo.runs_of_model(owner, model_id)?)
    }

    /// The owner's runs that have not ended (queued, running, paused), oldest first.
    pub fn unfinished(&self, owner: i64) -> Result<Vec<Run>, RunError> {
        let mut runs: Vec<Run> = self
            .inner
            .repo
            .runs_in(&[RunStatus::Queued, RunStatus::Running, RunStatus::Paused])?
            .into_iter()
            .filter(|run| run.owner == owner)
            .collect();
        runs.sort_by_key(|run| run.id);
        Ok(runs)
    }

    /// The metric points of a run after `since`.
    pub fn points(&self, owner: i64, id: RunId, since: Option<u64>) -> Result<Vec<MetricPoint>, RunError> {
        let run = self.run(owner, id)?;
        Ok(self.inner.repo.points(run.id, since)?)
    }

    fn control(&self, id: RunId) -> Option<Arc<Control>> {
        lock(&self.inner.controls).get(&id).cloned()
    }

    /// Holds a queued or running run between steps. A running run's thread records
    /// `paused` itself at the next step boundary (writing it here could overwrite a
    /// `completed` the thread stored meanwhile); the answer already says `paused`.
    pub fn pause(&self, owner: i64, id: RunId) -> Result<Run, RunError> {
        let mut run = self.run(owner, id)?;
        match (run.status, self.control(id)) {
            (RunStatus::Paused, _) => Ok(run),
            (RunStatus::Queued, Some(control)) => {
                // Not started: its thread will read the request before it begins.
                control.set(Request::Pause);
                run.status = RunStatus::Paused;
                self.inner.repo.update_run(&run)?;
                Ok(run)
            }
            (RunStatus::Running, Some(control)) => {
                control.set(Request::Pause);
                run.status = RunStatus::Paused;
                Ok(run)
            }
            (status, _) => Err(RunError::State(format!(
                "Only a queued or running run can be paused; this run is {}.",
                status.as_str()
            ))),
        }
    }

    /// Continues a paused run where it is, or an interrupted one from its last
    /// checkpoint.
    pub fn resume(&self, owner: i64, id: RunId) -> Result<Run, RunError> {
        let mut run = self.run(owner, id)?;
        match (run.status, self.control(id)) {
            (RunStatus::Paused, Some(control)) => {
                // The run's thread records `running` as it continues.
                control.set(Request::Go);
                run.status = RunStatus::Running;
                Ok(run)
            }
            (RunStatus::Paused | RunStatus::Interrupted, None) => {
                // Its parameters will move on from the checkpoint.
                lock(&self.inner.loaded).pop(&id);
                run.status = RunStatus::Queued;
                self.inner.repo.update_run(&run)?;
                self.enqueue(owner, id, true);
                Ok(run)
            }
            (status, _) => Err(RunError::State(format!(
                "Only a paused or interrupted run can be resumed; this run is {}.",
                status.as_str()
            ))),
        }
    }

    /// Ends a run, keeping its last checkpoint.
    pub fn stop(&self, owner: i64, id: RunId) -> Result<Run, RunError> {
        let mut run = self.run(owner, id)?;
        match (run.status, self.control(id)) {
            (RunStatus::Queued | RunStatus::Running | RunStatus::Paused, Some(control)) => {
                control.set(Request::Stop);
                Ok(run)
            }
            (RunStatus::Interrupted | RunStatus::Paused, None) => {
                run.status = RunStatus::Stopped;
                run.finished_at = Some(Utc::now());
                self.inner.repo.update_run(&run)?;
                Ok(run)
            }
            (status, _) => Err(RunError::State(format!(
                "This run has already ended; it is {}.",
                status.as_str()
            ))),
        }
    }

    /// Whether `run` has saved parameters (for restore and warm starts).
    pub fn has_weights(&self, run: &Run) -> Result<bool, RunError> {
        Ok(self
            .inner
            .store
            .weights(run.id)
            .map_err(|e| RunError::Storage(Box::new(e)))?
            .is_some())
    }

    /// The trained network of `run`, loaded once and kept while it is used. Only
    /// runs that have ended are kept: a running run's parameters change.
    pub fn loaded(&self, run: &Run) -> Result<Arc<LoadedModel>, RunError> {
        let keep = run.status.is_final();
        if keep && let Some(found) = lock(&self.inner.loaded).get(&run.id) {
            return Ok(found.clone());
        }
        let weights = self
            .inner
            .store
            .weights(run.id)
            .map_err(|e| RunError::Storage(Box::new(e)))?
            .ok_or_else(|| RunError::State("This run has no saved parameters yet.".into()))?;
        let spec = network_spec(run).map_err(RunError::State)?;
        let predictor = self
            .inner
            .engine
            .predictor(&spec, &weights)
            .map_err(|e| RunError::Storage(Box::new(e)))?;
        let loaded = Arc::new(LoadedModel {
            predictor,
            data_spec: run.data_spec.clone(),
        });
        if keep {
            lock(&self.inner.loaded).put(run.id, loaded.clone());
        }
        Ok(loaded)
    }

    /// Stops the given runs and removes their files (their model is being deleted).
    pub fn forget(&self, runs: &[Run]) -> Result<(), RunError> {
        for run in runs {
            if let Some(control) = self.control(run.id) {
                control.set(Request::Stop);
            }
            lock(&self.inner.loaded).pop(&run.id);
            self.inner
                .store
                .remove(run.id)
                .map_err(|e| RunError::Storage(Box::new(e)))?;
        }
        Ok(())
    }
}

/// The network of a run: its configuration snapshot on its data.
pub fn network_spec(run: &Run) -> Result<NetworkSpec, String> {
    let config = NetworkConfig::from_value(&run.config).map_err(|e| e.to_string())?;
    Ok(NetworkSpec {
        config,
        input: run.data_spec.input(),
        classes: run.data_spec.classes.len(),
    })
}

fn work<R: RunRepo>(inner: &Inner<R>) {
    loop {
        let job = {
            let mut queue = lock(&inner.queue);
            loop {
                if let Some(job) = queue.pop_front() {
                    break job;
                }
                queue = inner.queued.wait(queue).unwrap_or_else(PoisonError::into_inner);
            }
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| train(inner, &job)));
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(reason)) => Some(reason),
            Err(_) => Some("the training engine failed unexpectedly".to_owned()),
        };
        if let Some(reason) = failure {
            tracing::warn!(run = job.run, %reason, "run failed");
            if let Ok(Some(mut run)) = inner.repo.run(job.owner, job.run) {
                run.status = RunStatus::Failed;
                run.error = Some(reason);
                run.finished_at = Some(Utc::now());
                if let Err(e) = inner.repo.update_run(&run) {
                    tracing::error!(run = job.run, error = %e, "could not record a failed run");
                }
            }
        }
        lock(&inner.controls).remove(&job.run);
    }
}

fn train<R: RunRepo>(inner: &Inner<R>, job: &Job) -> Result<(), String> {
    let storage = |e: RunRepoError| format!("storage: {e}");
    let Some(mut run) = inner.repo.run(job.owner, job.run).map_err(storage)? else {
        return Ok(());
    };
    let control = lock(&inner.controls).get(&run.id).cloned().unwrap_or_default();
    if control.get() == Request::Stop {
        run.status = RunStatus::Stopped;
        run.finished_at = Some(Utc::now());
        return inner.repo.update_run(&run).map_err(storage);
    }
    run.status = if control.get() == Request::Pause {
        RunStatus::Paused
    } else {
        RunStatus::Running
    };
    run.started_at.get_or_insert_with(Utc::now);
    run.error = None;
    inner.repo.update_run(&run).map_err(storage)?;

    let source = inner.inputs.source(&run)?;
    let data = match &source {
        RunSource::Images { root, labels } => dataset::load(&Source::Images {
            root,
            labels: labels.as_ref(),
        }),
        RunSource::Csv { path } => dataset::load(&Source::Csv { path }),
    }
    .map_err(|e| format!("could not read the data: {e}"))?;
    run.data_spec = data.spec.clone();
    let spec = network_spec(&run)?;
    let checkpoint = |id| inner.store.load(id).map_err(|e| e.to_string());
    let start = match (job.resume, run.warm_from) {
        (true, _) => checkpoint(run.id)?.map_or(Start::Fresh, Start::Resume),
        (false, Some(from)) => inner
            .store
            .weights(from)
            .map_err(|e| e.to_string())?
            .map_or(Start::Fresh, Start::Warm),
        (false, None) => Start::Fresh,
    };
    let drive = Drive {
        engine: inner.engine.as_ref(),
        repo: &inner.repo,
        store: &inner.store,
        control: &control,
        intervals: Intervals {
            eval_every: inner.settings.eval_every.max(1),
            checkpoint_every: inner.settings.checkpoint_every.max(1),
        },
    };
    drive.run(&mut run, &spec, &data, start).map_err(|e| e.0)?;
    Ok(())
}
