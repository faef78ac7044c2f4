//! Machine codes for errors: every domain error enum says what went wrong with a stable
//! code (`model_name_taken`, `run_state`, ...), so callers can tell cases apart
//! without reading messages meant for people.

/// A stable, machine-readable name of what went wrong.
pub trait ErrorCode {
    /// Lower snake case, stable across releases, e.g. `upload_too_large`.
    fn code(&self) -> &'static str;
}
