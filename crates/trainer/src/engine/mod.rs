//! The training engine: builds the configured network exactly as the generated
//! PyTorch code does (same layers, parameter counts, initialisation rule, losses and
//! optimiser rules of `codegen::defaults`) and trains it step by step.
//!
//! * [`api`]: the backend-neutral contract ([`Engine`], [`Session`], [`Predictor`]).
//! * [`BurnEngine`]: the implementation on burn's CPU backend.
//!
//! Determinism: initialisation and dropout masks come from a session-owned PRNG
//! seeded by `config.seed`, and a checkpoint holds weights, batch-norm running
//! statistics, optimiser buffers and that PRNG's state, so a resumed session
//! continues with exactly the losses of the original one.

pub mod api;
mod backend;
mod burn_engine;
mod codec;
mod imported;
mod loss;
mod network;
mod optim;
mod plan;
mod predictor;
mod rng;
mod session;
mod weights;

pub use api::{Engine, EngineError, Evaluation, NetworkSpec, Predictor, Session};
pub use burn_engine::BurnEngine;
pub use imported::weights_from_body;
