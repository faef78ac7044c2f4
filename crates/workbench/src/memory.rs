//! A store in memory: the data, model and run repositories over plain collections,
//! behaving like the database (ids from 1, newest first, deletes that cascade), for
//! tests and for trying the workbench without a database.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use common::{DataId, ModelId, RunId, UserId};
use datastore::{CatalogueError, DataItem, DataRepo, ListQuery, NewDataItem};
use models::{Model, ModelRepo, NewModel, RepoError};
use runs::{HandOverRepo, MetricPoint, NewRun, Run, RunRepo, RunRepoError, RunStatus};

#[derive(Default)]
struct Tables {
    items: BTreeMap<DataId, DataItem>,
    models: BTreeMap<ModelId, Model>,
    runs: BTreeMap<RunId, Run>,
    points: BTreeMap<(RunId, u64), MetricPoint>,
    handed_over: std::collections::BTreeSet<RunId>,
    last_id: i64,
}

impl Tables {
    fn next_id(&mut self) -> i64 {
        self.last_id += 1;
        self.last_id
    }
}

/// Every repository the workbench needs, in memory; clones share the same data.
#[derive(Clone, Default)]
pub struct MemoryStore {
    tables: Arc<Mutex<Tables>>,
}

impl MemoryStore {
    fn tables(&self) -> MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl DataRepo for MemoryStore {
    fn insert_item(&self, item: &NewDataItem) -> Result<DataItem, CatalogueError> {
        let mut tables = self.tables();
        let id = DataId(tables.next_id());
        let stored = DataItem {
            id,
            owner: item.owner,
            class: item.class,
            kind: item.kind,
            original_name: item.original_name.clone(),
            stored_name: item.stored_name.clone(),
            storage_key: item.storage_key.clone(),
            size: item.size,
            content_type: item.content_type.clone(),
            sha256: item.sha256.clone(),
            source_url: item.source_url.clone(),
            file_count: item.file_count,
            created_at: item.created_at,
        };
        tables.items.insert(id, stored.clone());
        Ok(stored)
    }

    fn item(&self, owner: UserId, id: DataId) -> Result<Option<DataItem>, CatalogueError> {
        Ok(self.tables().items.get(&id).filter(|i| i.owner == owner).cloned())
    }

    fn items(&self, owner: UserId, query: &ListQuery) -> Result<Vec<DataItem>, CatalogueError> {
        let tables = self.tables();
        let newest_first = tables
            .items
            .values()
            .rev()
            .filter(|i| i.owner == owner && query.class.is_none_or(|c| c == i.class))
            .skip(usize::try_from(query.offset).unwrap_or(usize::MAX));
        Ok(match query.limit {
            Some(limit) => newest_first
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .cloned()
                .collect(),
            None => newest_first.cloned().collect(),
        })
    }

    fn delete_item(&self, owner: UserId, id: DataId) -> Result<Option<DataItem>, CatalogueError> {
        let mut tables = self.tables();
        if tables.items.get(&id).is_none_or(|i| i.owner != owner) {
            return Ok(None);
        }
        for model in tables.models.values_mut().filter(|m| m.data_id == Some(id)) {
            model.data_id = None;
        }
        Ok(tables.items.remove(&id))
    }

    fn used_bytes(&self, owner: UserId) -> Result<u64, CatalogueError> {
        Ok(self
            .tables()
            .items
            .values()
            .filter(|i| i.owner == owner)
            .map(|i| i.size)
            .sum())
    }

    fn storage_keys(&self, owner: UserId) -> Result<Vec<String>, CatalogueError> {
        Ok(self
            .tables()
            .items
            .values()
            .filter(|i| i.owner == owner)
            .map(|i| i.storage_key.clone())
            .collect())
    }
}

impl ModelRepo for MemoryStore {
    fn insert_model(&self, model: &NewModel) -> Result<Model, RepoError> {
        let mut tables = self.tables();
        if tables
            .models
            .values()
            .any(|m| m.owner == model.owner && m.name == model.name)
        {
            return Err(RepoError::NameTaken);
        }
        let id = ModelId(tables.next_id());
        let stored = Model {
            id,
            owner: model.owner,
            name: model.name.clone(),
            data_id: model.data_id,
            data_spec: model.data_spec.clone(),
            labels: None,
            config: None,
            weights_run: None,
            created_at: model.created_at,
            updated_at: model.created_at,
        };
        tables.models.insert(id, stored.clone());
        Ok(stored)
    }

    fn model_by_name(&self, owner: UserId, name: &str) -> Result<Option<Model>, RepoError> {
        Ok(self
            .tables()
            .models
            .values()
            .find(|m| m.owner == owner && m.name == name)
            .cloned())
    }

    fn model_by_id(&self, owner: UserId, id: ModelId) -> Result<Option<Model>, RepoError> {
        Ok(self
            .tables()
            .models
            .get(&id)
            .filter(|m| m.owner == owner)
            .cloned())
    }

