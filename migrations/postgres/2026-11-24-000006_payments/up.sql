-- The fee of each request type, in integer cents; admins edit it. The
-- defaults are placeholders until the cabinet sets its schedule.
CREATE TABLE fees (
    request_type TEXT PRIMARY KEY,
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    currency TEXT NOT NULL CHECK (currency = 'USD'),
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT
);
INSERT INTO fees (request_type, amount_cents, currency, updated_at) VALUES
    ('new_level_1', 5000, 'USD', CURRENT_TIMESTAMP),
    ('new_level_2', 5000, 'USD', CURRENT_TIMESTAMP),
    ('new_level_3', 5000, 'USD', CURRENT_TIMESTAMP),
    ('new_level_4', 5000, 'USD', CURRENT_TIMESTAMP),
    ('new_level_5', 5000, 'USD', CURRENT_TIMESTAMP),
    ('new_specialty', 5000, 'USD', CURRENT_TIMESTAMP),
    ('renewal', 2500, 'USD', CURRENT_TIMESTAMP),
    ('seminar_waiver', 1500, 'USD', CURRENT_TIMESTAMP);

-- A payment for one application. The partial unique indexes are what make
-- money exactly-once, whatever the concurrency: an application has at most
-- one payment being charged and at most one that succeeded.
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    currency TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requires_payment_method', 'processing', 'succeeded', 'failed', 'canceled')),
    payment_method TEXT,
    failure_reason TEXT,
    gateway_reference TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    succeeded_at TIMESTAMP
);
CREATE INDEX payments_application_idx ON payments (application_id, created_at);
CREATE UNIQUE INDEX payments_one_success_idx ON payments (application_id) WHERE status = 'succeeded';
CREATE UNIQUE INDEX payments_one_charging_idx ON payments (application_id) WHERE status = 'processing';

-- Idempotency-Key records, per account: the first request's fingerprint and,
-- once it finished, its response, replayed to any retry.
CREATE TABLE idempotency_keys (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    PRIMARY KEY (account_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
