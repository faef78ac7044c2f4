//! The Kubernetes executor's parts against recorded API objects (`fixtures/k8s/`) and
//! kube's mock service (`tower_test::mock::pair` behind `kube::Client::new`): the Job
//! manifest, the phases and failure reasons read from Jobs and pods, the node view,
//! each request of create / suspend / delete, and the watch over a recorded stream.

use std::collections::HashMap;
use std::path::Path;

use chrono::Utc;
use cluster::kubernetes::{
    self, ClusterApi, JobPhase, KubernetesSettings, Outcome, Seen, State, apply, job, nodes_view, observe,
    outcome,
};
use common::{DataId, ModelId, RunId, UserId};
use futures_util::StreamExt;
use http::{Request, Response};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::client::Body;
use kube::runtime::watcher;
use runs::{Run, RunStatus};
use serde_json::{Value, json};
use tower_test::mock;

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/k8s")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
}

fn typed<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a Kubernetes object")
}

/// A fixture object given run 7's labels (and `launch`, when given).
fn of_run_7(mut object: Value) -> Value {
    object["metadata"]["labels"]["netsmith.io/run"] = json!("7");
    object
}

fn run(id: i64) -> Run {
    let mut run = Run {
        id: RunId(id),
        owner: UserId(3),
        model_id: ModelId(1),
        data_id: DataId(1),
        config: json!({}),
        iter: 100,
        warm_from: None,
        status: RunStatus::Queued,
        step: 0,
        error: None,
        final_accuracy: None,
        final_loss: None,
        training_seconds: 0.0,
        confusion: None,
        data_spec: serde_json::from_value(json!({
            "kind": "images", "input": [8, 8, 1], "classes": ["a", "b"], "samples": 2,
            "label_column": null, "feature_columns": [], "normalization": null
        }))
        .expect("a data spec"),
        created_at: Utc::now(),
        started_at: None,
        finished_at: None,
        worker_key: None,
    };
    let _token = runs::worker_key::issue(&mut run);
    run
}

#[test]
fn the_job_carries_the_settings_placement_and_failure_policy() {
    let run = run(7);
    let mut settings = KubernetesSettings::new("ghcr.io/example/netsmith:1.2", "http://netsmith.ml.svc:8000");
    settings.namespace = Some("ml".into());
    settings.image_pull_policy = Some("IfNotPresent".into());
    settings.cpu = "2".into();
    settings.memory = "6Gi".into();
    settings.cpu_limit = Some("4".into());
    settings.memory_limit = Some("8Gi".into());
    settings.gpus = 1;
    settings.node_selector = KubernetesSettings::parse_node_selector("accelerator=a100").expect("selector");
    settings.tolerations = KubernetesSettings::parse_tolerations(
        r#"[{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]"#,
    )
    .expect("tolerations");
    settings.ttl_seconds_after_finished = 600;
    settings.backoff_limit = 5;
    settings.active_deadline_seconds = None;
    let job = job(&run, "nsr_7_secret", &settings).expect("a Job");
    let launch = kubernetes::launch_of(&run);
    let labels = json!({"app.kubernetes.io/component": "worker", "app.kubernetes.io/managed-by": "netsmith",
        "app.kubernetes.io/name": "netsmith", "netsmith.io/owner": "3", "netsmith.io/run": "7"});
    assert_eq!(
        serde_json::to_value(&job).expect("JSON"),
        json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "netsmith-run-7", "labels": labels, "annotations": {"netsmith.io/launch": launch}},
            "spec": {
                "backoffLimit": 5,
                "podFailurePolicy": {"rules": [
                    {"action": "FailJob", "onExitCodes": {"containerName": "worker", "operator": "In", "values": [78]}},
                    {"action": "Ignore", "onPodConditions": [{"status": "True", "type": "DisruptionTarget"}]},
                ]},
                "suspend": false,
                "template": {
                    "metadata": {"annotations": {"netsmith.io/launch": launch}, "labels": labels},
                    "spec": {
                        "automountServiceAccountToken": false,
                        "containers": [{
                            "command": ["netsmith", "worker", "--run", "7", "--server", "http://netsmith.ml.svc:8000"],
                            "env": [{"name": "NETSMITH_RUN_TOKEN", "value": "nsr_7_secret"}, {"name": "RUST_LOG", "value": "info"}],
                            "image": "ghcr.io/example/netsmith:1.2",
                            "imagePullPolicy": "IfNotPresent",
                            "name": "worker",
                            "resources": {"limits": {"cpu": "4", "memory": "8Gi", "nvidia.com/gpu": "1"},
                                          "requests": {"cpu": "2", "memory": "6Gi"}},
                        }],
                        "enableServiceLinks": false,
                        "nodeSelector": {"accelerator": "a100"},
                        "restartPolicy": "Never",
                        "tolerations": [{"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"}],
                    },
                },
                "ttlSecondsAfterFinished": 600,
            },
        })
    );
    assert_eq!(launch.len(), 16);
}

