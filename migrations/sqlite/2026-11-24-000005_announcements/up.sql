-- Announcements admins publish on every applicant's dashboard, for a period.
CREATE TABLE announcements (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX announcements_period_idx ON announcements (starts_at, ends_at);
