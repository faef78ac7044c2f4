//! The generated data functions: picture folders read as the server reads them, CSV
//! features standardised, the train/test split.

use std::fs;

use codegen::{DataDescription, Framework, Shape, render};
use common::DataKind;
use serde_json::{Value, json};

use crate::python::probe;
use crate::{TestResult, config};

#[test]
fn picture_folders_follow_the_server_rules() -> TestResult {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    // One wrapper folder and no pictures: the class folders are one level down.
    for file in [
        "wrapper/a/1.png",
        "wrapper/a/sub/2.PNG",
        "wrapper/a/4.png",
        "wrapper/a/notes.txt",
        "wrapper/b/3.jpg",
        "wrapper/loose.png",
        "wrapper/labelled.webp",
    ] {
        let path = data.join(file);
        fs::create_dir_all(path.parent().ok_or("a parent")?)?;
        fs::write(path, b"not read by find_pictures")?;
    }
    let description = DataDescription {
        kind: DataKind::Images,
        input: Shape::Image { h: 4, w: 6, c: 1 },
        classes: vec!["a".to_owned(), "b".to_owned()],
        label_column: None,
        feature_columns: Vec::new(),
    };
    let config = config(&json!({"iter": 1, "learning_rate": 0.1, "ratio": 0.8,
        "loss_name": "entropy", "optimizer_name": "sgd", "net_type": "CNN"}));
    let script = render(Framework::PyTorch, "m", &config, &description)?;
    let run = probe(
        &script,
        dir.path(),
        r#"
from PIL import Image
import numpy as np
labels = {"wrapper/labelled.webp": "b", "wrapper/a/4.png": "b"}
found = train.find_pictures("data", labels)
print(json.dumps([[p.replace("\\", "/").split("data/", 1)[1], c] for p, c in found]))
Image.new("RGB", (12, 8), (255, 0, 0)).save("red.png")
x = train.load_picture("red.png")
print(json.dumps([list(x.shape), round(float(x.min()), 4), round(float(x.max()), 4)]))
x, y, xt, yt = train.split(np.arange(10), np.arange(10), np.random.default_rng(0))
print(len(y), len(yt))
try:
    train.find_pictures("data", {"wrapper/loose.png": "c"})
except SystemExit as e:
    print(e)
"#,
    )?;
    assert!(run.status.success(), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let found: Value = serde_json::from_str(lines.first().ok_or("no output")?)?;
    assert_eq!(
        found,
        json!([
            ["wrapper/labelled.webp", 1],
            ["wrapper/a/1.png", 0],
            ["wrapper/a/4.png", 1],
            ["wrapper/a/sub/2.PNG", 0],
            ["wrapper/b/3.jpg", 1]
        ])
    );
    // Pure red in PIL's "L" mode is 76 / 255; resized to 6 x 4, one channel.
    assert_eq!(lines.get(1).copied(), Some("[[4, 6, 1], 0.298, 0.298]"));
    assert_eq!(lines.get(2).copied(), Some("8 2"));
    let error = lines.get(3).copied().unwrap_or_default();
    assert!(
        error.starts_with("wrapper/loose.png: unknown label 'c'"),
        "{error}"
    );
    Ok(())
}

#[test]
fn csv_features_are_standardised() -> TestResult {
    let dir = tempfile::tempdir()?;
    fs::write(
        dir.path().join("data.csv"),
        "x,species,flat,unused\n1,a,5,q\n2,b,5,q\n\n3,a,5,q\n",
    )?;
    fs::write(dir.path().join("bad.csv"), "x,species,flat\n1,z,5\n2,a,5\n")?;
    let description = DataDescription {
        kind: DataKind::Csv,
        input: Shape::Vector(2),
        classes: vec!["a".to_owned(), "b".to_owned()],
        label_column: Some("species".to_owned()),
        feature_columns: vec!["x".to_owned(), "flat".to_owned()],
    };
    let config = config(&json!({"iter": 1, "learning_rate": 0.1, "ratio": 0.1,
        "loss_name": "entropy", "optimizer_name": "sgd", "net_type": "DNN"}));
    let script = render(Framework::Keras, "m", &config, &description)?;
    let run = probe(
        &script,
        dir.path(),
        r#"
import numpy as np
x, y = train.load_data("data.csv")
print(json.dumps([np.round(x.astype(np.float64), 4).tolist(), y.tolist(), str(x.dtype)]))
x, y, xt, yt = train.split(x, y, np.random.default_rng(0))
print(len(y), len(yt))
try:
    train.load_data("bad.csv")
except SystemExit as e:
    print(e)
"#,
    )?;
    assert!(run.status.success(), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let loaded: Value = serde_json::from_str(lines.first().ok_or("no output")?)?;
    // Population std of 1, 2, 3 is sqrt(2/3); a constant column is only centred.
    assert_eq!(
        loaded,
        json!([[[-1.2247, 0.0], [0.0, 0.0], [1.2247, 0.0]], [0, 1, 0], "float32"])
    );
    // round(3 * 0.1) = 0 training samples, raised to 1.
    assert_eq!(lines.get(1).copied(), Some("1 2"));
    let error = lines.get(2).copied().unwrap_or_default();
    assert!(error.starts_with("bad.csv line 2: unknown label 'z'"), "{error}");
    Ok(())
}
