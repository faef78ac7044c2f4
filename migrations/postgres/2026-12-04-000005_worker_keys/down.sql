ALTER TABLE runs DROP COLUMN worker_key;
