//! What the server does, for an operator's monitoring system, in Prometheus' text
//! format (served by `routes::monitoring`): request counts and latencies by route
//! template, open event streams, uploads in progress, the blocking pool's work; runs
//! by state, the training queue and throughput are read from the store when scraped;
//! resident memory and the allocator's heap (in use, held free) are read then too.

use std::sync::LazyLock;
use std::time::Duration;

use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

/// Every metric, registered once per process.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    streams: IntGauge,
    uploads: IntGauge,
    upload_bytes: IntCounter,
    blocking: IntGauge,
    runs: IntGaugeVec,
    queued: IntGauge,
    images_per_second: Gauge,
    resident: IntGauge,
    heap_in_use: IntGauge,
    heap_free: IntGauge,
}

fn metrics() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &METRICS
}

impl Metrics {
    fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "netsmith_http_requests_total",
                "HTTP requests answered, by route template and status",
            ),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "netsmith_http_request_duration_seconds",
                "Time to answer a request (to the first byte of a stream), by route template",
            )
            .buckets(vec![
                0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route"],
        )
        .expect("valid metric");
        let streams = IntGauge::new(
            "netsmith_sse_streams_open",
            "Live metric streams (Server-Sent Events) open",
        )
        .expect("valid metric");
        let uploads =
            IntGauge::new("netsmith_uploads_in_progress", "Uploads being received").expect("valid metric");
        let upload_bytes = IntCounter::new("netsmith_upload_bytes_total", "Bytes of upload files received")
            .expect("valid metric");
        let blocking = IntGauge::new(
            "netsmith_blocking_tasks_in_flight",
            "Database, file and password work queued or running on the blocking pool",
        )
        .expect("valid metric");
        let runs = IntGaugeVec::new(
            Opts::new("netsmith_runs", "Runs of every user, by status"),
            &["status"],
        )
        .expect("valid metric");
        let queued = IntGauge::new(
            "netsmith_training_queue_depth",
            "Runs waiting for a training slot",
        )
        .expect("valid metric");
        let images_per_second = Gauge::new(
            "netsmith_training_images_per_second",
            "Images (or rows) per second of the running runs together, at their last metric point",
        )
        .expect("valid metric");
        let resident = IntGauge::new(
            "netsmith_resident_memory_bytes",
            "The server process's resident memory (VmRSS)",
        )
        .expect("valid metric");
        let heap_in_use = IntGauge::new(
            "netsmith_heap_in_use_bytes",
            "Heap memory allocated and not freed (glibc's figures, every arena)",
        )
        .expect("valid metric");
        let heap_free = IntGauge::new(
            "netsmith_heap_free_bytes",
            "Heap memory freed and kept by the allocator for reuse",
        )
        .expect("valid metric");
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(streams.clone()),
            Box::new(uploads.clone()),
            Box::new(upload_bytes.clone()),
            Box::new(blocking.clone()),
            Box::new(runs.clone()),
            Box::new(queued.clone()),
            Box::new(images_per_second.clone()),
            Box::new(resident.clone()),
            Box::new(heap_in_use.clone()),
            Box::new(heap_free.clone()),
        ] {
            registry.register(collector).expect("each metric once");
        }
        Self {
            registry,
            requests,
            latency,
            streams,
            uploads,
            upload_bytes,
            blocking,
            runs,
            queued,
            images_per_second,
            resident,
            heap_in_use,
            heap_free,
        }
    }
}

/// The route template a request matched (`/data/{id}/`, regexes left out), or
/// `unmatched`: a bounded set of labels whatever the paths asked.
pub fn route_label(pattern: Option<String>) -> String {
    let Some(pattern) = pattern else {
        return "unmatched".to_owned();
    };
    let mut label = String::with_capacity(pattern.len());
    let mut depth = 0usize;
    let mut in_regex = false;
    for c in pattern.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    label.push(c);
                }
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    in_regex = false;
                    label.push(c);
                }
            }
            ':' if depth == 1 => in_regex = true,
            _ if in_regex || depth > 1 => {}
            _ => label.push(c),
        }
    }
    label
}

/// Counts an answered request.
pub fn observe_request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let m = metrics();
    m.requests
        .with_label_values(&[method, route, &status.to_string()])
        .inc();
    m.latency
        .with_label_values(&[method, route])
        .observe(elapsed.as_secs_f64());
}

/// Held while something is going on; the gauge goes down when it is dropped.
pub struct InProgress(&'static IntGauge);

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.dec();
    }
}

fn start(gauge: &'static IntGauge) -> InProgress {
    gauge.inc();
    InProgress(gauge)
}

/// An open event stream.
pub fn stream_opened() -> InProgress {
    start(&metrics().streams)
}

/// An upload being received.
pub fn upload_started() -> InProgress {
    start(&metrics().uploads)
}

/// Upload file bytes received.
pub fn upload_bytes(n: usize) {
    metrics().upload_bytes.inc_by(n as u64);
}

/// Work sent to the blocking pool.
pub fn blocking_started() -> InProgress {
    start(&metrics().blocking)
}

/// The text a scrape answers (`text/plain; version=0.0.4`), with the store's figures
/// of `overview` set first.
pub fn exposition(overview: &workbench::TrainingOverview) -> Result<Vec<u8>, prometheus::Error> {
    let m = metrics();
    for (status, n) in &overview.runs {
        let n = i64::try_from(*n).unwrap_or(i64::MAX);
        m.runs.with_label_values(&[status.as_str()]).set(n);
        if *status == runs::RunStatus::Queued {
            m.queued.set(n);
        }
    }
    m.images_per_second.set(overview.images_per_second);
    let gauge = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    if let Some(bytes) = crate::allocator::resident_bytes() {
        m.resident.set(gauge(bytes));
    }
    if let Some(heap) = crate::allocator::heap() {
        m.heap_in_use.set(gauge(heap.in_use));
        m.heap_free.set(gauge(heap.free));
    }
    let mut text = Vec::new();
    TextEncoder::new().encode(&m.registry.gather(), &mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::route_label;

    #[test]
    fn route_labels_are_templates_without_their_patterns() {
        assert_eq!(route_label(Some("/data/{id:[0-9]+}/".into())), "/data/{id}/");
        assert_eq!(
            route_label(Some("/worker/runs/{id}/points/{step}/".into())),
            "/worker/runs/{id}/points/{step}/"
        );
        assert_eq!(route_label(Some("/api/docs/{_:.*}".into())), "/api/docs/{_}");
        assert_eq!(route_label(Some("/x/{n:\\d{2}}/".into())), "/x/{n}/");
        assert_eq!(route_label(None), "unmatched");
    }
}
