//! Using a trained model.

use workbench::{InputKind, PredictInput, WorkbenchError};

use crate::bench::{OWNER, TestBench, dnn};

#[test]
fn a_trained_model_classifies_feature_rows_and_csv_files() {
    let t = TestBench::new();
    t.iris_model("iris", dnn(300));
    let model = t.bench.models().by_name(OWNER, "iris").expect("model");
    let untrained = t
        .bench
        .predict(OWNER, &model, PredictInput::Features(vec![5.1, 3.5, 1.4, 0.2]));
    assert!(
        matches!(untrained, Err(WorkbenchError::NotTrained)),
        "{untrained:?}"
    );
    let run = t.bench.start_run(OWNER, "iris", None).expect("started");
    t.finished(run.id);
    // The first iris row is a setosa.
    let (used, answers) = t
        .bench
        .predict(OWNER, &model, PredictInput::Features(vec![5.1, 3.5, 1.4, 0.2]))
        .expect("predicted");
    assert_eq!(used, run.id);
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].label, "setosa");
    let total: f32 = answers[0].probabilities.values().sum();
    assert!((total - 1.0).abs() < 1e-4, "{total}");
    let csv = std::fs::read(crate::bench::fixture("iris.csv")).expect("fixture");
    let (_, rows) = t
        .bench
        .predict(OWNER, &model, PredictInput::File(csv))
        .expect("predicted");
    assert_eq!(rows.len(), 150);
    let wrong = t
        .bench
        .predict(OWNER, &model, PredictInput::Features(vec![1.0, 2.0]));
    assert!(
        matches!(
            wrong,
            Err(WorkbenchError::BadInput {
                input: InputKind::Features,
                ..
            })
        ),
        "{wrong:?}"
    );
    let no_columns = t
        .bench
        .predict(OWNER, &model, PredictInput::File(b"a,b\n1,2\n".to_vec()));
    assert!(matches!(
        no_columns,
        Err(WorkbenchError::BadInput {
            input: InputKind::File,
            ..
        })
    ));
}
