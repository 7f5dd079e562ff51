DROP TABLE audit_events;
DROP TABLE throttle_events;
DROP TABLE outbox;
DROP TABLE refresh_tokens;
DROP TABLE one_time_tokens;
DROP TABLE accounts;
DROP TABLE people;
