//! `NETSMITH_EXECUTOR=kubernetes` against the Kubernetes API test double: runs become
//! Jobs whose pods are real `netsmith worker` processes; the HTTP API shows them,
//! pauses (suspend), resumes (unsuspend) and stops (delete) them exactly as local
//! runs; failures carry the pod's reason; a Job deleted behind the server's back and
//! a restarted server are handled; the node view is the cluster's.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::kube_double::{KubeDouble, NAMESPACE};
use crate::training::runs::read_events;
use crate::training::{cnn, steps};

/// A server whose runs train as Jobs in the double's cluster, with `extra` settings.
fn kube_app(double: &KubeDouble, extra: &[(&str, &str)]) -> TestApp {
    let kubeconfig = double.kubeconfig().to_str().expect("a path").to_owned();
    let mut env = vec![
        ("NETSMITH_EXECUTOR", "kubernetes"),
        ("KUBECONFIG", kubeconfig.as_str()),
        ("NETSMITH_KUBERNETES_IMAGE", "registry.example/netsmith:test"),
    ];
    env.extend_from_slice(extra);
    TestApp::spawn_with(&env)
}

fn job_of(run: i64) -> String {
    format!("netsmith-run-{run}")
}

/// The body of the Job the server created for `run`.
fn created_job(double: &KubeDouble, run: i64) -> Value {
    double
        .requests()
        .into_iter()
        .rev()
        .find(|r| {
            r.method == "POST" && r.path.ends_with("/jobs") && r.body["metadata"]["name"] == job_of(run)
        })
        .map(|r| r.body)
        .expect("the Job was created")
}

#[test]
fn a_run_becomes_a_job_whose_worker_trains_and_reports_like_a_local_run() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(&double, &[]);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(300));
    let run = app.start_run(&key, "mnist");

    // The exact Job, with the run's own token.
    let job = created_job(&double, run);
    let token = job["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"]
        .as_str()
        .expect("a token")
        .to_owned();
    assert!(token.starts_with(&format!("nsr_{run}_")), "{token}");
    let launch = job["metadata"]["annotations"]["netsmith.io/launch"].clone();
    assert_eq!(launch.as_str().map(str::len), Some(16));
    let labels = json!({
        "app.kubernetes.io/name": "netsmith",
        "app.kubernetes.io/component": "worker",
        "app.kubernetes.io/managed-by": "netsmith",
        "netsmith.io/run": run.to_string(),
        "netsmith.io/owner": "1",
    });
    assert_eq!(
        job,
        json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": job_of(run), "labels": labels,
                         "annotations": {"netsmith.io/launch": launch}},
            "spec": {
                "activeDeadlineSeconds": 604800,
                "backoffLimit": 3,
                "podFailurePolicy": {"rules": [
                    {"action": "FailJob",
                     "onExitCodes": {"containerName": "worker", "operator": "In", "values": [78]}},
                    {"action": "Ignore", "onPodConditions": [{"status": "True", "type": "DisruptionTarget"}]},
                ]},
                "suspend": false,
                "template": {
                    "metadata": {"annotations": {"netsmith.io/launch": launch}, "labels": labels},
                    "spec": {
                        "automountServiceAccountToken": false,
                        "containers": [{
                            "command": ["netsmith", "worker", "--run", run.to_string(), "--server", app.base],
                            "env": [{"name": "NETSMITH_RUN_TOKEN", "value": token},
                                    {"name": "RUST_LOG", "value": "info"}],
                            "image": "registry.example/netsmith:test",
                            "name": "worker",
                            "resources": {"limits": {"memory": "4Gi"},
                                          "requests": {"cpu": "1", "memory": "2Gi"}},
                        }],
                        "enableServiceLinks": false,
                        "restartPolicy": "Never",
                    },
                },
                "ttlSecondsAfterFinished": 3600,
            },
        })
    );

    // Live, exactly as for a local run.
    let events = read_events(&app, &key, &format!("/generation/run/runtime/?run_id={run}"));
    let streamed: Vec<u64> = events
        .iter()
        .filter(|(event, _)| event == "point")
        .map(|(_, data)| data["step"].as_u64().expect("step"))
        .collect();
    assert_eq!(streamed, vec![0, 100, 200, 300]);
    assert_eq!(
        events.last().map(|(e, d)| (e.as_str(), d["status"].clone())),
        Some(("end", json!("completed")))
    );
    let details = app.wait_finished(&key, run);
    let accuracy = details["final_accuracy"].as_f64().expect("final accuracy");
    // The local run's bar for this network and budget (one seed's 300 steps land
    // a few test pictures either side of 0.95 with any change of rounding).
    assert!(accuracy > 0.9, "test accuracy {accuracy}");
    assert_eq!(details["confusion_matrix"].as_array().map(Vec::len), Some(10));
    // The Job completed and stays for its time-to-live, with its one pod.
    double.wait_job(&job_of(run), 10, |job| {
        job.is_some_and(|j| j["status"]["succeeded"] == 1)
    });
    assert_eq!(double.pods_of(&job_of(run)).len(), 1);
    // The token ended with the run.
    let refused = app.send(
        app.request(reqwest::Method::GET, &format!("/worker/runs/{run}/"))
            .header("Authorization", format!("Bearer {token}")),
    );
    refused.assert(401, json!({"detail": "Invalid token."}));
}

