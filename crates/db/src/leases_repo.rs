//! Run leases on diesel: columns of the runs' own rows, changed by single statements
//! guarded by what the caller saw, so replicas sharing the database need no lock.

use ::runs::{Lease, LeaseRepo, LeaseState, Request, RunRepoError, RunStatus};
use chrono::{DateTime, NaiveDateTime, Utc};
use common::RunId;
use diesel::prelude::*;

use crate::error::DbError;
use crate::pool::{Database, in_transaction, with_conn};
use crate::rows::{naive, utc};
use crate::schema::runs;

/// The statuses of runs that have not ended.
const UNFINISHED: [&str; 3] = ["queued", "running", "paused"];

#[derive(Queryable, Selectable)]
#[diesel(table_name = runs)]
struct LeaseRow {
    id: i64,
    lease_holder: Option<String>,
    lease_expires_at: Option<NaiveDateTime>,
    requested: String,
    created_at: NaiveDateTime,
}

impl LeaseRow {
    fn into_state(self) -> LeaseState {
        LeaseState {
            run: RunId(self.id),
            lease: match (self.lease_holder, self.lease_expires_at) {
                (Some(holder), Some(until)) => Some(Lease {
                    holder,
                    until: utc(until),
                }),
                _ => None,
            },
            request: request(&self.requested),
            created_at: utc(self.created_at),
        }
    }
}

/// An unknown word reads as go: the run keeps training rather than being held by
/// something nobody asked for.
fn request(word: &str) -> Request {
    Request::parse(word).unwrap_or(Request::Go)
}

fn storage(error: DbError) -> RunRepoError {
    RunRepoError(Box::new(error))
}

fn ids(runs: &[RunId]) -> Vec<i64> {
    runs.iter().map(|r| r.get()).collect()
}

impl LeaseRepo for Database {
    fn claim_run(&self, run: RunId, lease: &Lease) -> Result<(), RunRepoError> {
        let claim = || -> Result<(), DbError> {
            with_conn!(self, conn => diesel::update(runs::table.filter(runs::id.eq(run.get())))
                .set((
                    runs::lease_holder.eq(Some(lease.holder.as_str())),
                    runs::lease_expires_at.eq(Some(naive(lease.until))),
                    runs::requested.eq(Request::Go.as_str()),
                ))
                .execute(conn)
                .map_err(DbError::from))?;
            Ok(())
        };
        claim().map_err(storage)
    }

    fn renew_leases(
        &self,
        holder: &str,
        runs: &[RunId],
        until: DateTime<Utc>,
    ) -> Result<Vec<(RunId, Request)>, RunRepoError> {
        if runs.is_empty() {
            return Ok(Vec::new());
        }
        let ids = ids(runs);
        let renew = || -> Result<Vec<(i64, String)>, DbError> {
            in_transaction!(self, conn => {
                diesel::update(
                    runs::table
                        .filter(runs::id.eq_any(&ids))
                        .filter(runs::lease_holder.eq(holder))
                        .filter(runs::status.eq_any(UNFINISHED)),
                )
                .set(runs::lease_expires_at.eq(Some(naive(until))))
                .execute(conn)?;
                Ok(runs::table
                    .filter(runs::id.eq_any(&ids))
                    .filter(runs::lease_holder.eq(holder))
                    .filter(runs::status.eq_any(UNFINISHED))
                    .select((runs::id, runs::requested))
                    .load(conn)?)
            })
        };
        let held = renew().map_err(storage)?;
        Ok(held
            .into_iter()
            .map(|(id, word)| (RunId(id), request(&word)))
            .collect())
    }

    fn set_request(&self, run: RunId, request: Request) -> Result<(), RunRepoError> {
        let set = || -> Result<(), DbError> {
            with_conn!(self, conn => diesel::update(runs::table.filter(runs::id.eq(run.get())))
                .set(runs::requested.eq(request.as_str()))
                .execute(conn)
                .map_err(DbError::from))?;
            Ok(())
        };
        set().map_err(storage)
    }

    fn lease_state(&self, run: RunId) -> Result<Option<LeaseState>, RunRepoError> {
        let find = || -> Result<Option<LeaseRow>, DbError> {
            with_conn!(self, conn => runs::table
                .filter(runs::id.eq(run.get()))
                .filter(runs::status.eq_any(UNFINISHED))
                .select(LeaseRow::as_select())
                .first(conn)
                .optional()
                .map_err(DbError::from))
        };
        Ok(find().map_err(storage)?.map(LeaseRow::into_state))
    }

    fn unfinished_leases(&self) -> Result<Vec<LeaseState>, RunRepoError> {
        let find = || -> Result<Vec<LeaseRow>, DbError> {
            with_conn!(self, conn => runs::table
                .filter(runs::status.eq_any(UNFINISHED))
                .order(runs::id.asc())
                .select(LeaseRow::as_select())
                .load(conn)
                .map_err(DbError::from))
        };
        Ok(find()
            .map_err(storage)?
            .into_iter()
            .map(LeaseRow::into_state)
            .collect())
    }

    fn take_over(&self, run: RunId, seen: Option<&Lease>, lease: &Lease) -> Result<bool, RunRepoError> {
        let unfinished = runs::table
            .filter(runs::id.eq(run.get()))
            .filter(runs::status.eq_any(UNFINISHED));
        let mine = (
            runs::lease_holder.eq(Some(lease.holder.as_str())),
            runs::lease_expires_at.eq(Some(naive(lease.until))),
        );
        let take = || -> Result<usize, DbError> {
            match seen {
                Some(old) => with_conn!(self, conn => diesel::update(
                    unfinished
                        .filter(runs::lease_holder.eq(old.holder.as_str()))
                        .filter(runs::lease_expires_at.eq(naive(old.until))),
                )
                .set(mine)
                .execute(conn)
                .map_err(DbError::from)),
                None => {
                    with_conn!(self, conn => diesel::update(unfinished.filter(runs::lease_holder.is_null()))
                    .set(mine)
                    .execute(conn)
                    .map_err(DbError::from))
                }
            }
        };
        Ok(take().map_err(storage)? > 0)
    }

    fn interrupt_abandoned(&self, run: RunId, seen: Option<&Lease>) -> Result<bool, RunRepoError> {
        let unfinished = runs::table
            .filter(runs::id.eq(run.get()))
            .filter(runs::status.eq_any(UNFINISHED));
        // Cut off by a crash, not handed over: its user decides when it goes on.
        let interrupted = (
            runs::status.eq(RunStatus::Interrupted.as_str()),
            runs::resume_on_start.eq(false),
        );
        let interrupt = || -> Result<usize, DbError> {
            match seen {
                Some(lease) => with_conn!(self, conn => diesel::update(
                    unfinished
                        .filter(runs::lease_holder.eq(lease.holder.as_str()))
                        .filter(runs::lease_expires_at.eq(naive(lease.until))),
                )
                .set(interrupted)
                .execute(conn)
                .map_err(DbError::from)),
                None => {
                    with_conn!(self, conn => diesel::update(unfinished.filter(runs::lease_holder.is_null()))
                    .set(interrupted)
                    .execute(conn)
                    .map_err(DbError::from))
                }
            }
        };
        Ok(interrupt().map_err(storage)? > 0)
    }
}
