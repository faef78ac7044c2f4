//! The run repository on diesel. Configuration, data spec and confusion matrix are
//! JSON text; points are keyed by (run, step) so a recomputed point replaces its twin.

use ::runs::{MetricPoint, NewRun, Run, RunRepo, RunRepoError, RunStatus};
use chrono::NaiveDateTime;
use common::{DataId, ModelId, RunId, UserId};
use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::error::DbError;
use crate::pool::{Database, with_conn};
use crate::rows::{naive, utc};
use crate::schema::{run_points, runs};

#[derive(Queryable, Selectable)]
#[diesel(table_name = runs)]
struct RunRow {
    id: i64,
    owner_id: i64,
    model_id: i64,
    data_id: i64,
    config: String,
    iter: i64,
    warm_from: Option<i64>,
    data_spec: String,
    status: String,
    step: i64,
    error: Option<String>,
    final_accuracy: Option<f64>,
    final_loss: Option<f64>,
    training_seconds: f64,
    confusion: Option<String>,
    created_at: NaiveDateTime,
    started_at: Option<NaiveDateTime>,
    finished_at: Option<NaiveDateTime>,
    worker_key: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = runs)]
struct NewRunRow {
    owner_id: i64,
    model_id: i64,
    data_id: i64,
    config: String,
    iter: i64,
    warm_from: Option<i64>,
    data_spec: String,
    status: &'static str,
    step: i64,
    training_seconds: f64,
    created_at: NaiveDateTime,
}

#[derive(AsChangeset)]
#[diesel(table_name = runs, treat_none_as_null = true)]
struct RunChanges {
    data_spec: String,
    status: &'static str,
    step: i64,
    error: Option<String>,
    final_accuracy: Option<f64>,
    final_loss: Option<f64>,
    training_seconds: f64,
    confusion: Option<String>,
    started_at: Option<NaiveDateTime>,
    finished_at: Option<NaiveDateTime>,
    worker_key: Option<String>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = run_points)]
struct PointRow {
    run_id: i64,
    step: i64,
    accuracy: f64,
    loss: f64,
    duration: f64,
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|e| DbError::Corrupt(format!("runs: {e}")))
}

fn parse<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Corrupt(format!("runs.{column}: {e}")))
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl RunRow {
    fn into_run(self) -> Result<Run, DbError> {
        Ok(Run {
            id: RunId(self.id),
            owner: UserId(self.owner_id),
            model_id: ModelId(self.model_id),
            data_id: DataId(self.data_id),
            config: parse("config", &self.config)?,
            iter: self.iter.max(0) as u64,
            warm_from: self.warm_from.map(RunId),
            data_spec: parse("data_spec", &self.data_spec)?,
            status: RunStatus::parse(&self.status)
                .ok_or_else(|| DbError::Corrupt(format!("runs.status = {:?}", self.status)))?,
            step: self.step.max(0) as u64,
            error: self.error,
            final_accuracy: self.final_accuracy,
            final_loss: self.final_loss,
            training_seconds: self.training_seconds,
            confusion: self
                .confusion
                .as_deref()
                .map(|c| parse("confusion", c))
                .transpose()?,
            created_at: utc(self.created_at),
            started_at: self.started_at.map(utc),
            finished_at: self.finished_at.map(utc),
            worker_key: self.worker_key,
        })
    }
}

fn storage(error: DbError) -> RunRepoError {
    RunRepoError(Box::new(error))
}

impl RunRepo for Database {
    fn insert_run(&self, run: &NewRun) -> Result<Run, RunRepoError> {
        let insert = || -> Result<Run, DbError> {
            let row = NewRunRow {
                owner_id: run.owner.get(),
                model_id: run.model_id.get(),
                data_id: run.data_id.get(),
                config: json(&run.config)?,
                iter: count(run.iter),
                warm_from: run.warm_from.map(RunId::get),
                data_spec: json(&run.data_spec)?,
                status: RunStatus::Queued.as_str(),
                step: 0,
                training_seconds: 0.0,
                created_at: naive(run.created_at),
            };
            let inserted: RunRow = with_conn!(self, conn => diesel::insert_into(runs::table)
                .values(&row)
                .returning(RunRow::as_returning())
                .get_result(conn)
                .map_err(DbError::from))?;
            inserted.into_run()
        };
        insert().map_err(storage)
    }

    fn run(&self, owner: UserId, id: RunId) -> Result<Option<Run>, RunRepoError> {
        let find = || -> Result<Option<Run>, DbError> {
            let row: Option<RunRow> = with_conn!(self, conn => runs::table
                .filter(runs::owner_id.eq(owner.get()))
                .filter(runs::id.eq(id.get()))
                .select(RunRow::as_select())
                .first(conn)
                .optional()
                .map_err(DbError::from))?;
            row.map(RunRow::into_run).transpose()
        };
        find().map_err(storage)
    }

