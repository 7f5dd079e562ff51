DROP INDEX outbox_unsent_created_idx;
DROP TABLE credential_name_prefixes;
