//! Runs of the built-in engine go to one executor, runs of the PyTorch engine to
//! another; everything else asked about a run goes to the executor that holds it.

use std::sync::Arc;
use std::time::Instant;

use codegen::{Engine, Execution};
use common::RunId;
use runs::{Request, Run};

use crate::executor::{EngineInfo, Executor, ExecutorError, Held, Launch, Placement, Refusal};
use crate::node::Node;

/// An executor per engine.
pub struct ByEngine {
    builtin: Arc<dyn Executor>,
    pytorch: Arc<dyn Executor>,
}

impl ByEngine {
    /// Built-in runs to `builtin`, PyTorch runs to `pytorch`.
    pub fn new(builtin: Arc<dyn Executor>, pytorch: Arc<dyn Executor>) -> Self {
        Self { builtin, pytorch }
    }

    /// The executor holding the run (the built-in one when neither does).
    fn holder(&self, run: RunId) -> &dyn Executor {
        if self.builtin.status(run).is_none() && self.pytorch.status(run).is_some() {
            self.pytorch.as_ref()
        } else {
            self.builtin.as_ref()
        }
    }
}

/// The engine a run's configuration names.
fn engine_of(run: &Run) -> Engine {
    run.config
        .get("engine")
        .and_then(|v| v.as_str())
        .and_then(Engine::parse)
        .unwrap_or_default()
}

impl Executor for ByEngine {
    fn name(&self) -> &'static str {
        self.builtin.name()
    }

    fn submit(&self, run: &Run, launch: &Launch) -> Result<(), ExecutorError> {
        match engine_of(run) {
            Engine::Builtin => self.builtin.submit(run, launch),
            Engine::Pytorch => self.pytorch.submit(run, launch),
        }
    }

    fn status(&self, run: RunId) -> Option<Held> {
        self.builtin.status(run).or_else(|| self.pytorch.status(run))
    }

    fn pause(&self, run: RunId) -> Result<(), ExecutorError> {
        self.holder(run).pause(run)
    }

    fn resume(&self, run: RunId) -> Result<(), ExecutorError> {
        self.holder(run).resume(run)
    }

    fn stop(&self, run: RunId) -> Result<(), ExecutorError> {
        self.holder(run).stop(run)
    }

    fn forget(&self, run: RunId) -> Result<(), ExecutorError> {
        self.builtin.forget(run)?;
        self.pytorch.forget(run)
    }

    fn requested(&self, run: RunId) -> Request {
        self.holder(run).requested(run)
    }

    fn nodes(&self, runs: &[Run]) -> Result<Vec<Node>, ExecutorError> {
        self.builtin.nodes(runs)
    }

    fn adopt(&self, run: RunId) -> bool {
        self.builtin.adopt(run) || self.pytorch.adopt(run)
    }

    fn release(&self, run: RunId) -> Result<(), ExecutorError> {
        self.holder(run).release(run)
    }

    fn shutdown(&self, deadline: Instant) -> Vec<RunId> {
        // Both at once: each waits for its own runs.
        std::thread::scope(|scope| {
            let torch = scope.spawn(|| self.pytorch.shutdown(deadline));
            let mut held = self.builtin.shutdown(deadline);
            held.extend(torch.join().unwrap_or_default());
            held
        })
    }

    fn reported(&self, run: &Run) {
        match engine_of(run) {
            Engine::Builtin => self.builtin.reported(run),
            Engine::Pytorch => self.pytorch.reported(run),
        }
    }

    fn engines(&self) -> Vec<EngineInfo> {
        let mut engines = self.builtin.engines();
        engines.retain(|e| e.name == Engine::Builtin.name());
        engines.extend(
            self.pytorch
                .engines()
                .into_iter()
                .filter(|e| e.name == Engine::Pytorch.name()),
        );
        engines
    }

    fn can_run(&self, execution: &Execution) -> Result<(), Refusal> {
        match execution.engine {
            Engine::Builtin => self.builtin.can_run(execution),
            Engine::Pytorch => self.pytorch.can_run(execution),
        }
    }

    fn placement(&self, run: RunId) -> Option<Placement> {
        self.builtin
            .placement(run)
            .or_else(|| self.pytorch.placement(run))
    }
}
