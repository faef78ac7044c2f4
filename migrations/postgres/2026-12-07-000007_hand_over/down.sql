ALTER TABLE runs DROP COLUMN resume_on_start;
