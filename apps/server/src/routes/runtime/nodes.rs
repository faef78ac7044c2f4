//! `GET /runtime/kubernetes/`: the executor's nodes in the original's shape. On the
//! local executor this machine is the one node, and the user's unfinished training
//! runs are its pods (other users' runs are never shown).

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde_json::{Value, json};

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::local_node;
use crate::openapi::DetailBody;
use crate::state::{AppState, blocking};

/// Below this share of memory available, the node reports memory pressure.
const MEMORY_PRESSURE_SHARE: f64 = 0.05;

fn condition(kind: &str, status: bool, reason: &str, message: &str, now: &str) -> Value {
    json!({
        "Type": kind,
        "Status": if status { "True" } else { "False" },
        "Reason": reason,
        "Message": message,
        "LastHeartbeatTime": now,
        "LastTransitionTime": now,
    })
}

#[utoipa::path(get, path = "/runtime/kubernetes/", tag = "runs",
    summary = "The executor's nodes (`Addresses`, `Conditions`, `Non-terminated Pods`, `Capacity`, `Allocatable`, `System Info`); locally, this machine with the user's unfinished runs as pods",
    security(("token" = [])),
    responses((status = 200, description = "a list with one object per node"), (status = 401, body = DetailBody)))]
pub async fn nodes(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let owner = auth.0.user.id;
    let (bind, workers) = (state.node.bind_ip.clone(), state.node.train_workers);
    let runs = blocking(move || Ok(state.runs.unfinished(owner)?)).await?;
    let (total, available) = local_node::memory_kib();
    let now = Utc::now().to_rfc2822();
    let pressure = total > 0 && (available as f64) < (total as f64) * MEMORY_PRESSURE_SHARE;
    let pods: Vec<Value> = runs
        .iter()
        .map(|run| {
            json!({
                "Namespace": "netsmith",
                "Name": format!("run-{}", run.id),
                "Status": run.status.as_str(),
                "CPU Requests": "0 (0%)",
                "CPU Limits": "0 (0%)",
                "Memory Requests": "0 (0%)",
                "Memory Limits": "0 (0%)",
            })
        })
        .collect();
    let version = concat!("netsmith-", env!("CARGO_PKG_VERSION"));
    let node = json!({
        "Addresses": {"Hostname": local_node::hostname(), "InternalIP": bind},
        "Conditions": [
            condition("MemoryPressure", pressure,
                if pressure { "NetsmithLowMemory" } else { "NetsmithHasSufficientMemory" },
                if pressure { "less than 5% of memory is available" } else { "the node has sufficient memory available" }, &now),
            condition("Ready", true, "NetsmithReady", "the local executor is accepting runs", &now),
        ],
        "Non-terminated Pods": pods,
        "Capacity": {"cpu": local_node::cores().to_string(), "memory": format!("{total}Ki"), "pods": workers.to_string()},
        "Allocatable": {"cpu": local_node::cores().to_string(), "memory": format!("{available}Ki"), "pods": workers.to_string()},
        "System Info": {
            "Kube-Proxy Version": "",
            "Architecture": local_node::architecture(),
            "Container Runtime Version": version,
            "Operating System": std::env::consts::OS,
            "OS Image": local_node::os_image(),
            "Kubelet Version": version,
        },
    });
    Ok(HttpResponse::Ok().json(vec![node]))
}