    fn models(&self, owner: UserId) -> Result<Vec<Model>, RepoError> {
        Ok(self
            .tables()
            .models
            .values()
            .rev()
            .filter(|m| m.owner == owner)
            .cloned()
            .collect())
    }

    fn update_model(&self, model: &Model) -> Result<(), RepoError> {
        if let Some(stored) = self
            .tables()
            .models
            .get_mut(&model.id)
            .filter(|m| m.owner == model.owner)
        {
            *stored = model.clone();
        }
        Ok(())
    }

    fn delete_model(&self, owner: UserId, id: ModelId) -> Result<bool, RepoError> {
        let mut tables = self.tables();
        if tables.models.get(&id).is_none_or(|m| m.owner != owner) {
            return Ok(false);
        }
        tables.models.remove(&id);
        let gone: Vec<RunId> = tables
            .runs
            .values()
            .filter(|r| r.model_id == id)
            .map(|r| r.id)
            .collect();
        for run in gone {
            tables.runs.remove(&run);
            tables.points.retain(|(of, _), _| *of != run);
        }
        Ok(true)
    }
}

impl RunRepo for MemoryStore {
    fn insert_run(&self, run: &NewRun) -> Result<Run, RunRepoError> {
        let mut tables = self.tables();
        let id = RunId(tables.next_id());
        let stored = Run {
            id,
            owner: run.owner,
            model_id: run.model_id,
            data_id: run.data_id,
            config: run.config.clone(),
            iter: run.iter,
            warm_from: run.warm_from,
            status: RunStatus::Queued,
            step: 0,
            error: None,
            final_accuracy: None,
            final_loss: None,
            training_seconds: 0.0,
            confusion: None,
            data_spec: run.data_spec.clone(),
            created_at: run.created_at,
            started_at: None,
            finished_at: None,
            worker_key: None,
        };
        tables.runs.insert(id, stored.clone());
        Ok(stored)
    }

    fn run(&self, owner: UserId, id: RunId) -> Result<Option<Run>, RunRepoError> {
        Ok(self.tables().runs.get(&id).filter(|r| r.owner == owner).cloned())
    }

    fn run_by_id(&self, id: RunId) -> Result<Option<Run>, RunRepoError> {
        Ok(self.tables().runs.get(&id).cloned())
    }

    fn runs_of_model(&self, owner: UserId, model_id: ModelId) -> Result<Vec<Run>, RunRepoError> {
        Ok(self
            .tables()
            .runs
            .values()
            .rev()
            .filter(|r| r.owner == owner && r.model_id == model_id)
            .cloned()
            .collect())
    }

    fn update_run(&self, run: &Run) -> Result<(), RunRepoError> {
        if let Some(stored) = self.tables().runs.get_mut(&run.id) {
            *stored = run.clone();
        }
        Ok(())
    }

    fn put_point(&self, run: RunId, point: &MetricPoint) -> Result<(), RunRepoError> {
        self.tables().points.insert((run, point.step), *point);
        Ok(())
    }

    fn points(&self, run: RunId, since: Option<u64>) -> Result<Vec<MetricPoint>, RunRepoError> {
        Ok(self
            .tables()
            .points
            .range((run, since.map_or(0, |s| s.saturating_add(1)))..=(run, u64::MAX))
            .map(|(_, p)| *p)
            .filter(|p| since.is_none_or(|s| p.step > s))
            .collect())
    }

    fn runs_in(&self, statuses: &[RunStatus]) -> Result<Vec<Run>, RunRepoError> {
        Ok(self
            .tables()
            .runs
            .values()
            .filter(|r| statuses.contains(&r.status))
            .cloned()
            .collect())
    }
}

impl HandOverRepo for MemoryStore {
    fn hand_over(&self, run: RunId) -> Result<bool, RunRepoError> {
        let mut tables = self.tables();
        let Some(stored) = tables.runs.get_mut(&run) else {
            return Ok(false);
        };
        if !matches!(
            stored.status,
            RunStatus::Queued | RunStatus::Running | RunStatus::Interrupted
        ) {
            return Ok(false);
        }
        stored.interrupt();
        tables.handed_over.insert(run);
        Ok(true)
    }

    fn handed_over(&self) -> Result<Vec<(UserId, RunId)>, RunRepoError> {
        let tables = self.tables();
        Ok(tables
            .handed_over
            .iter()
            .filter_map(|id| tables.runs.get(id))
            .filter(|run| run.status == RunStatus::Interrupted)
            .map(|run| (run.owner, run.id))
            .collect())
    }

    fn take_handed_over(&self, run: RunId) -> Result<bool, RunRepoError> {
        let mut tables = self.tables();
        let interrupted = tables
            .runs
            .get(&run)
            .is_some_and(|stored| stored.status == RunStatus::Interrupted);
        Ok(interrupted && tables.handed_over.remove(&run))
    }
}
