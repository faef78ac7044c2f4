//! The worker's HTTP client of its server: every call retried with back-off while the
//! server is unreachable or answers 5xx (a restart, a rolling update), so a brief outage
//! loses nothing; points are keyed by step, so a repeated report changes nothing.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a call did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server stayed unreachable (or failing) for longer than the worker's patience.
    #[error("the server is unreachable: {0}")]
    Unreachable(String),
    /// The token is refused: the run ended, or the token is not this run's.
    #[error("the server refused the run's token")]
    Revoked,
    /// The server refused the request itself.
    #[error("the server refused: {0}")]
    Refused(String),
    /// The server's disk is full (507): what was sent is not stored. Not retried: a
    /// run whose checkpoint cannot be kept fails, as it does on the server.
    #[error("no space left on the server's disk")]
    StorageFull,
}

/// What the server answers `GET /worker/runs/<id>/`.
#[derive(Debug, Clone, Deserialize)]
pub struct AssignmentWire {
    /// The configuration snapshot.
    pub config: Value,
    /// Steps to train.
    pub iter: u64,
    /// Steps done so far (as of the last checkpoint or point).
    pub step: u64,
    /// Seconds spent in training steps so far.
    pub training_seconds: f64,
    /// The data description.
    pub data_spec: Value,
    /// `fresh`, `warm` or `resume`.
    pub start: String,
    /// Steps between points.
    pub eval_every: u64,
    /// Steps between extra checkpoints.
    pub checkpoint_every: u64,
    /// `go`, `pause` or `stop`.
    pub request: String,
}

/// A progress report.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressWire {
    /// The run's status.
    pub status: String,
    /// Steps done.
    pub step: u64,
    /// Seconds in training steps.
    pub training_seconds: f64,
    /// The data as found.
    pub data_spec: Value,
    /// Final accuracy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_accuracy: Option<f64>,
    /// Final loss.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_loss: Option<f64>,
    /// Confusion matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confusion: Option<Vec<Vec<u64>>>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Deserialize)]
struct RequestWire {
    request: String,
}

/// A metric point as the server lists and takes it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct PointWire {
    /// Its step.
    #[serde(default)]
    pub step: u64,
    /// Test accuracy.
    pub accuracy: f64,
    /// Test loss.
    pub loss: f64,
    /// Seconds since the previous point.
    pub duration: f64,
}

/// Calls `/worker/runs/<id>/...` with the run's token.
pub struct WorkerClient {
    http: Client,
    base: String,
    token: String,
    patience: Duration,
}

impl WorkerClient {
    /// A client of `server` for run `run`, giving up on an unreachable server after
    /// `patience`.
    pub fn new(server: &str, run: i64, token: String, patience: Duration) -> Result<Self, ClientError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = Client::builder()
            .timeout(Duration::from_secs(600))
            .connect_timeout(Duration::from_secs(10))
            .no_proxy()
            .build()
            .map_err(|e| ClientError::Unreachable(e.to_string()))?;
        Ok(Self {
            http,
            base: format!("{}/worker/runs/{run}", server.trim_end_matches('/')),
            token,
            patience,
        })
    }

    /// Sends what `build` makes until it gets an answer that is not a server fault.
    fn send(&self, build: impl Fn(&Client) -> RequestBuilder) -> Result<Response, ClientError> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(200);
        loop {
            let outcome = build(&self.http).bearer_auth(&self.token).send();
            let failure = match outcome {
                Ok(response)
                    if response.status().is_success() || response.status() == StatusCode::NOT_FOUND =>
                {
                    return Ok(response);
                }
                Ok(response) if response.status() == StatusCode::UNAUTHORIZED => {
                    return Err(ClientError::Revoked);
                }
                Ok(response) if response.status() == StatusCode::INSUFFICIENT_STORAGE => {
                    return Err(ClientError::StorageFull);
                }
                Ok(response) if response.status().is_client_error() => {
                    return Err(ClientError::Refused(response.text().unwrap_or_default()));
                }
                Ok(response) => format!("HTTP {}", response.status().as_u16()),
                Err(error) => common::error_chain(&error),
            };
            if started.elapsed() >= self.patience {
                return Err(ClientError::Unreachable(failure));
            }
            tracing::warn!(%failure, retry_in_ms = pause.as_millis() as u64, "server call failed");
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(5));
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }

    fn json<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ClientError> {
        response.json().map_err(|e| ClientError::Refused(e.to_string()))
    }

    /// Bytes, or `None` when the server has none (404).
    fn bytes(response: Response) -> Result<Option<Vec<u8>>, ClientError> {
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        response
            .bytes()
            .map(|b| Some(b.to_vec()))
            .map_err(|e| ClientError::Unreachable(e.to_string()))
    }

    /// What to train.
    pub fn assignment(&self) -> Result<AssignmentWire, ClientError> {
        Self::json(self.send(|http| http.get(self.url("")))?)
    }

    /// The data set, encoded.
    pub fn dataset(&self) -> Result<Vec<u8>, ClientError> {
        Self::bytes(self.send(|http| http.get(self.url("dataset/")))?)?
            .ok_or_else(|| ClientError::Refused("no data set".into()))
    }

    /// The run's PyTorch script (the PyTorch engine on a cluster).
    pub fn script(&self) -> Result<String, ClientError> {
        let bytes = Self::bytes(self.send(|http| http.get(self.url("script/")))?)?
            .ok_or_else(|| ClientError::Refused("no script".into()))?;
        String::from_utf8(bytes).map_err(|e| ClientError::Refused(e.to_string()))
    }

    /// The run's checkpoint, encoded, if any.
    pub fn checkpoint(&self) -> Result<Option<Vec<u8>>, ClientError> {
        Self::bytes(self.send(|http| http.get(self.url("checkpoint/")))?)
    }

    /// Replaces the run's checkpoint.
    pub fn put_checkpoint(&self, bytes: &[u8]) -> Result<(), ClientError> {
        self.send(|http| http.put(self.url("checkpoint/")).body(bytes.to_vec()))?;
        Ok(())
    }

    /// The weights the run warm-starts from, if any.
    pub fn warm_weights(&self) -> Result<Option<Vec<u8>>, ClientError> {
        Self::bytes(self.send(|http| http.get(self.url("warm-weights/")))?)
    }

    /// Replaces the run's weights.
    pub fn put_weights(&self, bytes: &[u8]) -> Result<(), ClientError> {
        self.send(|http| http.put(self.url("weights/")).body(bytes.to_vec()))?;
        Ok(())
    }

    /// The points stored after `since`.
    pub fn points(&self, since: Option<u64>) -> Result<Vec<PointWire>, ClientError> {
        let query = since.map_or_else(String::new, |s| format!("?since={s}"));
        Self::json(self.send(|http| http.get(self.url(&format!("points/{query}"))))?)
    }

    /// Records the point of its step.
    pub fn put_point(&self, point: &PointWire) -> Result<(), ClientError> {
        self.send(|http| http.put(self.url(&format!("points/{}/", point.step))).json(point))?;
        Ok(())
    }

    /// Reports progress; answers what the worker is asked to do.
    pub fn progress(&self, progress: &ProgressWire) -> Result<String, ClientError> {
        let answer: RequestWire =
            Self::json(self.send(|http| http.put(self.url("progress/")).json(progress))?)?;
        Ok(answer.request)
    }

    /// What the worker is asked to do now.
    pub fn control(&self) -> Result<String, ClientError> {
        let answer: RequestWire = Self::json(self.send(|http| http.get(self.url("control/")))?)?;
        Ok(answer.request)
    }
}
