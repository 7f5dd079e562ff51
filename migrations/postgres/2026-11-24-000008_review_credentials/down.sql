DROP TABLE credentials;
DROP INDEX applications_queue_idx;
ALTER TABLE applications DROP COLUMN assigned_to;