    fn run_by_id(&self, id: RunId) -> Result<Option<Run>, RunRepoError> {
        let find = || -> Result<Option<Run>, DbError> {
            let row: Option<RunRow> = with_conn!(self, conn => runs::table
                .filter(runs::id.eq(id.get()))
                .select(RunRow::as_select())
                .first(conn)
                .optional()
                .map_err(DbError::from))?;
            row.map(RunRow::into_run).transpose()
        };
        find().map_err(storage)
    }

    fn runs_of_model(&self, owner: UserId, model_id: ModelId) -> Result<Vec<Run>, RunRepoError> {
        let find = || -> Result<Vec<Run>, DbError> {
            let rows: Vec<RunRow> = with_conn!(self, conn => runs::table
                .filter(runs::owner_id.eq(owner.get()))
                .filter(runs::model_id.eq(model_id.get()))
                .order(runs::id.desc())
                .select(RunRow::as_select())
                .load(conn)
                .map_err(DbError::from))?;
            rows.into_iter().map(RunRow::into_run).collect()
        };
        find().map_err(storage)
    }

    fn update_run(&self, run: &Run) -> Result<(), RunRepoError> {
        let update = || -> Result<(), DbError> {
            let changes = RunChanges {
                data_spec: json(&run.data_spec)?,
                status: run.status.as_str(),
                step: count(run.step),
                error: run.error.clone(),
                final_accuracy: run.final_accuracy,
                final_loss: run.final_loss,
                training_seconds: run.training_seconds,
                confusion: run.confusion.as_ref().map(json).transpose()?,
                started_at: run.started_at.map(naive),
                finished_at: run.finished_at.map(naive),
                worker_key: run.worker_key.clone(),
            };
            with_conn!(self, conn => diesel::update(runs::table.filter(runs::id.eq(run.id.get())))
                .set(&changes)
                .execute(conn)
                .map_err(DbError::from))?;
            Ok(())
        };
        update().map_err(storage)
    }

    fn put_point(&self, run: RunId, point: &MetricPoint) -> Result<(), RunRepoError> {
        let row = PointRow {
            run_id: run.get(),
            step: count(point.step),
            accuracy: point.accuracy,
            loss: point.loss,
            duration: point.duration,
        };
        let put = || -> Result<(), DbError> {
            with_conn!(self, conn => diesel::insert_into(run_points::table)
                .values(&row)
                .on_conflict((run_points::run_id, run_points::step))
                .do_update()
                .set((
                    run_points::accuracy.eq(excluded(run_points::accuracy)),
                    run_points::loss.eq(excluded(run_points::loss)),
                    run_points::duration.eq(excluded(run_points::duration)),
                ))
                .execute(conn)
                .map_err(DbError::from))?;
            Ok(())
        };
        put().map_err(storage)
    }

    fn points(&self, run: RunId, since: Option<u64>) -> Result<Vec<MetricPoint>, RunRepoError> {
        let after = since.map_or(-1, count);
        let find = || -> Result<Vec<MetricPoint>, DbError> {
            let rows: Vec<PointRow> = with_conn!(self, conn => run_points::table
                .filter(run_points::run_id.eq(run.get()))
                .filter(run_points::step.gt(after))
                .order(run_points::step.asc())
                .select(PointRow::as_select())
                .load(conn)
                .map_err(DbError::from))?;
            Ok(rows
                .into_iter()
                .map(|r| MetricPoint {
                    step: r.step.max(0) as u64,
                    accuracy: r.accuracy,
                    loss: r.loss,
                    duration: r.duration,
                })
                .collect())
        };
        find().map_err(storage)
    }

    fn runs_in(&self, statuses: &[RunStatus]) -> Result<Vec<Run>, RunRepoError> {
        let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        let find = || -> Result<Vec<Run>, DbError> {
            let rows: Vec<RunRow> = with_conn!(self, conn => runs::table
                .filter(runs::status.eq_any(&names))
                .select(RunRow::as_select())
                .load(conn)
                .map_err(DbError::from))?;
            rows.into_iter().map(RunRow::into_run).collect()
        };
        find().map_err(storage)
    }

    fn run_counts(&self) -> Result<Vec<(RunStatus, u64)>, RunRepoError> {
        let count = || -> Result<Vec<(RunStatus, u64)>, DbError> {
            let rows: Vec<(String, i64)> = with_conn!(self, conn => runs::table
                .group_by(runs::status)
                .select((runs::status, diesel::dsl::count_star()))
                .load(conn)
                .map_err(DbError::from))?;
            rows.into_iter()
                .map(|(name, n)| {
                    let status = RunStatus::parse(&name)
                        .ok_or_else(|| DbError::Corrupt(format!("runs.status = {name:?}")))?;
                    Ok((status, n.max(0) as u64))
                })
                .collect()
        };
        count().map_err(storage)
    }
}
