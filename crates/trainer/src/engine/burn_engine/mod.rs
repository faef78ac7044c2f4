//! [`BurnEngine`]: the [`Engine`] computed by burn (its flex CPU backend), with
//! autodiff deriving the backward pass. The reference the native engine is tested
//! against, and the place a burn GPU backend would plug in.

pub(crate) mod backend;
mod loss;
mod network;
mod predictor;
pub(crate) mod session;

use super::api::{Engine, EngineError, NetworkSpec, Predictor, Session};
use predictor::BurnPredictor;
use session::BurnSession;

/// Trains with burn 0.22 on the flex CPU backend (SIMD kernels, rayon threads).
#[derive(Debug, Clone, Copy, Default)]
pub struct BurnEngine;

impl Engine for BurnEngine {
    fn name(&self) -> &'static str {
        backend::NAME
    }

    fn start(&self, spec: &NetworkSpec, warm: Option<&[u8]>) -> Result<Box<dyn Session>, EngineError> {
        Ok(Box::new(BurnSession::start(spec, warm)?))
    }

    fn resume(&self, spec: &NetworkSpec, checkpoint: &[u8]) -> Result<Box<dyn Session>, EngineError> {
        Ok(Box::new(BurnSession::resume(spec, checkpoint)?))
    }

    fn predictor(&self, spec: &NetworkSpec, weights: &[u8]) -> Result<Box<dyn Predictor>, EngineError> {
        Ok(Box::new(BurnPredictor::new(spec, weights)?))
    }
}