#[test]
fn pause_suspends_the_job_resume_unsuspends_it_and_stop_deletes_it() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(&double, &[]);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1_000_000));
    let run = app.start_run(&key, "mnist");
    let name = job_of(run);
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| p.len() >= 2)
    });

    let paused = app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}));
    paused.assert(200, json!({"run_id": run, "status": "paused"}));
    double.wait_job(&name, 10, |job| {
        job.is_some_and(|j| j["spec"]["suspend"] == true && j["status"]["active"] == 0)
    });
    assert!(double.pods_of(&name).is_empty(), "a suspended Job has no pods");
    assert_eq!(
        app.run_details(&key, run)["placement"],
        json!({"executor": "kubernetes", "phase": "paused",
               "detail": format!("Job {name}: the Job is suspended"), "pod": null, "node": null})
    );
    let held = steps(&app.run_details(&key, run));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        steps(&app.run_details(&key, run)),
        held,
        "no new points while paused"
    );

    let resumed = app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}));
    resumed.assert(200, json!({"run_id": run, "status": "running"}));
    double.wait_job(&name, 10, |job| {
        job.is_some_and(|j| j["spec"]["suspend"] == false)
    });
    let details = app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["status"] == "running" && d["points"].as_array().is_some_and(|p| p.len() > held.len())
    });
    assert_eq!(double.containers_started(), 2, "a new pod continued the run");
    let after = steps(&details);
    assert_eq!(
        &after[..held.len()],
        held.as_slice(),
        "the points before the pause stay"
    );
    assert!(after.windows(2).all(|w| w[0] < w[1]), "no point twice: {after:?}");

    let stopped = app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}));
    stopped.assert(200, json!({"run_id": run, "status": "stopped"}));
    double.wait_job(&name, 10, |job| job.is_none());
    assert!(app.run_details(&key, run)["final_accuracy"].is_number());

    let patches: Vec<Value> = double
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH" && r.path.ends_with(&format!("/jobs/{name}")))
        .map(|r| r.body)
        .collect();
    assert_eq!(
        patches,
        vec![
            json!({"spec": {"suspend": true}}),
            json!({"spec": {"suspend": false}})
        ]
    );
    let deletes: Vec<String> = double
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .map(|r| format!("{} {}", r.path, r.body))
        .collect();
    assert_eq!(
        deletes,
        vec![format!(
            "/apis/batch/v1/namespaces/{NAMESPACE}/jobs/{name} {}",
            json!({"propagationPolicy": "Background"})
        )]
    );
}

#[test]
fn a_run_waiting_for_its_pod_shows_pending_and_pauses_and_resumes_at_once() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(&double, &[]);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(200));
    double.set_hold(true);
    let run = app.start_run(&key, "mnist");
    let name = job_of(run);
    let details = app.wait_run(&key, run, Duration::from_secs(10), |d| {
        d["placement"]["detail"] == format!("Job {name}: ContainerCreating")
    });
    assert_eq!(details["status"], "queued");
    assert_eq!(details["placement"]["phase"], "pending");

    // No worker at work: the Job is suspended at once.
    app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "paused"}));
    double.wait_job(&name, 10, |job| job.is_some_and(|j| j["status"]["active"] == 0));
    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "running"}));
    let pending = app.run_details(&key, run);
    assert_eq!(pending["placement"]["phase"], "pending", "{pending}");
    // Paused again before its new pod runs, then resumed for good.
    app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "paused"}));
    double.wait_job(&name, 10, |job| job.is_some_and(|j| j["spec"]["suspend"] == true));
    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "running"}));
    double.set_hold(false);
    let details = app.wait_finished(&key, run);
    assert_eq!(steps(&details), vec![0, 100, 200]);
    assert_eq!(double.containers_started(), 1, "only the last pod ran");
}

