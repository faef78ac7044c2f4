//! The PyTorch engine on this machine: a run is the generated PyTorch script under
//! torchrun (`--standalone --nproc-per-node <workers>`, DistributedDataParallel with
//! gloo on the CPU), reporting to this server through the worker protocol like any
//! remote worker. At most a fixed number of runs train at once. Pause and stop are
//! requests the script honours at its next step boundary (it checkpoints, reports and
//! exits); a paused run has no process, and resuming it starts torchrun again from
//! the checkpoint. A server shutting down asks its scripts to interrupt (they
//! checkpoint, report interrupted and exit) for the next server to resume them.
//! Processes that end without the run ending fail it with their last words; none
//! outlives the server.

mod launch;
mod probe;

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use codegen::{Device, Engine, Execution};
use common::RunId;
use runs::{Request, Run, RunRepo, RunStatus};

pub use launch::{last_words, log_path, script_of};
pub use probe::{TorchInfo, probe};

use crate::executor::{EngineInfo, Executor, ExecutorError, Held, Launch, Refusal};
use crate::machine;
use crate::node::Node;
use crate::slots::TrainingSlots;
use crate::sync::{lock, wait, wait_until};

/// Settings of the PyTorch engine on this machine.
#[derive(Debug, Clone)]
pub struct TorchSettings {
    /// The Python with torch (`NETSMITH_PYTHON`).
    pub python: String,
    /// Runs training at the same time.
    pub runs: usize,
    /// The URL the script reaches this server at.
    pub server_url: String,
    /// Where each run's script and log go (`<folder>/<run id>/`).
    pub folder: PathBuf,
    /// The address the server listens on (the node's internal address).
    pub bind_ip: String,
}

enum Stage {
    /// Waiting for a slot.
    Queued,
    /// torchrun runs, in this process group.
    Launched(u32),
    /// Paused: no process; resuming starts one again.
    Held,
}

struct Slot {
    request: Request,
    stage: Stage,
    launch: launch::Launch,
}

struct Inner<R> {
    repo: R,
    settings: TorchSettings,
    torch: OnceLock<Result<TorchInfo, String>>,
    slots: Mutex<HashMap<RunId, Slot>>,
    queue: Mutex<VecDeque<RunId>>,
    queued: Condvar,
    training: Arc<TrainingSlots>,
    /// The server is shutting down: nothing starts any more.
    closing: AtomicBool,
}

/// Trains PyTorch runs under torchrun on this machine; cheap to clone.
pub struct TorchExecutor<R> {
    inner: Arc<Inner<R>>,
}

impl<R> Clone for TorchExecutor<R> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

fn storage(error: runs::RunRepoError) -> ExecutorError {
    ExecutorError::Unavailable(format!("run storage: {error}"))
}

impl<R: RunRepo> TorchExecutor<R> {
    /// Starts the threads that launch and watch torchrun.
    pub fn start(repo: R, settings: TorchSettings) -> Result<Self, ExecutorError> {
        let training = TrainingSlots::new(settings.runs);
        Self::start_sharing(repo, settings, training)
    }

    /// The same, its runs holding `training` slots shared with other executors of
    /// this machine while torchrun runs.
    pub fn start_sharing(
        repo: R,
        settings: TorchSettings,
        training: Arc<TrainingSlots>,
    ) -> Result<Self, ExecutorError> {
        let inner = Arc::new(Inner {
            training,
            repo,
            settings,
            torch: OnceLock::new(),
            slots: Mutex::new(HashMap::new()),
            queue: Mutex::new(VecDeque::new()),
            queued: Condvar::new(),
            closing: AtomicBool::new(false),
        });
        for index in 0..inner.settings.runs.max(1) {
            let inner = inner.clone();
            std::thread::Builder::new()
                .name(format!("torchrun-{index}"))
                .spawn(move || watch(&inner))
                .map_err(|e| ExecutorError::Unavailable(format!("starting a torchrun thread: {e}")))?;
        }
        Ok(Self { inner })
    }

    /// What the configured Python has, asked once.
    pub fn torch(&self) -> Result<&TorchInfo, &String> {
        self.inner
            .torch
            .get_or_init(|| probe(&self.inner.settings.python))
            .as_ref()
    }

    fn enqueue(&self, run: RunId) {
        lock(&self.inner.queue).push_back(run);
        self.inner.queued.notify_one();
    }
}

impl<R: RunRepo> Inner<R> {
    /// Applies `change` to the run unless it has ended.
    fn settle(&self, run: RunId, change: impl FnOnce(&mut Run)) -> Result<(), runs::RunRepoError> {
        if let Some(mut record) = self.repo.run_by_id(run)?
            && !record.status.is_final()
        {
            change(&mut record);
            self.repo.update_run(&record)?;
        }
        Ok(())
    }

