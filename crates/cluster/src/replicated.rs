//! Several server replicas on one database. [`Replicated`] wraps the executor of one
//! replica: it claims a lease on every run it submits and renews it while the run is
//! held; it records each pause, resume and stop in the database as well, so the replica
//! driving a run applies a request made through any other; and it sweeps runs whose
//! replica is gone (lease expired, or its process on this host is dead): a run that
//! still trains where the executor can see it (a Job in the cluster) is taken over, any
//! other becomes interrupted, resumable from its checkpoint, instead of a starting
//! server marking every run interrupted.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use codegen::Execution;
use common::RunId;
use runs::{Lease, LeaseRepo, LeaseState, Request, Run};

use crate::executor::{EngineInfo, Executor, ExecutorError, Held, Launch, Placement, Refusal};
use crate::node::Node;
use crate::replica::ReplicaId;
use crate::sync::lock;

/// How this replica holds its runs.
#[derive(Debug, Clone)]
pub struct LeaseSettings {
    /// This replica's name in leases.
    pub replica: ReplicaId,
    /// How long a lease lasts unless renewed; a replica silent for longer is taken
    /// for gone. Renewed several times within it.
    pub ttl: Duration,
}

/// How long a recorded run may wait for its lease before it is taken for abandoned (its
/// server stopped between recording and claiming it).
const UNCLAIMED_GRACE: Duration = Duration::from_secs(120);

/// How often requests made through other replicas are picked up (at most).
const REQUEST_POLL: Duration = Duration::from_millis(250);

struct Shared<R> {
    inner: Arc<dyn Executor>,
    repo: R,
    settings: LeaseSettings,
    /// The runs this replica submitted and its executor may still hold.
    driving: Mutex<HashSet<RunId>>,
}

/// An executor whose runs are leased in the database; cheap to clone.
pub struct Replicated<R> {
    shared: Arc<Shared<R>>,
}

impl<R> Clone for Replicated<R> {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
        }
    }
}

fn storage(error: runs::RunRepoError) -> ExecutorError {
    ExecutorError::Unavailable(format!("run leases: {error}"))
}

impl<R: LeaseRepo> Replicated<R> {
    /// Sweeps the runs whose replica is gone, then keeps this replica's leases renewed
    /// (and sweeps again now and then) on a thread of its own.
    pub fn start(inner: Arc<dyn Executor>, repo: R, settings: LeaseSettings) -> Result<Self, ExecutorError> {
        let shared = Arc::new(Shared {
            inner,
            repo,
            settings,
            driving: Mutex::new(HashSet::new()),
        });
        let swept = shared.sweep().map_err(storage)?;
        if swept > 0 {
            tracing::info!(
                runs = swept,
                "marked runs interrupted: the servers that drove them are gone"
            );
        }
        let keeper = Arc::downgrade(&shared);
        std::thread::Builder::new()
            .name("run-leases".into())
            .spawn(move || Shared::keep(&keeper))
            .map_err(|e| ExecutorError::Unavailable(format!("starting the lease thread: {e}")))?;
        Ok(Self { shared })
    }

    fn lease(&self) -> Lease {
        self.shared.lease()
    }

    /// Records the request for every replica, then passes it to this one's executor
    /// when it holds the run.
    fn request(
        &self,
        run: RunId,
        request: Request,
        apply: impl FnOnce(&dyn Executor) -> Result<(), ExecutorError>,
    ) -> Result<(), ExecutorError> {
        self.shared.repo.set_request(run, request).map_err(storage)?;
        if self.shared.inner.status(run).is_some() {
            apply(self.shared.inner.as_ref())?;
        }
        Ok(())
    }

    /// Where another live replica has the run, as far as the database tells.
    fn held_elsewhere(&self, run: RunId) -> Option<Held> {
        let state = match self.shared.repo.lease_state(run) {
            Ok(state) => state?,
            Err(error) => {
                tracing::warn!(%run, %error, "cannot read the run's lease");
                return None;
            }
        };
        let lease = state.lease?;
        let me = self.shared.settings.replica.as_str();
        let live = lease.holder != me && lease.until >= Utc::now();
        live.then_some(match state.request {
            Request::Pause => Held::Paused,
            Request::Go | Request::Stop | Request::Interrupt => Held::Training,
        })
    }
}

