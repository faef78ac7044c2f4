//! The Kubernetes executor: each run becomes a `batch/v1` Job running this project's
//! image as `netsmith worker --run <id> --server <url>`, which trains and reports
//! over HTTP exactly as a process worker does. Pause is the worker holding at a
//! checkpoint and then the Job suspended; resume unsuspends it (the new pod continues
//! from the checkpoint); stop is the worker ending with a checkpoint and then the Job
//! deleted. A watch on the Jobs and their pods records failures with their reasons
//! and Jobs deleted behind the server's back; after a restart the watch lists the
//! Jobs again and the server takes over those that still run.
//!
//! kube is asynchronous and the [`Executor`] seam is not: the executor keeps its own
//! small runtime on a thread of its own and waits for each call it makes there.

mod api;
mod manifest;
mod nodes;
mod observe;
mod quantity;
mod settings;
mod state;
mod watch;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::RunId;
use kube::Client;
use runs::{Request, Run, RunRepo, RunRepoError, RunStatus};
use tokio::runtime::Handle;

pub use api::ClusterApi;
pub use manifest::{
    CONTAINER, LAUNCH_ANNOTATION, MANAGED_BY, OWNER_LABEL, RENDEZVOUS_PORT, RUN_LABEL, TOKEN_VARIABLE, job,
    job_name, launch_of, selector, torch_job, torch_service,
};
pub use nodes::{node_view, nodes_view};
pub use observe::{JobPhase, observe};
pub use settings::KubernetesSettings;
pub use state::State;
pub use watch::{Outcome, Seen, apply, outcome};

use crate::executor::{EngineInfo, Executor, ExecutorError, Held, Launch, Placement, Refusal};
use crate::node::Node;
use crate::sync::lock;

/// Why PyTorch runs cannot go to this cluster.
const NO_TORCH_IMAGE: &str = "PyTorch runs on this cluster need an image with torch: set NETSMITH_KUBERNETES_TORCH_IMAGE (deploy/Dockerfile --target torch).";

/// How long a call to the Kubernetes API may take before the executor gives up.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// How long start-up waits for the first listing of Jobs and pods.
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);

fn unavailable(error: impl std::fmt::Display) -> ExecutorError {
    ExecutorError::Unavailable(format!("Kubernetes: {error}"))
}

/// What the executor shares with its watch.
pub struct Shared<R> {
    repo: R,
    settings: KubernetesSettings,
    api: ClusterApi,
    runtime: Handle,
    state: Mutex<State>,
}

impl<R: RunRepo> Shared<R> {
    /// Applies `change` to the run unless it has ended; whether it did.
    fn settle(&self, run: RunId, change: impl FnOnce(&mut Run)) -> Result<bool, RunRepoError> {
        match self.repo.run_by_id(run)? {
            Some(mut record) if !record.status.is_final() => {
                change(&mut record);
                self.repo.update_run(&record)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Runs `call` on the executor's runtime and waits for its answer.
    fn call<T: Send + 'static>(
        &self,
        call: impl Future<Output = Result<T, kube::Error>> + Send + 'static,
    ) -> Result<T, ExecutorError> {
        wait(&self.runtime, call)?.map_err(unavailable)
    }

    /// Starts `call` on the executor's runtime without waiting; failures are logged.
    fn spawn(
        &self,
        what: &'static str,
        run: RunId,
        call: impl Future<Output = Result<(), kube::Error>> + Send + 'static,
    ) {
        self.runtime.spawn(async move {
            if let Err(error) = call.await {
                tracing::warn!(%run, %error, "cannot {what}");
            }
        });
    }

    /// Suspends the run's Job without waiting, keeping the Job as patched.
    fn suspend_later(self: &Arc<Self>, run: RunId) {
        let shared = self.clone();
        self.runtime.spawn(async move {
            match shared.api.suspend(&job_name(run), true).await {
                Ok(job) => {
                    lock(&shared.state).put_job(job);
                }
                Err(error) => tracing::warn!(%run, %error, "cannot suspend the Job of a paused run"),
            }
        });
    }
}

/// Runs `work` on `runtime` and waits (from a thread outside it) for its output.
fn wait<T: Send + 'static>(
    runtime: &Handle,
    work: impl Future<Output = T> + Send + 'static,
) -> Result<T, ExecutorError> {
    let (answer, answered) = std::sync::mpsc::sync_channel(1);
    runtime.spawn(async move {
        let _ = answer.send(work.await);
    });
    answered
        .recv_timeout(CALL_TIMEOUT)
        .map_err(|_| unavailable("the API did not answer in time"))
}

/// A runtime of its own on a thread that lives as long as the process.
fn own_runtime() -> Result<Handle, ExecutorError> {
    let (handle, made) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("kubernetes".into())
        .spawn(
            move || match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => {
                    let _ = handle.send(Ok(runtime.handle().clone()));
                    runtime.block_on(std::future::pending::<()>());
                }
                Err(error) => {
                    let _ = handle.send(Err(error));
                }
            },
        )
        .map_err(|e| unavailable(format!("starting its thread: {e}")))?;
    made.recv()
        .map_err(|_| unavailable("its runtime did not start"))?
        .map_err(|e| unavailable(format!("starting its runtime: {e}")))
}

