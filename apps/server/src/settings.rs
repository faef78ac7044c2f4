//! Typed settings, layered: defaults < config file < environment < command-line flags.
//! Environment names are `NETSMITH_<FIELD>`; `DATABASE_URL`, `SMTP_URL` and
//! `FRONTEND_URL` are read without the prefix too (the prefixed name wins).

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailVerificationSetting {
    Mandatory,
    Optional,
    None,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free one (logged at start).
    pub bind: String,
    /// Everything kept on disk lives under it.
    pub data_dir: PathBuf,
    /// `sqlite://PATH` or `postgres://...`; default `sqlite://<data_dir>/netsmith.db`.
    #[serde(deserialize_with = "lenient_string")]
    pub database_url: Option<String>,
    /// Signs login keys and reset tokens; generated once under `data_dir` when unset.
    #[serde(deserialize_with = "lenient_string")]
    pub secret_key: Option<String>,
    /// `smtp://`, `smtps://` URL (lettre's format); unset: mail goes to the outbox.
    #[serde(deserialize_with = "lenient_string")]
    pub smtp_url: Option<String>,
    /// Folder for `.eml` files when no SMTP server is set; default `<data_dir>/outbox`.
    pub mail_outbox: Option<PathBuf>,
    pub mail_from: String,
    pub frontend_url: String,
    pub site_name: String,
    pub email_verification: EmailVerificationSetting,
    pub url_upload_allow_private: bool,
    pub executor: String,
    pub bcrypt_cost: u32,
    /// How many bcrypt hashes run at once (default: the number of cores).
    pub hashing_threads: Option<usize>,
    pub session_lifetime_secs: i64,
    pub password_reset_timeout_secs: i64,
    pub email_key_lifetime_secs: i64,
    pub login_failures_per_user: usize,
    pub login_failures_user_window_secs: u64,
    pub login_failures_per_address: usize,
    pub login_failures_address_window_secs: u64,
    /// HTTP worker threads (default: the number of cores).
    pub workers: Option<usize>,
    /// Threads of each HTTP worker's pool for database and file work.
    pub blocking_threads: usize,
    /// Largest JSON or form body accepted, in bytes.
    pub max_json_body: usize,
    /// Uploads one user may send at once (0: no limit); past it, 429.
    pub max_uploads_per_user: usize,
    /// Preprocessing jobs one user may run at once (0: no limit); past it, 429.
    pub max_preprocessing_per_user: usize,
    /// Runs one user may have waiting for a training slot (0: no limit); past it, 429.
    pub max_queued_runs_per_user: usize,
    /// Seconds a client has to send a request's head (line and headers); then 408.
    pub header_timeout_secs: u64,
    /// Seconds a stopping server (SIGTERM) gives its runs to checkpoint, and then again
    /// the requests in flight to finish.
    pub shutdown_timeout_secs: u64,
    /// Seconds a client has before its body's first bytes; each byte then adds
    /// `1 / body_min_rate` seconds (a trickle is cut off); then 408.
    pub body_timeout_secs: u64,
    /// Bytes per second a body must keep up, on average, after the body timeout.
    pub body_min_rate: u64,
    /// Addresses (or CIDR ranges) of reverse proxies whose `X-Forwarded-For` names
    /// the client (for throttling), comma-separated; empty: the header is ignored.
    pub trusted_proxies: String,
    /// Origins (scheme://host[:port]) whose pages may call the API from a browser,
    /// comma-separated; `*` for any. Empty: the origin of `frontend_url`.
    pub cors_allowed_origins: String,
    /// Largest upload (file, archive or URL download), in bytes.
    pub max_upload_bytes: u64,
    /// Bytes each user may store; 0 for no limit.
    pub user_quota_bytes: u64,
    /// Hosts that `url` uploads may reach even on private addresses (comma-separated).
    pub url_upload_allowed_hosts: String,
    pub url_upload_timeout_secs: u64,
    pub zip_max_entries: u64,
    pub zip_max_total_bytes: u64,
    pub zip_max_ratio: u64,
    /// Training runs at once (default: one per two cores, at least one).
    pub train_workers: Option<usize>,
    /// Training steps between two metric points (also one at step 0 and at the end).
    pub eval_every: u64,
    /// Training steps between checkpoints that fall between metric points.
    pub checkpoint_every: u64,
    /// Trained models kept loaded for prediction.
    pub loaded_models: usize,
    /// Process executor: the worker program and its first arguments (space-separated;
    /// default: this binary); `worker --run ...` follow.
    pub worker_command: Option<String>,
    /// The URL workers reach this server at (default: the address it listens on).
    /// The bearer token `GET /metrics` asks for; `None`: open to whoever reaches it.
    pub metrics_token: Option<String>,
    pub worker_server_url: Option<String>,
    /// Process executor: how often a crashed worker is started again before its run is
    /// left interrupted.
    pub worker_restarts: u32,
    /// Seconds a replica's lease on the runs it drives lasts unless renewed (renewed
    /// four times within); runs of a replica silent for longer become interrupted.
    pub lease_seconds: u64,
    /// The Python with torch that trains runs of the PyTorch engine (e.g. the venv of
    /// `make pyenv`).
    pub python: String,
    /// Kubernetes executor: the Jobs' namespace (default: the kubeconfig context's or
    /// the service account's).
    pub kubernetes_namespace: Option<String>,
    /// Kubernetes executor: the image the workers run (this project's image).
    pub kubernetes_image: String,
    /// `Always`, `IfNotPresent` or `Never` (default: the cluster's).
    pub kubernetes_image_pull_policy: Option<String>,
    /// CPU and memory each worker requests, and their limits (empty: no limit).
    pub kubernetes_cpu: String,
    pub kubernetes_memory: String,
    pub kubernetes_cpu_limit: String,
    pub kubernetes_memory_limit: String,
    /// `nvidia.com/gpu` per worker.
    pub kubernetes_gpus: u32,
    /// `key=value,...` labels a worker's node must have.
    pub kubernetes_node_selector: String,
    /// A JSON list of tolerations, as in a pod spec.
    pub kubernetes_tolerations: String,
    pub kubernetes_ttl_seconds_after_finished: i32,
    pub kubernetes_backoff_limit: i32,
    /// 0: no deadline.
    pub kubernetes_active_deadline_seconds: i64,
    /// The image of PyTorch runs' workers (with Python and torch); empty: no PyTorch
    /// runs on the cluster.
    pub kubernetes_torch_image: String,
    /// The Python with torch in that image.
    pub kubernetes_torch_python: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8000".into(),
            data_dir: PathBuf::from("./var"),
            database_url: None,
            secret_key: None,
            smtp_url: None,
            mail_outbox: None,
            mail_from: "netsmith <noreply@localhost>".into(),
            frontend_url: "http://127.0.0.1:8000".into(),
            site_name: "netsmith".into(),
            email_verification: EmailVerificationSetting::Mandatory,
            url_upload_allow_private: false,
            executor: "local".into(),
            bcrypt_cost: 12,
            hashing_threads: None,
            session_lifetime_secs: 14 * 24 * 3600,
            password_reset_timeout_secs: 3 * 24 * 3600,
            email_key_lifetime_secs: 3 * 24 * 3600,
            login_failures_per_user: 5,
            login_failures_user_window_secs: 300,
            login_failures_per_address: 10,
            login_failures_address_window_secs: 60,
            workers: None,
            // More than the database pool's connections would only wait for one; and
            // every thread keeps its own allocator caches (the soak's RSS grew with
            // actix's default of 512 threads shared by the workers).
            blocking_threads: 16,
            max_json_body: 1024 * 1024,
            max_uploads_per_user: 4,
            max_preprocessing_per_user: 2,
            max_queued_runs_per_user: 16,
            header_timeout_secs: 5,
            shutdown_timeout_secs: 20,
            body_timeout_secs: 20,
            body_min_rate: 500,
            trusted_proxies: String::new(),
            cors_allowed_origins: String::new(),
            max_upload_bytes: 2 * 1024 * 1024 * 1024,
            user_quota_bytes: 0,
            url_upload_allowed_hosts: String::new(),
            url_upload_timeout_secs: 60,
            zip_max_entries: 100_000,
            zip_max_total_bytes: 8 * 1024 * 1024 * 1024,
            zip_max_ratio: 200,
            train_workers: None,
            eval_every: codegen::defaults::EVAL_EVERY,
            checkpoint_every: 500,
            loaded_models: 4,
            worker_command: None,
            metrics_token: None,
            worker_server_url: None,
            worker_restarts: 3,
            lease_seconds: 15,
            python: "python3".into(),
            kubernetes_namespace: None,
            kubernetes_image: concat!("netsmith:", env!("CARGO_PKG_VERSION")).into(),
            kubernetes_image_pull_policy: None,
            kubernetes_cpu: "1".into(),
            kubernetes_memory: "2Gi".into(),
            kubernetes_cpu_limit: String::new(),
            kubernetes_memory_limit: "4Gi".into(),
            kubernetes_gpus: 0,
            kubernetes_node_selector: String::new(),
            kubernetes_tolerations: String::new(),
            kubernetes_ttl_seconds_after_finished: 3600,
            kubernetes_backoff_limit: 3,
            kubernetes_active_deadline_seconds: 7 * 24 * 3600,
            kubernetes_torch_image: concat!("netsmith:", env!("CARGO_PKG_VERSION"), "-torch").into(),
            kubernetes_torch_python: "python3".into(),
        }
    }
}

