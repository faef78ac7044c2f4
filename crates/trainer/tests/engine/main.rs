//! Integration tests of the burn engine (one binary, so burn links once).

mod bytes;
mod common;
mod determinism;
mod params;
mod pytorch;
mod training;
