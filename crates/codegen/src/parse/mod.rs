//! Parsing and validation of a configuration from JSON, collecting every
//! problem with its field path (see [`NetworkConfig::from_value`]).

mod fields;
mod layers;

use serde_json::Value;

use crate::config::{ConfigError, ConfigErrors, Layer, Loss, NetType, NetworkConfig, Optimizer};
use crate::defaults;
use crate::execution::{Device, Engine, Execution};
use fields::Parser;

impl NetworkConfig {
    /// Parses and validates a JSON text.
    pub fn from_json_str(text: &str) -> Result<Self, ConfigErrors> {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => Self::from_value(&value),
            Err(e) => Err(ConfigErrors(vec![ConfigError {
                path: String::new(),
                message: format!("not valid JSON: {e}"),
            }])),
        }
    }

    /// Parses and validates a JSON value, collecting every problem.
    ///
    /// Unknown top-level keys and keys of `output_layer` are ignored (the
    /// original service's clients may send extra fields); unknown keys inside
    /// a middle layer are errors.
    pub fn from_value(value: &Value) -> Result<Self, ConfigErrors> {
        let mut p = Parser::default();
        let Some(obj) = value.as_object() else {
            p.err("", "the configuration must be a JSON object");
            return Err(ConfigErrors(p.errors));
        };
        let iter = p.uint(obj, "iter", "iter", None);
        if let Some(i) = iter
            && !(defaults::ITER_MIN..=defaults::ITER_MAX).contains(&i)
        {
            p.err(
                "iter",
                &format!(
                    "must be between {} and {}, got {i}",
                    defaults::ITER_MIN,
                    defaults::ITER_MAX
                ),
            );
        }
        let learning_rate = p.number(obj, "learning_rate", "learning_rate");
        if let Some(lr) = learning_rate
            && !(lr > 0.0 && lr <= defaults::LEARNING_RATE_MAX)
        {
            p.err(
                "learning_rate",
                &format!(
                    "must be greater than 0 and at most {}, got {lr}",
                    defaults::LEARNING_RATE_MAX
                ),
            );
        }
        let ratio = p.number(obj, "ratio", "ratio");
        if let Some(r) = ratio
            && !(r > 0.0 && r < 1.0)
        {
            p.err("ratio", &format!("must be strictly between 0 and 1, got {r}"));
        }
        let loss = p.name(
            obj,
            "loss_name",
            "loss_name",
            Loss::parse,
            "entropy, cross_entropy, crossentropy, mse, mean_squared_error",
        );
        let optimizer = p.name(
            obj,
            "optimizer_name",
            "optimizer_name",
            Optimizer::parse,
            "GradientDescentOptimizer/sgd, MomentumOptimizer/momentum, AdamOptimizer/adam, RMSPropOptimizer/rmsprop, AdagradOptimizer/adagrad",
        );
        let net_type = p.name(obj, "net_type", "net_type", NetType::parse, "CNN, DNN, logistic");
        let batch_size = p
            .uint(obj, "batch_size", "batch_size", Some(defaults::BATCH_SIZE))
            .unwrap_or(defaults::BATCH_SIZE);
        if !(defaults::BATCH_SIZE_MIN..=defaults::BATCH_SIZE_MAX).contains(&batch_size) {
            p.err(
                "batch_size",
                &format!(
                    "must be between {} and {}, got {batch_size}",
                    defaults::BATCH_SIZE_MIN,
                    defaults::BATCH_SIZE_MAX
                ),
            );
        }
        let seed = p
            .uint(obj, "seed", "seed", Some(defaults::SEED))
            .unwrap_or(defaults::SEED);
        let middle_layers = p.net_config(obj.get("net_config"));
        let execution = execution(&mut p, obj);

        match (iter, learning_rate, ratio, loss, optimizer, net_type) {
            (Some(iter), Some(learning_rate), Some(ratio), Some(loss), Some(optimizer), Some(net_type))
                if p.errors.is_empty() =>
            {
                Ok(Self {
                    iter,
                    learning_rate,
                    ratio,
                    loss,
                    optimizer,
                    net_type,
                    batch_size,
                    seed,
                    middle_layers,
                    execution,
                })
            }
            _ => Err(ConfigErrors(p.errors)),
        }
    }
}

/// `engine`, `workers` and `device`, each optional; the built-in engine trains on
/// one worker and the CPU.
fn execution(p: &mut Parser, obj: &serde_json::Map<String, Value>) -> Execution {
    let engine = p
        .opt_name(obj, "engine", "engine", Engine::parse, "builtin, pytorch")
        .unwrap_or_default();
    let workers = p
        .uint(obj, "workers", "workers", Some(defaults::WORKERS))
        .unwrap_or(defaults::WORKERS);
    if !(1..=defaults::WORKERS_MAX).contains(&workers) {
        p.err(
            "workers",
            &format!("must be between 1 and {}, got {workers}", defaults::WORKERS_MAX),
        );
    }
    let device = p
        .opt_name(obj, "device", "device", Device::parse, "cpu, cuda")
        .unwrap_or_default();
    if engine == Engine::Builtin && workers > 1 {
        p.err(
            "workers",
            "the built-in engine trains on one worker; choose \"engine\": \"pytorch\" for more",
        );
    }
    if engine == Engine::Builtin && device == Device::Cuda {
        p.err(
            "device",
            "the built-in engine trains on the CPU; choose \"engine\": \"pytorch\" for cuda",
        );
    }
    Execution {
        engine,
        workers,
        device,
    }
}

/// Parses a list of middle layers alone (for "what may come next"); errors are
/// reported at `layers[i]...`.
pub fn parse_layers(value: &Value) -> Result<Vec<Layer>, ConfigErrors> {
    let mut p = Parser::default();
    let Some(list) = value.as_array() else {
        p.err("layers", &format!("must be a list of layers, got {value}"));
        return Err(ConfigErrors(p.errors));
    };
    let layers = p.layers(list, "layers");
    if p.errors.is_empty() {
        Ok(layers)
    } else {
        Err(ConfigErrors(p.errors))
    }
}

#[cfg(test)]
mod tests;
