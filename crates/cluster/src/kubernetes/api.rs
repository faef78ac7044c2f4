//! The Kubernetes API calls the executor makes: create a run's Job (idempotently),
//! suspend or resume it, delete it, and read nodes and worker pods.

use std::time::Duration;

use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Node, Pod, Service};
use kube::api::{DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use serde_json::json;

use super::manifest::selector;
use super::state::launch_in;

/// How often a create waits for a Job of an earlier launch to be gone.
const REPLACE_TRIES: u32 = 40;
const REPLACE_PAUSE: Duration = Duration::from_millis(250);

/// The executor's handles on the API, in its namespace.
#[derive(Clone)]
pub struct ClusterApi {
    /// Jobs of the namespace.
    pub jobs: Api<Job>,
    /// Pods of the namespace.
    pub pods: Api<Pod>,
    /// The cluster's nodes.
    pub nodes: Api<Node>,
    /// Services of the namespace (PyTorch runs' rendezvous names).
    pub services: Api<Service>,
}

impl ClusterApi {
    /// Handles on `namespace` through `client`.
    pub fn new(client: Client, namespace: &str) -> Self {
        Self {
            jobs: Api::namespaced(client.clone(), namespace),
            pods: Api::namespaced(client.clone(), namespace),
            services: Api::namespaced(client.clone(), namespace),
            nodes: Api::all(client),
        }
    }

    /// Creates the Job. A Job of that name that exists already is this one when it
    /// is of the same launch (the submission was repeated); a Job of an earlier
    /// launch of the run is deleted and this one created in its place.
    pub async fn create_job(&self, job: &Job) -> Result<Job, kube::Error> {
        let name = job.metadata.name.clone().unwrap_or_default();
        let mut tries = 0;
        loop {
            match self.jobs.create(&PostParams::default(), job).await {
                Err(kube::Error::Api(status)) if status.is_already_exists() && tries < REPLACE_TRIES => {
                    tries += 1;
                    match self.jobs.get_opt(&name).await? {
                        Some(existing) if launch_in(&existing.metadata) == launch_in(&job.metadata) => {
                            return Ok(existing);
                        }
                        Some(existing) => {
                            if existing.metadata.deletion_timestamp.is_none() {
                                tracing::info!(job = %name, "deleting the Job of an earlier launch of the run");
                                self.delete_job(&name).await?;
                            }
                            tokio::time::sleep(REPLACE_PAUSE).await;
                        }
                        None => {}
                    }
                }
                other => return other,
            }
        }
    }

    /// Creates a PyTorch run's Service, owned by its Job (deleted with it); one left
    /// by an earlier launch of the run is handed to this Job.
    pub async fn create_service(&self, service: &Service, owner: &Job) -> Result<(), kube::Error> {
        let owners = json!([{
            "apiVersion": "batch/v1", "kind": "Job",
            "name": owner.metadata.name, "uid": owner.metadata.uid,
        }]);
        let mut service = service.clone();
        service.metadata.owner_references = serde_json::from_value(owners.clone()).ok();
        match self.services.create(&PostParams::default(), &service).await {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(status)) if status.is_already_exists() => {
                let name = service.metadata.name.clone().unwrap_or_default();
                let patch = json!({"metadata": {"ownerReferences": owners}});
                self.services
                    .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
                    .await?;
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    /// Suspends (pause) or resumes a Job; answers the Job as patched.
    pub async fn suspend(&self, name: &str, suspend: bool) -> Result<Job, kube::Error> {
        let patch = json!({"spec": {"suspend": suspend}});
        self.jobs
            .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
    }

    /// Deletes a Job; its pods go after it (propagation Background). A Job that is
    /// gone already is fine.
    pub async fn delete_job(&self, name: &str) -> Result<(), kube::Error> {
        match self.jobs.delete(name, &DeleteParams::background()).await {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(status)) if status.is_not_found() => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Every node, and this executor's worker pods.
    pub async fn nodes_and_pods(&self) -> Result<(Vec<Node>, Vec<Pod>), kube::Error> {
        let nodes = self.nodes.list(&ListParams::default()).await?;
        let pods = self.pods.list(&ListParams::default().labels(&selector())).await?;
        Ok((nodes.items, pods.items))
    }
}