/// Settings given on the command line; only those present override.
#[derive(Debug, Default, Serialize)]
pub struct FlagOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Settings {
    /// Loads the layers; `config` is a TOML file (flag `--config` or `NETSMITH_CONFIG`).
    pub fn load(config: Option<&Path>, flags: &FlagOverrides) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = config {
            figment = figment.merge(Toml::file_exact(path));
        }
        figment
            .merge(Env::raw().only(&["database_url", "smtp_url", "frontend_url"]))
            .merge(Env::prefixed("NETSMITH_").ignore(&["config"]))
            .merge(Serialized::defaults(flags))
            .extract()
            .map_err(Box::new)
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("netsmith.db").display()))
    }

    /// The origins browsers may call from: the setting, else the front end's origin.
    pub fn cors_origins(&self) -> Vec<String> {
        let listed: Vec<String> = self
            .cors_allowed_origins
            .split(',')
            .map(|o| o.trim().trim_end_matches('/').to_owned())
            .filter(|o| !o.is_empty())
            .collect();
        if !listed.is_empty() {
            return listed;
        }
        let url = self.frontend_url.trim_end_matches('/');
        let origin_end = url
            .find("://")
            .map(|i| i + 3)
            .and_then(|start| url[start..].find('/').map(|j| start + j));
        vec![origin_end.map_or(url, |end| &url[..end]).to_owned()]
    }

    /// The Kubernetes executor's settings; `server_url` is where its workers reach
    /// this server.
    pub fn kubernetes(&self, server_url: String) -> Result<cluster::KubernetesSettings, String> {
        let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        let defaults = cluster::KubernetesSettings::new(self.kubernetes_image.clone(), server_url);
        Ok(cluster::KubernetesSettings {
            namespace: self.kubernetes_namespace.clone().filter(|n| !n.is_empty()),
            image_pull_policy: self
                .kubernetes_image_pull_policy
                .clone()
                .filter(|p| !p.is_empty()),
            cpu: self.kubernetes_cpu.clone(),
            memory: self.kubernetes_memory.clone(),
            cpu_limit: optional(&self.kubernetes_cpu_limit),
            memory_limit: optional(&self.kubernetes_memory_limit),
            gpus: self.kubernetes_gpus,
            node_selector: cluster::KubernetesSettings::parse_node_selector(&self.kubernetes_node_selector)?,
            tolerations: cluster::KubernetesSettings::parse_tolerations(&self.kubernetes_tolerations)?,
            ttl_seconds_after_finished: self.kubernetes_ttl_seconds_after_finished,
            backoff_limit: self.kubernetes_backoff_limit,
            active_deadline_seconds: (self.kubernetes_active_deadline_seconds > 0)
                .then_some(self.kubernetes_active_deadline_seconds),
            torch_image: optional(&self.kubernetes_torch_image),
            torch_python: self.kubernetes_torch_python.clone(),
            ..defaults
        })
    }

    pub fn url_allowed_hosts(&self) -> Vec<String> {
        self.url_upload_allowed_hosts
            .split(',')
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect()
    }

    pub fn outbox(&self) -> PathBuf {
        self.mail_outbox
            .clone()
            .unwrap_or_else(|| self.data_dir.join("outbox"))
    }
}

/// Environment values that look like numbers ("12345") still fill string settings.
fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        Text(String),
        Int(i64),
        Float(f64),
        Bool(bool),
    }
    Ok(Option::<Loose>::deserialize(d)?.map(|v| match v {
        Loose::Text(s) => s,
        Loose::Int(n) => n.to_string(),
        Loose::Float(n) => n.to_string(),
        Loose::Bool(b) => b.to_string(),
    }))
}
