//! `GET /runtime/kubernetes/`: the executor's nodes in the original's shape. On the
//! local executor this machine is the one node, and the user's unfinished training
//! runs are its pods (other users' runs are never shown).

use actix_web::{HttpResponse, get, web};
use cluster::{Node, NodeCondition, NodePod, ResourceShare, Resources};
use serde_json::{Map, Value, json};

use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody};
use crate::state::{AppState, blocking};

/// `Mon, 26 Feb 2018 17:49:10 +0000`, as the original showed times (empty when the
/// node never said).
fn shown(time: Option<chrono::DateTime<chrono::Utc>>) -> String {
    time.map(|t| t.to_rfc2822()).unwrap_or_default()
}

fn condition(c: &NodeCondition) -> Value {
    json!({
        "Type": c.kind,
        "Status": c.status.as_str(),
        "Reason": c.reason,
        "Message": c.message,
        "LastHeartbeatTime": shown(c.last_heartbeat),
        "LastTransitionTime": shown(c.last_transition),
    })
}

/// `0 (0%)`, as `kubectl describe node` shows requests and limits.
fn share(s: &ResourceShare) -> String {
    format!("{} ({}%)", s.amount, s.percent)
}

fn pod(p: &NodePod) -> Value {
    json!({
        "Namespace": p.namespace,
        "Name": p.name,
        "Status": p.status,
        "CPU Requests": share(&p.cpu_requests),
        "CPU Limits": share(&p.cpu_limits),
        "Memory Requests": share(&p.memory_requests),
        "Memory Limits": share(&p.memory_limits),
    })
}

fn resources(r: &Resources) -> Value {
    let mut map = Map::new();
    map.insert("cpu".into(), json!(r.cpu));
    map.insert("memory".into(), json!(r.memory));
    map.insert("pods".into(), json!(r.pods));
    if let Some(gpu) = &r.gpu {
        map.insert("nvidia.com/gpu".into(), json!(gpu));
    }
    Value::Object(map)
}

fn node(n: &Node) -> Value {
    json!({
        "Addresses": {"Hostname": n.hostname, "InternalIP": n.internal_ip},
        "Conditions": n.conditions.iter().map(condition).collect::<Vec<_>>(),
        "Non-terminated Pods": n.pods.iter().map(pod).collect::<Vec<_>>(),
        "Capacity": resources(&n.capacity),
        "Allocatable": resources(&n.allocatable),
        "System Info": {
            "Kube-Proxy Version": n.system.kube_proxy_version,
            "Architecture": n.system.architecture,
            "Container Runtime Version": n.system.container_runtime_version,
            "Operating System": n.system.operating_system,
            "OS Image": n.system.os_image,
            "Kubelet Version": n.system.kubelet_version,
        },
    })
}

#[utoipa::path(tag = "runs",
    summary = "The executor's nodes (`Addresses`, `Conditions`, `Non-terminated Pods`, `Capacity`, `Allocatable`, `System Info`); locally, this machine with the user's unfinished runs as pods",
    security(("token" = [])),
    responses((status = 200, description = "a list with one object per node"), (status = 401, body = DetailBody)))]
#[get("/runtime/kubernetes/")]
pub async fn nodes(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let owner = auth.user();
    let nodes = blocking(move || Ok(state.bench.nodes(owner)?)).await?;
    Ok(HttpResponse::Ok().json(nodes.iter().map(node).collect::<Vec<_>>()))
}
