-- Applications for a credential. Status changes are conditional updates on
-- this row, which also serialises them against concurrent edits.
CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    status TEXT NOT NULL CHECK (status IN ('in_progress', 'submitted', 'pending_review', 'deficient', 'approved', 'denied', 'expired', 'withdrawn')),
    credential_level TEXT NOT NULL CHECK (credential_level IN ('level_1', 'level_2', 'level_3', 'level_4', 'level_5', 'specialty')),
    renewal BOOLEAN NOT NULL,
    -- JSON array of request type names, in the order chosen.
    request_types TEXT NOT NULL,
    -- JSON object of the clarifying answers.
    answers TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    closed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX applications_account_idx ON applications (account_id, started_at);
CREATE INDEX applications_expiry_idx ON applications (expires_at) WHERE status = 'in_progress';

-- One row per element of an application, made when the application starts.
-- `version` is the element's ETag: a save names the version it read.
CREATE TABLE application_elements (
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    element_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT,
    version INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP,
    updated_by TEXT,
    -- Set when the element becomes final (Character & Fitness once
    -- submitted; a third party's submission).
    finalized_at TIMESTAMP,
    PRIMARY KEY (application_id, element_key)
);

-- Reminder mails sent before an unpaid application expires. The primary key
-- makes each reminder exactly-once even with a sweeper on every API node.
CREATE TABLE application_reminders (
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, kind)
);
