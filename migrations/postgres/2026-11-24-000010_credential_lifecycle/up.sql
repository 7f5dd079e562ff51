-- The life of a credential after its award: the holder's name as the public
-- register shows it (copied at issue, so search needs no join to personal
-- records), the Specialty area, renewal (Sec. 13), revocation and the
-- hearing request (Sec. 15), and which expiry reminders were sent.
ALTER TABLE credentials ADD COLUMN holder_name TEXT NOT NULL DEFAULT '';
ALTER TABLE credentials ADD COLUMN first_name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE credentials ADD COLUMN last_name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE credentials ADD COLUMN specialty_area TEXT;
ALTER TABLE credentials ADD COLUMN renewed_on DATE;
ALTER TABLE credentials ADD COLUMN revoked_on DATE;
ALTER TABLE credentials ADD COLUMN revocation_ground TEXT;
ALTER TABLE credentials ADD COLUMN revocation_statement TEXT;
ALTER TABLE credentials ADD COLUMN revoked_by TEXT REFERENCES accounts (id);
ALTER TABLE credentials ADD COLUMN hearing_requested_at TIMESTAMP;
ALTER TABLE credentials ADD COLUMN hearing_statement TEXT;
-- The expiry date each reminder was sent for: a renewal moves the expiry,
-- and the reminders are due again for the new date.
ALTER TABLE credentials ADD COLUMN reminded_90_for DATE;
ALTER TABLE credentials ADD COLUMN reminded_30_for DATE;
-- The register searches a name prefix as a range ([smit, smiu)), which plain
-- indexes serve on both backends, with generic plans too.
CREATE INDEX credentials_last_name_idx ON credentials (last_name_key);
CREATE INDEX credentials_first_name_idx ON credentials (first_name_key);
CREATE INDEX credentials_register_order_idx ON credentials (last_name_key, number);
CREATE INDEX credentials_expiry_idx ON credentials (status, expires_on);

-- A renewal application names the credential it renews.
ALTER TABLE applications ADD COLUMN renews_credential_id TEXT REFERENCES credentials (id);

-- The commissioner's designee decides a denial review (Sec. 14(3)(c)), or
-- records an extension and notifies the requester.
ALTER TABLE denials ADD COLUMN review_extended_on DATE;
ALTER TABLE denials ADD COLUMN review_extension_reason TEXT;
ALTER TABLE denials ADD COLUMN review_extended_until DATE;
ALTER TABLE denials ADD COLUMN review_decision TEXT CHECK (review_decision IN ('upheld', 'overturned'));
ALTER TABLE denials ADD COLUMN review_order TEXT;
ALTER TABLE denials ADD COLUMN review_decided_by TEXT REFERENCES accounts (id);
ALTER TABLE denials ADD COLUMN review_decided_at TIMESTAMP;
CREATE INDEX denials_open_reviews_idx ON denials (review_decided_at, review_due_on);