impl<R: LeaseRepo> Shared<R> {
    fn lease(&self) -> Lease {
        Lease {
            holder: self.settings.replica.as_str().to_owned(),
            until: Utc::now() + TimeDelta::from_std(self.settings.ttl).unwrap_or(TimeDelta::MAX),
        }
    }

    /// Renews and sweeps until every handle on the executor is dropped.
    fn keep(shared: &Weak<Self>) {
        let mut last_sweep = Instant::now();
        loop {
            let Some(this) = shared.upgrade() else { return };
            let renew_every = (this.settings.ttl / 4).max(Duration::from_millis(50));
            drop(this);
            std::thread::sleep(REQUEST_POLL.min(renew_every));
            let Some(this) = shared.upgrade() else { return };
            if let Err(error) = this.renew() {
                tracing::warn!(%error, "cannot renew this server's run leases");
            }
            if last_sweep.elapsed() >= renew_every {
                last_sweep = Instant::now();
                match this.sweep() {
                    Ok(0) => {}
                    Ok(swept) => {
                        tracing::warn!(
                            runs = swept,
                            "marked runs interrupted: the server that drove them is gone"
                        )
                    }
                    Err(error) => tracing::warn!(%error, "cannot sweep abandoned runs"),
                }
            }
        }
    }

    /// Renews the leases of the runs this replica's executor still holds, and applies
    /// the requests other replicas recorded for them.
    fn renew(&self) -> Result<(), runs::RunRepoError> {
        let driving: Vec<RunId> = {
            let mut driving = lock(&self.driving);
            driving.retain(|run| self.inner.status(*run).is_some());
            driving.iter().copied().collect()
        };
        if driving.is_empty() {
            return Ok(());
        }
        let lease = self.lease();
        let held = self.repo.renew_leases(&lease.holder, &driving, lease.until)?;
        for run in &driving {
            match held.iter().find(|(id, _)| id == run) {
                Some((_, request)) => self.apply(*run, *request),
                None if self.inner.status(*run).is_some() => {
                    // Another replica took this run for gone (this one stalled past its
                    // lease) and may train it now: let go of it.
                    tracing::warn!(%run, "lost the run's lease; no longer driving it here");
                    lock(&self.driving).remove(run);
                    if let Err(error) = self.inner.release(*run) {
                        tracing::warn!(%run, %error, "cannot let go of the run");
                    }
                }
                None => {}
            }
        }
        Ok(())
    }

    fn apply(&self, run: RunId, request: Request) {
        if self.inner.requested(run) == request {
            return;
        }
        let applied = match request {
            Request::Go => self.inner.resume(run),
            Request::Pause => self.inner.pause(run),
            Request::Stop => self.inner.stop(run),
            // Never recorded: only this server's own shutdown interrupts its runs.
            Request::Interrupt => Ok(()),
        };
        if let Err(error) = applied {
            tracing::warn!(%run, %error, "cannot apply a request made through another server");
        }
    }

    /// Marks interrupted the runs whose replica is gone; how many.
    fn sweep(&self) -> Result<usize, runs::RunRepoError> {
        let mut swept = 0;
        for state in self.repo.unfinished_leases()? {
            if !self.abandoned(&state) {
                continue;
            }
            if self.inner.adopt(state.run) {
                if self
                    .repo
                    .take_over(state.run, state.lease.as_ref(), &self.lease())?
                {
                    tracing::info!(run = %state.run, "took over a run whose server is gone; it still trains");
                    lock(&self.driving).insert(state.run);
                } else if let Err(error) = self.inner.release(state.run) {
                    tracing::warn!(run = %state.run, %error, "cannot let go of a run another server took over");
                }
            } else if self.repo.interrupt_abandoned(state.run, state.lease.as_ref())? {
                tracing::info!(run = %state.run, "run interrupted: its server is gone; it can be resumed");
                swept += 1;
            }
        }
        Ok(swept)
    }