fn phase(job: &str, pods: &[Value]) -> JobPhase {
    let pods: Vec<Pod> = pods.iter().cloned().map(typed).collect();
    observe(&typed(fixture(job)), &pods.iter().collect::<Vec<_>>())
}

#[test]
fn every_phase_and_failure_reason_is_read_from_the_job_and_its_pods() {
    assert_eq!(
        phase("job-created.json", &[]),
        JobPhase::Pending {
            stage: "waiting for a pod".into()
        }
    );
    assert_eq!(
        phase("job-running.json", &[fixture("pod-running.json")]),
        JobPhase::Running {
            pod: "nginx-deployment-67d4bdd6f5-w6kd7".into(),
            node: "kube-worker-1".into()
        }
    );
    assert_eq!(
        phase("job-succeeded.json", &[fixture("pod-succeeded.json")]),
        JobPhase::Succeeded
    );
    assert_eq!(
        phase(
            "job-running.json",
            &[fixture("pod-pending-imagepullbackoff.json")]
        ),
        JobPhase::Failed {
            reason:
                "ImagePullBackOff: Back-off pulling image \"non-existing-repo/non-existing-image:example\""
                    .into()
        }
    );
    assert_eq!(
        phase("job-failed.json", &[fixture("pod-oomkilled.json")]),
        JobPhase::Failed {
            reason: "BackoffLimitExceeded: Job has reached the specified backoff limit; \
                     last pod: OOMKilled: the worker ran out of its memory limit (exit code 137)"
                .into()
        }
    );
    let mut evicted = fixture("pod-running.json");
    evicted["status"]["phase"] = json!("Failed");
    evicted["status"]["reason"] = json!("Evicted");
    evicted["status"]["message"] = json!("The node was low on resource: memory.");
    assert_eq!(
        phase("job-failed.json", &[evicted]),
        JobPhase::Failed {
            reason: "BackoffLimitExceeded: Job has reached the specified backoff limit; \
                     last pod: Evicted: The node was low on resource: memory."
                .into()
        }
    );
    let mut deadline = fixture("job-failed.json");
    deadline["status"]["conditions"][1]["reason"] = json!("DeadlineExceeded");
    deadline["status"]["conditions"][1]["message"] = json!("Job was active longer than specified deadline");
    assert_eq!(
        observe(&typed(deadline), &[]),
        JobPhase::Failed {
            reason: "DeadlineExceeded: Job was active longer than specified deadline".into()
        }
    );
    let mut suspended = fixture("job-running.json");
    suspended["spec"]["suspend"] = json!(true);
    assert_eq!(observe(&typed(suspended), &[]), JobPhase::Suspended);
    let mut unscheduled = fixture("pod-running.json");
    unscheduled["spec"]["nodeName"] = Value::Null;
    unscheduled["status"] = json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False",
        "reason": "Unschedulable", "message": "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."}]});
    assert_eq!(
        phase("job-running.json", &[unscheduled]),
        JobPhase::Pending {
            stage: "Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.".into()
        }
    );
}

/// Pod `index` of an Indexed Job of 3 (the running fixture, renamed and indexed).
fn indexed_pod(index: u32, phase: &str) -> Value {
    let mut pod = fixture("pod-running.json");
    pod["metadata"]["name"] = json!(format!("netsmith-run-7-{index}-abcde"));
    pod["metadata"]["annotations"] = json!({"batch.kubernetes.io/job-completion-index": index.to_string()});
    pod["spec"]["nodeName"] = json!(format!("node-{index}"));
    pod["status"]["phase"] = json!(phase);
    if phase == "Pending" {
        pod["status"]["containerStatuses"][0]["state"] = json!({"waiting": {"reason": "ContainerCreating"}});
    }
    pod
}

