//! Failed logins on diesel, so login throttling counts across server replicas.

use accounts::{FailureScope, LoginFailureRepo, RepoError};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::error::DbError;
use crate::pool::{Database, in_transaction, with_conn};
use crate::rows::{naive, utc};
use crate::schema::login_failures;

impl LoginFailureRepo for Database {
    fn record_login_failure(
        &self,
        scope: FailureScope,
        key: &str,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let record = || -> Result<(), DbError> {
            in_transaction!(self, conn => {
                diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(naive(forget_before))))
                    .execute(conn)?;
                diesel::insert_into(login_failures::table)
                    .values((
                        login_failures::scope.eq(scope.as_str()),
                        login_failures::key.eq(key),
                        login_failures::failed_at.eq(naive(at)),
                    ))
                    .execute(conn)?;
                Ok(())
            })
        };
        Ok(record()?)
    }

    fn login_failures(
        &self,
        scope: FailureScope,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, RepoError> {
        let find = || -> Result<Vec<NaiveDateTime>, DbError> {
            with_conn!(self, conn => login_failures::table
                .filter(login_failures::scope.eq(scope.as_str()))
                .filter(login_failures::key.eq(key))
                .filter(login_failures::failed_at.gt(naive(since)))
                .order(login_failures::failed_at.asc())
                .select(login_failures::failed_at)
                .load(conn)
                .map_err(DbError::from))
        };
        Ok(find()?.into_iter().map(utc).collect())
    }

    fn clear_login_failures(&self, scope: FailureScope, key: &str) -> Result<(), RepoError> {
        let clear = || -> Result<(), DbError> {
            with_conn!(self, conn => diesel::delete(
                login_failures::table
                    .filter(login_failures::scope.eq(scope.as_str()))
                    .filter(login_failures::key.eq(key)),
            )
            .execute(conn)
            .map_err(DbError::from))?;
            Ok(())
        };
        Ok(clear()?)
    }
}