    /// Ends a run that has no process: stopped, with the metrics of its last point.
    fn stop_idle(&self, run: RunId) -> Result<(), runs::RunRepoError> {
        let last = self.repo.points(run, None)?.pop();
        self.settle(run, |record| {
            if let Some(point) = last {
                record.final_accuracy = Some(point.accuracy);
                record.final_loss = Some(point.loss);
            }
            record.end(RunStatus::Stopped, None);
        })
    }
}

impl<R: RunRepo> Executor for TorchExecutor<R> {
    fn name(&self) -> &'static str {
        "torchrun"
    }

    fn submit(&self, run: &Run, launch: &Launch) -> Result<(), ExecutorError> {
        if self.inner.closing.load(Ordering::Acquire) {
            // Shutting down: the run stays queued for the next server.
            return Ok(());
        }
        let config = codegen::NetworkConfig::from_value(&run.config)
            .map_err(|e| ExecutorError::Unavailable(format!("the run's configuration: {e}")))?;
        let script =
            script_of(run).map_err(|e| ExecutorError::Unavailable(format!("the run's script: {e}")))?;
        lock(&self.inner.slots).insert(
            run.id,
            Slot {
                request: Request::Go,
                stage: Stage::Queued,
                launch: launch::Launch {
                    run: run.id,
                    token: launch.token.clone(),
                    script,
                    workers: config.execution.workers,
                    device: config.execution.device,
                },
            },
        );
        self.enqueue(run.id);
        Ok(())
    }

    fn status(&self, run: RunId) -> Option<Held> {
        lock(&self.inner.slots)
            .get(&run)
            .map(|slot| match (&slot.stage, slot.request) {
                (Stage::Held, _) | (Stage::Launched(_), Request::Pause) => Held::Paused,
                (Stage::Queued, _) => Held::Queued,
                (Stage::Launched(_), _) => Held::Training,
            })
    }

    fn pause(&self, run: RunId) -> Result<(), ExecutorError> {
        if let Some(slot) = asked(&mut lock(&self.inner.slots), run) {
            slot.request = Request::Pause;
        }
        Ok(())
    }

    /// A paused run is launched again (from its checkpoint), recorded running.
    fn resume(&self, run: RunId) -> Result<(), ExecutorError> {
        let relaunch = {
            let mut slots = lock(&self.inner.slots);
            let Some(slot) = asked(&mut slots, run) else {
                return Ok(());
            };
            slot.request = Request::Go;
            let held = matches!(slot.stage, Stage::Held);
            if held {
                slot.stage = Stage::Queued;
            }
            held
        };
        if relaunch {
            self.inner
                .settle(run, |record| {
                    if record.status == RunStatus::Paused {
                        record.status = RunStatus::Running;
                    }
                })
                .map_err(storage)?;
            self.enqueue(run);
        }
        Ok(())
    }

    /// A run at work ends itself with a checkpoint; one with no process ends now.
    fn stop(&self, run: RunId) -> Result<(), ExecutorError> {
        let idle = {
            let mut slots = lock(&self.inner.slots);
            let Some(slot) = asked(&mut slots, run) else {
                return Ok(());
            };
            slot.request = Request::Stop;
            let idle = !matches!(slot.stage, Stage::Launched(_));
            if idle {
                slots.remove(&run);
            }
            idle
        };
        if idle {
            self.inner.stop_idle(run).map_err(storage)?;
        }
        Ok(())
    }

    fn forget(&self, run: RunId) -> Result<(), ExecutorError> {
        if let Some(slot) = lock(&self.inner.slots).remove(&run)
            && let Stage::Launched(group) = slot.stage
        {
            launch::end(group);
        }
        Ok(())
    }

    fn requested(&self, run: RunId) -> Request {
        lock(&self.inner.slots)
            .get(&run)
            .map_or(Request::Stop, |slot| slot.request)
    }

    fn nodes(&self, runs: &[Run]) -> Result<Vec<Node>, ExecutorError> {
        Ok(vec![machine::this_machine(
            &self.inner.settings.bind_ip,
            self.inner.settings.runs.max(1),
            runs,
        )])
    }

    /// Scripts at work are asked to interrupt (each checkpoints, reports interrupted and
    /// exits at its next step boundary); runs waiting for a slot or paused without a
    /// process are let go at once, as they are recorded.
    fn shutdown(&self, deadline: Instant) -> Vec<RunId> {
        self.inner.closing.store(true, Ordering::Release);
        let held = {
            let mut slots = lock(&self.inner.slots);
            let held = slots.keys().copied().collect();
            slots.retain(|_, slot| {
                slot.request = Request::Interrupt;
                matches!(slot.stage, Stage::Launched(_))
            });
            held
        };
        wait_until(deadline, || lock(&self.inner.slots).is_empty());
        held
    }

    fn engines(&self) -> Vec<EngineInfo> {
        let torch = self.torch();
        let mut devices = vec![Device::Cpu.name()];
        if torch.is_ok_and(|t| t.cuda > 0) {
            devices.push(Device::Cuda.name());
        }
        vec![EngineInfo {
            name: Engine::Pytorch.name(),
            available: torch.is_ok(),
            reason: torch.err().cloned(),
            devices,
            max_workers: codegen::defaults::WORKERS_MAX,
        }]
    }

    fn can_run(&self, execution: &Execution) -> Result<(), Refusal> {
        let torch = self.torch().map_err(|reason| Refusal {
            field: "engine",
            reason: reason.clone(),
        })?;
        if execution.device == Device::Cuda && torch.cuda < execution.workers {
            return Err(Refusal {
                field: "device",
                reason: format!(
                    "This server has {} CUDA device(s) for PyTorch (torch {}); a cuda run needs one per worker.",
                    torch.cuda, torch.torch
                ),
            });
        }
        Ok(())
    }
}

