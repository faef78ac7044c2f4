//! A Kubernetes API test double: an HTTP server in the test process that speaks the
//! API paths the Kubernetes executor uses and simulates the cluster behind them (a
//! Job controller, a scheduler over the recorded nodes of `fixtures/k8s/`, and a
//! kubelet whose containers are real `netsmith worker` processes). A server given
//! its kubeconfig trains runs "in the cluster" end to end.

mod controller;
mod discovery;
mod routes;
mod store;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use actix_web::{App, HttpServer, web};
use serde_json::Value;

pub use store::Recorded;
use store::{Kind, Store};

/// The namespace the double's kubeconfig names.
pub const NAMESPACE: &str = "netsmith";

pub struct State {
    store: Store,
    controller: controller::Controller,
    nodes: Vec<Value>,
}

type Shared = Arc<Mutex<State>>;

fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/k8s")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("fixture JSON")
}

pub struct KubeDouble {
    shared: Shared,
    kubeconfig: PathBuf,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl KubeDouble {
    /// Starts the double with the recorded nodes and pods; its kubeconfig and the
    /// workers' logs go into `folder`.
    pub fn start(folder: &Path) -> Self {
        let mut store = Store::default();
        // Pods of other workloads in other namespaces: never the executor's business.
        for pod in fixture("pod-list.json")["items"].as_array().into_iter().flatten() {
            store.put(Kind::Pod, pod.clone());
        }
        let nodes = fixture("node-list.json")["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let controller = controller::Controller::new(folder);
        let shared = Arc::new(Mutex::new(State {
            store,
            controller,
            nodes,
        }));
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the double");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let app_state = web::Data::new(shared.clone());
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(app_state.clone())
                        .route("/apis/batch/v1/namespaces/{ns}/jobs", web::get().to(routes::jobs))
                        .route(
                            "/apis/batch/v1/namespaces/{ns}/jobs",
                            web::post().to(routes::create_job),
                        )
                        .route(
                            "/apis/batch/v1/namespaces/{ns}/jobs/{name}",
                            web::route().to(routes::job),
                        )
                        .route("/api/v1/namespaces/{ns}/pods", web::get().to(routes::pods))
                        .route("/api/v1/nodes", web::get().to(routes::nodes))
                        .route(
                            "/api/v1/namespaces/{ns}/services",
                            web::post().to(routes::create_service),
                        )
                        .route(
                            "/api/v1/namespaces/{ns}/services/{name}",
                            web::route().to(routes::service),
                        )
                        .default_service(web::to(discovery::answer))
                })
                .workers(2)
                .listen(listener)
                .expect("listen")
                .run();
                let _ = server.await;
            });
        });
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (looping, halt) = (shared.clone(), stop.clone());
        std::thread::spawn(move || {
            while !halt.load(std::sync::atomic::Ordering::Relaxed) {
                {
                    let mut state = lock(&looping);
                    let State {
                        store,
                        controller,
                        nodes,
                    } = &mut *state;
                    controller.reconcile(store, nodes);
                }
                std::thread::sleep(Duration::from_millis(40));
            }
        });
        let kubeconfig = folder.join("kubeconfig");
        std::fs::write(
            &kubeconfig,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: double\n  cluster:\n    server: {base}\n\
                 contexts:\n- name: double\n  context:\n    cluster: double\n    user: tester\n    namespace: {NAMESPACE}\n\
                 current-context: double\nusers:\n- name: tester\n  user:\n    token: double-token\n"
            ),
        )
        .expect("write the kubeconfig");
        Self {
            shared,
            kubeconfig,
            stop,
        }
    }

    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// Every container OOMKilled as it starts (or not).
    pub fn set_oom(&self, oom: bool) {
        lock(&self.shared).controller.oom = oom;
    }

    /// Pods stay pending, their containers being created (or go on).
    pub fn set_hold(&self, hold: bool) {
        lock(&self.shared).controller.hold = hold;
    }

    pub fn service(&self, name: &str) -> Option<Value> {
        lock(&self.shared).store.get(Kind::Service, name)
    }

    pub fn job(&self, name: &str) -> Option<Value> {
        lock(&self.shared).store.get(Kind::Job, name)
    }

    pub fn pods_of(&self, job: &str) -> Vec<Value> {
        lock(&self.shared)
            .store
            .all(Kind::Pod)
            .into_iter()
            .filter(|pod| pod["metadata"]["labels"]["job-name"] == job)
            .collect()
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared).store.requests.clone()
    }

    /// How many worker containers started so far.
    pub fn containers_started(&self) -> usize {
        lock(&self.shared).controller.started.len()
    }

    /// Deletes a Job and its pods as someone with kubectl would.
    pub fn delete_job(&self, name: &str) {
        let mut state = lock(&self.shared);
        state.store.remove(Kind::Job, name);
        let State {
            store, controller, ..
        } = &mut *state;
        controller.remove_pods(store, name);
    }

    /// Waits until `check` holds for the Job (or panics after `seconds`).
    #[track_caller]
    pub fn wait_job(
        &self,
        name: &str,
        seconds: u64,
        check: impl Fn(Option<&Value>) -> bool,
    ) -> Option<Value> {
        for _ in 0..seconds * 20 {
            let job = self.job(name);
            if check(job.as_ref()) {
                return job;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the Job {name} never reached the state the test waits for: {:?}",
            self.job(name)
        );
    }
}

impl Drop for KubeDouble {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        lock(&self.shared).controller.kill_all();
    }
}
