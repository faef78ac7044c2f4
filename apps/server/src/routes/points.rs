//! Metric points as every run endpoint shows them.

use runs::MetricPoint;
use serde::Serialize;
use utoipa::ToSchema;

/// One metric point.
#[derive(Serialize, ToSchema)]
pub struct PointView {
    pub step: u64,
    /// Test-split accuracy.
    pub accuracy: f64,
    /// Mean test-split loss.
    pub loss: f64,
    /// Seconds of training since the previous point.
    pub duration: f64,
}

impl From<&MetricPoint> for PointView {
    fn from(p: &MetricPoint) -> Self {
        PointView {
            step: p.step,
            accuracy: p.accuracy,
            loss: p.loss,
            duration: p.duration,
        }
    }
}
