//! The live stream of a run's metric points (Server-Sent Events): the points already
//! found, then the store polled for new ones until the run reaches a final state (a
//! paused run's stream stays open), with a keep-alive comment when quiet.

use std::collections::VecDeque;
use std::time::Duration;

use actix_web::web;
use common::{RunId, UserId};
use runs::{MetricPoint, Run};

use crate::routes::points::PointView;
use crate::state::{Bench, blocking};

/// How often a live stream looks for new points.
const STREAM_POLL: Duration = Duration::from_millis(200);
/// A comment line this often keeps proxies from closing a quiet stream.
const STREAM_KEEPALIVE_POLLS: u32 = 75;

fn point_event(point: &MetricPoint) -> String {
    let data = serde_json::to_string(&PointView::from(point)).unwrap_or_default();
    format!("event: point\ndata: {data}\n\n")
}

fn end_event(run: &Run) -> String {
    let data = serde_json::json!({
        "run_id": run.id,
        "status": run.status.as_str(),
        "final_accuracy": run.final_accuracy,
        "error": run.error,
    });
    format!("event: end\ndata: {data}\n\n")
}

struct Cursor {
    bench: Bench,
    owner: UserId,
    run_id: RunId,
    last: Option<u64>,
    pending: VecDeque<String>,
    done: bool,
    quiet: u32,
}

/// The events of `run` after the points in `first`, `last` being the latest step seen.
pub fn live_events(
    bench: Bench,
    owner: UserId,
    run: Run,
    last: Option<u64>,
    first: Vec<MetricPoint>,
) -> impl futures_util::Stream<Item = Result<web::Bytes, actix_web::Error>> {
    let cursor = Cursor {
        bench,
        owner,
        run_id: run.id,
        last,
        pending: first.iter().map(point_event).collect(),
        done: false,
        quiet: 0,
    };
    futures_util::stream::unfold(cursor, |mut c| async move {
        loop {
            if let Some(event) = c.pending.pop_front() {
                return Some((Ok(web::Bytes::from(event)), c));
            }
            if c.done {
                return None;
            }
            let (bench, owner, id, since) = (c.bench.clone(), c.owner, c.run_id, c.last);
            let Ok((run, points)) = blocking(move || Ok(bench.run_progress(owner, id, since)?)).await else {
                return None;
            };
            if let Some(p) = points.last() {
                c.last = Some(p.step);
            }
            c.pending.extend(points.iter().map(point_event));
            if run.status.is_final() {
                c.pending.push_back(end_event(&run));
                c.done = true;
                continue;
            }
            if !c.pending.is_empty() {
                continue;
            }
            c.quiet += 1;
            if c.quiet >= STREAM_KEEPALIVE_POLLS {
                c.quiet = 0;
                return Some((Ok(web::Bytes::from_static(b": keep-alive\n\n")), c));
            }
            actix_web::rt::time::sleep(STREAM_POLL).await;
        }
    })
}
