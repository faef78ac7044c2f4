//! The engine equals the PyTorch network of the generated code: same losses and
//! weights after a few steps from the same initial weights. Runs with the Python
//! of `make pyenv` named by `NETSMITH_TEST_PYTHON`; fails without it (`make test` sets it).

use std::process::Command;

use codegen::{Activation, Layer, Loss, NetType, Optimizer, Padding, PoolKind, Shape};
use serde_json::{Value, json};
use trainer::{Engine, NativeEngine, NetworkSpec};

use crate::common::{Lcg, config, dnn_784, image, lenet5, spec, vgg_small};

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

/// One run replayed in PyTorch: the spec, the same network in PyTorch (an
/// expression over `nn`), and its optimiser and loss names as the script knows them.
struct Case {
    name: String,
    spec: NetworkSpec,
    torch_net: String,
    shape: Vec<u64>,
    optimizer: &'static str,
    loss: &'static str,
    lr: f64,
    samples: usize,
}

/// What the engine did and what PyTorch did for one case.
struct Replay {
    losses: Vec<f32>,
    torch_losses: Vec<f64>,
    evaluation: trainer::Evaluation,
    torch_eval_loss: f64,
    /// Largest absolute difference per weight array after the steps.
    diffs: Vec<f64>,
}

fn replay(cases: &[Case]) -> Result<Vec<Replay>, Box<dyn std::error::Error>> {
    let Some(python) = std::env::var_os("NETSMITH_TEST_PYTHON").filter(|p| !p.is_empty()) else {
        return Err("NETSMITH_TEST_PYTHON is not set: run `make test` (it builds the Python venv)".into());
    };
    let dir = tempfile::tempdir()?;
    let mut manifest = Vec::new();
    let mut ours = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let width = case.spec.input.elements() as usize;
        let mut rng = Lcg::new(5);
        let x: Vec<f32> = (0..case.samples * width).map(|_| rng.next()).collect();
        let y: Vec<u32> = (0..case.samples)
            .map(|i| (i % case.spec.classes) as u32)
            .collect();
        let mut session = NativeEngine.start(&case.spec, None)?;
        std::fs::write(dir.path().join(format!("w0_{i}.bin")), session.weights()?)?;
        let losses = (0..STEPS)
            .map(|_| session.train_step(&x, &y))
            .collect::<Result<Vec<f32>, _>>()?;
        std::fs::write(dir.path().join(format!("w3_{i}.bin")), session.weights()?)?;
        ours.push((losses.clone(), session.evaluate(&x, &y)?));
        manifest.push(
            json!({"optimizer": case.optimizer, "loss": case.loss, "lr": case.lr,
            "net": case.torch_net, "shape": case.shape, "classes": case.spec.classes,
            "x": x, "y": y, "losses": losses}),
        );
    }
    std::fs::write(dir.path().join("cases.json"), Value::from(manifest).to_string())?;
    let script = dir.path().join("parity.py");
    std::fs::write(&script, include_str!("pytorch_parity.py"))?;
    let out = Command::new(python).arg(&script).arg(dir.path()).output()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs: Vec<Value> = serde_json::from_slice(&out.stdout)?;
    ours.into_iter()
        .zip(theirs)
        .map(|((losses, evaluation), torch)| {
            Ok(Replay {
                losses,
                torch_losses: serde_json::from_value(torch["losses"].clone())?,
                evaluation,
                torch_eval_loss: torch["eval_loss"].as_f64().unwrap_or(f64::NAN),
                diffs: serde_json::from_value(torch["diffs"].clone())?,
            })
        })
        .collect()
}

fn assert_losses_match(name: &str, r: &Replay) {
    assert_eq!(r.losses.len(), r.torch_losses.len(), "{name}");
    for (a, b) in r.losses.iter().zip(&r.torch_losses) {
        assert!(
            (f64::from(*a) - b).abs() <= 1e-4 * b.abs().max(1.0),
            "{name}: {:?} vs {:?}",
            r.losses,
            r.torch_losses
        );
    }
}

