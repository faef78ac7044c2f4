//! Leases: which server replica drives a run, until when, and what the user last asked
//! of the run. Several replicas share one database; each renews the leases of the runs
//! it drives, so a run whose lease ran out has lost its replica and can be marked
//! interrupted by any other (and resumed from its checkpoint).

use chrono::{DateTime, Utc};
use common::RunId;

use crate::control::Request;
use crate::repo::RunRepoError;

/// A replica's hold on a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The replica (see `cluster::ReplicaId`).
    pub holder: String,
    /// When the hold ends unless renewed.
    pub until: DateTime<Utc>,
}

/// A run that has not ended (queued, running or paused), as the lease sweeper sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaseState {
    /// The run.
    pub run: RunId,
    /// Its lease; `None` before a replica claimed it.
    pub lease: Option<Lease>,
    /// The user's latest request.
    pub request: Request,
    /// When the run was recorded.
    pub created_at: DateTime<Utc>,
}

/// Where leases and requests are kept: the runs' own rows. Every method is atomic on
/// its own, so replicas never need a lock between them.
pub trait LeaseRepo: Send + Sync + 'static {
    /// Makes `lease.holder` the run's driver until `lease.until`, its request reset to go.
    fn claim_run(&self, run: RunId, lease: &Lease) -> Result<(), RunRepoError>;
    /// Extends `holder`'s leases on `runs` to `until`; returns the runs among them it
    /// still holds that have not ended, with their requests.
    fn renew_leases(
        &self,
        holder: &str,
        runs: &[RunId],
        until: DateTime<Utc>,
    ) -> Result<Vec<(RunId, Request)>, RunRepoError>;
    /// Records the user's request for the run (nothing for a run that is gone).
    fn set_request(&self, run: RunId, request: Request) -> Result<(), RunRepoError>;
    /// The lease of one run that has not ended.
    fn lease_state(&self, run: RunId) -> Result<Option<LeaseState>, RunRepoError>;
    /// Every run that has not ended, with its lease.
    fn unfinished_leases(&self) -> Result<Vec<LeaseState>, RunRepoError>;
    /// Makes `lease.holder` the driver of a run whose replica is gone, if it has not
    /// ended and its lease is still `seen` (nobody else took it since); the user's
    /// request stays as it is. Whether it did.
    fn take_over(&self, run: RunId, seen: Option<&Lease>, lease: &Lease) -> Result<bool, RunRepoError>;
    /// Marks the run interrupted if it has not ended and its lease is still `seen`
    /// (nobody renewed or claimed it since the caller looked); whether it did.
    fn interrupt_abandoned(&self, run: RunId, seen: Option<&Lease>) -> Result<bool, RunRepoError>;
}
