//! Sections 4 (runs), 5 (`/runtime/train/`) and 6 (use/predict): training in the
//! server's own engine, watched, paused, stopped, restored and used.

mod control;
mod errors;
pub mod predict;
mod recovery;
pub mod runs;
mod shutdown;

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::models::{dnn_config, seed_config, with};
use crate::support::TestApp;

/// One training thread, so runs of a test happen one after another.
pub const ENV: [(&str, &str); 1] = [("NETSMITH_TRAIN_WORKERS", "1")];

/// The seed's network with a faster optimiser, for tests that need accuracy.
pub fn cnn(iter: u64) -> Value {
    with(
        seed_config(),
        json!({"iter": iter, "optimizer_name": "adam", "learning_rate": 0.005}),
    )
}

pub fn dnn(iter: u64) -> Value {
    with(dnn_config(), json!({"iter": iter}))
}

impl TestApp {
    /// A model on digits.zip with `config` saved.
    #[track_caller]
    pub fn configured_digits(&self, key: &str, name: &str, config: Value) -> i64 {
        let (id, _) = self.digits_model(key, name);
        let saved = self.post_auth(
            "/construct/config/",
            key,
            with(config, json!({"modelName": name})),
        );
        assert_eq!(saved.status, 200, "{}", saved.text);
        id
    }

    /// Starts a run of `model`; returns its id.
    #[track_caller]
    pub fn start_run(&self, key: &str, model: &str) -> i64 {
        let response = self.post_auth("/generation/run/basic/", key, json!({"modelName": model}));
        assert_eq!(response.status, 202, "{}", response.text);
        assert_eq!(response.body["status"], "queued");
        response.body["run_id"].as_i64().expect("run_id")
    }

    pub fn run_details(&self, key: &str, run: i64) -> Value {
        let response = self.get(&format!("/generation/run/details/?run_id={run}"), Some(key));
        assert_eq!(response.status, 200, "{}", response.text);
        response.body
    }

    /// Polls the run until `done` holds (or panics after `limit`).
    #[track_caller]
    pub fn wait_run(&self, key: &str, run: i64, limit: Duration, done: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            let details = self.run_details(key, run);
            if done(&details) {
                return details;
            }
            assert!(
                started.elapsed() < limit,
                "run {run} did not get there in {limit:?}: {details}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    #[track_caller]
    pub fn wait_finished(&self, key: &str, run: i64) -> Value {
        let details = self.wait_run(key, run, Duration::from_secs(600), |d| {
            ["completed", "failed", "stopped"].contains(&d["status"].as_str().unwrap_or(""))
        });
        assert_eq!(details["status"], "completed", "{details}");
        details
    }
}

/// The steps of a run's points.
pub fn steps(details: &Value) -> Vec<u64> {
    details["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["step"].as_u64().expect("step"))
        .collect()
}

/// A run that stopped and went on kept every point it had (`before`'s points, 100
/// steps apart from step 0, stand unchanged in `done`).
#[track_caller]
pub fn assert_points_kept(before: &Value, done: &Value) {
    for point in before["points"].as_array().expect("points") {
        let index = point["step"].as_u64().expect("step") as usize / 100;
        assert_eq!(done["points"][index], *point, "points before the stop are kept");
    }
}

/// (step, accuracy, loss) of every point.
pub fn curve(details: &Value) -> Vec<(u64, f64, f64)> {
    details["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            (
                p["step"].as_u64().expect("step"),
                p["accuracy"].as_f64().expect("accuracy"),
                p["loss"].as_f64().expect("loss"),
            )
        })
        .collect()
}
