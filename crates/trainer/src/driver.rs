//! Trains one run on the calling thread: step by step over the schedule, a metric
//! point every `eval_every` steps (and at step 0 and the end), a checkpoint with each
//! point, pause/stop honoured between steps. A point is stored only after the
//! checkpoint it belongs to, so a resumed run never repeats or loses a stored point.

use std::time::Instant;

use codegen::NetworkConfig;
use dataset::Dataset;
use runs::{Checkpoint, Checkpoints, Control, MetricPoint, Progress, Request, Run, RunRepo, RunStatus};

use crate::engine::{Engine, Evaluation, NetworkSpec, Session};
use crate::schedule::Schedule;

/// How a run begins.
pub enum Start {
    /// Fresh parameters from the seed.
    Fresh,
    /// The weights of an earlier run of the same network.
    Warm(Vec<u8>),
    /// Exactly where a checkpoint left off.
    Resume(Checkpoint),
}

/// Intervals, in steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intervals {
    /// Steps between metric points.
    pub eval_every: u64,
    /// Steps between checkpoints that are not at a metric point.
    pub checkpoint_every: u64,
}

/// What stopped the driver.
#[derive(Debug)]
pub enum Ending {
    /// All steps done.
    Completed,
    /// The user stopped it.
    Stopped,
    /// The server is shutting down: a running run is checkpointed where it is and
    /// recorded interrupted; a paused one holds as it was (its checkpoint is stored).
    Interrupted,
}

/// A failure, worded for the run's `error`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DriveError(pub String);

fn fail(context: &str, error: impl std::fmt::Display) -> DriveError {
    DriveError(format!("{context}: {error}"))
}

impl common::ErrorCode for DriveError {
    fn code(&self) -> &'static str {
        "training_failed"
    }
}

/// Everything one run needs.
pub struct Drive<'a> {
    /// The engine.
    pub engine: &'a dyn Engine,
    /// Where points and status go.
    pub repo: &'a dyn RunRepo,
    /// Where checkpoints go.
    pub store: &'a dyn Checkpoints,
    /// Pause/stop requests.
    pub control: &'a Control,
    /// Intervals.
    pub intervals: Intervals,
}

/// The network of a run: its configuration snapshot on its data.
pub fn network_spec(run: &Run) -> Result<NetworkSpec, String> {
    let config = NetworkConfig::from_value(&run.config).map_err(|e| e.to_string())?;
    Ok(NetworkSpec {
        config,
        input: run.data_spec.input(),
        classes: run.data_spec.classes.len(),
    })
}

/// The test split gathered once, contiguous.
struct TestSet {
    features: Vec<f32>,
    targets: Vec<u32>,
}

