-- The certification specialist reviewing an application.
ALTER TABLE applications ADD COLUMN assigned_to TEXT REFERENCES accounts (id);
CREATE INDEX applications_queue_idx ON applications (status, submitted_at);

-- Trainer's credentials awarded on approval. Numbers are unique; a year's
-- sequence is unique too, so two approvals at once cannot share a number.
CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL CONSTRAINT credentials_number_unique UNIQUE,
    issue_year INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    application_id TEXT NOT NULL CONSTRAINT credentials_application_unique UNIQUE REFERENCES applications (id),
    level TEXT NOT NULL,
    issued_on DATE NOT NULL,
    expires_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'expired', 'revoked')),
    renewable BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT credentials_sequence_unique UNIQUE (issue_year, sequence)
);
CREATE INDEX credentials_account_idx ON credentials (account_id);
