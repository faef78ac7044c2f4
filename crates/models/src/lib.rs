//! Models: a user's named project — its data, labels and network configuration —
//! behind the [`ModelRepo`] trait, and the [`ModelService`] that keeps them valid
//! (pure: no HTTP, no SQL).
//!
//! A configuration is stored as the client sent it (so `GET /construct/detail/<name>/`
//! gives back exactly what was saved), after it parsed and, when the model has data,
//! passed shape inference against that data's input shape and classes.
//!
//! Shape-checking a network against a model's data, and comparing configurations:
//!
//! ```
//! use codegen::{NetworkConfig, Shape};
//! use common::DataKind;
//! use dataset::DataSpec;
//! use models::{ModelError, compare_configs, service::check_against};
//! use serde_json::json;
//!
//! let cnn = json!({"iter": 100, "learning_rate": 0.01, "ratio": 0.8, "loss_name": "entropy",
//!     "optimizer_name": "adam", "net_type": "CNN",
//!     "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]}, {"layer": "pool"},
//!         {"layer": "connect"}], "output_layer": {}}});
//! let config = NetworkConfig::from_value(&cnn)?;
//! let digits = DataSpec {
//!     kind: DataKind::Images,
//!     input: Shape::Image { h: 8, w: 8, c: 1 },
//!     classes: (0..10).map(|d| d.to_string()).collect(),
//!     samples: 1797,
//!     label_column: None,
//!     feature_columns: Vec::new(),
//!     normalization: None,
//! };
//! let summary = check_against(&config, &digits)?;
//! assert_eq!(summary.output.output, Shape::Vector(10));
//!
//! // The same network on CSV data is refused, naming the net type.
//! let iris = DataSpec { kind: DataKind::Csv, input: Shape::Vector(4), ..digits.clone() };
//! assert!(matches!(check_against(&config, &iris), Err(ModelError::NetType(_))));
//!
//! let mut dnn = cnn.clone();
//! dnn["net_type"] = json!("DNN");
//! let comparison = compare_configs(&[Some(&cnn), Some(&dnn)]);
//! assert_eq!(comparison.differences, vec!["net_type".to_owned()]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod compare;
pub mod error;
pub mod locate;
pub mod model;
pub mod repo;
pub mod service;
mod without_data;

pub use compare::{Comparison, FieldRow, compare_configs};
pub use error::ModelError;
pub use locate::{DataLocator, LocateError};
pub use model::{Model, NewModel};
pub use repo::{ModelRepo, RepoError};
pub use service::ModelService;
