DROP TABLE login_failures;
ALTER TABLE runs DROP COLUMN requested;
ALTER TABLE runs DROP COLUMN lease_expires_at;
ALTER TABLE runs DROP COLUMN lease_holder;
