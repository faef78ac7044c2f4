//! The engine equals the PyTorch network of the generated code: same losses and
//! weights after a few steps from the same initial weights. Runs with the Python
//! of `make pyenv` named by `NETSMITH_TEST_PYTHON`; fails without it (`make test` sets it).

use std::process::Command;

use codegen::{Activation, Layer, Loss, NetType, Optimizer, Padding, PoolKind, Shape};
use serde_json::{Value, json};
use trainer::{BurnEngine, Engine};

use crate::common::{Lcg, config, spec};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const STEPS: usize = 3;

/// The default CNN's layer kinds (even "same" kernels, max pool, 2-D and 1-D batch
/// norm, a flatten) on an odd-sized input.
fn layers() -> Vec<Layer> {
    let conv = |out| Layer::Conv {
        filter: [2, 2, out],
        stride: 1,
        padding: Padding::Same,
        activation: None,
    };
    vec![
        conv(10),
        conv(20),
        Layer::Pool {
            kind: PoolKind::Max,
            size: 2,
            stride: 2,
        },
        Layer::Norm,
        Layer::Active {
            kind: Activation::Relu,
        },
        Layer::Connect { units: 32 },
        Layer::Norm,
        Layer::Active {
            kind: Activation::Elu,
        },
        Layer::Dropout { rate: 0.0 },
        Layer::Connect { units: 16 },
    ]
}

/// Weights whose true gradient is zero (a bias right before batch norm, and the
/// running means it feeds) are left out of the weight comparison: adaptive
/// optimisers turn rounding noise there into steps of ±lr.
const NOISE_ONLY: [usize; 5] = [1, 3, 7, 14, 16];

#[test]
fn engine_matches_pytorch() -> TestResult {
    let Some(python) = std::env::var_os("NETSMITH_TEST_PYTHON").filter(|p| !p.is_empty()) else {
        return Err("NETSMITH_TEST_PYTHON is not set: run `make test` (it builds the Python venv)".into());
    };
    let dir = tempfile::tempdir()?;
    let cases = [
        (Optimizer::Sgd, Loss::CrossEntropy, "sgd", "entropy", 0.05),
        (
            Optimizer::Momentum,
            Loss::MeanSquaredError,
            "momentum",
            "mse",
            0.05,
        ),
        (Optimizer::Adam, Loss::CrossEntropy, "adam", "entropy", 0.01),
        // RMSProp's first step is 10 lr per weight whatever the gradient: keep it small.
        (
            Optimizer::RmsProp,
            Loss::MeanSquaredError,
            "rmsprop",
            "mse",
            0.001,
        ),
        (Optimizer::Adagrad, Loss::CrossEntropy, "adagrad", "entropy", 0.05),
    ];
    let mut rng = Lcg::new(5);
    let x: Vec<f32> = (0..8 * 63).map(|_| rng.next()).collect();
    let y: Vec<u32> = (0..8).map(|i| i % 4).collect();
    let mut manifest = Vec::new();
    let mut ours = Vec::new();
    for (i, &(optimizer, loss, optimizer_name, loss_name, lr)) in cases.iter().enumerate() {
        let s = spec(
            config(NetType::Cnn, layers(), optimizer, loss, lr),
            Shape::Image { h: 9, w: 7, c: 1 },
            4,
        );
        let mut session = BurnEngine.start(&s, None)?;
        std::fs::write(dir.path().join(format!("w0_{i}.bin")), session.weights()?)?;
        let losses = (0..STEPS)
            .map(|_| session.train_step(&x, &y))
            .collect::<Result<Vec<f32>, _>>()?;
        std::fs::write(dir.path().join(format!("w3_{i}.bin")), session.weights()?)?;
        ours.push((losses.clone(), session.evaluate(&x, &y)?));
        manifest.push(json!({"optimizer": optimizer_name, "loss": loss_name, "lr": lr,
            "x": x, "y": y, "losses": losses}));
    }
    std::fs::write(dir.path().join("cases.json"), Value::from(manifest).to_string())?;
    let script = dir.path().join("parity.py");
    std::fs::write(&script, include_str!("pytorch_parity.py"))?;
    let out = Command::new(python).arg(&script).arg(dir.path()).output()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs: Vec<Value> = serde_json::from_slice(&out.stdout)?;
    for ((case, (losses, evaluation)), torch) in cases.iter().zip(&ours).zip(&theirs) {
        let name = format!("{}/{}", case.2, case.3);
        let torch_losses: Vec<f64> = serde_json::from_value(torch["losses"].clone())?;
        for (a, b) in losses.iter().zip(&torch_losses) {
            assert!(
                (f64::from(*a) - b).abs() <= 1e-4 * b.abs().max(1.0),
                "{name}: {losses:?} vs {torch_losses:?}"
            );
        }
        let diffs: Vec<f64> = serde_json::from_value(torch["diffs"].clone())?;
        let worst = diffs
            .iter()
            .enumerate()
            .filter(|(k, _)| !NOISE_ONLY.contains(k))
            .fold(0.0f64, |m, (_, d)| m.max(*d));
        assert!(worst < 1e-3, "{name}: weights differ by {worst} ({diffs:?})");
        if matches!(case.0, Optimizer::Sgd | Optimizer::Momentum) {
            // No amplification of rounding noise: everything agrees, eval included.
            assert!(diffs.iter().all(|d| *d < 1e-5), "{name}: {diffs:?}");
            let eval_loss = torch["eval_loss"].as_f64().unwrap_or(f64::NAN);
            assert!(
                (evaluation.loss - eval_loss).abs() < 1e-4,
                "{name}: {} vs {eval_loss}",
                evaluation.loss
            );
        }
    }
    Ok(())
}
