//! How a run is trained, beside what it trains: the engine (the server's own Rust
//! engine, or PyTorch running the generated script), on how many data-parallel
//! workers, on which device. In a model's configuration (`engine`, `workers`,
//! `device`), overridable when a run starts.

use serde::Serialize;

use crate::defaults;

/// The engine that trains a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// The server's own Rust engine (one worker, the CPU).
    #[default]
    Builtin,
    /// PyTorch running the generated script, on one or more workers
    /// (DistributedDataParallel under torchrun).
    Pytorch,
}

impl Engine {
    /// `builtin` or `pytorch`.
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "builtin" => Some(Self::Builtin),
            "pytorch" => Some(Self::Pytorch),
            _ => None,
        }
    }

    /// The name used in configurations.
    pub fn name(self) -> &'static str {
        match self {
            Self::Builtin => "builtin",
            Self::Pytorch => "pytorch",
        }
    }
}

/// Where a run's tensors live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Device {
    /// The processor.
    #[default]
    Cpu,
    /// An NVIDIA GPU per worker.
    Cuda,
}

impl Device {
    /// `cpu` or `cuda`.
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "cpu" => Some(Self::Cpu),
            "cuda" => Some(Self::Cuda),
            _ => None,
        }
    }

    /// The name used in configurations.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cpu => "cpu",
            Self::Cuda => "cuda",
        }
    }
}

/// The engine, workers and device of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Execution {
    /// Which engine trains.
    pub engine: Engine,
    /// Data-parallel workers (processes), each with its share of every batch.
    pub workers: u64,
    /// Where each worker computes.
    pub device: Device,
}

impl Default for Execution {
    fn default() -> Self {
        Self {
            engine: Engine::Builtin,
            workers: defaults::WORKERS,
            device: Device::Cpu,
        }
    }
}
