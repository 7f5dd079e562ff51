DROP INDEX attachments_storage_key_idx;
DROP TABLE unreferenced_objects;
