pub mod migrate;
pub mod serve;
pub mod user_create;
