//! The local executor: a queue drained by a fixed number of dedicated training threads
//! (never the HTTP runtime), pause/resume/stop through each run's [`Control`], and
//! start-up recovery of runs a previous stop cut off.

use std::collections::{HashMap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use chrono::Utc;
use common::{DataLocation, RunId, UserId};
use dataset::Labels;
use runs::{CheckpointStore, Control, Request, Run, RunRepo, RunRepoError, RunStatus};
use trainer::{Drive, Engine, Intervals};

use crate::executor::{Executor, ExecutorError, Held, Launch};
use crate::machine;
use crate::node::Node;
use crate::slots::TrainingSlots;
use crate::sync::{interrupt_all, lock, wait};

/// Settings of the training threads.
#[derive(Debug, Clone)]
pub struct LocalSettings {
    /// Runs training at the same time.
    pub workers: usize,
    /// Steps between metric points.
    pub eval_every: u64,
    /// Steps between extra checkpoints.
    pub checkpoint_every: u64,
    /// Folder of checkpoints and weights.
    pub checkpoints: PathBuf,
    /// The address the server listens on (the node's internal address).
    pub bind_ip: String,
}

/// Finds a run's data: where its upload is, and the labels its model has now.
pub trait RunInputs: Send + Sync + 'static {
    /// The data of `run`, or why it is gone.
    fn data_of(&self, run: &Run) -> Result<(DataLocation, Option<Labels>), String>;
}

struct Job {
    owner: UserId,
    run: RunId,
    resume: bool,
}

/// A run this executor holds.
struct Slot {
    control: Arc<Control>,
    started: AtomicBool,
}

struct Inner<R> {
    repo: R,
    engine: Arc<dyn Engine>,
    store: CheckpointStore,
    inputs: Box<dyn RunInputs>,
    settings: LocalSettings,
    slots: Mutex<HashMap<RunId, Arc<Slot>>>,
    queue: Mutex<VecDeque<Job>>,
    queued: Condvar,
    training: Arc<TrainingSlots>,
    /// Set by [`Executor::shutdown`]: runs submitted from then on never start.
    closing: AtomicBool,
}

/// Trains runs on this machine's threads; cheap to clone.
pub struct LocalExecutor<R> {
    inner: Arc<Inner<R>>,
}

impl<R> Clone for LocalExecutor<R> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<R: RunRepo> LocalExecutor<R> {
    /// Starts the training threads. Runs a previous stop cut off are found by the
    /// leases of [`crate::Replicated`], which wraps this executor in the server.
    pub fn start(
        repo: R,
        engine: Arc<dyn Engine>,
        inputs: Box<dyn RunInputs>,
        settings: LocalSettings,
    ) -> Result<Self, ExecutorError> {
        let training = TrainingSlots::new(settings.workers);
        Self::start_sharing(repo, engine, inputs, settings, training)
    }

    /// The same, its runs holding `training` slots shared with other executors of
    /// this machine while they train.
    pub fn start_sharing(
        repo: R,
        engine: Arc<dyn Engine>,
        inputs: Box<dyn RunInputs>,
        settings: LocalSettings,
        training: Arc<TrainingSlots>,
    ) -> Result<Self, ExecutorError> {
        let inner = Arc::new(Inner {
            training,
            repo,
            engine,
            store: CheckpointStore::new(settings.checkpoints.clone()),
            inputs,
            slots: Mutex::new(HashMap::new()),
            queue: Mutex::new(VecDeque::new()),
            queued: Condvar::new(),
            closing: AtomicBool::new(false),
            settings,
        });
        for index in 0..inner.settings.workers.max(1) {
            let inner = inner.clone();
            std::thread::Builder::new()
                .name(format!("train-{index}"))
                .spawn(move || work(&inner))
                .map_err(|e| ExecutorError::Unavailable(format!("starting a training thread: {e}")))?;
        }
        Ok(Self { inner })
    }

    /// How many runs train at the same time.
    pub fn workers(&self) -> usize {
        self.inner.settings.workers.max(1)
    }

    fn slot(&self, run: RunId) -> Option<Arc<Slot>> {
        lock(&self.inner.slots).get(&run).cloned()
    }

    fn request(&self, run: RunId, request: Request) -> Result<(), ExecutorError> {
        if let Some(slot) = self.slot(run) {
            slot.control.set(request);
        }
        Ok(())
    }
}

