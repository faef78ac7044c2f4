//! Reading requests: bodies ([`Json`], also forms and multipart) and query strings
//! ([`Query`]) into the request types of the routes, checked by the rules their own
//! OpenAPI document states, with Django REST Framework's messages.

mod body;
mod body_deadline;
mod files;
mod query;
mod rules;
mod stream_form;

pub use crate::messages::*;
pub use body::{Json, RequestBody};
pub use body_deadline::{BodyDeadline, announces_body};
pub use files::{FilePart, Parts, StreamedFile};
pub use query::Query;
pub use stream_form::{read_streaming_form, require_multipart};
