//! `deploy/`: the Kubernetes manifests apply (`kubectl apply --dry-run=client`
//! against the Kubernetes API test double), every object keeps every field through
//! the Kubernetes schema (k8s-openapi's types), they hold what the server needs, and
//! the Dockerfile copies only what the repository has.

use std::path::Path;
use std::process::Command;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use serde_json::{Value, json};

use crate::support::kube_double::KubeDouble;

fn repository() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The object after a trip through its Kubernetes type: a misspelt or misplaced field
/// is dropped there, a value of the wrong type refused.
fn through_schema<T: serde::de::DeserializeOwned + serde::Serialize>(object: &Value) -> Value {
    let typed: T = serde_json::from_value(object.clone()).unwrap_or_else(|e| {
        panic!(
            "{} {} does not fit its schema: {e}",
            object["kind"], object["metadata"]["name"]
        )
    });
    serde_json::to_value(typed).expect("JSON")
}

#[test]
fn the_manifests_apply_and_every_object_fits_the_kubernetes_schema() {
    let folder = tempfile::tempdir().expect("folder");
    let double = KubeDouble::start(folder.path());
    let output = Command::new("kubectl")
        .args([
            "apply",
            "--dry-run=client",
            "--validate=false",
            "-o",
            "json",
            "-f",
        ])
        .arg(repository().join("deploy/kubernetes"))
        .arg("--kubeconfig")
        .arg(double.kubeconfig())
        .output()
        .expect("kubectl runs (Debian's kubectl package; .ci/run installs it)");
    assert!(
        output.status.success(),
        "kubectl apply failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let applied: Value = serde_json::from_slice(&output.stdout).expect("kubectl's JSON");
    let objects = applied["items"].as_array().cloned().expect("a list of objects");
    let names: Vec<(String, String)> = objects
        .iter()
        .map(|o| {
            (
                o["kind"].as_str().unwrap_or("").to_owned(),
                o["metadata"]["name"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("Namespace", "netsmith"),
        ("ServiceAccount", "netsmith"),
        ("Role", "netsmith-runs"),
        ("RoleBinding", "netsmith-runs"),
        ("ClusterRole", "netsmith-nodes"),
        ("ClusterRoleBinding", "netsmith-nodes"),
        ("Secret", "netsmith"),
        ("Deployment", "netsmith"),
        ("Service", "netsmith"),
        ("PersistentVolumeClaim", "netsmith-data"),
    ];
    let mut sorted = names.clone();
    sorted.sort();
    let mut wanted: Vec<(String, String)> = expected
        .iter()
        .map(|(k, n)| ((*k).to_owned(), (*n).to_owned()))
        .collect();
    wanted.sort();
    assert_eq!(sorted, wanted);

    for object in &objects {
        let kept = match object["kind"].as_str().unwrap_or("") {
            "Namespace" => through_schema::<Namespace>(object),
            "ServiceAccount" => through_schema::<ServiceAccount>(object),
            "Role" => through_schema::<Role>(object),
            "RoleBinding" => through_schema::<RoleBinding>(object),
            "ClusterRole" => through_schema::<ClusterRole>(object),
            "ClusterRoleBinding" => through_schema::<ClusterRoleBinding>(object),
            "Secret" => through_schema::<Secret>(object),
            "Deployment" => through_schema::<Deployment>(object),
            "Service" => through_schema::<Service>(object),
            "PersistentVolumeClaim" => through_schema::<PersistentVolumeClaim>(object),
            other => panic!("an unexpected kind: {other}"),
        };
        assert_eq!(&kept, object, "a field Kubernetes does not know");
    }

    let find = |kind: &str| {
        objects
            .iter()
            .find(|o| o["kind"] == kind)
            .cloned()
            .expect("the object")
    };
    // The server's Role: Jobs to run, pods and their logs to read, PyTorch runs'
    // Services; nothing else.
    assert_eq!(
        find("Role")["rules"],
        json!([
            {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["get", "list", "watch", "create", "patch", "delete"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]},
            {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
            {"apiGroups": [""], "resources": ["services"], "verbs": ["get", "create", "patch", "delete"]},
        ])
    );
    assert_eq!(
        find("ClusterRole")["rules"],
        json!([{"apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list", "watch"]}])
    );
    assert_eq!(
        find("PersistentVolumeClaim")["spec"]["accessModes"],
        json!(["ReadWriteMany"])
    );
    let deployment = find("Deployment");
    let pod = &deployment["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], "netsmith");
    let server = &pod["containers"][0];
    for probe in ["readinessProbe", "livenessProbe"] {
        assert_eq!(
            server[probe]["httpGet"],
            json!({"path": "/healthz/", "port": "http"}),
            "{probe}"
        );
    }
    let env: Vec<(String, Value)> = server["env"]
        .as_array()
        .expect("env")
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap_or("").to_owned(),
                v.get("value").cloned().unwrap_or_else(|| v["valueFrom"].clone()),
            )
        })
        .collect();
    let setting = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    assert_eq!(setting("NETSMITH_EXECUTOR"), Some(json!("kubernetes")));
    assert_eq!(
        setting("DATABASE_URL"),
        Some(json!({"secretKeyRef": {"name": "netsmith", "key": "database-url"}}))
    );
    assert_eq!(
        setting("NETSMITH_WORKER_SERVER_URL"),
        Some(json!("http://netsmith.netsmith.svc:8000")),
        "the Service below"
    );
    assert_eq!(find("Service")["spec"]["ports"][0]["port"], 8000);
}

#[test]
fn the_dockerfile_copies_only_what_the_repository_has() {
    let dockerfile = std::fs::read_to_string(repository().join("deploy/Dockerfile")).expect("Dockerfile");
    let sources: Vec<&str> = dockerfile
        .lines()
        .filter(|line| line.starts_with("COPY ") && !line.contains("--from="))
        .flat_map(|line| {
            let words: Vec<&str> = line.split_whitespace().skip(1).collect();
            words[..words.len() - 1].to_vec()
        })
        .collect();
    assert!(
        sources.contains(&"Cargo.lock") && sources.contains(&"crates"),
        "{sources:?}"
    );
    for source in sources {
        assert!(
            repository().join(source).exists(),
            "the Dockerfile copies {source}, which is missing"
        );
    }
    assert!(
        dockerfile.contains("ENTRYPOINT [\"netsmith\"]"),
        "the worker runs as `netsmith worker`"
    );
}