#[test]
fn a_paused_job_that_is_stopped_is_deleted_and_its_run_keeps_its_last_metrics() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(&double, &[]);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1_000_000));
    let run = app.start_run(&key, "mnist");
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| !p.is_empty())
    });
    app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "paused"}));
    double.wait_job(&job_of(run), 10, |job| {
        job.is_some_and(|j| j["status"]["active"] == 0)
    });
    app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "stopped"}));
    double.wait_job(&job_of(run), 10, |job| job.is_none());
    let details = app.run_details(&key, run);
    let last = details["points"]
        .as_array()
        .and_then(|p| p.last())
        .cloned()
        .expect("a point");
    assert_eq!(details["final_accuracy"], last["accuracy"]);
}

#[test]
fn a_pod_that_cannot_pull_its_image_fails_the_run_with_the_reason() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(
        &double,
        &[("NETSMITH_KUBERNETES_IMAGE", "registry.example/missing:1")],
    );
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(100));
    let run = app.start_run(&key, "mnist");
    let details = app.wait_run(&key, run, Duration::from_secs(30), |d| d["status"] == "failed");
    assert_eq!(
        details["error"],
        "ImagePullBackOff: Back-off pulling image \"registry.example/missing:1\""
    );
    double.wait_job(&job_of(run), 10, |job| job.is_none());
}

#[test]
fn an_oom_killed_worker_and_a_deadline_fail_their_runs_with_the_reasons() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(
        &double,
        &[
            ("NETSMITH_KUBERNETES_BACKOFF_LIMIT", "1"),
            ("NETSMITH_KUBERNETES_ACTIVE_DEADLINE_SECONDS", "4"),
        ],
    );
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1_000_000));
    double.set_oom(true);
    let run = app.start_run(&key, "mnist");
    let details = app.wait_run(&key, run, Duration::from_secs(30), |d| d["status"] == "failed");
    assert_eq!(
        details["error"],
        "BackoffLimitExceeded: Job has reached the specified backoff limit; \
         last pod: OOMKilled: the worker ran out of its memory limit (exit code 137)"
    );
    assert_eq!(
        double.pods_of(&job_of(run)).len(),
        2,
        "the first OOMKilled pod was retried once"
    );

    double.set_oom(false);
    let run = app.start_run(&key, "mnist");
    let details = app.wait_run(&key, run, Duration::from_secs(60), |d| d["status"] == "failed");
    assert_eq!(
        details["error"],
        "DeadlineExceeded: Job was active longer than specified deadline"
    );
}

#[test]
fn a_job_deleted_behind_the_servers_back_leaves_its_run_interrupted_and_resumable() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(&double, &[]);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(800));
    let run = app.start_run(&key, "mnist");
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| p.len() >= 2)
    });
    double.delete_job(&job_of(run));
    app.wait_run(&key, run, Duration::from_secs(30), |d| {
        d["status"] == "interrupted"
    });
    let resumed = app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}));
    resumed.assert(200, json!({"run_id": run, "status": "queued"}));
    let details = app.wait_finished(&key, run);
    let expected: Vec<u64> = (0..=800).step_by(100).collect();
    assert_eq!(steps(&details), expected, "every point once, in order");
    let creations = double
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(creations, 2, "the resumed run got a Job of its own");
}

#[test]
fn a_restarted_server_takes_over_the_jobs_that_still_run() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    // The same address after the restart: the running worker keeps reporting to it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let bind = format!("127.0.0.1:{port}");
    let mut app = kube_app(&double, &[("NETSMITH_BIND", bind.as_str())]);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1500));
    let run = app.start_run(&key, "mnist");
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| p.len() >= 2)
    });
    app.restart();
    assert!(
        app.log_shows("took over a run whose server is gone"),
        "{}",
        app.log()
    );
    let details = app.wait_finished(&key, run);
    let expected: Vec<u64> = (0..=1500).step_by(100).collect();
    assert_eq!(steps(&details), expected, "no point lost or doubled");
    assert_eq!(double.containers_started(), 1, "the same pod trained throughout");
}