impl Drive<'_> {
    /// Trains `run` on `data` from where it should begin: its last checkpoint when
    /// `resume` is set (fresh when it has none), else the weights of the run it
    /// warm-starts from (fresh when they are gone), else fresh parameters.
    pub fn train(&self, run: &mut Run, data: &Dataset, resume: bool) -> Result<Ending, DriveError> {
        run.data_spec = data.spec.clone();
        let spec = network_spec(run).map_err(DriveError)?;
        let start = match (resume, run.warm_from) {
            (true, _) => self
                .store
                .load(run.id)
                .map_err(|e| DriveError(e.to_string()))?
                .map_or(Start::Fresh, Start::Resume),
            (false, Some(from)) => self
                .store
                .weights(from)
                .map_err(|e| DriveError(e.to_string()))?
                .map_or(Start::Fresh, Start::Warm),
            (false, None) => Start::Fresh,
        };
        self.run(run, &spec, data, start)
    }

    /// Trains `run` on `data` from `start`; `run` is updated and stored as it goes.
    pub fn run(
        &self,
        run: &mut Run,
        spec: &NetworkSpec,
        data: &Dataset,
        start: Start,
    ) -> Result<Ending, DriveError> {
        let config = &spec.config;
        let (mut session, mut progress) = match start {
            Start::Fresh => (
                self.engine.start(spec, None),
                Progress {
                    step: 0,
                    training_seconds: 0.0,
                },
            ),
            Start::Warm(weights) => (
                self.engine.start(spec, Some(&weights)),
                Progress {
                    step: 0,
                    training_seconds: 0.0,
                },
            ),
            Start::Resume(checkpoint) => (self.engine.resume(spec, &checkpoint.engine), checkpoint.progress),
        };
        let session = session
            .as_mut()
            .map_err(|e| fail("could not build the network", e))?;
        let split = dataset::split(data.len(), config.ratio, config.seed);
        let test = gather(data, &split.test);
        let mut schedule = Schedule::new(split.train, config.batch_size as usize, config.seed);
        let width = data.spec.input().elements() as usize;
        let (mut batch_x, mut batch_y) = (Vec::new(), Vec::new());

        let last_point = self
            .repo
            .points(run.id, progress.step.checked_sub(1))
            .map_err(|e| fail("reading metric points", e))?;
        // The evaluation of the latest stored point, while it is the current step's.
        let mut latest = None;
        let point_step = progress.step % self.intervals.eval_every == 0 || progress.step == run.iter;
        if point_step && last_point.iter().all(|p| p.step != progress.step) {
            // A fresh run's step-0 point, or the point a crash cut off after its
            // checkpoint (a run interrupted between points has none due here).
            latest = Some((
                progress.step,
                self.point(run, session.as_mut(), &test, progress, 0.0)?,
            ));
        }
        let mut since_point = 0.0;
        while progress.step < run.iter {
            match self.control.get() {
                Request::Go => {}
                Request::Interrupt => return self.interrupt(run, session.as_ref(), progress),
                Request::Stop => {
                    return self.end(
                        run,
                        session.as_mut(),
                        &test,
                        progress,
                        since_point,
                        latest,
                        Ending::Stopped,
                    );
                }
                Request::Pause => {
                    self.checkpoint(run, session.as_ref(), progress)?;
                    self.set_status(run, RunStatus::Paused)?;
                    match self.control.wait_while_paused() {
                        Request::Stop => {
                            return self.end(
                                run,
                                session.as_mut(),
                                &test,
                                progress,
                                since_point,
                                latest,
                                Ending::Stopped,
                            );
                        }
                        Request::Interrupt => return Ok(Ending::Interrupted),
                        Request::Go | Request::Pause => {}
                    }
                    self.set_status(run, RunStatus::Running)?;
                }
            }
            let indices = schedule.batch(progress.step);
            batch_x.clear();
            batch_y.clear();
            for &i in indices {
                batch_x.extend_from_slice(&data.features[i * width..(i + 1) * width]);
                batch_y.push(data.targets[i]);
            }
            let started = Instant::now();
            let loss = session
                .train_step(&batch_x, &batch_y)
                .map_err(|e| fail("training step failed", e))?;
            let seconds = started.elapsed().as_secs_f64();
            progress.step += 1;
            progress.training_seconds += seconds;
            since_point += seconds;
            if !loss.is_finite() {
                return Err(DriveError(format!(
                    "training diverged at step {} (the loss is not a number); try a smaller learning rate",
                    progress.step
                )));
            }
            if progress.step % self.intervals.eval_every == 0 || progress.step == run.iter {
                latest = Some((
                    progress.step,
                    self.point(run, session.as_mut(), &test, progress, since_point)?,
                ));
                since_point = 0.0;
            } else if progress.step % self.intervals.checkpoint_every == 0 {
                self.checkpoint(run, session.as_ref(), progress)?;
            }
        }
        self.end(
            run,
            session.as_mut(),
            &test,
            progress,
            since_point,
            latest,
            Ending::Completed,
        )
    }

    fn evaluate(session: &mut dyn Session, test: &TestSet) -> Result<Evaluation, DriveError> {
        session
            .evaluate(&test.features, &test.targets)
            .map_err(|e| fail("evaluation failed", e))
    }

    /// Evaluates, checkpoints, then stores the point (in that order).
    fn point(
        &self,
        run: &mut Run,
        session: &mut dyn Session,
        test: &TestSet,
        progress: Progress,
        duration: f64,
    ) -> Result<Evaluation, DriveError> {
        let evaluation = Self::evaluate(session, test)?;
        self.checkpoint(run, session, progress)?;
        let point = MetricPoint {
            step: progress.step,
            accuracy: evaluation.accuracy,
            loss: evaluation.loss,
            duration,
        };
        self.repo
            .put_point(run.id, &point)
            .map_err(|e| fail("storing a metric point", e))?;
        run.step = progress.step;
        run.training_seconds = progress.training_seconds;
        self.repo
            .update_run(run)
            .map_err(|e| fail("storing the run", e))?;
        Ok(evaluation)
    }

    fn checkpoint(&self, run: &Run, session: &dyn Session, progress: Progress) -> Result<(), DriveError> {
        let engine = session.checkpoint().map_err(|e| fail("checkpoint", e))?;
        self.store
            .save(run.id, &Checkpoint { progress, engine })
            .map_err(|e| fail("checkpoint", e))?;
        let weights = session.weights().map_err(|e| fail("saving weights", e))?;
        self.store
            .save_weights(run.id, &weights)
            .map_err(|e| fail("saving weights", e))
    }

    /// Checkpoints the run at this step and records it interrupted there.
    fn interrupt(
        &self,
        run: &mut Run,
        session: &dyn Session,
        progress: Progress,
    ) -> Result<Ending, DriveError> {
        self.checkpoint(run, session, progress)?;
        run.step = progress.step;
        run.training_seconds = progress.training_seconds;
        run.interrupt();
        self.repo
            .update_run(run)
            .map_err(|e| fail("storing the run", e))?;
        Ok(Ending::Interrupted)
    }

    fn set_status(&self, run: &mut Run, status: RunStatus) -> Result<(), DriveError> {
        run.status = status;
        self.repo.update_run(run).map_err(|e| fail("storing the run", e))
    }

    /// Ends the run: final metrics from the current step's point (evaluated and stored
    /// now unless it already is), then the final status.
    #[allow(clippy::too_many_arguments)]
    fn end(
        &self,
        run: &mut Run,
        session: &mut dyn Session,
        test: &TestSet,
        progress: Progress,
        since_point: f64,
        latest: Option<(u64, Evaluation)>,
        ending: Ending,
    ) -> Result<Ending, DriveError> {
        let evaluation = match latest {
            Some((step, evaluation)) if step == progress.step => evaluation,
            // A resumed run whose point at this step is already stored: keep it as it is.
            _ if run.step == progress.step => Self::evaluate(session, test)?,
            _ => self.point(run, session, test, progress, since_point)?,
        };
        let classes = run.data_spec.classes.len();
        let mut confusion = vec![vec![0u64; classes]; classes];
        for (&truth, &predicted) in test.targets.iter().zip(&evaluation.predictions) {
            if let Some(cell) = confusion
                .get_mut(truth as usize)
                .and_then(|row| row.get_mut(predicted as usize))
            {
                *cell += 1;
            }
        }
        run.step = progress.step;
        run.training_seconds = progress.training_seconds;
        run.final_accuracy = Some(evaluation.accuracy);
        run.final_loss = Some(evaluation.loss);
        run.confusion = Some(confusion);
        let status = match ending {
            Ending::Completed => RunStatus::Completed,
            Ending::Stopped => RunStatus::Stopped,
            Ending::Interrupted => RunStatus::Interrupted,
        };
        run.end(status, None);
        self.repo
            .update_run(run)
            .map_err(|e| fail("storing the run", e))?;
        Ok(ending)
    }
}

fn gather(data: &Dataset, indices: &[usize]) -> TestSet {
    let width = data.spec.input().elements() as usize;
    let mut features = Vec::with_capacity(indices.len() * width);
    let mut targets = Vec::with_capacity(indices.len());
    for &i in indices {
        features.extend_from_slice(&data.features[i * width..(i + 1) * width]);
        targets.push(data.targets[i]);
    }
    TestSet { features, targets }
}
