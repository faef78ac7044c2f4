//! The model record.

use chrono::{DateTime, Utc};
use dataset::{DataSpec, Labels};
use serde_json::Value;

/// A model's id.
pub type ModelId = i64;
/// A user's id.
pub type OwnerId = i64;

/// A stored model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Id.
    pub id: ModelId,
    /// Owner.
    pub owner: OwnerId,
    /// Name, unique per owner.
    pub name: String,
    /// The upload the model trains on.
    pub data_id: Option<i64>,
    /// What that upload looks like (worked out when it was attached or tagged).
    pub data_spec: Option<DataSpec>,
    /// Labels from `/data/tag/`: relative path → label.
    pub labels: Option<Labels>,
    /// The configuration as saved by the client.
    pub config: Option<Value>,
    /// The run whose parameters are the model's current ones (restore).
    pub weights_run: Option<i64>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What creating a model needs.
#[derive(Debug, Clone, PartialEq)]
pub struct NewModel {
    /// Owner.
    pub owner: OwnerId,
    /// Name.
    pub name: String,
    /// Data, when given at creation.
    pub data_id: Option<i64>,
    /// Its description.
    pub data_spec: Option<DataSpec>,
    /// Created.
    pub created_at: DateTime<Utc>,
}
