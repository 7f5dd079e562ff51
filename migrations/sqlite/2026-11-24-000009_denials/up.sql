-- A denial with its cited reasons, and the applicant's request for review
-- (Sec. 14(3): within 10 days; the written order due within 30).
CREATE TABLE denials (
    application_id TEXT PRIMARY KEY REFERENCES applications (id),
    reasons TEXT NOT NULL,
    denied_by TEXT NOT NULL REFERENCES accounts (id),
    denied_on DATE NOT NULL,
    review_requested_at TIMESTAMP,
    review_statement TEXT,
    review_due_on DATE,
    created_at TIMESTAMP NOT NULL
);
