//! The use cases without HTTP: a workbench over the in-memory store, the local executor
//! and a temporary data folder, driven as the HTTP shell drives it.

mod bench;
mod code;
mod models;
mod predict;
mod preprocessing;
mod runs;
mod uploads;