#[test]
fn the_node_view_is_the_clusters_nodes_with_the_callers_run_pods() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(
        &double,
        &[
            ("NETSMITH_KUBERNETES_MEMORY", "512Mi"),
            ("NETSMITH_KUBERNETES_MEMORY_LIMIT", "1Gi"),
        ],
    );
    let key = app.signed_in_user("zqh");
    let other = app.signed_in_user("lyr");
    app.configured_digits(&key, "mnist", cnn(1_000_000));
    let run = app.start_run(&key, "mnist");
    // Running as the worker reports it and as the watch sees its pod.
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["status"] == "running" && d["placement"]["phase"] == "training"
    });
    let pod = double.pods_of(&job_of(run))[0]["metadata"]["name"].clone();
    // Where the run trains, in its details.
    assert_eq!(
        app.run_details(&key, run)["placement"],
        json!({"executor": "kubernetes", "phase": "training", "detail": format!("Job {}", job_of(run)),
               "pod": pod, "node": "kubernetes-node-bols"})
    );

    let nodes = app.get("/runtime/kubernetes/", Some(&key));
    assert_eq!(nodes.status, 200, "{}", nodes.text);
    let nodes = nodes.body.as_array().cloned().expect("a list");
    assert_eq!(nodes.len(), 3);
    // The first node, field by field from its Node object; its kubelet stopped
    // reporting, so its conditions are Unknown.
    let unknown = |kind: &str| {
        json!({"Type": kind, "Status": "Unknown", "Reason": "NodeStatusUnknown",
               "Message": "Kubelet stopped posting node status.",
               "LastHeartbeatTime": "Thu, 17 Feb 2022 22:12:40 +0000",
               "LastTransitionTime": "Thu, 17 Feb 2022 22:13:52 +0000"})
    };
    assert_eq!(
        nodes[0],
        json!({
            "Addresses": {"Hostname": "kube-worker-1", "InternalIP": "192.168.0.113"},
            "Conditions": [
                {"Type": "NetworkUnavailable", "Status": "False", "Reason": "WeaveIsUp",
                 "Message": "Weave pod has set this",
                 "LastHeartbeatTime": "Thu, 17 Feb 2022 22:09:13 +0000",
                 "LastTransitionTime": "Thu, 17 Feb 2022 22:09:13 +0000"},
                unknown("MemoryPressure"), unknown("DiskPressure"), unknown("PIDPressure"), unknown("Ready"),
            ],
            "Non-terminated Pods": [],
            "Capacity": {"cpu": "2", "memory": "2025188Ki", "pods": "110"},
            "Allocatable": {"cpu": "2", "memory": "1922788Ki", "pods": "110"},
            "System Info": {"Kube-Proxy Version": "v1.23.3", "Architecture": "amd64",
                "Container Runtime Version": "containerd://1.5.9", "Operating System": "linux",
                "OS Image": "Ubuntu 21.10", "Kubelet Version": "v1.23.3"},
        })
    );
    // The run's pod, where the cluster scheduled it, with its share of the node.
    assert_eq!(
        nodes[1]["Non-terminated Pods"],
        json!([{"Namespace": NAMESPACE, "Name": pod, "Status": "running",
                "CPU Requests": "1 (50%)", "CPU Limits": "0 (0%)",
                "Memory Requests": "512Mi (27%)", "Memory Limits": "1Gi (54%)"}])
    );
    // GPUs where a node has them.
    assert_eq!(nodes[2]["Capacity"]["nvidia.com/gpu"], "1");
    // Another user sees the nodes but not this run.
    let theirs = app.get("/runtime/kubernetes/", Some(&other)).body;
    assert!(
        theirs
            .as_array()
            .expect("a list")
            .iter()
            .all(|n| n["Non-terminated Pods"] == json!([])),
        "{theirs}"
    );
    app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}));
}

