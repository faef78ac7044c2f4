//! The accounts repositories on diesel.

use accounts::{
    EmailKey, EmailKeyRepo, NewUser, ProfileChange, RepoError, Session, SessionRepo, User, UserId, UserRepo,
};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::error::DbError;
use crate::pool::{Database, in_transaction, with_conn};
use crate::rows::{EmailKeyRow, NewUserRow, SessionRow, UserRow, fold, naive};
use crate::schema::{email_keys, sessions, users};

fn one_user(result: QueryResult<UserRow>) -> Result<Option<User>, DbError> {
    Ok(result.optional()?.map(User::from))
}

impl UserRepo for Database {
    fn create_user(&self, user: &NewUser, key: Option<&EmailKey>) -> Result<User, RepoError> {
        let row = NewUserRow::from(user);
        let created: UserRow = in_transaction!(self, conn => {
            let created: UserRow = diesel::insert_into(users::table)
                .values(&row)
                .returning(UserRow::as_returning())
                .get_result(conn)?;
            if let Some(key) = key {
                let user_id = UserId(created.id);
                let key_row = EmailKeyRow::from(&EmailKey { user_id, ..key.clone() });
                diesel::insert_into(email_keys::table).values(&key_row).execute(conn)?;
            }
            Ok(created)
        })?;
        Ok(created.into())
    }

    fn user_by_id(&self, id: UserId) -> Result<Option<User>, RepoError> {
        Ok(with_conn!(self, conn => one_user(
            users::table.find(id.get()).select(UserRow::as_select()).first(conn)
        ))?)
    }

    fn user_by_username(&self, username: &str) -> Result<Option<User>, RepoError> {
        let folded = fold(username);
        Ok(with_conn!(self, conn => one_user(
            users::table.filter(users::username_folded.eq(&folded)).select(UserRow::as_select()).first(conn)
        ))?)
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>, RepoError> {
        let folded = fold(email);
        Ok(with_conn!(self, conn => one_user(
            users::table.filter(users::email_folded.eq(&folded)).select(UserRow::as_select()).first(conn)
        ))?)
    }

    fn update_profile(&self, id: UserId, change: &ProfileChange) -> Result<User, RepoError> {
        let updated: UserRow = with_conn!(self, conn => diesel::update(users::table.find(id.get()))
            .set((
                users::username.eq(&change.username),
                users::username_folded.eq(fold(&change.username)),
                users::first_name.eq(&change.first_name),
                users::last_name.eq(&change.last_name),
            ))
            .returning(UserRow::as_returning())
            .get_result(conn)
            .map_err(DbError::from))?;
        Ok(updated.into())
    }

    fn set_password(&self, id: UserId, password_hash: &str) -> Result<(), RepoError> {
        in_transaction!(self, conn => {
            diesel::update(users::table.find(id.get())).set(users::password_hash.eq(password_hash)).execute(conn)?;
            diesel::delete(sessions::table.filter(sessions::user_id.eq(id.get()))).execute(conn)?;
            Ok(())
        })?;
        Ok(())
    }

    fn mark_email_verified(&self, id: UserId) -> Result<(), RepoError> {
        with_conn!(self, conn => diesel::update(users::table.find(id.get()))
            .set(users::email_verified.eq(true))
            .execute(conn)
            .map_err(DbError::from))?;
        Ok(())
    }
}

impl SessionRepo for Database {
    fn start_session(&self, session: &Session) -> Result<(), RepoError> {
        let row = SessionRow::from(session);
        let now = naive(session.created_at);
        in_transaction!(self, conn => {
            // Expired sessions of this user are dropped here, so the table stays small.
            diesel::delete(sessions::table
                .filter(sessions::user_id.eq(session.user_id.get()))
                .filter(sessions::expires_at.le(now)))
                .execute(conn)?;
            diesel::insert_into(sessions::table).values(&row).execute(conn)?;
            diesel::update(users::table.find(session.user_id.get())).set(users::last_login.eq(now)).execute(conn)?;
            Ok(())
        })?;
        Ok(())
    }

    fn user_for_session(&self, session_id: &str, now: DateTime<Utc>) -> Result<Option<User>, RepoError> {
        let now = naive(now);
        Ok(with_conn!(self, conn => one_user(
            sessions::table
                .inner_join(users::table)
                .filter(sessions::id.eq(session_id))
                .filter(sessions::expires_at.gt(now))
                .filter(users::is_active.eq(true))
                .select(UserRow::as_select())
                .first(conn)
        ))?)
    }

    fn end_session(&self, session_id: &str) -> Result<(), RepoError> {
        with_conn!(self, conn => diesel::delete(sessions::table.find(session_id))
            .execute(conn)
            .map_err(DbError::from))?;
        Ok(())
    }
}

impl EmailKeyRepo for Database {
    fn add_email_key(&self, key: &EmailKey) -> Result<(), RepoError> {
        let row = EmailKeyRow::from(key);
        with_conn!(self, conn => diesel::insert_into(email_keys::table)
            .values(&row)
            .execute(conn)
            .map_err(DbError::from))?;
        Ok(())
    }

    fn email_key(&self, key: &str) -> Result<Option<EmailKey>, RepoError> {
        let row: Option<EmailKeyRow> = with_conn!(self, conn => email_keys::table
            .find(key)
            .select(EmailKeyRow::as_select())
            .first(conn)
            .optional()
            .map_err(DbError::from))?;
        Ok(row.map(EmailKey::from))
    }
}
