-- A server that shuts down checkpoints its running runs, records them interrupted and
-- marks them here; the next server to start (or one already running beside it)
-- resumes each marked run once. Runs interrupted by a crash are not marked: their
-- users resume them.
ALTER TABLE runs ADD COLUMN resume_on_start BOOLEAN NOT NULL DEFAULT FALSE;
