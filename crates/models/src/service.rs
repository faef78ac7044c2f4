//! The model service: creation, data and labels, configuration, deletion.

use chrono::Utc;
use codegen::{NetType, NetworkConfig, Shape, Summary};
use common::{DataId, DataKind, DataLocation, ModelId, RunId, UserId};
use dataset::{DataSpec, Labels};
use serde_json::{Map, Value};

use crate::error::ModelError;
use crate::locate::DataLocator;
use crate::model::{Model, NewModel};
use crate::repo::ModelRepo;
use crate::without_data::check_without_data;

/// Longest accepted model name, in characters.
pub const NAME_MAX: usize = 100;

/// Models of one store, checked against their data.
pub struct ModelService<R, L> {
    repo: R,
    locator: L,
}

impl<R: ModelRepo, L: DataLocator> ModelService<R, L> {
    /// A service over `repo`, finding uploads with `locator`.
    pub fn new(repo: R, locator: L) -> Self {
        Self { repo, locator }
    }

    /// The repository (for the run service, which shares it).
    pub fn repo(&self) -> &R {
        &self.repo
    }

    /// Creates a model, with data when `data_id` is given.
    pub fn create(&self, owner: UserId, name: &str, data_id: Option<DataId>) -> Result<Model, ModelError> {
        let name = check_name(name)?;
        if self.repo.model_by_name(owner, name)?.is_some() {
            return Err(ModelError::NameTaken);
        }
        let data_spec = match data_id {
            Some(id) => Some(self.inspect(owner, id, None)?),
            None => None,
        };
        Ok(self.repo.insert_model(&NewModel {
            owner,
            name: name.to_owned(),
            data_id,
            data_spec,
            created_at: Utc::now(),
        })?)
    }

    /// The owner's models, newest first.
    pub fn list(&self, owner: UserId) -> Result<Vec<Model>, ModelError> {
        Ok(self.repo.models(owner)?)
    }

    /// A model by name.
    pub fn by_name(&self, owner: UserId, name: &str) -> Result<Model, ModelError> {
        // No model name has control characters (see `check_name`), and a store such as
        // PostgreSQL cannot even be asked about a NUL.
        if name.chars().any(char::is_control) {
            return Err(ModelError::NotFound);
        }
        self.repo.model_by_name(owner, name)?.ok_or(ModelError::NotFound)
    }

    /// A model by id.
    pub fn by_id(&self, owner: UserId, id: ModelId) -> Result<Model, ModelError> {
        self.repo.model_by_id(owner, id)?.ok_or(ModelError::NotFound)
    }

    /// Deletes a model; false when there was none.
    pub fn delete(&self, owner: UserId, id: ModelId) -> Result<bool, ModelError> {
        Ok(self.repo.delete_model(owner, id)?)
    }

    /// Makes `data_id` the model's data. Labels of the previous data no longer apply
    /// and are dropped; a saved configuration must fit the new data.
    pub fn attach_data(&self, owner: UserId, name: &str, data_id: DataId) -> Result<Model, ModelError> {
        let mut model = self.by_name(owner, name)?;
        if model.data_id == Some(data_id) {
            return Ok(model);
        }
        let spec = self.inspect(owner, data_id, None)?;
        if let Some(config) = &model.config {
            check_against(
                &NetworkConfig::from_value(config).map_err(ModelError::Config)?,
                &spec,
            )?;
        }
        model.data_id = Some(data_id);
        model.data_spec = Some(spec);
        model.labels = None;
        model.updated_at = Utc::now();
        self.repo.update_model(&model)?;
        Ok(model)
    }

