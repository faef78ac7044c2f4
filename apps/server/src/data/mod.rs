//! Infrastructure of the data module: receiving upload bodies onto disk and fetching
//! `url` uploads.

pub mod fetch;
pub mod locator;
pub mod receive;
pub mod ssrf;
