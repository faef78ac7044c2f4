//! The training engine: builds the configured network exactly as the generated
//! PyTorch code does (same layers, parameter counts, initialisation rule, losses and
//! optimiser rules of `codegen::defaults`) and trains it step by step.
//!
//! * [`api`]: the backend-neutral contract ([`Engine`], [`Session`], [`Predictor`]).
//! * [`NativeEngine`]: the engine the server trains with: the forward and backward
//!   passes written out for these networks on the CPU (matrix products by `gemm`,
//!   threads by rayon).
//! * [`BurnEngine`]: the same networks computed by burn with autodiff; the
//!   reference the native engine is checked against.
//!
//! Both engines share the network layout ([`plan`]), the state and its bytes
//! ([`state`], [`codec`]) and the optimisers, so a checkpoint of one resumes on the
//! other. Determinism: initialisation and dropout masks come from a session-owned
//! PRNG seeded by `config.seed`, and a checkpoint holds weights, batch-norm running
//! statistics, optimiser buffers and that PRNG's state, so a resumed session
//! continues with exactly the losses of the original one.

pub mod api;
mod batch;
mod burn_engine;
mod codec;
mod imported;
mod loss;
pub mod native;
mod optim;
mod plan;
mod rng;
mod state;
mod weights;

pub use api::{Engine, EngineError, Evaluation, NetworkSpec, Predictor, Session};
pub use burn_engine::BurnEngine;
pub use imported::weights_from_body;
pub use native::NativeEngine;
