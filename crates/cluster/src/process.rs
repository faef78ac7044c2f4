//! The process executor: each run trains in a `netsmith worker` subprocess on this
//! machine, reporting to this server over HTTP exactly as a Kubernetes worker would. A
//! fixed number of runs train at once; a worker that crashes (or loses the server) is
//! started again, continuing from the run's checkpoint, a few times before the run is
//! left interrupted; a worker that cannot use its configuration fails its run.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use common::{RunId, UserId};
use runs::{Control, Request, Run, RunRepo, RunStatus};

use crate::executor::{Executor, ExecutorError, Held, Launch};
use crate::machine;
use crate::node::Node;
use crate::slots::TrainingSlots;
use crate::sync::{interrupt_all, lock, wait};
use crate::worker::WorkerExit;

/// Settings of the worker processes.
#[derive(Debug, Clone)]
pub struct ProcessSettings {
    /// Runs training at the same time.
    pub workers: usize,
    /// The program and its first arguments; `worker --run <id> --server <url>` follow.
    pub command: Vec<String>,
    /// The URL workers reach this server at.
    pub server_url: String,
    /// How often a crashed worker is started again before the run is left interrupted.
    pub restarts: u32,
    /// The address the server listens on (the node's internal address).
    pub bind_ip: String,
}

impl ProcessSettings {
    /// This very program as the worker.
    pub fn this_program() -> Vec<String> {
        std::env::current_exe()
            .map(|path| vec![path.to_string_lossy().into_owned()])
            .unwrap_or_else(|_| vec!["netsmith".to_owned()])
    }
}

struct Job {
    owner: UserId,
    run: RunId,
    token: String,
}

/// A run this executor holds.
struct Slot {
    control: Arc<Control>,
    started: bool,
}

struct Inner<R> {
    repo: R,
    settings: ProcessSettings,
    slots: Mutex<HashMap<RunId, Slot>>,
    queue: Mutex<VecDeque<Job>>,
    queued: Condvar,
    training: Arc<TrainingSlots>,
    /// Set by [`Executor::shutdown`]: runs submitted from then on never start.
    closing: AtomicBool,
}

/// Trains runs in worker subprocesses; cheap to clone.
pub struct ProcessExecutor<R> {
    inner: Arc<Inner<R>>,
}

impl<R> Clone for ProcessExecutor<R> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<R: RunRepo> ProcessExecutor<R> {
    /// Starts the threads that start and watch workers (runs a previous stop cut off
    /// are found by the leases of [`crate::Replicated`]).
    pub fn start(repo: R, settings: ProcessSettings) -> Result<Self, ExecutorError> {
        let training = TrainingSlots::new(settings.workers);
        Self::start_sharing(repo, settings, training)
    }

    /// The same, its runs holding `training` slots shared with other executors of
    /// this machine while they train.
    pub fn start_sharing(
        repo: R,
        settings: ProcessSettings,
        training: Arc<TrainingSlots>,
    ) -> Result<Self, ExecutorError> {
        let inner = Arc::new(Inner {
            training,
            repo,
            settings,
            slots: Mutex::new(HashMap::new()),
            queue: Mutex::new(VecDeque::new()),
            queued: Condvar::new(),
            closing: AtomicBool::new(false),
        });
        for index in 0..inner.settings.workers.max(1) {
            let inner = inner.clone();
            std::thread::Builder::new()
                .name(format!("worker-{index}"))
                .spawn(move || watch(&inner))
                .map_err(|e| ExecutorError::Unavailable(format!("starting a worker thread: {e}")))?;
        }
        Ok(Self { inner })
    }

    fn set(&self, run: RunId, request: Request) {
        if let Some(slot) = lock(&self.inner.slots).get(&run) {
            slot.control.set(request);
        }
    }
}

impl<R: RunRepo> Executor for ProcessExecutor<R> {
    fn name(&self) -> &'static str {
        "process"
    }

    fn submit(&self, run: &Run, launch: &Launch) -> Result<(), ExecutorError> {
        let control = Arc::new(Control::default());
        if self.inner.closing.load(Ordering::Acquire) {
            control.set(Request::Interrupt);
        }
        lock(&self.inner.slots).insert(
            run.id,
            Slot {
                control,
                started: false,
            },
        );
        lock(&self.inner.queue).push_back(Job {
            owner: run.owner,
            run: run.id,
            token: launch.token.clone(),
        });
        self.inner.queued.notify_one();
        Ok(())
    }

    fn status(&self, run: RunId) -> Option<Held> {
        let slots = lock(&self.inner.slots);
        let slot = slots.get(&run)?;
        Some(match (slot.control.get(), slot.started) {
            (Request::Pause, _) => Held::Paused,
            (_, true) => Held::Training,
            (_, false) => Held::Queued,
        })
    }

    fn pause(&self, run: RunId) -> Result<(), ExecutorError> {
        self.set(run, Request::Pause);
        Ok(())
    }

    fn resume(&self, run: RunId) -> Result<(), ExecutorError> {
        self.set(run, Request::Go);
        Ok(())
    }

    fn stop(&self, run: RunId) -> Result<(), ExecutorError> {
        self.set(run, Request::Stop);
        Ok(())
    }

    fn forget(&self, run: RunId) -> Result<(), ExecutorError> {
        self.set(run, Request::Stop);
        Ok(())
    }

    fn requested(&self, run: RunId) -> Request {
        lock(&self.inner.slots)
            .get(&run)
            .map_or(Request::Go, |slot| slot.control.get())
    }

    fn nodes(&self, runs: &[Run]) -> Result<Vec<Node>, ExecutorError> {
        Ok(vec![machine::this_machine(
            &self.inner.settings.bind_ip,
            self.inner.settings.workers.max(1),
            runs,
        )])
    }

    fn shutdown(&self, deadline: Instant) -> Vec<RunId> {
        self.inner.closing.store(true, Ordering::Release);
        // Workers read it at their next poll, checkpoint and report interrupted.
        interrupt_all(&self.inner.slots, |slot| &slot.control, deadline)
    }
}

