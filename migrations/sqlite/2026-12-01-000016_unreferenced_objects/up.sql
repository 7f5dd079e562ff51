-- Stored attachment bytes no attachment row refers to: an upload between
-- storing its bytes and recording its row, or a deleted attachment whose
-- bytes are not yet removed. The sweeper removes the bytes of those older
-- than KECS_ORPHAN_GRACE_SECS; claimed_at is set when it starts to, and an
-- upload whose key was claimed is refused rather than recorded.
CREATE TABLE unreferenced_objects (
    storage_key TEXT PRIMARY KEY,
    since TIMESTAMP NOT NULL,
    claimed_at TIMESTAMP
);
CREATE INDEX unreferenced_objects_since_idx ON unreferenced_objects (since);
CREATE INDEX attachments_storage_key_idx ON attachments (storage_key);
