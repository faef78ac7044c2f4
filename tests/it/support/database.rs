//! A database per test: a SQLite file in the test's folder, or a fresh PostgreSQL
//! database that is dropped when the test ends.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::{Connection, PgConnection, RunQueryDsl};

pub enum TestDatabase {
    Sqlite(String),
    Postgres {
        url: String,
        admin_url: String,
        name: String,
    },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    pub fn create(folder: &Path) -> Self {
        match std::env::var("NETSMITH_TEST_BACKEND").as_deref() {
            Ok("postgres") => Self::postgres(),
            Ok("sqlite") | Err(_) => {
                Self::Sqlite(format!("sqlite://{}", folder.join("netsmith.db").display()))
            }
            Ok(other) => panic!("NETSMITH_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
        }
    }

    fn postgres() -> Self {
        let server = std::env::var("NETSMITH_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
        let name = format!(
            "netsmith_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            rand_suffix()
        );
        let admin_url = format!("{server}/postgres");
        let mut admin = PgConnection::establish(&admin_url)
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is needed for these tests: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
        Self::Postgres {
            url: format!("{server}/{name}"),
            admin_url,
            name,
        }
    }

    pub fn url(&self) -> &str {
        match self {
            Self::Sqlite(url) | Self::Postgres { url, .. } => url,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Self::Postgres { admin_url, name, .. } = self
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
        }
    }
}

fn rand_suffix() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    nanos % 1_000_000
}

/// What the database holds about a run, read directly (while no server runs).
#[derive(Debug, diesel::QueryableByName)]
pub struct StoredRun {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub status: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub step: i64,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub resume_on_start: bool,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub began: bool,
}

/// The run's row in the database at `url`.
pub fn stored_run(url: &str, id: i64) -> StoredRun {
    let query = format!(
        "SELECT status, step, resume_on_start, started_at IS NOT NULL AS began FROM runs WHERE id = {id}"
    );
    let query = diesel::sql_query(query);
    let found = match url.strip_prefix("sqlite://") {
        Some(path) => {
            let mut conn = diesel::SqliteConnection::establish(path).expect("open the SQLite database");
            query.get_result(&mut conn)
        }
        None => {
            let mut conn = PgConnection::establish(url).expect("open the PostgreSQL database");
            query.get_result(&mut conn)
        }
    };
    found.unwrap_or_else(|e| panic!("run {id} is not stored: {e}"))
}
