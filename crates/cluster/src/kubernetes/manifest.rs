//! The Job a run becomes: the project's own image running `netsmith worker` for the
//! run, with the run's token, resources, placement and failure policy from the
//! settings, and labels that find its Job and pods again after a restart.

use common::RunId;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use runs::Run;
use serde_json::{Map, Value, json};

use super::settings::KubernetesSettings;
use crate::worker::WorkerExit;

/// `app.kubernetes.io/managed-by` of every Job and pod this executor makes.
pub const MANAGED_BY: &str = "netsmith";
/// The label holding a Job's (and its pods') run id.
pub const RUN_LABEL: &str = "netsmith.io/run";
/// The label holding the id of the run's owner.
pub const OWNER_LABEL: &str = "netsmith.io/owner";
/// The annotation telling one launch of a run from another (a resumed run gets a new
/// token, and a Job of its earlier launch is not this one).
pub const LAUNCH_ANNOTATION: &str = "netsmith.io/launch";
/// The worker container's name.
pub const CONTAINER: &str = "worker";
/// The environment variable that hands the worker its run's token.
pub const TOKEN_VARIABLE: &str = "NETSMITH_RUN_TOKEN";

/// The label selector of this executor's Jobs and pods.
pub fn selector() -> String {
    format!("app.kubernetes.io/managed-by={MANAGED_BY},app.kubernetes.io/component=worker")
}

/// The Job of a run: one name per run, so a repeated submission finds the first.
pub fn job_name(run: RunId) -> String {
    format!("netsmith-run-{run}")
}

/// Which launch of the run a Job is: the start of the hash of its token.
pub fn launch_of(run: &Run) -> String {
    run.worker_key
        .as_deref()
        .map_or_else(String::new, |key| key.chars().take(16).collect())
}

/// The run a Job or pod belongs to, by its label.
pub fn run_of(meta: &ObjectMeta) -> Option<RunId> {
    meta.labels.as_ref()?.get(RUN_LABEL)?.parse().ok()
}

/// The labels of a run's Job and pods.
fn labels(run: &Run) -> Value {
    json!({
        "app.kubernetes.io/name": "netsmith",
        "app.kubernetes.io/component": "worker",
        "app.kubernetes.io/managed-by": MANAGED_BY,
        RUN_LABEL: run.id.to_string(),
        OWNER_LABEL: run.owner.to_string(),
    })
}

/// Requests and limits as the settings give them (`gpus` overrides theirs when set).
fn resources(settings: &KubernetesSettings, gpus: u32) -> Value {
    let gpus = if gpus > 0 { gpus } else { settings.gpus };
    let mut limits = Map::new();
    if let Some(cpu) = &settings.cpu_limit {
        limits.insert("cpu".into(), json!(cpu));
    }
    if let Some(memory) = &settings.memory_limit {
        limits.insert("memory".into(), json!(memory));
    }
    if gpus > 0 {
        limits.insert("nvidia.com/gpu".into(), json!(gpus.to_string()));
    }
    let mut resources = Map::new();
    resources.insert(
        "requests".into(),
        json!({"cpu": settings.cpu, "memory": settings.memory}),
    );
    if !limits.is_empty() {
        resources.insert("limits".into(), Value::Object(limits));
    }
    Value::Object(resources)
}

/// The port PyTorch workers meet on (torchrun's rendezvous and the process group).
pub const RENDEZVOUS_PORT: u16 = 29500;

/// The Job that trains `run` with `token` (an error only if the settings hold a value
/// the Job schema cannot take).
pub fn job(run: &Run, token: &str, settings: &KubernetesSettings) -> Result<Job, serde_json::Error> {
    let container = json!({
        "name": CONTAINER,
        "image": settings.image,
        "command": ["netsmith", "worker", "--run", run.id.to_string(), "--server", settings.server_url],
        "env": [
            {"name": TOKEN_VARIABLE, "value": token},
            {"name": "RUST_LOG", "value": "info"},
        ],
        "resources": resources(settings, 0),
    });
    job_of(run, settings, container, json!({}), None)
}

