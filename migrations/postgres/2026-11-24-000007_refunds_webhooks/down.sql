DROP TABLE webhook_events;
DROP TABLE refunds;
ALTER TABLE payments DROP COLUMN refunded_cents;
