//! Issue #15: the data folder on a small disk that fills up. What does not fit is a 507
//! and leaves nothing; a run whose checkpoint cannot be written fails with that reason
//! and keeps its previous checkpoint; reads go on being served.

mod checkpoints;
mod uploads;

/// The body of every 507.
pub const FULL: &str = "There is not enough space on the server to store this upload.";