    fn abandoned(&self, state: &LeaseState) -> bool {
        let now = Utc::now();
        let me = &self.settings.replica;
        match &state.lease {
            // Not claimed yet: being submitted right now, unless it is old. A busy
            // machine can take longer than a lease between recording a run and
            // claiming it, so the wait is at least UNCLAIMED_GRACE.
            None => {
                let grace = self.settings.ttl.max(UNCLAIMED_GRACE);
                state.created_at + TimeDelta::from_std(grace).unwrap_or(TimeDelta::MAX) < now
            }
            Some(lease) if lease.holder == me.as_str() => {
                lease.until < now && !lock(&self.driving).contains(&state.run)
            }
            Some(lease) => lease.until < now || me.is_dead_neighbour(&lease.holder),
        }
    }
}

impl<R: LeaseRepo> Executor for Replicated<R> {
    fn name(&self) -> &'static str {
        self.shared.inner.name()
    }

    fn shutdown(&self, deadline: Instant) -> Vec<RunId> {
        // The runs it held are handed over by the caller; their leases lapse.
        self.shared.inner.shutdown(deadline)
    }

    fn submit(&self, run: &Run, launch: &Launch) -> Result<(), ExecutorError> {
        self.shared
            .repo
            .claim_run(run.id, &self.lease())
            .map_err(storage)?;
        lock(&self.shared.driving).insert(run.id);
        let submitted = self.shared.inner.submit(run, launch);
        if submitted.is_err() {
            lock(&self.shared.driving).remove(&run.id);
        }
        submitted
    }

    fn status(&self, run: RunId) -> Option<Held> {
        self.shared.inner.status(run).or_else(|| self.held_elsewhere(run))
    }

    fn pause(&self, run: RunId) -> Result<(), ExecutorError> {
        self.request(run, Request::Pause, |inner| inner.pause(run))
    }

    fn resume(&self, run: RunId) -> Result<(), ExecutorError> {
        self.request(run, Request::Go, |inner| inner.resume(run))
    }

    fn stop(&self, run: RunId) -> Result<(), ExecutorError> {
        self.request(run, Request::Stop, |inner| inner.stop(run))
    }

    fn forget(&self, run: RunId) -> Result<(), ExecutorError> {
        self.request(run, Request::Stop, |inner| inner.forget(run))
    }

    /// The executor's own answer for runs this replica drives; for any other, the
    /// request recorded in the database (a worker may report to any replica).
    fn requested(&self, run: RunId) -> Request {
        if lock(&self.shared.driving).contains(&run) {
            return self.shared.inner.requested(run);
        }
        match self.shared.repo.lease_state(run) {
            Ok(Some(state)) => state.request,
            Ok(None) => Request::Stop,
            Err(error) => {
                tracing::warn!(%run, %error, "cannot read the run's request");
                self.shared.inner.requested(run)
            }
        }
    }

    fn reported(&self, run: &Run) {
        self.shared.inner.reported(run);
    }

    fn placement(&self, run: RunId) -> Option<Placement> {
        self.shared.inner.placement(run).or_else(|| {
            self.held_elsewhere(run).map(|held| Placement {
                executor: self.shared.inner.name(),
                phase: held.as_str().to_owned(),
                detail: Some("driven by another server replica".to_owned()),
                pod: None,
                node: None,
            })
        })
    }

    fn engines(&self) -> Vec<EngineInfo> {
        self.shared.inner.engines()
    }

    fn can_run(&self, execution: &Execution) -> Result<(), Refusal> {
        self.shared.inner.can_run(execution)
    }

    fn nodes(&self, runs: &[Run]) -> Result<Vec<Node>, ExecutorError> {
        self.shared.inner.nodes(runs)
    }
}
