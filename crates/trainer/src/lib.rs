//! Training: the engine that trains a configured network, and runs (driver,
//! checkpoints, queue, prediction cache).

pub mod engine;
pub mod runs;

pub use engine::{BurnEngine, Engine, EngineError, Evaluation, NetworkSpec, Predictor, Session};
