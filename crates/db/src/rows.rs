//! Row types and their conversion to and from the domain records. Times are stored
//! as UTC without a zone, the same on both backends.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::schema::{email_keys, sessions, users};

pub(crate) fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

pub(crate) fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
pub(crate) struct UserRow {
    pub(crate) id: i64,
    username: String,
    email: String,
    first_name: String,
    last_name: String,
    password_hash: String,
    is_active: bool,
    is_staff: bool,
    email_verified: bool,
    date_joined: NaiveDateTime,
    last_login: Option<NaiveDateTime>,
}

impl From<UserRow> for accounts::User {
    fn from(r: UserRow) -> Self {
        accounts::User {
            id: accounts::UserId(r.id),
            username: r.username,
            email: r.email,
            first_name: r.first_name,
            last_name: r.last_name,
            password_hash: r.password_hash,
            is_active: r.is_active,
            is_staff: r.is_staff,
            email_verified: r.email_verified,
            date_joined: utc(r.date_joined),
            last_login: r.last_login.map(utc),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub(crate) struct NewUserRow<'a> {
    username: &'a str,
    username_folded: String,
    email: &'a str,
    email_folded: String,
    password_hash: &'a str,
    is_staff: bool,
    email_verified: bool,
    date_joined: NaiveDateTime,
}

impl<'a> From<&'a accounts::NewUser> for NewUserRow<'a> {
    fn from(u: &'a accounts::NewUser) -> Self {
        NewUserRow {
            username: &u.username,
            username_folded: fold(&u.username),
            email: &u.email,
            email_folded: fold(&u.email),
            password_hash: &u.password_hash,
            is_staff: u.is_staff,
            email_verified: u.email_verified,
            date_joined: naive(u.date_joined),
        }
    }
}

/// The case-insensitive form used for uniqueness and look-ups.
pub(crate) fn fold(s: &str) -> String {
    s.to_lowercase()
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
pub(crate) struct SessionRow<'a> {
    id: &'a str,
    user_id: i64,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

impl<'a> From<&'a accounts::Session> for SessionRow<'a> {
    fn from(s: &'a accounts::Session) -> Self {
        SessionRow {
            id: &s.id,
            user_id: s.user_id.get(),
            created_at: naive(s.created_at),
            expires_at: naive(s.expires_at),
        }
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = email_keys)]
pub(crate) struct EmailKeyRow {
    key: String,
    user_id: i64,
    email: String,
    created_at: NaiveDateTime,
}

impl From<EmailKeyRow> for accounts::EmailKey {
    fn from(r: EmailKeyRow) -> Self {
        accounts::EmailKey {
            key: r.key,
            user_id: accounts::UserId(r.user_id),
            email: r.email,
            created_at: utc(r.created_at),
        }
    }
}

impl From<&accounts::EmailKey> for EmailKeyRow {
    fn from(k: &accounts::EmailKey) -> Self {
        EmailKeyRow {
            key: k.key.clone(),
            user_id: k.user_id.get(),
            email: k.email.clone(),
            created_at: naive(k.created_at),
        }
    }
}
