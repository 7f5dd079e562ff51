DROP INDEX throttle_buckets_touched_idx;
DROP TABLE throttle_buckets;