/// The run's slot, if a user's request may still change what it does: an
/// interruption (the server shutting down) is final, as the built-in engine's is.
fn asked(slots: &mut HashMap<RunId, Slot>, run: RunId) -> Option<&mut Slot> {
    slots
        .get_mut(&run)
        .filter(|slot| slot.request != Request::Interrupt)
}

/// Takes queued runs and trains them, one at a time per thread.
fn watch<R: RunRepo>(inner: &Inner<R>) {
    loop {
        let run = {
            let mut queue = lock(&inner.queue);
            loop {
                if let Some(run) = queue.pop_front() {
                    break run;
                }
                queue = wait(&inner.queued, queue);
            }
        };
        let held = inner.training.take();
        if let Err(reason) = drive(inner, run) {
            tracing::warn!(%run, %reason, "a PyTorch run ended badly");
        }
        drop(held);
    }
}

/// Launches the run (unless it was paused or stopped while it waited), waits for
/// torchrun, and settles what the script did not.
fn drive<R: RunRepo>(inner: &Inner<R>, run: RunId) -> Result<(), String> {
    let storage = |e: runs::RunRepoError| format!("storage: {e}");
    let launch = {
        let mut slots = lock(&inner.slots);
        let Some(slot) = slots.get_mut(&run) else {
            return Ok(());
        };
        match slot.request {
            Request::Pause => {
                slot.stage = Stage::Held;
                return Ok(());
            }
            Request::Stop => {
                slots.remove(&run);
                drop(slots);
                return inner.stop_idle(run).map_err(storage);
            }
            Request::Go => slot.launch.clone(),
            // The server is shutting down before torchrun began: the run stays queued.
            Request::Interrupt => {
                slots.remove(&run);
                return Ok(());
            }
        }
    };
    let root = &inner.settings.folder;
    let (mut child, log): (Child, _) =
        match launch::start(&inner.settings.python, root, &inner.settings.server_url, &launch) {
            Ok(started) => started,
            Err(error) => {
                lock(&inner.slots).remove(&run);
                let reason = format!("torchrun could not be started: {error}");
                inner
                    .settle(run, |record| record.end(RunStatus::Failed, Some(reason.clone())))
                    .map_err(storage)?;
                return Err(reason);
            }
        };
    let group = child.id();
    tracing::info!(%run, pid = group, workers = launch.workers, "torchrun started");
    match lock(&inner.slots).get_mut(&run) {
        Some(slot) => slot.stage = Stage::Launched(group),
        // Forgotten while it started.
        None => launch::end(group),
    }
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(_) => break None,
        }
    };
    log.finish();
    tracing::info!(%run, ?status, "torchrun ended");
    let Some(record) = inner.repo.run_by_id(run).map_err(storage)? else {
        lock(&inner.slots).remove(&run);
        return Ok(());
    };
    let mut slots = lock(&inner.slots);
    let request = slots.get(&run).map(|slot| slot.request);
    match record.status {
        // Asked to interrupt by a server shutting down: its checkpoint is kept, and the
        // shutdown hands the run over.
        _ if request == Some(Request::Interrupt) => {
            slots.remove(&run);
            Ok(())
        }
        RunStatus::Paused if request.is_some() => {
            // Resumed while it was pausing: start again at once.
            let resume = request == Some(Request::Go);
            if let Some(slot) = slots.get_mut(&run) {
                slot.stage = if resume { Stage::Queued } else { Stage::Held };
            }
            drop(slots);
            if resume {
                lock(&inner.queue).push_back(run);
                inner.queued.notify_one();
            }
            Ok(())
        }
        status if status.is_final() => {
            slots.remove(&run);
            Ok(())
        }
        _ if request.is_none() => Ok(()),
        _ => {
            slots.remove(&run);
            drop(slots);
            let code = status.map_or_else(|| "unknown".to_owned(), |s| s.to_string());
            let words = last_words(root, run).unwrap_or_else(|| "no output".to_owned());
            let reason = format!("The PyTorch workers ended before the run did ({code}): {words}");
            inner
                .settle(run, |record| record.end(RunStatus::Failed, Some(reason.clone())))
                .map_err(storage)?;
            Err(reason)
        }
    }
}
