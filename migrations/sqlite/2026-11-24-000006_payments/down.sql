DROP TABLE idempotency_keys;
DROP TABLE payments;
DROP TABLE fees;
