//! Section 2 of the contract: `/data/...` uploads, listing, previews and deletion.

mod csv;
mod files;
mod isolation;
mod limits;
mod url;
mod validation;
mod zip;
