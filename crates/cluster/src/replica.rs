//! Who this server process is among the replicas sharing a database: `host/pid/start`,
//! so a restarted server on the same host can tell its dead predecessor's leases from
//! those of a live neighbour.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::machine;

/// A server replica's name in run leases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaId(String);

impl ReplicaId {
    /// This process: its host name, process id and start time.
    pub fn this_process() -> Self {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Self(format!(
            "{}/{}/{started:x}",
            machine::hostname(),
            std::process::id()
        ))
    }

    /// A replica known by this name.
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }

    /// The name as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `holder` names a process on this host that is no longer running (it
    /// can hold nothing any more). `false` when that cannot be told: another host, a
    /// name of another form, or a system without `/proc`.
    pub fn is_dead_neighbour(&self, holder: &str) -> bool {
        let mut parts = holder.split('/');
        let (Some(host), Some(pid), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            return false;
        };
        let same_host = self.0.split('/').next() == Some(host);
        let proc_readable = std::path::Path::new("/proc/self").exists();
        same_host
            && holder != self.0
            && proc_readable
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
    }
}

impl fmt::Display for ReplicaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_process_on_this_host_is_told_from_a_live_one_and_from_other_hosts() {
        let me = ReplicaId::this_process();
        let host = me.as_str().split('/').next().expect("host").to_owned();
        let alive = format!("{host}/{}/1", std::process::id());
        // Process ids stop well below this on Linux (pid_max is at most 2^22).
        let dead = format!("{host}/4294967295/1");
        assert!(!me.is_dead_neighbour(&alive));
        assert!(me.is_dead_neighbour(&dead));
        assert!(!me.is_dead_neighbour("elsewhere/4294967295/1"));
        assert!(!me.is_dead_neighbour("not a replica name"));
        assert!(!me.is_dead_neighbour(me.as_str()));
    }
}