fn watch<R: RunRepo>(inner: &Inner<R>) {
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
        if let Err(reason) = drive(inner, &job) {
            tracing::warn!(run = %job.run, %reason, "worker ended the run");
        }
        drop(held);
        lock(&inner.slots).remove(&job.run);
    }
}

/// Runs the job's worker (again, while it crashes and restarts are left) and settles
/// the run's status when the worker could not.
fn drive<R: RunRepo>(inner: &Inner<R>, job: &Job) -> Result<(), String> {
    let storage = |e: runs::RunRepoError| format!("storage: {e}");
    let before_start = lock(&inner.slots).get(&job.run).map(|slot| slot.control.get());
    match before_start {
        Some(Request::Stop) => {
            return settle(inner, job, |run| run.end(RunStatus::Stopped, None)).map_err(storage);
        }
        // The server is shutting down before the run began: it stays queued.
        Some(Request::Interrupt) => return Ok(()),
        _ => {}
    }
    if let Some(slot) = lock(&inner.slots).get_mut(&job.run) {
        slot.started = true;
    }
    let mut restarts = inner.settings.restarts;
    loop {
        let exit =
            run_worker_process(&inner.settings, job).map_err(|e| format!("cannot start the worker: {e}"));
        let exit = match exit {
            Ok(exit) => exit,
            Err(reason) => {
                settle(inner, job, |run| run.end(RunStatus::Failed, Some(reason.clone())))
                    .map_err(storage)?;
                return Err(reason);
            }
        };
        let request = lock(&inner.slots).get(&job.run).map(|slot| slot.control.get());
        let stopping = request == Some(Request::Stop);
        // Shutting down: whatever the worker managed, the server hands the run over.
        let interrupting = request == Some(Request::Interrupt);
        match exit {
            Some(WorkerExit::Finished) => return Ok(()),
            Some(WorkerExit::BadConfiguration) => {
                let reason = "the worker could not use the run's configuration or data".to_owned();
                settle(inner, job, |run| run.end(RunStatus::Failed, Some(reason.clone())))
                    .map_err(storage)?;
                return Err(reason);
            }
            _ if interrupting => return Ok(()),
            _ if stopping => {
                settle(inner, job, |run| run.end(RunStatus::Stopped, None)).map_err(storage)?;
                return Ok(());
            }
            _ if restarts > 0 => {
                restarts -= 1;
                tracing::warn!(run = %job.run, restarts_left = restarts, "worker died; starting it again");
                std::thread::sleep(Duration::from_millis(200));
            }
            _ => {
                settle(inner, job, |run| run.status = RunStatus::Interrupted).map_err(storage)?;
                return Err("the worker kept dying; the run can be resumed from its checkpoint".into());
            }
        }
    }
}

/// Applies `change` to the run unless it has ended already (the worker's report wins).
fn settle<R: RunRepo>(
    inner: &Inner<R>,
    job: &Job,
    change: impl FnOnce(&mut Run),
) -> Result<(), runs::RunRepoError> {
    if let Some(mut run) = inner.repo.run(job.owner, job.run)?
        && !run.status.is_final()
    {
        change(&mut run);
        inner.repo.update_run(&run)?;
    }
    Ok(())
}

/// Starts the worker and waits for it; `None` when it died of a signal or ended with
/// an unknown code.
fn run_worker_process(settings: &ProcessSettings, job: &Job) -> std::io::Result<Option<WorkerExit>> {
    let (program, prefix) = settings
        .command
        .split_first()
        .ok_or_else(|| std::io::Error::other("no worker command"))?;
    let mut child: Child = Command::new(PathBuf::from(program))
        .args(prefix)
        .args([
            "worker",
            "--run",
            &job.run.to_string(),
            "--server",
            &settings.server_url,
            "--exit-with-parent",
        ])
        .env("NETSMITH_RUN_TOKEN", &job.token)
        .spawn()?;
    tracing::info!(run = %job.run, pid = child.id(), "worker started");
    let status = child.wait()?;
    tracing::info!(run = %job.run, ?status, "worker ended");
    Ok(WorkerExit::of_code(status.code()))
}
