-- How much of a payment has been given back. Raised by a conditional
-- update that never passes the amount paid, so concurrent refunds cannot
-- return more than was taken.
ALTER TABLE payments ADD COLUMN refunded_cents BIGINT NOT NULL DEFAULT 0;

CREATE TABLE refunds (
    id TEXT PRIMARY KEY,
    payment_id TEXT NOT NULL REFERENCES payments (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    reason TEXT NOT NULL,
    automatic BOOLEAN NOT NULL,
    gateway_reference TEXT NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX refunds_payment_idx ON refunds (payment_id);

-- Gateway events already applied: each is applied once, however often the
-- gateway delivers it.
CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL
);