#[test]
fn an_indexed_job_trains_when_all_its_pods_run_and_names_pod_zero() {
    let mut job = fixture("job-running.json");
    job["spec"]["completionMode"] = json!("Indexed");
    job["spec"]["completions"] = json!(3);
    job["spec"]["parallelism"] = json!(3);
    let phase = |pods: &[Value]| {
        let pods: Vec<Pod> = pods.iter().cloned().map(typed).collect();
        observe(&typed(job.clone()), &pods.iter().collect::<Vec<_>>())
    };
    let all = [
        indexed_pod(2, "Running"),
        indexed_pod(0, "Running"),
        indexed_pod(1, "Running"),
    ];
    assert_eq!(
        phase(&all),
        JobPhase::Running {
            pod: "netsmith-run-7-0-abcde".into(),
            node: "node-0".into()
        }
    );
    assert_eq!(
        phase(&all[..2]),
        JobPhase::Pending {
            stage: "waiting for a pod".into()
        }
    );
    assert_eq!(
        phase(&[
            indexed_pod(0, "Running"),
            indexed_pod(1, "Pending"),
            indexed_pod(2, "Running")
        ]),
        JobPhase::Pending {
            stage: "ContainerCreating".into()
        }
    );
    let mut pulling = indexed_pod(1, "Pending");
    pulling["status"]["containerStatuses"][0]["state"] = json!({"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \"netsmith:0.1.0-torch\""}});
    assert_eq!(
        phase(&[indexed_pod(0, "Running"), pulling, indexed_pod(2, "Running")]),
        JobPhase::Failed {
            reason: "ImagePullBackOff: Back-off pulling image \"netsmith:0.1.0-torch\"".into()
        }
    );
}

#[test]
fn the_node_view_shows_a_nodes_facts_and_the_shares_of_the_callers_pods() {
    let node: Node = typed(fixture("node.json"));
    let mine = of_run_7(fixture("pod-running.json"));
    let someone_elses = fixture("pod-running.json");
    let pods: Vec<Pod> = vec![typed(mine), typed(someone_elses)];
    let runs = HashMap::from([(RunId(7), "running".to_owned())]);
    let view = nodes_view(&[node], &pods, &runs);
    assert_eq!(view.len(), 1);
    let node = &view[0];
    assert_eq!(
        (node.hostname.as_str(), node.internal_ip.as_str()),
        ("kube-worker-1", "192.168.0.113")
    );
    let ready = node.conditions.iter().find(|c| c.kind == "Ready").expect("Ready");
    assert_eq!(ready.status, cluster::ConditionStatus::True);
    assert_eq!(ready.reason, "KubeletReady");
    assert_eq!(ready.message, "kubelet is posting ready status. AppArmor enabled");
    assert_eq!(
        ready.last_transition.map(|t| t.to_rfc2822()).as_deref(),
        Some("Thu, 17 Feb 2022 22:15:15 +0000")
    );
    assert_eq!(node.pods.len(), 1, "only the caller's run");
    let pod = &node.pods[0];
    assert_eq!(
        (pod.namespace.as_str(), pod.name.as_str(), pod.status.as_str()),
        ("default", "nginx-deployment-67d4bdd6f5-w6kd7", "running")
    );
    let share = |s: &cluster::ResourceShare| format!("{} ({}%)", s.amount, s.percent);
    assert_eq!(share(&pod.cpu_requests), "500m (25%)");
    assert_eq!(share(&pod.cpu_limits), "500m (25%)");
    assert_eq!(share(&pod.memory_requests), "128Mi (6%)");
    assert_eq!(share(&pod.memory_limits), "128Mi (6%)");
    assert_eq!(
        (
            node.capacity.cpu.as_str(),
            node.capacity.memory.as_str(),
            node.capacity.pods.as_str()
        ),
        ("2", "2025188Ki", "110")
    );
    assert_eq!(node.allocatable.memory, "1922788Ki");
    assert_eq!(node.capacity.gpu, None);
    assert_eq!(node.system.kubelet_version, "v1.23.3");
    assert_eq!(node.system.container_runtime_version, "containerd://1.5.9");
    assert_eq!(node.system.os_image, "Ubuntu 21.10");
}

