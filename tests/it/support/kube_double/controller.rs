//! The double's Job controller, scheduler and kubelet in one loop: a Job gets a pod on
//! a node, the pod's container runs (a real `netsmith worker` process), its exit ends
//! the pod, and the Job completes, fails (backoff limit, the pod failure policy, its
//! deadline) or gets another pod; a suspended Job loses its pods and gets a new one
//! when resumed. An image named `.../missing...` never pulls (`ImagePullBackOff`);
//! with `oom` set, every container is `OOMKilled` as it starts.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::store::{Kind, Store, now};

/// Between a pod being scheduled and its container starting.
const START_DELAY: Duration = Duration::from_millis(150);

/// A pod's container, as the kubelet runs it.
struct Container {
    child: Option<Child>,
    scheduled: Instant,
}

#[derive(Default)]
pub struct Controller {
    containers: HashMap<String, Container>,
    /// Every container is OOMKilled as it starts.
    pub oom: bool,
    /// Pods stay pending (their containers being created) while set.
    pub hold: bool,
    /// Where the workers' output goes.
    pub logs: Option<std::path::PathBuf>,
    /// Each PyTorch Job's rendezvous port.
    ports: HashMap<String, u16>,
    pub started: Vec<String>,
}

fn condition(kind: &str, reason: &str, message: &str) -> Value {
    json!({"type": kind, "status": "True", "reason": reason, "message": message,
           "lastProbeTime": now(), "lastTransitionTime": now()})
}

fn finished(job: &Value) -> bool {
    job["status"]["conditions"].as_array().is_some_and(|c| {
        c.iter()
            .any(|c| (c["type"] == "Complete" || c["type"] == "Failed") && c["status"] == "True")
    })
}

fn pods_of(store: &Store, job: &str) -> Vec<Value> {
    store
        .all(Kind::Pod)
        .into_iter()
        .filter(|pod| pod["metadata"]["labels"]["job-name"] == job)
        .collect()
}