    /// Stores labels (JSON object: relative path → label) for the model's image data.
    /// Returns how many labels were stored.
    pub fn tag(&self, owner: UserId, name: &str, labels_json: &[u8]) -> Result<usize, ModelError> {
        let mut model = self.by_name(owner, name)?;
        let data_id = model.data_id.ok_or(ModelError::NoData)?;
        let labels = parse_labels(labels_json)?;
        let root = match self.locator.locate(owner, data_id) {
            Ok(DataLocation::Images(root)) => root,
            Ok(DataLocation::Csv(_)) | Err(crate::locate::LocateError::Unusable { .. }) => {
                return Err(ModelError::Labels(
                    "Labels apply to image-folder (zip) data; this model's data is a single file.".into(),
                ));
            }
            Err(crate::locate::LocateError::NotFound) => return Err(ModelError::NoData),
            Err(e) => return Err(e.into()),
        };
        let files = dataset::image_files(&root)?;
        let missing: Vec<&str> = labels
            .keys()
            .filter(|path| files.binary_search(path).is_err())
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(ModelError::Labels(format!(
                "No such picture in the model's data: {}.",
                missing.join(", ")
            )));
        }
        let spec = dataset::inspect(&DataLocation::Images(root), Some(&labels))?;
        if let Some(config) = &model.config {
            check_against(
                &NetworkConfig::from_value(config).map_err(ModelError::Config)?,
                &spec,
            )?;
        }
        let count = labels.len();
        model.data_spec = Some(spec);
        model.labels = Some(labels);
        model.updated_at = Utc::now();
        self.repo.update_model(&model)?;
        Ok(count)
    }

    /// Validates and saves (replaces) a model's configuration, stored exactly as given.
    /// With `data_id`, the data is attached first (in the same update).
    pub fn save_config(
        &self,
        owner: UserId,
        name: &str,
        config: Map<String, Value>,
        data_id: Option<DataId>,
    ) -> Result<Model, ModelError> {
        let mut model = self.by_name(owner, name)?;
        let stored = Value::Object(config);
        let config = NetworkConfig::from_value(&stored).map_err(ModelError::Config)?;
        if let Some(id) = data_id.filter(|id| model.data_id != Some(*id)) {
            model.data_spec = Some(self.inspect(owner, id, None)?);
            model.data_id = Some(id);
            model.labels = None;
        }
        match &model.data_spec {
            Some(spec) => {
                check_against(&config, spec)?;
            }
            None => check_without_data(&config, &stored)?,
        }
        model.config = Some(stored);
        model.updated_at = Utc::now();
        self.repo.update_model(&model)?;
        Ok(model)
    }

    /// Records which run's parameters are the model's current ones.
    pub fn set_weights_run(
        &self,
        owner: UserId,
        id: ModelId,
        run: Option<RunId>,
    ) -> Result<Model, ModelError> {
        let mut model = self.by_id(owner, id)?;
        model.weights_run = run;
        model.updated_at = Utc::now();
        self.repo.update_model(&model)?;
        Ok(model)
    }

    fn inspect(
        &self,
        owner: UserId,
        data_id: DataId,
        labels: Option<&Labels>,
    ) -> Result<DataSpec, ModelError> {
        let location = self.locator.locate(owner, data_id)?;
        Ok(dataset::inspect(&location, labels)?)
    }
}

fn check_name(name: &str) -> Result<&str, ModelError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ModelError::InvalidName("A model name may not be empty.".into()));
    }
    if name.chars().count() > NAME_MAX {
        return Err(ModelError::InvalidName(format!(
            "A model name has at most {NAME_MAX} characters."
        )));
    }
    if name.chars().any(|c| c.is_control() || c == '/') {
        return Err(ModelError::InvalidName(
            "A model name may not contain '/' or control characters.".into(),
        ));
    }
    Ok(name)
}

fn parse_labels(bytes: &[u8]) -> Result<Labels, ModelError> {
    let invalid = || {
        ModelError::Labels(
            "Upload a JSON object mapping a file's relative path in the model's data to its label.".into(),
        )
    };
    let value: Value = serde_json::from_slice(bytes).map_err(|_| invalid())?;
    let Value::Object(entries) = value else {
        return Err(invalid());
    };
    let mut labels = Labels::new();
    for (path, label) in entries {
        let label = match label {
            Value::String(s) if !s.trim().is_empty() => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            _ => {
                return Err(ModelError::Labels(format!(
                    "The label of {path:?} must be a non-empty string or a number."
                )));
            }
        };
        labels.insert(path.trim_start_matches("./").to_owned(), label);
    }
    Ok(labels)
}

/// The input shape and class count a network sees on this data.
pub fn input_of(spec: &DataSpec) -> (Shape, u64) {
    (spec.input(), spec.classes.len() as u64)
}

/// Shape inference of `config` on `spec`, with a net-type mismatch reported as such.
pub fn check_against(config: &NetworkConfig, spec: &DataSpec) -> Result<Summary, ModelError> {
    let (input, classes) = input_of(spec);
    match (config.net_type, spec.kind) {
        (NetType::Cnn, DataKind::Csv) => {
            return Err(ModelError::NetType(format!(
                "CNN networks take image data; this model's data is a CSV file with {} features. Use DNN or logistic.",
                input.elements()
            )));
        }
        (NetType::Dnn, DataKind::Images) => {
            return Err(ModelError::NetType(format!(
                "DNN networks take CSV data; this model's data is pictures of {input}. Use CNN or logistic."
            )));
        }
        _ => {}
    }
    config
        .summary(input, classes)
        .map_err(|e| ModelError::shape(e, config.middle_layers.len()))
}

/// The summary of a model's saved configuration on its data: `None` without both,
/// otherwise the summary or why the network does not fit.
pub fn summary_of(model: &Model) -> Option<Result<Summary, ModelError>> {
    let (config, spec) = (model.config.as_ref()?, model.data_spec.as_ref()?);
    Some(
        NetworkConfig::from_value(config)
            .map_err(ModelError::Config)
            .and_then(|c| check_against(&c, spec)),
    )
}
