//! The model repository on diesel. Data spec, labels and configuration are JSON text.

use ::models::{Model, ModelRepo, NewModel, RepoError};
use chrono::NaiveDateTime;
use common::{DataId, ModelId, RunId, UserId};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as QueryError};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::DbError;
use crate::pool::{Database, with_conn};
use crate::rows::{naive, utc};
use crate::schema::models;

#[derive(Queryable, Selectable)]
#[diesel(table_name = models)]
struct ModelRow {
    id: i64,
    owner_id: i64,
    name: String,
    data_id: Option<i64>,
    data_spec: Option<String>,
    labels: Option<String>,
    config: Option<String>,
    weights_run: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = models)]
struct NewModelRow<'a> {
    owner_id: i64,
    name: &'a str,
    data_id: Option<i64>,
    data_spec: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(AsChangeset)]
#[diesel(table_name = models, treat_none_as_null = true)]
struct ModelChanges {
    data_id: Option<i64>,
    data_spec: Option<String>,
    labels: Option<String>,
    config: Option<String>,
    weights_run: Option<i64>,
    updated_at: NaiveDateTime,
}

fn decode<T: DeserializeOwned>(column: &str, text: Option<String>) -> Result<Option<T>, DbError> {
    text.map(|t| serde_json::from_str(&t).map_err(|e| DbError::Corrupt(format!("models.{column}: {e}"))))
        .transpose()
}

fn encode<T: Serialize>(value: Option<&T>) -> Result<Option<String>, DbError> {
    value
        .map(|v| serde_json::to_string(v).map_err(|e| DbError::Corrupt(format!("models: {e}"))))
        .transpose()
}

impl ModelRow {
    fn into_model(self) -> Result<Model, DbError> {
        Ok(Model {
            id: ModelId(self.id),
            owner: UserId(self.owner_id),
            name: self.name,
            data_id: self.data_id.map(DataId),
            data_spec: decode("data_spec", self.data_spec)?,
            labels: decode("labels", self.labels)?,
            config: decode("config", self.config)?,
            weights_run: self.weights_run.map(RunId),
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

fn repo_error(error: DbError) -> RepoError {
    if let DbError::Query(QueryError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) = &error {
        return RepoError::NameTaken;
    }
    RepoError::Storage(Box::new(error))
}

impl ModelRepo for Database {
    fn insert_model(&self, model: &NewModel) -> Result<Model, RepoError> {
        let run = || -> Result<Model, DbError> {
            let row = NewModelRow {
                owner_id: model.owner.get(),
                name: &model.name,
                data_id: model.data_id.map(DataId::get),
                data_spec: encode(model.data_spec.as_ref())?,
                created_at: naive(model.created_at),
                updated_at: naive(model.created_at),
            };
            let inserted: ModelRow = with_conn!(self, conn => diesel::insert_into(models::table)
                .values(&row)
                .returning(ModelRow::as_returning())
                .get_result(conn)
                .map_err(DbError::from))?;
            inserted.into_model()
        };
        run().map_err(repo_error)
    }

    fn model_by_name(&self, owner: UserId, name: &str) -> Result<Option<Model>, RepoError> {
        let run = || -> Result<Option<Model>, DbError> {
            let found: Option<ModelRow> = with_conn!(self, conn => models::table
                .filter(models::owner_id.eq(owner.get()))
                .filter(models::name.eq(name))
                .select(ModelRow::as_select())
                .first(conn)
                .optional()
                .map_err(DbError::from))?;
            found.map(ModelRow::into_model).transpose()
        };
        run().map_err(repo_error)
    }

    fn model_by_id(&self, owner: UserId, id: ModelId) -> Result<Option<Model>, RepoError> {
        let run = || -> Result<Option<Model>, DbError> {
            let found: Option<ModelRow> = with_conn!(self, conn => models::table
                .filter(models::owner_id.eq(owner.get()))
                .filter(models::id.eq(id.get()))
                .select(ModelRow::as_select())
                .first(conn)
                .optional()
                .map_err(DbError::from))?;
            found.map(ModelRow::into_model).transpose()
        };
        run().map_err(repo_error)
    }

    fn models(&self, owner: UserId) -> Result<Vec<Model>, RepoError> {
        let run = || -> Result<Vec<Model>, DbError> {
            let rows: Vec<ModelRow> = with_conn!(self, conn => models::table
                .filter(models::owner_id.eq(owner.get()))
                .order((models::created_at.desc(), models::id.desc()))
                .select(ModelRow::as_select())
                .load(conn)
                .map_err(DbError::from))?;
            rows.into_iter().map(ModelRow::into_model).collect()
        };
        run().map_err(repo_error)
    }

    fn update_model(&self, model: &Model) -> Result<(), RepoError> {
        let run = || -> Result<(), DbError> {
            let changes = ModelChanges {
                data_id: model.data_id.map(DataId::get),
                data_spec: encode(model.data_spec.as_ref())?,
                labels: encode(model.labels.as_ref())?,
                config: encode(model.config.as_ref())?,
                weights_run: model.weights_run.map(RunId::get),
                updated_at: naive(model.updated_at),
            };
            with_conn!(self, conn => diesel::update(
                models::table
                    .filter(models::owner_id.eq(model.owner.get()))
                    .filter(models::id.eq(model.id.get())),
            )
            .set(&changes)
            .execute(conn)
            .map_err(DbError::from))?;
            Ok(())
        };
        run().map_err(repo_error)
    }

    fn delete_model(&self, owner: UserId, id: ModelId) -> Result<bool, RepoError> {
        let run = || -> Result<bool, DbError> {
            let deleted = with_conn!(self, conn => diesel::delete(
                models::table.filter(models::owner_id.eq(owner.get())).filter(models::id.eq(id.get())),
            )
            .execute(conn)
            .map_err(DbError::from))?;
            Ok(deleted > 0)
        };
        run().map_err(repo_error)
    }
}
