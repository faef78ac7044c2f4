//! [`NativeEngine`]: the [`Engine`] the server trains with. The forward and
//! backward passes of these networks written out for the CPU: convolutions as
//! matrix products over unfolded windows (`gemm`), max pooling that records its
//! argmax, batch norm in one pass per direction, activations differentiated from
//! their outputs, memory kept from step to step, rayon's threads over samples or
//! channels. Numerically it is the PyTorch network of the generated code (tested
//! against PyTorch and against [`super::BurnEngine`]).

mod activation;
mod conv;
mod linear;
mod matmul;
mod net;
mod norm;
mod pool;
mod scratch;
mod session;

use super::api::{Engine, EngineError, NetworkSpec, Predictor, Session};
use super::state::TrainState;
pub use session::{LayerTime, profile};
use session::{NativePredictor, NativeSession};

/// Trains on the CPU with this crate's own kernels.
#[derive(Debug, Clone, Copy, Default)]
pub struct NativeEngine;

impl Engine for NativeEngine {
    fn name(&self) -> &'static str {
        "netsmith-cpu"
    }

    fn start(&self, spec: &NetworkSpec, warm: Option<&[u8]>) -> Result<Box<dyn Session>, EngineError> {
        Ok(Box::new(NativeSession::new(TrainState::start(spec, warm)?)))
    }

    fn resume(&self, spec: &NetworkSpec, checkpoint: &[u8]) -> Result<Box<dyn Session>, EngineError> {
        Ok(Box::new(NativeSession::new(TrainState::resume(
            spec, checkpoint,
        )?)))
    }

    fn predictor(&self, spec: &NetworkSpec, weights: &[u8]) -> Result<Box<dyn Predictor>, EngineError> {
        Ok(Box::new(NativePredictor::new(spec, weights)?))
    }
}