/// Not a test: serves the double for `bench/executors.sh` (its kubeconfig in
/// `$KUBE_DOUBLE_DIR`) until a file named `stop` appears there.
#[test]
#[ignore = "started by bench/executors.sh"]
fn serve_the_double_for_the_benchmark() {
    let folder = std::path::PathBuf::from(std::env::var("KUBE_DOUBLE_DIR").expect("KUBE_DOUBLE_DIR"));
    let _double = KubeDouble::start(&folder);
    while !folder.join("stop").exists() {
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_pytorch_run_becomes_an_indexed_job_with_a_headless_service_for_its_rendezvous() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(
        &double,
        &[(
            "NETSMITH_KUBERNETES_TORCH_IMAGE",
            "registry.example/netsmith:test-torch",
        )],
    );
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1_000_000));
    let options = app.get("/generation/options/list/", Some(&key));
    assert_eq!(
        options.body["engines"][1],
        json!({"name": "pytorch", "available": true, "reason": null, "devices": ["cpu", "cuda"], "max_workers": 16})
    );
    double.set_hold(true);
    let started = app.post_auth(
        "/generation/run/basic/",
        &key,
        json!({"modelName": "mnist", "engine": "pytorch", "workers": 3, "device": "cuda"}),
    );
    assert_eq!(started.status, 202, "{}", started.text);
    let run = started.body["run_id"].as_i64().expect("run_id");
    let name = job_of(run);

    let job = created_job(&double, run);
    let token = job["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"].clone();
    let launch = job["metadata"]["annotations"]["netsmith.io/launch"].clone();
    let labels = json!({
        "app.kubernetes.io/name": "netsmith",
        "app.kubernetes.io/component": "worker",
        "app.kubernetes.io/managed-by": "netsmith",
        "netsmith.io/run": run.to_string(),
        "netsmith.io/owner": "1",
    });
    assert_eq!(
        job,
        json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": name, "labels": labels, "annotations": {"netsmith.io/launch": launch}},
            "spec": {
                "activeDeadlineSeconds": 604800,
                "backoffLimit": 3,
                "completionMode": "Indexed",
                "completions": 3,
                "parallelism": 3,
                "podFailurePolicy": {"rules": [
                    {"action": "FailJob",
                     "onExitCodes": {"containerName": "worker", "operator": "In", "values": [78]}},
                    {"action": "Ignore", "onPodConditions": [{"status": "True", "type": "DisruptionTarget"}]},
                ]},
                "suspend": false,
                "template": {
                    "metadata": {"annotations": {"netsmith.io/launch": launch}, "labels": labels},
                    "spec": {
                        "automountServiceAccountToken": false,
                        "containers": [{
                            "command": ["netsmith", "torchrun", "--run", run.to_string(), "--server", app.base,
                                        "--nodes", "3", "--master", format!("{name}-0.{name}"), "--port", "29500",
                                        "--device", "cuda", "--python", "python3"],
                            "env": [{"name": "NETSMITH_RUN_TOKEN", "value": token},
                                    {"name": "RUST_LOG", "value": "info"},
                                    {"name": "OMP_NUM_THREADS", "value": "1"}],
                            "image": "registry.example/netsmith:test-torch",
                            "name": "worker",
                            "ports": [{"containerPort": 29500, "name": "rendezvous"}],
                            "resources": {"limits": {"memory": "4Gi", "nvidia.com/gpu": "1"},
                                          "requests": {"cpu": "1", "memory": "2Gi"}},
                        }],
                        "enableServiceLinks": false,
                        "restartPolicy": "Never",
                        "subdomain": name,
                    },
                },
                "ttlSecondsAfterFinished": 3600,
            },
        })
    );
    let uid = double.job(&name).expect("the Job")["metadata"]["uid"].clone();
    let service = double
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/services"))
        .map(|r| r.body)
        .expect("the Service was created");
    assert_eq!(
        service,
        json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "labels": labels,
                         "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": name, "uid": uid}]},
            "spec": {
                "clusterIP": "None",
                "ports": [{"name": "rendezvous", "port": 29500, "targetPort": 29500}],
                "publishNotReadyAddresses": true,
                "selector": {"app.kubernetes.io/managed-by": "netsmith", "netsmith.io/run": run.to_string()},
            },
        })
    );

    // Three pods, one per index, on the node with a GPU, waiting to start.
    let details = app.wait_run(&key, run, Duration::from_secs(10), |d| {
        d["placement"]["detail"] == format!("Job {name}: ContainerCreating")
    });
    assert_eq!(
        (&details["engine"], &details["workers"], &details["device"]),
        (&json!("pytorch"), &json!(3), &json!("cuda"))
    );
    let pods = double.pods_of(&name);
    let mut indexes: Vec<&str> = pods
        .iter()
        .filter_map(|p| p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"].as_str())
        .collect();
    indexes.sort_unstable();
    assert_eq!(indexes, vec!["0", "1", "2"]);
    assert!(
        pods.iter()
            .all(|p| p["spec"]["nodeName"] == "kubernetes-node-st6x"),
        "{pods:?}"
    );

    // Pause, resume and stop, as for any run.
    app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "paused"}));
    double.wait_job(&name, 10, |job| job.is_some_and(|j| j["status"]["active"] == 0));
    assert!(double.pods_of(&name).is_empty());
    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "running"}));
    double.wait_job(&name, 10, |job| {
        job.is_some_and(|j| j["spec"]["suspend"] == false)
    });
    for _ in 0..100 {
        if double.pods_of(&name).len() == 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(double.pods_of(&name).len(), 3, "every index back");
    app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "stopped"}));
    double.wait_job(&name, 10, |job| job.is_none());
    assert!(double.service(&name).is_none(), "the Service goes with its Job");
}

