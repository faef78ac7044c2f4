//! `TestApp`: the real server in a child process, and a client for it.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tempfile::TempDir;

use super::GOOD_PASSWORD;
use super::database::TestDatabase;
use super::mail::{Mail, read_outbox};

pub const FRONTEND: &str = "http://frontend.test";

pub struct TestApp {
    pub base: String,
    pub dir: TempDir,
    child: Child,
    client: Client,
    env: Vec<(String, String)>,
    /// The data folder (another replica's, for a replica).
    data: PathBuf,
    database_url: String,
    // Dropped after the child is killed (field order), so PostgreSQL can drop it;
    // `None` for a replica, which uses its first server's.
    _database: Option<TestDatabase>,
}

/// What came back: status, headers, and the body as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts status and the exact JSON body.
    #[track_caller]
    pub fn assert(&self, status: u16, body: Value) {
        assert_eq!(
            (self.status, &self.body),
            (status, &body),
            "response text: {}",
            self.text
        );
    }
}

impl TestApp {
    pub fn spawn() -> Self {
        Self::spawn_with(&[])
    }

    /// Starts a server with extra environment settings.
    pub fn spawn_with(env: &[(&str, &str)]) -> Self {
        Self::spawn_in(None, env)
    }

    /// Starts a server whose data folder is `data` (e.g. a small disk of the test's),
    /// with extra settings; its database and log stay in a folder of its own.
    pub fn spawn_on(data: &Path, env: &[(&str, &str)]) -> Self {
        Self::spawn_in(Some(data), env)
    }

