//! The double's objects and their history: every change gets the next resource
//! version and is kept as a watch event, so a watch from any version replays what
//! came after it, as the API server's watch cache does.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// The kinds the double serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Job,
    Pod,
    Service,
}

/// One change, as a watch sends it.
pub struct Change {
    pub version: u64,
    pub kind: Kind,
    pub kind_of_change: &'static str,
    pub object: Value,
}

/// A request the double received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
}

#[derive(Default)]
pub struct Store {
    version: u64,
    uids: u64,
    objects: BTreeMap<(Kind, String), Value>,
    pub changes: Vec<Change>,
    pub requests: Vec<Recorded>,
}

/// Kubernetes' `metadata.creationTimestamp` form.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Whether `labels` satisfy a selector of `key=value` pairs.
pub fn selected(object: &Value, selector: &str) -> bool {
    selector.split(',').filter(|p| !p.is_empty()).all(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        object["metadata"]["labels"][key].as_str() == Some(value)
    })
}

impl Store {
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn get(&self, kind: Kind, name: &str) -> Option<Value> {
        self.objects.get(&(kind, name.to_owned())).cloned()
    }

    pub fn all(&self, kind: Kind) -> Vec<Value> {
        self.objects
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Stores a new or changed object under the next version.
    pub fn put(&mut self, kind: Kind, mut object: Value) -> Value {
        self.version += 1;
        let name = object["metadata"]["name"].as_str().unwrap_or_default().to_owned();
        let existed = self.objects.contains_key(&(kind, name.clone()));
        if object["metadata"]["uid"].is_null() {
            self.uids += 1;
            object["metadata"]["uid"] = json!(format!("00000000-0000-4000-8000-{:012}", self.uids));
            object["metadata"]["creationTimestamp"] = json!(now());
        }
        object["metadata"]["resourceVersion"] = json!(self.version.to_string());
        self.objects.insert((kind, name), object.clone());
        self.changes.push(Change {
            version: self.version,
            kind,
            kind_of_change: if existed { "MODIFIED" } else { "ADDED" },
            object: object.clone(),
        });
        object
    }

    /// Removes an object; its last state goes out as DELETED.
    pub fn remove(&mut self, kind: Kind, name: &str) -> Option<Value> {
        let mut object = self.objects.remove(&(kind, name.to_owned()))?;
        self.version += 1;
        object["metadata"]["resourceVersion"] = json!(self.version.to_string());
        self.changes.push(Change {
            version: self.version,
            kind,
            kind_of_change: "DELETED",
            object: object.clone(),
        });
        Some(object)
    }
}
