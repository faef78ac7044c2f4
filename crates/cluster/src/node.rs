//! What the node view (`GET /runtime/kubernetes/`) shows about each machine runs
//! train on, in Kubernetes' terms: addresses, conditions, the pods on it with their
//! resource requests and limits, capacity, what is allocatable, and system facts.

use chrono::{DateTime, Utc};

/// One machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Its host name.
    pub hostname: String,
    /// The address it is reached at inside the cluster (locally: the bind address).
    pub internal_ip: String,
    /// Health conditions (`MemoryPressure`, `Ready`, ...).
    pub conditions: Vec<NodeCondition>,
    /// The runs on it that have not ended, as pods.
    pub pods: Vec<NodePod>,
    /// What the machine has.
    pub capacity: Resources,
    /// What runs may use of it.
    pub allocatable: Resources,
    /// Software and hardware facts.
    pub system: SystemInfo,
}

/// One condition, as Kubernetes reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeCondition {
    /// `MemoryPressure`, `DiskPressure`, `PIDPressure` or `Ready`.
    pub kind: String,
    /// Whether the condition holds.
    pub status: ConditionStatus,
    /// A machine-readable reason, e.g. `KubeletReady`.
    pub reason: String,
    /// The same for people.
    pub message: String,
    /// When the node last reported it.
    pub last_heartbeat: Option<DateTime<Utc>>,
    /// When it last changed.
    pub last_transition: Option<DateTime<Utc>>,
}

/// Whether a node condition holds, as Kubernetes says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionStatus {
    /// It holds.
    True,
    /// It does not.
    False,
    /// The node has not said lately (its kubelet stopped reporting).
    Unknown,
}

impl ConditionStatus {
    /// `True`, `False` or `Unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::True => "True",
            Self::False => "False",
            Self::Unknown => "Unknown",
        }
    }

    /// Reads [`Self::as_str`]'s words (anything else is unknown).
    pub fn parse(word: &str) -> Self {
        match word {
            "True" => Self::True,
            "False" => Self::False,
            _ => Self::Unknown,
        }
    }
}

impl From<bool> for ConditionStatus {
    fn from(holds: bool) -> Self {
        if holds { Self::True } else { Self::False }
    }
}

/// A share of a node's allocatable resource: the amount and its percentage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceShare {
    /// In Kubernetes quantity notation, e.g. `500m` or `2Gi` (`0` for none).
    pub amount: String,
    /// Percent of the node's allocatable amount, rounded down.
    pub percent: u64,
}

impl ResourceShare {
    /// No request or limit.
    pub fn none() -> Self {
        Self {
            amount: "0".to_owned(),
            percent: 0,
        }
    }
}

/// A run on a node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePod {
    /// Its namespace.
    pub namespace: String,
    /// Its name, e.g. `run-7` (locally) or the worker pod's name.
    pub name: String,
    /// The run's status.
    pub status: String,
    /// CPU requested.
    pub cpu_requests: ResourceShare,
    /// CPU limit.
    pub cpu_limits: ResourceShare,
    /// Memory requested.
    pub memory_requests: ResourceShare,
    /// Memory limit.
    pub memory_limits: ResourceShare,
}

/// Countable resources of a node, in Kubernetes quantity notation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resources {
    /// Cores, e.g. `4`.
    pub cpu: String,
    /// Memory, e.g. `16318864Ki`.
    pub memory: String,
    /// How many pods (runs) it takes at once.
    pub pods: String,
    /// `nvidia.com/gpu`, where the node has GPUs.
    pub gpu: Option<String>,
}

/// Software and hardware facts of a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemInfo {
    /// kube-proxy's version (empty off Kubernetes).
    pub kube_proxy_version: String,
    /// Go's architecture name: `amd64`, `arm64`, ...
    pub architecture: String,
    /// The container runtime (locally: this server's version).
    pub container_runtime_version: String,
    /// `linux`, ...
    pub operating_system: String,
    /// The operating system's pretty name.
    pub os_image: String,
    /// The kubelet's version (locally: this server's version).
    pub kubelet_version: String,
}