    /// A server with a fresh folder and database; its data in `data`, or in that folder.
    fn spawn_in(data: Option<&Path>, env: &[(&str, &str)]) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("netsmith-test-")
            .tempdir()
            .expect("temp dir");
        let database = TestDatabase::create(dir.path());
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let data = data.map_or_else(|| dir.path().join("data"), Path::to_owned);
        let database_url = database.url().to_owned();
        Self::start(dir, data, database_url, Some(database), env)
    }

    /// Another server process on this one's database and data folder, as a second
    /// replica behind a load balancer would run, with extra settings.
    pub fn replica(&self, env: &[(&str, &str)]) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("netsmith-replica-")
            .tempdir()
            .expect("temp dir");
        let mut settings = self.env.clone();
        settings.extend(env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Self::start(dir, self.data.clone(), self.database_url.clone(), None, settings)
    }

    fn start(
        dir: TempDir,
        data: PathBuf,
        database_url: String,
        database: Option<TestDatabase>,
        env: Vec<(String, String)>,
    ) -> Self {
        let (child, address) = start_server(dir.path(), &data, &database_url, &env);
        // reqwest is built without a default TLS provider; the process needs one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        TestApp {
            base: format!("http://{address}"),
            dir,
            child,
            client,
            env,
            data,
            database_url,
            _database: database,
        }
    }

    /// Kills the server and starts a new one on the same folder and database.
    pub fn restart(&mut self) {
        self.kill();
        let (child, address) = start_server(self.dir.path(), &self.data, &self.database_url, &self.env);
        self.child = child;
        self.base = format!("http://{address}");
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data.clone()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Whether the server's log shows `needle` within a few seconds (it is copied
    /// from the process's output by another thread).
    pub fn log_shows(&self, needle: &str) -> bool {
        for _ in 0..50 {
            if self.log().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// A plain TCP connection to the server, for requests no HTTP client would send
    /// (a body that stops, a head that never ends).
    pub fn raw_connection(&self) -> std::net::TcpStream {
        let address = self.base.trim_start_matches("http://").trim_end_matches('/');
        let stream = std::net::TcpStream::connect(address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("read timeout");
        stream
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn send(&self, request: RequestBuilder) -> Response {
        let response = request.send().expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Response {
            status,
            headers,
            body,
            text,
        }
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.send(with_token(self.request(reqwest::Method::GET, path), token))
    }

    pub fn post(&self, path: &str, body: Value) -> Response {
        self.send(self.request(reqwest::Method::POST, path).json(&body))
    }

    pub fn post_auth(&self, path: &str, token: &str, body: Value) -> Response {
        self.send(with_token(self.request(reqwest::Method::POST, path), Some(token)).json(&body))
    }

    pub fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> Response {
        self.send(with_token(self.request(method, path), token).json(&body))
    }

    pub fn mails(&self) -> Vec<Mail> {
        read_outbox(&self.data_dir().join("outbox"))
    }

    /// The newest mail sent to `to`.
    #[track_caller]
    pub fn last_mail_to(&self, to: &str) -> Mail {
        self.mails()
            .into_iter()
            .rev()
            .find(|m| m.header("To") == to)
            .unwrap_or_else(|| panic!("no mail to {to}"))
    }

    /// Registers a user (mandatory verification) and returns the confirmation key.
    #[track_caller]
    pub fn register(&self, username: &str, email: &str) -> String {
        self.post(
            "/rest-auth/registration/",
            json!({"username": username, "email": email, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}),
        )
        .assert(201, json!({"detail": "Verification e-mail sent."}));
        let parts = self
            .last_mail_to(email)
            .link_parts(&format!("{FRONTEND}/verify-email/"));
        parts[0].clone()
    }

    /// Registers and confirms a user, then logs in; returns the login key.
    #[track_caller]
    pub fn signed_in_user(&self, username: &str) -> String {
        let email = format!("{username}@example.com");
        let key = self.register(username, &email);
        self.post("/rest-auth/registration/verify-email/", json!({"key": key}))
            .assert(200, json!({"detail": "ok"}));
        self.login(username, GOOD_PASSWORD)
    }

    #[track_caller]
    pub fn login(&self, username: &str, password: &str) -> String {
        let response = self.post(
            "/rest-auth/login/",
            json!({"username": username, "password": password}),
        );
        assert_eq!(response.status, 200, "login failed: {}", response.text);
        response.body["key"].as_str().expect("a key").to_owned()
    }

    /// Asks the server to stop as an orchestrator does (SIGTERM) and waits until it
    /// has; its exit status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        self.send_sigterm();
        self.wait_exit()
    }

    /// The server process's id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends the server SIGTERM.
    pub fn send_sigterm(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "SIGTERM was not delivered");
    }

    /// Waits until the server process has ended; its exit status.
    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        self.child.wait().expect("wait for the server")
    }

    /// The run's row as the database holds it (for a stopped server).
    pub fn stored_run(&self, id: i64) -> super::StoredRun {
        super::database::stored_run(&self.database_url, id)
    }

    /// Ends the server process, as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `netsmith serve` on a free port, logging into `dir`; returns the process and
/// its address.
fn start_server(dir: &Path, data: &Path, database_url: &str, env: &[(String, String)]) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_netsmith"));
    command.arg("serve");
    for (key, _) in std::env::vars() {
        if key.starts_with("NETSMITH_")
            || ["DATABASE_URL", "SMTP_URL", "FRONTEND_URL"].contains(&key.as_str())
        {
            command.env_remove(key);
        }
    }
    command
        .env("NETSMITH_BIND", "127.0.0.1:0")
        .env("NETSMITH_DATA_DIR", data)
        .env("DATABASE_URL", database_url)
        .env("NETSMITH_BCRYPT_COST", "4")
        .env("NETSMITH_FRONTEND_URL", FRONTEND)
        .env("RUST_LOG", "info")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = command.spawn().expect("start netsmith");
    let stdout = child.stdout.take().expect("piped stdout");
    let log_path = dir.join("server.log");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log_path)
            .ok();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://").nth(1) {
                // Up to the first character of no address (a space, or a JSON log's quote).
                let address: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || ".:[]".contains(*c))
                    .collect();
                let _ = tx.send(address);
            }
            if let Some(log) = log.as_mut() {
                let _ = writeln!(log, "{line}");
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(address) => (child, address),
        Err(_) => {
            let _ = child.kill();
            let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            panic!("the server did not start:\n{log}");
        }
    }
}

fn with_token(request: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(token) => request.header("Authorization", format!("Token {token}")),
        None => request,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.kill();
    }
}
