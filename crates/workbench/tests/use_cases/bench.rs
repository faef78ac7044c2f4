//! A workbench over the in-memory store, training on one local thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cluster::{LocalExecutor, LocalSettings};
use common::{DataId, RunId, UserId};
use datastore::archive::ZipLimits;
use datastore::{DataItem, DataService, DataSettings, FileClass, LocalBlobStore, Received, UploadKind};
use runs::{Run, RunStatus};
use serde_json::{Map, Value, json};
use workbench::memory::MemoryStore;
use workbench::{ModelInputs, Workbench, WorkbenchSettings};

pub type Bench = Workbench<MemoryStore, LocalBlobStore>;

pub const OWNER: UserId = UserId(1);
pub const STRANGER: UserId = UserId(2);

pub struct TestBench {
    pub bench: Bench,
    pub dir: tempfile::TempDir,
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/datasets")
        .join(name)
}

impl TestBench {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = MemoryStore::default();
        let data = Arc::new(DataService::new(
            store.clone(),
            LocalBlobStore::open(dir.path().join("blobs")).expect("blob folder"),
            DataSettings {
                max_upload_bytes: 64 << 20,
                quota_bytes: None,
                zip_limits: ZipLimits::default(),
            },
        ));
        let engine = Arc::new(trainer::NativeEngine);
        let executor = LocalExecutor::start(
            store.clone(),
            engine.clone(),
            Box::new(ModelInputs::new(data.clone(), store.clone())),
            LocalSettings {
                workers: 1,
                eval_every: 10,
                checkpoint_every: 1000,
                checkpoints: dir.path().join("runs"),
                bind_ip: "127.0.0.1".into(),
            },
        )
        .expect("executor");
        let bench = Workbench::new(
            store,
            data,
            Arc::new(executor),
            engine,
            WorkbenchSettings::new(dir.path().join("runs")),
        )
        .expect("workbench");
        Self { bench, dir }
    }

    /// Stores a fixture file as an upload of the owner, as a received upload would be.
    pub fn upload(&self, owner: UserId, name: &str, kind: UploadKind, class: FileClass) -> DataItem {
        let data = self.bench.data();
        let staged = data.stage().expect("staging folder");
        let file = staged.join("received");
        std::fs::copy(fixture(name), &file).expect("copy fixture");
        let size = std::fs::metadata(&file).expect("size").len();
        data.ingest(
            owner,
            class,
            kind,
            Received {
                staged_dir: staged,
                file,
                original_name: name.to_owned(),
                size,
                sha256: String::new(),
                source_url: None,
            },
        )
        .expect("ingest")
    }

    pub fn iris(&self) -> DataId {
        self.upload(OWNER, "iris.csv", UploadKind::Single, FileClass::Doc)
            .id
    }

    /// An iris upload as the data of a new model `name` with `config` saved; the upload.
    pub fn iris_model(&self, name: &str, config: Map<String, Value>) -> DataId {
        let iris = self.iris();
        self.bench
            .models()
            .create(OWNER, name, Some(iris))
            .expect("created");
        self.bench.save_config(OWNER, name, config, None).expect("saved");
        iris
    }

    pub fn digits(&self) -> DataId {
        self.upload(OWNER, "digits.zip", UploadKind::Zip, FileClass::Picture)
            .id
    }

    /// Waits until the run is final.
    pub fn finished(&self, id: RunId) -> Run {
        let started = Instant::now();
        loop {
            let run = self.bench.run(OWNER, id).expect("the run");
            if run.status.is_final() {
                return run;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "run {id} still {:?}",
                run.status
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the run has the status.
    pub fn reaches(&self, id: RunId, status: RunStatus) -> Run {
        let started = Instant::now();
        loop {
            let run = self.bench.run(OWNER, id).expect("the run");
            if run.status == status {
                return run;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "run {id} is {:?}",
                run.status
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A DNN for iris: `iter` steps of Adam.
pub fn dnn(iter: u64) -> Map<String, Value> {
    let Value::Object(map) = json!({
        "iter": iter, "learning_rate": 0.01, "ratio": 0.8, "loss_name": "entropy",
        "optimizer_name": "adam", "net_type": "DNN", "batch_size": 16,
        "net_config": {"middle_layer": [{"layer": "connect", "units": 16}, {"layer": "active"}], "output_layer": {}}
    }) else {
        unreachable!("an object")
    };
    map
}

/// The seed's CNN for 8x8 digits.
pub fn cnn(iter: u64) -> Map<String, Value> {
    let Value::Object(map) = json!({
        "iter": iter, "learning_rate": 0.01, "ratio": 0.8, "loss_name": "entropy",
        "optimizer_name": "AdamOptimizer", "net_type": "CNN",
        "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
            {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
            {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}
    }) else {
        unreachable!("an object")
    };
    map
}