#[test]
fn engine_matches_pytorch() -> TestResult {
    let net = "nn.Sequential(nn.Conv2d(1, 10, (2, 2), padding='same'), \
        nn.Conv2d(10, 20, (2, 2), padding='same'), nn.MaxPool2d(2, 2), nn.BatchNorm2d(20), \
        nn.ReLU(), nn.Flatten(), nn.Linear(20 * 4 * 3, 32), nn.BatchNorm1d(32), nn.ELU(), \
        nn.Dropout(0.0), nn.Linear(32, 16), nn.Linear(16, 4))";
    let settings = [
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
    let cases: Vec<Case> = settings
        .iter()
        .map(|&(optimizer, loss, optimizer_name, loss_name, lr)| Case {
            name: format!("{optimizer_name}/{loss_name}"),
            spec: spec(
                config(NetType::Cnn, layers(), optimizer, loss, lr),
                Shape::Image { h: 9, w: 7, c: 1 },
                4,
            ),
            torch_net: net.to_owned(),
            shape: vec![1, 9, 7],
            optimizer: optimizer_name,
            loss: loss_name,
            lr,
            samples: 8,
        })
        .collect();
    for ((case, setting), r) in cases.iter().zip(&settings).zip(replay(&cases)?) {
        let name = &case.name;
        assert_losses_match(name, &r);
        let worst = r
            .diffs
            .iter()
            .enumerate()
            .filter(|(k, _)| !NOISE_ONLY.contains(k))
            .fold(0.0f64, |m, (_, d)| m.max(*d));
        assert!(worst < 1e-3, "{name}: weights differ by {worst} ({:?})", r.diffs);
        if matches!(setting.0, Optimizer::Sgd | Optimizer::Momentum) {
            // No amplification of rounding noise: everything agrees, eval included.
            assert!(r.diffs.iter().all(|d| *d < 1e-5), "{name}: {:?}", r.diffs);
            assert!(
                (r.evaluation.loss - r.torch_eval_loss).abs() < 1e-4,
                "{name}: {} vs {}",
                r.evaluation.loss,
                r.torch_eval_loss
            );
        }
    }
    Ok(())
}

/// The networks of the training benchmark (LeNet-5, the VGG-style network on 32x32
/// and 64x64 colour pictures, the 784-512-256-10 DNN), forward and backward.
#[test]
fn benchmark_networks_match_pytorch() -> TestResult {
    let vgg = |side: u64| {
        format!(
            "nn.Sequential(nn.Conv2d(3, 32, 3, padding='same'), nn.BatchNorm2d(32), nn.ReLU(), \
             nn.Conv2d(32, 32, 3, padding='same'), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2, 2), \
             nn.Conv2d(32, 64, 3, padding='same'), nn.BatchNorm2d(64), nn.ReLU(), \
             nn.Conv2d(64, 64, 3, padding='same'), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2, 2), \
             nn.Flatten(), nn.Linear(64 * {q} * {q}, 256), nn.ReLU(), nn.Linear(256, 10))",
            q = side / 4
        )
    };
    let lenet = "nn.Sequential(nn.Conv2d(1, 6, 5, padding='same'), nn.ReLU(), nn.MaxPool2d(2, 2), \
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(400, 120), \
        nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))";
    let dnn = "nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), \
        nn.Linear(256, 10))";
    let networks = [
        (
            "lenet5",
            NetType::Cnn,
            lenet5(),
            image(28, 28, 1),
            vec![1, 28, 28],
            lenet.to_owned(),
            8,
        ),
        (
            "vgg32",
            NetType::Cnn,
            vgg_small(),
            image(32, 32, 3),
            vec![3, 32, 32],
            vgg(32),
            4,
        ),
        (
            "vgg64",
            NetType::Cnn,
            vgg_small(),
            image(64, 64, 3),
            vec![3, 64, 64],
            vgg(64),
            2,
        ),
        (
            "dnn",
            NetType::Dnn,
            dnn_784(),
            Shape::Vector(784),
            vec![784],
            dnn.to_owned(),
            8,
        ),
    ];
    let mut cases = Vec::new();
    for (name, net_type, layers, input, shape, torch_net, samples) in networks {
        for (optimizer, optimizer_name) in [(Optimizer::Sgd, "sgd"), (Optimizer::Momentum, "momentum")] {
            cases.push(Case {
                name: format!("{name}/{optimizer_name}"),
                spec: spec(
                    config(net_type, layers.clone(), optimizer, Loss::CrossEntropy, 0.05),
                    input,
                    10,
                ),
                torch_net: torch_net.clone(),
                shape: shape.clone(),
                optimizer: optimizer_name,
                loss: "entropy",
                lr: 0.05,
                samples,
            });
        }
    }
    for (case, r) in cases.iter().zip(replay(&cases)?) {
        assert_losses_match(&case.name, &r);
        assert!(r.diffs.iter().all(|d| *d < 1e-4), "{}: {:?}", case.name, r.diffs);
        assert!(
            (r.evaluation.loss - r.torch_eval_loss).abs() <= 1e-4 * r.torch_eval_loss.abs().max(1.0),
            "{}: {} vs {}",
            case.name,
            r.evaluation.loss,
            r.torch_eval_loss
        );
    }
    Ok(())
}
