//! The hand-over mark of runs a shutting-down server left for the next one: a column
//! of the runs' own rows, set and taken by single guarded statements.

use ::runs::{HandOverRepo, RunRepoError, RunStatus};
use common::{RunId, UserId};
use diesel::prelude::*;

use crate::error::DbError;
use crate::pool::{Database, with_conn};
use crate::schema::runs;

/// What a shutting-down server may hand over: runs training or waiting for a slot, and
/// runs its trainer already recorded interrupted as it checkpointed them.
const HANDED_FROM: [&str; 3] = ["queued", "running", "interrupted"];

fn storage(error: DbError) -> RunRepoError {
    RunRepoError(Box::new(error))
}

impl HandOverRepo for Database {
    fn hand_over(&self, run: RunId) -> Result<bool, RunRepoError> {
        let mark = || -> Result<usize, DbError> {
            with_conn!(self, conn => diesel::update(
                runs::table
                    .filter(runs::id.eq(run.get()))
                    .filter(runs::status.eq_any(HANDED_FROM)),
            )
            .set((
                runs::status.eq(RunStatus::Interrupted.as_str()),
                runs::resume_on_start.eq(true),
                runs::worker_key.eq(None::<String>),
            ))
            .execute(conn)
            .map_err(DbError::from))
        };
        Ok(mark().map_err(storage)? > 0)
    }

    fn handed_over(&self) -> Result<Vec<(UserId, RunId)>, RunRepoError> {
        let list = || -> Result<Vec<(i64, i64)>, DbError> {
            with_conn!(self, conn => runs::table
                .filter(runs::resume_on_start.eq(true))
                .filter(runs::status.eq(RunStatus::Interrupted.as_str()))
                .order(runs::id.asc())
                .select((runs::owner_id, runs::id))
                .load(conn)
                .map_err(DbError::from))
        };
        Ok(list()
            .map_err(storage)?
            .into_iter()
            .map(|(owner, id)| (UserId(owner), RunId(id)))
            .collect())
    }

    fn take_handed_over(&self, run: RunId) -> Result<bool, RunRepoError> {
        let take = || -> Result<usize, DbError> {
            with_conn!(self, conn => diesel::update(
                runs::table
                    .filter(runs::id.eq(run.get()))
                    .filter(runs::resume_on_start.eq(true))
                    .filter(runs::status.eq(RunStatus::Interrupted.as_str())),
            )
            .set(runs::resume_on_start.eq(false))
            .execute(conn)
            .map_err(DbError::from))
        };
        Ok(take().map_err(storage)? > 0)
    }
}
