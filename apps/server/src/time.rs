//! Times as the API shows them.

use chrono::{DateTime, Utc};

/// RFC 3339 UTC with microseconds, e.g. `2018-01-09T06:24:27.185871Z`.
pub fn rfc3339_micros(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}
