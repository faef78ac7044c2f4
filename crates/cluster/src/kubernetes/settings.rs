//! How runs become Kubernetes Jobs: where, with which image, resources and placement,
//! and how long the cluster keeps and retries them.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Toleration;

/// Settings of the Kubernetes executor; [`KubernetesSettings::new`] gives the
/// documented defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct KubernetesSettings {
    /// The namespace of the Jobs; `None`: the kubeconfig context's (or the service
    /// account's) namespace.
    pub namespace: Option<String>,
    /// The image the workers run (the server's own image: `netsmith worker` is in it).
    pub image: String,
    /// `Always`, `IfNotPresent` or `Never`; `None`: the cluster's default.
    pub image_pull_policy: Option<String>,
    /// The URL workers reach the server at from inside the cluster.
    pub server_url: String,
    /// CPU each worker requests (a Kubernetes quantity, e.g. `1` or `500m`).
    pub cpu: String,
    /// Memory each worker requests, e.g. `2Gi`.
    pub memory: String,
    /// CPU limit; `None`: no limit.
    pub cpu_limit: Option<String>,
    /// Memory limit (beyond it the worker is `OOMKilled`); `None`: no limit.
    pub memory_limit: Option<String>,
    /// `nvidia.com/gpu` each worker gets; 0 for none.
    pub gpus: u32,
    /// Labels a node must have to take a worker.
    pub node_selector: BTreeMap<String, String>,
    /// Taints a worker tolerates.
    pub tolerations: Vec<Toleration>,
    /// Seconds a finished Job (and its pods' logs) is kept.
    pub ttl_seconds_after_finished: i32,
    /// Worker pods that may fail (not counting disruptions) before the Job fails.
    pub backoff_limit: i32,
    /// Seconds a Job may be active before it fails (`DeadlineExceeded`); `None`: no
    /// limit. Kubernetes restarts the clock when a paused (suspended) Job resumes.
    pub active_deadline_seconds: Option<i64>,
    /// The image of PyTorch runs' workers (this project's image with Python and torch,
    /// `deploy/Dockerfile --target torch`); `None`: no PyTorch runs on this cluster.
    pub torch_image: Option<String>,
    /// The Python with torch in that image.
    pub torch_python: String,
}

impl KubernetesSettings {
    /// The defaults, for workers of `image` reporting to `server_url`.
    pub fn new(image: impl Into<String>, server_url: impl Into<String>) -> Self {
        Self {
            namespace: None,
            image: image.into(),
            image_pull_policy: None,
            server_url: server_url.into(),
            cpu: "1".to_owned(),
            memory: "2Gi".to_owned(),
            cpu_limit: None,
            memory_limit: Some("4Gi".to_owned()),
            gpus: 0,
            node_selector: BTreeMap::new(),
            tolerations: Vec::new(),
            ttl_seconds_after_finished: 3600,
            backoff_limit: 3,
            active_deadline_seconds: Some(7 * 24 * 3600),
            torch_image: None,
            torch_python: "python3".to_owned(),
        }
    }

    /// Reads `key=value,key=value` (empty: none).
    pub fn parse_node_selector(text: &str) -> Result<BTreeMap<String, String>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if !key.trim().is_empty() => {
                    Ok((key.trim().to_owned(), value.trim().to_owned()))
                }
                _ => Err(format!("node selector entry {pair:?} is not key=value")),
            })
            .collect()
    }

    /// Reads a JSON list of tolerations, as in a pod spec (empty: none).
    pub fn parse_tolerations(text: &str) -> Result<Vec<Toleration>, String> {
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        serde_json::from_str(text).map_err(|e| format!("tolerations are not a JSON list of tolerations: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_selectors_and_tolerations_are_read_or_refused_with_the_reason() {
        let selector =
            KubernetesSettings::parse_node_selector(" disktype=ssd, zone = a ,").expect("selector");
        assert_eq!(
            selector.into_iter().collect::<Vec<_>>(),
            vec![
                ("disktype".to_owned(), "ssd".to_owned()),
                ("zone".to_owned(), "a".to_owned())
            ]
        );
        assert!(
            KubernetesSettings::parse_node_selector("")
                .expect("empty")
                .is_empty()
        );
        assert_eq!(
            KubernetesSettings::parse_node_selector("gpu"),
            Err("node selector entry \"gpu\" is not key=value".to_owned())
        );
        let tolerations = KubernetesSettings::parse_tolerations(
            r#"[{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]"#,
        )
        .expect("tolerations");
        assert_eq!(tolerations[0].key.as_deref(), Some("nvidia.com/gpu"));
        assert!(KubernetesSettings::parse_tolerations("{").is_err());
        assert!(
            KubernetesSettings::parse_tolerations(" ")
                .expect("none")
                .is_empty()
        );
    }
}
