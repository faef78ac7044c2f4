//! Network configurations (being written).
