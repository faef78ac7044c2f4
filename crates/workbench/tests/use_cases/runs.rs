//! Starting, watching, pausing, resuming, stopping and restoring runs.

use runs::RunStatus;
use serde_json::json;
use workbench::WorkbenchError;

use crate::bench::{OWNER, STRANGER, TestBench, dnn};

#[test]
fn a_run_trains_to_completion_with_a_point_every_interval() {
    let t = TestBench::new();
    t.iris_model("iris", dnn(40));
    let run = t.bench.start_run(OWNER, "iris", None).expect("started");
    assert_eq!(run.status, RunStatus::Queued);
    let run = t.finished(run.id);
    assert_eq!(run.status, RunStatus::Completed, "{:?}", run.error);
    let (_, points) = t.bench.run_progress(OWNER, run.id, None).expect("points");
    let steps: Vec<u64> = points.iter().map(|p| p.step).collect();
    assert_eq!(steps, vec![0, 10, 20, 30, 40]);
    let (_, later) = t.bench.run_progress(OWNER, run.id, Some(20)).expect("points");
    assert_eq!(later.len(), 2);
    assert_eq!(run.final_accuracy, points.last().map(|p| p.accuracy));
    let latest = t.bench.latest_run(OWNER, "iris").expect("latest").expect("a run");
    assert_eq!(latest.0.id, run.id);
    assert!(matches!(
        t.bench.run(STRANGER, run.id),
        Err(WorkbenchError::RunNotFound)
    ));
}

#[test]
fn a_model_without_configuration_or_data_cannot_start() {
    let t = TestBench::new();
    t.bench.models().create(OWNER, "empty", None).expect("created");
    let refused = t
        .bench
        .start_run(OWNER, "empty", None)
        .expect_err("no configuration");
    assert_eq!(
        refused.to_string(),
        "This model has no configuration yet: save one with POST /construct/config/."
    );
    t.bench
        .save_config(OWNER, "empty", dnn(10), None)
        .expect("saved without data");
    let refused = t.bench.start_run(OWNER, "empty", None).expect_err("no data");
    assert!(
        matches!(refused, WorkbenchError::Model(models::ModelError::NoData)),
        "{refused:?}"
    );
}

#[test]
fn a_network_too_big_for_one_step_is_refused_up_front() {
    let t = TestBench::new();
    let iris = t.iris();
    t.bench
        .models()
        .create(OWNER, "wide", Some(iris))
        .expect("created");
    let mut config = dnn(10);
    config.insert(
        "net_config".into(),
        json!({"middle_layer": [{"layer": "connect", "units": 100_000}, {"layer": "connect", "units": 100_000}], "output_layer": {}}),
    );
    t.bench.save_config(OWNER, "wide", config, None).expect("saved");
    let refused = t.bench.start_run(OWNER, "wide", None).expect_err("too big");
    assert!(
        matches!(refused, WorkbenchError::TooBigToTrain { limit_gib: 4, .. }),
        "{refused:?}"
    );
    assert!(
        t.bench
            .runs_of_model(OWNER, t.bench.models().by_name(OWNER, "wide").expect("model").id)
            .expect("runs")
            .is_empty()
    );
}

