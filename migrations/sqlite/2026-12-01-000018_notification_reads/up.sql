-- Notifications are the audited events that concern an account (see
-- api/src/workflows/notifications.rs); this keeps only which of them the
-- account has read, so the audit log itself stays append-only.
CREATE TABLE notification_reads (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    audit_event_id TEXT NOT NULL REFERENCES audit_events (id),
    read_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, audit_event_id)
);
