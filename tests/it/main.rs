//! Black-box tests: each test starts the real `netsmith` binary on a free port with its
//! own data folder and database (SQLite by default; PostgreSQL when
//! `NETSMITH_TEST_BACKEND=postgres`), and talks to it over HTTP like a client would.

mod accounts;
mod cli;
mod cluster;
mod console;
mod conventions;
mod crash;
mod data;
mod deploy;
mod full_disk;
mod models;
mod openapi;
mod operations;
mod per_user_limits;
mod preprocess;
mod schemathesis;
mod slow_clients;
mod support;
mod training;
