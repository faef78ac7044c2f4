//! The web console: its pages and files, that no API path changed because of it, and
//! that raw uploads cannot run as pages of the console's origin.

mod api_paths;
mod pages;
mod raw_uploads;
