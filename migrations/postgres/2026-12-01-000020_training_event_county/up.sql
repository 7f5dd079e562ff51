-- Where a face-to-face training was held (a Kentucky county), so the
-- cabinet can search its records of training by county (Sec. 11(2), (10)).
ALTER TABLE training_events ADD COLUMN county TEXT;
CREATE INDEX training_events_county_idx ON training_events (county, starts_on);
CREATE INDEX training_events_starts_idx ON training_events (starts_on);
