//! The lease rules of `Replicated`, over leases in memory and an executor that only
//! records what it is asked: which runs a replica takes for abandoned, and how a
//! request made through another replica reaches the one that drives the run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use cluster::{Executor, ExecutorError, Held, Launch, LeaseSettings, Node, ReplicaId, Replicated};
use common::{DataId, ModelId, RunId, UserId};
use runs::{Lease, LeaseRepo, LeaseState, Request, Run, RunRepoError, RunStatus};

#[derive(Clone)]
struct Row {
    status: RunStatus,
    lease: Option<Lease>,
    request: Request,
    created_at: DateTime<Utc>,
}

/// Run rows with only the lease columns.
#[derive(Default, Clone)]
struct Leases(Arc<Mutex<HashMap<RunId, Row>>>);

impl Leases {
    fn add(&self, run: i64, lease: Option<Lease>, created_at: DateTime<Utc>) {
        let row = Row {
            status: RunStatus::Running,
            lease,
            request: Request::Go,
            created_at,
        };
        self.0.lock().expect("lock").insert(RunId(run), row);
    }

    fn status(&self, run: i64) -> RunStatus {
        self.0.lock().expect("lock")[&RunId(run)].status
    }
}

fn unfinished(status: RunStatus) -> bool {
    matches!(status, RunStatus::Queued | RunStatus::Running | RunStatus::Paused)
}

impl LeaseRepo for Leases {
    fn claim_run(&self, run: RunId, lease: &Lease) -> Result<(), RunRepoError> {
        if let Some(row) = self.0.lock().expect("lock").get_mut(&run) {
            row.lease = Some(lease.clone());
            row.request = Request::Go;
        }
        Ok(())
    }

    fn renew_leases(
        &self,
        holder: &str,
        runs: &[RunId],
        until: DateTime<Utc>,
    ) -> Result<Vec<(RunId, Request)>, RunRepoError> {
        let mut rows = self.0.lock().expect("lock");
        let mut held = Vec::new();
        for run in runs {
            if let Some(row) = rows.get_mut(run)
                && unfinished(row.status)
                && let Some(lease) = row.lease.as_mut()
                && lease.holder == holder
            {
                lease.until = until;
                held.push((*run, row.request));
            }
        }
        Ok(held)
    }

    fn set_request(&self, run: RunId, request: Request) -> Result<(), RunRepoError> {
        if let Some(row) = self.0.lock().expect("lock").get_mut(&run) {
            row.request = request;
        }
        Ok(())
    }

    fn lease_state(&self, run: RunId) -> Result<Option<LeaseState>, RunRepoError> {
        Ok(self.unfinished_leases()?.into_iter().find(|s| s.run == run))
    }

    fn unfinished_leases(&self) -> Result<Vec<LeaseState>, RunRepoError> {
        let rows = self.0.lock().expect("lock");
        Ok(rows
            .iter()
            .filter(|(_, row)| unfinished(row.status))
            .map(|(run, row)| LeaseState {
                run: *run,
                lease: row.lease.clone(),
                request: row.request,
                created_at: row.created_at,
            })
            .collect())
    }

