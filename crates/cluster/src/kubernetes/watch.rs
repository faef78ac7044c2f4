//! The watch on this executor's Jobs and pods (kube's runtime watcher: listed once,
//! then followed from the last resource version, listed again when the stream
//! breaks), and what the server records when a run's Job changes: a failed Job or a
//! pod that cannot start fails the run with the reason, a Job deleted behind the
//! server's back leaves its run interrupted (resumable from its last checkpoint).

use std::sync::Arc;

use common::RunId;
use futures_util::StreamExt;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::Pod;
use kube::runtime::watcher::{self, Event};
use kube::runtime::{WatchStreamExt, watcher as watch_of};
use runs::{RunRepo, RunStatus};

use super::manifest::{job_name, selector};
use super::observe::JobPhase;
use super::state::State;
use super::{Shared, lock};

/// One event of either watch (each lives only as long as it takes to record it).
#[allow(clippy::large_enum_variant)]
pub enum Seen {
    /// Of a Job.
    Job(Event<Job>),
    /// Of a pod.
    Pod(Event<Pod>),
}

/// Follows both watches until the executor is dropped.
pub async fn follow<R: RunRepo>(shared: Arc<Shared<R>>) {
    let config = watcher::Config::default().labels(&selector());
    let jobs = watch_of(shared.api.jobs.clone(), config.clone())
        .default_backoff()
        .map(|event| event.map(Seen::Job))
        .boxed();
    let pods = watch_of(shared.api.pods.clone(), config)
        .default_backoff()
        .map(|event| event.map(Seen::Pod))
        .boxed();
    let mut events = futures_util::stream::select(jobs, pods);
    while let Some(event) = events.next().await {
        match event {
            Ok(seen) => {
                let touched = apply(&mut lock(&shared.state), seen);
                for run in touched {
                    react(&shared, run).await;
                }
            }
            Err(error) => {
                tracing::warn!(%error, "watching the cluster's Jobs and pods");
                lock(&shared.state).last_error = Some(error.to_string());
            }
        }
    }
}

/// Records an event; returns the runs it may change.
pub fn apply(state: &mut State, seen: Seen) -> Vec<RunId> {
    match seen {
        Seen::Job(Event::Init) => {
            state.list_jobs();
            Vec::new()
        }
        Seen::Job(Event::InitDone) => state.listed_jobs(),
        Seen::Job(Event::InitApply(job) | Event::Apply(job)) => state.put_job(job).into_iter().collect(),
        Seen::Job(Event::Delete(job)) => state.drop_job(&job).into_iter().collect(),
        Seen::Pod(Event::Init) => {
            state.list_pods();
            Vec::new()
        }
        Seen::Pod(Event::InitDone) => state.listed_pods(),
        Seen::Pod(Event::InitApply(pod) | Event::Apply(pod)) => state.put_pod(pod).into_iter().collect(),
        Seen::Pod(Event::Delete(pod)) => state.drop_pod(&pod).into_iter().collect(),
    }
}

/// What a change of a run's Job means for the run record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to record.
    Nothing,
    /// Its Job is gone as this server asked: nothing more to drive.
    Gone,
    /// Its Job vanished (deleted by someone else) or ended without the worker's
    /// final report: the run is interrupted, resumable from its checkpoint.
    Interrupted,
    /// The run cannot go on: failed for `reason`; `delete` when its Job still exists
    /// (a pod that cannot start).
    Failed {
        /// For the run's error.
        reason: String,
        /// Whether the Job must be deleted.
        delete: bool,
    },
}

/// Decides what the run's Job now means, for runs this server drives.
pub fn outcome(state: &State, run: RunId) -> Outcome {
    if !state.driving.contains(&run) || !state.jobs_synced {
        return Outcome::Nothing;
    }
    let Some(job) = state.jobs.get(&run) else {
        return if state.deleting.contains(&run) {
            Outcome::Gone
        } else {
            Outcome::Interrupted
        };
    };
    let job_failed = job
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Failed" && c.status == "True"));
    match state.phase(run) {
        Some(JobPhase::Failed { reason }) => Outcome::Failed {
            reason,
            delete: !job_failed,
        },
        Some(JobPhase::Succeeded) => Outcome::Interrupted,
        _ => Outcome::Nothing,
    }
}

/// Records what the run's Job now means.
async fn react<R: RunRepo>(shared: &Arc<Shared<R>>, run: RunId) {
    let outcome = outcome(&lock(&shared.state), run);
    if outcome == Outcome::Nothing {
        return;
    }
    {
        let mut state = lock(&shared.state);
        state.driving.remove(&run);
        state.deleting.remove(&run);
    }
    let record = match outcome.clone() {
        Outcome::Failed { reason, delete } => {
            if delete {
                lock(&shared.state).deleting.insert(run);
                if let Err(error) = shared.api.delete_job(&job_name(run)).await {
                    tracing::warn!(%run, %error, "cannot delete the Job of a failed run");
                }
            }
            Some((RunStatus::Failed, Some(reason)))
        }
        Outcome::Interrupted => Some((RunStatus::Interrupted, None)),
        Outcome::Gone | Outcome::Nothing => None,
    };
    let Some((status, reason)) = record else { return };
    let shared = shared.clone();
    let settled = tokio::task::spawn_blocking(move || {
        shared.settle(run, |record| {
            if status == RunStatus::Failed {
                record.end(RunStatus::Failed, reason);
            } else {
                // Kept resumable: its token ends, its checkpoint stays.
                record.status = RunStatus::Interrupted;
                record.worker_key = None;
            }
        })
    })
    .await;
    match settled {
        Ok(Ok(true)) => tracing::info!(%run, ?outcome, "recorded what happened to the run's Job"),
        Ok(Ok(false)) => {}
        Ok(Err(error)) => tracing::warn!(%run, %error, "cannot record what happened to the run's Job"),
        Err(error) => tracing::warn!(%run, %error, "recording the run's Job failed"),
    }
}