#[test]
fn without_a_torch_image_pytorch_runs_are_refused_naming_the_engine() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(&double, &[("NETSMITH_KUBERNETES_TORCH_IMAGE", "")]);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(100));
    app.post_auth("/generation/run/basic/", &key, json!({"modelName": "mnist", "engine": "pytorch"}))
        .assert(400, json!({"engine": [
            "PyTorch runs on this cluster need an image with torch: set NETSMITH_KUBERNETES_TORCH_IMAGE (deploy/Dockerfile --target torch)."
        ]}));
}

/// A PyTorch run on two pods of its Indexed Job, each running `netsmith torchrun` as
/// the pod would (the double's kubelet points their rendezvous at this machine):
/// it trains, holds while paused (its Job suspended, its pods gone), goes on from
/// its checkpoint on new pods when resumed, and completes.
#[test]
fn a_two_pod_pytorch_run_trains_pauses_as_a_suspended_job_and_resumes_on_new_pods() {
    crate::support::test_python();
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let app = kube_app(
        &double,
        &[(
            "NETSMITH_KUBERNETES_TORCH_IMAGE",
            "registry.example/netsmith:test-torch",
        )],
    );
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(500));
    let started = app.post_auth(
        "/generation/run/basic/",
        &key,
        json!({"modelName": "mnist", "engine": "pytorch", "workers": 2}),
    );
    assert_eq!(started.status, 202, "{}", started.text);
    let run = started.body["run_id"].as_i64().expect("run_id");
    let name = job_of(run);
    let logs = || {
        std::fs::read_dir(folder.path())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".log"))
                    .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    for _ in 0..1200 {
        let details = app.run_details(&key, run);
        if details["points"].as_array().is_some_and(|p| p.len() >= 2) {
            break;
        }
        assert!(details["status"] != "failed", "{details}\n{}", logs());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(double.containers_started(), 2, "a pod per worker");
    let paused = app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}));
    assert_eq!(paused.body["status"], "paused", "{}\n{}", paused.text, logs());
    double.wait_job(&name, 20, |job| {
        job.is_some_and(|j| j["spec"]["suspend"] == true && j["status"]["active"] == 0)
    });
    assert!(double.pods_of(&name).is_empty(), "a suspended Job has no pods");
    let held = steps(&app.run_details(&key, run));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        steps(&app.run_details(&key, run)),
        held,
        "nothing moves while paused"
    );
    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "running"}));
    let details = app.wait_run(&key, run, Duration::from_secs(300), |d| {
        ["completed", "failed", "stopped"].contains(&d["status"].as_str().unwrap_or(""))
    });
    assert_eq!(details["status"], "completed", "{details}\n{}", logs());
    assert_eq!(
        steps(&details),
        vec![0, 100, 200, 300, 400, 500],
        "no point lost or doubled"
    );
    assert_eq!(double.containers_started(), 4, "two new pods after the resume");
    let log = logs();
    let sums: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split_once(" checksum=").map(|(_, s)| s))
        .collect();
    assert_eq!(sums.len(), 2, "{log}");
    assert_eq!(sums[0], sums[1], "both pods end with the same weights");
}