    fn take_over(&self, run: RunId, seen: Option<&Lease>, lease: &Lease) -> Result<bool, RunRepoError> {
        let mut rows = self.0.lock().expect("lock");
        match rows.get_mut(&run) {
            Some(row) if unfinished(row.status) && row.lease.as_ref() == seen => {
                row.lease = Some(lease.clone());
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn interrupt_abandoned(&self, run: RunId, seen: Option<&Lease>) -> Result<bool, RunRepoError> {
        let mut rows = self.0.lock().expect("lock");
        match rows.get_mut(&run) {
            Some(row) if unfinished(row.status) && row.lease.as_ref() == seen => {
                row.status = RunStatus::Interrupted;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

/// Holds what it is given and records every request.
#[derive(Default)]
struct Recorder {
    held: Mutex<HashMap<RunId, Request>>,
    calls: Mutex<Vec<(RunId, Request)>>,
}

impl Recorder {
    fn ask(&self, run: RunId, request: Request) -> Result<(), ExecutorError> {
        self.calls.lock().expect("lock").push((run, request));
        if let Some(current) = self.held.lock().expect("lock").get_mut(&run) {
            *current = request;
        }
        Ok(())
    }
}

impl Executor for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }
    fn submit(&self, run: &Run, _: &Launch) -> Result<(), ExecutorError> {
        self.held.lock().expect("lock").insert(run.id, Request::Go);
        Ok(())
    }
    fn status(&self, run: RunId) -> Option<Held> {
        self.held.lock().expect("lock").get(&run).map(|_| Held::Training)
    }
    fn pause(&self, run: RunId) -> Result<(), ExecutorError> {
        self.ask(run, Request::Pause)
    }
    fn resume(&self, run: RunId) -> Result<(), ExecutorError> {
        self.ask(run, Request::Go)
    }
    fn stop(&self, run: RunId) -> Result<(), ExecutorError> {
        self.ask(run, Request::Stop)
    }
    fn forget(&self, run: RunId) -> Result<(), ExecutorError> {
        self.ask(run, Request::Stop)
    }
    fn requested(&self, run: RunId) -> Request {
        self.held
            .lock()
            .expect("lock")
            .get(&run)
            .copied()
            .unwrap_or(Request::Go)
    }
    fn nodes(&self, _: &[Run]) -> Result<Vec<Node>, ExecutorError> {
        Ok(Vec::new())
    }
}

fn settings(name: &str) -> LeaseSettings {
    LeaseSettings {
        replica: ReplicaId::new(name),
        ttl: Duration::from_millis(400),
    }
}

fn lease(holder: &str, until: DateTime<Utc>) -> Option<Lease> {
    Some(Lease {
        holder: holder.to_owned(),
        until,
    })
}

fn run(id: i64) -> Run {
    Run {
        id: RunId(id),
        owner: UserId(1),
        model_id: ModelId(1),
        data_id: DataId(1),
        config: serde_json::json!({}),
        iter: 10,
        warm_from: None,
        status: RunStatus::Queued,
        step: 0,
        error: None,
        final_accuracy: None,
        final_loss: None,
        training_seconds: 0.0,
        confusion: None,
        data_spec: serde_json::from_value(serde_json::json!({
            "kind": "images", "input": [8, 8, 1], "classes": ["a", "b"], "samples": 2,
            "label_column": null, "feature_columns": [], "normalization": null
        }))
        .expect("a data spec"),
        created_at: Utc::now(),
        started_at: None,
        finished_at: None,
        worker_key: None,
    }
}

fn launch() -> Launch {
    Launch {
        resume: false,
        token: String::new(),
    }
}

#[test]
fn a_starting_replica_interrupts_expired_and_old_unclaimed_runs_only() {
    let leases = Leases::default();
    let now = Utc::now();
    let long_ago = now - TimeDelta::hours(1);
    leases.add(1, lease("other-host/1/a", now - TimeDelta::seconds(5)), long_ago);
    leases.add(2, lease("other-host/2/b", now + TimeDelta::minutes(5)), long_ago);
    leases.add(3, None, long_ago);
    leases.add(4, None, now);
    // Recorded a while ago on a busy machine, still being submitted: not a lease's
    // length is enough to give up on it.
    leases.add(5, None, now - TimeDelta::seconds(30));
    let _replica =
        Replicated::start(Arc::new(Recorder::default()), leases.clone(), settings("me")).expect("start");
    assert_eq!(leases.status(1), RunStatus::Interrupted, "its lease ran out");
    assert_eq!(leases.status(2), RunStatus::Running, "its replica is alive");
    assert_eq!(
        leases.status(3),
        RunStatus::Interrupted,
        "never claimed, long ago"
    );
    assert_eq!(leases.status(4), RunStatus::Running, "being submitted right now");
    assert_eq!(leases.status(5), RunStatus::Running, "being submitted, slowly");
}

#[test]
fn a_live_replica_keeps_its_runs_and_a_silent_one_loses_them() {
    let leases = Leases::default();
    let first =
        Replicated::start(Arc::new(Recorder::default()), leases.clone(), settings("first")).expect("start");
    let second_inner = Arc::new(Recorder::default());
    let second = Replicated::start(second_inner.clone(), leases.clone(), settings("second")).expect("start");
    leases.add(1, None, Utc::now());
    leases.add(2, None, Utc::now());
    first.submit(&run(1), &launch()).expect("submit");
    second.submit(&run(2), &launch()).expect("submit");
    // Both renew well past the lease's length.
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(leases.status(1), RunStatus::Running);
    assert_eq!(leases.status(2), RunStatus::Running);
    assert_eq!(
        second.status(RunId(1)),
        Some(Held::Training),
        "held by the first, seen by the second"
    );

    // The first goes silent (dropped, as a frozen or dead process renews nothing).
    drop(first);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(leases.status(1), RunStatus::Interrupted, "swept by the second");
    assert_eq!(leases.status(2), RunStatus::Running);
    assert_eq!(second.status(RunId(1)), None);
}

#[test]
fn a_request_made_through_another_replica_reaches_the_one_that_drives_the_run() {
    let leases = Leases::default();
    let driver_inner = Arc::new(Recorder::default());
    let driver = Replicated::start(driver_inner.clone(), leases.clone(), settings("driver")).expect("start");
    let other_inner = Arc::new(Recorder::default());
    let other = Replicated::start(other_inner.clone(), leases.clone(), settings("other")).expect("start");
    leases.add(7, None, Utc::now());
    driver.submit(&run(7), &launch()).expect("submit");

    other.pause(RunId(7)).expect("pause");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(driver_inner.requested(RunId(7)), Request::Pause);
    assert_eq!(other.status(RunId(7)), Some(Held::Paused));
    other.resume(RunId(7)).expect("resume");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(driver_inner.requested(RunId(7)), Request::Go);
    other.stop(RunId(7)).expect("stop");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        *driver_inner.calls.lock().expect("lock"),
        vec![
            (RunId(7), Request::Pause),
            (RunId(7), Request::Go),
            (RunId(7), Request::Stop)
        ],
        "each request applied once, in order"
    );
    assert!(
        other_inner.calls.lock().expect("lock").is_empty(),
        "the other holds nothing"
    );
}

/// A cluster-like executor: runs in `alive` still train where it can see them, so it
/// can adopt them.
#[derive(Default)]
struct Cluster {
    recorder: Recorder,
    alive: Mutex<Vec<RunId>>,
    released: Mutex<Vec<RunId>>,
}

impl Executor for Cluster {
    fn name(&self) -> &'static str {
        "cluster"
    }
    fn submit(&self, run: &Run, launch: &Launch) -> Result<(), ExecutorError> {
        self.recorder.submit(run, launch)
    }
    fn status(&self, run: RunId) -> Option<Held> {
        self.recorder.status(run)
    }
    fn pause(&self, run: RunId) -> Result<(), ExecutorError> {
        self.recorder.pause(run)
    }
    fn resume(&self, run: RunId) -> Result<(), ExecutorError> {
        self.recorder.resume(run)
    }
    fn stop(&self, run: RunId) -> Result<(), ExecutorError> {
        self.recorder.stop(run)
    }
    fn forget(&self, run: RunId) -> Result<(), ExecutorError> {
        self.recorder.forget(run)
    }
    fn requested(&self, run: RunId) -> Request {
        self.recorder.requested(run)
    }
    fn nodes(&self, _: &[Run]) -> Result<Vec<Node>, ExecutorError> {
        Ok(Vec::new())
    }
    fn adopt(&self, run: RunId) -> bool {
        let alive = self.alive.lock().expect("lock").contains(&run);
        if alive {
            self.recorder.held.lock().expect("lock").insert(run, Request::Go);
        }
        alive
    }
    fn release(&self, run: RunId) -> Result<(), ExecutorError> {
        self.released.lock().expect("lock").push(run);
        Ok(())
    }
}

#[test]
fn runs_that_still_train_in_the_cluster_are_taken_over_keeping_the_users_request() {
    let leases = Leases::default();
    let gone = lease("old-host/1/a", Utc::now() - TimeDelta::seconds(5));
    leases.add(5, gone.clone(), Utc::now());
    leases.add(6, gone, Utc::now());
    leases.set_request(RunId(5), Request::Pause).expect("request");
    let inner = Arc::new(Cluster::default());
    inner.alive.lock().expect("lock").push(RunId(5));
    let replica = Replicated::start(inner.clone(), leases.clone(), settings("new")).expect("start");
    assert_eq!(leases.status(5), RunStatus::Running, "still trains: taken over");
    assert_eq!(leases.status(6), RunStatus::Interrupted, "gone with its replica");
    let state = leases.lease_state(RunId(5)).expect("state").expect("unfinished");
    assert_eq!(state.lease.map(|l| l.holder), Some("new".to_owned()));
    assert_eq!(state.request, Request::Pause, "the user's request stays");
    // The taken-over run's lease is renewed, and its recorded request applied.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(leases.status(5), RunStatus::Running);
    assert_eq!(inner.requested(RunId(5)), Request::Pause);
    assert!(inner.released.lock().expect("lock").is_empty());
    drop(replica);
}

#[test]
fn a_replica_that_does_not_drive_a_run_answers_its_request_from_the_database() {
    let leases = Leases::default();
    let driver =
        Replicated::start(Arc::new(Recorder::default()), leases.clone(), settings("driver")).expect("start");
    let other =
        Replicated::start(Arc::new(Recorder::default()), leases.clone(), settings("other")).expect("start");
    leases.add(8, None, Utc::now());
    driver.submit(&run(8), &launch()).expect("submit");
    assert_eq!(other.requested(RunId(8)), Request::Go);
    driver.pause(RunId(8)).expect("pause");
    assert_eq!(
        other.requested(RunId(8)),
        Request::Pause,
        "a worker may report to any replica"
    );
    assert_eq!(
        other.requested(RunId(99)),
        Request::Stop,
        "a run that is gone stops its worker"
    );
}
