-- A single-use link for someone else (an employer, a co-trainer, a training
-- coach) to submit one element of an application without an account. Only
-- the token's SHA-256 is kept.
CREATE TABLE element_invitations (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    element_key TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL CONSTRAINT element_invitations_token_hash_unique UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX element_invitations_element_idx ON element_invitations (application_id, element_key);
