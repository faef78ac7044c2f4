//! Run-scoped tokens for remote workers: `nsr_<run id>_<secret>`. The run record keeps
//! only the secret's SHA-256 ([`Run::worker_key`]); a token is valid for its own run
//! while that run has not ended, and for nothing else.

use common::RunId;
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::record::Run;

const PREFIX: &str = "nsr_";

/// A new token for `run`, recorded (as its hash) in the run; store the run to make it
/// valid. Any earlier token of the run stops working.
pub fn issue(run: &mut Run) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let secret: String = (0..40)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    run.worker_key = Some(digest(&secret));
    format!("{PREFIX}{}_{secret}", run.id)
}

/// The run a token claims to be for (not yet checked).
pub fn run_of(token: &str) -> Option<RunId> {
    let (id, _) = token.strip_prefix(PREFIX)?.split_once('_')?;
    id.parse().ok()
}

/// Whether `token` is the current token of `run`, which has not ended.
pub fn accepts(run: &Run, token: &str) -> bool {
    let Some(secret) = token
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('_'))
        .filter(|(id, _)| id.parse::<RunId>().ok() == Some(run.id))
        .map(|(_, secret)| secret)
    else {
        return false;
    };
    !run.status.is_final() && run.worker_key.as_deref() == Some(digest(secret).as_str())
}

fn digest(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use common::{DataId, ModelId, UserId};

    use super::*;
    use crate::record::RunStatus;

    fn run(id: i64) -> Run {
        Run {
            id: RunId(id),
            owner: UserId(1),
            model_id: ModelId(1),
            data_id: DataId(1),
            config: serde_json::json!({}),
            iter: 10,
            warm_from: None,
            status: RunStatus::Queued,
            step: 0,
            error: None,
            final_accuracy: None,
            final_loss: None,
            training_seconds: 0.0,
            confusion: None,
            data_spec: serde_json::from_value(serde_json::json!({
                "kind": "csv", "input": [2], "classes": ["a", "b"], "samples": 2,
                "label_column": "label", "feature_columns": ["x", "y"], "normalization": null
            }))
            .expect("a spec"),
            created_at: Utc::now(),
            started_at: None,
            finished_at: None,
            worker_key: None,
        }
    }

    #[test]
    fn a_token_opens_its_own_run_until_it_ends() {
        let mut seven = run(7);
        let token = issue(&mut seven);
        assert_eq!(run_of(&token), Some(RunId(7)));
        assert!(accepts(&seven, &token));
        // Another run, a changed secret, a reissued token, an ended run: refused.
        let mut eight = run(8);
        eight.worker_key = seven.worker_key.clone();
        assert!(!accepts(&eight, &token));
        assert!(!accepts(&seven, &format!("{token}x")));
        let mut reissued = seven.clone();
        let newer = issue(&mut reissued);
        assert!(!accepts(&reissued, &token) && accepts(&reissued, &newer));
        seven.status = RunStatus::Stopped;
        assert!(!accepts(&seven, &token));
        assert_eq!(run_of("Token abc"), None);
    }
}
