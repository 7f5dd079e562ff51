-- Files attached to an element. The bytes live in the object store under
-- `storage_key` (never derived from the uploaded name); the row records what
-- was checked: the type recognised from the bytes, the size, the SHA-256.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    element_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    description TEXT NOT NULL,
    document_type TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_element_idx ON attachments (application_id, element_key, created_at);