#[test]
fn pause_holds_resume_continues_and_stop_ends_with_the_last_checkpoint() {
    let t = TestBench::new();
    t.iris_model("iris", dnn(1_000_000));
    let run = t.bench.start_run(OWNER, "iris", None).expect("started");
    t.reaches(run.id, RunStatus::Running);
    let paused = t.bench.pause_run(OWNER, run.id).expect("paused");
    assert_eq!(paused.status, RunStatus::Paused);
    let held_at = t.bench.run(OWNER, run.id).expect("run").step;
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(
        t.bench.run(OWNER, run.id).expect("run").step,
        held_at,
        "a paused run holds"
    );
    assert_eq!(
        t.bench.resume_run(OWNER, run.id).expect("resumed").status,
        RunStatus::Running
    );
    t.reaches(run.id, RunStatus::Running);
    let stopped = t.bench.stop_run(OWNER, run.id).expect("stopped");
    assert_eq!(stopped.status, RunStatus::Stopped);
    assert!(stopped.final_accuracy.is_some());
    // Ended runs take no more control.
    let refused = t.bench.pause_run(OWNER, run.id).expect_err("ended");
    assert_eq!(
        refused.to_string(),
        "Only a queued or running run can be paused; this run is stopped."
    );
    assert_eq!(
        t.bench.stop_run(OWNER, run.id).expect_err("ended").to_string(),
        "This run has already ended; it is stopped."
    );
    assert_eq!(
        t.bench.resume_run(OWNER, run.id).expect_err("ended").to_string(),
        "Only a paused or interrupted run can be resumed; this run is stopped."
    );
    // Its parameters can become the model's.
    let restored = t.bench.restore_run(OWNER, run.id).expect("restored");
    let model = t.bench.models().by_name(OWNER, "iris").expect("model");
    assert_eq!(model.weights_run, Some(restored.id));
}

#[test]
fn a_restored_run_warm_starts_the_next_run_of_the_same_network() {
    let t = TestBench::new();
    t.iris_model("iris", dnn(20));
    let first = t.bench.start_run(OWNER, "iris", None).expect("started");
    t.finished(first.id);
    t.bench.restore_run(OWNER, first.id).expect("restored");
    let second = t.bench.start_run(OWNER, "iris", None).expect("started");
    assert_eq!(second.warm_from, Some(first.id));
    t.finished(second.id);
    // A changed network starts fresh.
    let mut changed = dnn(20);
    changed.insert(
        "net_config".into(),
        json!({"middle_layer": [{"layer": "connect", "units": 8}], "output_layer": {}}),
    );
    t.bench.save_config(OWNER, "iris", changed, None).expect("saved");
    let third = t.bench.start_run(OWNER, "iris", None).expect("started");
    assert_eq!(third.warm_from, None);
    t.finished(third.id);
}

#[test]
fn a_queued_run_whose_upload_is_deleted_fails_with_the_reason() {
    let t = TestBench::new();
    let iris = t.iris_model("iris", dnn(1_000_000));
    // The one training thread is busy with the first run; the second waits.
    let first = t.bench.start_run(OWNER, "iris", None).expect("started");
    t.reaches(first.id, RunStatus::Running);
    let second = t.bench.start_run(OWNER, "iris", None).expect("started");
    assert!(t.bench.data().delete(OWNER, iris).expect("deleted"));
    t.bench.stop_run(OWNER, first.id).expect("stopped");
    let failed = t.finished(second.id);
    assert_eq!(failed.status, RunStatus::Failed);
    assert_eq!(failed.error, Some(format!("upload {iris} no longer exists")));
    // The model no longer has data to start another.
    let refused = t
        .bench
        .start_run(OWNER, "iris", None)
        .expect_err("no data any more");
    assert!(
        matches!(refused, WorkbenchError::Model(models::ModelError::NoData)),
        "{refused:?}"
    );
}

#[test]
fn the_node_view_shows_only_the_callers_unfinished_runs() {
    let t = TestBench::new();
    t.iris_model("iris", dnn(1_000_000));
    let run = t.bench.start_run(OWNER, "iris", None).expect("started");
    let nodes = t.bench.nodes(OWNER).expect("nodes");
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes[0].pods.len(), 1);
    assert_eq!(nodes[0].pods[0].name, format!("run-{}", run.id));
    assert!(t.bench.nodes(STRANGER).expect("nodes")[0].pods.is_empty());
    t.bench.stop_run(OWNER, run.id).expect("stopped");
    assert!(t.bench.nodes(OWNER).expect("nodes")[0].pods.is_empty());
}
