//! API discovery, as `kubectl` reads it before it maps a manifest's kinds to paths
//! (`/api`, `/apis` and each group version's resource list), and a 404 for any object
//! the double does not keep, so `kubectl apply --dry-run=client` against the double
//! checks the deployment manifests as it would against a cluster.

use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

/// name, kind, namespaced for each resource of a group version.
fn resources(group_version: &str) -> Option<Vec<(&'static str, &'static str, bool)>> {
    Some(match group_version {
        "v1" => vec![
            ("namespaces", "Namespace", false),
            ("nodes", "Node", false),
            ("pods", "Pod", true),
            ("secrets", "Secret", true),
            ("serviceaccounts", "ServiceAccount", true),
            ("services", "Service", true),
            ("persistentvolumeclaims", "PersistentVolumeClaim", true),
            ("configmaps", "ConfigMap", true),
        ],
        "apps/v1" => vec![("deployments", "Deployment", true)],
        "batch/v1" => vec![("jobs", "Job", true)],
        "rbac.authorization.k8s.io/v1" => vec![
            ("roles", "Role", true),
            ("rolebindings", "RoleBinding", true),
            ("clusterroles", "ClusterRole", false),
            ("clusterrolebindings", "ClusterRoleBinding", false),
        ],
        _ => return None,
    })
}

fn resource_list(group_version: &str) -> Option<Value> {
    let list: Vec<Value> = resources(group_version)?
        .into_iter()
        .map(|(name, kind, namespaced)| {
            json!({"name": name, "singularName": kind.to_lowercase(), "namespaced": namespaced, "kind": kind,
                   "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]})
        })
        .collect();
    Some(
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": list}),
    )
}

fn groups() -> Value {
    let group = |name: &str| {
        let version = json!({"groupVersion": format!("{name}/v1"), "version": "v1"});
        json!({"name": name, "versions": [version.clone()], "preferredVersion": version})
    };
    json!({"kind": "APIGroupList", "apiVersion": "v1",
           "groups": [group("apps"), group("batch"), group("rbac.authorization.k8s.io")]})
}

/// Discovery documents, or a 404 Status for anything else.
pub async fn answer(request: HttpRequest) -> HttpResponse {
    let path = request.path().trim_end_matches('/');
    let document = match path {
        "/api" => Some(json!({"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})),
        "/apis" => Some(groups()),
        "/api/v1" => resource_list("v1"),
        _ => path.strip_prefix("/apis/").and_then(resource_list),
    };
    match document {
        Some(document) => HttpResponse::Ok().json(document),
        None => HttpResponse::NotFound().json(json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure", "message": "the server could not find the requested resource",
            "reason": "NotFound", "details": {}, "code": 404})),
    }
}
