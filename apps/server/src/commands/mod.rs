pub mod migrate;
pub mod openapi;
pub mod serve;
pub mod torchrun;
pub mod user_create;
pub mod worker;
