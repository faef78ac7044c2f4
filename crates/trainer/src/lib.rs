//! Training: the [`Engine`] that trains a configured network (the [`NativeEngine`]
//! on the CPU; [`BurnEngine`] computes the same with burn; the trait lets another
//! backend replace them), the batch [`Schedule`] and the
//! [`Drive`]r that trains one run step by step with metric points, checkpoints and
//! pause/stop between steps. Which runs train where is an executor's business (the
//! cluster crate); the records it writes are the runs crate's.
//!
//! ```
//! use codegen::{NetworkConfig, Shape};
//! use trainer::{Engine, NativeEngine, NetworkSpec};
//!
//! // Logistic regression: no middle layers, a 2 -> 2 output layer (6 parameters).
//! let config = NetworkConfig::from_value(&serde_json::json!({
//!     "iter": 200, "learning_rate": 0.5, "ratio": 0.8, "loss_name": "entropy",
//!     "optimizer_name": "sgd", "net_type": "logistic",
//!     "net_config": {"middle_layer": [], "output_layer": {}}
//! }))?;
//! let spec = NetworkSpec { config, input: Shape::Vector(2), classes: 2 };
//! let mut session = NativeEngine.start(&spec, None)?;
//! assert_eq!(session.parameter_count(), 6);
//!
//! // Two points, one per class: a few steps separate them.
//! let (features, targets) = (vec![-1.0, -1.0, 1.0, 1.0], vec![0, 1]);
//! let first = session.train_step(&features, &targets)?;
//! for _ in 0..50 {
//!     session.train_step(&features, &targets)?;
//! }
//! let evaluation = session.evaluate(&features, &targets)?;
//! assert!(evaluation.loss < f64::from(first));
//! assert_eq!(evaluation.predictions, vec![0, 1]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod driver;
pub mod engine;
pub mod schedule;

pub use driver::{Drive, DriveError, Ending, Intervals, Start, network_spec};
pub use engine::{
    BurnEngine, Engine, EngineError, Evaluation, NativeEngine, NetworkSpec, Predictor, Session,
    weights_from_body,
};
pub use schedule::Schedule;
