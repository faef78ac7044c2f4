//! CSV data: the digits and iris fixtures and broken files made here.

mod common;

use ::common::{DataKind, DataLocation};
use codegen::Shape;
use common::{TestResult, csv_file, csv_rows, fixture};
use dataset::{DataSpec, DatasetError, inspect, load, prepare_row};

fn csv(path: &std::path::Path) -> DataLocation {
    DataLocation::Csv(path.to_owned())
}

/// The error for a CSV file with `content`.
fn error_for(content: &str) -> Result<DatasetError, Box<dyn std::error::Error>> {
    let (_dir, path) = csv_file(content)?;
    match load(&csv(&path), None) {
        Ok(data) => Err(format!("loaded {} rows from {content:?}", data.len()).into()),
        Err(error) => {
            // inspect reads the same way and must fail the same way.
            let again = inspect(&csv(&path), None).expect_err("inspect fails too");
            assert_eq!(again.to_string(), error.to_string());
            Ok(error)
        }
    }
}

#[test]
fn digits_csv() -> TestResult {
    let path = fixture("digits.csv");
    let spec = inspect(&csv(&path), None)?;
    assert_eq!(spec.kind, DataKind::Csv);
    assert_eq!(spec.input(), Shape::Vector(64));
    let ten: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    assert_eq!(spec.classes, ten);
    assert_eq!(spec.samples, 1797);
    assert_eq!(spec.label_column.as_deref(), Some("label"));
    let pixels: Vec<String> = (0..64).map(|i| format!("p{i}")).collect();
    assert_eq!(spec.feature_columns, pixels);

    let data = load(&csv(&path), None)?;
    assert_eq!(data.spec, spec);
    assert_eq!((data.len(), data.features.len()), (1797, 1797 * 64));
    assert_eq!(
        (data.names[0].as_str(), data.names[1796].as_str()),
        ("row 1", "row 1797")
    );

    // Mean and population std, computed here directly; p0 is always 0: std stored as 1.
    let rows = csv_rows("digits.csv")?;
    let norm = spec.normalization.as_ref().expect("csv data is normalised");
    assert_eq!((norm.mean[0], norm.std[0]), (0.0, 1.0));
    for column in [5, 36] {
        let values: Vec<f64> = rows
            .iter()
            .map(|r| r[column + 1].parse().expect("number"))
            .collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
        assert!(
            (f64::from(norm.mean[column]) - mean).abs() < 1e-5,
            "mean of p{column}"
        );
        assert!(
            (f64::from(norm.std[column]) - var.sqrt()).abs() < 1e-5,
            "std of p{column}"
        );
        // The stored features are (x - mean) / std, so each column has mean 0, std 1.
        let stored: Vec<f64> = (0..data.len())
            .map(|i| f64::from(data.sample(i)[column]))
            .collect();
        let stored_mean = stored.iter().sum::<f64>() / stored.len() as f64;
        let stored_var = stored.iter().map(|v| (v - stored_mean).powi(2)).sum::<f64>() / stored.len() as f64;
        assert!(
            stored_mean.abs() < 1e-5 && (stored_var - 1.0).abs() < 1e-4,
            "p{column}"
        );
    }
    for (i, row) in rows.iter().enumerate().step_by(97) {
        assert_eq!(data.spec.classes[data.targets[i] as usize], row[0]);
        let raw: f32 = row[6].parse()?;
        assert_eq!(data.sample(i)[5], (raw - norm.mean[5]) / norm.std[5]);
    }
    Ok(())
}

#[test]
fn iris_csv_label_is_the_last_column() -> TestResult {
    let path = fixture("iris.csv");
    let data = load(&csv(&path), None)?;
    let spec = &data.spec;
    assert_eq!(spec.input(), Shape::Vector(4));
    assert_eq!(spec.classes, ["setosa", "versicolor", "virginica"]);
    assert_eq!(spec.label_column.as_deref(), Some("species"));
    assert_eq!(
        spec.feature_columns,
        ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    );
    assert_eq!(spec.samples, 150);
    for class in 0..3 {
        assert_eq!(data.targets.iter().filter(|&&t| t == class).count(), 50);
    }
    assert_eq!(inspect(&csv(&path), None)?, data.spec);
    Ok(())
}

#[test]
fn a_label_column_anywhere_and_in_any_case() -> TestResult {
    let (_dir, path) = csv_file("a, Label ,b\n1,x,2\n3,y,4\n5,x,6\n")?;
    let data = load(&csv(&path), None)?;
    assert_eq!(data.spec.label_column.as_deref(), Some("Label"));
    assert_eq!(data.spec.feature_columns, ["a", "b"]);
    assert_eq!(data.targets, [0, 1, 0]);
    // a: mean 3, std sqrt(8/3); b: mean 4, same std.
    let std = (8.0f32 / 3.0).sqrt();
    let norm = data.spec.normalization.as_ref().expect("normalised");
    assert_eq!(norm.mean, [3.0, 4.0]);
    assert!((norm.std[0] - std).abs() < 1e-6);
    assert_eq!(
        data.sample(0),
        [(1.0 - 3.0) / norm.std[0], (2.0 - 4.0) / norm.std[1]]
    );
    Ok(())
}

