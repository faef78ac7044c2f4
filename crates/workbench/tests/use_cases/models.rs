//! Models with their data, configuration and runs.

use common::DataId;
use models::ModelError;
use workbench::WorkbenchError;

use crate::bench::{OWNER, STRANGER, TestBench, cnn, dnn};

#[test]
fn a_model_takes_its_data_shape_from_the_upload_and_checks_its_network_against_it() {
    let t = TestBench::new();
    let iris = t.iris();
    let model = t
        .bench
        .models()
        .create(OWNER, "iris", Some(iris))
        .expect("created");
    let spec = model.data_spec.expect("inspected");
    assert_eq!(spec.classes.len(), 3);
    assert_eq!(spec.input(), codegen::Shape::Vector(4));
    // A CNN does not take CSV data.
    let refused = t
        .bench
        .save_config(OWNER, "iris", cnn(10), None)
        .expect_err("a CNN on CSV");
    assert!(
        matches!(refused, WorkbenchError::Model(ModelError::NetType(_))),
        "{refused:?}"
    );
    let (saved, runs) = t
        .bench
        .save_config(OWNER, "iris", dnn(10), None)
        .expect("a DNN fits");
    assert_eq!(
        saved.config.as_ref().and_then(|c| c.get("net_type")),
        Some(&serde_json::json!("DNN"))
    );
    assert!(runs.is_empty());
    let overviews = t.bench.model_overviews(OWNER).expect("list");
    assert_eq!(overviews.len(), 1);
    assert_eq!(overviews[0].status, "configured");
    assert_eq!(overviews[0].parameter_count, Some(4 * 16 + 16 + 16 * 3 + 3));
}

#[test]
fn another_users_upload_and_model_are_not_found() {
    let t = TestBench::new();
    let iris = t.iris();
    let refused = t
        .bench
        .models()
        .create(STRANGER, "mine", Some(iris))
        .expect_err("not theirs");
    assert!(matches!(refused, ModelError::DataNotFound), "{refused:?}");
    t.bench
        .models()
        .create(OWNER, "iris", Some(iris))
        .expect("created");
    let hidden = t
        .bench
        .models()
        .by_name(STRANGER, "iris")
        .expect_err("not theirs");
    assert!(matches!(hidden, ModelError::NotFound));
    assert!(t.bench.model_overviews(STRANGER).expect("list").is_empty());
    assert!(matches!(
        t.bench.models().create(OWNER, "missing", Some(DataId(999))),
        Err(ModelError::DataNotFound)
    ));
}

#[test]
fn a_single_file_that_is_not_csv_is_no_models_data() {
    let t = TestBench::new();
    let text = t
        .bench
        .store_text(OWNER, datastore::FileClass::Doc, "notes.txt", "hello")
        .expect("stored");
    let refused = t
        .bench
        .models()
        .create(OWNER, "notes", Some(text.id))
        .expect_err("unusable");
    assert_eq!(
        refused.to_string(),
        "A model's data must be an image-folder zip or a CSV file; \"notes.txt\" is neither."
    );
}

#[test]
fn deleting_a_model_removes_its_runs_and_their_files() {
    let t = TestBench::new();
    let iris = t.iris();
    let model = t
        .bench
        .models()
        .create(OWNER, "iris", Some(iris))
        .expect("created");
    t.bench.save_config(OWNER, "iris", dnn(20), None).expect("saved");
    let run = t.bench.start_run(OWNER, "iris", None).expect("started");
    t.finished(run.id);
    let folder = t.dir.path().join("runs").join(run.id.to_string());
    assert!(folder.join("weights.bin").exists());
    assert!(t.bench.delete_model(OWNER, model.id).expect("deleted"));
    assert!(!folder.exists(), "the run's checkpoint folder is gone");
    assert!(matches!(
        t.bench.run(OWNER, run.id),
        Err(WorkbenchError::RunNotFound)
    ));
    assert!(!t.bench.delete_model(OWNER, model.id).expect("already gone"));
}
