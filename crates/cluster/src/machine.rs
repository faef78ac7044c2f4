//! This machine as the local executor's one node: facts read from `/proc` and
//! `/etc/os-release`, with the caller's unfinished runs as its pods.

use std::fs;

use chrono::Utc;
use runs::Run;

use crate::node::{Node, NodeCondition, NodePod, ResourceShare, Resources, SystemInfo};

/// Below this share of memory available, the node reports memory pressure.
const MEMORY_PRESSURE_SHARE: f64 = 0.05;

/// The node: `bind_ip` is its address, `workers` how many runs train at once, `runs`
/// the pods shown on it.
pub fn this_machine(bind_ip: &str, workers: usize, runs: &[Run]) -> Node {
    let (total, available) = memory_kib();
    let now = Utc::now();
    let pressure = total > 0 && (available as f64) < (total as f64) * MEMORY_PRESSURE_SHARE;
    let condition = |kind: &str, status: bool, reason: &str, message: &str| NodeCondition {
        kind: kind.to_owned(),
        status: status.into(),
        reason: reason.to_owned(),
        message: message.to_owned(),
        last_heartbeat: Some(now),
        last_transition: Some(now),
    };
    let (reason, message) = if pressure {
        ("NetsmithLowMemory", "less than 5% of memory is available")
    } else {
        (
            "NetsmithHasSufficientMemory",
            "the node has sufficient memory available",
        )
    };
    let pods = runs
        .iter()
        .map(|run| NodePod {
            namespace: "netsmith".to_owned(),
            name: format!("run-{}", run.id),
            status: run.status.as_str().to_owned(),
            cpu_requests: ResourceShare::none(),
            cpu_limits: ResourceShare::none(),
            memory_requests: ResourceShare::none(),
            memory_limits: ResourceShare::none(),
        })
        .collect();
    let version = concat!("netsmith-", env!("CARGO_PKG_VERSION"));
    let resources = |memory: u64| Resources {
        cpu: cores().to_string(),
        memory: format!("{memory}Ki"),
        pods: workers.to_string(),
        gpu: None,
    };
    Node {
        hostname: hostname(),
        internal_ip: bind_ip.to_owned(),
        conditions: vec![
            condition("MemoryPressure", pressure, reason, message),
            condition(
                "Ready",
                true,
                "NetsmithReady",
                "the local executor is accepting runs",
            ),
        ],
        pods,
        capacity: resources(total),
        allocatable: resources(available),
        system: SystemInfo {
            kube_proxy_version: String::new(),
            architecture: architecture().to_owned(),
            container_runtime_version: version.to_owned(),
            operating_system: std::env::consts::OS.to_owned(),
            os_image: os_image(),
            kubelet_version: version.to_owned(),
        },
    }
}

/// Memory in KiB from `/proc/meminfo` (`MemTotal`, `MemAvailable`); zero elsewhere.
fn memory_kib() -> (u64, u64) {
    let info = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let field = |name: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("MemTotal:"), field("MemAvailable:"))
}

/// This machine's host name.
pub(crate) fn hostname() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// `PRETTY_NAME` of `/etc/os-release`, as Kubernetes shows the OS image.
fn os_image() -> String {
    fs::read_to_string("/etc/os-release")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_owned())
        .unwrap_or_else(|| std::env::consts::OS.to_owned())
}

/// Go's architecture names, as Kubernetes reports them.
fn architecture() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
