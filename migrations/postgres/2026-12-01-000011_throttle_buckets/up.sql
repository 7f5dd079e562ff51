-- One row per throttle bucket, upserted as the first statement of every
-- reservation: on PostgreSQL the upsert row-locks the bucket, so concurrent
-- attempts on one bucket count and record one after another and a burst
-- can never be let through beyond the limit (SQLite has one writer anyway).
CREATE TABLE throttle_buckets (
    bucket TEXT PRIMARY KEY,
    touched_at TIMESTAMP NOT NULL
);
CREATE INDEX throttle_buckets_touched_idx ON throttle_buckets (touched_at);
