//! The API paths the executor uses, as the API server answers them: Jobs (list,
//! watch, create, get, merge-patch, delete), pods (list, watch) and nodes (list), with
//! the Status bodies of a real server for 404 and 409.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::stream;
use serde_json::{Value, json};

use super::Shared;
use super::store::{Kind, Recorded, selected};

type Query = web::Query<HashMap<String, String>>;

fn record(shared: &Shared, request: &HttpRequest, body: &[u8]) {
    let body = serde_json::from_slice(body).unwrap_or(Value::Null);
    super::lock(shared).store.requests.push(Recorded {
        method: request.method().to_string(),
        path: request.path().to_owned(),
        body,
    });
}

fn status(code: u16, reason: &str, message: String, name: &str, kind: &str) -> HttpResponse {
    let body = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason,
        "details": {"name": name, "group": "batch", "kind": kind}, "code": code});
    HttpResponse::build(actix_web::http::StatusCode::from_u16(code).unwrap_or_default()).json(body)
}

fn not_found(name: &str) -> HttpResponse {
    status(
        404,
        "NotFound",
        format!("jobs.batch \"{name}\" not found"),
        name,
        "jobs",
    )
}

/// RFC 7386 merge patch.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else {
                    merge(target.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// A zero-value bookmark, as the Go API server writes it.
fn bookmark(kind: Kind, version: u64) -> Value {
    match kind {
        Kind::Job => json!({"type": "BOOKMARK", "object": {"kind": "Job", "apiVersion": "batch/v1",
            "metadata": {"resourceVersion": version.to_string(), "creationTimestamp": null},
            "spec": {"template": {"metadata": {"creationTimestamp": null}, "spec": {"containers": null}}},
            "status": {}}}),
        Kind::Pod | Kind::Service => json!({"type": "BOOKMARK", "object": {"kind": "Pod", "apiVersion": "v1",
            "metadata": {"resourceVersion": version.to_string(), "creationTimestamp": null},
            "spec": {"containers": null}, "status": {}}}),
    }
}

fn in_namespace(object: &Value, namespace: &str) -> bool {
    object["metadata"]["namespace"] == namespace
}

/// A list, or with `watch=true` a stream of the changes after `resourceVersion`.
fn list_or_watch(
    shared: &Shared,
    kind: Kind,
    namespace: String,
    query: &HashMap<String, String>,
) -> HttpResponse {
    let selector = query.get("labelSelector").cloned().unwrap_or_default();
    let (api_version, list_kind) = match kind {
        Kind::Job => ("batch/v1", "JobList"),
        Kind::Pod => ("v1", "PodList"),
        Kind::Service => ("v1", "ServiceList"),
    };
    if query.get("watch").map(String::as_str) != Some("true") {
        let state = super::lock(shared);
        let items: Vec<Value> = state
            .store
            .all(kind)
            .into_iter()
            .filter(|o| in_namespace(o, &namespace) && selected(o, &selector))
            .collect();
        return HttpResponse::Ok().json(json!({"apiVersion": api_version, "kind": list_kind,
            "metadata": {"resourceVersion": state.store.version().to_string()}, "items": items}));
    }
    let since: u64 = query
        .get("resourceVersion")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| super::lock(shared).store.version());
    let timeout = query
        .get("timeoutSeconds")
        .and_then(|v| v.parse().ok())
        .unwrap_or(290u64)
        .min(290);
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let shared = shared.clone();
    let lines = stream::unfold((since, true), move |(since, first)| {
        let shared = shared.clone();
        let (namespace, selector) = (namespace.clone(), selector.clone());
        async move {
            if first {
                let line = format!("{}\n", bookmark(kind, since));
                return Some((Ok::<_, actix_web::Error>(web::Bytes::from(line)), (since, false)));
            }
            loop {
                let (text, last) = {
                    let state = super::lock(&shared);
                    let mut text = String::new();
                    let mut last = since;
                    for change in state.store.changes.iter().filter(|c| c.version > since) {
                        last = change.version;
                        if change.kind == kind
                            && in_namespace(&change.object, &namespace)
                            && selected(&change.object, &selector)
                        {
                            let event = json!({"type": change.kind_of_change, "object": change.object});
                            text.push_str(&format!("{event}\n"));
                        }
                    }
                    (text, last)
                };
                if !text.is_empty() {
                    return Some((Ok(web::Bytes::from(text)), (last, false)));
                }
                if Instant::now() >= deadline {
                    return None;
                }
                actix_web::rt::time::sleep(Duration::from_millis(40)).await;
            }
        }
    });
    HttpResponse::Ok()
        .content_type("application/json")
        .streaming(lines)
}

