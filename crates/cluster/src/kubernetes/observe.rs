//! Where a run's Job is, read from the Job and its pods as the watch delivers them:
//! waiting for a pod, pulling, running, suspended (paused), succeeded, or failed with
//! the reason a person can act on (`ImagePullBackOff`, `OOMKilled`,
//! `BackoffLimitExceeded`, `DeadlineExceeded`, an eviction).

use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ContainerStateTerminated, Pod};

use crate::worker::WorkerExit;

/// Waiting reasons after which a pod will not start without a person's help: the run
/// fails instead of waiting for its deadline.
const STUCK: [&str; 5] = [
    "ImagePullBackOff",
    "ErrImagePull",
    "InvalidImageName",
    "CreateContainerConfigError",
    "CreateContainerError",
];

/// A Job's state as the executor acts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobPhase {
    /// No pod is running yet: not scheduled, scheduled, pulling or starting (`stage`
    /// says which).
    Pending {
        /// e.g. `waiting for a pod`, `Unschedulable: 0/3 nodes are available`,
        /// `ContainerCreating`.
        stage: String,
    },
    /// A worker pod runs on `node`.
    Running {
        /// The pod.
        pod: String,
        /// Its node.
        node: String,
    },
    /// Suspended: the run is paused, no pod runs.
    Suspended,
    /// Every pod it needed succeeded.
    Succeeded,
    /// The Job failed, or its pod cannot start; `reason` goes into the run's error.
    Failed {
        /// For people, starting with Kubernetes' own reason word.
        reason: String,
    },
}

fn condition_true<'a>(job: &'a Job, kind: &str) -> Option<&'a k8s_openapi::api::batch::v1::JobCondition> {
    job.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == kind && c.status == "True")
}

/// An Indexed Job pod's index (0 for any other pod).
fn completion_index(pod: &Pod) -> u64 {
    pod.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("batch.kubernetes.io/job-completion-index"))
        .and_then(|i| i.parse().ok())
        .unwrap_or(0)
}

fn phase_of(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending")
}

fn created(pod: &Pod) -> Option<&k8s_openapi::jiff::Timestamp> {
    pod.metadata.creation_timestamp.as_ref().map(|t| &t.0)
}

/// The worker container's termination, current or last.
fn terminated(pod: &Pod) -> Option<&ContainerStateTerminated> {
    let statuses = pod.status.as_ref()?.container_statuses.as_ref()?;
    statuses.iter().find_map(|status| {
        let now = status.state.as_ref().and_then(|s| s.terminated.as_ref());
        let last = status.last_state.as_ref().and_then(|s| s.terminated.as_ref());
        now.or(last)
    })
}

/// What ended a failed pod, for people: an eviction, `OOMKilled`, a bad
/// configuration, or the exit code.
fn pod_failure(pod: &Pod) -> Option<String> {
    let status = pod.status.as_ref()?;
    if status.reason.as_deref() == Some("Evicted") {
        let message = status
            .message
            .as_deref()
            .unwrap_or("the node ran short of a resource");
        return Some(format!("Evicted: {message}"));
    }
    let ended = terminated(pod)?;
    if ended.exit_code == 0 {
        return None;
    }
    let code = ended.exit_code;
    Some(match ended.reason.as_deref() {
        Some("OOMKilled") => format!("OOMKilled: the worker ran out of its memory limit (exit code {code})"),
        _ if code == i32::from(WorkerExit::BadConfiguration.code()) => {
            format!("the worker could not use the run's configuration or data (exit code {code})")
        }
        Some(reason) if reason != "Error" => format!("{reason} (exit code {code})"),
        _ => format!("the worker exited with code {code}"),
    })
}

/// Why a pending pod cannot start, if it cannot.
fn stuck(pod: &Pod) -> Option<String> {
    let statuses = pod.status.as_ref()?.container_statuses.as_ref()?;
    statuses.iter().find_map(|status| {
        let waiting = status.state.as_ref()?.waiting.as_ref()?;
        let reason = waiting.reason.as_deref()?;
        STUCK.contains(&reason).then(|| match &waiting.message {
            Some(message) => format!("{reason}: {message}"),
            None => reason.to_owned(),
        })
    })
}

/// What a pending pod is doing: unschedulable, or its containers' waiting reason.
fn pending_stage(pod: &Pod) -> String {
    let status = pod.status.as_ref();
    let unschedulable = status
        .and_then(|s| s.conditions.as_ref())
        .and_then(|conditions| {
            conditions
                .iter()
                .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        })
        .map(|c| {
            let reason = c.reason.as_deref().unwrap_or("Unschedulable");
            match &c.message {
                Some(message) => format!("{reason}: {message}"),
                None => reason.to_owned(),
            }
        });
    let waiting = status
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|statuses| {
            statuses
                .iter()
                .find_map(|s| s.state.as_ref()?.waiting.as_ref()?.reason.clone())
        });
    unschedulable.or(waiting).unwrap_or_else(|| {
        match pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
            Some(node) => format!("scheduled on {node}"),
            None => "waiting to be scheduled".to_owned(),
        }
    })
}

/// The Job's phase, given its pods (any order).
pub fn observe(job: &Job, pods: &[&Pod]) -> JobPhase {
    // The newest pod that says why it ended (a failed pod, or one whose container
    // was restarted after a crash).
    let last_failure = || {
        let mut ended: Vec<&&Pod> = pods.iter().collect();
        ended.sort_by_key(|pod| std::cmp::Reverse(created(pod)));
        ended.into_iter().find_map(|pod| pod_failure(pod))
    };
    if let Some(failed) = condition_true(job, "Failed") {
        let mut reason = failed.reason.clone().unwrap_or_else(|| "Failed".to_owned());
        if let Some(message) = &failed.message {
            reason = format!("{reason}: {message}");
        }
        if let Some(pod) = last_failure() {
            reason = format!("{reason}; last pod: {pod}");
        }
        return JobPhase::Failed { reason };
    }
    if condition_true(job, "Complete").is_some() {
        return JobPhase::Succeeded;
    }
    let live: Vec<&&Pod> = pods
        .iter()
        .filter(|pod| {
            matches!(phase_of(pod), "Pending" | "Running") && pod.metadata.deletion_timestamp.is_none()
        })
        .collect();
    // The spec says what is wanted now; the condition lags behind it.
    let suspended = job
        .spec
        .as_ref()
        .and_then(|s| s.suspend)
        .unwrap_or_else(|| condition_true(job, "Suspended").is_some());
    if suspended {
        return JobPhase::Suspended;
    }
    if let Some(reason) = live.iter().find_map(|pod| stuck(pod)) {
        return JobPhase::Failed { reason };
    }
    // Every pod must run (a PyTorch run's nodes wait for each other); the first one
    // (index 0, or the only one) names where it trains.
    let wanted = job.spec.as_ref().and_then(|s| s.parallelism).unwrap_or(1).max(1);
    let waiting = live
        .iter()
        .filter(|pod| phase_of(pod) != "Running")
        .min_by_key(|pod| created(pod));
    let first = live
        .iter()
        .min_by_key(|pod| (completion_index(pod), created(pod)));
    match (waiting, first) {
        (Some(pod), _) => JobPhase::Pending {
            stage: pending_stage(pod),
        },
        (None, Some(pod)) if live.len() >= usize::try_from(wanted).unwrap_or(1) => JobPhase::Running {
            pod: pod.metadata.name.clone().unwrap_or_default(),
            node: pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.clone())
                .unwrap_or_default(),
        },
        _ => JobPhase::Pending {
            stage: "waiting for a pod".to_owned(),
        },
    }
}