/// A client whose every request the test answers.
fn mocked() -> (kube::Client, mock::Handle<Request<Body>, Response<Body>>) {
    let (service, handle) = mock::pair::<Request<Body>, Response<Body>>();
    (kube::Client::new(service, "ml"), handle)
}

fn respond(send: mock::SendResponse<Response<Body>>, status: u16, body: &Value) {
    let response = Response::builder()
        .status(status)
        .body(Body::from(serde_json::to_vec(body).expect("JSON")))
        .expect("response");
    send.send_response(response);
}

async fn body_of(request: Request<Body>) -> (String, String, Value) {
    let (parts, body) = request.into_parts();
    let bytes = body.collect_bytes().await.expect("body");
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (parts.method.to_string(), parts.uri.to_string(), json)
}

#[tokio::test]
async fn a_repeated_submission_finds_its_job_and_an_earlier_launchs_job_is_replaced() {
    let (client, mut handle) = mocked();
    let api = ClusterApi::new(client, "ml");
    let run = run(7);
    let job: Job = kubernetes::job(
        &run,
        "nsr_7_secret",
        &KubernetesSettings::new("netsmith:1", "http://s"),
    )
    .expect("a Job");
    let ours = serde_json::to_value(&job).expect("JSON");
    let mut earlier = ours.clone();
    earlier["metadata"]["annotations"]["netsmith.io/launch"] = json!("0000000000000000");
    let conflict = fixture("status-409.json");
    let answers = tokio::spawn(async move {
        let mut seen = Vec::new();
        // 1. Created already (a repeated submission of this launch): found, kept.
        let (request, send) = handle.next_request().await.expect("create");
        seen.push(body_of(request).await);
        respond(send, 409, &conflict);
        let (request, send) = handle.next_request().await.expect("get");
        seen.push(body_of(request).await);
        respond(send, 200, &ours);
        // 2. A Job of an earlier launch is in the way: deleted, then created again.
        let (request, send) = handle.next_request().await.expect("create");
        seen.push(body_of(request).await);
        respond(send, 409, &conflict);
        let (request, send) = handle.next_request().await.expect("get");
        seen.push(body_of(request).await);
        respond(send, 200, &earlier);
        let (request, send) = handle.next_request().await.expect("delete");
        seen.push(body_of(request).await);
        respond(send, 200, &earlier);
        let (request, send) = handle.next_request().await.expect("create again");
        seen.push(body_of(request).await);
        respond(send, 201, &ours);
        seen
    });
    let found = api.create_job(&job).await.expect("found");
    assert_eq!(found.metadata.name.as_deref(), Some("netsmith-run-7"));
    api.create_job(&job).await.expect("replaced");
    let seen = answers.await.expect("the answers");
    let posted = serde_json::to_value(&job).expect("JSON");
    let jobs = "/apis/batch/v1/namespaces/ml/jobs";
    let one = format!("{jobs}/netsmith-run-7");
    assert_eq!(
        seen,
        vec![
            ("POST".into(), format!("{jobs}?"), posted.clone()),
            ("GET".into(), one.clone(), Value::Null),
            ("POST".into(), format!("{jobs}?"), posted.clone()),
            ("GET".into(), one.clone(), Value::Null),
            (
                "DELETE".into(),
                format!("{one}?"),
                json!({"propagationPolicy": "Background"})
            ),
            ("POST".into(), format!("{jobs}?"), posted),
        ]
    );
}

