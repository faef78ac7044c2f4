//! Weights trained elsewhere (the PyTorch engine) made the built-in engine's own, so
//! predictions, restore and warm starts work for runs of either engine. Both engines
//! build the same network; the other engine sends the engine's weight body as it is
//! laid out (see [`super::codec`]): every parameter in layer order (linear weights
//! `[in, out]`), then each batch-norm layer's running mean and variance, each array
//! a `u64` length and that many little-endian `f32`.

use super::api::{EngineError, NetworkSpec};
use super::codec::{WEIGHTS, Writer};
use super::plan::Plan;

fn bad(message: String) -> EngineError {
    EngineError::Checkpoint(message)
}

/// The engine's weights bytes for `spec` from a weight body, every array's length
/// checked against the network.
pub fn weights_from_body(spec: &NetworkSpec, body: &[u8]) -> Result<Vec<u8>, EngineError> {
    let plan = Plan::new(spec)?;
    let lengths = plan
        .params
        .iter()
        .map(|p| p.len)
        .chain(plan.stats.iter().flat_map(|&len| [len, len]));
    let mut writer = Writer::new(WEIGHTS, plan.fingerprint());
    let mut rest = body;
    for (index, expected) in lengths.enumerate() {
        let Some((length, tail)) = rest.split_first_chunk::<8>() else {
            return Err(bad(format!("the weights end before array {index}")));
        };
        let length = u64::from_le_bytes(*length);
        if length != expected as u64 {
            return Err(bad(format!(
                "array {index} holds {length} values where this network has {expected}"
            )));
        }
        let Some((values, tail)) = tail.split_at_checked(4 * expected) else {
            return Err(bad(format!("array {index} is cut short")));
        };
        let floats: Vec<f32> = values
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        writer.f32s(&floats);
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(bad(format!("{} bytes after the last array", rest.len())));
    }
    Ok(writer.finish())
}