#[test]
fn bad_csv_files() -> TestResult {
    let error = error_for("sepal_length,sepal_width,species\n5.1,3.5,setosa\n4.9,abc,setosa\n")?;
    assert!(matches!(error, DatasetError::NotANumber { row: Some(2), .. }));
    assert_eq!(
        error.to_string(),
        "row 2, column \"sepal_width\": \"abc\" is not a number"
    );
    assert!(error.is_client_error());
    let cases = [
        ("", "the CSV file is empty: it needs a header row and data rows"),
        ("a,b,label\n", "the CSV file has a header but no data rows"),
        (
            "label\n1\n2\n",
            "the CSV file needs at least 2 columns (features and a label), found 1: \"label\"",
        ),
        ("a,b\n1,x\n2,y,3\n", "row 2 has 3 fields, the header has 2"),
        ("a,b\n1,x\n,y\n", "row 2, column \"a\": \"\" is not a number"),
        (
            "a,b\n1,x\ninf,y\n",
            "row 2, column \"a\": \"inf\" is not a finite number",
        ),
        ("a,b\n1,x\n2, \n", "row 2: the label (column \"b\") is empty"),
        (
            "a,a,b\n1,2,x\n",
            "the CSV header names column \"a\" more than once",
        ),
        (
            "a,b\n1,x\n2,x\n",
            "training needs at least 2 classes, found 1: \"x\"",
        ),
    ];
    for (content, message) in cases {
        assert_eq!(error_for(content)?.to_string(), message, "{content:?}");
    }
    let (_dir, path) = csv_file("a,b\n1,x\n")?;
    std::fs::write(&path, b"a,b\n1,x\n2,\xff\n")?;
    assert_eq!(
        inspect(&csv(&path), None).expect_err("not UTF-8").to_string(),
        "the CSV file could not be read at row 2: the text is not valid UTF-8"
    );
    let missing = path.with_file_name("missing.csv");
    assert!(
        !inspect(&csv(&missing), None)
            .expect_err("no file")
            .is_client_error()
    );
    Ok(())
}

#[test]
fn a_byte_order_mark_and_spaces_are_fine() -> TestResult {
    let (_dir, path) = csv_file("\u{feff}x, y ,label\n 1 ,2, a\n3,4,b \n")?;
    let data = load(&csv(&path), None)?;
    assert_eq!(data.spec.feature_columns, ["x", "y"]);
    assert_eq!(data.spec.classes, ["a", "b"]);
    Ok(())
}

#[test]
fn prepare_row_equals_the_loaded_sample() -> TestResult {
    let path = fixture("iris.csv");
    let data = load(&csv(&path), None)?;
    let rows = csv_rows("iris.csv")?;
    for i in [0, 9, 77, 149] {
        let values = &rows[i][..4];
        assert_eq!(prepare_row(values, &data.spec)?, data.sample(i), "row {}", i + 1);
    }
    let error = prepare_row(&rows[0][..3], &data.spec).expect_err("too few");
    assert_eq!(
        error.to_string(),
        "expected 4 feature values (\"sepal_length\", \"sepal_width\", \"petal_length\", \"petal_width\"), got 3"
    );
    let mut values = rows[0][..4].to_vec();
    values[2] = "wide".to_owned();
    let error = prepare_row(&values, &data.spec).expect_err("not a number");
    assert_eq!(
        error.to_string(),
        "column \"petal_length\": \"wide\" is not a number"
    );
    let error = dataset::prepare_image(b"", &data.spec).expect_err("not images");
    assert_eq!(
        error.to_string(),
        "this model was trained on CSV rows: send feature values"
    );
    Ok(())
}

#[test]
fn specs_serialise_with_the_input_as_an_array() -> TestResult {
    let spec = inspect(&csv(&fixture("iris.csv")), None)?;
    let json = serde_json::to_value(&spec)?;
    assert_eq!(json["kind"], "csv");
    assert_eq!(json["input"], serde_json::json!([4]));
    let back: DataSpec = serde_json::from_value(json)?;
    assert_eq!(back, spec);

    let mut image = spec.clone();
    image.kind = DataKind::Images;
    image.input = Shape::Image { h: 8, w: 8, c: 1 };
    let json = serde_json::to_string(&image)?;
    assert!(json.contains("\"input\":[8,8,1]"), "{json}");
    assert_eq!(serde_json::from_str::<DataSpec>(&json)?, image);
    let bad = json.replace("[8,8,1]", "[8,8]");
    assert!(serde_json::from_str::<DataSpec>(&bad).is_err());
    Ok(())
}