/// An Indexed Job pod's index (0 for others).
fn pod_index(pod: &Value) -> u64 {
    pod["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]
        .as_str()
        .and_then(|i| i.parse().ok())
        .unwrap_or(0)
}

/// Whether a pod of that index already succeeded.
fn succeeded_index(store: &Store, job: &str, index: u64) -> bool {
    pods_of(store, job)
        .iter()
        .any(|pod| pod_index(pod) == index && pod["status"]["phase"] == "Succeeded")
}

fn live(pod: &Value) -> bool {
    matches!(pod["status"]["phase"].as_str(), Some("Pending" | "Running"))
}

impl Controller {
    /// A controller whose workers write their output into `logs`.
    pub fn new(logs: &std::path::Path) -> Self {
        Self {
            logs: Some(logs.to_path_buf()),
            ..Self::default()
        }
    }

    /// Ends a container (SIGKILL to its process group) and forgets it.
    fn kill(&mut self, pod: &str) {
        if let Some(mut container) = self.containers.remove(pod)
            && let Some(child) = container.child.as_mut()
        {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A free port for the Job's rendezvous, the same for all its pods.
    fn port_of(&mut self, job: &str) -> u16 {
        *self.ports.entry(job.to_owned()).or_insert_with(|| {
            std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_or(29500, |a| a.port())
        })
    }

    /// Deletes every pod of a Job (after the Job was deleted, or on suspension).
    pub fn remove_pods(&mut self, store: &mut Store, job: &str) {
        // The next pods meet at a fresh port (the old one may linger in TIME_WAIT).
        self.ports.remove(job);
        for pod in pods_of(store, job) {
            let name = pod["metadata"]["name"].as_str().unwrap_or_default().to_owned();
            self.kill(&name);
            store.remove(Kind::Pod, &name);
        }
    }

    pub fn kill_all(&mut self) {
        let pods: Vec<String> = self.containers.keys().cloned().collect();
        for pod in pods {
            self.kill(&pod);
        }
    }

    /// One pass over every Job.
    pub fn reconcile(&mut self, store: &mut Store, nodes: &[Value]) {
        for job in store.all(Kind::Job) {
            if !finished(&job) {
                self.reconcile_job(store, job, nodes);
            }
        }
    }

    fn reconcile_job(&mut self, store: &mut Store, mut job: Value, nodes: &[Value]) {
        let name = job["metadata"]["name"].as_str().unwrap_or_default().to_owned();
        let suspended = job["spec"]["suspend"] == true;
        let was_suspended = job["status"]["conditions"].as_array().is_some_and(|c| {
            c.iter()
                .any(|c| c["type"] == "Suspended" && c["status"] == "True")
        });
        if suspended {
            if !was_suspended {
                self.remove_pods(store, &name);
                job["status"]["active"] = json!(0);
                job["status"]["ready"] = json!(0);
                job["status"]["conditions"] =
                    json!([condition("Suspended", "JobSuspended", "Job suspended")]);
                store.put(Kind::Job, job);
            }
            return;
        }
        if was_suspended || job["status"]["startTime"].is_null() {
            // Kubernetes restarts a resumed Job's clock.
            let resumed = json!({"type": "Suspended", "status": "False", "reason": "JobResumed",
                "message": "Job resumed", "lastProbeTime": now(), "lastTransitionTime": now()});
            job["status"]["conditions"] = if was_suspended {
                json!([resumed])
            } else {
                json!([])
            };
            job["status"]["startTime"] = json!(now());
            job = store.put(Kind::Job, job);
        }
        if let Some(deadline) = job["spec"]["activeDeadlineSeconds"].as_i64() {
            let start = job["status"]["startTime"].as_str().unwrap_or_default();
            let since = chrono::DateTime::parse_from_rfc3339(start)
                .map(|t| chrono::Utc::now().signed_duration_since(t).num_milliseconds())
                .unwrap_or(0);
            if since > deadline * 1000 {
                self.remove_pods(store, &name);
                self.fail(
                    store,
                    job,
                    "DeadlineExceeded",
                    "Job was active longer than specified deadline",
                );
                return;
            }
        }
        // Indexed Jobs keep a pod per index; others one pod.
        let indexed = job["spec"]["completionMode"] == "Indexed";
        let wanted = if indexed {
            job["spec"]["parallelism"].as_u64().unwrap_or(1)
        } else {
            1
        };
        let mut running: Vec<u64> = Vec::new();
        for pod in pods_of(store, &name) {
            if live(&pod) {
                let index = pod_index(&pod);
                running.push(index);
                if let Some(ended) = self.step_pod(store, pod) {
                    running.retain(|i| *i != index);
                    if self.count(store, &name, &ended) {
                        return;
                    }
                }
            }
        }
        for index in 0..wanted {
            let done = indexed && succeeded_index(store, &name, index);
            if !(running.contains(&index) || done) {
                self.create_pod(store, &job, nodes, indexed.then_some(index));
            }
        }
    }

    /// Moves a pod on (start its container, notice its exit); returns the pod when it
    /// ended.
    fn step_pod(&mut self, store: &mut Store, mut pod: Value) -> Option<Value> {
        let name = pod["metadata"]["name"].as_str().unwrap_or_default().to_owned();
        let container = self.containers.get_mut(&name)?;
        if container.child.is_none() {
            if self.hold {
                if !pod["status"]["containerStatuses"].is_array() {
                    pod["status"]["containerStatuses"] = json!([{"name": "worker", "image": pod["spec"]["containers"][0]["image"],
                        "imageID": "", "ready": false, "restartCount": 0, "started": false,
                        "state": {"waiting": {"reason": "ContainerCreating"}}}]);
                    store.put(Kind::Pod, pod);
                }
                return None;
            }
            let creating =
                pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "ContainerCreating";
            if container.scheduled.elapsed() < START_DELAY
                || (pod["status"]["containerStatuses"].is_array() && !creating)
            {
                return None;
            }
            let spec = pod["spec"]["containers"][0].clone();
            let image = spec["image"].as_str().unwrap_or_default().to_owned();
            if image.contains("missing") {
                pod["status"]["containerStatuses"] = json!([{"name": "worker", "image": image, "imageID": "",
                    "ready": false, "restartCount": 0, "started": false,
                    "state": {"waiting": {"reason": "ImagePullBackOff",
                        "message": format!("Back-off pulling image \"{image}\"")}}}]);
                store.put(Kind::Pod, pod);
                return None;
            }
            if self.oom {
                return Some(self.end_pod(store, pod, 137, "OOMKilled"));
            }
            let job = pod["metadata"]["labels"]["job-name"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            match self.run_container(&spec, &name, &job) {
                Ok(child) => {
                    if let Some(container) = self.containers.get_mut(&name) {
                        container.child = Some(child);
                    }
                    self.started.push(name);
                    pod["status"]["phase"] = json!("Running");
                    pod["status"]["containerStatuses"] = json!([{"name": "worker", "image": image, "imageID": "",
                        "ready": true, "restartCount": 0, "started": true,
                        "state": {"running": {"startedAt": now()}}}]);
                    store.put(Kind::Pod, pod);
                    return None;
                }
                Err(error) => {
                    eprintln!("the double cannot start a worker: {error}");
                    return Some(self.end_pod(store, pod, 128, "StartError"));
                }
            }
        }
        let child = container.child.as_mut()?;
        let status = child.try_wait().ok()??;
        let code = status.code().unwrap_or(137);
        self.containers.remove(&name);
        Some(self.end_pod(store, pod, code, if code == 0 { "Completed" } else { "Error" }))
    }

    fn end_pod(&mut self, store: &mut Store, mut pod: Value, code: i32, reason: &str) -> Value {
        let name = pod["metadata"]["name"].as_str().unwrap_or_default().to_owned();
        self.containers.remove(&name);
        pod["status"]["phase"] = json!(if code == 0 { "Succeeded" } else { "Failed" });
        pod["status"]["containerStatuses"] = json!([{"name": "worker",
            "image": pod["spec"]["containers"][0]["image"], "imageID": "", "ready": false,
            "restartCount": 0, "started": false,
            "state": {"terminated": {"exitCode": code, "reason": reason,
                "startedAt": now(), "finishedAt": now()}}}]);
        store.put(Kind::Pod, pod)
    }

    /// Counts an ended pod against its Job; whether the Job finished.
    fn count(&mut self, store: &mut Store, job_name: &str, pod: &Value) -> bool {
        let Some(mut job) = store.get(Kind::Job, job_name) else {
            return true;
        };
        let code = pod["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"]
            .as_i64()
            .unwrap_or(1);
        if code == 0 {
            let succeeded = job["status"]["succeeded"].as_u64().unwrap_or(0) + 1;
            job["status"]["succeeded"] = json!(succeeded);
            if succeeded < job["spec"]["completions"].as_u64().unwrap_or(1) {
                store.put(Kind::Job, job);
                return false;
            }
            job["status"]["active"] = json!(0);
            job["status"]["completionTime"] = json!(now());
            job["status"]["conditions"] = json!([
                condition(
                    "SuccessCriteriaMet",
                    "CompletionsReached",
                    "Reached expected number of succeeded pods"
                ),
                condition(
                    "Complete",
                    "CompletionsReached",
                    "Reached expected number of succeeded pods"
                ),
            ]);
            store.put(Kind::Job, job);
            return true;
        }
        let fail_job = job["spec"]["podFailurePolicy"]["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .find(|(_, rule)| {
                rule["action"] == "FailJob"
                    && rule["onExitCodes"]["values"]
                        .as_array()
                        .is_some_and(|values| values.iter().any(|v| v.as_i64() == Some(code)))
            });
        if let Some((index, _)) = fail_job {
            let message = format!(
                "Container worker for pod {}/{} failed with exit code {code} matching FailJob rule at index {index}",
                pod["metadata"]["namespace"].as_str().unwrap_or_default(),
                pod["metadata"]["name"].as_str().unwrap_or_default()
            );
            self.fail(store, job, "PodFailurePolicy", &message);
            return true;
        }
        let failed = job["status"]["failed"].as_i64().unwrap_or(0) + 1;
        job["status"]["failed"] = json!(failed);
        job["status"]["active"] = json!(0);
        if failed > job["spec"]["backoffLimit"].as_i64().unwrap_or(6) {
            self.fail(
                store,
                job,
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
            );
            return true;
        }
        store.put(Kind::Job, job);
        false
    }

    fn fail(&mut self, store: &mut Store, mut job: Value, reason: &str, message: &str) {
        job["status"]["active"] = json!(0);
        job["status"]["conditions"] = json!([
            condition("FailureTarget", reason, message),
            condition("Failed", reason, message)
        ]);
        store.put(Kind::Job, job);
    }

    /// A pod from the Job's template, scheduled on a ready node (one with a GPU when
    /// it asks for one).
    fn create_pod(&mut self, store: &mut Store, job: &Value, nodes: &[Value], index: Option<u64>) {
        let job_name = job["metadata"]["name"].as_str().unwrap_or_default();
        let template = &job["spec"]["template"];
        let wants_gpu = !template["spec"]["containers"][0]["resources"]["limits"]["nvidia.com/gpu"].is_null();
        let ready = |node: &&Value| {
            node["status"]["conditions"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"))
        };
        let node = nodes
            .iter()
            .filter(ready)
            .find(|node| {
                let has_gpu = !node["status"]["allocatable"]["nvidia.com/gpu"].is_null();
                has_gpu == wants_gpu
            })
            .or_else(|| nodes.iter().find(ready));
        let suffix = format!("{:05x}", store.version() * 7919 % 0xfffff);
        let name = match index {
            Some(index) => format!("{job_name}-{index}-{}", &suffix[..5]),
            None => format!("{job_name}-{}", &suffix[..5]),
        };
        let mut pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {
                "name": name,
                "namespace": job["metadata"]["namespace"],
                "labels": template["metadata"]["labels"],
                "annotations": template["metadata"]["annotations"],
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": job_name,
                    "uid": job["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true}],
            },
            "spec": template["spec"],
            "status": {"phase": "Pending", "qosClass": "Burstable",
                "conditions": [{"type": "PodScheduled", "status": "True", "lastTransitionTime": now()}]},
        });
        if let Some(index) = index {
            // As the Job controller does for Indexed Jobs.
            pod["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"] =
                json!(index.to_string());
            pod["spec"]["hostname"] = json!(format!("{job_name}-{index}"));
            if let Some(env) = pod["spec"]["containers"][0]["env"].as_array_mut() {
                env.push(json!({"name": "JOB_COMPLETION_INDEX", "value": index.to_string()}));
            }
        }
        pod["metadata"]["labels"]["job-name"] = json!(job_name);
        pod["metadata"]["labels"]["batch.kubernetes.io/job-name"] = json!(job_name);
        if let Some(node) = node {
            pod["spec"]["nodeName"] = node["metadata"]["name"].clone();
        }
        store.put(Kind::Pod, pod);
        self.containers.insert(
            name,
            Container {
                child: None,
                scheduled: Instant::now(),
            },
        );
        // The Job as it is now (counting the pod that ended may have changed it).
        if let Some(mut job) = store.get(Kind::Job, job_name) {
            let active = job["status"]["active"].as_u64().unwrap_or(0);
            job["status"]["active"] = json!(active + 1);
            store.put(Kind::Job, job);
        }
    }

    /// The container's command, with `netsmith` being this build's binary. The
    /// double's "container runtime" also ends workers with the test process.
    fn run_container(&mut self, spec: &Value, pod: &str, job: &str) -> std::io::Result<Child> {
        let words: Vec<String> = spec["command"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(spec["args"].as_array().into_iter().flatten())
            .filter_map(|w| w.as_str().map(str::to_owned))
            .collect();
        let (program, args) = words
            .split_first()
            .ok_or_else(|| std::io::Error::other("no command"))?;
        // `netsmith` is this build's binary, or the one a benchmark names.
        let this_build =
            std::env::var("KUBE_DOUBLE_WORKER").unwrap_or_else(|_| env!("CARGO_BIN_EXE_netsmith").to_owned());
        let program = if program == "netsmith" {
            this_build.as_str()
        } else {
            program
        };
        let mut command = Command::new(program);
        if args.first().map(String::as_str) == Some("torchrun") {
            // A PyTorch node: its peers are on this machine, at a port of the Job's
            // own, with this machine's Python.
            let port = self.port_of(job).to_string();
            let python = std::env::var("NETSMITH_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
            let mut args = args.to_vec();
            for (flag, value) in [
                ("--master", "127.0.0.1"),
                ("--port", port.as_str()),
                ("--python", python.as_str()),
            ] {
                if let Some(at) = args.iter().position(|a| a == flag) {
                    args[at + 1] = value.to_owned();
                }
            }
            command.args(args);
        } else {
            command.args(args).arg("--exit-with-parent");
        }
        // Its own process group: ending the container ends everything it started.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        for (key, _) in std::env::vars() {
            if key.starts_with("NETSMITH_") {
                command.env_remove(key);
            }
        }
        for variable in spec["env"].as_array().into_iter().flatten() {
            command.env(
                variable["name"].as_str().unwrap_or_default(),
                variable["value"].as_str().unwrap_or_default(),
            );
        }
        match &self.logs {
            Some(folder) => {
                let log = std::fs::File::create(folder.join(format!("{pod}.log")))?;
                command
                    .stdout(Stdio::from(log.try_clone()?))
                    .stderr(Stdio::from(log));
            }
            None => {
                command.stdout(Stdio::null()).stderr(Stdio::null());
            }
        }
        command.spawn()
    }
}