pub async fn jobs(
    shared: web::Data<Shared>,
    path: web::Path<String>,
    query: Query,
    request: HttpRequest,
) -> HttpResponse {
    record(&shared, &request, &[]);
    list_or_watch(&shared, Kind::Job, path.into_inner(), &query)
}

pub async fn pods(
    shared: web::Data<Shared>,
    path: web::Path<String>,
    query: Query,
    request: HttpRequest,
) -> HttpResponse {
    record(&shared, &request, &[]);
    list_or_watch(&shared, Kind::Pod, path.into_inner(), &query)
}

pub async fn nodes(shared: web::Data<Shared>, request: HttpRequest) -> HttpResponse {
    record(&shared, &request, &[]);
    let state = super::lock(&shared);
    HttpResponse::Ok().json(json!({"apiVersion": "v1", "kind": "NodeList",
        "metadata": {"resourceVersion": state.store.version().to_string()}, "items": state.nodes}))
}

pub async fn create_job(
    shared: web::Data<Shared>,
    path: web::Path<String>,
    body: web::Bytes,
    request: HttpRequest,
) -> HttpResponse {
    record(&shared, &request, &body);
    let Ok(mut job) = serde_json::from_slice::<Value>(&body) else {
        return HttpResponse::BadRequest().finish();
    };
    let name = job["metadata"]["name"].as_str().unwrap_or_default().to_owned();
    let mut state = super::lock(&shared);
    if state.store.get(Kind::Job, &name).is_some() {
        return status(
            409,
            "AlreadyExists",
            format!("jobs.batch \"{name}\" already exists"),
            &name,
            "jobs",
        );
    }
    job["metadata"]["namespace"] = json!(path.into_inner());
    job["metadata"]["generation"] = json!(1);
    job["status"] = json!({});
    HttpResponse::Created().json(state.store.put(Kind::Job, job))
}

pub async fn job(
    shared: web::Data<Shared>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
    request: HttpRequest,
) -> HttpResponse {
    record(&shared, &request, &body);
    let (_, name) = path.into_inner();
    let mut state = super::lock(&shared);
    let Some(mut job) = state.store.get(Kind::Job, &name) else {
        return not_found(&name);
    };
    match request.method().as_str() {
        "GET" => HttpResponse::Ok().json(job),
        "PATCH" => {
            let patch: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            merge(&mut job, &patch);
            HttpResponse::Ok().json(state.store.put(Kind::Job, job))
        }
        "DELETE" => {
            let deleted = state.store.remove(Kind::Job, &name);
            let inner = &mut *state;
            inner.controller.remove_pods(&mut inner.store, &name);
            // Garbage collection of what the Job owns.
            let uid = job["metadata"]["uid"].clone();
            for service in inner.store.all(Kind::Service) {
                let owned = service["metadata"]["ownerReferences"]
                    .as_array()
                    .is_some_and(|owners| owners.iter().any(|o| o["uid"] == uid));
                if owned {
                    let service = service["metadata"]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                    inner.store.remove(Kind::Service, &service);
                }
            }
            HttpResponse::Ok().json(deleted)
        }
        _ => HttpResponse::MethodNotAllowed().finish(),
    }
}

pub async fn create_service(
    shared: web::Data<Shared>,
    path: web::Path<String>,
    body: web::Bytes,
    request: HttpRequest,
) -> HttpResponse {
    record(&shared, &request, &body);
    let Ok(mut service) = serde_json::from_slice::<Value>(&body) else {
        return HttpResponse::BadRequest().finish();
    };
    let name = service["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut state = super::lock(&shared);
    if state.store.get(Kind::Service, &name).is_some() {
        return status(
            409,
            "AlreadyExists",
            format!("services \"{name}\" already exists"),
            &name,
            "services",
        );
    }
    service["metadata"]["namespace"] = json!(path.into_inner());
    HttpResponse::Created().json(state.store.put(Kind::Service, service))
}

pub async fn service(
    shared: web::Data<Shared>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
    request: HttpRequest,
) -> HttpResponse {
    record(&shared, &request, &body);
    let (_, name) = path.into_inner();
    let mut state = super::lock(&shared);
    let Some(mut service) = state.store.get(Kind::Service, &name) else {
        return status(
            404,
            "NotFound",
            format!("services \"{name}\" not found"),
            &name,
            "services",
        );
    };
    match request.method().as_str() {
        "GET" => HttpResponse::Ok().json(service),
        "PATCH" => {
            let patch: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            merge(&mut service, &patch);
            HttpResponse::Ok().json(state.store.put(Kind::Service, service))
        }
        "DELETE" => HttpResponse::Ok().json(state.store.remove(Kind::Service, &name)),
        _ => HttpResponse::MethodNotAllowed().finish(),
    }
}
