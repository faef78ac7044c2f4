//! [`BurnEngine`]: the [`Engine`] on burn's CPU backend.

use super::api::{Engine, EngineError, NetworkSpec, Predictor, Session};
use super::backend;
use super::predictor::BurnPredictor;
use super::session::BurnSession;

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
