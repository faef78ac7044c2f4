//! Image-folder data: the digits fixture and small folders made here.

mod common;

use std::fs;

use ::common::{DataKind, DataLocation};
use codegen::Shape;
use common::{TestResult, csv_rows, digits, pattern, write_png};
use dataset::{DatasetError, Labels, image_files, inspect, load, prepare_image};
use preprocess::ops::geometry::resize;

fn images(root: &std::path::Path) -> DataLocation {
    DataLocation::Images(root.to_owned())
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn digits_spec_and_samples() -> TestResult {
    let dir = digits()?;
    let source = images(dir);
    let spec = inspect(&source, None)?;
    assert_eq!(spec.kind, DataKind::Images);
    assert_eq!(spec.input(), Shape::Image { h: 8, w: 8, c: 1 });
    let ten: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    assert_eq!(spec.classes, ten);
    assert_eq!(spec.samples, 1797);
    assert_eq!(
        (spec.label_column.as_ref(), spec.feature_columns.len()),
        (None, 0)
    );
    assert_eq!(spec.normalization, None);

    let data = load(&source, None)?;
    assert_eq!(data.spec, spec);
    assert_eq!((data.len(), data.features.len()), (1797, 1797 * 64));
    assert_eq!(data.names[0], "digits/0/0.png");
    let mut counts = [0usize; 10];
    for (name, &target) in data.names.iter().zip(&data.targets) {
        counts[target as usize] += 1;
        assert!(
            name.starts_with(&format!("digits/{target}/")),
            "{name} has class {target}"
        );
    }
    assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    assert!(data.features.iter().all(|v| (0.0..=1.0).contains(v)));
    Ok(())
}

#[test]
fn a_known_picture_is_its_pixels_over_255() -> TestResult {
    let dir = digits()?;
    let data = load(&images(dir), None)?;
    let rows = csv_rows("digits.csv")?;
    // digits/0/0.png is row 0 of scikit-learn's data: pixel = round(v * 255 / 16).
    for (name, row) in [("digits/0/0.png", &rows[0]), ("digits/1/1.png", &rows[1])] {
        let i = data.names.iter().position(|n| n == name).expect("picture loaded");
        let expected: Vec<f32> = row[1..]
            .iter()
            .map(|v| {
                let v: f32 = v.parse().expect("integer pixel");
                f32::from((v * 255.0 / 16.0).round() as u8) / 255.0
            })
            .collect();
        assert_eq!(data.sample(i), expected.as_slice(), "{name}");
    }
    Ok(())
}

#[test]
fn labels_override_folder_classes() -> TestResult {
    let dir = digits()?;
    let overrides = labels(&[("digits/0/0.png", "7"), ("digits/0/10.png", " 7 ")]);
    let data = load(&images(dir), Some(&overrides))?;
    let i = data
        .names
        .iter()
        .position(|n| n == "digits/0/0.png")
        .expect("loaded");
    assert_eq!(data.spec.classes[data.targets[i] as usize], "7");
    assert_eq!(data.targets.iter().filter(|&&t| t == 7).count(), 179 + 2);
    assert_eq!(data.targets.iter().filter(|&&t| t == 0).count(), 178 - 2);

    // A new, non-numeric class switches the order to byte-wise.
    let overrides = labels(&[("digits/5/5.png", "five")]);
    let spec = inspect(&images(dir), Some(&overrides))?;
    assert_eq!(spec.classes.last().map(String::as_str), Some("five"));
    assert_eq!(spec.classes.len(), 11);
    Ok(())
}

#[test]
fn a_label_for_a_missing_file() -> TestResult {
    let dir = digits()?;
    let files = image_files(dir)?;
    assert_eq!(files.len(), 1797);
    assert!(files.windows(2).all(|w| w[0] < w[1]), "sorted");
    assert_eq!(files[0], "digits/0/0.png");
    // What /data/tag/ checks before accepting labels: the path is not a picture.
    let missing = "digits/0/9999.png";
    assert!(!files.iter().any(|f| f == missing));
    assert!(files.iter().any(|f| f == "digits/0/10.png"));

    let bad = labels(&[("digits/0/10.png", "1"), (missing, "1")]);
    let error = load(&images(dir), Some(&bad)).expect_err("label for a missing file");
    assert!(matches!(error, DatasetError::LabelForMissingFile { .. }));
    assert_eq!(
        error.to_string(),
        "the labels name \"digits/0/9999.png\", which is not a picture in this data"
    );
    // Paths are relative to the original root, not the descended one.
    let bad = labels(&[("0/0.png", "1")]);
    assert!(matches!(
        inspect(&images(dir), Some(&bad)),
        Err(DatasetError::LabelForMissingFile { .. })
    ));
    let empty = labels(&[("digits/0/0.png", "  ")]);
    let error = inspect(&images(dir), Some(&empty)).expect_err("empty label");
    assert_eq!(error.to_string(), "the label for \"digits/0/0.png\" is empty");
    Ok(())
}

#[test]
fn a_flat_folder_with_labels_only() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    for (i, name) in ["a.png", "b.PNG", "c.png", "d.png"].iter().enumerate() {
        write_png(dir, name, &pattern(5, 4, 1, i))?;
    }
    fs::write(dir.join("notes.txt"), "not a picture")?;
    assert_eq!(image_files(dir)?, ["a.png", "b.PNG", "c.png", "d.png"]);

    let error = inspect(&images(dir), None).expect_err("no classes");
    assert_eq!(
        error.to_string(),
        "no picture has a class: put the pictures in one folder per class, or label them"
    );
    let tags = labels(&[("a.png", "dog"), ("b.PNG", "cat"), ("d.png", "dog")]);
    let data = load(&images(dir), Some(&tags))?;
    assert_eq!(data.spec.classes, ["cat", "dog"]);
    assert_eq!(
        data.names,
        ["a.png", "b.PNG", "d.png"],
        "c.png has no class: skipped"
    );
    assert_eq!(data.targets, [1, 0, 1]);
    assert_eq!(data.spec.input(), Shape::Image { h: 4, w: 5, c: 1 });

    let one = labels(&[("a.png", "dog")]);
    let error = inspect(&images(dir), Some(&one)).expect_err("one class");
    assert_eq!(
        error.to_string(),
        "training needs at least 2 classes, found 1: \"dog\""
    );
    Ok(())
}

