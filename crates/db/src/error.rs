use accounts::{RepoError, UniqueField};
use diesel::result::{DatabaseErrorKind, Error as QueryError};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("could not prepare the database folder: {0}")]
    Folder(#[from] std::io::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("connection: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("query: {0}")]
    Query(#[from] QueryError),
    #[error("migration: {0}")]
    Migration(String),
    #[error("stored value out of range: {0}")]
    Corrupt(String),
}

impl From<DbError> for RepoError {
    fn from(error: DbError) -> Self {
        if let DbError::Query(QueryError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)) = &error {
            // SQLite names the column ("users.username_folded"), PostgreSQL the index.
            let text = format!(
                "{} {}",
                info.message(),
                info.constraint_name().unwrap_or_default()
            );
            if text.contains("username_folded") {
                return RepoError::Conflict(UniqueField::Username);
            }
            if text.contains("email_folded") {
                return RepoError::Conflict(UniqueField::Email);
            }
        }
        RepoError::Storage(Box::new(error))
    }
}
