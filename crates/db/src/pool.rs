//! One pool per backend, and macros that run the same diesel code on either.

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::DbError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

#[derive(Clone)]
pub(crate) enum Backend {
    Sqlite(Pool<ConnectionManager<SqliteConnection>>),
    Postgres(Pool<ConnectionManager<PgConnection>>),
}

/// A migrated database behind a connection pool; cheap to clone.
#[derive(Clone)]
pub struct Database {
    pub(crate) backend: Backend,
}

/// Runs `$body` with `$conn` bound to a pooled connection of whichever backend is in use.
macro_rules! with_conn {
    ($db:expr, $conn:ident => $body:expr) => {
        match &$db.backend {
            $crate::pool::Backend::Sqlite(pool) => {
                let mut pooled = pool.get().map_err($crate::error::DbError::from)?;
                let $conn = &mut *pooled;
                $body
            }
            $crate::pool::Backend::Postgres(pool) => {
                let mut pooled = pool.get().map_err($crate::error::DbError::from)?;
                let $conn = &mut *pooled;
                $body
            }
        }
    };
}

/// Like `with_conn!`, inside one transaction. SQLite takes its write lock up front
/// (`BEGIN IMMEDIATE`), so concurrent writers wait instead of failing on upgrade.
macro_rules! in_transaction {
    ($db:expr, $conn:ident => $body:expr) => {
        match &$db.backend {
            $crate::pool::Backend::Sqlite(pool) => {
                let mut pooled = pool.get().map_err($crate::error::DbError::from)?;
                pooled.immediate_transaction(|$conn| -> Result<_, $crate::error::DbError> { $body })
            }
            $crate::pool::Backend::Postgres(pool) => {
                let mut pooled = pool.get().map_err($crate::error::DbError::from)?;
                pooled.transaction(|$conn| -> Result<_, $crate::error::DbError> { $body })
            }
        }
    };
}

pub(crate) use {in_transaction, with_conn};

/// Per-connection SQLite settings: WAL for concurrent readers, enforced foreign keys,
/// and waiting (rather than failing) while another connection writes.
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

impl Database {
    /// Connects to `sqlite://PATH` (the file and its folder are created) or
    /// `postgres://...`, and applies every pending migration.
    pub fn connect(url: &str) -> Result<Self, DbError> {
        let database = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = Pool::builder()
                .max_size(16)
                // A broken connection fails its query and is replaced; checking each
                // checkout first would double the round trips of every request.
                .test_on_check_out(false)
                .connection_timeout(Duration::from_secs(10))
                .build(ConnectionManager::<PgConnection>::new(url))?;
            Database {
                backend: Backend::Postgres(pool),
            }
        } else {
            let path = sqlite_path(url).ok_or_else(|| DbError::UnsupportedUrl(url.to_owned()))?;
            if let Some(folder) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder)?;
            }
            let pool = Pool::builder()
                .max_size(8)
                .test_on_check_out(false)
                .connection_timeout(Duration::from_secs(10))
                .connection_customizer(Box::new(SqlitePragmas))
                .build(ConnectionManager::<SqliteConnection>::new(path))?;
            Database {
                backend: Backend::Sqlite(pool),
            }
        };
        database.migrate()?;
        Ok(database)
    }

    /// Applies pending migrations; a no-op when the schema is current.
    pub fn migrate(&self) -> Result<(), DbError> {
        let applied = match &self.backend {
            Backend::Sqlite(pool) => pool
                .get()?
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.len()),
            Backend::Postgres(pool) => pool
                .get()?
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        }
        .map_err(|e| DbError::Migration(e.to_string()))?;
        if applied > 0 {
            tracing::info!(applied, "database migrations applied");
        }
        Ok(())
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

/// The file path of a SQLite URL: `sqlite://var/x.db`, `sqlite:///abs/x.db`, `sqlite:x.db`.
fn sqlite_path(url: &str) -> Option<&str> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    (!path.is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn sqlite_urls_name_files() {
        assert_eq!(
            sqlite_path("sqlite://./var/netsmith.db"),
            Some("./var/netsmith.db")
        );
        assert_eq!(sqlite_path("sqlite:///tmp/a.db"), Some("/tmp/a.db"));
        assert_eq!(sqlite_path("sqlite:a.db"), Some("a.db"));
        assert_eq!(sqlite_path("mysql://x"), None);
        assert_eq!(sqlite_path("sqlite://"), None);
    }
}