#[test]
fn folders_nested_pictures_and_descending() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let root = tmp.path();
    // upload/data/{cat,dog}/..., plus a stray file beside the single folder.
    fs::create_dir_all(root.join("upload/data"))?;
    fs::write(root.join("upload/readme.md"), "hello")?;
    write_png(root, "upload/data/cat/1.png", &pattern(3, 3, 1, 1))?;
    write_png(root, "upload/data/cat/deep/er/2.png", &pattern(3, 3, 1, 2))?;
    write_png(root, "upload/data/dog/3.png", &pattern(3, 3, 1, 3))?;
    write_png(root, "upload/data/loose.png", &pattern(3, 3, 1, 4))?;
    fs::create_dir_all(root.join("upload/data/empty"))?;

    let data = load(&images(root), None)?;
    assert_eq!(data.spec.classes, ["cat", "dog"]);
    assert_eq!(
        data.names,
        [
            "upload/data/cat/1.png",
            "upload/data/cat/deep/er/2.png",
            "upload/data/dog/3.png"
        ]
    );
    assert_eq!(data.targets, [0, 0, 1]);
    let tagged = labels(&[("upload/data/loose.png", "dog")]);
    assert_eq!(load(&images(root), Some(&tagged))?.len(), 4);
    Ok(())
}

#[test]
fn class_order_numeric_or_bytes() -> TestResult {
    let numeric = tempfile::tempdir()?;
    let words = tempfile::tempdir()?;
    for (i, class) in ["10", "2", "1"].iter().enumerate() {
        write_png(numeric.path(), &format!("{class}/x.png"), &pattern(2, 2, 1, i))?;
    }
    for (i, class) in ["b", "B", "10", "a"].iter().enumerate() {
        write_png(words.path(), &format!("{class}/x.png"), &pattern(2, 2, 1, i))?;
    }
    let data = load(&images(numeric.path()), None)?;
    assert_eq!(data.spec.classes, ["1", "2", "10"]);
    assert_eq!(data.names, ["1/x.png", "10/x.png", "2/x.png"]);
    assert_eq!(data.targets, [0, 2, 1]);
    assert_eq!(
        inspect(&images(words.path()), None)?.classes,
        ["10", "B", "a", "b"]
    );
    Ok(())
}

#[test]
fn other_sizes_are_resized_to_the_most_common() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let odd = pattern(9, 7, 1, 9);
    write_png(dir, "a/big.png", &odd)?;
    write_png(dir, "a/x.png", &pattern(6, 4, 1, 1))?;
    write_png(dir, "b/y.png", &pattern(6, 4, 1, 2))?;
    let data = load(&images(dir), None)?;
    assert_eq!(data.spec.input(), Shape::Image { h: 4, w: 6, c: 1 });
    assert_eq!(data.names[0], "a/big.png");
    let expected: Vec<f32> = resize(&odd, 6, 4)
        .data
        .iter()
        .map(|&v| f32::from(v) / 255.0)
        .collect();
    assert_eq!(data.sample(0), expected.as_slice());

    // A tie: the size of the first picture in path order wins.
    let tie = tempfile::tempdir()?;
    write_png(tie.path(), "b/1.png", &pattern(6, 4, 1, 1))?;
    write_png(tie.path(), "a/2.png", &pattern(2, 3, 1, 2))?;
    assert_eq!(
        inspect(&images(tie.path()), None)?.input(),
        Shape::Image { h: 3, w: 2, c: 1 }
    );
    Ok(())
}

