//! The model record.

use chrono::{DateTime, Utc};
use common::{DataId, ModelId, RunId, UserId};
use dataset::{DataSpec, Labels};
use serde_json::Value;

/// A stored model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Id.
    pub id: ModelId,
    /// Owner.
    pub owner: UserId,
    /// Name, unique per owner.
    pub name: String,
    /// The upload the model trains on.
    pub data_id: Option<DataId>,
    /// What that upload looks like (worked out when it was attached or tagged).
    pub data_spec: Option<DataSpec>,
    /// Labels from `/data/tag/`: relative path → label.
    pub labels: Option<Labels>,
    /// The configuration as saved by the client.
    pub config: Option<Value>,
    /// The run whose parameters are the model's current ones (restore).
    pub weights_run: Option<RunId>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What creating a model needs.
#[derive(Debug, Clone, PartialEq)]
pub struct NewModel {
    /// Owner.
    pub owner: UserId,
    /// Name.
    pub name: String,
    /// Data, when given at creation.
    pub data_id: Option<DataId>,
    /// Its description.
    pub data_spec: Option<DataSpec>,
    /// Created.
    pub created_at: DateTime<Utc>,
}
