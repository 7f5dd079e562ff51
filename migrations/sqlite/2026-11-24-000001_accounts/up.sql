-- People known to the cabinet, with or without an account (an earlier
-- licensing system's records can be claimed). The SSN is stored only
-- encrypted; search uses keyed hashes, never the clear value.
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    last_name TEXT NOT NULL,
    first_name_key TEXT NOT NULL,
    last_name_key TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    ssn_ciphertext BLOB NOT NULL,
    ssn_hash TEXT NOT NULL CONSTRAINT people_ssn_hash_unique UNIQUE,
    ssn_last4_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX people_search_idx ON people (last_name_key, date_of_birth);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    person_id TEXT REFERENCES people (id) CONSTRAINT accounts_person_id_unique UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('applicant', 'specialist', 'admin')),
    username TEXT NOT NULL,
    username_key TEXT NOT NULL CONSTRAINT accounts_username_key_unique UNIQUE,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL CONSTRAINT accounts_email_key_unique UNIQUE,
    email_confirmed_at TIMESTAMP,
    password_hash TEXT NOT NULL,
    address_line1 TEXT,
    address_line2 TEXT,
    address_city TEXT,
    address_state TEXT,
    address_postal_code TEXT,
    phone TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((role = 'applicant') = (person_id IS NOT NULL))
);

-- Single-use tokens sent by mail (email confirmation, password reset); only
-- their SHA-256 is kept.
CREATE TABLE one_time_tokens (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password')),
    token_hash TEXT NOT NULL CONSTRAINT one_time_tokens_token_hash_unique UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX one_time_tokens_account_idx ON one_time_tokens (account_id, purpose);

-- Refresh tokens rotate on every use; all tokens descending from one sign-in
-- share a family, revoked whole when a rotated token is presented again.
CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL CONSTRAINT refresh_tokens_token_hash_unique UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    rotated_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_account_idx ON refresh_tokens (account_id);

-- Mail written in the same transaction as the change it reports, delivered
-- afterwards by whichever API node claims it first.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- Sign-in failures and searches, counted per bucket over a sliding window so
-- throttling holds across every API node.
CREATE TABLE throttle_events (
    id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX throttle_events_bucket_idx ON throttle_events (bucket, occurred_at);

-- Append-only: who did what, when, from which request.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    actor_account_id TEXT,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    request_id TEXT,
    details TEXT NOT NULL
);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_account_id, occurred_at);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id, occurred_at);