/// The Indexed Job of a PyTorch run on `execution.workers` pods, one torchrun node
/// each (node rank = the pod's completion index), meeting at pod 0 through the
/// headless Service [`torch_service`] of the same name; a GPU per pod for `cuda`.
pub fn torch_job(
    run: &Run,
    token: &str,
    settings: &KubernetesSettings,
    execution: &codegen::Execution,
    image: &str,
) -> Result<Job, serde_json::Error> {
    let name = job_name(run.id);
    let gpus = if execution.device == codegen::Device::Cuda {
        settings.gpus.max(1)
    } else {
        0
    };
    // torch would start a thread per core of the node, whatever the pod may use.
    let threads = super::quantity::milli(&settings.cpu).map_or(1, |m| (m / 1000).max(1));
    let container = json!({
        "name": CONTAINER,
        "image": image,
        "command": [
            "netsmith", "torchrun", "--run", run.id.to_string(), "--server", settings.server_url,
            "--nodes", execution.workers.to_string(), "--master", format!("{name}-0.{name}"),
            "--port", RENDEZVOUS_PORT.to_string(), "--device", execution.device.name(),
            "--python", settings.torch_python,
        ],
        "env": [
            {"name": TOKEN_VARIABLE, "value": token},
            {"name": "RUST_LOG", "value": "info"},
            {"name": "OMP_NUM_THREADS", "value": threads.to_string()},
        ],
        "ports": [{"name": "rendezvous", "containerPort": RENDEZVOUS_PORT}],
        "resources": resources(settings, gpus),
    });
    let indexed = json!({
        "completionMode": "Indexed",
        "completions": execution.workers,
        "parallelism": execution.workers,
    });
    job_of(run, settings, container, indexed, Some(name))
}

/// The headless Service that gives a PyTorch run's pods their stable names
/// (`netsmith-run-<id>-<index>.netsmith-run-<id>`), even before they are ready.
pub fn torch_service(run: &Run) -> Result<k8s_openapi::api::core::v1::Service, serde_json::Error> {
    serde_json::from_value(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": job_name(run.id), "labels": labels(run)},
        "spec": {
            "clusterIP": "None",
            "publishNotReadyAddresses": true,
            "selector": {"app.kubernetes.io/managed-by": MANAGED_BY, RUN_LABEL: run.id.to_string()},
            "ports": [{"name": "rendezvous", "port": RENDEZVOUS_PORT, "targetPort": RENDEZVOUS_PORT}],
        },
    }))
}

/// A run's Job around `container`, with `extra` fields in its spec and, for a
/// Service of that name, the pods' subdomain.
fn job_of(
    run: &Run,
    settings: &KubernetesSettings,
    mut container: Value,
    extra: Value,
    subdomain: Option<String>,
) -> Result<Job, serde_json::Error> {
    let labels = labels(run);
    if let Some(policy) = &settings.image_pull_policy {
        container["imagePullPolicy"] = json!(policy);
    }
    let mut pod = json!({
        "restartPolicy": "Never",
        // Workers talk to the server only, never to the Kubernetes API.
        "automountServiceAccountToken": false,
        "enableServiceLinks": false,
        "containers": [container],
    });
    if !settings.node_selector.is_empty() {
        pod["nodeSelector"] = json!(settings.node_selector);
    }
    if !settings.tolerations.is_empty() {
        pod["tolerations"] = json!(settings.tolerations);
    }
    if let Some(subdomain) = subdomain {
        pod["subdomain"] = json!(subdomain);
    }
    let mut spec = json!({
        "backoffLimit": settings.backoff_limit,
        "ttlSecondsAfterFinished": settings.ttl_seconds_after_finished,
        "suspend": false,
        "podFailurePolicy": {"rules": [
            // A configuration the worker cannot use fails the same way every time.
            {"action": "FailJob", "onExitCodes": {
                "containerName": CONTAINER, "operator": "In",
                "values": [i32::from(WorkerExit::BadConfiguration.code())]}},
            // Evictions, preemptions and node drains are not the worker's fault.
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
        ]},
        "template": {
            "metadata": {"labels": labels, "annotations": {LAUNCH_ANNOTATION: launch_of(run)}},
            "spec": pod,
        },
    });
    if let Some(deadline) = settings.active_deadline_seconds {
        spec["activeDeadlineSeconds"] = json!(deadline);
    }
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra.as_object()) {
        spec.extend(extra.clone());
    }
    let manifest = json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": job_name(run.id),
            "labels": labels,
            "annotations": {LAUNCH_ANNOTATION: launch_of(run)},
        },
        "spec": spec,
    });
    serde_json::from_value(manifest)
}
