//! Integration tests of the engines (one binary, so burn links once): the native
//! engine the server trains with, checked against PyTorch and against burn.

mod bytes;
mod common;
mod cross_check;
mod determinism;
mod params;
mod pytorch;
mod training;