#[tokio::test]
async fn pause_resume_and_stop_are_a_suspend_patch_an_unsuspend_patch_and_a_background_delete() {
    let (client, mut handle) = mocked();
    let api = ClusterApi::new(client, "ml");
    let job = fixture("job-running.json");
    let gone = fixture("status-404-job.json");
    let answers = tokio::spawn(async move {
        let mut seen = Vec::new();
        for answer in [(200, job.clone()), (200, job.clone()), (200, job), (404, gone)] {
            let (request, send) = handle.next_request().await.expect("a request");
            let content_type = request
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let (method, uri, body) = body_of(request).await;
            seen.push((method, uri, content_type, body));
            respond(send, answer.0, &answer.1);
        }
        seen
    });
    api.suspend("netsmith-run-7", true).await.expect("suspended");
    api.suspend("netsmith-run-7", false).await.expect("resumed");
    api.delete_job("netsmith-run-7").await.expect("deleted");
    api.delete_job("netsmith-run-7")
        .await
        .expect("a Job already gone is fine");
    let one = "/apis/batch/v1/namespaces/ml/jobs/netsmith-run-7".to_owned();
    let merge = Some("application/merge-patch+json".to_owned());
    assert_eq!(
        answers.await.expect("the answers"),
        vec![
            (
                "PATCH".into(),
                format!("{one}?"),
                merge.clone(),
                json!({"spec": {"suspend": true}})
            ),
            (
                "PATCH".into(),
                format!("{one}?"),
                merge,
                json!({"spec": {"suspend": false}})
            ),
            (
                "DELETE".into(),
                format!("{one}?"),
                Some("application/json".into()),
                json!({"propagationPolicy": "Background"})
            ),
            (
                "DELETE".into(),
                format!("{one}?"),
                Some("application/json".into()),
                json!({"propagationPolicy": "Background"})
            ),
        ]
    );
}

#[tokio::test]
async fn the_watch_follows_a_recorded_stream_bookmarks_included() {
    let (client, mut handle) = mocked();
    let api = ClusterApi::new(client, "ml");
    let lines: Vec<Value> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/k8s/watch-events.jsonl"),
    )
    .expect("fixture")
    .lines()
    .map(|line| serde_json::from_str::<Value>(line).expect("JSON"))
    .map(|mut event| {
        if event["type"] != "BOOKMARK" {
            event["object"] = of_run_7(event["object"].clone());
        }
        event
    })
    .collect();
    let stream: String = lines.iter().map(|e| format!("{e}\n")).collect();
    tokio::spawn(async move {
        let (request, send) = handle.next_request().await.expect("list");
        assert!(
            request
                .uri()
                .to_string()
                .contains("labelSelector=app.kubernetes.io%2Fmanaged-by%3Dnetsmith"),
            "{}",
            request.uri()
        );
        respond(
            send,
            200,
            &json!({"apiVersion": "batch/v1", "kind": "JobList", "metadata": {"resourceVersion": "980"}, "items": []}),
        );
        let (request, send) = handle.next_request().await.expect("watch");
        assert!(
            request.uri().to_string().contains("watch=true"),
            "{}",
            request.uri()
        );
        assert!(
            request.uri().to_string().contains("resourceVersion=980"),
            "{}",
            request.uri()
        );
        send.send_response(Response::new(Body::from(stream.into_bytes())));
        // Later watches stay open and quiet.
        let mut parked = Vec::new();
        while let Some(next) = handle.next_request().await {
            parked.push(next);
        }
    });
    let config = watcher::Config::default().labels(&kubernetes::selector());
    let mut events = watcher(api.jobs.clone(), config).boxed();
    let mut state = State::default();
    state.driving.insert(RunId(7));
    // Init, then each change of run 7's Job (bookmarks are the watcher's own business).
    let mut seen = Vec::new();
    while seen.len() < 5 {
        let event = tokio::time::timeout(std::time::Duration::from_secs(5), events.next())
            .await
            .expect("an event in time")
            .expect("the stream goes on")
            .expect("no error");
        let first = seen.is_empty();
        let touched = apply(&mut state, Seen::Job(event));
        if touched.contains(&RunId(7)) || first {
            seen.push((state.phase(RunId(7)), outcome(&state, RunId(7))));
        }
    }
    let pending = Some(JobPhase::Pending {
        stage: "waiting for a pod".into(),
    });
    assert_eq!(
        seen,
        vec![
            (None, Outcome::Nothing),
            (pending.clone(), Outcome::Nothing),
            (pending, Outcome::Nothing),
            // Succeeded without the worker's final report, then gone: interrupted.
            (Some(JobPhase::Succeeded), Outcome::Interrupted),
            (None, Outcome::Interrupted),
        ]
    );
}
