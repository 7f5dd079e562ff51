-- The training events a revocation for breaking Sec. 11 or 12 cites
-- (922 KAR 2:240 Sec. 15(1)(b)), in the order the cabinet listed them.
CREATE TABLE revocation_training_events (
    credential_id TEXT NOT NULL REFERENCES credentials (id),
    event_id TEXT NOT NULL REFERENCES training_events (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (credential_id, event_id)
);