/// Trains runs as Kubernetes Jobs; cheap to clone.
pub struct KubernetesExecutor<R> {
    shared: Arc<Shared<R>>,
}

impl<R> Clone for KubernetesExecutor<R> {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
        }
    }
}

impl<R: RunRepo> KubernetesExecutor<R> {
    /// Connects with the kubeconfig (`KUBECONFIG`, `~/.kube/config`) or, inside a
    /// pod, its service account; watches the namespace's worker Jobs and waits for
    /// their first listing.
    pub fn start(repo: R, settings: KubernetesSettings) -> Result<Self, ExecutorError> {
        let runtime = own_runtime()?;
        let (client, namespace) = wait(&runtime, async {
            let config = kube::Config::infer().await.map_err(unavailable)?;
            let namespace = config.default_namespace.clone();
            let client = Client::try_from(config).map_err(unavailable)?;
            Ok::<_, ExecutorError>((client, namespace))
        })??;
        Self::with_client(repo, settings, runtime, client, &namespace)
    }

    /// The same with a client made elsewhere (its default namespace unless the
    /// settings name one), on `runtime`.
    pub fn with_client(
        repo: R,
        settings: KubernetesSettings,
        runtime: Handle,
        client: Client,
        default_namespace: &str,
    ) -> Result<Self, ExecutorError> {
        let namespace = settings
            .namespace
            .clone()
            .unwrap_or_else(|| default_namespace.to_owned());
        tracing::info!(%namespace, image = %settings.image, "running runs as Kubernetes Jobs");
        let shared = Arc::new(Shared {
            repo,
            api: ClusterApi::new(client, &namespace),
            settings,
            runtime: runtime.clone(),
            state: Mutex::new(State::default()),
        });
        runtime.spawn(watch::follow(shared.clone()));
        let started = Instant::now();
        loop {
            let last_error = {
                let state = lock(&shared.state);
                if state.jobs_synced && state.pods_synced {
                    break;
                }
                state.last_error.clone()
            };
            if started.elapsed() > SYNC_TIMEOUT {
                return Err(unavailable(format!(
                    "cannot list the Jobs and pods of namespace {namespace}: {}",
                    last_error.as_deref().unwrap_or("no answer")
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(Self { shared })
    }

    /// The phase of the run's Job, as last seen.
    pub fn phase(&self, run: RunId) -> Option<JobPhase> {
        lock(&self.shared.state).phase(run)
    }

    fn delete(&self, run: RunId) -> Result<(), ExecutorError> {
        lock(&self.shared.state).deleting.insert(run);
        let api = self.shared.api.clone();
        self.shared
            .call(async move { api.delete_job(&job_name(run)).await })
    }

    /// Records the run as `to` if it is `from` (the executor speaks for a run with
    /// no worker at work).
    fn record(&self, run: RunId, from: RunStatus, to: RunStatus) -> Result<(), ExecutorError> {
        self.shared
            .settle(run, |record| {
                if record.status == from {
                    record.status = to;
                }
            })
            .map(|_| ())
            .map_err(|e| ExecutorError::Unavailable(format!("recording the run as {}: {e}", to.as_str())))
    }

    /// Suspends or resumes the run's Job, and keeps the Job as patched (the watch
    /// tells the same a moment later).
    fn suspend(&self, run: RunId, suspend: bool) -> Result<(), ExecutorError> {
        let api = self.shared.api.clone();
        let job = self
            .shared
            .call(async move { api.suspend(&job_name(run), suspend).await })?;
        lock(&self.shared.state).put_job(job);
        Ok(())
    }
}

impl<R: RunRepo> Executor for KubernetesExecutor<R> {
    fn name(&self) -> &'static str {
        "kubernetes"
    }

    fn submit(&self, run: &Run, launch: &Launch) -> Result<(), ExecutorError> {
        let settings = &self.shared.settings;
        let execution = codegen::NetworkConfig::from_value(&run.config)
            .map_err(unavailable)?
            .execution;
        let (job, service) = match (execution.engine, &settings.torch_image) {
            (codegen::Engine::Builtin, _) => (job(run, &launch.token, settings).map_err(unavailable)?, None),
            (codegen::Engine::Pytorch, Some(image)) => (
                torch_job(run, &launch.token, settings, &execution, image).map_err(unavailable)?,
                Some(torch_service(run).map_err(unavailable)?),
            ),
            (codegen::Engine::Pytorch, None) => {
                return Err(unavailable("no image for PyTorch runs is set"));
            }
        };
        {
            let mut state = lock(&self.shared.state);
            state.launches.insert(run.id, launch_of(run));
            state.jobs.remove(&run.id);
            state.pods.remove(&run.id);
            state.deleting.remove(&run.id);
            state.requests.insert(run.id, Request::Go);
            state.driving.insert(run.id);
        }
        let api = self.shared.api.clone();
        let created = self.shared.call(async move {
            let job = api.create_job(&job).await?;
            if let Some(service) = service {
                api.create_service(&service, &job).await?;
            }
            Ok(job)
        });
        let mut state = lock(&self.shared.state);
        match created {
            Ok(job) => {
                tracing::info!(run = %run.id, job = %job_name(run.id), "Job created");
                state.created.insert(run.id, Instant::now());
                if !state.jobs.contains_key(&run.id) {
                    state.put_job(job);
                }
                Ok(())
            }
            Err(error) => {
                state.driving.remove(&run.id);
                Err(error)
            }
        }
    }

    fn engines(&self) -> Vec<EngineInfo> {
        let torch = &self.shared.settings.torch_image;
        vec![
            EngineInfo {
                name: codegen::Engine::Builtin.name(),
                available: true,
                reason: None,
                devices: vec![codegen::Device::Cpu.name()],
                max_workers: 1,
            },
            EngineInfo {
                name: codegen::Engine::Pytorch.name(),
                available: torch.is_some(),
                reason: torch.is_none().then(|| NO_TORCH_IMAGE.to_owned()),
                devices: vec![codegen::Device::Cpu.name(), codegen::Device::Cuda.name()],
                max_workers: codegen::defaults::WORKERS_MAX,
            },
        ]
    }

    /// Either engine, as Jobs; a PyTorch run needs an image with torch.
    fn can_run(&self, execution: &codegen::Execution) -> Result<(), Refusal> {
        if execution.engine == codegen::Engine::Pytorch && self.shared.settings.torch_image.is_none() {
            return Err(Refusal {
                field: "engine",
                reason: NO_TORCH_IMAGE.to_owned(),
            });
        }
        Ok(())
    }

    fn status(&self, run: RunId) -> Option<Held> {
        match self.phase(run)? {
            JobPhase::Suspended => Some(Held::Paused),
            JobPhase::Running { .. } => Some(Held::Training),
            JobPhase::Pending { .. } => Some(Held::Queued),
            JobPhase::Succeeded | JobPhase::Failed { .. } => None,
        }
    }

    fn placement(&self, run: RunId) -> Option<Placement> {
        let (phase, detail, pod, node) = match self.phase(run)? {
            JobPhase::Pending { stage } => ("pending", Some(stage), None, None),
            JobPhase::Running { pod, node } => ("training", None, Some(pod), Some(node)),
            JobPhase::Suspended => ("paused", Some("the Job is suspended".to_owned()), None, None),
            JobPhase::Succeeded | JobPhase::Failed { .. } => return None,
        };
        Some(Placement {
            executor: self.name(),
            phase: phase.to_owned(),
            detail: Some(match detail {
                Some(detail) => format!("Job {}: {detail}", job_name(run)),
                None => format!("Job {}", job_name(run)),
            }),
            pod,
            node,
        })
    }

    /// A run with a worker at work holds at its next step boundary, checkpoints and
    /// says so, and its Job is suspended then (see [`Executor::reported`]); a Job with
    /// no worker at work yet is suspended at once and its run recorded paused.
    fn pause(&self, run: RunId) -> Result<(), ExecutorError> {
        let phase = {
            let mut state = lock(&self.shared.state);
            state.requests.insert(run, Request::Pause);
            state.phase(run)
        };
        // Only a running pod has a worker to hold; a Job seen suspended may be one
        // this server has just resumed (the watch tells a moment later).
        if !matches!(phase, Some(JobPhase::Pending { .. } | JobPhase::Suspended)) {
            return Ok(());
        }
        self.suspend(run, true)?;
        self.record(run, RunStatus::Running, RunStatus::Paused)
    }

    /// Unsuspends the Job: a new pod continues from the run's checkpoint (its
    /// placement says `pending` until that pod runs).
    fn resume(&self, run: RunId) -> Result<(), ExecutorError> {
        let phase = {
            let mut state = lock(&self.shared.state);
            state.requests.insert(run, Request::Go);
            state.phase(run)
        };
        if phase != Some(JobPhase::Suspended) {
            return Ok(());
        }
        self.suspend(run, false)?;
        self.record(run, RunStatus::Paused, RunStatus::Running)
    }

    /// A worker at work ends the run itself with a checkpoint (its Job is deleted
    /// then); a suspended or pending Job is deleted now and its run ends stopped with
    /// the metrics of its last point.
    fn stop(&self, run: RunId) -> Result<(), ExecutorError> {
        let phase = {
            let mut state = lock(&self.shared.state);
            state.requests.insert(run, Request::Stop);
            state.phase(run)
        };
        // A paused worker has its checkpoint stored and is being suspended away: the
        // run ends here, whatever its pod is doing.
        let paused = self
            .shared
            .repo
            .run_by_id(run)
            .map_err(|e| ExecutorError::Unavailable(format!("reading the run: {e}")))?
            .is_some_and(|record| record.status == RunStatus::Paused);
        if matches!(phase, Some(JobPhase::Running { .. })) && !paused {
            return Ok(());
        }
        self.delete(run)?;
        let last = self
            .shared
            .repo
            .points(run, None)
            .map_err(|e| ExecutorError::Unavailable(format!("reading the run's points: {e}")))?
            .pop();
        self.shared
            .settle(run, |record| {
                if let Some(point) = last {
                    record.final_accuracy = Some(point.accuracy);
                    record.final_loss = Some(point.loss);
                }
                record.end(RunStatus::Stopped, None);
            })
            .map_err(|e| ExecutorError::Unavailable(format!("recording the stop: {e}")))?;
        Ok(())
    }

    /// Deletes the Job of a run whose model is gone. Best effort: should the API be
    /// unreachable, the worker finds its token refused, exits, and the Job's
    /// time-to-live removes it.
    fn forget(&self, run: RunId) -> Result<(), ExecutorError> {
        lock(&self.shared.state).driving.remove(&run);
        if let Err(error) = self.delete(run) {
            tracing::warn!(%run, %error, "cannot delete the Job of a deleted model's run");
        }
        Ok(())
    }

    fn requested(&self, run: RunId) -> Request {
        lock(&self.shared.state)
            .requests
            .get(&run)
            .copied()
            .unwrap_or(Request::Go)
    }

    fn nodes(&self, runs: &[Run]) -> Result<Vec<Node>, ExecutorError> {
        let api = self.shared.api.clone();
        let (nodes, pods) = self.shared.call(async move { api.nodes_and_pods().await })?;
        let statuses: HashMap<RunId, String> = runs
            .iter()
            .map(|run| (run.id, run.status.as_str().to_owned()))
            .collect();
        Ok(nodes_view(&nodes, &pods, &statuses))
    }

    fn adopt(&self, run: RunId) -> bool {
        let mut state = lock(&self.shared.state);
        if !state.live(run) {
            return false;
        }
        state.driving.insert(run);
        if state.phase(run) == Some(JobPhase::Suspended) {
            state.requests.insert(run, Request::Pause);
        }
        true
    }

    fn release(&self, run: RunId) -> Result<(), ExecutorError> {
        lock(&self.shared.state).driving.remove(&run);
        Ok(())
    }

    /// A worker that holds paused has its checkpoint stored: its Job is suspended. A
    /// worker that reported its run stopped is done: its Job is deleted.
    fn reported(&self, run: &Run) {
        let id = run.id;
        let phase = lock(&self.shared.state).phase(id);
        let api = self.shared.api.clone();
        match (run.status, phase) {
            (RunStatus::Paused, Some(JobPhase::Running { .. } | JobPhase::Pending { .. })) => {
                self.shared.suspend_later(id);
            }
            // A worker that started as its Job was being suspended: it is going away.
            (RunStatus::Running, Some(JobPhase::Suspended)) => {
                if let Err(error) = self.record(id, RunStatus::Running, RunStatus::Paused) {
                    tracing::warn!(run = %id, %error, "cannot record a suspended run as paused");
                }
            }
            (RunStatus::Stopped, Some(_)) => {
                lock(&self.shared.state).deleting.insert(id);
                self.shared
                    .spawn("delete the Job of a stopped run", id, async move {
                        api.delete_job(&job_name(id)).await
                    });
            }
            _ => {}
        }
    }
}