impl<R: RunRepo> Executor for LocalExecutor<R> {
    fn name(&self) -> &'static str {
        "local"
    }

    fn submit(&self, run: &Run, launch: &Launch) -> Result<(), ExecutorError> {
        let control = Arc::new(Control::default());
        if self.inner.closing.load(Ordering::Acquire) {
            control.set(Request::Interrupt);
        }
        let slot = Arc::new(Slot {
            control,
            started: AtomicBool::new(false),
        });
        lock(&self.inner.slots).insert(run.id, slot);
        lock(&self.inner.queue).push_back(Job {
            owner: run.owner,
            run: run.id,
            resume: launch.resume,
        });
        self.inner.queued.notify_one();
        Ok(())
    }

    fn status(&self, run: RunId) -> Option<Held> {
        let slot = self.slot(run)?;
        Some(match (slot.control.get(), slot.started.load(Ordering::Acquire)) {
            (Request::Pause, _) => Held::Paused,
            (_, true) => Held::Training,
            (_, false) => Held::Queued,
        })
    }

    fn pause(&self, run: RunId) -> Result<(), ExecutorError> {
        self.request(run, Request::Pause)
    }

    fn resume(&self, run: RunId) -> Result<(), ExecutorError> {
        self.request(run, Request::Go)
    }

    fn stop(&self, run: RunId) -> Result<(), ExecutorError> {
        self.request(run, Request::Stop)
    }

    fn forget(&self, run: RunId) -> Result<(), ExecutorError> {
        self.request(run, Request::Stop)
    }

    fn requested(&self, run: RunId) -> Request {
        self.slot(run).map_or(Request::Go, |slot| slot.control.get())
    }

    fn nodes(&self, runs: &[Run]) -> Result<Vec<Node>, ExecutorError> {
        Ok(vec![machine::this_machine(
            &self.inner.settings.bind_ip,
            self.workers(),
            runs,
        )])
    }

    fn shutdown(&self, deadline: Instant) -> Vec<RunId> {
        self.inner.closing.store(true, Ordering::Release);
        interrupt_all(&self.inner.slots, |slot| &slot.control, deadline)
    }
}

fn work<R: RunRepo>(inner: &Inner<R>) {
    loop {
        let job = {
            let mut queue = lock(&inner.queue);
            loop {
                if let Some(job) = queue.pop_front() {
                    break job;
                }
                queue = wait(&inner.queued, queue);
            }
        };
        let held = inner.training.take();
        let outcome = catch_unwind(AssertUnwindSafe(|| train(inner, &job)));
        drop(held);
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(reason)) => Some(reason),
            Err(_) => Some("the training engine failed unexpectedly".to_owned()),
        };
        if let Some(reason) = failure {
            tracing::warn!(run = %job.run, %reason, "run failed");
            if let Ok(Some(mut run)) = inner.repo.run(job.owner, job.run) {
                run.end(RunStatus::Failed, Some(reason));
                if let Err(e) = inner.repo.update_run(&run) {
                    tracing::error!(run = %job.run, error = %e, "could not record a failed run");
                }
            }
        }
        forget_files_of_deleted(inner, &job);
        lock(&inner.slots).remove(&job.run);
    }
}

/// A run whose model was deleted while it trained wrote its last checkpoint (the one
/// its stop makes) after the delete removed its folder: those files go now, not at the
/// next start.
fn forget_files_of_deleted<R: RunRepo>(inner: &Inner<R>, job: &Job) {
    if let Ok(None) = inner.repo.run(job.owner, job.run) {
        match inner.store.remove(job.run) {
            Ok(()) => tracing::info!(run = %job.run, "removed the files of a run deleted while it trained"),
            Err(error) => {
                tracing::warn!(run = %job.run, %error, "could not remove the files of a deleted run")
            }
        }
    }
}

fn train<R: RunRepo>(inner: &Inner<R>, job: &Job) -> Result<(), String> {
    let storage = |e: RunRepoError| format!("storage: {e}");
    let Some(mut run) = inner.repo.run(job.owner, job.run).map_err(storage)? else {
        return Ok(());
    };
    let slot = lock(&inner.slots).get(&run.id).cloned().unwrap_or_else(|| {
        Arc::new(Slot {
            control: Arc::new(Control::default()),
            started: AtomicBool::new(false),
        })
    });
    let control = &slot.control;
    if control.get() == Request::Stop {
        run.end(RunStatus::Stopped, None);
        return inner.repo.update_run(&run).map_err(storage);
    }
    if control.get() == Request::Interrupt {
        // The server is shutting down before the run began: it stays queued.
        return Ok(());
    }
    run.status = if control.get() == Request::Pause {
        RunStatus::Paused
    } else {
        RunStatus::Running
    };
    run.started_at.get_or_insert_with(Utc::now);
    run.error = None;
    inner.repo.update_run(&run).map_err(storage)?;
    slot.started.store(true, Ordering::Release);

    let (location, labels) = inner.inputs.data_of(&run)?;
    let data =
        dataset::load(&location, labels.as_ref()).map_err(|e| format!("could not read the data: {e}"))?;
    let drive = Drive {
        engine: inner.engine.as_ref(),
        repo: &inner.repo,
        store: &inner.store,
        control,
        intervals: Intervals {
            eval_every: inner.settings.eval_every.max(1),
            checkpoint_every: inner.settings.checkpoint_every.max(1),
        },
    };
    drive.train(&mut run, &data, job.resume).map_err(|e| e.0)?;
    Ok(())
}
