//! Ids of the stored objects. Each is its own type, so a model id can never be passed
//! where a run id is expected; clients' ids are parsed into them once, at the edge.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The number the database and the API use.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.trim().parse().map(Self)
            }
        }
    };
}

id_type!(
    /// A user (an account).
    UserId
);
id_type!(
    /// An upload in the data catalogue.
    DataId
);
id_type!(
    /// A model (a user's project: data, labels, network, runs).
    ModelId
);
id_type!(
    /// A training run.
    RunId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_print_and_serialize_as_plain_numbers() {
        let id: RunId = " 7 ".parse().expect("an id");
        assert_eq!(id, RunId(7));
        assert_eq!(id.to_string(), "7");
        assert_eq!(serde_json::to_string(&DataId(3)).expect("json"), "3");
        assert_eq!(serde_json::from_str::<UserId>("12").expect("json"), UserId(12));
        assert!("x".parse::<ModelId>().is_err());
    }
}
