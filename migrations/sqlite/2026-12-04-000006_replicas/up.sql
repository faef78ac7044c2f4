-- Several server replicas share one database. Each replica holds a lease on the runs
-- it drives and renews it; a run whose lease ran out has lost its replica and becomes
-- interrupted (resumable). `requested` is the user's latest go/pause/stop for the run,
-- which the replica driving it applies wherever the request was made.
ALTER TABLE runs ADD COLUMN lease_holder TEXT;
ALTER TABLE runs ADD COLUMN lease_expires_at TIMESTAMP;
ALTER TABLE runs ADD COLUMN requested TEXT NOT NULL DEFAULT 'go';

-- Failed logins, so throttling counts across replicas. `scope` is 'login' (the
-- lower-cased login name) or 'address' (the client address).
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_scope_key ON login_failures (scope, key, failed_at);
CREATE INDEX login_failures_failed_at ON login_failures (failed_at);
