-- A run's worker key: the SHA-256 of the secret its remote worker authenticates with
-- (null for runs trained in the server, and once the run has ended).
ALTER TABLE runs ADD COLUMN worker_key TEXT;
