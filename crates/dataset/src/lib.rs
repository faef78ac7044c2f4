//! A model's training data in memory (pure: no HTTP, no SQL).
//!
//! Data is either an extracted image-folder upload (a directory) or a CSV file,
//! named by a [`DataLocation`](common::DataLocation). [`inspect`] describes it cheaply ([`DataSpec`]: kind,
//! input shape, classes) for shape inference; [`load`] reads every sample into a
//! [`Dataset`]; [`prepare_image`] and [`prepare_row`] turn one prediction input into
//! a sample exactly as training did; [`split`] is the seeded train/test split.
//!
//! Describing and loading a small CSV file:
//!
//! ```
//! use codegen::Shape;
//! use common::{DataKind, DataLocation};
//!
//! let dir = std::env::temp_dir().join(format!("dataset-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let file = dir.join("pets.csv");
//! std::fs::write(&file, "weight,legs,label\n0,4,10\n2,4,2\n0,4,10\n2,4,2\n")?;
//! let data = DataLocation::Csv(file);
//!
//! let spec = dataset::inspect(&data, None)?;
//! assert_eq!(spec.kind, DataKind::Csv);
//! assert_eq!(spec.input(), Shape::Vector(2));
//! assert_eq!(spec.classes, ["2", "10"]); // integers: numeric order
//! assert_eq!(spec.feature_columns, ["weight", "legs"]);
//! let norm = spec.normalization.as_ref().ok_or("CSV data is normalised")?;
//! assert_eq!(norm.mean, [1.0, 4.0]);
//! assert_eq!(norm.std, [1.0, 1.0]); // `legs` never varies: a deviation of 0 is stored as 1
//!
//! let loaded = dataset::load(&data, None)?;
//! assert_eq!(loaded.spec, spec);
//! assert_eq!(loaded.sample(0), [-1.0, 0.0]); // (x - mean) / std
//! assert_eq!(loaded.targets, [1, 0, 1, 0]);
//! assert_eq!(loaded.names[3], "row 4");
//!
//! // A prediction input is normalised the same way.
//! assert_eq!(dataset::prepare_row(&["3".into(), "5".into()], &spec)?, [2.0, 1.0]);
//!
//! let split = dataset::split(loaded.len(), 0.5, 42);
//! assert_eq!((split.train.len(), split.test.len()), (2, 2));
//! std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Image folders
//!
//! - **Pictures** are the regular files whose extension is `png`, `jpg`, `jpeg`,
//!   `bmp`, `gif`, `tiff`, `tif` or `webp` (any case); other files are ignored, and
//!   symbolic links are never followed (nor counted). Pictures are listed in byte
//!   order of their relative path.
//! - **Descending**: while the root holds exactly one directory and no pictures, that
//!   directory becomes the root (`digits.zip` extracts to `digits/0/...`).
//! - **Folder classes**: each top-level directory below that root is a class; pictures
//!   in nested folders of a class folder belong to it; pictures directly at that root
//!   have no folder class.
//! - **Paths** in [`Dataset::names`], [`image_files`] and [`Labels`] are relative to
//!   the *original* root with `/` separators (`digits/0/0.png`), as the user sees them
//!   in the data tree. Label keys must match exactly.
//! - **Labels** override the folder class of the pictures they name. A label naming a
//!   path that is not a picture of the data, or an empty label, is an error (labels are
//!   trimmed). Pictures with neither a label nor a folder class are skipped.
//! - **Classes** are the distinct labels in use (see below for their order).
//! - **Input shape**: height x width of the most common picture size (ties: the size
//!   of the first picture in sorted path order); 1 channel if every picture is
//!   grayscale (gray, or gray + alpha), else 3. Alpha is dropped, gray pictures are
//!   repeated into 3 channels, pictures of another size are resized with preprocess's
//!   bilinear resize (OpenCV `INTER_LINEAR`). Values are `pixel / 255`, stored CHW.
//!   At prediction time a colour picture sent to a grayscale model is converted with
//!   preprocess's BT.601 grayscale.
//! - [`inspect`] reads only the picture headers (size and colour type); [`load`]
//!   decodes everything. An unreadable picture is an error naming its path.
//!
//! # CSV files
//!
//! - A header row is required. The label column is the one named `label` (any case,
//!   header names trimmed; the first such), else the last column. Every other column is
//!   a feature and must hold finite numbers (`f32`); the error names the 1-based data
//!   row and the column. Rows must have as many fields as the header.
//! - An empty file, a header with fewer than 2 columns, a repeated column name, no data
//!   rows or an empty label are errors. Labels are trimmed; classes are the distinct
//!   labels.
//! - Features are normalised per column with the mean and population standard
//!   deviation of all rows (a deviation of 0 is stored as 1): `(x - mean) / std`.
//!   [`Dataset::names`] holds `row <n>` (1-based data row).
//!
//! # Class order
//!
//! If every class name parses as an integer, numeric order (`2` before `10`);
//! otherwise byte-wise lexicographic order. The class id is the index in that order.
//! Fewer than 2 classes is an error.
//!
//! # Split
//!
//! [`split`] shuffles `0..n` with `StdRng::seed_from_u64(seed)` (rand 0.9) and
//! `SliceRandom::shuffle`; the first `round(n * ratio)` indices, clamped to
//! `[1, n - 1]` when `n >= 2`, are for training, the rest for testing, both in shuffled
//! order. The same `(n, ratio, seed)` always gives the same split.

#![warn(missing_docs)]

mod classes;
mod csv_data;
mod error;
mod images;
mod samples;
mod source;
mod spec;
mod split;
mod wire;

pub use csv_data::prepare_row;
pub use error::DatasetError;
pub use images::{image_files, prepare_image};
pub use samples::{Dataset, Labels};
pub use source::{inspect, load};
pub use spec::{DataSpec, Normalization};
pub use split::{Split, split};
