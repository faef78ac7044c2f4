//! What the executor knows of the cluster, as the watch keeps it: the current Job of
//! each run and that Job's pods, and what this server does with them (the runs it
//! drives, the Jobs it deletes on purpose, the user's last request of each run).

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use common::RunId;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use runs::Request;

use super::manifest::{LAUNCH_ANNOTATION, run_of};
use super::observe::{JobPhase, observe};

/// Which launch of its run an object belongs to.
pub fn launch_in(meta: &ObjectMeta) -> Option<&str> {
    meta.annotations
        .as_ref()?
        .get(LAUNCH_ANNOTATION)
        .map(String::as_str)
}

/// The cluster as seen, and this server's part in it.
#[derive(Default)]
pub struct State {
    /// The current Job of each run.
    pub jobs: HashMap<RunId, Job>,
    /// The pods of each run's current Job, by name.
    pub pods: HashMap<RunId, HashMap<String, Pod>>,
    /// Jobs listed by the watch's current (re)start, before it has listed them all.
    pub listing_jobs: Option<HashMap<RunId, Job>>,
    /// Pods likewise.
    pub listing_pods: Option<HashMap<RunId, HashMap<String, Pod>>>,
    /// Whether the watches have listed everything once.
    pub jobs_synced: bool,
    /// Likewise for pods.
    pub pods_synced: bool,
    /// The launch each run is at, for runs whose launch this server knows.
    pub launches: HashMap<RunId, String>,
    /// Runs this server drives: it records what happens to their Jobs.
    pub driving: HashSet<RunId>,
    /// Runs whose Job this server deletes on purpose (stop, a model deleted).
    pub deleting: HashSet<RunId>,
    /// The user's last request of each run.
    pub requests: HashMap<RunId, Request>,
    /// When this server created each run's Job (a listing that began before may not
    /// show it yet).
    pub created: HashMap<RunId, Instant>,
    /// The watches' last failure, for the start-up error.
    pub last_error: Option<String>,
}

/// Whether `job` is the same object (uid) as the one held for `run`.
fn held_same(state: &State, run: RunId, job: &Job) -> bool {
    let held = state.listing_jobs.as_ref().unwrap_or(&state.jobs).get(&run);
    held.is_some_and(|held| held.metadata.uid == job.metadata.uid)
}

/// How long a Job this server created is kept although a listing does not show it.
const FRESH: Duration = Duration::from_secs(30);

impl State {
    /// Whether an object of `run` belongs to its current launch (objects of an
    /// earlier launch are being cleaned away and say nothing about the run).
    pub fn current(&self, run: RunId, meta: &ObjectMeta) -> bool {
        match (self.launches.get(&run), launch_in(meta)) {
            (Some(current), Some(launch)) => current == launch,
            _ => true,
        }
    }

    /// Records a Job as it is now (unless an older version of it arrives after a
    /// newer one: this server's own patches overtake the watch); returns its run.
    pub fn put_job(&mut self, job: Job) -> Option<RunId> {
        let run = run_of(&job.metadata)?;
        if !self.current(run, &job.metadata) {
            return None;
        }
        let version = |job: &Job| job.metadata.resource_version.as_deref()?.parse::<u64>().ok();
        let held = self.listing_jobs.as_ref().unwrap_or(&self.jobs).get(&run);
        if let (Some(held), Some(new)) = (held.and_then(version), version(&job))
            && new < held
            && held_same(self, run, &job)
        {
            return Some(run);
        }
        if let Some(launch) = launch_in(&job.metadata) {
            self.launches.insert(run, launch.to_owned());
        }
        match &mut self.listing_jobs {
            Some(listing) => listing.insert(run, job),
            None => self.jobs.insert(run, job),
        };
        Some(run)
    }

    /// Forgets a deleted Job; returns its run when it was the run's current one.
    pub fn drop_job(&mut self, job: &Job) -> Option<RunId> {
        let run = run_of(&job.metadata)?;
        if !self.current(run, &job.metadata) {
            return None;
        }
        let same = self
            .jobs
            .get(&run)
            .is_none_or(|seen| seen.metadata.uid == job.metadata.uid);
        if same {
            self.jobs.remove(&run);
        }
        same.then_some(run)
    }

    /// Records a pod as it is now; returns its run.
    pub fn put_pod(&mut self, pod: Pod) -> Option<RunId> {
        let run = run_of(&pod.metadata)?;
        if !self.current(run, &pod.metadata) {
            return None;
        }
        let name = pod.metadata.name.clone().unwrap_or_default();
        let pods = match &mut self.listing_pods {
            Some(listing) => listing.entry(run).or_default(),
            None => self.pods.entry(run).or_default(),
        };
        pods.insert(name, pod);
        Some(run)
    }

    /// Forgets a deleted pod; returns its run.
    pub fn drop_pod(&mut self, pod: &Pod) -> Option<RunId> {
        let run = run_of(&pod.metadata)?;
        let name = pod.metadata.name.as_deref().unwrap_or_default();
        if let Some(pods) = self.pods.get_mut(&run) {
            pods.remove(name);
        }
        Some(run)
    }

    /// Starts a listing of Jobs (the watch (re)started).
    pub fn list_jobs(&mut self) {
        self.listing_jobs = Some(HashMap::new());
    }

    /// Ends a listing of Jobs: it replaces what was known, except Jobs created so
    /// recently that the listing may have begun before them. Returns every run whose
    /// Job may have changed.
    pub fn listed_jobs(&mut self) -> Vec<RunId> {
        let mut listed = self.listing_jobs.take().unwrap_or_default();
        self.created.retain(|_, at| at.elapsed() < FRESH);
        for (run, job) in &self.jobs {
            if self.created.contains_key(run) && !listed.contains_key(run) {
                listed.insert(*run, job.clone());
            }
        }
        let mut touched: Vec<RunId> = self.jobs.keys().chain(listed.keys()).copied().collect();
        touched.sort();
        touched.dedup();
        self.jobs = listed;
        self.jobs_synced = true;
        touched
    }

    /// Starts a listing of pods.
    pub fn list_pods(&mut self) {
        self.listing_pods = Some(HashMap::new());
    }

    /// Ends a listing of pods; returns every run whose pods may have changed.
    pub fn listed_pods(&mut self) -> Vec<RunId> {
        let listed = self.listing_pods.take().unwrap_or_default();
        let mut touched: Vec<RunId> = self.pods.keys().chain(listed.keys()).copied().collect();
        touched.sort();
        touched.dedup();
        self.pods = listed;
        self.pods_synced = true;
        touched
    }

    /// The phase of the run's current Job, if it has one.
    pub fn phase(&self, run: RunId) -> Option<JobPhase> {
        let job = self.jobs.get(&run)?;
        let pods: Vec<&Pod> = self
            .pods
            .get(&run)
            .into_iter()
            .flat_map(HashMap::values)
            .collect();
        Some(observe(job, &pods))
    }

    /// Whether the run's current Job exists and has not finished.
    pub fn live(&self, run: RunId) -> bool {
        self.phase(run)
            .is_some_and(|phase| !matches!(phase, JobPhase::Succeeded | JobPhase::Failed { .. }))
    }
}
