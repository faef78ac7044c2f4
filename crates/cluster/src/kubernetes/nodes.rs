//! The node view from the Kubernetes API: each Node's addresses, conditions,
//! capacity, allocatable resources and system facts, with the worker pods of the
//! caller's runs on it and their requests and limits as shares of the node, as
//! `kubectl describe node` shows them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use common::RunId;
use k8s_openapi::api::core::v1::{Node as KubeNode, Pod};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::manifest::run_of;
use super::quantity;
use crate::node::{ConditionStatus, Node, NodeCondition, NodePod, ResourceShare, Resources, SystemInfo};

type Amounts = std::collections::BTreeMap<String, Quantity>;

fn time(t: Option<&Time>) -> Option<DateTime<Utc>> {
    let t = t?;
    DateTime::from_timestamp(
        t.0.as_second(),
        u32::try_from(t.0.subsec_nanosecond()).unwrap_or(0),
    )
}

fn resources(amounts: Option<&Amounts>) -> Resources {
    let get = |name: &str| {
        amounts
            .and_then(|a| a.get(name))
            .map_or_else(|| "0".to_owned(), |q| q.0.clone())
    };
    Resources {
        cpu: get("cpu"),
        memory: get("memory"),
        pods: get("pods"),
        gpu: amounts.and_then(|a| a.get("nvidia.com/gpu")).map(|q| q.0.clone()),
    }
}

/// The sum over the pod's containers of one resource's requests or limits.
fn total(pod: &Pod, resource: &str, limits: bool) -> u128 {
    pod.spec
        .iter()
        .flat_map(|spec| &spec.containers)
        .filter_map(|container| {
            let needs = container.resources.as_ref()?;
            let amounts = if limits { &needs.limits } else { &needs.requests };
            quantity::milli(&amounts.as_ref()?.get(resource)?.0)
        })
        .sum()
}

fn share(amount: u128, allocatable: Option<u128>, show: fn(u128) -> String) -> ResourceShare {
    if amount == 0 {
        return ResourceShare::none();
    }
    ResourceShare {
        amount: show(amount),
        percent: quantity::percent(amount, allocatable),
    }
}

/// One node in the original's terms; `pods` are the pods that may be shown on it,
/// with the status of the run each belongs to.
pub fn node_view(node: &KubeNode, pods: &[(&Pod, String)]) -> Node {
    let name = node.metadata.name.clone().unwrap_or_default();
    let status = node.status.as_ref();
    let address = |kind: &str| {
        status
            .and_then(|s| s.addresses.as_ref())
            .and_then(|list| list.iter().find(|a| a.type_ == kind))
            .map(|a| a.address.clone())
    };
    let allocatable = status.and_then(|s| s.allocatable.as_ref());
    let allocatable_of = |name: &str| {
        allocatable
            .and_then(|a| a.get(name))
            .and_then(|q| quantity::milli(&q.0))
    };
    let (cpu_total, memory_total) = (allocatable_of("cpu"), allocatable_of("memory"));
    let millibytes = |amount: u128| quantity::memory(amount / 1000);
    let millicores = quantity::cpu;
    let shown_pods = pods
        .iter()
        .filter(|(pod, _)| pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(name.as_str()))
        .map(|(pod, run_status)| NodePod {
            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
            name: pod.metadata.name.clone().unwrap_or_default(),
            status: run_status.clone(),
            cpu_requests: share(total(pod, "cpu", false), cpu_total, millicores),
            cpu_limits: share(total(pod, "cpu", true), cpu_total, millicores),
            memory_requests: share(total(pod, "memory", false), memory_total, millibytes),
            memory_limits: share(total(pod, "memory", true), memory_total, millibytes),
        })
        .collect();
    let info = status.and_then(|s| s.node_info.as_ref());
    let fact = |read: fn(&k8s_openapi::api::core::v1::NodeSystemInfo) -> &String| {
        info.map(|i| read(i).clone()).unwrap_or_default()
    };
    Node {
        hostname: address("Hostname").unwrap_or_else(|| name.clone()),
        internal_ip: address("InternalIP").unwrap_or_default(),
        conditions: status
            .and_then(|s| s.conditions.as_ref())
            .into_iter()
            .flatten()
            .map(|c| NodeCondition {
                kind: c.type_.clone(),
                status: ConditionStatus::parse(&c.status),
                reason: c.reason.clone().unwrap_or_default(),
                message: c.message.clone().unwrap_or_default(),
                last_heartbeat: time(c.last_heartbeat_time.as_ref()),
                last_transition: time(c.last_transition_time.as_ref()),
            })
            .collect(),
        pods: shown_pods,
        capacity: resources(status.and_then(|s| s.capacity.as_ref())),
        allocatable: resources(allocatable),
        system: SystemInfo {
            kube_proxy_version: fact(|i| &i.kube_proxy_version),
            architecture: fact(|i| &i.architecture),
            container_runtime_version: fact(|i| &i.container_runtime_version),
            operating_system: fact(|i| &i.operating_system),
            os_image: fact(|i| &i.os_image),
            kubelet_version: fact(|i| &i.kubelet_version),
        },
    }
}

/// Every node, with the pods of `runs` (the caller's unfinished runs and their
/// statuses) that are not done; other pods are never shown.
pub fn nodes_view(nodes: &[KubeNode], pods: &[Pod], runs: &HashMap<RunId, String>) -> Vec<Node> {
    let shown: Vec<(&Pod, String)> = pods
        .iter()
        .filter(|pod| {
            let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
            !matches!(phase, Some("Succeeded" | "Failed"))
        })
        .filter_map(|pod| {
            let run = run_of(&pod.metadata)?;
            Some((pod, runs.get(&run)?.clone()))
        })
        .collect();
    nodes.iter().map(|node| node_view(node, &shown)).collect()
}
