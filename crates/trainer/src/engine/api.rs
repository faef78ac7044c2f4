//! The engine contract the run driver is written against; no burn types here, so
//! another backend (CUDA, wgpu) can implement it behind a cargo feature.

/// What to build: a validated configuration, the input shape of one sample and
/// the number of classes.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkSpec {
    /// The network configuration (layers, loss, optimiser, seed, ...).
    pub config: codegen::NetworkConfig,
    /// Shape of one sample (`Image` samples are given CHW).
    pub input: codegen::Shape,
    /// Number of output classes (at least 2).
    pub classes: usize,
}

/// Result of [`Session::evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Share of samples whose argmax equals the target, in [0, 1].
    pub accuracy: f64,
    /// Mean loss per sample (the configured loss).
    pub loss: f64,
    /// Argmax class per sample.
    pub predictions: Vec<u32>,
}

/// Everything that can go wrong in an engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The spec describes no valid network (message from shape inference).
    #[error("invalid network: {0}")]
    InvalidNetwork(String),
    /// Checkpoint or weight bytes that cannot be used for this network.
    #[error("unusable checkpoint: {0}")]
    Checkpoint(String),
    /// Features or targets that do not fit the network.
    #[error("bad input: {0}")]
    Shape(String),
    /// The backend failed while computing.
    #[error("backend failure: {0}")]
    Backend(String),
}

impl common::ErrorCode for EngineError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidNetwork(_) => "network_invalid",
            Self::Checkpoint(_) => "checkpoint_unusable",
            Self::Shape(_) => "engine_input_shape",
            Self::Backend(_) => "engine_backend",
        }
    }
}

/// A training backend.
pub trait Engine: Send + Sync + 'static {
    /// Short name, e.g. `netsmith-cpu`.
    fn name(&self) -> &'static str;
    /// A fresh network (initialised from `config.seed`), or warm-started from `warm` =
    /// bytes from [`Session::weights`] of an earlier run of the same network
    /// (optimiser state fresh).
    fn start(&self, spec: &NetworkSpec, warm: Option<&[u8]>) -> Result<Box<dyn Session>, EngineError>;
    /// Continue exactly from [`Session::checkpoint`] bytes (weights, optimiser state,
    /// batch-norm running statistics, dropout RNG state).
    fn resume(&self, spec: &NetworkSpec, checkpoint: &[u8]) -> Result<Box<dyn Session>, EngineError>;
    /// Inference only, from [`Session::weights`] bytes.
    fn predictor(&self, spec: &NetworkSpec, weights: &[u8]) -> Result<Box<dyn Predictor>, EngineError>;
}

/// One training run in progress.
pub trait Session: Send {
    /// One optimiser step on one mini-batch; `features` = `targets.len()` samples
    /// concatenated (each `spec.input.elements()` floats). Returns the batch loss.
    /// On an error (bad shapes, or batch norm on a single vector sample) the session
    /// is unchanged.
    fn train_step(&mut self, features: &[f32], targets: &[u32]) -> Result<f32, EngineError>;
    /// Eval mode (no dropout, batch-norm running statistics), internally batched so
    /// memory stays bounded. No samples is an [`EngineError::Shape`].
    fn evaluate(&mut self, features: &[f32], targets: &[u32]) -> Result<Evaluation, EngineError>;
    /// Everything needed to continue exactly (see [`Engine::resume`]).
    fn checkpoint(&self) -> Result<Vec<u8>, EngineError>;
    /// Trained weights and batch-norm running statistics (see [`Engine::predictor`]).
    fn weights(&self) -> Result<Vec<u8>, EngineError>;
    /// Trainable parameters (PyTorch count).
    fn parameter_count(&self) -> u64;
}

/// A trained network answering predictions.
pub trait Predictor: Send + Sync {
    /// Softmax probabilities, one `Vec` of `classes` per sample; `features` = n
    /// samples concatenated.
    fn probabilities(&self, features: &[f32]) -> Result<Vec<Vec<f32>>, EngineError>;
}
