DROP INDEX training_events_starts_idx;
DROP INDEX training_events_county_idx;
ALTER TABLE training_events DROP COLUMN county;