#[test]
fn colour_is_detected_and_gray_repeated() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let gray = pattern(4, 3, 1, 1);
    let rgba = pattern(4, 3, 4, 2);
    write_png(dir, "a/gray.png", &gray)?;
    write_png(dir, "b/rgba.png", &rgba)?;
    let data = load(&images(dir), None)?;
    assert_eq!(data.spec.input(), Shape::Image { h: 3, w: 4, c: 3 });
    let plane: Vec<f32> = gray.data.iter().map(|&v| f32::from(v) / 255.0).collect();
    assert_eq!(data.sample(0), [plane.clone(), plane.clone(), plane].concat());
    // CHW: all red, then all green, then all blue; alpha dropped.
    let chw: Vec<f32> = (0..3)
        .flat_map(|c| rgba.data.chunks_exact(4).map(move |p| f32::from(p[c]) / 255.0))
        .collect();
    assert_eq!(data.sample(1), chw.as_slice());

    // Gray + alpha is still gray: one channel, alpha dropped.
    let gray_alpha = tempfile::tempdir()?;
    let ga = pattern(4, 3, 2, 3);
    write_png(gray_alpha.path(), "a/ga.png", &ga)?;
    write_png(gray_alpha.path(), "b/g.png", &gray)?;
    let data = load(&images(gray_alpha.path()), None)?;
    assert_eq!(data.spec.input(), Shape::Image { h: 3, w: 4, c: 1 });
    let expected: Vec<f32> = ga.data.chunks_exact(2).map(|p| f32::from(p[0]) / 255.0).collect();
    assert_eq!(data.sample(0), expected.as_slice());
    Ok(())
}

#[test]
fn prepare_image_equals_the_loaded_sample() -> TestResult {
    let dir = digits()?;
    let data = load(&images(dir), None)?;
    for name in ["digits/3/3.png", "digits/8/1796.png"] {
        let bytes = fs::read(dir.join(name))?;
        let i = data.names.iter().position(|n| n == name).expect("loaded");
        assert_eq!(prepare_image(&bytes, &data.spec)?, data.sample(i), "{name}");
    }

    // Resizing and channel handling match too.
    let mixed = tempfile::tempdir()?;
    write_png(mixed.path(), "a/big.png", &pattern(9, 7, 2, 9))?;
    write_png(mixed.path(), "a/x.png", &pattern(6, 4, 3, 1))?;
    write_png(mixed.path(), "b/y.png", &pattern(6, 4, 1, 2))?;
    let data = load(&images(mixed.path()), None)?;
    for (i, name) in data.names.iter().enumerate() {
        let bytes = fs::read(mixed.path().join(name))?;
        assert_eq!(prepare_image(&bytes, &data.spec)?, data.sample(i), "{name}");
    }

    // A colour picture for a grayscale model becomes one gray channel.
    let digits_spec = inspect(&images(dir), None)?;
    let colour = preprocess::codec::encode(&pattern(8, 8, 3, 5), preprocess::codec::ImageFormat::Png)?;
    assert_eq!(prepare_image(&colour, &digits_spec)?.len(), 64);

    let error = prepare_image(b"not a picture", &digits_spec).expect_err("garbage");
    assert_eq!(
        error.to_string(),
        "the picture could not be read: not a picture in a known format"
    );
    Ok(())
}

#[test]
fn data_without_usable_pictures() -> TestResult {
    let empty = tempfile::tempdir()?;
    fs::write(empty.path().join("notes.txt"), "x")?;
    let error = inspect(&images(empty.path()), None).expect_err("no pictures");
    assert!(matches!(error, DatasetError::NoPictures));
    assert!(error.is_client_error());

    let broken = tempfile::tempdir()?;
    write_png(broken.path(), "a/good.png", &pattern(2, 2, 1, 1))?;
    fs::create_dir_all(broken.path().join("b"))?;
    fs::write(broken.path().join("b/bad.png"), "this is text")?;
    let error = inspect(&images(broken.path()), None).expect_err("bad picture");
    assert_eq!(error.to_string(), "b/bad.png: not a picture in a known format");

    let missing = broken.path().join("nowhere");
    let error = inspect(&images(&missing), None).expect_err("no folder");
    assert!(!error.is_client_error());
    assert!(
        error.to_string().starts_with("the data could not be read: "),
        "{error}"
    );
    Ok(())
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let outside = tempfile::tempdir()?;
    write_png(outside.path(), "o.png", &pattern(2, 2, 1, 1))?;
    write_png(dir, "a/1.png", &pattern(2, 2, 1, 2))?;
    write_png(dir, "b/2.png", &pattern(2, 2, 1, 3))?;
    std::os::unix::fs::symlink(outside.path().join("o.png"), dir.join("a/link.png"))?;
    std::os::unix::fs::symlink(outside.path(), dir.join("c"))?;
    assert_eq!(image_files(dir)?, ["a/1.png", "b/2.png"]);
    Ok(())
}
